"""What validation found, as the plain object `gongkai validate --format json` prints (interfaces.md) and the
desk shows after an upload."""

from pipelines.defs.ingest.ingest import Ingested

QUARANTINE_FIELDS = ("path", "row", "kind", "agency_code", "record_id", "rule", "message", "superseded")


def validation_report(result: Ingested, extra: tuple[str, ...] = ()) -> dict:
    """Per file rows read / accepted / quarantined (or why it was rejected whole), and every quarantined row.
    `extra`: further quarantine columns to include (e.g. "column", "value")."""
    files = []
    for f in result.files.iter_rows(named=True):
        entry = {k: f[k] for k in ("path", "kind", "rows", "accepted", "quarantined")}
        if f["error"]:
            entry["error"] = f["error"]
            entry["rule"] = f["error_rule"]
        if f["encoding"]:
            entry["encoding"] = f["encoding"]
        files.append(entry)
    quarantine = [{k: row[k] for k in QUARANTINE_FIELDS + extra} for row in result.quarantine.sort("path", "row").iter_rows(named=True)]
    return {"files": files, "quarantine": quarantine}
