"""Entry points of the gate: judge a file (or its bytes) and say whether a parser may touch it.

One ``stat``, then the container: OOXML/ODF zips go to ``zipscan``, OLE2 to ``ole``, everything else to ``sniff`` for a precise Vietnamese reason. Never raises for an input."""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO


from validators.issues import Issue, IssueCode, make_issue
from addin.io.gate.limits import Inspection, Limits, RefusedFile, _Refuse, _human
from addin.io.gate.ole import _inspect_ole
from addin.io.gate.sniff import _OLE_MAGIC, _sniff_other
from addin.io.gate.zipscan import _inspect_zip


# --------------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------------
def inspect_file(path: str | os.PathLike[str], limits: Limits = Limits(), *, sheets_on_demand: bool = False,
                 ) -> Inspection:
    """Decide whether ``path`` may be parsed, and as what. Never raises for any input."""
    try:
        path = Path(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            return Inspection(None, make_issue(IssueCode.FILE_NOT_FOUND))
        # Before opening: opening a FIFO blocks forever, a device never ends.
        if stat.S_ISDIR(st.st_mode):
            return Inspection(None, make_issue(IssueCode.FILE_UNREADABLE, detail="đây là một thư mục, không phải tệp"))
        if not stat.S_ISREG(st.st_mode):
            return Inspection(None, make_issue(IssueCode.FILE_UNREADABLE, detail="không phải tệp thông thường"))
        early = _size_issue(st.st_size, limits)
        if early is not None:
            return Inspection(None, early)
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size  # the file may have changed since stat
            return _inspect_stream(fh, size, limits, sheets_on_demand)
    except Exception as exc:  # noqa: BLE001 - the contract: any input gives an Issue, never a traceback
        return Inspection(None, _unexpected(exc))


def inspect_bytes(data: bytes, limits: Limits = Limits(), *, sheets_on_demand: bool = False) -> Inspection:
    """``inspect_file`` for bytes already read: lets a reader check exactly the bytes it then parses.

    ``sheets_on_demand``: the extent of a worksheet is checked when a parser asks for that sheet
    (``GatedWorkbook``), not here, when the workbook says unambiguously which part each sheet name is
    (``ooxml.sheets_by_name``); every other check runs here as always. See ``addin.io.gate``."""
    try:
        return _inspect_stream(io.BytesIO(data), len(data), limits, sheets_on_demand)
    except Exception as exc:  # noqa: BLE001
        return Inspection(None, _unexpected(exc))


def _inspect_stream(fh: IO[bytes], size: int, limits: Limits, sheets_on_demand: bool = False) -> Inspection:
    try:
        early = _size_issue(size, limits)
        if early is not None:
            return Inspection(None, early)
        head = fh.read(4096)
        if not head:
            return Inspection(None, make_issue(IssueCode.FILE_EMPTY))
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _inspect_zip(fh, limits, sheets_on_demand)
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
        return Inspection(None, make_issue(IssueCode.FILE_CORRUPT, detail="cấu trúc tệp bị hỏng"))


def _size_issue(size: int, limits: Limits) -> Issue | None:
    if size == 0:
        return make_issue(IssueCode.FILE_EMPTY)
    if size > limits.max_file_bytes:
        return make_issue(IssueCode.FILE_TOO_LARGE, detail=_human(size), limit=_human(limits.max_file_bytes))
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
    return make_issue(IssueCode.FILE_UNREADABLE, detail=detail)


