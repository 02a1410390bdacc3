"""The desk is a surface: nothing under pipelines/defs (nor the Dagster code location) imports it or the CLI."""

import ast

from pipelines.settings import PROJECT_ROOT

SURFACES = ("pipelines.desk", "pipelines.cli")


def _imports(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_no_stage_imports_a_surface():
    offenders = []
    for path in sorted((PROJECT_ROOT / "pipelines" / "defs").rglob("*.py")) + [PROJECT_ROOT / "pipelines" / "definitions.py"]:
        bad = [m for m in _imports(path) if m.startswith(SURFACES)]
        offenders += [f"{path.relative_to(PROJECT_ROOT)}: {m}" for m in bad]
    assert offenders == []


def test_the_scan_sees_both_import_forms(tmp_path):
    probe = tmp_path / "x.py"
    probe.write_text("import pipelines.desk.app\nfrom pipelines.cli import main\n")
    assert _imports(probe) >= {"pipelines.desk.app", "pipelines.cli"}
