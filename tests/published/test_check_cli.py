"""`gongkai check`: output formats and exit status."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipelines.cli import check
from tests.support.published_reports import Spec, write

SEED = Path(__file__).parent / "fixtures" / "seed-report-2022.txt"


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    check.register(app)

    @app.callback()
    def _root():  # a group, as in the real app, so `check` is a subcommand
        pass

    return app


def run(app, *args):
    return CliRunner().invoke(app, ["check", *map(str, args)])


def test_seed_text_output_exit_0(app):
    res = run(app, SEED)
    assert res.exit_code == 0, res.output
    assert "昌乐县鄌郚镇人民政府 · 2022年度 · 2021年国家格式" in res.output
    assert "政府信息公开专栏 11，微信公众号 368；总数 / total 379" in res.output
    assert "结论 / verdict：未发现问题" in res.output


def test_json_object_for_one_file(app):
    res = run(app, SEED, "--format", "json")
    obj = json.loads(res.output)
    assert obj["format"] == "national-2021" and obj["source"] == str(SEED) and obj["findings"] == []
    assert set(obj) >= {"agency_code", "agency_name", "year", "complete", "proactive", "channels", "applications", "appeals", "checks"}


def test_error_finding_exit_1_and_json_list_for_several_files(app, tmp_path):
    spec = Spec()
    spec.appeals[("review", "total")] = "3"
    bad = write(spec, "html", tmp_path)
    res = run(app, SEED, bad, "--format", "json")
    assert res.exit_code == 1
    objs = json.loads(res.output)
    assert [o["source"] for o in objs] == [str(SEED), str(bad)]
    assert objs[1]["findings"][0] == {
        "id": "R1",
        "severity": "error",
        "table": "R",
        "row": "review",
        "column": "total",
        "values": {"lhs": 3, "rhs": 2},
        "message": "表R 行政复议：总计(3) ≠ 结果维持(1)+结果纠正(1)+其他结果(0)+尚未审结(0)=2 / "
        "table R review: total = 3 ≠ upheld 1 + corrected 1 + other 0 + pending 0 = 2",
    }
    text = run(app, bad)
    assert text.exit_code == 1
    assert "✗ 不符 fail  R1" in text.output and "✗ 错误 error  [R1]" in text.output and "报告存在错误" in text.output


def test_warnings_only_exit_0(app, tmp_path):
    spec = Spec()
    spec.applications[("3.3.1", "research")] = "/"
    res = run(app, write(spec, "txt", tmp_path))
    assert res.exit_code == 0
    assert "! 提醒 warning  [cell_placeholder]" in res.output and "—" in res.output


@pytest.mark.parametrize(
    "name,content",
    [
        ("missing.txt", None),
        ("report.doc", b"\xd0\xcf\x11\xe0 old word"),
        ("broken.docx", b"not a zip"),
        ("broken.pdf", b"%PDF-1.4 garbage"),
        ("notice.txt", "关于召开会议的通知\n请各单位准时参加。\n".encode()),
    ],
)
def test_unreadable_input_exit_2_one_line(app, tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    res = CliRunner().invoke(app, ["check", str(path)])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and res.output.startswith("错误 / error: ") and " / " in res.output


def test_bad_format_option(app):
    res = run(app, SEED, "--format", "xml")
    assert res.exit_code != 0
