import os

from pipelines.defs.generate import generate_sample


def _snapshot(root):
    return {p.relative_to(root).as_posix(): (p.read_bytes(), os.stat(p).st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_write_identical_bytes_and_mtimes(sample_root, tmp_path):
    generate_sample(tmp_path / "again")
    first, second = _snapshot(sample_root), _snapshot(tmp_path / "again")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name][0] == second[name][0], f"{name} differs"
        assert first[name][1] == second[name][1], f"{name} mtime differs"
    assert len(first) == 89  # agencies.csv + submissions.csv + MANIFEST.json + 86 ledger files


def test_another_seed_gives_other_data_but_the_same_tangwu_2022(sample_root, tmp_path):
    other = generate_sample(tmp_path / "other", seed=7)
    assert (tmp_path / "other/disclosures/2021/县政府_主动公开台账_2021.csv").read_bytes() != (
        sample_root / "disclosures/2021/县政府_主动公开台账_2021.csv"
    ).read_bytes()
    truth = other.truth_for("11370725MB28501425", 2022)
    assert truth["proactive"]["channels"] == {"portal_column": 11, "wechat": 368}


def test_mtimes_are_the_export_times_of_the_manifest(sample_root, manifest):
    for f in manifest["files"]:
        assert int(os.stat(sample_root / f["path"]).st_mtime) == f["mtime"], f["path"]
    # the re-export of 县政府's 2023 applications is later than the export it corrects
    by_path = {f["path"]: f["mtime"] for f in manifest["files"]}
    assert by_path["applications/2023/县政府_依申请公开台账_2023_补充导出.csv"] > by_path["applications/2023/县政府_依申请公开台账_2023.csv"]
    assert by_path["appeals/昌乐县复议诉讼台账_更新.csv"] > by_path["appeals/昌乐县复议诉讼台账.xlsx"]
