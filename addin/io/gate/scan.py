"""The gate every returned file passes before any parser touches it.

Files come from hundreds of unions by e-mail and USB stick: expect every mistake and some malice. This
module decides, from the bytes (never from the file name), whether a file is a workbook we may parse and
of which kind, and otherwise gives the one Vietnamese reason it is refused. It never raises for an input.

What it costs: one ``stat``, the zip central directory, the first bytes of every member (the XML prolog),
and a few regular-expression passes over each decompressed worksheet (its cell references). Measured:
~0.7 ms for a 12 KB XlsxWriter workbook, ~1.6 ms for a filled 31 KB CĐCS template (250 KB of sheet XML;
1 ms of it is the worksheet scan). It never decompresses more than the caps below, never expands an entity
and never runs anything in the file.

Why each check exists, measured against python-calamine 0.9.1 (calamine 0.37, the parser behind the
reader) in a child process with a 2 GB address-space limit (tests/test_safety.py can repeat the probe):

* Dense grids: load-bearing. calamine stores a sheet as a dense rows x columns array sized from its
  farthest cells, and an .xls sheet from its DIMENSIONS record. A 5 KB .xlsx with values in A1 and
  XFD1048576 (or ZZZZ2000, or a lowercase xfd1048576), an .xls whose DIMENSIONS record claims 4 billion
  rows or whose cell sits in column 65535, and a shared-strings part declaring ``uniqueCount="4000000000"``
  (reserved up front) each make it request gigabytes to terabytes: the Rust allocator then *aborts the
  whole process* (SIGABRT, no Python exception), killing a district's whole run. A table part whose ``ref``
  is A1:XFD1048576 does the same when the table is read. Hence ``max_sheet_cells`` and
  ``max_shared_strings``. A stray value in R1048576 (a plausible accident) "only" costs 0.8 GB and 2 s.
  calamine's XML reader is lenient (junk, another element or CDATA before the root, prefixed tags, single
  quotes, a repeated ``r`` attribute whose last copy wins): the scan assumes all of that.
* Decompression bombs. A member inflating to 1 GB costs calamine 1 GB of memory (a 1 GB shared string
  aborts it); 20 million compressible cells take 12 s and 1.4 GB. calamine's zip reader stops a member
  at its declared size, so capping the declared total and ratio bounds what it will inflate;
  ``open_member_capped`` caps the reader's own reads independently of what is declared.
* DTDs. calamine does not expand entities (a billion-laughs part is an error, an external entity is not
  fetched), but the reader parses workbook.xml itself and other tools may not be as careful; Excel never
  writes a DTD, so one is refused outright and ``safe_parse`` refuses them again.
* Names, duplicates, overlaps, nested archives, unusual compression, password-protected files: harmless to
  calamine as measured (an error or a clean read), refused because no spreadsheet program writes them,
  because parsers disagree on them (calamine and Python's zipfile read the last of two duplicate members),
  or to give the user a precise Vietnamese reason instead of a parser's error.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator
import xml.etree.ElementTree as _ET
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as _DET
from defusedxml import DefusedXmlException

from addin.io.cells import column_letter
from validators.issues import Issue, make_issue

__all__ = [
    "ACTIVE_CONTENT",
    "Limits",
    "Inspection",
    "RefusedFile",
    "UnsafeFile",
    "CorruptFile",
    "inspect_file",
    "inspect_bytes",
    "open_member_capped",
    "safe_parse",
    "safe_iterparse",
    "xml_parser",
]

MiB = 2**20


@dataclass(frozen=True)
class Limits:
    # A CĐCS workbook is 15–100 KB; 20 MB leaves room for pasted pictures and still refuses junk early.
    max_file_bytes: int = 20 * MiB
    # Sum of declared uncompressed sizes. Real workbooks inflate 5–20x; 200 MB is ten times that on 20 MB.
    max_uncompressed_bytes: int = 200 * MiB
    # An Excel workbook has 10–50 members; LibreOffice adds a few empty folders.
    max_members: int = 2000
    # Per member, uncompressed / compressed. Measured on real sheets: 12–20x (100,000 rows of identical
    # values or borders). Deflate's ceiling is ~1030x; anything above 150x is made to be small on disk.
    max_ratio: float = 150.0
    # ... judged only for members inflating past this: small parts may compress very well and are harmless.
    ratio_floor_bytes: int = 1 * MiB
    # rows x columns of the dense grid a reader would allocate for one sheet or table (32 bytes a cell in
    # calamine, more once in Python). A CĐCS sheet has ~20 columns and a few hundred rows.
    max_sheet_cells: int = 5_000_000
    # Declared count of distinct shared strings (calamine reserves this many up front).
    max_shared_strings: int = 1_000_000
    # How far into an XML member we look for its first element before calling its prolog abnormal. Excel
    # writes ~60 bytes before the root; LibreOffice's content.xml root tag alone is ~3 KB.
    max_prolog_bytes: int = 64 * 1024
    # Cap for one member the reader decompresses itself through ``open_member_capped`` (workbook.xml ...).
    max_part_bytes: int = 16 * MiB


@dataclass(frozen=True)
class Inspection:
    kind: str | None  # "xlsx" (also .xlsm/.xltx), "xls" (BIFF8 in OLE2), "ods"; None when refused
    issue: Issue | None  # the one reason the file is refused, None when it may be parsed
    has_macros: bool = False  # VBA project or Excel 4.0 macro sheets: never run, worth a warning
    # Stable keys of content we ignore but the sender should know about: see ACTIVE_CONTENT.
    active_content: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.issue is None

    def warnings(self) -> list[Issue]:
        """Warnings for an accepted file (macros, links, embedded objects); empty when refused."""
        out: list[Issue] = []
        if self.issue is not None:
            return out
        if self.has_macros:
            what = "LibreOffice Basic" if self.kind == "ods" else "VBA hoặc macro Excel 4.0"
            out.append(make_issue("file-has-macros", detail=what))
        if self.active_content:
            labels = [ACTIVE_CONTENT.get(k, k) for k in self.active_content]
            out.append(make_issue("file-active-content", detail=", ".join(labels)))
        return out


# Keys of Inspection.active_content, with the words a warning uses.
ACTIVE_CONTENT = {
    "external-links": "liên kết tới tệp khác",
    "data-connections": "kết nối dữ liệu ngoài",
    "embedded-objects": "đối tượng nhúng (OLE)",
    "activex": "điều khiển ActiveX",
}


class RefusedFile(Exception):
    """A file (or one of its parts) we will not read; ``issue`` says why, in Vietnamese."""

    code = "file-unreadable"

    def __init__(self, detail: str, **params: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.params = params

    @property
    def issue(self) -> Issue:
        return make_issue(self.code, detail=self.detail, **self.params)


class UnsafeFile(RefusedFile):
    """Content made to hurt a parser: a bomb, a DTD, a hostile name. ``str(exc)`` is the Vietnamese detail."""

    code = "file-unsafe"


class CorruptFile(RefusedFile, ValueError):
    """Damaged or malformed content. A ValueError too, so callers catching ValueError for bad data see it."""

    code = "file-corrupt"


class _Refuse(Exception):
    """Internal: carries a ready Issue out of the inspection."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def _refuse(code: str, **params: Any) -> _Refuse:
    return _Refuse(make_issue(code, **params))


# --------------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------------
def inspect_file(path: str | os.PathLike[str], limits: Limits = Limits()) -> Inspection:
    """Decide whether ``path`` may be parsed, and as what. Never raises for any input."""
    try:
        path = Path(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            return Inspection(None, make_issue("file-not-found"))
        # Before opening: opening a FIFO blocks forever, a device never ends.
        if stat.S_ISDIR(st.st_mode):
            return Inspection(None, make_issue("file-unreadable", detail="đây là một thư mục, không phải tệp"))
        if not stat.S_ISREG(st.st_mode):
            return Inspection(None, make_issue("file-unreadable", detail="không phải tệp thông thường"))
        early = _size_issue(st.st_size, limits)
        if early is not None:
            return Inspection(None, early)
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size  # the file may have changed since stat
            return _inspect_stream(fh, size, limits)
    except Exception as exc:  # noqa: BLE001 - the contract: any input gives an Issue, never a traceback
        return Inspection(None, _unexpected(exc))


def inspect_bytes(data: bytes, limits: Limits = Limits()) -> Inspection:
    """``inspect_file`` for bytes already read: lets a reader check exactly the bytes it then parses."""
    try:
        return _inspect_stream(io.BytesIO(data), len(data), limits)
    except Exception as exc:  # noqa: BLE001
        return Inspection(None, _unexpected(exc))


def _inspect_stream(fh: IO[bytes], size: int, limits: Limits) -> Inspection:
    try:
        early = _size_issue(size, limits)
        if early is not None:
            return Inspection(None, early)
        head = fh.read(4096)
        if not head:
            return Inspection(None, make_issue("file-empty"))
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _inspect_zip(fh, limits)
        if head.startswith(_OLE_MAGIC):
            fh.seek(0)
            return _inspect_ole(fh.read(limits.max_file_bytes + 1), limits)
        raise _sniff_other(head)
    except _Refuse as r:
        return Inspection(None, r.issue)
    except RefusedFile as exc:
        return Inspection(None, exc.issue)
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error):
        # Anything the zip layer raises that the checks above did not name: the file is damaged.
        return Inspection(None, make_issue("file-corrupt", detail="cấu trúc tệp bị hỏng"))


def _size_issue(size: int, limits: Limits) -> Issue | None:
    if size == 0:
        return make_issue("file-empty")
    if size > limits.max_file_bytes:
        return make_issue("file-too-large", detail=_human(size), limit=_human(limits.max_file_bytes))
    return None


def _unexpected(exc: BaseException) -> Issue:
    if isinstance(exc, PermissionError):
        detail = "không có quyền đọc tệp (tệp có thể đang mở trong chương trình khác)"
    elif isinstance(exc, MemoryError):
        detail = "không đủ bộ nhớ"
    elif isinstance(exc, OSError):
        detail = f"lỗi đọc tệp (mã lỗi {exc.errno})" if exc.errno else "lỗi đọc tệp"
    else:
        detail = f"lỗi không mong đợi {type(exc).__name__}"
    return make_issue("file-unreadable", detail=detail)


def _human(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def _short_name(name: str, limit: int = 40) -> str:
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return clean if len(clean) <= limit else "…" + clean[-(limit - 1):]


# --------------------------------------------------------------------------------------------------------
# Not a zip, not OLE2: say what it is when we can tell
# --------------------------------------------------------------------------------------------------------
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ARCHIVE_MAGIC = {
    b"Rar!\x1a\x07": "tệp nén RAR",
    b"7z\xbc\xaf\x27\x1c": "tệp nén 7-Zip",
    b"\x1f\x8b": "tệp nén GZIP",
    b"\xfd7zXZ\x00": "tệp nén XZ",
    b"BZh": "tệp nén BZIP2",
    b"MSCF": "tệp nén CAB",
}
_WRONG_MAGIC = {
    b"%PDF": "tệp PDF",
    b"{\\rtf": "văn bản RTF (Word)",
    b"\x89PNG": "hình ảnh PNG",
    b"\xff\xd8\xff": "hình ảnh JPEG",
    b"GIF8": "hình ảnh GIF",
    b"II*\x00": "hình ảnh TIFF",
    b"MM\x00*": "hình ảnh TIFF",
}


def _sniff_other(head: bytes) -> _Refuse:
    if head.startswith(b"MZ"):
        # A Windows program named like a workbook is not a mistake anyone makes by accident.
        return _refuse("file-unsafe", detail="tệp chương trình (.exe) mang tên bảng tính")
    for magic, what in (*_ARCHIVE_MAGIC.items(), *_WRONG_MAGIC.items()):
        if head.startswith(magic):
            return _refuse("file-wrong-type", detail=what)
    text = _as_text(head)
    if text is not None:
        low = text.lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in low or low.startswith("<workbook"):
            return _refuse("file-unsupported", detail="Bảng tính XML 2003")
        if low.startswith(("<!doctype html", "<html", "<table", "<head", "<meta", "<body", "<style")) or "<html" in low[:1024]:
            # Many programs export "xls" that is really a web page; Excel opens it, so it can re-save it.
            return _refuse("file-unsupported", detail="trang web HTML (đuôi .xls giả)")
        if low.startswith("mime-version:") or "multipart/related" in low[:1024]:
            return _refuse("file-unsupported", detail="trang web một tệp MHTML")
        if low.startswith("<?xml") or low.startswith("<"):
            return _refuse("file-not-workbook")
        return _refuse("file-unsupported", detail="văn bản thuần (CSV/TXT)")
    return _refuse("file-not-workbook")


def _as_text(head: bytes) -> str | None:
    """The head decoded if it is plausibly text (CSV, HTML, XML), else None."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            body = head[2:len(head) - (len(head) % 2)]
            text = body.decode(enc, "replace")
            break
    else:
        if b"\x00" in head:
            return None
        cut = head[:-4] if len(head) == 4096 else head  # a multibyte character may be cut at the end
        try:
            text = cut.decode("utf-8")
        except UnicodeDecodeError:
            text = head.decode("cp1258", "replace")  # legacy Vietnamese Windows text, e.g. an old CSV
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\r\n\f") or c == "\ufffd")
    return text if text and bad <= len(text) // 50 else None


# --------------------------------------------------------------------------------------------------------
# ZIP containers: OOXML and ODF
# --------------------------------------------------------------------------------------------------------
_NESTED_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08") + tuple(_ARCHIVE_MAGIC)
_NESTED_EXT = (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".jar",
               ".xlsx", ".xlsm", ".xlsb", ".xls", ".docx", ".pptx", ".ods", ".odt")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f]")
_ODS_MIME = (b"application/vnd.oasis.opendocument.spreadsheet", b"application/vnd.oasis.opendocument.spreadsheet-template")
_ODF_OTHER = {
    b"application/vnd.oasis.opendocument.text": "văn bản ODT (LibreOffice Writer)",
    b"application/vnd.oasis.opendocument.presentation": "bản trình chiếu ODP (LibreOffice Impress)",
    b"application/vnd.oasis.opendocument.graphics": "bản vẽ ODG (LibreOffice Draw)",
}
_SHEET_ROOTS = {"worksheet", "macrosheet", "dialogsheet"}


def _inspect_zip(fh: IO[bytes], limits: Limits) -> Inspection:
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        msg = str(exc).lower()
        if "not a zip file" in msg or "truncated" in msg:
            raise _refuse("file-corrupt", detail="tệp không trọn vẹn (có thể tải về hoặc sao chép chưa xong)") from None
        raise _refuse("file-corrupt", detail="mục lục tệp nén bị hỏng") from None
    except (ValueError, EOFError, struct.error, NotImplementedError, UnicodeDecodeError, OverflowError):
        raise _refuse("file-corrupt", detail="mục lục tệp nén bị hỏng") from None
    with zf:
        infos = zf.infolist()
        _check_directory(zf, infos, limits)
        by_name = {_norm(i.filename).casefold(): i for i in infos}
        kind = _classify_zip(zf, by_name, limits)
        if kind == "xlsx":
            return _scan_ooxml(zf, infos, by_name, limits)
        return _scan_ods(zf, infos, by_name, limits)


def _norm(name: str) -> str:
    return name.replace("\\", "/")


def _check_directory(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Everything decidable from the central directory alone: no member is decompressed here."""
    if not infos:
        raise _refuse("file-corrupt", detail="tệp nén rỗng")
    if len(infos) > limits.max_members:
        raise _refuse("file-unsafe", detail=f"có {len(infos)} thành phần nén, giới hạn {limits.max_members}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = _norm(info.filename)
        parts = name.split("/")
        if not name or name.startswith("/") or _DRIVE.match(name) or ".." in parts or _CONTROL.search(name):
            raise _refuse("file-unsafe", detail=f"tên thành phần đáng ngờ '{_short_name(info.filename)}'")
        key = name.casefold()  # OPC part names are case-insensitive
        if key in seen:
            raise _refuse("file-unsafe", detail=f"hai thành phần trùng tên '{_short_name(name)}'")
        seen.add(key)
        if info.flag_bits & 0x1:
            # A password on the zip itself: not how Excel protects a file, but the user's fix is the same.
            raise _refuse("file-encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma are never written by Excel or LibreOffice, and Python inflates them without a
            # per-call output bound: refuse rather than trust.
            raise _refuse("file-unsafe", detail=f"kiểu nén lạ (mã {info.compress_type})")
        total += info.file_size
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _refuse("file-unsafe", detail=f"'{_short_name(name)}' nén với tỉ lệ bất thường 1:{ratio:.0f}")
    if total > limits.max_uncompressed_bytes:
        raise _refuse("file-unsafe", detail=f"giải nén ra tới {_human(total)}, giới hạn {_human(limits.max_uncompressed_bytes)}")
    # Members whose data overlap each other or the directory: the trick behind "non-recursive" zip bombs
    # (one compressed block counted many times). A real archive lays members one after another.
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    end_of_data = getattr(zf, "start_dir", None)
    for (start, end), (next_start, _) in zip(spans, spans[1:] + [(end_of_data, 0)]):
        if start < 0 or (next_start is not None and end > next_start):
            raise _refuse("file-unsafe", detail="các thành phần nén chồng lên nhau")


def _classify_zip(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], limits: Limits) -> str:
    if "xl/workbook.xml" in by_name:
        return "xlsx"
    if "xl/workbook.bin" in by_name:
        raise _refuse("file-unsupported", detail="Excel nhị phân (.xlsb)")
    if "mimetype" in by_name:
        mime = _read_capped(zf, by_name["mimetype"], 200).strip()
        if mime in _ODS_MIME:
            return "ods"
        for prefix, what in _ODF_OTHER.items():
            if mime.startswith(prefix):
                raise _refuse("file-wrong-type", detail=what)
    if "word/document.xml" in by_name or any(k.startswith("word/") for k in by_name):
        raise _refuse("file-wrong-type", detail="văn bản Word (.docx)")
    if any(k.startswith("ppt/") for k in by_name):
        raise _refuse("file-wrong-type", detail="bản trình chiếu PowerPoint (.pptx)")
    if "index/document.iwa" in by_name:
        raise _refuse("file-unsupported", detail="bảng tính Apple Numbers")
    if "[content_types].xml" in by_name:
        raise _refuse("file-wrong-type", detail="tài liệu Office không phải bảng tính")
    inner = next((i.filename for i in by_name.values() if i.filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))), None)
    if inner is not None:
        # Very common: the workbook was zipped to be e-mailed. Name it so the user knows what to extract.
        raise _refuse("file-wrong-type", detail=f"tệp nén ZIP chứa '{_short_name(inner.rsplit('/', 1)[-1], 30)}'")
    raise _refuse("file-wrong-type", detail="tệp nén ZIP")


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    try:
        with zf.open(info) as fh:
            return fh.read(max_bytes)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse("file-corrupt", detail=_zip_error(info, exc)) from None
    except Exception as exc:  # zlib.error and friends
        raise _refuse("file-corrupt", detail=_zip_error(info, exc)) from None


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
            raise _refuse("file-corrupt", detail=_zip_error(self.info, exc)) from None

    def read(self, n: int) -> bytes:
        try:
            data = self._fh.read(n)
        except Exception as exc:  # noqa: BLE001 - CRC, zlib, truncation: all mean damaged data
            raise _refuse("file-corrupt", detail=_zip_error(self.info, exc)) from None
        self.read_total += len(data)
        if self.read_total > self._limits.max_uncompressed_bytes:
            raise _refuse("file-unsafe", detail=f"'{_short_name(self.name)}' giải nén vượt giới hạn")
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
                raise _refuse("file-unsafe", detail=f"chứa tệp nén lồng bên trong '{_short_name(m.name)}'")
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
            raise _refuse("file-unsupported", detail=f"phần XML mã hoá UTF-16 '{_short_name(m.name)}'")
        # Other parts may legitimately be UTF-16 (customXml items written by SharePoint): look for a DTD in
        # the decoded prolog, and go no further.
        text = _utf16_text(head + m.read(limits.max_prolog_bytes))
        if _find_root(text.encode("utf-8", "replace"))[0] == "dtd":
            raise _refuse("file-unsafe", detail=f"'{_short_name(m.name)}' có khai báo DTD/ENTITY (bom XML)")
        return head, None
    buf = head
    while True:
        state, tag = _find_root(buf)
        if state == "root":
            return buf, tag
        if state == "dtd":
            raise _refuse("file-unsafe", detail=f"'{_short_name(m.name)}' có khai báo DTD/ENTITY (bom XML)")
        if state == "not-xml":
            return buf, None
        more = m.read(4096) if len(buf) < limits.max_prolog_bytes else b""
        if not more:
            if len(buf) >= limits.max_prolog_bytes:
                raise _refuse("file-unsafe", detail=f"'{_short_name(m.name)}' có phần mở đầu XML dài bất thường")
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


# ---- OOXML ------------------------------------------------------------------------------------------------
# Where calamine looks: sheets under these folders (it derives the sheet type from the folder), shared
# strings at one fixed path. A part is also checked when its root element says what it is. Names rather
# than roots decide first because calamine's XML reader is lenient: text, NUL bytes or another element
# before the real root do not stop it (measured), so a root we cannot see must not skip a check.
_SHEET_DIRS = ("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/")
_SHARED_STRINGS = "xl/sharedstrings.xml"
_TABLE_DIR = "xl/tables/"


def _scan_ooxml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], by_name: dict[str, zipfile.ZipInfo],
                limits: Limits) -> Inspection:
    keys = list(by_name)
    has_macros = "xl/vbaproject.bin" in by_name or any(k.startswith("xl/macrosheets/") for k in keys)
    active: list[str] = []
    if any(k.startswith("xl/externallinks/") for k in keys):
        active.append("external-links")
    if "xl/connections.xml" in by_name:
        active.append("data-connections")
    if any(k.startswith("xl/embeddings/") for k in keys):
        active.append("embedded-objects")
    if any(k.startswith("xl/activex/") for k in keys):
        active.append("activex")
    found_macro_root = False

    def on_member(m: _Member, head: bytes, tag: bytes | None) -> None:
        nonlocal found_macro_root
        root = _local_name(tag) if tag else ""
        if root in _SHEET_ROOTS or m.key.startswith(_SHEET_DIRS):
            found_macro_root = found_macro_root or root == "macrosheet"
            _check_sheet_extent(m, head, limits)
        elif root == "sst" or m.key == _SHARED_STRINGS:
            _check_shared_strings(m, head, limits)
        elif root == "table" or m.key.startswith(_TABLE_DIR):
            _check_table(m, head, limits)

    _scan_members(zf, infos, limits, ("xl/embeddings/",), on_member)
    return Inspection("xlsx", None, has_macros=has_macros or found_macro_root, active_content=active)


def _local_name(tag: bytes) -> str:
    m = re.match(rb"<([^\s/>]+)", tag)
    name = m.group(1) if m else b""
    return name.rsplit(b":", 1)[-1].decode("ascii", "replace")


def _attr_values(data: bytes, name: bytes) -> list[bytes]:
    """Every value of attribute ``name`` anywhere in ``data`` (context-free, like the references below).

    The name comes first in the pattern so the search runs at C speed; whether the character before it
    ends another name (``xuniqueCount``) is checked on the few matches only.
    """
    pattern = re.compile(re.escape(name) + rb"""\s*=\s*["']([^"'<>]*)""")
    return [m.group(1) for m in pattern.finditer(data) if m.start() == 0 or data[m.start() - 1:m.start()] not in _NAME_BYTES]


_NAME_BYTES = {bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-"}


def _check_shared_strings(m: _Member, head: bytes, limits: Limits) -> None:
    # Each string takes at least "<si/>" (5 bytes): a count the part cannot hold is a lie told to make a
    # parser reserve memory (calamine aborts on uniqueCount="4000000000"). The whole part is searched: a
    # lenient parser would still find an <sst> placed after some junk.
    for raw in _attr_values(m.rest(head), b"uniqueCount"):
        try:
            declared = int(raw)
        except ValueError:
            raise _refuse("file-corrupt", detail="bảng chuỗi ký tự khai báo số lượng sai") from None
        if declared > limits.max_shared_strings or declared > m.info.file_size // 5 + 16:
            raise _refuse("file-unsafe", detail=f"bảng chuỗi ký tự khai báo {_num(declared)} chuỗi, bất thường")


def _check_table(m: _Member, head: bytes, limits: Limits) -> None:
    """A table's ``ref`` sizes the grid calamine allocates when the table is read (A1:XFD1048576 aborts it)."""
    data = m.rest(head)
    for raw in _attr_values(data, b"ref"):
        text = raw.decode("ascii", "replace")
        corners = [_parse_cell(p) for p in text.split(":")]
        if len(corners) != 2 or None in corners:
            continue
        (r1, c1), (r2, c2) = corners  # type: ignore[misc]
        cells = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
        if cells > limits.max_sheet_cells:
            names = _attr_values(data, b"displayName") or _attr_values(data, b"name") or [b""]
            name = names[0].decode("utf-8", "replace")
            raise _refuse("file-sheet-too-large", detail=f"của bảng '{_short_name(name, 30)}' ({_short_name(text, 30)})",
                          value=_num(cells), limit=_num(limits.max_sheet_cells))


_CELL = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")


def _parse_cell(ref: str) -> tuple[int, int] | None:
    m = _CELL.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), _col_index(m.group(1).encode())


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese thousands separator


# How a sheet's extent is found, cheapest first. Every spreadsheet program opens a cell as <c r="B7" ...>
# and a row as <row r="7" ...>, the reference first and once. The strict pass only looks for tags that
# are NOT like that with a near reference (one column letter, at most five row digits): when there are
# none, the grid is at most 99,999 x 26 cells and nothing else needs reading. calamine also reads a tag
# with a prefix (<x:c>), without a reference (next column / next row), with a repeated r (the last one
# wins), with spaces or single quotes: all of these fail the pattern and get a closer look.
# Possessive quantifiers (no backtracking) match exactly the same here, since what follows each one can never
# be part of it (a quote, "=", a space or ">"), and save a third of the scan.
_ATTRS_OK = rb"""(?: (?!r=)[A-Za-z_][\w:.-]*+="[^"<]*+")*+ ?/?>"""
_ODD_C = re.compile(rb'<c(?![\w.:-]| r="[A-Z]\d{1,5}+"' + _ATTRS_OK + rb")")
_ODD_ROW = re.compile(rb'<row(?![\w.:-]| r="\d{1,5}+"' + _ATTRS_OK + rb")")
_PREFIXED = re.compile(rb":(?:c|row)(?![\w.:-])")  # <x:c ...>; also hits some text: a closer look, no harm
_FAST_BOUND = 99_999 * 26
# Second pass, for a sheet with far cells but ordinary tags: the same patterns allowing any reference.
_ODD_C_ANY = re.compile(rb'<c(?![\w.:-]| r="[A-Z]{1,3}+\d{1,7}+"' + _ATTRS_OK + rb")")
_ODD_ROW_ANY = re.compile(rb'<row(?![\w.:-]| r="\d{1,7}+"' + _ATTRS_OK + rb")")
_FAR_COLS = re.compile(rb'<c r="([A-Z]{2,3})\d')
_FAR_ROWS = re.compile(rb'<(?:c r="[A-Z]{1,3}|row r=")(\d{6,7})"')
_ALL_COLS = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ALL_ROWS = re.compile(rb'<(?:c r="[A-Z]{1,3}|row r=")(\d{1,7})"')
# Last resort: every <c>/<row> start tag, quotes respected, replayed the way calamine places cells.
_TAG = re.compile(rb"""<(?:[^\s<>/:="']+:)?(c|row)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Za-z]{1,8})(\d{1,12})")
# Any r attribute anywhere (inside another value, a comment, CDATA): counted too by the last resort.
_REF_ANY = re.compile(rb"""(?<![\w.:-])r\s*=\s*["']([A-Za-z]{0,8})(\d{0,12})["']""")
_CHUNK = 1 * MiB


def _blocks(m: _Member, first: bytes) -> Iterator[bytes]:
    """The member in blocks of about ``_CHUNK``, each cut after a ">" so a tag rarely straddles two
    (a ">" inside an attribute value can cut one: the cut tag then fails the patterns, conservatively)."""
    tail, data = b"", first
    while True:
        buf = tail + data
        if data:
            cut = buf.rfind(b">") + 1
            block, tail = buf[:cut], buf[cut:]
            if len(tail) > _CHUNK:
                raise _refuse("file-unsafe", detail=f"'{_short_name(m.name)}' có đoạn XML dài bất thường")
        else:
            block, tail = buf, b""
        if block:
            yield block
        if not data:
            return
        data = m.read(_CHUNK)


def _check_sheet_extent(m: _Member, head: bytes, limits: Limits) -> None:
    """Refuse a sheet whose farthest cell makes the dense grid larger than ``max_sheet_cells``.

    calamine sizes a sheet's grid from its farthest cells; one value in XFD1048576 asks for 17 billion
    cells and kills the process. Formatting-only cells count too: conservative, and Excel stores whole-row
    and whole-column formatting elsewhere.
    """
    cap = limits.max_sheet_cells
    if _FAST_BOUND <= cap and not any(
        _ODD_C.search(b) or _ODD_ROW.search(b) or _PREFIXED.search(b) for b in _blocks(m, head)
    ):
        return
    m.reopen()
    extent = _canonical_extent(m, cap)
    if extent is None:
        m.reopen()
        extent = _replay_extent(m, cap)
    max_row, max_col = extent
    cells = max_row * max_col
    if cells > cap:
        far_ref = f"{column_letter(max_col)}{max_row}"
        sheet = _sheet_name_for(m.zf, m.name)
        where = f"trang '{_short_name(sheet, 30)}' tới ô {far_ref}" if sheet else f"'{_short_name(m.name)}' tới ô {far_ref}"
        in_grid = max_col <= 16384 and max_row <= 1048576
        raise _refuse("file-sheet-too-large", detail=where, sheet=sheet, cell=far_ref if in_grid else None,
                      value=_num(cells), limit=_num(cap))


def _canonical_extent(m: _Member, cap: int) -> tuple[int, int] | None:
    """(rows, columns) of a sheet whose tags are all ordinary; None if one is not."""
    cols: set[bytes] = set()
    rows: set[bytes] = set()
    for block in _blocks(m, m.read(_CHUNK)):
        if _ODD_C_ANY.search(block) or _ODD_ROW_ANY.search(block) or _PREFIXED.search(block):
            return None
        cols.update(_FAR_COLS.findall(block))
        rows.update(_FAR_ROWS.findall(block))
    max_col = max(map(_col_index, cols)) if cols else 26
    max_row = max(map(int, rows)) if rows else 99_999
    if max_row * max_col > cap and not (cols and rows):
        # One side is only bounded: measure it before refusing (1,000,000 rows of A..R is not A..Z).
        m.reopen()
        all_cols: set[bytes] = set()
        all_rows: set[bytes] = set()
        for block in _blocks(m, m.read(_CHUNK)):
            if not cols:
                all_cols.update(_ALL_COLS.findall(block))
            if not rows:
                all_rows.update(_ALL_ROWS.findall(block))
        if not cols:
            max_col = max(map(_col_index, all_cols), default=0)
        if not rows:
            max_row = max(map(int, all_rows), default=0)
    return max_row, max_col


def _replay_extent(m: _Member, cap: int) -> tuple[int, int]:
    """Rows and columns as calamine would place them: a reference sets the position, its absence moves to
    the next row or column. Python per tag, so slow, but only for files from unusual producers."""
    row = col = max_row = max_col = 0
    for block in _blocks(m, m.read(_CHUNK)):
        for kind, attrs in _TAG.findall(block):
            refs = [v1 or v2 for name, v1, v2 in _ATTR.findall(attrs) if name == b"r"]  # unprefixed only
            if kind == b"row":
                numbers = [int(r) for r in refs if r.isdigit()]
                row = max(numbers) if numbers else row + 1
                col = 0
            else:
                cells = [c for c in (_CELL_REF.fullmatch(r) for r in refs) if c]
                if cells:
                    col = max(_col_index(c.group(1)) for c in cells)
                    max_row = max([max_row] + [int(c.group(2)) for c in cells])
                else:
                    col += 1
            max_row, max_col = max(max_row, row), max(max_col, col)
        # References in other places (a comment, CDATA, another attribute's value) are not cells, but a
        # lenient parser might disagree: count them too.
        for letters, digits in _REF_ANY.findall(block):
            if letters:
                max_col = max(max_col, _col_index(letters))
            if digits:
                max_row = max(max_row, int(digits))
        if max_row * max_col > cap:
            break  # refused anyway: no need to read the rest of a hostile sheet
    return max_row, max_col


def _sheet_name_for(zf: zipfile.ZipFile, part: str) -> str | None:
    """The sheet name a worksheet part is shown under; only on the refusal path, best effort."""
    try:
        rels = safe_parse(open_member_capped(zf, "xl/_rels/workbook.xml.rels", 1 * MiB))
        target_id = None
        for rel in rels:
            target = (rel.get("Target") or "").lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            if target.casefold() == part.casefold():
                target_id = rel.get("Id")
        if target_id is None:
            return None
        wb = safe_parse(open_member_capped(zf, "xl/workbook.xml", 4 * MiB))
        for el in wb.iter():
            if el.tag.endswith("}sheet"):
                for key, value in el.attrib.items():
                    if key.endswith("}id") and value == target_id:
                        return el.get("name")
    except Exception:  # noqa: BLE001 - only used to make a message nicer
        return None
    return None


# ---- ODF --------------------------------------------------------------------------------------------------
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _scan_ods(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], by_name: dict[str, zipfile.ZipInfo],
              limits: Limits) -> Inspection:
    manifest = by_name.get("meta-inf/manifest.xml")
    if manifest is not None and b"encryption-data" in _read_capped(zf, manifest, 4 * MiB):
        raise _refuse("file-encrypted")
    has_macros = any(k.startswith(("basic/", "scripts/")) for k in by_name)
    active = ["embedded-objects"] if any(k.startswith("object ") for k in by_name) else []

    def on_member(m: _Member, head: bytes, tag: bytes | None) -> None:
        if m.key == "content.xml":
            _check_ods_extent(m, head, limits)

    _scan_members(zf, infos, limits, (), on_member)
    return Inspection("ods", None, has_macros=has_macros, active_content=active)


def _check_ods_extent(m: _Member, head: bytes, limits: Limits) -> None:
    """ODS repeats rows and cells by attribute (number-rows-repeated="1048576"): compute each table's grid.

    LibreOffice writes huge repeats of *empty* cells to fill the sheet; like calamine, only repeats that
    carry a value or text count. Parsed with expat, no DTD allowed (the prolog check already refused one).
    """
    import xml.parsers.expat as expat

    p = expat.ParserCreate(namespace_separator=" ")
    st: dict[str, Any] = {"table": None, "row": 0, "max_row": 0, "max_col": 0, "col": 0, "row_max": 0,
                          "rrep": 1, "crep": 1, "cell": False, "content": False, "depth": 0}
    t_table, t_row = f"{_TABLE_NS} table", f"{_TABLE_NS} table-row"
    t_cells = (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell")
    a_rrep, a_crep = f"{_TABLE_NS} number-rows-repeated", f"{_TABLE_NS} number-columns-repeated"
    a_vtype, a_name = f"{_OFFICE_NS} value-type", f"{_TABLE_NS} name"

    def rep(attrs: dict, key: str) -> int:
        try:
            return max(1, int(attrs.get(key, "1")))
        except ValueError:
            raise _refuse("file-corrupt", detail="'content.xml' có số lặp không hợp lệ") from None

    def start(name: str, attrs: dict) -> None:
        if st["cell"]:
            st["content"] = True  # any child (text:p, annotation...) makes the cell non-empty
            st["depth"] += 1
            return
        if name == t_table:
            st.update(table=attrs.get(a_name, ""), row=0, max_row=0, max_col=0)
        elif name == t_row:
            st.update(rrep=rep(attrs, a_rrep), col=0, row_max=0)
        elif name in t_cells:
            st.update(cell=True, crep=rep(attrs, a_crep), content=a_vtype in attrs, depth=0)

    def end(name: str) -> None:
        if st["cell"]:
            if st["depth"]:
                st["depth"] -= 1
                return
            if st["content"]:
                st["row_max"] = st["col"] + st["crep"]
            st["col"] += st["crep"]
            st["cell"] = False
        elif name == t_row:
            if st["row_max"]:
                st["max_row"] = st["row"] + st["rrep"]
                st["max_col"] = max(st["max_col"], st["row_max"])
            st["row"] += st["rrep"]
        elif name == t_table:
            cells = st["max_row"] * st["max_col"]
            if cells > limits.max_sheet_cells:
                far = f"{column_letter(st['max_col'])}{st['max_row']}"
                raise _refuse("file-sheet-too-large", detail=f"trang '{_short_name(st['table'], 30)}' tới ô {far}",
                              sheet=st["table"], value=_num(cells), limit=_num(limits.max_sheet_cells))

    def no_dtd(*_a: Any) -> None:
        raise _refuse("file-unsafe", detail="'content.xml' có khai báo DTD/ENTITY (bom XML)")

    p.StartElementHandler, p.EndElementHandler = start, end
    p.StartDoctypeDeclHandler = p.EntityDeclHandler = no_dtd
    p.ExternalEntityRefHandler = no_dtd
    data = head
    try:
        while data:
            p.Parse(data, False)
            data = m.read(_CHUNK)
        p.Parse(b"", True)
    except expat.ExpatError:
        raise _refuse("file-corrupt", detail="'content.xml' không phải XML hợp lệ") from None


# --------------------------------------------------------------------------------------------------------
# OLE2 (Compound File): .xls, and the container of a password-protected OOXML file
# --------------------------------------------------------------------------------------------------------
_BIFF_BOF, _BIFF_EOF, _FILEPASS, _BOUNDSHEET, _SUPBOOK, _DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x01AE, 0x0200
_SST = 0x00FC
# Records holding one cell value at (row u16, col u16). BLANK/MULBLANK (formatting only) are left out:
# calamine ignores them, as measured, and LibreOffice writes them for every formatted empty cell.
_CELL_RECORDS = {0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
_MULRK = 0x00BD


def _inspect_ole(data: bytes, limits: Limits) -> Inspection:
    try:
        import olefile  # comes with oletools; imported here so runs without .xls files do not pay for it
    except ImportError:
        raise _refuse("file-unreadable", detail="thiếu thư viện olefile để kiểm tra tệp .xls") from None

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises many types for a damaged container
        raise _refuse("file-corrupt", detail="cấu trúc tệp .xls bị hỏng") from None
    try:
        entries = {"/".join(p).casefold(): p for p in ole.listdir(streams=True, storages=True)}
        top = {p[0].casefold() for p in entries.values()}
        if "encryptedpackage" in top or "encryptioninfo" in top or any("drmencrypted" in k for k in entries):
            raise _refuse("file-encrypted")  # a password-protected .xlsx/.docx is an OLE2 envelope
        if "workbook" not in top:
            if "book" in top:
                raise _refuse("file-unsupported", detail="Excel 5.0/95 (.xls rất cũ)")
            if "worddocument" in top:
                raise _refuse("file-wrong-type", detail="văn bản Word (.doc)")
            if "powerpoint document" in top:
                raise _refuse("file-wrong-type", detail="bản trình chiếu PowerPoint (.ppt)")
            if any(k.startswith("__substg1.0_") for k in top):
                raise _refuse("file-wrong-type", detail="thư Outlook (.msg)")
            raise _refuse("file-not-workbook")
        stream_name = entries["workbook"]
        if ole.get_size(stream_name) > limits.max_file_bytes:
            raise _refuse("file-corrupt", detail="cấu trúc tệp .xls bị hỏng")
        stream = ole.openstream(stream_name).read()
        has_macros = "_vba_project_cur" in top
        active: list[str] = []
        if any(k.startswith("mbd") for k in top):
            active.append("embedded-objects")
        if "ctls" in top:
            active.append("activex")
    except _Refuse:
        raise
    except Exception:  # noqa: BLE001
        raise _refuse("file-corrupt", detail="cấu trúc tệp .xls bị hỏng") from None
    finally:
        ole.close()
    xlm, external = _check_biff(stream, limits)
    if external:
        active.insert(0, "external-links")
    return Inspection("xls", None, has_macros=has_macros or xlm, active_content=active)


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, int, int]]:
    """(type, data offset, data length) from ``pos`` to the end of the stream."""
    n = len(stream)
    while pos + 4 <= n:
        rtype, size = struct.unpack_from("<HH", stream, pos)
        yield rtype, pos + 4, min(size, n - pos - 4)
        pos += 4 + size


def _check_biff(stream: bytes, limits: Limits) -> tuple[bool, bool]:
    """FILEPASS, BIFF version, shared strings, macro sheets, external workbooks, and each sheet's grid.
    Returns (has XLM macro sheets, has external links)."""
    if len(stream) < 8 or struct.unpack_from("<H", stream, 0)[0] != _BIFF_BOF:
        raise _refuse("file-corrupt", detail="luồng dữ liệu .xls không bắt đầu bằng BOF")
    version = struct.unpack_from("<H", stream, 4)[0]
    if version != 0x0600:
        raise _refuse("file-unsupported", detail="Excel 5.0/95 (.xls rất cũ)")
    sheets: list[tuple[int, str]] = []
    xlm = external = False
    for rtype, off, size in _records(stream, 0):
        if rtype == _FILEPASS:
            # Also written when only "protect workbook structure" is set (default password VelvetSweatshop):
            # calamine cannot read either (XOR obfuscation it would even read as garbage), and the user's
            # fix is the same.
            raise _refuse("file-encrypted")
        if rtype == _BOUNDSHEET and size >= 8:
            pos, _hidden, dt, cch, high = struct.unpack_from("<IBBBB", stream, off)
            raw = stream[off + 8: off + 8 + (cch * 2 if high & 1 else cch)]
            name = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace").replace("\0", "")
            sheets.append((pos, name))
            xlm = xlm or dt == 0x01
        elif rtype == _SST and size >= 8:
            # calamine reserves cstUnique strings up front (and panics on a negative count); each string
            # takes at least 3 bytes of the stream.
            unique = struct.unpack_from("<i", stream, off + 4)[0]
            if unique < 0 or unique > limits.max_shared_strings or unique > len(stream) // 3:
                raise _refuse("file-unsafe", detail=f"bảng chuỗi ký tự khai báo {_num(unique)} chuỗi, bất thường")
        elif rtype == _SUPBOOK and size >= 4:
            cch = struct.unpack_from("<H", stream, off + 2)[0]
            external = external or cch not in (0x0401, 0x3A01)  # self-reference / add-in functions
        elif rtype == _BIFF_EOF:
            break
    # calamine reads every sheet (charts and macro sheets too) at open, from where its BOUNDSHEET record
    # points. A forged file could point many records into one long substream, so the work is budgeted
    # (a real file reads each record once).
    budget = [len(stream) // 2 + 1024]
    seen: set[int] = set()
    for pos, name in sheets:
        if pos not in seen:
            seen.add(pos)
            _check_biff_sheet(stream, pos, name, limits, budget)
    return xlm, external


def _check_biff_sheet(stream: bytes, pos: int, name: str, limits: Limits, budget: list[int]) -> None:
    if pos + 4 > len(stream) or struct.unpack_from("<H", stream, pos)[0] != _BIFF_BOF:
        # calamine would slice the stream at this offset: past its end it panics.
        raise _refuse("file-corrupt", detail=f"không tìm thấy trang '{_short_name(name, 30)}' trong tệp .xls")
    depth = 0
    rows = cols = 0  # from the cells: calamine's grid
    reserved = 0  # from DIMENSIONS records: what calamine reserves before reading any cell
    forged = False
    far_rows = far_cols = 0
    for rtype, off, size in _records(stream, pos):
        budget[0] -= 1
        if budget[0] < 0:
            raise _refuse("file-unsafe", detail="cấu trúc trang tính .xls bất thường")
        if rtype == _BIFF_BOF:
            depth += 1
        elif rtype == _BIFF_EOF:
            depth -= 1
            if depth <= 0:
                break
        # Records of embedded chart substreams count too: calamine reads up to the first EOF, whatever
        # its depth; reading to the matching EOF covers both readings.
        elif rtype == _DIMENSIONS and size in (10, 14):
            if size == 14:
                rf, rl, cf, cl = struct.unpack_from("<IIHH", stream, off)
            else:
                rf, rl, cf, cl = struct.unpack_from("<HHHH", stream, off)
            if rl >= 1 and cl >= 1:
                # As calamine computes it: (last - first + 1) in 32-bit arithmetic, so first > last wraps.
                n_rows, n_cols = (rl - 1 - rf + 1) % 2**32, (cl - 1 - cf + 1) % 2**32
            else:
                n_rows = n_cols = 1
            reserved = max(reserved, n_rows * n_cols)
            forged = forged or rf > rl or cf > cl or rl > 65536 or cl > 256
            far_rows, far_cols = max(far_rows, rl), max(far_cols, cl)
        elif rtype in _CELL_RECORDS and size >= 4:
            r, c = struct.unpack_from("<HH", stream, off)
            rows, cols = max(rows, r + 1), max(cols, c + 1)
        elif rtype == _MULRK and size >= 6:
            r = struct.unpack_from("<H", stream, off)[0]
            c_last = struct.unpack_from("<H", stream, off + size - 2)[0]
            rows, cols = max(rows, r + 1), max(cols, c_last + 1)
    cap = limits.max_sheet_cells
    if reserved > cap and forged:
        raise _refuse("file-unsafe", detail=f"trang '{_short_name(name, 30)}' khai báo kích thước bất thường")
    if cols > 256:
        raise _refuse("file-unsafe", detail=f"trang '{_short_name(name, 30)}' có ô ngoài lưới của .xls")
    if reserved > cap and reserved >= rows * cols:
        rows, cols = far_rows, far_cols
    if max(reserved, rows * cols) > cap:
        far = f"{column_letter(cols)}{rows}"
        raise _refuse("file-sheet-too-large", detail=f"trang '{_short_name(name, 30)}' tới ô {far}", sheet=name,
                      cell=far, value=_num(max(reserved, rows * cols)), limit=_num(cap))


# --------------------------------------------------------------------------------------------------------
# For the reader: capped member reads and XML parsing without DTDs
# --------------------------------------------------------------------------------------------------------
def open_member_capped(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, max_bytes: int) -> bytes:
    """The member's bytes, streamed; ``UnsafeFile`` as soon as it inflates past ``max_bytes``.

    Declared sizes can lie: this counts what actually comes out. A missing or damaged member raises
    ``CorruptFile`` (a ValueError), so callers never see zipfile's or zlib's own exceptions.
    """
    label = _short_name(_norm(name.filename if isinstance(name, zipfile.ZipInfo) else name))
    try:
        info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    except KeyError:
        raise CorruptFile(f"thiếu phần '{label}'") from None
    if info.file_size > max_bytes:
        raise UnsafeFile(f"'{label}' khai báo {_human(info.file_size)}, giới hạn {_human(max_bytes)}")
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(min(64 * 1024, max_bytes + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise UnsafeFile(f"'{label}' giải nén vượt {_human(max_bytes)}")
                chunks.append(chunk)
    except RefusedFile:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile (CRC), zlib.error, EOFError...
        raise CorruptFile(_zip_error(info, exc)) from None
    return b"".join(chunks)


def xml_parser() -> _DET.DefusedXMLParser:
    """An ElementTree parser refusing DTDs, entity declarations and external references."""
    return _DET.DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)


def safe_parse(data: bytes) -> Element:
    """Parse one XML part. ``UnsafeFile`` for a DTD/entity/external reference, ``CorruptFile`` if malformed."""
    state, _ = _find_root(data)
    if state == "dtd":
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)")
    if state == "root":
        # The prolog walked up to the root element holds no DTD, and XML allows one nowhere else: no entity
        # can be declared, so expat (C, a quarter of defusedxml's pure-Python parser's time) expands none
        # and refuses any reference but the five predefined ones as malformed.
        try:
            return _ET.fromstring(data)
        except ParseError as exc:
            raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None
    try:
        return _DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)") from None
    except ParseError as exc:
        raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None


def safe_iterparse(source: IO[bytes], events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Element]]:
    """Streaming parse of a large part (e.g. a sheet), same refusals as ``safe_parse``."""
    try:
        yield from _DET.iterparse(source, events, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)") from None
    except ParseError as exc:
        raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None
