"""The version of the code behind a cached result: one mechanism for every cache (ingestion's per-file
results, the tables' input fingerprints, the rendered reports).

A version is a hash of the source of the entry modules and of every project module they import,
transitively, found by reading the imports in the source (function-level imports included). A module split
out of another later is imported by it, so it is part of the version without anyone listing it.

The source is read when a version is first asked for, which may be minutes into a run. Should a file have
changed since the process started (the code deployed during a run), the source read is not the code running:
the version then also holds a token of this process, so what this process caches is never taken by a later
one as the work of the new code (which would keep the old code's results for every unchanged ledger).
"""

import ast
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from pipelines import STARTED
from pipelines.settings import PROJECT_ROOT

PACKAGES = ("pipelines", "schemas")  # the project's own top-level packages
PROCESS_TOKEN = secrets.token_hex(16)  # this process's own, for a version of code changed under it


def _file(module: str) -> Path | None:
    base = PROJECT_ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _statements(nodes: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every statement, nested ones too (function bodies, if/try/with blocks): an import is a statement, so the
    expressions — most of a module's nodes — need not be walked (a tenth of the time)."""
    for node in nodes:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)


def _imports(module: str, path: Path) -> frozenset[str]:
    """The project modules `module` imports (`from a.b import c` counts a.b.c when that is a module)."""
    return _imports_in(module, path, path.read_text(encoding="utf-8"))


@cache  # two caches share most modules (settings, the vocabulary): each source is parsed once
def _imports_in(module: str, path: Path, source: str) -> frozenset[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in _statements(ast.parse(source, str(path)).body):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package this module is in
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] not in PACKAGES:
                continue
            # `import a.b.c` also runs a and a.b: their __init__ files are part of what runs
            parts = name.split(".")
            out |= {".".join(parts[:i]) for i in range(1, len(parts) + 1) if _file(".".join(parts[:i]))}
    return frozenset(out)


@cache
def closure(*entry: str) -> tuple[str, ...]:
    """The entry modules and every project module they import, transitively, sorted."""
    seen: set[str] = set()
    todo = list(entry)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        path = _file(module)
        if path is None:
            raise ValueError(f"no module {module} in the project")
        seen.add(module)
        todo += sorted(_imports(module, path) - seen)
    return tuple(sorted(seen))


@cache
def code_version(*entry: str, data: Iterable[Path] = ()) -> str:
    """Hash of the modules `closure(*entry)` and of the files under the `data` folders (templates)."""
    digest = hashlib.sha256()
    files = []
    for module in closure(*entry):
        path = _file(module)
        assert path is not None
        files.append(path)
        digest.update(module.encode() + b"\0" + path.read_bytes() + b"\0")
    for folder in data:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            files.append(path)
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    if _changed_since_start(files):
        digest.update(b"\0changed while this process ran\0" + PROCESS_TOKEN.encode())
    return digest.hexdigest()


def _changed_since_start(files: list[Path]) -> bool:
    """Whether a file was written after the process started (ctime too: an unpacked file keeps an old mtime)."""
    for path in files:
        st = os.stat(path)
        if max(st.st_mtime, st.st_ctime) > STARTED:
            return True
    return False
