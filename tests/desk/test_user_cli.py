"""`gongkai user add`: accounts for a known agency or county, with the password from a pipe or a terminal."""

from typer.testing import CliRunner

from pipelines.cli.main import _register, app
from pipelines.desk.accounts import authenticate
from pipelines.desk.store import Store
from pipelines.errors import GongkaiError
from pipelines.settings import settings
from tests.desk.support import AGENCIES
from tests.support.raw_ledgers import TANGWU, write_csv

_register()


def _run(args, stdin=""):
    return CliRunner().invoke(app, ["user", "add", *args], input=stdin)


def test_user_add(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_csv(raw / "agencies.csv", AGENCIES)
    monkeypatch.setenv("GONGKAI_RAW_DIR", str(raw))
    done = _run(["tangwu", "--agency", TANGWU.lower(), "--password-stdin"], "a long password\n")
    assert done.exit_code == 0, done.output
    store = Store(settings().desk_db)
    account = authenticate(store, "tangwu", "a long password")
    assert account is not None and account.role == "clerk" and account.agency_code == TANGWU
    assert store.account("tangwu").password_hash.startswith("$argon2id$")
    assert authenticate(store, "tangwu", "a long passwore") is None
    assert _run(["changle", "--county", "昌乐县", "--password-stdin"], "another password\n").exit_code == 0
    # refused, one line each, exit 2: a duplicate, an unknown county or agency, both or neither scope, a short password
    for args, stdin, words in (
        (["tangwu", "--agency", TANGWU, "--password-stdin"], "a long password\n", "已存在"),
        (["x1", "--county", "某县", "--password-stdin"], "a long password\n", "没有县区"),
        (["x2", "--agency", "11370725MB0000009X", "--password-stdin"], "a long password\n", "没有统一社会信用代码"),
        (["x3", "--password-stdin"], "a long password\n", "--agency 或 --county"),
        (["x4", "--agency", TANGWU, "--county", "昌乐县", "--password-stdin"], "a long password\n", "--agency 或 --county"),
        (["x5", "--agency", TANGWU, "--password-stdin"], "short\n", "至少8个字符"),
    ):
        done = _run(args, stdin)
        # main() turns a GongkaiError into one line on stderr and its exit status
        assert isinstance(done.exception, GongkaiError) and done.exception.exit_code == 2 and words in str(done.exception), (args, done.exception)
    assert [a.name for a in store.accounts()] == ["changle", "tangwu"]
