"""Read a returned CĐCS workbook into a ``RawSubmission``: the stamp, the unit cells and the initiative rows,
each value exactly as stored with its sheet and cell. Never modifies the file and never runs anything in it.

Values come from python-calamine (fast, no formulas evaluated, no macros); defined names and table names
come from the workbook part, parsed with a parser that refuses DTDs and entities. Cells are located by
defined name first and by their label second, and the initiatives table by its header labels, so a file
re-saved by LibreOffice or WPS, with the table turned into a range or its columns reordered, still reads.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Iterator


from addin.cdcs.bounds import bound_numbers
from addin.cdcs.header import header_issues
from addin.io.cell_fonts import CellFonts
from addin.io.cells import cell_ref, parse_ref
from addin.io.gate.limits import Limits
from addin.io.gate.workbook import GatedWorkbook, WorkbookRefused, open_workbook, parser_issue
from addin.io.gate.xmlsafe import open_member_capped, safe_parse
from validators.issues import Issue, IssueCode, make_issue
from validators.layout import (
    INITIATIVE_FIELD_BY_LABEL,
    INITIATIVE_FIELDS,
    NON_CONTENT_KEYS,
    SHEET_INITIATIVES,
    SHEET_META,
    SHEET_UNIT,
    STAMP_CELLS,
    STAMP_NAMES,
    TABLE_NAME,
    UNIT_FIELDS,
    UNIT_LABEL_COL,
    UNIT_VALUE_COL,
)
from validators.models import RawCell, RawRow, RawSubmission
from validators.text.normalize import clean_text, fold

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_HEADER_SCAN_ROWS = 30
_SMALL_SHEET_ROWS = 200  # the unit and stamp sheets are a few dozen rows  # the header row is near the top; users add a title row or two at most
_TABLE_NAME_RE = re.compile(rb'\bname="([^"]+)"')
_LABEL_KEYS = {fold(label): f for label, f in INITIATIVE_FIELD_BY_LABEL.items()}
_UNIT_LABEL_KEYS = {fold(f.label): f for f in UNIT_FIELDS}
_MAX_LABEL_CHARS = 2 * max(len(label) for label in INITIATIVE_FIELD_BY_LABEL)  # room for stray spaces


def read_submission(path: str | Path, *, max_rows: int = 500, limits: Limits | None = None) -> RawSubmission:
    """Read one file. Problems become issues on the result; this never raises for a bad input file."""
    path = Path(path)
    sub = RawSubmission(path=str(path))
    try:
        # Sheets measured on demand: the hidden formula sheet («Cờ kiểm tra», 1.2 MB of XML) is never read
        # here, so never inflated; the sheets read are measured first, so a refusal reads as one at the door.
        wb = open_workbook(path, limits=limits or Limits(), sheets_on_demand=True)
        wb.check_sheets(*(n for s in (SHEET_UNIT, SHEET_INITIATIVES, SHEET_META) for n in wb.sheets_named(s)))
    except WorkbookRefused as refused:
        sub.issues.append(refused.issue)
        sub.fatal = True
        return sub
    sub.issues.extend(wb.inspection.warnings())
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = None
    if mtime is not None:
        sub.modified = file_modified(mtime)
        if sub.modified is None:
            sub.issues.append(make_issue(IssueCode.FILE_DATE_INVALID, detail=_mtime_text(mtime)))
    sub.sha256 = wb.sha256
    try:
        _read(sub, wb, max_rows)
    except WorkbookRefused as refused:
        sub.issues.append(refused.issue)
        sub.fatal = True
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - a damaged part our own XML reads trip over
        sub.issues.append(parser_issue(exc))
        sub.fatal = True
    return sub


def file_modified(st_mtime: float) -> dt.datetime | None:
    """A file's modification time as reports carry it (to the second); None when it is no date at all (a
    file "modified in year 10001", before year 1, NaN): such a time never decides anything."""
    try:
        return dt.datetime.fromtimestamp(st_mtime).replace(microsecond=0)
    except (ValueError, OverflowError, OSError):
        return None


def _mtime_text(st_mtime: float) -> str:
    years = st_mtime / (365.2425 * 86400)
    return f"khoảng năm {1970 + years:.0f}" if abs(years) < 1e12 else "ngoài mọi khoảng thời gian"


def _read(sub: RawSubmission, wb: GatedWorkbook, max_rows: int) -> None:
    names: dict[str, str] = {}
    tables: dict[str, str] = {}
    kind = wb.kind
    if kind == "xlsx":
        names, tables = _workbook_names(wb.data, wb.limits)
        sub.fonts = CellFonts(wb.data, wb.limits)  # parses nothing unless a cell may be TCVN3/VNI text
    sheets = {n: n for n in wb.sheet_names}
    # The data sheets are found by what marks them as ours (the Table, the defined names), not by name alone:
    # a second sheet whose name folds to the same one (a hidden decoy in NFD, "sáng kiến ") is an issue.
    preferred = {SHEET_INITIATIVES: tables.get(TABLE_NAME), SHEET_UNIT: _raw_sheet(names.get("MA_DON_VI", ""))}
    missing = []
    for s in (SHEET_UNIT, SHEET_INITIATIVES):
        found = wb.sheets_named(s)
        if not found:
            missing.append(s)
            continue
        chosen = preferred[s] if preferred[s] in found else found[0]
        sheets[s] = chosen
        if len(found) > 1:
            sub.issues.append(make_issue(IssueCode.SHEET_DUPLICATE, sheet=s, value=", ".join(_shown(n) for n in found)))
    for s in missing:
        sub.issues.append(make_issue(IssueCode.SHEET_MISSING, sheet=s))
    if missing:
        sub.fatal = True
        return
    grids: dict[str, tuple[int, list[list[Any]]]] = {}

    def grid(sheet: str, rows: int) -> list[list[Any]]:
        """The sheet's first rows, read once; small sheets get a generous cap so one read serves all."""
        rows = max(rows, _SMALL_SHEET_ROWS)
        cap, values = grids.get(sheet, (0, []))
        if rows > cap:
            values = wb.grid(sheets[sheet], rows)
            grids[sheet] = (rows, values)
        return values

    _read_stamp(sub, names, sheets, grid)
    _read_unit(sub, names, grid)
    if kind == "xlsx" and TABLE_NAME not in tables:
        sub.issues.append(make_issue(IssueCode.TABLE_MISSING, sheet=SHEET_INITIATIVES))
    _read_rows(sub, wb.iter_rows(sheets[SHEET_INITIATIVES]), max_rows)
    bound_numbers(sub)


def _shown(name: str) -> str:
    """A sheet name as a message shows it: invisible and decomposed characters made visible."""
    nfc = unicodedata.normalize("NFC", name)
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)
    return f"'{text}'" + (" (dạng Unicode tổ hợp)" if nfc != name else "")


def _raw_sheet(ref: str) -> str | None:
    """The sheet of a defined name's reference, exactly as stored (not normalised)."""
    if "!" not in ref:
        return None
    sheet = ref.rpartition("!")[0]
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet


def _at(grid: list[list[Any]], row: int, col: int) -> Any:
    if row - 1 < len(grid):
        line = grid[row - 1]
        if col - 1 < len(line):
            return line[col - 1]
    return None


# --- the workbook part: defined names and tables -------------------------------------------------------------
def _workbook_names(data: bytes, limits: Limits) -> tuple[dict[str, str], dict[str, str]]:
    """Workbook-scoped defined names, and each table's name -> the sheet (as stored) that holds it."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {m.casefold(): m for m in zf.namelist()}
        root = safe_parse(open_member_capped(zf, "xl/workbook.xml", limits.max_part_bytes))
        names: dict[str, str] = {}
        dn = root.find(f"{_NS}definedNames")
        if dn is not None:
            for el in dn.findall(f"{_NS}definedName"):
                # Workbook-scoped names only: a sheet-local copy must not shadow the contract's name.
                if el.get("localSheetId") is None and el.get("name"):
                    names[el.get("name")] = (el.text or "").strip()
        sheet_of_part: dict[str, str] = {}
        rels = _rels(zf, members, "xl/_rels/workbook.xml.rels", "xl/", limits)
        sheets_el = root.find(f"{_NS}sheets")
        for el in (sheets_el if sheets_el is not None else []):
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            part = rels.get(rid or "")
            if part and el.get("name") is not None:
                sheet_of_part[part] = el.get("name")
        tables: dict[str, str] = {}
        for part, sheet in sheet_of_part.items():
            folder, _, file = part.rpartition("/")
            for target in _rels(zf, members, f"{folder}/_rels/{file}.rels", folder + "/", limits).values():
                if target in members and "table" in target.rsplit("/", 1)[-1]:
                    head = open_member_capped(zf, members[target], limits.max_part_bytes)[:2000]
                    m = _TABLE_NAME_RE.search(head)
                    if m:
                        tables.setdefault(m.group(1).decode("utf-8", "replace"), sheet)
        for member in members.values():  # a table no sheet links to still tells us the file is ours
            if member.startswith("xl/tables/") and member.endswith(".xml"):
                m = _TABLE_NAME_RE.search(open_member_capped(zf, member, limits.max_part_bytes)[:2000])
                if m:
                    tables.setdefault(m.group(1).decode("utf-8", "replace"), "")
    return names, tables


def _rels(zf: zipfile.ZipFile, members: dict[str, str], part: str, base: str, limits: Limits) -> dict[str, str]:
    """Relationship id -> target member (casefolded) of one .rels part; {} when there is none."""
    real = members.get(part.casefold())
    if real is None:
        return {}
    out: dict[str, str] = {}
    for rel in safe_parse(open_member_capped(zf, real, limits.max_part_bytes)):
        target = (rel.get("Target") or "").replace("\\", "/")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else base + target
        parts: list[str] = []
        for seg in path.split("/"):
            if seg == "..":
                parts = parts[:-1]
            elif seg not in ("", "."):
                parts.append(seg)
        out[rel.get("Id") or ""] = "/".join(parts).casefold()
    return out


def _resolve(ref: str) -> tuple[str, int, int] | None:
    """"'Đơn vị'!$C$4" -> ("Đơn vị", 4, 3); None for ranges, #REF! and anything else."""
    if "!" not in ref:
        return None
    sheet, _, cell = ref.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    try:
        row, col = parse_ref(cell)
    except ValueError:
        return None
    return unicodedata.normalize("NFC", sheet), row, col


# --- the stamp, the unit cells, the rows ----------------------------------------------------------------------
def _read_stamp(sub: RawSubmission, names: dict[str, str], sheets: dict[str, str], grid) -> None:
    for key, name in STAMP_NAMES.items():
        value = None
        target = _resolve(names[name]) if name in names else None
        if target is None and SHEET_META in sheets:
            row, col = parse_ref(STAMP_CELLS[key])
            target = (SHEET_META, row, col)
        if target is not None and target[0] in sheets:
            value = _at(grid(target[0], target[1]), target[1], target[2])
        text = clean_text(value)[0]
        sub.stamp[key] = text or None
    if not sub.stamp.get("campaign_id") and not sub.stamp.get("template_version"):
        sub.issues.append(make_issue(IssueCode.TEMPLATE_UNKNOWN))


def _read_unit(sub: RawSubmission, names: dict[str, str], grid) -> None:
    unit_grid = grid(SHEET_UNIT, 200)
    by_label: dict[str, tuple[int, int]] | None = None  # the labels are read only if a defined name fails
    for f in UNIT_FIELDS:
        target = _resolve(names[f.name]) if f.name in names else None
        if target is not None and target[0] == SHEET_UNIT:
            _, row, col = target
        else:
            if by_label is None:
                by_label = _unit_labels(unit_grid)
            if f.name not in by_label:
                continue  # reported by the rules as name-missing
            row, col = by_label[f.name]
        sub.unit[f.name] = RawCell(_at(unit_grid, row, col), SHEET_UNIT, cell_ref(row, col))


def _unit_labels(unit_grid: list[list[Any]]) -> dict[str, tuple[int, int]]:
    """Defined name -> (row, column) of its value cell, found by the label beside it."""
    by_label: dict[str, tuple[int, int]] = {}
    for r, line in enumerate(unit_grid, start=1):
        if len(line) >= UNIT_LABEL_COL:
            # The template marks required fields "Mã đơn vị (*)": the marker is not part of the label.
            key = fold(clean_text(line[UNIT_LABEL_COL - 1])[0]).removesuffix("(*)").rstrip()
            f = _UNIT_LABEL_KEYS.get(key)
            if f is not None and f.name not in by_label:
                by_label[f.name] = (r, UNIT_VALUE_COL)
    return by_label


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int], list[Issue]]:
    """The row (1-based) holding the most known labels, with label -> column; (0, {}, []) if none."""
    best_row, best = 0, {}
    issues: list[Issue] = []
    for r, line in enumerate(grid[:_HEADER_SCAN_ROWS], start=1):
        found: dict[str, int] = {}
        dupes: list[Issue] = []
        for c, value in enumerate(line, start=1):
            # Data cells (descriptions of hundreds of characters) are never labels: skip them before folding.
            if not isinstance(value, str) or len(value) > _MAX_LABEL_CHARS:
                continue
            f = _LABEL_KEYS.get(fold(value))
            if f is None:
                continue
            if f.key in found:
                dupes.append(make_issue(IssueCode.HEADER_DUPLICATE, sheet=SHEET_INITIATIVES, cell=cell_ref(r, c),
                                        field=f.key, label=f.label))
            else:
                found[f.key] = c
        if len(found) > len(best):
            best_row, best, issues = r, found, dupes
            if len(best) == len(INITIATIVE_FIELDS):
                break  # every label found: no later row can hold more
    # A row with two or three matching words is a title, not the header.
    if len(best) < len(INITIATIVE_FIELDS) // 3:
        return 0, {}, []
    return best_row, best, issues


def _read_rows(sub: RawSubmission, lines: Iterator[list[Any]], max_rows: int) -> None:
    """Find the header in the first rows, then read every row below it that has content, wherever it lies
    (blank rows in between are skipped, never an end): the first ``max_rows`` become rows, the others are
    counted (too-many-rows). A row whose only value is a pre-filled STT is empty."""
    head: list[list[Any]] = []
    for line in lines:
        head.append(line)
        if len(head) >= _HEADER_SCAN_ROWS:
            break
    header_row, columns, dupes = _find_header(head)
    sub.issues.extend(dupes)
    if not header_row:
        for f in INITIATIVE_FIELDS:
            if f.required:
                sub.issues.append(make_issue(IssueCode.HEADER_MISSING, sheet=SHEET_INITIATIVES, field=f.key, label=f.label,
                                             detail="không tìm thấy dòng tiêu đề của bảng sáng kiến"))
        sub.fatal = True
        return
    # Each contract column missing or out of order: one issue at its header cell (addin.cdcs.header).
    sub.issues.extend(header_issues(header_row, head[header_row - 1], columns))
    if "title" not in columns:
        sub.fatal = True
        return
    rows: list[RawRow] = []
    cut = 0
    cut_at = None
    letters = {key: cell_ref(1, c)[:-1] for key, c in columns.items()}  # column letters, once
    for r, line in _numbered(head, lines, header_row):
        row = _data_row(r, line, columns, letters)
        if row is None:
            continue
        if len(rows) < max_rows:
            rows.append(row)
        else:
            cut += 1
            cut_at = cut_at or row.cells["title"].cell
    if cut:
        # Rows past the limit are not checked, but every one is counted so the ledger shows them rejected.
        sub.rows_cut = cut
        sub.issues.append(make_issue(IssueCode.TOO_MANY_ROWS, sheet=SHEET_INITIATIVES, value=max_rows + cut,
                                     limit=max_rows, cell=cut_at))
    sub.rows = rows


def _numbered(head: list[list[Any]], rest: Iterator[list[Any]], header_row: int) -> Iterator[tuple[int, list[Any]]]:
    """(1-based row number, values) of every row below the header: those already read, then the stream."""
    r = header_row
    for line in head[header_row:]:
        r += 1
        yield r, line
    for line in rest:
        r += 1
        yield r, line


def _data_row(r: int, line: list[Any], columns: dict[str, int], letters: dict[str, str]) -> RawRow | None:
    n = len(line)
    values = {key: (line[c - 1] if c - 1 < n else None) for key, c in columns.items()}
    if all(_blank(v) for key, v in values.items() if key not in NON_CONTENT_KEYS):
        return None
    return RawRow(r, {key: RawCell(v, SHEET_INITIATIVES, f"{letters[key]}{r}") for key, v in values.items()})


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())
