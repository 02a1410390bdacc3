"""Markdown previews for asset metadata."""

import polars as pl


def markdown_table(frame: pl.DataFrame, limit: int = 20, total: int | None = None) -> str:
    """The first `limit` rows; `total`: how many rows the whole would have, when `frame` holds only the first ones."""
    if frame.is_empty():
        return "_none_"
    head = frame.head(limit)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join("" if x is None else str(x) for x in row) + " |" for row in head.iter_rows()]
    more = (frame.height if total is None else total) - head.height
    if more > 0:
        lines.append(f"\n… {more} more")
    return "\n".join(lines)
