"""The parts of a generated workbook as the fast fill edits them: the source zip (raw member bytes copied
without inflating), part relationships, the styles part (date formats added once), cell XML for each value
type, and one worksheet's rows edited in place. Only our own generated workbooks pass through here (samples,
benchmarks, tests), never a returned file."""

from __future__ import annotations

import datetime as _dt
import io
import math
import re
import struct
import zipfile
import zlib
from decimal import Decimal
from xml.etree import ElementTree

from addin.sample.fill import FillError
from addin.io.xmltext import EXCEL_ESCAPE, ILLEGAL_XML
from addin.io.cells import column_index, column_letter
from addin.io.zipwriter import deflate


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"

_NAME_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)$")
_ROW_RE = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL_RE = re.compile(rb"<c(?=[\s/>])[^>]*?(?:/>|>.*?</c>)", re.S)
_ATTR_R = re.compile(rb'\sr="([A-Za-z]*)(\d+)"')
_ATTR_S = re.compile(rb'\ss="(\d+)"')
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData\b[^>]*>(.*?)</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"\s*/>')
_COL_RE = re.compile(rb"<col\b[^>]*/>")
_FORMULA_VALUE = re.compile(rb"(</f>|<f\b[^>]*/>)<v>[^<]*</v>")
_CALC_PR = re.compile(rb"<calcPr\b[^>]*?/?>")
_REF_ATTR = re.compile(rb'(<(?:table|autoFilter)\b[^>]*?\sref=")([^"]*)(")')

_DATE_STYLE_CODES = re.compile(r"[dmyhs]", re.I)
_BUILTIN_DATE_FMTS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
# Number formats given to a cell without a date/time format (as openpyxl does, with Excel built-ins).
_FMT_DATE, _FMT_DATETIME, _FMT_TIME, _FMT_DURATION = 14, 22, 21, 46
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


# ------------------------------------------------------------------------------------------------------------
# Cell references
# ------------------------------------------------------------------------------------------------------------
def _range_bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of "A1:R103" (or "A1")."""
    parts = ref.replace("$", "").split(":")
    m1 = re.fullmatch(r"([A-Za-z]+)(\d+)", parts[0])
    m2 = re.fullmatch(r"([A-Za-z]+)(\d+)", parts[-1])
    if not m1 or not m2:
        raise FillError(f"unexpected range {ref!r}")
    return column_index(m1.group(1)), int(m1.group(2)), column_index(m2.group(1)), int(m2.group(2))


def _ref(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    return f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"


# ------------------------------------------------------------------------------------------------------------
# Zip: raw copy of unchanged members, deterministic output
# ------------------------------------------------------------------------------------------------------------
class _Source:
    def __init__(self, data: bytes):
        self.data = data
        self.zf = zipfile.ZipFile(io.BytesIO(data))
        self.infos = self.zf.infolist()
        self.by_name = {i.filename: i for i in self.infos}
        if len(self.by_name) != len(self.infos):
            raise FillError("duplicate zip members")

    def read(self, name: str) -> bytes:
        info = self.by_name.get(name)
        if info is None:
            raise FillError(f"missing workbook part {name}")
        return self.zf.read(info)

    def raw(self, info: zipfile.ZipInfo) -> bytes:
        """The member's stored (compressed) bytes, without inflating them."""
        off = info.header_offset
        sig, *_rest = struct.unpack_from("<I", self.data, off)
        if sig != 0x04034B50:
            raise FillError(f"bad local header for {info.filename}")
        n, e = struct.unpack_from("<HH", self.data, off + 26)
        start = off + 30 + n + e
        return self.data[start: start + info.compress_size]


# ------------------------------------------------------------------------------------------------------------
# Workbook structure
# ------------------------------------------------------------------------------------------------------------
def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base_part.split("/")[:-1]
    for seg in target.split("/"):
        if seg == "..":
            if parts:
                parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _rels_part(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _rels(src: _Source, part: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of ``part``'s relationships."""
    name = _rels_part(part)
    if name not in src.by_name:
        return []
    root = ElementTree.fromstring(src.read(name))
    return [(r.get("Id", ""), r.get("Type", ""), _resolve(part, r.get("Target", "")))
            for r in root.iter(f"{_PKG}Relationship") if r.get("TargetMode") != "External"]


def _workbook_part(src: _Source) -> str:
    for _id, typ, target in _rels(src, ""):
        if typ.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


# ------------------------------------------------------------------------------------------------------------
# Styles: which cell formats are dates, and date formats added when needed
# ------------------------------------------------------------------------------------------------------------
class _Styles:
    def __init__(self, data: bytes):
        self.data = data
        self.changed = False
        self._added: dict[tuple[int, int], int] = {}
        text = data.decode("utf-8")
        custom = {int(m.group(1)): m.group(2) for m in re.finditer(
            r'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', text)}
        m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
        self._xfs: list[str] = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", m.group(1), re.S) if m else []
        self._fmt = []
        for xf in self._xfs:
            fm = re.search(r'numFmtId="(\d+)"', xf)
            self._fmt.append(int(fm.group(1)) if fm else 0)
        self._is_date = [self._date_fmt(f, custom) for f in self._fmt]

    @staticmethod
    def _date_fmt(fmt_id: int, custom: dict[int, str]) -> bool:
        if fmt_id in _BUILTIN_DATE_FMTS:
            return True
        code = custom.get(fmt_id)
        if code is None:
            return False
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code.replace("&quot;", '"'))
        return bool(_DATE_STYLE_CODES.search(code))

    def is_date(self, style: int) -> bool:
        return 0 <= style < len(self._is_date) and self._is_date[style]

    def with_format(self, style: int, fmt_id: int) -> int:
        """A cell format like ``style`` with number format ``fmt_id`` (appended to cellXfs once)."""
        key = (style, fmt_id)
        if key in self._added:
            return self._added[key]
        base = (self._xfs[style] if 0 <= style < len(self._xfs)
                else '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')
        xf = re.sub(r'numFmtId="\d+"', f'numFmtId="{fmt_id}"', base, count=1)
        if 'applyNumberFormat="' in xf:
            xf = re.sub(r'applyNumberFormat="[^"]*"', 'applyNumberFormat="1"', xf, count=1)
        else:
            xf = xf.replace("<xf ", '<xf applyNumberFormat="1" ', 1)
        index = len(self._xfs)
        self._xfs.append(xf)
        self._fmt.append(fmt_id)
        self._is_date.append(True)
        self._added[key] = index
        self.changed = True
        return index

    def render(self) -> bytes:
        text = self.data.decode("utf-8")
        m = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", text, re.S)
        if m is None:
            raise FillError("styles.xml has no cellXfs")
        new = f'<cellXfs count="{len(self._xfs)}">{"".join(self._xfs)}</cellXfs>'
        return (text[: m.start()] + new + text[m.end():]).encode("utf-8")


# ------------------------------------------------------------------------------------------------------------
# Values -> cell XML
# ------------------------------------------------------------------------------------------------------------
def _xml_text(value: str) -> str:
    """Cell text as a user typed it: illegal XML characters removed, "_xHHHH_" protected, &<> escaped.
    Unlike ``addin.io.xmltext.xml_escape`` the text is not NFC-normalized (samples may be NFD on purpose)."""
    value = ILLEGAL_XML.sub("", value)
    value = EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FillError(f"cannot write {value!r} into a cell")
        return repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FillError(f"cannot write {value!r} into a cell")
        return str(value)
    return str(value)


def _serial(value: _dt.datetime, epoch: _dt.datetime) -> str:
    delta = value - epoch
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if epoch is _EPOCH_1900 and days < 61:
        days -= 1  # Excel's fictitious 1900-02-29
    return repr(days) if days != int(days) else str(int(days))


def _cell_xml(ref: str, style: int | None, value: object, styles: _Styles, epoch: _dt.datetime) -> str:
    def head(s: int | None, t: str = "") -> str:
        return f'<c r="{ref}"' + (f' s="{s}"' if s else "") + (f' t="{t}"' if t else "")

    if value is None:
        return head(style) + "/>"
    if isinstance(value, bool):
        return head(style, "b") + f"><v>{int(value)}</v></c>"
    if isinstance(value, (int, float, Decimal)):
        return head(style) + f"><v>{_number(value)}</v></c>"
    if isinstance(value, str):
        text = _xml_text(value)
        if not text:
            return head(style) + "/>"
        return head(style, "inlineStr") + f'><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        s = style or 0
        if isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                raise FillError("cannot write a timezone-aware datetime into a cell")
            v, fmt = _serial(value, epoch), _FMT_DATETIME
        elif isinstance(value, _dt.date):
            v, fmt = _serial(_dt.datetime(value.year, value.month, value.day), epoch), _FMT_DATE
        elif isinstance(value, _dt.time):
            secs = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
            v, fmt = repr(secs / 86400), _FMT_TIME
        else:
            v, fmt = repr(value.total_seconds() / 86400), _FMT_DURATION
        if not styles.is_date(s):
            s = styles.with_format(s, fmt)
        return head(s) + f"><v>{v}</v></c>"
    raise FillError(f"cannot write a value of type {type(value).__name__} into a cell: {value!r}")


# ------------------------------------------------------------------------------------------------------------
# Sheet editing
# ------------------------------------------------------------------------------------------------------------
class _Sheet:
    """One worksheet part, split into rows and (for edited rows) cells, with pending edits."""

    def __init__(self, data: bytes):
        self.data = data
        m = _SHEET_DATA.search(data)
        if m is None:
            raise FillError("worksheet without sheetData")
        self._span = m.span()
        inner = m.group(1) or b""
        if m.group(0).endswith(b"/>"):
            self._open = b"<sheetData>"
        else:
            self._open = m.group(0)[: m.group(0).index(b">") + 1]
        self.rows: dict[int, bytes] = {}
        self.order: list[int] = []
        last = 0
        for rm in _ROW_RE.finditer(inner):
            chunk = rm.group(0)
            head_end = chunk.index(b">")
            am = re.search(rb'\sr="(\d+)"', chunk[:head_end])
            r = int(am.group(1)) if am else last + 1
            if r in self.rows or r <= last:
                raise FillError("rows out of order in worksheet")
            self.rows[r] = chunk
            self.order.append(r)
            last = r
        self.col_styles: dict[int, int] = {}
        for cm in _COL_RE.finditer(data[: self._span[0]]):
            tag = cm.group(0)
            lo, hi, st = (re.search(rb'\s%s="(\d+)"' % k, tag) for k in (b"min", b"max", b"style"))
            if lo and hi and st:
                for c in range(int(lo.group(1)), min(int(hi.group(1)), 16384) + 1):
                    self.col_styles[c] = int(st.group(1))
        self.edits: dict[int, dict[int, object]] = {}
        self.new_row_styles: dict[int, dict[int, int | None]] = {}

    def set(self, row: int, col: int, value: object) -> None:
        self.edits.setdefault(row, {})[col] = value

    def cells(self, row: int) -> dict[int, tuple[int | None, bytes]]:
        """col -> (style, xml) of the existing cells of ``row``."""
        chunk = self.rows.get(row)
        out: dict[int, tuple[int | None, bytes]] = {}
        if chunk is None or chunk.endswith(b"/>") and b"</row>" not in chunk:
            return out
        body = chunk[chunk.index(b">") + 1: -len(b"</row>")]
        last = 0
        for cm in _CELL_RE.finditer(body):
            c_xml = cm.group(0)
            head = c_xml[: c_xml.index(b">")]
            rm = _ATTR_R.search(head)
            col = column_index(rm.group(1).decode()) if rm and rm.group(1) else last + 1
            sm = _ATTR_S.search(head)
            out[col] = (int(sm.group(1)) if sm else None, c_xml)
            last = col
        return out

    def _row_style(self, row: int) -> int | None:
        chunk = self.rows.get(row)
        if chunk is None:
            return None
        head = chunk[: chunk.index(b">")]
        if b'customFormat="1"' in head or b"customFormat=\"true\"" in head:
            sm = _ATTR_S.search(head)
            return int(sm.group(1)) if sm else None
        return None

    def render(self, styles: _Styles, epoch: _dt.datetime) -> bytes:
        if not self.edits:
            return self.data
        max_row = max(self.edits)
        max_col = max(max(cols) for cols in self.edits.values())
        for r in sorted(set(self.edits) | set(self.new_row_styles)):
            edits = self.edits.get(r, {})
            existing = self.cells(r)
            row_style = self._row_style(r)
            defaults = self.new_row_styles.get(r, {})
            for c in set(defaults) - set(existing):
                existing[c] = (defaults[c], _cell_xml(f"{column_letter(c)}{r}", defaults[c], None, styles,
                                                       epoch).encode())
            for c, value in edits.items():
                if c in existing:
                    style = existing[c][0]
                elif c in defaults:
                    style = defaults[c]
                else:
                    style = row_style if row_style is not None else self.col_styles.get(c)
                existing[c] = (style, _cell_xml(f"{column_letter(c)}{r}", style, value, styles, epoch).encode())
            body = b"".join(existing[c][1] for c in sorted(existing))
            chunk = self.rows.get(r)
            if chunk is None:
                self.rows[r] = b'<row r="%d">' % r + body + b"</row>"
                self.order.append(r)
            else:
                head_end = chunk.index(b">")
                head = chunk[:head_end].rstrip(b"/")
                head = re.sub(rb'\sspans="[^"]*"', b"", head)
                self.rows[r] = head + b">" + body + b"</row>"
        self.order.sort()
        sheet_data = self._open + b"".join(self.rows[r] for r in self.order) + b"</sheetData>"
        data = self.data[: self._span[0]] + sheet_data + self.data[self._span[1]:]
        dm = _DIMENSION.search(data)
        if dm is not None:
            try:
                c1, r1, c2, r2 = _range_bounds(dm.group(1).decode())
            except FillError:
                c1, r1, c2, r2 = 1, 1, 1, 1
            min_row = min(self.edits)
            min_col = min(min(cols) for cols in self.edits.values())
            ref = _ref(min(c1, min_col), min(r1, min_row), max(c2, max_col), max(r2, max_row))
            data = data[: dm.start(1)] + ref.encode() + data[dm.end(1):]
        return data


# ------------------------------------------------------------------------------------------------------------
# Caches: the parts shared by every workbook of a campaign are rewritten once per process
# ------------------------------------------------------------------------------------------------------------
_CHECK_CACHE: dict[tuple[int, int, int], tuple[bytes, int, int]] = {}


def _stripped_check(src: _Source, info: zipfile.ZipInfo) -> tuple[bytes, int, int]:
    key = (info.CRC, info.file_size, info.compress_size)
    hit = _CHECK_CACHE.get(key)
    if hit is None:
        raw = _FORMULA_VALUE.sub(rb"\1", src.zf.read(info))
        hit = (deflate(raw), zlib.crc32(raw), len(raw))
        if len(_CHECK_CACHE) > 64:
            _CHECK_CACHE.clear()
        _CHECK_CACHE[key] = hit
    return hit


