"""Renderers of reports: plain data in, text out. The library never prints; the CLI and Excel layer do."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from validators.issues import Severity
from validators.report import FileReport

DEFAULT_LIMIT = 200  # issues listed per run on the console unless --all; the JSON and the errors sheet have all


def write_json(data: Any, stream=None) -> None:
    """UTF-8 JSON on stdout whatever the console's code page (Windows consoles default to cp1258/cp437)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    out = stream or sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)


def _status(report: FileReport) -> str:
    if not report.readable:
        return "[red]Không đọc được[/]"
    return "[green]Hợp lệ[/]" if report.valid else "[yellow]Có lỗi[/]"


def render_validation(files: tuple[FileReport, ...] | list[FileReport], console: Console, *,
                      limit: int | None = DEFAULT_LIMIT, warnings: bool = False) -> None:
    """The table of files, then their issues grouped by file and row: every error up to ``limit`` (None: all),
    warnings only when asked; the closing lines say what was left out and how to see it."""
    table = Table(title="Kết quả kiểm tra", show_lines=False)
    table.add_column("Tệp", overflow="fold")
    table.add_column("Mã đơn vị")
    table.add_column("Trạng thái")
    table.add_column("Sáng kiến", justify="right")
    table.add_column("Lỗi", justify="right")
    table.add_column("Lưu ý", justify="right")
    for f in files:
        # File names and unit codes come from the units: text, never Rich markup ("[/]" would stop the run).
        table.add_row(escape(f.path), escape(f.unit_code or ""), _status(f), str(f.stats.rows_read),
                      str(f.stats.errors), str(f.stats.warnings))
    console.print(table)
    hidden = _render_issues(files, console, limit=limit, warnings=warnings)
    valid = sum(1 for f in files if f.valid)
    unreadable = sum(1 for f in files if not f.readable)
    console.print(
        f"\nTổng cộng {len(files)} tệp: {valid} hợp lệ, {len(files) - valid - unreadable} có lỗi, "
        f"{unreadable} không đọc được."
    )
    if hidden.errors or hidden.warnings:
        console.print(hidden.sentence(), highlight=False, markup=False)


class _Hidden:
    def __init__(self) -> None:
        self.errors = 0
        self.warnings = 0

    def sentence(self) -> str:
        parts = []
        if self.errors:
            parts.append(f"{self.errors} lỗi chưa in (thêm --all để in hết)")
        if self.warnings:
            parts.append(f"{self.warnings} lưu ý chưa in (thêm --warnings để in)")
        return "Còn " + "; ".join(parts) + ". Danh sách đầy đủ: --json hoặc bản đánh dấu lỗi (--annotate THƯ_MỤC)."


def _row_of(issue) -> int:
    cell = issue.cell or ""
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else 0


def _render_issues(files, console: Console, *, limit: int | None, warnings: bool) -> _Hidden:
    hidden = _Hidden()
    budget = limit
    for f in files:
        errors = [i for i in f.issues if i.severity is Severity.ERROR]
        notes = [i for i in f.issues if i.severity is not Severity.ERROR]
        shown = errors + (notes if warnings else [])
        if not warnings:
            hidden.warnings += len(notes)
        if not shown:
            continue
        console.print(f"\n[bold]{escape(f.path)}[/]: {len(errors)} lỗi, {len(notes)} lưu ý", highlight=False)
        shown.sort(key=lambda i: (i.sheet or "", _row_of(i), i.severity is not Severity.ERROR))
        group = None
        for issue in shown:
            if budget is not None and budget <= 0:
                if issue.severity is Severity.ERROR:
                    hidden.errors += 1
                else:
                    hidden.warnings += 1
                continue
            if budget is not None:
                budget -= 1
            key = (issue.sheet or "", _row_of(issue))
            if key != group:
                group = key
                title = (f"Trang «{key[0]}», dòng {key[1]}" if key[0] and key[1]
                         else f"Trang «{key[0]}»" if key[0] else "Toàn tệp")
                console.print(f"  {title}", highlight=False, markup=False)
            kind = "Lỗi" if issue.severity is Severity.ERROR else "Lưu ý"
            where = f" {issue.cell}" if issue.cell else ""
            console.print(f"    • {kind}{where}: {issue.message}", highlight=False, markup=False)
    return hidden
