"""An upload named after its applicant: the desk still finds the file's own report (listed under a masked name)."""

from pipelines.desk.uploads import validate_one
from tests.desk.support import desk_settings
from tests.support.raw_ledgers import TANGWU, write_csv


def test_an_upload_named_after_its_applicant_gets_its_report(tmp_path):
    cfg = desk_settings(tmp_path)
    row = {"申请编号": "P-1", "受理机构代码": TANGWU, "收到申请日期": "2022-03-01", "申请人类型": "自然人", "申请人姓名/名称": "欧阳娜娜"}
    # P-2 answered before it was received: one quarantined row
    rows = [row | {"答复日期": "2022-03-10", "处理结果": "予以公开"}, row | {"申请编号": "P-2", "答复日期": "2022-02-01", "处理结果": "予以公开"}]
    path = write_csv(tmp_path / "upload" / "欧阳娜娜-13905361234.csv", rows)
    report = validate_one(cfg, path, "applications")
    # the file's line and its one bad row, shown under the name the clerk knows
    assert [(f["path"], f["rows"], f["accepted"], f["quarantined"]) for f in report["files"]] == [(path.name, 2, 1, 1)]
    assert [(q["row"], q["rule"]) for q in report["quarantine"]] == [(3, "closed_before_received")]
