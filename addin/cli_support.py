"""What every ``sangkien`` verb shares: the Typer app with its Vietnamese frame, the common options, the
console, the progress bar, loading the campaign, registry and province plan, and turning a named library
error into one Vietnamese sentence (a bug into a crash log, never a traceback). ``addin.cli`` holds the verbs."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from addin import __version__
from addin.cli_framework import CommandLineError, console_width, match_code, new_app


app = new_app(
    "Công cụ Chương trình sáng kiến của tổ chức công đoàn: biểu mẫu CĐCS, kiểm tra, tổng hợp cấp "
    "huyện/ngành và cấp tỉnh.",
    name="sangkien",
)

DEFAULT_LIMIT = 200  # errors printed by validate without --all (addin.render.DEFAULT_LIMIT)
RegistryOpt = typer.Option(None, "--registry", help="Tệp danh sách đơn vị (.xlsx). Mặc định: danh sách mẫu Đắk Nông.")
CampaignOpt = typer.Option(None, "--campaign", help="Mã hoặc tệp cấu hình đợt thi đua (.toml). Mặc định: 2021.")
PlanOpt = typer.Option(None, "--plan", help="Tệp kế hoạch (.toml hoặc .xlsx có trang «Thông tin»): hạn, số lượng, "
                       "chỉ tiêu. Mặc định: trang «Thông tin» của danh sách đơn vị.")
JsonOpt = typer.Option(False, "--json", help="In báo cáo dạng JSON (UTF-8) ra stdout.")


UsageError = CommandLineError  # bad usage detected by a command (exit 2)


def _console(json_mode: bool = False) -> Console:
    # With --json, stdout carries only JSON: human messages go to stderr.
    return Console(stderr=json_mode, highlight=False, width=console_width())


@contextmanager
def _library_errors(console: Console) -> Iterator[None]:
    """Named library errors become one Vietnamese line and exit 2, never a traceback."""
    from validators.errors import SangkienError

    from addin.io.atomic import OutputWriteError

    try:
        yield
    except OutputWriteError as exc:  # the user's to fix; the details (errno, path) go to the log
        log = _write_crash_log(exc)
        console.print(f"[red]Lỗi:[/] {escape(str(exc))} (chi tiết: {log})", highlight=False)
        raise typer.Exit(2) from None
    except (SangkienError, UsageError) as exc:
        if getattr(exc, "params", {}).get("detail"):  # a tool's raw output (LibreOffice): for the log only
            log = _write_crash_log(exc)
            console.print(f"[red]Lỗi:[/] {escape(str(exc))} (chi tiết: {log})", highlight=False)
        else:
            console.print(f"[red]Lỗi:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None


@contextmanager
def progress_bar(console: Console, label: str) -> Iterator:
    """A rich progress bar; yields the ``progress(done, total, name)`` callback the library accepts."""
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, name: str = "") -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _campaign(source: Optional[str]):
    from validators.campaign import load_campaign

    return load_campaign(source)


def _campaign_for(source: Optional[str], path: Optional[Path], plan: Optional[Path] = None):
    """The campaign and the registry, the province's plan (the ``plan`` file, else the registry's «Thông tin»)
    layered over the campaign: a plan that contradicts the program stops here, before anything is written."""
    from addin.province.plan_file import province_campaign

    reg = _registry(path)
    return province_campaign(_campaign(source), reg, plan), reg


def _beside(path: Path, folder: Path) -> str:
    """``path`` as the button workbooks in ``folder`` will find it: relative to that folder (the buttons resolve
    it against the workbook's own folder), so the build machine's absolute path is never written; absolute
    only when no relative path exists (another drive)."""
    import os

    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()  # folder need not exist yet
    except ValueError:
        return str(path.resolve())


def _registry(path: Optional[Path]):
    from addin.registry import load_registry

    return load_registry(path)


def _district_code(reg, text: str) -> str:
    """A district-level code as the registry spells it, typed in any case."""
    return match_code(text, [d.code for d in reg.districts], "Mã đơn vị cấp trên")


def _write_crash_log(exc: BaseException) -> Path:
    import datetime as dt
    import tempfile
    import traceback

    folder = Path(tempfile.gettempdir()) / "sangkien"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    params = getattr(exc, "params", None) or {}
    extra = "".join(f"{k}: {v}\n" for k, v in params.items())
    log.write_text(
        f"sangkien {__version__}\nargs: {sys.argv}\n{extra}\n" + "".join(traceback.format_exception(exc)),
        encoding="utf-8"
    )
    return log
