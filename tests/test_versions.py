"""One code-version mechanism for every cache: it follows imports, so no module can be left out."""

import time

import pytest

from pipelines.defs import versions

# imports inside blocks of every kind: only statements are walked, so each kind of block must be entered
NESTED = """
try:
    import pipelines.stage.n1
except ImportError:
    from pipelines.stage import n2
else:
    from pipelines.stage import n3
finally:
    from pipelines.stage import n9
if True:
    pass
else:
    from pipelines.stage import n4
with open(__file__):
    from pipelines.stage import n5
class Thing:
    def method(self):
        for _ in ():
            while False:
                from pipelines.stage import n6
match 1:
    case 1:
        from pipelines.stage import n7
async def later():
    async with x:
        from pipelines.stage import n8
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A throwaway project: pipelines/stage.py imports a helper split out of it, which imports schemas."""
    (tmp_path / "pipelines" / "stage").mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    files = {
        "pipelines/__init__.py": "",
        "pipelines/stage/__init__.py": "",
        "pipelines/stage/entry.py": "import polars\nfrom . import helper\n\ndef run():\n    from pipelines.stage.late import x\n" + NESTED,
        "pipelines/stage/helper.py": "from schemas.words import WORDS\n",
        "pipelines/stage/late.py": "x = 1\n",
        "pipelines/stage/unrelated.py": "y = 2\n",
        **{f"pipelines/stage/n{i}.py": "" for i in range(1, 10)},
        "schemas/__init__.py": "",
        "schemas/words.py": "WORDS = ('a',)\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(versions, "PROJECT_ROOT", tmp_path)
    return tmp_path


def version(*entry: str) -> str:
    return versions.code_version.__wrapped__(*entry)


def test_the_closure_follows_relative_absolute_and_function_level_imports(project):
    assert versions.closure.__wrapped__("pipelines.stage.entry") == (
        "pipelines",
        "pipelines.stage",
        "pipelines.stage.entry",
        "pipelines.stage.helper",
        "pipelines.stage.late",
        *(f"pipelines.stage.n{i}" for i in range(1, 10)),
        "schemas",
        "schemas.words",
    )


@pytest.mark.parametrize(("changed", "moves"), [("schemas/words.py", True), ("pipelines/stage/late.py", True), ("pipelines/stage/unrelated.py", False)])
def test_an_edit_to_any_imported_module_changes_the_version(project, changed, moves):
    before = version("pipelines.stage.entry")
    (project / changed).write_text((project / changed).read_text() + "# edited\n")
    assert (version("pipelines.stage.entry") != before) is moves


def test_templates_count_too(project):
    (project / "templates").mkdir()
    (project / "templates" / "a.j2").write_text("{{ x }}")
    before = versions.code_version.__wrapped__("pipelines.stage.entry", data=(project / "templates",))
    (project / "templates" / "b.j2").write_text("new")
    assert versions.code_version.__wrapped__("pipelines.stage.entry", data=(project / "templates",)) != before


def test_the_real_caches_cover_the_modules_no_list_named():
    ingest = versions.closure("pipelines.defs.ingest.ingest")
    assert {"pipelines.defs.ingest.normalize", "pipelines.defs.ingest.pii", "schemas.ledgers", "schemas.codes"} <= set(ingest)
    assert "pipelines.defs.tables.relations" in versions.closure("pipelines.defs.tables.compute", "pipelines.defs.tables.inputs")


def test_code_changed_while_the_process_ran_gets_a_version_no_other_process_shares(project, monkeypatch):
    # the throwaway project's files are older than a process started now: the version is the source's alone
    monkeypatch.setattr(versions, "STARTED", (project / "schemas" / "words.py").stat().st_ctime + 3600)
    plain = version("pipelines.stage.entry")
    monkeypatch.setattr(versions, "PROCESS_TOKEN", "another process")
    assert version("pipelines.stage.entry") == plain  # any process reading the same source agrees
    # a module deployed after the process started: what runs may be the old code, so the version is this process's own
    monkeypatch.setattr(versions, "STARTED", (project / "schemas" / "words.py").stat().st_ctime - 1)
    changed = version("pipelines.stage.entry")
    assert changed != plain
    monkeypatch.setattr(versions, "PROCESS_TOKEN", "yet another process")
    assert version("pipelines.stage.entry") not in (changed, plain)  # a later process never takes its results
    # the unrelated module is no part of it: changed after the start, it changes nothing
    monkeypatch.setattr(versions, "STARTED", time.time())
    time.sleep(0.05)  # file times come from a coarser clock
    unrelated = project / "pipelines" / "stage" / "unrelated.py"
    unrelated.write_text("y = 3\n")
    assert unrelated.stat().st_ctime > versions.STARTED
    assert version("pipelines.stage.entry") == plain
