import json

import pytest
import typer
from typer.testing import CliRunner

from pipelines.errors import GongkaiError


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from pipelines.cli import main

    try:
        main._register()
        return main.app
    except ImportError as err:
        # other commands (validate …) live on other branches until they are merged
        if "pipelines.cli" not in str(err) and not (err.name or "").startswith("pipelines.cli"):
            raise
        from pipelines.cli import generate

        solo = typer.Typer()
        solo.callback()(lambda: None)  # keep `generate` a subcommand even when it is the only one
        generate.register(solo)
        return solo


def test_generate_writes_then_refuses_then_overwrites_with_force(app, tmp_path, sample_root):
    runner = CliRunner()
    out = tmp_path / "raw"
    first = runner.invoke(app, ["generate", "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "wrote 88 files" in first.output and "13 deliberately bad" in first.output
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 20230110 and manifest["scale"] == "county"
    assert (out / "disclosures/2022/鄌郚镇_主动公开台账_2022.csv").read_bytes() == (sample_root / "disclosures/2022/鄌郚镇_主动公开台账_2022.csv").read_bytes()

    again = runner.invoke(app, ["generate", "--out", str(out)])
    assert again.exit_code != 0
    assert isinstance(again.exception, GongkaiError) and "--force" in str(again.exception)
    assert "\n" not in str(again.exception)  # one line

    stray = out / "disclosures/2022/stray.csv"
    stray.write_text("left over")
    forced = runner.invoke(app, ["generate", "--out", str(out), "--force", "--seed", "7"])
    assert forced.exit_code == 0, forced.output
    assert json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))["seed"] == 7
    assert not stray.exists()  # a forced run replaces the ledgers, it does not mix two generations


def test_generate_defaults_to_the_raw_dir(app, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_RAW_DIR", str(tmp_path / "data" / "raw"))
    result = CliRunner().invoke(app, ["generate"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data/raw/agencies.csv").is_file()


def test_unknown_scale_is_a_one_line_error(app, tmp_path):
    result = CliRunner().invoke(app, ["generate", "--out", str(tmp_path), "--scale", "galaxy"])
    assert isinstance(result.exception, GongkaiError) and "galaxy" in str(result.exception)
    assert not (tmp_path / "MANIFEST.json").exists()
