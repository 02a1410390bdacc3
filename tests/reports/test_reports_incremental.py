"""A nightly run re-renders only the reports whose content changed."""

import copy

from pipelines.defs.reports.publish import render_if_changed
from tests.support.report_samples import tangwu_2022_context


def test_unchanged_report_is_not_rendered_again_and_a_changed_one_is(tmp_path):
    ctx = tangwu_2022_context()
    paths, rendered = render_if_changed(ctx, tmp_path)
    assert rendered and all(p.exists() for p in paths.values())
    mtimes = {k: p.stat().st_mtime_ns for k, p in paths.items()}

    again, rendered = render_if_changed(tangwu_2022_context(), tmp_path)
    assert not rendered and {k: p.stat().st_mtime_ns for k, p in again.items()} == mtimes

    changed = copy.deepcopy(ctx.tables)
    changed["channels"] = {"portal_column": 12, "wechat": 368, "total": 380}
    ctx2 = tangwu_2022_context()
    ctx2.tables = changed
    _, rendered = render_if_changed(ctx2, tmp_path)
    assert rendered
    assert "380" in paths["html"].read_text(encoding="utf-8")
