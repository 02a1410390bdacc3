"""Names of report files and folders (written whole: pipelines/defs/atomic.py)."""

import hashlib
import re

from pipelines.defs.reports.safe_text import xml_text


def path_component(name: str, fallback: str, limit: int = 120) -> str:
    """`name` as one folder name: no control character (NUL included), no separator, not '.' or '..', at most
    `limit` bytes (file systems allow 255; a longer name is cut and given a hash of the whole, so two long
    names that start alike stay apart)."""
    safe = re.sub(r"[/\\\s]+", "_", xml_text(name)).strip("._") or fallback
    if len(safe.encode("utf-8")) > limit:
        cut = safe.encode("utf-8")[: limit - 9].decode("utf-8", "ignore")
        safe = f"{cut}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return safe
