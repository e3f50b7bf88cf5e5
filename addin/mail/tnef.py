"""TNEF (``winmail.dat``, ``application/ms-tnef``): the attachments Outlook wraps when it sends "rich text".

Why our own reader: a union office's Outlook still sends these, and the workbook is inside; we need only the
attachments' names and bytes, which is a small, well-specified part of MS-OXTNEF (attribute stream, then the
attachment's MAPI properties for its long name). Everything is bounds-checked; a damaged stream gives the
attachments read so far and a reason, never an exception.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SIGNATURE = 0x223E9F78
LVL_MESSAGE, LVL_ATTACHMENT = 1, 2
ATT_ATTACH_RENDDATA = 0x9002  # starts an attachment
ATT_ATTACH_TITLE = 0x8010  # its short (8.3) name, in the message's code page
ATT_ATTACH_DATA = 0x800F  # its bytes
ATT_ATTACHMENT = 0x9005  # its MAPI properties (the long name)
ATT_OEM_CODEPAGE = 0x9007
PR_ATTACH_LONG_FILENAME = 0x3707
PR_DISPLAY_NAME = 0x3001

_FIXED = {0x0002: 4, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x000B: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8,
          0x0040: 8, 0x0048: 16, 0x0001: 0}
_VARIABLE = (0x001E, 0x001F, 0x0102, 0x000D)


@dataclass
class TnefAttachment:
    name: str = ""
    data: bytes = b""


class TnefError(ValueError):
    """Not a TNEF stream at all."""


def is_tnef(data: bytes) -> bool:
    return len(data) >= 6 and struct.unpack_from("<I", data)[0] == SIGNATURE


def read_tnef(data: bytes) -> tuple[list[TnefAttachment], str]:
    """The attachments of a TNEF stream and, if it is damaged, why reading stopped ("" when whole)."""
    if not is_tnef(data):
        raise TnefError("không phải tệp TNEF (winmail.dat)")
    found: list[TnefAttachment] = []
    codepage = "cp1252"
    pos, end = 6, len(data)
    current: TnefAttachment | None = None
    while pos < end:
        if pos + 9 > end:
            return _done(found), "dữ liệu TNEF bị cắt cụt"
        level, attr, length = struct.unpack_from("<BII", data, pos)
        body_at = pos + 9
        if length > end - body_at - 2:
            return _done(found), "dữ liệu TNEF bị cắt cụt"
        body = data[body_at: body_at + length]
        pos = body_at + length + 2  # the checksum is not checked: a wrong one still leaves readable data
        ident = attr & 0xFFFF
        if level == LVL_MESSAGE and ident == ATT_OEM_CODEPAGE and len(body) >= 4:
            codepage = f"cp{struct.unpack_from('<I', body)[0]}"
        elif level == LVL_ATTACHMENT:
            if ident == ATT_ATTACH_RENDDATA or current is None:
                current = TnefAttachment()
                found.append(current)
            if ident == ATT_ATTACH_TITLE:
                current.name = current.name or _text8(body, codepage)
            elif ident == ATT_ATTACH_DATA:
                current.data = body
            elif ident == ATT_ATTACHMENT:
                long_name = _long_name(body, codepage)
                if long_name:
                    current.name = long_name
    return _done(found), ""


def _done(found: list[TnefAttachment]) -> list[TnefAttachment]:
    return [a for a in found if a.data or a.name]


def _text8(raw: bytes, codepage: str) -> str:
    raw = raw.split(b"\x00", 1)[0]
    for enc in (codepage, "utf-8", "cp1258"):
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


def _long_name(props: bytes, codepage: str) -> str:
    """PR_ATTACH_LONG_FILENAME (else PR_DISPLAY_NAME) from an attAttachment MAPI property list; "" if absent
    or unreadable."""
    try:
        names = _string_props(props, codepage)
    except (struct.error, IndexError, ValueError):
        return ""
    return names.get(PR_ATTACH_LONG_FILENAME) or names.get(PR_DISPLAY_NAME) or ""


def _string_props(b: bytes, codepage: str) -> dict[int, str]:
    out: dict[int, str] = {}
    (count,) = struct.unpack_from("<I", b, 0)
    pos = 4
    for _ in range(min(count, 10_000)):
        ptype, pid = struct.unpack_from("<HH", b, pos)
        pos += 4
        if pid >= 0x8000:  # named property: GUID, kind, then an id or a name
            pos += 16
            (kind,) = struct.unpack_from("<I", b, pos)
            pos += 4
            if kind == 0:
                pos += 4
            else:
                (n,) = struct.unpack_from("<I", b, pos)
                pos += 4 + n + (-n % 4)
        multi = bool(ptype & 0x1000)
        base = ptype & 0x0FFF
        if base in _FIXED and not multi:
            pos += max(4, _FIXED[base]) if base != 0x0001 else 0
            continue
        values = 1
        if multi or base in _VARIABLE:
            (values,) = struct.unpack_from("<I", b, pos)
            pos += 4
        for _v in range(min(values, 10_000)):
            if base in _VARIABLE:
                (n,) = struct.unpack_from("<I", b, pos)
                pos += 4
                raw = b[pos: pos + n]
                if pos + n > len(b):
                    raise ValueError("cut")
                pos += n + (-n % 4)
                if base == 0x001F:
                    out.setdefault(pid, raw.decode("utf-16-le", "replace").rstrip("\x00"))
                elif base == 0x001E:
                    out.setdefault(pid, _text8(raw, codepage))
            elif base in _FIXED:
                pos += _FIXED[base]
            else:
                raise ValueError(f"unknown MAPI type {ptype:#x}")
    return out


def write_tnef(attachments: list[tuple[str, bytes]], *, short_names: bool = True) -> bytes:
    """A minimal TNEF stream holding ``attachments`` (name, bytes): each with its 8.3 title, its data and its
    long name as a Unicode MAPI property, as Outlook writes them. For tests and the sample mailbox."""

    def attr(level: int, ident: int, body: bytes) -> bytes:
        return struct.pack("<BII", level, ident, len(body)) + body + struct.pack("<H", sum(body) & 0xFFFF)

    out = [struct.pack("<IH", SIGNATURE, 0x0001)]
    out.append(attr(LVL_MESSAGE, 0x00089006, b"\x00\x00\x01\x00"))  # attTnefVersion
    out.append(attr(LVL_MESSAGE, 0x00069007, struct.pack("<II", 1252, 0)))  # attOemCodepage
    for name, data in attachments:
        out.append(attr(LVL_ATTACHMENT, 0x00069002, b"\x01\x00\xff\xff\xff\xff" + b"\x00" * 8))
        stem, _, ext = name.rpartition(".")
        short = f"{''.join(c for c in stem if c.isascii() and c.isalnum())[:6].upper()}~1.{ext[:3].upper()}"
        if short_names:
            out.append(attr(LVL_ATTACHMENT, 0x00018010, short.encode("ascii") + b"\x00"))
        out.append(attr(LVL_ATTACHMENT, 0x0006800F, data))
        uname = (name + "\x00").encode("utf-16-le")
        props = struct.pack("<IHHI I", 1, 0x001F, PR_ATTACH_LONG_FILENAME, 1, len(uname)) + uname
        props += b"\x00" * (-len(uname) % 4)
        out.append(attr(LVL_ATTACHMENT, 0x00069005, props))
    return b"".join(out)


__all__ = ["TnefAttachment", "TnefError", "is_tnef", "read_tnef", "write_tnef"]
