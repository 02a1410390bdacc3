"""Helpers shared by the tests: hand-worked ledgers, raw roots, published-report writers, report samples."""
