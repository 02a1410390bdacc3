"""The repository stands alone: a clone has no ../shared, so nothing may point there, and every link in the
project's Markdown resolves inside the repository."""

import re
import subprocess

from pipelines.settings import PROJECT_ROOT

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [p for p in out if (PROJECT_ROOT / p).is_file()]


def test_nothing_points_at_the_shared_folder_outside_the_repository():
    offenders = []
    for rel in _tracked():
        try:
            text = (PROJECT_ROOT / rel).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary fixtures
        offenders += [f"{rel}:{n}" for n, line in enumerate(text.splitlines(), 1) if re.search(r"(\.\./|\b)shared/(spec|notes)\b", line)]
    assert offenders == []


def test_every_markdown_link_resolves_inside_the_repository():
    broken = []
    for rel in (p for p in _tracked() if p.endswith(".md")):
        base = (PROJECT_ROOT / rel).parent
        for target in LINK.findall((PROJECT_ROOT / rel).read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):  # http:, mailto: …
                continue
            path = (base / target).resolve()
            if not path.exists() or PROJECT_ROOT.resolve() not in (path, *path.parents):
                broken.append(f"{rel} → {target}")
    assert broken == []
