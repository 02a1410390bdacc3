"""Markdown previews for asset metadata."""

import polars as pl


def markdown_table(frame: pl.DataFrame, limit: int = 20) -> str:
    if frame.is_empty():
        return "_none_"
    head = frame.head(limit)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join("" if x is None else str(x) for x in row) + " |" for row in head.iter_rows()]
    if frame.height > limit:
        lines.append(f"\n… {frame.height - limit} more")
    return "\n".join(lines)
