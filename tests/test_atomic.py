"""Files written whole or not at all (pipelines/defs/atomic.py)."""

import os

import pytest

from pipelines.defs import atomic


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "due-latest.csv"
    atomic.write_text(path, "old\n")
    with pytest.raises(OSError, match="disk full"), atomic.replacing(path) as tmp:
        assert tmp.name == f".due-latest.csv.{os.getpid()}.tmp.csv"  # the suffix kept: writers may go by it
        tmp.write_text("half")
        raise OSError("disk full (simulated)")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["due-latest.csv"]


def test_a_write_that_succeeds_replaces_the_file(tmp_path):
    path = tmp_path / "sub" / "manifest.json"
    atomic.write_text(path, "{}\n")  # the folder is made
    atomic.write_text(path, '{"year": 2022}\n')
    assert path.read_text() == '{"year": 2022}\n'
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]
