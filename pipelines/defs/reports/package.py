"""Zip packages (DOCX) written from parts compressed ahead of time.

Most parts of every report's DOCX are the same bytes (styles, themes, settings: 800 kB of XML, most of the
compressing); zipfile would deflate them again for every report. Here a constant part is deflated once per
process and its compressed bytes are copied into each package; only the report's own parts are deflated per
report. The compression is zipfile's (zlib level 6, raw deflate), so a part's stored bytes are the ones zipfile
would write; the archive layout is zipfile's too (no extra fields, no data descriptors).
"""

from __future__ import annotations

import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

LEVEL = 6  # zipfile's default (zlib.Z_DEFAULT_COMPRESSION)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_UNIX = 3  # "made by" system, as zipfile on Unix
_MODE = 0o600 << 16  # zipfile's external attributes for a member written from bytes


@dataclass(frozen=True)
class Part:
    """One member of a package, compressed."""

    name: str
    crc: int
    size: int
    data: bytes


def deflated(name: str, blob: bytes) -> Part:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Part(name, zlib.crc32(blob), len(blob), packer.compress(blob) + packer.flush())


def _dos_time(stamp: float) -> tuple[int, int]:
    t = time.localtime(stamp)
    return (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2), ((t.tm_year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday


def zip_bytes(parts: list[Part], stamp: float | None = None) -> bytes:
    """The zip archive of `parts`, in order, each dated `stamp` (default: now, as zipfile dates them)."""
    dos_time, dos_date = _dos_time(time.time() if stamp is None else stamp)
    body, central = bytearray(), bytearray()
    for part in parts:
        name = part.name.encode("ascii")  # package part names are ASCII (OPC)
        offset = len(body)
        body += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, zlib.DEFLATED, dos_time, dos_date, part.crc, len(part.data), part.size, len(name), 0)
        body += name
        body += part.data
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            _VERSION,
            _UNIX,
            _VERSION,
            0,
            0,
            zlib.DEFLATED,
            dos_time,
            dos_date,
            part.crc,
            len(part.data),
            part.size,
            len(name),
            0,
            0,
            0,
            0,
            _MODE,
            offset,
        )
        central += name
    end = _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), len(body), 0)
    return bytes(body + central + end)


def write_package(path: Path, parts: list[Part]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(parts))
    return path
