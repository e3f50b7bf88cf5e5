"""Zip members as the gate reads them: bounded reads, the prolog of every XML part (its root element
found past whatever junk a lenient parser would skip), and the member facts the container checks share."""

from __future__ import annotations

import re
import zipfile
from typing import IO
from addin.io.gate.limits import Limits, _CHUNK, _refuse, _short_name
from addin.io.gate.sniff import _ARCHIVE_MAGIC
from validators.issues import IssueCode

# A member that is itself an archive: no spreadsheet program nests one (embedded objects aside).
_NESTED_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08") + tuple(_ARCHIVE_MAGIC)
_NESTED_EXT = (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".jar",
               ".xlsx", ".xlsm", ".xlsb", ".xls", ".docx", ".pptx", ".ods", ".odt")






def _norm(name: str) -> str:
    return name.replace("\\", "/")


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    try:
        with zf.open(info) as fh:
            return fh.read(max_bytes)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse(IssueCode.FILE_CORRUPT, detail=_zip_error(info, exc)) from None
    except Exception as exc:  # zlib.error and friends
        raise _refuse(IssueCode.FILE_CORRUPT, detail=_zip_error(info, exc)) from None


def _zip_error(info: zipfile.ZipInfo, exc: BaseException) -> str:
    msg = str(exc).lower()
    where = _short_name(_norm(info.filename))
    if "crc" in msg:
        return f"dữ liệu '{where}' sai mã kiểm tra (CRC)"
    if "differ" in msg or "bad magic" in msg:
        return f"mục lục và dữ liệu '{where}' không khớp"
    return f"không giải nén được '{where}'"


class _Member:
    """One member read incrementally: the peek first, the rest only if the member turns out to need it."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
        self.zf = zf
        self.info = info
        self.name = _norm(info.filename)
        self.key = self.name.casefold()
        self._limits = limits
        self._fh = self._open()
        self.read_total = 0

    def _open(self) -> IO[bytes]:
        try:
            return self.zf.open(self.info)
        except Exception as exc:  # noqa: BLE001 - local header differs from the directory, bad magic...
            raise _refuse(IssueCode.FILE_CORRUPT, detail=_zip_error(self.info, exc)) from None

    def read(self, n: int) -> bytes:
        try:
            data = self._fh.read(n)
        except Exception as exc:  # noqa: BLE001 - CRC, zlib, truncation: all mean damaged data
            raise _refuse(IssueCode.FILE_CORRUPT, detail=_zip_error(self.info, exc)) from None
        self.read_total += len(data)
        if self.read_total > self._limits.max_uncompressed_bytes:
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(self.name)}' giải nén vượt giới hạn")
        return data

    def reopen(self) -> None:
        """Start again from the first byte (a second pass over a member that needs one)."""
        self._fh.close()
        self._fh = self._open()
        self.read_total = 0

    def rest(self, head: bytes) -> bytes:
        """``head`` plus everything not read yet (small members only: tables, shared strings)."""
        parts = [head]
        while chunk := self.read(_CHUNK):
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        self._fh.close()


def _scan_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits,
                  allow_nested: tuple[str, ...], on_member) -> None:
    """Peek every member: nested archives, XML prologs; then ``on_member(member, bytes read, root tag)``."""
    for info in infos:
        if info.is_dir() or info.file_size == 0:
            continue  # nothing to inflate: calamine's zip reader stops at the declared size, as does ours
        m = _Member(zf, info, limits)
        try:
            head = m.read(512)
            if head.startswith(_NESTED_MAGIC) or m.key.endswith(_NESTED_EXT):
                if m.key.startswith(allow_nested):
                    continue  # an embedded object, reported as active content by the caller
                raise _refuse(IssueCode.FILE_UNSAFE, detail=f"chứa tệp nén lồng bên trong '{_short_name(m.name)}'")
            root_tag = None
            if _looks_xml(head) or m.key.endswith((".xml", ".rels", ".vml")):
                head, root_tag = _prolog(m, head, limits)
            on_member(m, head, root_tag)
        finally:
            m.close()


def _looks_xml(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return h.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<")


def _prolog(m: _Member, head: bytes, limits: Limits) -> tuple[bytes, bytes | None]:
    """Read until the root element's start tag; refuse a DTD (or anything but comments and PIs) before it.

    Returns the bytes read so far and the root start tag, or None when no root was found (not XML, or
    text before the first tag: such a member still gets the checks its name calls for).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in head[:4]:
        if m.key.startswith(_READ_PARTS) or m.key in _READ_FILES:
            # Excel, LibreOffice and WPS write these in UTF-8; calamine reads a UTF-16 sheet as empty, and
            # the byte-level checks would not see into it.
            raise _refuse(IssueCode.FILE_UNSUPPORTED, detail=f"phần XML mã hoá UTF-16 '{_short_name(m.name)}'")
        # Other parts may legitimately be UTF-16 (customXml items written by SharePoint): look for a DTD in
        # the decoded prolog, and go no further.
        text = _utf16_text(head + m.read(limits.max_prolog_bytes))
        if _find_root(text.encode("utf-8", "replace"))[0] == "dtd":
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(m.name)}' có khai báo DTD/ENTITY (bom XML)")
        return head, None
    buf = head
    while True:
        state, tag = _find_root(buf)
        if state == "root":
            return buf, tag
        if state == "dtd":
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(m.name)}' có khai báo DTD/ENTITY (bom XML)")
        if state == "not-xml":
            return buf, None
        more = m.read(4096) if len(buf) < limits.max_prolog_bytes else b""
        if not more:
            if len(buf) >= limits.max_prolog_bytes:
                raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(m.name)}' có phần mở đầu XML dài bất thường")
            return buf, None  # ended before any element: the parser will call it damaged
        buf += more


_WS = b" \t\r\n"
# Parts calamine or the reader parse: these must be UTF-8 for the checks to see into them.
_READ_PARTS = ("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/", "xl/tables/", "xl/_rels/")
_READ_FILES = {"xl/workbook.xml", "xl/sharedstrings.xml", "xl/styles.xml", "content.xml", "styles.xml"}


def _utf16_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[: len(data) // 2 * 2].decode("utf-16", "replace")
    little = data[1:2] == b"\x00"
    return data[: len(data) // 2 * 2].decode("utf-16-le" if little else "utf-16-be", "replace")


def _find_root(buf: bytes) -> tuple[str, bytes | None]:
    """Walk the prolog: XML declaration, PIs, comments, whitespace. ``<!`` other than a comment is a DTD."""
    i = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
    n = len(buf)
    while True:
        while i < n and buf[i] in _WS:
            i += 1
        if i + 4 > n:
            return "more", None  # too little to tell "<!--" from "<!DOCTYPE"
        if buf[i] != 0x3C:  # "<"
            return "not-xml", None
        if buf.startswith(b"<?", i):
            j = buf.find(b"?>", i + 2)
            if j < 0:
                return "more", None
            i = j + 2
        elif buf.startswith(b"<!--", i):
            j = buf.find(b"-->", i + 4)
            if j < 0:
                return "more", None
            i = j + 3
        elif buf.startswith(b"<!", i):
            return "dtd", None  # DOCTYPE, ENTITY, ELEMENT, ATTLIST (or CDATA, invalid here anyway)
        else:
            j = _tag_end(buf, i)
            if j < 0:
                return "more", None
            return "root", buf[i:j + 1]


_TAG_REST = re.compile(rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _tag_end(buf: bytes, start: int) -> int:
    """Index of the ">" closing the tag at ``start``, skipping quoted attribute values; -1 if not yet read."""
    m = _TAG_REST.match(buf, start + 1)
    return m.end() - 1 if m else -1


