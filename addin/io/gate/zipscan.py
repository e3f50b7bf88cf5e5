"""The zip container: central directory checks (names, duplicates, overlaps, caps, ratios) and the scan of every member's prolog before any parser inflates it; OOXML and ODF parts are then judged by ``ooxml`` and ``ods``."""

from __future__ import annotations

import re
import struct
import zipfile
from typing import IO
from addin.io.gate.limits import Inspection, Limits, _Refuse, _human, _refuse, _short_name
from addin.io.gate.members import _norm, _read_capped
from addin.io.gate.ods import _scan_ods
from addin.io.gate.ooxml import _scan_ooxml
from validators.issues import Issue, IssueCode




# --------------------------------------------------------------------------------------------------------
# ZIP containers: OOXML and ODF
# --------------------------------------------------------------------------------------------------------
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f]")
_ODS_MIME = (b"application/vnd.oasis.opendocument.spreadsheet", b"application/vnd.oasis.opendocument.spreadsheet-template")
_ODF_OTHER = {
    b"application/vnd.oasis.opendocument.text": "văn bản ODT (LibreOffice Writer)",
    b"application/vnd.oasis.opendocument.presentation": "bản trình chiếu ODP (LibreOffice Impress)",
    b"application/vnd.oasis.opendocument.graphics": "bản vẽ ODG (LibreOffice Draw)",
}


def _inspect_zip(fh: IO[bytes], limits: Limits, sheets_on_demand: bool = False) -> Inspection:
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        msg = str(exc).lower()
        if "not a zip file" in msg or "truncated" in msg:
            raise _refuse(IssueCode.FILE_CORRUPT, detail="tệp không trọn vẹn (có thể tải về hoặc sao chép chưa xong)") from None
        raise _refuse(IssueCode.FILE_CORRUPT, detail="mục lục tệp nén bị hỏng") from None
    except (ValueError, EOFError, struct.error, NotImplementedError, UnicodeDecodeError, OverflowError):
        raise _refuse(IssueCode.FILE_CORRUPT, detail="mục lục tệp nén bị hỏng") from None
    with zf:
        infos = zf.infolist()
        _check_directory(zf, infos, limits)
        by_name = {_norm(i.filename).casefold(): i for i in infos}
        kind = _classify_zip(zf, by_name, limits)
        if kind == "xlsx":
            return _scan_ooxml(zf, infos, by_name, limits, sheets_on_demand)
        return _scan_ods(zf, infos, by_name, limits)


def _check_directory(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Everything decidable from the central directory alone: no member is decompressed here."""
    if not infos:
        raise _refuse(IssueCode.FILE_CORRUPT, detail="tệp nén rỗng")
    if len(infos) > limits.max_members:
        raise _refuse(IssueCode.FILE_UNSAFE, detail=f"có {len(infos)} thành phần nén, giới hạn {limits.max_members}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = _norm(info.filename)
        parts = name.split("/")
        if not name or name.startswith("/") or _DRIVE.match(name) or ".." in parts or _CONTROL.search(name):
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"tên thành phần đáng ngờ '{_short_name(info.filename)}'")
        key = name.casefold()  # OPC part names are case-insensitive
        if key in seen:
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"hai thành phần trùng tên '{_short_name(name)}'")
        seen.add(key)
        if info.flag_bits & 0x1:
            # A password on the zip itself: not how Excel protects a file, but the user's fix is the same.
            raise _refuse(IssueCode.FILE_ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma are never written by Excel or LibreOffice, and Python inflates them without a
            # per-call output bound: refuse rather than trust.
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"kiểu nén lạ (mã {info.compress_type})")
        total += info.file_size
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(name)}' nén với tỉ lệ bất thường 1:{ratio:.0f}")
    if total > limits.max_uncompressed_bytes:
        raise _refuse(IssueCode.FILE_UNSAFE, detail=f"giải nén ra tới {_human(total)}, giới hạn {_human(limits.max_uncompressed_bytes)}")
    # Members whose data overlap each other or the directory: the trick behind "non-recursive" zip bombs
    # (one compressed block counted many times). A real archive lays members one after another.
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    end_of_data = getattr(zf, "start_dir", None)
    for (start, end), (next_start, _) in zip(spans, spans[1:] + [(end_of_data, 0)]):
        if start < 0 or (next_start is not None and end > next_start):
            raise _refuse(IssueCode.FILE_UNSAFE, detail="các thành phần nén chồng lên nhau")


def _classify_zip(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], limits: Limits) -> str:
    if "xl/workbook.xml" in by_name:
        return "xlsx"
    if "xl/workbook.bin" in by_name:
        raise _refuse(IssueCode.FILE_UNSUPPORTED, detail="Excel nhị phân (.xlsb)")
    if "mimetype" in by_name:
        mime = _read_capped(zf, by_name["mimetype"], 200).strip()
        if mime in _ODS_MIME:
            return "ods"
        for prefix, what in _ODF_OTHER.items():
            if mime.startswith(prefix):
                raise _refuse(IssueCode.FILE_WRONG_TYPE, detail=what)
    if "word/document.xml" in by_name or any(k.startswith("word/") for k in by_name):
        raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="văn bản Word (.docx)")
    if any(k.startswith("ppt/") for k in by_name):
        raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="bản trình chiếu PowerPoint (.pptx)")
    if "index/document.iwa" in by_name:
        raise _refuse(IssueCode.FILE_UNSUPPORTED, detail="bảng tính Apple Numbers")
    if "[content_types].xml" in by_name:
        raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="tài liệu Office không phải bảng tính")
    inner = next((i.filename for i in by_name.values() if i.filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))), None)
    if inner is not None:
        # Very common: the workbook was zipped to be e-mailed. Name it so the user knows what to extract.
        raise _refuse(IssueCode.FILE_WRONG_TYPE, detail=f"tệp nén ZIP chứa '{_short_name(inner.rsplit('/', 1)[-1], 30)}'")
    raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="tệp nén ZIP")




def archive_refusal(zf: zipfile.ZipFile, limits: Limits = Limits()) -> Issue | None:
    """The gate's container checks for a zip that is not a workbook (an archive attached to an e-mail) before
    any member is extracted: names (no absolute path, no ``..``, no drive), duplicates, member count,
    compression kinds, ratios, total size, overlapping members. None when its members may be read."""
    try:
        _check_directory(zf, zf.infolist(), limits)
    except _Refuse as refused:
        return refused.issue
    return None
