"""The parts of a DOCX or XLSX package, to compare two renderings of one report part by part."""

import re
import zipfile
from pathlib import Path

# openpyxl stamps the workbook's creation and save time into docProps/core.xml: the only part that differs
# between two renderings of the same report
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def package_parts(path: Path) -> dict[str, bytes]:
    """Part name → bytes, creation and save times blanked."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None, path  # every part's CRC checks
        return {name: _STAMP.sub(rb"\1\2", zf.read(name)) for name in zf.namelist()}
