"""The annual report (DOCX, HTML, XLSX) of one agency-year, and the county's cross-agency overview.

Input is the tables object of interfaces.md (`gongkai tables --format json`)
wrapped in a ReportContext; see docs/reports.md and docs/narratives.md.
"""

from pipelines.defs.reports.context import DRAFT_BANNER, ReportContext
from pipelines.defs.reports.narrative import Narrative, load_narrative, narrative_path, parse_narrative
from pipelines.defs.reports.overview import overview_path, render_county_overview
from pipelines.defs.reports.render import render_agency_report, report_paths

__all__ = [
    "DRAFT_BANNER",
    "Narrative",
    "ReportContext",
    "load_narrative",
    "narrative_path",
    "overview_path",
    "parse_narrative",
    "render_agency_report",
    "render_county_overview",
    "report_paths",
]
