"""The one zip writer for the workbooks we assemble from parts (prepared templates, fast sample fills).

Members are written in the order given, with fixed 1980-01-01 times, so the same parts give the same bytes;
a member can arrive already deflated (copied from a source workbook or compressed once and reused for 3,000
files), which is what makes stamping thousands of workbooks cheap. Names are ASCII unless they cannot be
(then UTF-8 with the language-encoding flag, as Excel writes them). A member may carry a Unix mode (a launcher
script's executable bit, which Archive Utility and unzip restore); the others are written as before.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

STORED, DEFLATED = 0, 8
COMPRESS_LEVEL = 6
DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00


def deflate(data: bytes) -> bytes:
    """A raw deflate stream (no zlib header), as a zip member stores it."""
    c = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflate_piece(data: bytes) -> bytes:
    """``data`` as deflate blocks ending on a byte boundary, none of them final: pieces compressed apart (a large
    static part once, the small per-file parts each time) joined in order and closed by ``DEFLATE_END`` are one
    valid deflate stream of the joined data, as pigz joins its blocks."""
    c = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)


DEFLATE_END = deflate(b"")  # an empty final block


@dataclass(frozen=True)
class ZipMember:
    name: str
    stored: bytes  # the bytes as stored in the zip (deflated when method is DEFLATED)
    crc: int
    size: int  # uncompressed size
    method: int = DEFLATED
    mode: int | None = None  # Unix st_mode, e.g. 0o100755; None: no file attributes (MS-DOS, as before)

    @classmethod
    def from_data(cls, name: str, data: bytes, mode: int | None = None) -> "ZipMember":
        """A member deflated from its uncompressed bytes."""
        return cls(name, deflate(data), zlib.crc32(data), len(data), mode=mode)


def zip_bytes(members: list[ZipMember]) -> bytes:
    """The zip file of ``members``, in order."""
    out = bytearray()
    central = bytearray()
    for m in members:
        try:
            raw_name, flags = m.name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw_name, flags = m.name.encode("utf-8"), 0x800
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, DOS_TIME, DOS_DATE, m.crc,
                           len(m.stored), m.size, len(raw_name), 0)
        out += raw_name
        out += m.stored
        made_by, external = (20, 0) if m.mode is None else ((3 << 8) | 20, m.mode << 16)  # 3: Unix
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, made_by, 20, flags, m.method, DOS_TIME, DOS_DATE,
                               m.crc, len(m.stored), m.size, len(raw_name), 0, 0, 0, 0, external, offset)
        central += raw_name
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), cd_offset, 0)
    return bytes(out)
