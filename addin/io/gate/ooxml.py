"""OOXML parts: shared-strings and table declarations, and the extent of every worksheet (the dense grid a parser would allocate), read from the sheet XML in bounded blocks."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator


from addin.io.cells import column_index, column_letter
from addin.io.gate.limits import Inspection, Limits, MiB, _CHUNK, _num, _refuse, _short_name
from addin.io.gate.members import _Member, _read_capped, _scan_members
from addin.io.gate.xmlsafe import open_member_capped, safe_parse
from validators.issues import IssueCode


# ---- OOXML ------------------------------------------------------------------------------------------------
# Where calamine looks: sheets under these folders (it derives the sheet type from the folder), shared
# strings at one fixed path. A part is also checked when its root element says what it is. Names rather
# than roots decide first because calamine's XML reader is lenient: text, NUL bytes or another element
# before the real root do not stop it (measured), so a root we cannot see must not skip a check.
_SHEET_ROOTS = {"worksheet", "macrosheet", "dialogsheet"}
_SHEET_DIRS = ("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/")
_SHARED_STRINGS = "xl/sharedstrings.xml"
_TABLE_DIR = "xl/tables/"


def _scan_ooxml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], by_name: dict[str, zipfile.ZipInfo],
                limits: Limits, sheets_on_demand: bool = False) -> Inspection:
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
    # Sheets are what the workbook's relationships and content types say they are, wherever they are
    # stored: a worksheet part outside xl/worksheets/ is still parsed as one (a far cell there aborted the
    # process before this). Same for shared strings and tables.
    declared = declared_parts(zf, by_name, limits)
    # Worksheets a parser may never ask for (the CĐCS template's 1.2 MB hidden formula sheet) are measured
    # when asked for, not here: only when every sheet name leads to one part without any doubt.
    deferred = sheets_by_name(zf, by_name, limits) if sheets_on_demand else None
    deferred_keys = set(deferred.values()) if deferred else set()

    def on_member(m: _Member, head: bytes, tag: bytes | None) -> None:
        nonlocal found_macro_root
        root = _local_name(tag) if tag else ""
        role = declared.get(m.key)
        if role == "sst":
            _check_shared_strings(m, head, limits)
        elif role == "table":
            _check_table(m, head, limits)
        elif role == "sheet" or root in _SHEET_ROOTS or m.key.startswith(_SHEET_DIRS):
            found_macro_root = found_macro_root or root == "macrosheet"
            if m.key not in deferred_keys or root != "worksheet":
                _check_sheet_extent(m, head, limits)
                deferred_keys.discard(m.key)
        elif root == "sst" or m.key == _SHARED_STRINGS:
            _check_shared_strings(m, head, limits)
        elif root == "table" or m.key.startswith(_TABLE_DIR):
            _check_table(m, head, limits)

    _scan_members(zf, infos, limits, ("xl/embeddings/",), on_member)
    return Inspection("xlsx", None, has_macros=has_macros or found_macro_root, active_content=active,
                      sheet_parts=deferred or {},
                      deferred_sheets={n: k for n, k in (deferred or {}).items() if k in deferred_keys})


# ---- Sheets measured on demand ------------------------------------------------------------------------------
# How calamine finds a sheet's part (calamine 0.2x–0.3x, src/xlsx/mod.rs ``read_workbook``): the <sheet>
# element's ``r:id`` (or ``relationships:id``) looked up among xl/_rels/workbook.xml.rels' Ids (the last of
# two equal Ids wins), the target prefixed with "xl/" unless it starts with "xl/" or "/xl/", then found in the
# zip exactly or ignoring ASCII case depending on the version. Each of those is a place where two readings
# could differ; a workbook that leaves any of them open gets every sheet checked up front, as before.
_SHEET_EL = re.compile(rb"<([\w.-]+:)?sheet(?![\w.:-])([^>]*)>")
_REL_EL = re.compile(rb"<([\w.-]+:)?Relationship(?![\w.:-])([^>]*)>")
_RAW_ATTR = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_ATTRS = {b"name", b"sheetId", b"state", b"r:id"}


def _plain_attrs(text: bytes) -> dict[bytes, bytes] | None:
    """Attributes by their raw name; None when one is repeated or the tag holds anything but attributes."""
    pairs = _RAW_ATTR.findall(text)
    out = {k: v1 or v2 for k, v1, v2 in pairs}
    rest = b"".join(_RAW_ATTR.sub(b"", text).split())
    return out if len(out) == len(pairs) and rest in (b"", b"/") else None


def sheets_by_name(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], limits: Limits) -> dict[str, str] | None:
    """Sheet name -> member key of each worksheet, when the workbook names them beyond any doubt; else None.

    Beyond doubt: unprefixed elements, no attribute repeated or unexpected, names without entities or
    whitespace other than spaces, unique names, unique relationship Ids, each target a plain path under
    xl/worksheets/ that calamine's rule and the packaging rule resolve alike, to a member spelled exactly so,
    no two sheets on one part. Excel, LibreOffice, WPS and our own writers all produce such workbooks."""
    wb_info, rels_info = by_name.get("xl/workbook.xml"), by_name.get("xl/_rels/workbook.xml.rels")
    if wb_info is None or rels_info is None:
        return None
    targets: dict[bytes, bytes] = {}
    for m in _REL_EL.finditer(_read_capped(zf, rels_info, limits.max_part_bytes)):
        a = _plain_attrs(m.group(2))
        if m.group(1) or a is None or b"Id" not in a or a[b"Id"] in targets:
            return None
        if a.get(b"TargetMode", b"Internal") != b"Internal":
            targets[a[b"Id"]] = b""  # external: never a sheet of this workbook
            continue
        targets[a[b"Id"]] = a.get(b"Target", b"")
    out: dict[str, str] = {}
    names: set[str] = set()
    for m in _SHEET_EL.finditer(_read_capped(zf, wb_info, limits.max_part_bytes)):
        a = _plain_attrs(m.group(2))
        if m.group(1) or a is None or not set(a) <= _SHEET_ATTRS or b"name" not in a or b"r:id" not in a:
            return None
        raw_name, target = a[b"name"], targets.get(a[b"r:id"])
        if not target or b"&" in raw_name or any(c in raw_name for c in b"\t\r\n"):
            return None
        try:
            name, path = raw_name.decode("utf-8"), target.decode("ascii")
        except UnicodeDecodeError:
            return None
        if any(c in path for c in "\\%&#?") or "//" in path or any(p in (".", "..") for p in path.split("/")):
            return None
        by_calamine = path[1:] if path.startswith("/xl/") else path if path.startswith("xl/") else "xl/" + path
        if by_calamine.casefold() != _resolve_target("xl", path) or name in names:
            return None
        names.add(name)
        info = by_name.get(by_calamine.casefold())
        if info is None or info.filename != by_calamine:
            return None
        if by_calamine.startswith("xl/worksheets/"):
            if by_calamine.casefold() in out.values():
                return None
            out[name] = by_calamine.casefold()
    return out


def check_deferred_sheets(data: bytes, keys: list[str], limits: Limits) -> None:
    """The extent check of worksheets left for later by ``sheets_by_name``; raises ``_Refuse``."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        by_key = {i.filename.casefold(): i for i in zf.infolist()}
        for key in keys:
            m = _Member(zf, by_key[key], limits)
            try:
                _check_sheet_extent(m, m.read(512), limits)
            finally:
                m.close()


# Relationship types and content types (their last path segment / suffix) naming the parts a parser inflates.
_REL_ROLES = {"worksheet": "sheet", "dialogsheet": "sheet", "macrosheet": "sheet", "xlmacrosheet": "sheet",
              "xlintlmacrosheet": "sheet", "chartsheet": "sheet", "sharedstrings": "sst", "table": "table"}
_CT_ROLES = {"worksheet": "sheet", "dialogsheet": "sheet", "macrosheet": "sheet", "chartsheet": "sheet",
             "sharedstrings": "sst", "table": "table"}
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>", re.I)
_OVERRIDE_TAG = re.compile(rb"<(?:[\w.-]+:)?Override\b([^>]*)>", re.I)
_ANY_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(text: bytes) -> dict[str, str]:
    return {k.decode("ascii", "replace").rsplit(":", 1)[-1].casefold(): (v1 or v2).decode("utf-8", "replace")
            for k, v1, v2 in _ANY_ATTR.findall(text)}


def _resolve_target(base_dir: str, target: str) -> str:
    """A relationship target as a member key: absolute ("/xl/x.xml") or relative to the source's folder."""
    target = target.replace("\\", "/").split("#", 1)[0]
    parts = [] if target.startswith("/") else [p for p in base_dir.split("/") if p]
    for seg in target.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
        else:
            parts.append(seg)
    return "/".join(parts).casefold()


def declared_parts(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], limits: Limits) -> dict[str, str]:
    """Member key -> "sheet" | "sst" | "table", from every relationships part and the content types.

    Read with regular expressions (bounded reads), as leniently as calamine reads them: a part declared
    anywhere as a worksheet is checked as one whatever its name or its first bytes."""
    roles: dict[str, str] = {}
    for key, info in by_name.items():
        if key.endswith(".rels") and "_rels/" in key:
            base = key.split("_rels/", 1)[0]
            data = _read_capped(zf, info, limits.max_part_bytes)
            for m in _REL_TAG.finditer(data):
                a = _attrs(m.group(1))
                kind = a.get("type", "").rstrip("/").rsplit("/", 1)[-1].casefold()
                if a.get("targetmode", "").casefold() == "external" or kind not in _REL_ROLES:
                    continue
                roles[_resolve_target(base, a.get("target", ""))] = _REL_ROLES[kind]
    ct = by_name.get("[content_types].xml")
    if ct is not None:
        for m in _OVERRIDE_TAG.finditer(_read_capped(zf, ct, limits.max_part_bytes)):
            a = _attrs(m.group(1))
            ctype = a.get("contenttype", "").casefold()
            for word, role in _CT_ROLES.items():
                if f".{word}+xml" in ctype or ctype.endswith(f".{word}"):
                    roles.setdefault(_resolve_target("", a.get("partname", "")), role)
    return roles


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
            raise _refuse(IssueCode.FILE_CORRUPT, detail="bảng chuỗi ký tự khai báo số lượng sai") from None
        if declared > limits.max_shared_strings or declared > m.info.file_size // 5 + 16:
            raise _refuse(IssueCode.FILE_UNSAFE, detail=f"bảng chuỗi ký tự khai báo {_num(declared)} chuỗi, bất thường")


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
            raise _refuse(IssueCode.FILE_SHEET_TOO_LARGE, detail=f"của bảng '{_short_name(name, 30)}' ({_short_name(text, 30)})",
                          value=_num(cells), limit=_num(limits.max_sheet_cells))


_CELL = re.compile(r"^\$?([A-Za-z]{1,8})\$?(\d{1,12})$")


def _parse_cell(ref: str) -> tuple[int, int] | None:
    m = _CELL.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), column_index(m.group(1))




# How a sheet's extent is found, cheapest first. Every spreadsheet program opens a cell as <c r="B7" ...>
# and a row as <row r="7" ...>, the reference first and once. The first pass (``_bounded_in_one_pass``) looks
# for tags that are NOT like that (a reference of one to three letters and one to seven digits) and, in the
# same blocks, for the longest references: when every tag is ordinary and the lengths bound the grid under
# the cap, nothing else needs reading. calamine also reads a tag with a prefix (<x:c>), without a reference
# (next column / next row), with a repeated r (the last one wins), with spaces or single quotes: all of these
# fail the pattern and get a closer look.
# Possessive quantifiers (no backtracking) match exactly the same here, since what follows each one can never
# be part of it (a quote, "=", a space or ">"), and save a third of the scan.
_ATTRS_OK = rb"""(?: (?!r=)[A-Za-z_][\w:.-]*+="[^"<]*+")*+ ?/?>"""
_PREFIXED = re.compile(rb":(?:c|row)(?![\w.:-])")  # <x:c ...>; also hits some text: a closer look, no harm
_ODD_C_ANY = re.compile(rb'<c(?![\w.:-]| r="[A-Z]{1,3}+\d{1,7}+"' + _ATTRS_OK + rb")")
_ODD_ROW_ANY = re.compile(rb'<row(?![\w.:-]| r="\d{1,7}+"' + _ATTRS_OK + rb")")
# Exact measure, for a sheet with ordinary tags whose reference lengths do not clear the cap.
_FAR_COLS = re.compile(rb'<c r="([A-Z]{2,3})\d')
_FAR_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{6,7})"')
_ALL_COLS = re.compile(rb'<c r="([A-Z]{1,3})\d')
_ALL_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
# A cell holding only formatting (<c r="XFD1048576" s="3"/> or an empty element): calamine places no value
# there and allocates nothing for it (measured: a sheet formatted down to row 1,048,576 reads in 12 MB), so
# it does not count towards the extent. Rows count through their cells only, for the same reason.
_EMPTY_C = re.compile(rb'<c r="[A-Z]{1,3}+\d{1,7}+"(?: (?!r=)[A-Za-z_][\w:.-]*+="[^"<]*+")*+ ?(?:/>|></c>)')
# Last resort: every <c>/<row> start tag, quotes respected, replayed the way calamine places cells.
_TAG = re.compile(rb"""<(?:[^\s<>/:="']+:)?(c|row)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Za-z]{1,8})(\d{1,12})")
# Any r attribute anywhere (inside another value, a comment, CDATA): counted too by the last resort.
_REF_ANY = re.compile(rb"""(?<![\w.:-])r\s*=\s*["']([A-Za-z]{0,8})(\d{0,12})["']""")


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
                raise _refuse(IssueCode.FILE_UNSAFE, detail=f"'{_short_name(m.name)}' có đoạn XML dài bất thường")
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
    if _bounded_in_one_pass(m, head, cap):
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
        raise _refuse(IssueCode.FILE_SHEET_TOO_LARGE, detail=where, sheet=sheet, cell=far_ref if in_grid else None,
                      value=_num(cells), limit=_num(cap))


def _bounded_in_one_pass(m: _Member, head: bytes, cap: int) -> bool:
    """True when one pass over the member proves the grid within ``cap``: every tag is ordinary and the
    references' widest forms (digits of a row, letters of a column) bound rows x columns.

    The bound counts the references' lengths only: a row of three digits is at most 999, a column of two
    letters at most ZZ (702). One search per block finds the next cell tag that is odd *or* wider than any
    seen so far (``_odd_or_wider``): an ordinary cell within the bound costs one C-speed look, a wider one
    widens the bound and the search goes on (a handful of hits per sheet), an odd one sends the sheet to the
    exact measure. The CĐCS template's 1.2 MB formula sheet (27,000 cells) used to take the exact measure,
    27,000 Python matches after three passes; a 31,000-row package sheet (714,000 cells, 29 MB) costs one
    pass for the cells and two cheap ones for rows and prefixes. Formatting-only cells count here; a sheet
    the bound cannot clear gets the exact measure, which leaves them out."""
    digits = 0  # the longest row number seen in a cell reference, in digits
    letters = 0  # the longest column reference seen, in letters
    for b in _blocks(m, head):
        if _ODD_ROW_ANY.search(b) or _PREFIXED.search(b):
            return False
        pos = 0
        while True:
            found = _odd_or_wider(letters, digits).search(b, pos)
            if found is None:
                break
            ref = _ORDINARY_C.match(b, found.start())
            if ref is None:
                return False  # an odd tag: the exact measure decides
            letters = max(letters, len(ref.group(1)))
            digits = max(digits, len(ref.group(2)))
            pos = found.start() + 2
    rows = 10 ** digits - 1
    cols = (0, 26, 702, 18_278)[letters]
    return rows * cols <= cap


_ORDINARY_C = re.compile(rb'<c r="([A-Z]{1,3}+)(\d{1,7}+)"' + _ATTRS_OK)
_ODD_OR_WIDER: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _odd_or_wider(letters: int, digits: int) -> re.Pattern[bytes]:
    """A cell start tag that is not ordinary, or whose reference has more than ``letters`` letters or more
    than ``digits`` digits; with nothing seen yet (0), every cell tag. At (3, 7) this is ``_ODD_C_ANY``."""
    key = (letters, digits)
    if key not in _ODD_OR_WIDER:
        if letters == 0 or digits == 0:
            pattern = rb"<c(?![\w.:-])"
        else:
            pattern = (rb'<c(?![\w.:-]| r="[A-Z]{1,%d}+\d{1,%d}+"' % (letters, digits)) + _ATTRS_OK + rb")"
        _ODD_OR_WIDER[key] = re.compile(pattern)
    return _ODD_OR_WIDER[key]


def _canonical_extent(m: _Member, cap: int) -> tuple[int, int] | None:
    """(rows, columns) of a sheet whose tags are all ordinary; None if one is not."""
    cols: set[bytes] = set()
    rows: set[bytes] = set()
    for block in _blocks(m, m.read(_CHUNK)):
        if _ODD_C_ANY.search(block) or _ODD_ROW_ANY.search(block) or _PREFIXED.search(block):
            return None
        block = _EMPTY_C.sub(b"", block)
        cols.update(_FAR_COLS.findall(block))
        rows.update(_FAR_ROWS.findall(block))
    max_col = max(map(column_index, cols)) if cols else 26
    max_row = max(map(int, rows)) if rows else 99_999
    if max_row * max_col > cap and not (cols and rows):
        # One side is only bounded: measure it before refusing (1,000,000 rows of A..R is not A..Z).
        m.reopen()
        all_cols: set[bytes] = set()
        all_rows: set[bytes] = set()
        for block in _blocks(m, m.read(_CHUNK)):
            block = _EMPTY_C.sub(b"", block)
            if not cols:
                all_cols.update(_ALL_COLS.findall(block))
            if not rows:
                all_rows.update(_ALL_ROWS.findall(block))
        if not cols:
            max_col = max(map(column_index, all_cols), default=0)
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
                    col = max(column_index(c.group(1)) for c in cells)
                    if not attrs.rstrip().endswith(b"/"):
                        max_row = max([max_row] + [int(c.group(2)) for c in cells])
                else:
                    col += 1
                if attrs.rstrip().endswith(b"/"):
                    continue  # formatting only: it moves the position, places nothing
                max_row, max_col = max(max_row, row), max(max_col, col)
        # References in other places (a comment, CDATA, another attribute's value) are not cells, but a
        # lenient parser might disagree: count them too.
        for letters, digits in _REF_ANY.findall(block):
            if letters:
                max_col = max(max_col, column_index(letters))
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


