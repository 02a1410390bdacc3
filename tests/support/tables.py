"""Whole grids of one table for a set of agencies and years, as the tests compare them (the product lays
them out a chunk of agencies at a time: pipelines/defs/tables/compute.py)."""

import polars as pl

from pipelines.defs.tables import tables as t


def proactive(disclosures: t.Frame, agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    return t.full(t.proactive_counts(disclosures, years), agencies, years, t.PROACTIVE)


def channels(disclosures: t.Frame, agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    return t.full(t.channel_counts(disclosures, years), agencies, years, t.CHANNEL)


def applications(apps: t.Frame, agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    return t.full(t.application_counts(apps, years), agencies, years, t.APPLICATION)


def appeals(cases: t.Frame, agencies: pl.Series, years: list[int]) -> pl.DataFrame:
    return t.full(t.appeal_counts(cases, years), agencies, years, t.APPEAL)
