"""OLE2 files: legacy .xls (BIFF8) sheet extents and shared strings, and password-protected OOXML, judged from the records without a parser."""

from __future__ import annotations

import io
import struct
from typing import Iterator


from addin.io.cells import column_letter
from addin.io.gate.limits import Inspection, Limits, _Refuse, _num, _refuse, _short_name
from validators.issues import IssueCode


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
        raise _refuse(IssueCode.FILE_UNREADABLE, detail="thiếu thư viện olefile để kiểm tra tệp .xls") from None

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises many types for a damaged container
        raise _refuse(IssueCode.FILE_CORRUPT, detail="cấu trúc tệp .xls bị hỏng") from None
    try:
        entries = {"/".join(p).casefold(): p for p in ole.listdir(streams=True, storages=True)}
        top = {p[0].casefold() for p in entries.values()}
        if "encryptedpackage" in top or "encryptioninfo" in top or any("drmencrypted" in k for k in entries):
            raise _refuse(IssueCode.FILE_ENCRYPTED)  # a password-protected .xlsx/.docx is an OLE2 envelope
        if "workbook" not in top:
            if "book" in top:
                raise _refuse(IssueCode.FILE_UNSUPPORTED, detail="Excel 5.0/95 (.xls rất cũ)")
            if "worddocument" in top:
                raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="văn bản Word (.doc)")
            if "powerpoint document" in top:
                raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="bản trình chiếu PowerPoint (.ppt)")
            if any(k.startswith("__substg1.0_") for k in top):
                raise _refuse(IssueCode.FILE_WRONG_TYPE, detail="thư Outlook (.msg)")
            raise _refuse(IssueCode.FILE_NOT_WORKBOOK)
        stream_name = entries["workbook"]
        if ole.get_size(stream_name) > limits.max_file_bytes:
            raise _refuse(IssueCode.FILE_CORRUPT, detail="cấu trúc tệp .xls bị hỏng")
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
        raise _refuse(IssueCode.FILE_CORRUPT, detail="cấu trúc tệp .xls bị hỏng") from None
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
        raise _refuse(IssueCode.FILE_CORRUPT, detail="luồng dữ liệu .xls không bắt đầu bằng BOF")
    version = struct.unpack_from("<H", stream, 4)[0]
    if version != 0x0600:
        raise _refuse(IssueCode.FILE_UNSUPPORTED, detail="Excel 5.0/95 (.xls rất cũ)")
    sheets: list[tuple[int, str]] = []
    xlm = external = False
    for rtype, off, size in _records(stream, 0):
        if rtype == _FILEPASS:
            # Also written when only "protect workbook structure" is set (default password VelvetSweatshop):
            # calamine cannot read either (XOR obfuscation it would even read as garbage), and the user's
            # fix is the same.
            raise _refuse(IssueCode.FILE_ENCRYPTED)
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
                raise _refuse(IssueCode.FILE_UNSAFE, detail=f"bảng chuỗi ký tự khai báo {_num(unique)} chuỗi, bất thường")
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
        raise _refuse(IssueCode.FILE_CORRUPT, detail=f"không tìm thấy trang '{_short_name(name, 30)}' trong tệp .xls")
    depth = 0
    rows = cols = 0  # from the cells: calamine's grid
    reserved = 0  # from DIMENSIONS records: what calamine reserves before reading any cell
    forged = False
    far_rows = far_cols = 0
    for rtype, off, size in _records(stream, pos):
        budget[0] -= 1
        if budget[0] < 0:
            raise _refuse(IssueCode.FILE_UNSAFE, detail="cấu trúc trang tính .xls bất thường")
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
        raise _refuse(IssueCode.FILE_UNSAFE, detail=f"trang '{_short_name(name, 30)}' khai báo kích thước bất thường")
    if cols > 256:
        raise _refuse(IssueCode.FILE_UNSAFE, detail=f"trang '{_short_name(name, 30)}' có ô ngoài lưới của .xls")
    if reserved > cap and reserved >= rows * cols:
        rows, cols = far_rows, far_cols
    if max(reserved, rows * cols) > cap:
        far = f"{column_letter(cols)}{rows}"
        raise _refuse(IssueCode.FILE_SHEET_TOO_LARGE, detail=f"trang '{_short_name(name, 30)}' tới ô {far}", sheet=name,
                      cell=far, value=_num(max(reserved, rows * cols)), limit=_num(cap))


