"""An annotated copy of a unit's workbook: every cell with an issue highlighted and explained in a comment,
plus a sheet listing all issues. The original file is never touched; the copy is written atomically.

The copy is made from the very bytes the gate passed (never from the path again) and stripped to an
allowlist, because a user opens it in Excel: cell formulas stay live only on the template's check sheet and
only when inert; a defined name stays only when it is a plain reference to cells of the workbook or an inert
formula; conditional formats and data validations likewise; hyperlinks only to a place in the workbook; the
input's own comments, external links, macros and connections are dropped. A name or format calling
WEBSERVICE("http://…"&A1) or DDE cmd|'/C calc'!A0 would otherwise leak data or start a program on open.

openpyxl keeps every cell and style as Python objects (~1 KB a cell; 600,000 cell styles took 1.5 GB), so
the copy is refused, with a clear reason, for a workbook whose sheets or styles are beyond what a CĐCS file
ever holds: the reader checks such a file in ~100 MB; only its marked copy is not made.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import PatternFill

from addin.cdcs.error_sheet import build_error_sheet
from addin.io.atomic import atomic_path
from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.io.names import visible_name
from addin.io.shared_formulas import remember_shared_formulas
from addin.io.sanitize import formula_is_inert, safe_cell_text
from validators.issues import Severity
from validators.layout import SHEET_CHECK
from validators.report import FileReport
from validators.errors import ErrorCode, SangkienError

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
ISSUES_SHEET = "Lỗi cần sửa"
_ANNOTATABLE = (".xlsx", ".xlsm")


class AnnotateError(SangkienError):
    """The copy cannot be made (the file is not an OOXML workbook we can rewrite)."""


def _neutralise(wb) -> None:
    """Only the template's own checks stay live: any other formula, or one that could reach outside the
    workbook, becomes its text; links to anything but a place in the workbook are removed; so is every
    defined name, conditional format and data validation that is not a plain, inert calculation."""
    for name in list(wb.defined_names):
        if not _inert_ref(wb.defined_names[name].attr_text):
            del wb.defined_names[name]
    for ws in wb.worksheets:
        for name in list(ws.defined_names):
            if not _inert_ref(ws.defined_names[name].attr_text):
                del ws.defined_names[name]
        kept = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                if all(_inert_ref(f) for f in (rule.formula or [])):
                    kept.add(str(cf.sqref), rule)
        ws.conditional_formatting = kept
        ws.data_validations.dataValidation = [
            dv for dv in ws.data_validations.dataValidation
            if _inert_ref(dv.formula1) and _inert_ref(dv.formula2)
        ]
        # The cells stored, not the rectangle around them: iter_rows() would create every cell up to the
        # farthest one (formatting on XFD1048576 means 17 billion).
        for cell in list(ws._cells.values()):
            if cell.data_type == "f":
                formula = getattr(cell.value, "text", None) or str(cell.value)
                if ws.title != SHEET_CHECK or not formula_is_inert(formula.lstrip("=")):
                    cell.value = safe_cell_text(formula)
                    cell.data_type = "s"
                    cell.quotePrefix = True
            if cell.hyperlink is not None and (cell.hyperlink.target or not cell.hyperlink.location):
                cell.hyperlink = None
            if cell.comment is not None:
                cell.comment = None  # the input's notes: ours replace them


def _inert_ref(text: str | None) -> bool:
    """A defined name's, format's or validation's formula that only reads or calculates on the workbook."""
    if text is None or text == "":
        return True
    return formula_is_inert(str(text).lstrip("="))


# What the copy may cost: openpyxl holds every cell and style in memory. A CĐCS file's sheets inflate to
# ~300 KB and its styles.xml to ~20 KB; these caps are a hundred times that.
MAX_SHEETS_BYTES = 30 * 2**20
MAX_STYLES_BYTES = 2 * 2**20


def _check_cost(data: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = styles = 0
        for info in zf.infolist():
            key = info.filename.casefold()
            if key.endswith("styles.xml"):
                styles += info.file_size
            elif key.startswith("xl/") and key.endswith(".xml") and "sheet" in key:
                sheets += info.file_size
    if sheets > MAX_SHEETS_BYTES or styles > MAX_STYLES_BYTES:
        raise AnnotateError(ErrorCode.ANNOTATE_TOO_LARGE, name=name)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b) or a.resolve() == Path(b).resolve()
    except OSError:
        return False


def annotate_copy(source: str | Path, report: FileReport, out_dir: str | Path, *, avoid: tuple[Path, ...] = ()) -> Path:
    """Write the marked copy of ``source`` in ``out_dir``; ``AnnotateError`` when it cannot or may not be made
    (never over ``source`` or any path in ``avoid``: the inputs of the run)."""
    source = Path(source)
    shown = visible_name(source.name)
    if source.suffix.lower() not in _ANNOTATABLE or not report.readable:
        raise AnnotateError(ErrorCode.ANNOTATE_UNSUPPORTED, shown=shown)
    target = Path(out_dir) / f"{source.stem} - danh dau loi.xlsx"
    if any(_same_file(target, p) for p in (source, *avoid)):
        raise AnnotateError(ErrorCode.ANNOTATE_OVER_INPUT, shown=shown, target=visible_name(target.name))
    try:
        gated = open_workbook(source)
    except WorkbookRefused as refused:
        raise AnnotateError(ErrorCode.ANNOTATE_REFUSED, shown=shown, message=refused.issue.message) from None
    if gated.kind != "xlsx":
        raise AnnotateError(ErrorCode.ANNOTATE_NOT_XLSX, shown=shown)
    _check_cost(gated.data, shown)
    remember_shared_formulas()  # the template's flag sheet: translated once per campaign, not per file
    # keep_vba=False: the copy must carry no macro from the input; keep_links=False: no external link.
    try:
        wb = load_workbook(io.BytesIO(gated.data), keep_vba=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl is stricter than the reader on some producers' files
        raise AnnotateError(ErrorCode.ANNOTATE_UNREADABLE, shown=shown, name=type(exc).__name__) from None
    _neutralise(wb)
    by_cell: dict[tuple[str, str], list] = defaultdict(list)
    for issue in report.issues:
        if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
            by_cell[(issue.sheet, issue.cell)].append(issue)
    for (sheet, cell), issues in by_cell.items():
        ws = wb[sheet]
        if ws.protection.sheet:
            ws.protection.sheet = False  # the copy is for reading the comments, not for filling in
        target_cell = ws[cell]
        worst = Severity.ERROR if any(i.severity is Severity.ERROR for i in issues) else Severity.WARNING
        target_cell.fill = ERROR_FILL if worst is Severity.ERROR else WARNING_FILL
        text = "\n".join(f"{'Lỗi' if i.severity is Severity.ERROR else 'Lưu ý'}: {i.message}" for i in issues)
        comment = Comment(text, "sangkien")
        comment.width, comment.height = 320, 40 + 30 * len(issues)
        target_cell.comment = comment
    if ISSUES_SHEET in wb.sheetnames:
        del wb[ISSUES_SHEET]
    build_error_sheet(wb, report, ISSUES_SHEET)
    wb.active = 0
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
