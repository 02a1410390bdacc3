"""The desk's tests run its routes in worker threads (Starlette's TestClient) beside Dagster runs."""

import gc

import pytest


@pytest.fixture(autouse=True)
def _garbage_of_earlier_tests_collected_here():
    """Earlier tests leave Dagster instances' SQLite connections to the garbage collector. Collected in a route's
    worker thread they each log a traceback, and on Python 3.11 that logging inside an `ast.parse` the thread is in
    (pytest rewriting a lazily imported module) raises "SystemError: AST constructor recursion depth mismatch".
    Collected here, in the main thread that opened them, they close quietly. (gongkai's own runs collect theirs in
    the thread that ran them: pipelines/run.py.)"""
    gc.collect()
