"""The ``sangkien`` command line: a thin skin over the library. Each command opens what it is given, calls one
library function, renders the result, and turns named library errors into a Vietnamese message and exit 2.

Exit status (DOMAIN.md): 0 all valid; 1 the run completed and found errors in the data; 2 bad usage or
nothing could be read.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from addin import __version__

app = typer.Typer(
    name="sangkien",
    help="Công cụ Chương trình sáng kiến của tổ chức công đoàn: biểu mẫu CĐCS, kiểm tra, tổng hợp cấp "
    "huyện/ngành và cấp tỉnh.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

RegistryOpt = typer.Option(None, "--registry", help="Tệp danh sách đơn vị (.xlsx). Mặc định: danh sách mẫu Đắk Nông.")
CampaignOpt = typer.Option(None, "--campaign", help="Mã hoặc tệp cấu hình đợt thi đua (.toml). Mặc định: 2021.")
JsonOpt = typer.Option(False, "--json", help="In báo cáo dạng JSON (UTF-8) ra stdout.")


class UsageError(Exception):
    """Bad usage detected by a command (exit 2)."""


def _console(json_mode: bool = False) -> Console:
    # With --json, stdout carries only JSON: human messages go to stderr.
    return Console(stderr=json_mode, highlight=False)


@contextmanager
def _library_errors(console: Console) -> Iterator[None]:
    """Named library errors become one Vietnamese line and exit 2, never a traceback."""
    from validators.errors import SangkienError

    try:
        yield
    except (SangkienError, UsageError) as exc:
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


def _registry(path: Optional[Path]):
    from addin.registry import load_registry

    return load_registry(path)


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., help="Tệp hoặc thư mục biểu mẫu CĐCS cần kiểm tra."),
    json_out: bool = JsonOpt,
    annotate: Optional[Path] = typer.Option(
        None, "--annotate", help="Thư mục ghi bản sao có đánh dấu ô lỗi (tệp gốc không bị sửa)."
    ),
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
) -> None:
    """Kiểm tra biểu mẫu CĐCS đã điền: báo cáo từng ô sai bằng tiếng Việt."""
    from addin.render import render_validation, write_json
    from addin.cdcs.validate import validate_and_annotate

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        missing = [str(f) for f in files if not f.exists()]
        if missing and len(missing) == len(files):
            raise UsageError(f"Không tìm thấy: {', '.join(missing)}")
        with progress_bar(console, "Đang kiểm tra") as cb:
            run = validate_and_annotate(files, camp, reg, annotate_dir=annotate, progress=cb)
        if not run.files:
            raise UsageError("Không có tệp bảng tính nào (.xlsx, .xlsm, .xls, .ods) trong các đường dẫn đã cho.")
        for failure in run.annotate_failures:
            console.print(failure, style="yellow", highlight=False, markup=False)
    if json_out:
        write_json(run.as_json())
    else:
        render_validation(run.files, console)
        if annotate is not None:
            console.print(f"Bản đánh dấu lỗi: {annotate}")
    raise typer.Exit(run.exit_code)


@app.command()
def templates(
    out: Path = typer.Option(Path("bieu-mau"), "--out", help="Thư mục ghi biểu mẫu."),
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
    district: Optional[str] = typer.Option(None, "--district", help="Chỉ tạo cho CĐCS của đơn vị cấp trên này."),
) -> None:
    """Tạo biểu mẫu CĐCS điền sẵn cho từng CĐCS trong danh sách đơn vị, và một biểu mẫu trống."""
    from addin.cdcs.template.files import generate_templates

    console = _console()
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        if district is not None:
            reg.district(district)  # raises a readable error for an unknown code
        with progress_bar(console, "Đang tạo biểu mẫu") as cb:
            paths = generate_templates(camp, reg, out, district_code=district,
                                       progress=(lambda d, t: cb(d, t, "")) if cb else None)
    console.print(f"Đã tạo {len(paths)} biểu mẫu trong thư mục {out}")


def _parse_day(text: str, what: str):
    import datetime as dt

    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise UsageError(f"{what} '{text}' không hợp lệ: nhập theo dạng dd/mm/yyyy.") from None


@app.command()
def district(
    inbox: Path = typer.Argument(..., help="Thư mục chứa các tệp báo cáo CĐCS đã nhận (gồm cả thư mục con)."),
    district_code: str = typer.Option(..., "--district", help="Mã đơn vị cấp trên (LĐLĐ huyện/thành phố, công đoàn ngành)."),
    out: Path = typer.Option(Path("tong-hop-cap-huyen.xlsx"), "--out", help="Tệp bảng tổng hợp cấp huyện (.xlsx)."),
    deadline: Optional[str] = typer.Option(None, "--deadline", help="Hạn nộp của CĐCS (dd/mm/yyyy). Mặc định: theo đợt thi đua."),
    json_out: bool = JsonOpt,
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Kiểm tra lại mọi tệp, không dùng kết quả đã lưu "
                                  "của lần tổng hợp trước (thư mục .sangkien-cache cạnh bảng tổng hợp)."),
) -> None:
    """Tổng hợp báo cáo các CĐCS của một đơn vị cấp trên: tình trạng gửi, sáng kiến, lỗi, đề xuất, chỉ tiêu."""
    from addin.district.consolidate import DistrictSettings, summary_lines
    from addin.district.run import run_district
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        settings = DistrictSettings()
        if deadline is not None:
            settings.deadline = _parse_day(deadline, "Hạn nộp")
        if not inbox.is_dir():
            raise UsageError(f"Không tìm thấy thư mục: {inbox}")
        with progress_bar(console, "Đang tổng hợp") as cb:
            result = run_district(inbox, district_code, camp, reg, workbook=out, settings=settings,
                                  use_cache=not no_cache, progress=cb)
    if json_out:
        write_json(result.as_json())
    else:
        for line in summary_lines(result):
            console.print(line, highlight=False, markup=False)  # names, titles, reasons: the units' text
        console.print(f"Bảng tổng hợp: {out}", highlight=False)
    raise typer.Exit(result.exit_code)


@app.command()
def dossier(
    workbook: Path = typer.Argument(..., help="Bảng tổng hợp cấp huyện đã đánh dấu x các sáng kiến chọn đề nghị lên tỉnh."),
    out: Path = typer.Option(Path("ho-so-gui-tinh"), "--out", help="Thư mục ghi hồ sơ."),
    signed_on: Optional[str] = typer.Option(None, "--date", help="Ngày ký Tờ trình (dd/mm/yyyy). Mặc định: hôm nay."),
    json_out: bool = JsonOpt,
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
) -> None:
    """Xuất hồ sơ gửi tỉnh: Bảng tổng hợp tóm tắt sáng kiến, Tờ trình (.docx) và gói dữ liệu cho tỉnh."""
    from addin.dossier.export import export_dossier
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        day = _parse_day(signed_on, "Ngày") if signed_on is not None else None
        result = export_dossier(workbook, out, camp, reg, signed_on=day)
    if json_out:
        write_json(result.as_json())
    else:
        console.print(f"Đã chọn {len(result.selected)} sáng kiến. Hồ sơ đã ghi:", highlight=False)
        for p in result.files:
            console.print(f"  - {p}", highlight=False)
    raise typer.Exit(0)


@app.command()
def province(
    dossiers: Path = typer.Argument(..., help="Thư mục chứa hồ sơ các đơn vị cấp trên gửi về (mỗi đơn vị một thư mục con)."),
    out: Path = typer.Option(Path("tong-hop-cap-tinh.xlsx"), "--out", help="Tệp bảng tổng hợp cấp tỉnh (.xlsx)."),
    package: Optional[Path] = typer.Option(
        None, "--package", help="Ghi thêm gói dữ liệu cấp tỉnh (.xlsx) kèm Tờ trình và Bảng tổng hợp gửi TLĐ."),
    received: List[str] = typer.Option(
        [], "--received", help="Ngày tỉnh thực nhận hồ sơ của một đơn vị: MÃ=dd/mm/yyyy (dùng lại nhiều lần)."),
    json_out: bool = JsonOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Kiểm tra lại mọi tệp CĐCS gửi thẳng, không dùng kết "
                                  "quả đã lưu của lần tổng hợp trước (thư mục .sangkien-cache cạnh bảng tổng hợp)."),
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
) -> None:
    """Tổng hợp cấp tỉnh: chỉ tiêu toàn tỉnh và từng đơn vị, danh sách đề nghị TLĐ biểu dương, lý do không xét, đôn đốc."""
    from addin.province.consolidate import summary_lines
    from addin.province.run import run_province
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        days = {}
        for item in received:
            code, sep, day = item.partition("=")
            if not sep or not code.strip():
                raise UsageError(f"--received '{item}' không hợp lệ: nhập theo dạng MÃ=dd/mm/yyyy.")
            days[code.strip()] = _parse_day(day, "Ngày nhận hồ sơ")
        if not dossiers.is_dir():
            raise UsageError(f"Không tìm thấy thư mục: {dossiers}")
        with progress_bar(console, "Đang tổng hợp") as cb:
            result = run_province(dossiers, camp, reg, workbook=out, package=package, received=days,
                                  use_cache=not no_cache, progress=cb).result
    if json_out:
        write_json(result.as_json())
    else:
        for line in summary_lines(result):
            console.print(line, highlight=False, markup=False)  # names, titles, reasons: the units' text
        console.print(f"Bảng tổng hợp cấp tỉnh: {out}", highlight=False)
        if package is not None:
            console.print(f"Gói dữ liệu cấp tỉnh: {package}", highlight=False)
    raise typer.Exit(result.exit_code)


@app.command()
def excel(
    out: Path = typer.Option(Path("bang-tinh-nut-bam"), "--out", help="Thư mục ghi các bảng tính có nút bấm (.xlsm)."),
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
    district: Optional[str] = typer.Option(None, "--district", help="Chỉ tạo bảng tính của đơn vị cấp trên này."),
    project_dir: str = typer.Option(
        r"%USERPROFILE%\sangkien", "--project-dir",
        help="Thư mục cài sangkien trên máy Windows dùng bảng tính (có thư mục .venv bên trong)."),
) -> None:
    """Tạo bảng tính Excel có nút bấm (.xlsm) cho từng đơn vị cấp trên và cho tỉnh, điền sẵn theo danh sách đơn vị."""
    from addin.excel.build import build_workbooks

    console = _console()
    with _library_errors(console):
        camp, reg = _campaign(campaign), _registry(registry)
        if district is not None:
            reg.district(district)  # raises a readable error for an unknown code
        campaign_ref = campaign or ""
        if campaign_ref.lower().endswith(".toml"):
            campaign_ref = str(Path(campaign_ref).resolve())
        paths = build_workbooks(camp, reg, out, district_code=district, campaign_ref=campaign_ref,
                                registry_ref=str(registry.resolve()) if registry is not None else "",
                                include_province=district is None, project_dir=project_dir)
    console.print(f"Đã tạo {len(paths)} bảng tính có nút bấm trong thư mục {out}", highlight=False)


@app.command()
def doctor(
    workbooks: List[Path] = typer.Argument(None, help="Bảng tính .xlsm cần kiểm tra. Mặc định: các tệp trong workbook_templates."),
    json_out: bool = JsonOpt,
) -> None:
    """Kiểm tra máy có sẵn sàng cho nút bấm trong Excel: Python, xlwings, macro trong các bảng tính .xlsm."""
    from addin.excel.doctor import run_checks
    from addin.render import write_json

    checks = run_checks(list(workbooks) if workbooks else None)
    failed = [c for c in checks if c.ok is False]
    if json_out:
        write_json({"ok": not failed, "checks": [c.as_json() for c in checks]})
    else:
        console = _console()
        for c in checks:
            mark = {True: "[green]Đạt[/]", False: "[red]LỖI[/]", None: "[dim]Bỏ qua[/]"}[c.ok]
            console.print(f"{mark}  {c.label}: {c.detail}", highlight=False, soft_wrap=True)
        console.print("Máy đã sẵn sàng." if not failed else f"Có {len(failed)} mục cần sửa (xem các dòng LỖI).",
                      highlight=False)
    raise typer.Exit(1 if failed else 0)


@app.command()
def demo(
    out: Path = typer.Option(Path("sangkien-demo"), "--out", help="Thư mục ghi kết quả chạy thử."),
    json_out: bool = JsonOpt,
) -> None:
    """Chạy thử toàn bộ quy trình trên tỉnh mẫu (Đắk Nông, dữ liệu hư cấu)."""
    from addin.demo import run_demo
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        with progress_bar(console, "Đang chạy thử") as cb:
            result = run_demo(out, progress=cb)
    if json_out:
        write_json(result.as_json())
    else:
        result.render(console)
    raise typer.Exit(0)


@app.command()
def version() -> None:
    """In phiên bản của sangkien."""
    typer.echo(f"sangkien {__version__}")


def main() -> None:
    # Windows consoles may not be UTF-8: make Vietnamese output survive any code page.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    try:
        app()  # standalone: usage errors exit 2 with a message; typer.Exit carries our exit status
    except KeyboardInterrupt:
        Console(stderr=True).print("Đã dừng theo yêu cầu.")
        sys.exit(2)
    except Exception as exc:  # a bug of ours: the user gets a sentence and a log file, never a traceback
        log = _write_crash_log(exc)
        Console(stderr=True).print(
            f"[red]Lỗi không mong đợi trong sangkien ({type(exc).__name__}).[/] Dữ liệu của bạn không bị thay đổi. "
            f"Hãy gửi tệp nhật ký này cho bộ phận hỗ trợ: {log}",
            highlight=False,
            soft_wrap=True,  # the path must stay whole to be copied
        )
        sys.exit(2)


def _write_crash_log(exc: BaseException) -> Path:
    import datetime as dt
    import tempfile
    import traceback

    folder = Path(tempfile.gettempdir()) / "sangkien"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    log.write_text(
        f"sangkien {__version__}\nargs: {sys.argv}\n\n" + "".join(traceback.format_exception(exc)), encoding="utf-8"
    )
    return log
