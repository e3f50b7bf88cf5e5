"""An annotated copy of a unit's workbook: every cell with an issue highlighted and explained in a comment,
plus a sheet listing all issues. The original file is never touched; the copy is written atomically."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from addin.cdcs.error_sheet import build_error_sheet
from addin.io.atomic import atomic_path
from addin.io.sanitize import formula_is_inert, safe_cell_text
from validators.issues import Severity
from validators.layout import SHEET_CHECK
from validators.report import FileReport

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
ISSUES_SHEET = "Lỗi cần sửa"
_ANNOTATABLE = (".xlsx", ".xlsm")


class AnnotateError(Exception):
    """The copy cannot be made (the file is not an OOXML workbook we can rewrite)."""


def _neutralise(wb) -> None:
    """Only the template's own checks stay live: any other formula, or one that could reach outside the
    workbook, becomes its text; links to anything but a place in the workbook are removed."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formula = getattr(cell.value, "text", None) or str(cell.value)
                    if ws.title != SHEET_CHECK or not formula_is_inert(formula.lstrip("=")):
                        cell.value = safe_cell_text(formula)
                        cell.data_type = "s"
                        cell.quotePrefix = True
                if cell.hyperlink is not None and (cell.hyperlink.target or not cell.hyperlink.location):
                    cell.hyperlink = None


def annotate_copy(source: str | Path, report: FileReport, out_dir: str | Path) -> Path:
    source = Path(source)
    if source.suffix.lower() not in _ANNOTATABLE or not report.readable:
        raise AnnotateError(f"Không tạo được bản đánh dấu lỗi cho {source.name}: chỉ hỗ trợ tệp .xlsx/.xlsm đọc được.")
    target = Path(out_dir) / f"{source.stem} - danh dau loi.xlsx"
    # keep_vba=False: the copy must carry no macro from the input.
    wb = load_workbook(source, keep_vba=False, keep_links=False)
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
