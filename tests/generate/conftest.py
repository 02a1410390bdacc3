import json
from pathlib import Path

import pytest

from pipelines.defs.generate import generate_sample
from tests.support import oracle

TANGWU = "11370725MB28501425"


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root)
    return root


@pytest.fixture(scope="session")
def manifest(sample_root) -> dict:
    return json.loads((sample_root / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def checked(sample_root, manifest) -> list[oracle.Row]:
    return oracle.check(sample_root, manifest)
