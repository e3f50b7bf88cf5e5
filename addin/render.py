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

MAX_ISSUES_SHOWN = 15  # per file on the console; the JSON and the errors sheet always have them all


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


def render_validation(files: tuple[FileReport, ...] | list[FileReport], console: Console) -> None:
    table = Table(title="Kết quả kiểm tra", show_lines=False)
    table.add_column("Tệp", overflow="fold")
    table.add_column("Mã đơn vị")
    table.add_column("Trạng thái")
    table.add_column("Sáng kiến", justify="right")
    table.add_column("Lỗi", justify="right")
    table.add_column("Cảnh báo", justify="right")
    for f in files:
        # File names and unit codes come from the units: text, never Rich markup ("[/]" would stop the run).
        table.add_row(escape(f.path), escape(f.unit_code or ""), _status(f), str(f.stats.rows_read),
                      str(f.stats.errors), str(f.stats.warnings))
    console.print(table)
    for f in files:
        errors = [i for i in f.issues if i.severity is Severity.ERROR]
        if not errors:
            continue
        console.print(f"\n[bold]{escape(f.path)}[/]: {len(errors)} lỗi")
        for issue in errors[:MAX_ISSUES_SHOWN]:
            where = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else (issue.sheet or "")
            console.print(f"  • {where + ': ' if where else ''}{issue.message}", highlight=False, markup=False)
        if len(errors) > MAX_ISSUES_SHOWN:
            console.print(f"  … và {len(errors) - MAX_ISSUES_SHOWN} lỗi khác (xem --json hoặc --annotate).")
    valid = sum(1 for f in files if f.valid)
    unreadable = sum(1 for f in files if not f.readable)
    console.print(
        f"\nTổng cộng {len(files)} tệp: {valid} hợp lệ, {len(files) - valid - unreadable} có lỗi, "
        f"{unreadable} không đọc được."
    )
