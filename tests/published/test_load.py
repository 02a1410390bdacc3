"""`gongkai check --load`: published figures in the warehouse, apart from computed ones; the computed-vs-published
view; and A4 of the next year checked against what was actually published."""

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import main
from pipelines.run import materialize_years
from pipelines.settings import settings
from tests.support.raw_ledgers import TANGWU, write_csv

pytestmark = pytest.mark.slow  # whole pipeline runs

SEED = Path(__file__).parent / "fixtures" / "seed-report-2022.txt"


def _raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    write_csv(root / "agencies.csv", [{"agency_code": TANGWU, "agency_name": "昌乐县鄌郚镇人民政府", "county": "昌乐县"}])
    items = [
        {
            "item_id": f"T-{i}",
            "agency_code": TANGWU,
            "title": f"信息{i}",
            "published_on": "2022-06-01",
            "channel": "政府信息公开专栏" if i < 11 else "微信公众号",
            "category": "其他",
        }
        for i in range(379)
    ]
    write_csv(root / "disclosures" / "2022.csv", items)
    return root


def _carry_one_over(text: str) -> str:
    """The seed with 四、结转下年度 = 1 for natural persons (and in total)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "转结下年度继续办理" in line)
    lines[at + 1] = lines[at + 1].replace("0", "1")
    lines[at + 7] = lines[at + 7].replace("0", "1")
    return "\n".join(lines)


def test_load_compare_and_check_next_years_carry_in(tmp_path):
    cfg = settings(raw=_raw(tmp_path), warehouse=tmp_path / "wh" / "gongkai.duckdb")
    materialize_years(cfg, [2022])
    runner = CliRunner()
    main._register()

    # the real seed: read, loaded, matched to the agency by name, no difference from what gongkai computed
    res = runner.invoke(main.app, ["check", str(SEED), "--load", "--warehouse", str(cfg.warehouse)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    assert con.execute("SELECT agency_code, year, format, errors FROM published_report").fetchall() == [(TANGWU, 2022, "national-2021", 0)]
    assert con.execute("SELECT count(*) FROM published_application").fetchall() == [(175,)]
    assert con.execute("SELECT sum(value) FROM published_channel").fetchall() == [(379,)]
    assert con.execute("SELECT count(*) FROM v_computed_vs_published").fetchall() == [(0,)]
    con.close()

    # a corrected edition of the same agency-year replaces the first: one carried-over application
    edited = tmp_path / "鄌郚镇2022年报（修订）.txt"
    edited.write_text(_carry_one_over(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    res = runner.invoke(main.app, ["check", str(edited), "--load", "--warehouse", str(cfg.warehouse)])
    assert res.exit_code == 1, res.output  # A1 breaks in the edited report itself
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    assert con.execute("SELECT count(*), min(source) FROM published_report").fetchall() == [(1, str(edited))]
    assert con.execute("SELECT count(*) FROM published_application").fetchall() == [(175,)]  # replaced, not added
    diff = con.execute('SELECT "table", row_key, column_key, computed, published FROM v_computed_vs_published ORDER BY column_key').fetchall()
    assert diff == [("A", "4", "natural_person", 0.0, 1.0), ("A", "4", "total", 0.0, 1.0)]
    con.close()

    # 2023: gongkai computes row 2 = 0, but 2022 was published with row 4 = 1 — A4 fails against the published report
    materialize_years(cfg, [2023])
    con = duckdb.connect(str(cfg.warehouse), read_only=True)
    status, message = con.execute("SELECT status, message FROM check_result WHERE year = 2023 AND check_id = 'A4'").fetchall()[0]
    con.close()
    assert status == "fail"
    assert "自然人" in message and "总计" in message
