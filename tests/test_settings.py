"""Configuration is read in one place: pipelines/settings.py. Everything else receives it."""

import ast
from pathlib import Path

import dagster as dg
import pytest

from pipelines.errors import GongkaiError
from pipelines.resources import GongkaiConfig
from pipelines.settings import PROJECT_ROOT, settings

ALLOWED = {Path("pipelines/settings.py")}


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch os.environ / os.getenv / os.putenv, or give a CLI option an `envvar`."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv", "environb", "getenvb"):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(a.name in ("environ", "getenv", "environb", "getenvb") for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.keyword) and node.arg in ("envvar", "auto_envvar_prefix"):
            lines.append(node.value.lineno)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "EnvVar" and not isinstance(node.args[0], ast.Name):
            lines.append(node.lineno)  # an EnvVar with a literal name: the variable list is settings.ENV
    return lines


def test_no_module_outside_the_settings_reads_the_environment():
    offenders = []
    for root in ("pipelines", "schemas"):
        for path in sorted((PROJECT_ROOT / root).rglob("*.py")):
            rel = path.relative_to(PROJECT_ROOT)
            if rel in ALLOWED:
                continue
            offenders += [f"{rel}:{n}" for n in _reads_environment(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []


def test_the_scan_catches_each_way_of_reading_it():
    for source in (
        "import os\nos.environ.get('X')",
        "import os\nos.getenv('X')",
        "from os import environ\nenviron['X']",
        "import typer\ntyper.Option('--x', envvar='X')",
        "import dagster as dg\ndg.EnvVar('X')",
    ):
        assert _reads_environment(ast.parse(source)), source


def test_options_win_over_the_environment_which_wins_over_defaults(tmp_path):
    env = {"GONGKAI_RAW_DIR": str(tmp_path / "r"), "GONGKAI_WAREHOUSE": str(tmp_path / "w.duckdb"), "GONGKAI_PII_KEY": "k"}
    s = settings(environ=env)
    assert (s.raw_dir, s.warehouse, s.pii_key()) == (tmp_path / "r", tmp_path / "w.duckdb", b"k")
    assert settings(raw=tmp_path / "other", environ=env).raw_dir == tmp_path / "other"
    default = settings(environ={"GONGKAI_PII_KEY_FILE": str(tmp_path / "key")})
    assert default.raw_dir == PROJECT_ROOT / "data" / "raw"
    assert default.narratives_dir == PROJECT_ROOT / "data" / "narratives"
    key = default.pii_key()
    assert len(key) == 64 and (tmp_path / "key").read_bytes().strip() == key  # generated once, kept
    assert default.pii_key() == key


def test_the_resource_round_trips_the_settings_and_hides_the_key(tmp_path, monkeypatch):
    s = settings(raw=tmp_path / "raw", warehouse=tmp_path / "w.duckdb", environ={"GONGKAI_PII_KEY": "secret"})
    assert GongkaiConfig.from_settings(s).settings() == s
    monkeypatch.setenv("GONGKAI_PII_KEY", "secret")
    resource = GongkaiConfig.from_settings(s, secret_from_env=True)
    # what the Dagster UI shows of the resource's configuration: the variable's name, not its value
    shown = resource.get_resource_definition().config_schema.default_value
    assert shown["pii_key"] == {"env": "GONGKAI_PII_KEY"} and "secret" not in str(shown)
    assert isinstance(resource.pii_key, dg.EnvVar)


def test_the_sensor_and_the_asset_watch_the_same_raw_root():
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("ledger_files_changed")
    assert "gongkai" in sensor.required_resource_keys
    assert {"gongkai"} == set(defs.resolve_assets_def("validated_ledgers").required_resource_keys) - {"io_manager"}


def test_alert_settings_round_trip_and_hide_their_secrets(tmp_path, monkeypatch):
    env = {
        "GONGKAI_ALERT_WEBHOOK": "https://hooks.example.invalid/T0K3N",
        "GONGKAI_ALERT_SMTP": "mail.example.invalid:2525",
        "GONGKAI_ALERT_MAIL_TO": "ops@example.invalid",
        "GONGKAI_ALERT_SMTP_USER": "ops",
        "GONGKAI_ALERT_SMTP_PASSWORD": "pa55",
        "GONGKAI_ALERT_SMTP_STARTTLS": "1",
    }
    s = settings(raw=tmp_path / "raw", warehouse=tmp_path / "w.duckdb", environ=env)
    assert s.alert_log == tmp_path / "alerts.log" and s.alert_smtp_starttls and s.alert_mail_from == "gongkai@localhost"
    assert "T0K3N" not in repr(s) and "pa55" not in repr(s)
    assert GongkaiConfig.from_settings(s).settings() == s
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    shown = GongkaiConfig.from_settings(s, secret_from_env=True).get_resource_definition().config_schema.default_value
    assert shown["alert_webhook"] == {"env": "GONGKAI_ALERT_WEBHOOK"} and shown["alert_smtp_password"] == {"env": "GONGKAI_ALERT_SMTP_PASSWORD"}
    assert "T0K3N" not in str(shown) and "pa55" not in str(shown)
    assert settings(environ={"GONGKAI_ALERT_LOG": str(tmp_path / "a.log")}).alert_log == tmp_path / "a.log"
    with pytest.raises(GongkaiError):
        settings(environ={"GONGKAI_ALERT_WEBHOOK": "file:///etc/passwd"})
