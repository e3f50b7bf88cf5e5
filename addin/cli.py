"""The ``sangkien`` command line: a thin skin over the library. Each command opens what it is given, calls one
library function, renders the result, and turns named library errors into a Vietnamese message and exit 2.

Exit status (DOMAIN.md): 0 all valid; 1 the run completed and found errors in the data; 2 bad usage or
nothing could be read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from addin import __version__
from addin.cli_framework import parse_day, warn
from addin.cli_support import (DEFAULT_LIMIT, CampaignOpt, JsonOpt, PlanOpt, RegistryOpt, UsageError, _beside, _campaign,
                                _campaign_for, _console, _district_code, _library_errors, _write_crash_log, app,
                                progress_bar)


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., metavar="TỆP", help="Tệp hoặc thư mục biểu mẫu CĐCS cần kiểm tra."),
    json_out: bool = JsonOpt,
    show_all: bool = typer.Option(False, "--all", help=f"In mọi lỗi (mặc định in tối đa {DEFAULT_LIMIT} lỗi)."),
    warnings: bool = typer.Option(False, "--warnings", help="In cả các lưu ý (mặc định chỉ đếm)."),
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
        camp, reg = _campaign_for(campaign, registry)
        missing = [str(f) for f in files if not f.exists()]
        if missing and len(missing) == len(files):
            switch = " (--json, --all, --warnings là công tắc: không ghi true/false sau chúng)" if any(
                m.lower() in ("true", "false", "yes", "no", "1", "0") for m in missing) else ""
            raise UsageError(f"Không tìm thấy: {', '.join(missing)}{switch}")
        with progress_bar(console, "Đang kiểm tra") as cb:
            run = validate_and_annotate(files, camp, reg, annotate_dir=annotate, progress=cb)
        if not run.files:
            raise UsageError("Không có tệp bảng tính nào (.xlsx, .xlsm, .xls, .ods) trong các đường dẫn đã cho.")
        for failure in run.annotate_failures:
            console.print(failure, style="yellow", highlight=False, markup=False)
    if json_out:
        write_json(run.as_json())
    else:
        render_validation(run.files, console, limit=None if show_all else DEFAULT_LIMIT, warnings=warnings)
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
        camp, reg = _campaign_for(campaign, registry)
        if district is not None:
            district = _district_code(reg, district)
        with progress_bar(console, "Đang tạo biểu mẫu") as cb:
            paths = generate_templates(camp, reg, out, district_code=district,
                                       progress=(lambda d, t: cb(d, t, "")) if cb else None)
    console.print(f"Đã tạo {len(paths)} biểu mẫu trong thư mục {out}")


@app.command()
def district(
    inbox: Path = typer.Argument(..., metavar="THƯ_MỤC", help="Thư mục chứa các tệp báo cáo CĐCS đã nhận (gồm cả thư mục con)."),
    district_code: str = typer.Option(..., "--district", help="Mã đơn vị cấp trên (LĐLĐ huyện/thành phố, công đoàn ngành)."),
    out: Path = typer.Option(Path("tong-hop-cap-huyen.xlsx"), "--out", help="Tệp bảng tổng hợp cấp huyện (.xlsx)."),
    deadline: Optional[str] = typer.Option(None, "--deadline", help="Hạn nộp của CĐCS (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy hoặc yyyy-mm-dd). Mặc định: theo đợt thi đua."),
    quota: List[str] = typer.Option(
        [], "--quota", help="Số sáng kiến một CĐCS được đề xuất lên huyện: MÃ=số (dùng lại nhiều lần). "
        "Mặc định: theo đợt thi đua."),
    own_propagated: Optional[bool] = typer.Option(
        None, "--own-propagated/--own-not-propagated",
        help="Đơn vị cấp trên đã tự tổ chức tuyên truyền Chương trình (tính vào chỉ tiêu 100% công đoàn các cấp)."),
    own_movement: str = typer.Option(
        "", "--own-movement", help="Tên phong trào thi đua đặc thù của chính đơn vị cấp trên (để trống: chưa có)."),
    json_out: bool = JsonOpt,
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Kiểm tra lại mọi tệp, không dùng kết quả đã lưu "
                                  "của lần tổng hợp trước (thư mục .sangkien-cache cạnh bảng tổng hợp)."),
) -> None:
    """Tổng hợp báo cáo các CĐCS của một đơn vị cấp trên: tình trạng gửi, sáng kiến, lỗi, đề xuất, chỉ tiêu."""
    from addin.district.records import DistrictSettings
    from addin.district.result import summary_lines
    from addin.district.run import run_district
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign_for(campaign, registry)
        district_code = _district_code(reg, district_code)
        settings = DistrictSettings(own_propagated=own_propagated, own_movement=own_movement.strip())
        if deadline is not None:
            settings.deadline = parse_day(deadline, "Hạn nộp")
        for item in quota:
            code, sep, n = item.partition("=")
            if not sep or not code.strip() or not n.strip().isdigit():
                raise UsageError(f"--quota '{item}' không hợp lệ: nhập theo dạng MÃ=số, ví dụ CJ001=2.")
            settings.quotas[code.strip()] = int(n.strip())
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
    workbook: Path = typer.Argument(..., metavar="BẢNG_TÍNH", help="Bảng tổng hợp cấp huyện đã đánh dấu x các sáng kiến chọn đề nghị lên tỉnh."),
    out: Path = typer.Option(Path("ho-so-gui-tinh"), "--out", help="Thư mục ghi hồ sơ."),
    signed_on: Optional[str] = typer.Option(None, "--date", help="Ngày ký Tờ trình (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy hoặc yyyy-mm-dd). Mặc định: hôm nay."),
    json_out: bool = JsonOpt,
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
) -> None:
    """Xuất hồ sơ gửi tỉnh: Bảng tổng hợp tóm tắt sáng kiến, Tờ trình (.docx) và gói dữ liệu cho tỉnh."""
    from addin.dossier.export import export_dossier
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign_for(campaign, registry)
        day = parse_day(signed_on, "Ngày") if signed_on is not None else None
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
    dossiers: Path = typer.Argument(..., metavar="THƯ_MỤC", help="Thư mục chứa hồ sơ các đơn vị cấp trên gửi về (mỗi đơn vị một thư mục con)."),
    out: Path = typer.Option(Path("tong-hop-cap-tinh.xlsx"), "--out", help="Tệp bảng tổng hợp cấp tỉnh (.xlsx)."),
    package: Optional[Path] = typer.Option(
        None, "--package", help="Ghi thêm gói dữ liệu cấp tỉnh (.xlsx) kèm Tờ trình và Bảng tổng hợp gửi TLĐ."),
    received: List[str] = typer.Option(
        [], "--received", help="Ngày tỉnh thực nhận hồ sơ của một đơn vị: MÃ=dd/mm/yyyy (qua cả bưu điện và email), "
        "hoặc MÃ=ngày-bưu-điện,ngày-email (để trống phần chưa nhận); dùng lại nhiều lần; mã không phân biệt chữ hoa, thường."),
    json_out: bool = JsonOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Kiểm tra lại mọi tệp CĐCS gửi thẳng, không dùng kết "
                                  "quả đã lưu của lần tổng hợp trước (thư mục .sangkien-cache cạnh bảng tổng hợp)."),
    registry: Optional[Path] = RegistryOpt,
    campaign: Optional[str] = CampaignOpt,
    plan: Optional[Path] = PlanOpt,
) -> None:
    """Tổng hợp cấp tỉnh: chỉ tiêu toàn tỉnh và từng đơn vị, danh sách đề nghị TLĐ biểu dương, lý do không xét, đôn đốc."""
    from addin.province.consolidate import summary_lines
    from addin.province.run import run_province
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp, reg = _campaign_for(campaign, registry, plan)
        days = {}
        for item in received:
            code, sep, day = item.partition("=")
            if not sep or not code.strip():
                raise UsageError(f"--received '{item}' không hợp lệ: nhập theo dạng MÃ=dd/mm/yyyy.")
            known = {d.code.casefold(): d.code for d in reg.districts}
            if code.strip().casefold() not in known:
                warn(console, f"--received: mã «{escape(code.strip())}» không có trong danh sách đơn vị cấp trên; "
                              "bỏ qua ngày này.")
                continue
            if "," in day:
                post, _, email = day.partition(",")
                days[known[code.strip().casefold()]] = tuple(parse_day(d, "Ngày nhận hồ sơ") if d.strip() else None
                                                             for d in (post, email))
            else:
                days[known[code.strip().casefold()]] = parse_day(day, "Ngày nhận hồ sơ")
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
def national(
    packages: Path = typer.Argument(..., help="Thư mục chứa gói dữ liệu các tỉnh gửi về (kèm Tờ trình, Bảng tổng hợp)."),
    out: Path = typer.Option(Path("tong-hop-toan-quoc.xlsx"), "--out", help="Tệp bảng tổng hợp toàn quốc (.xlsx)."),
    json_out: bool = JsonOpt,
    campaign: Optional[str] = CampaignOpt,
    plan: Optional[Path] = typer.Option(None, "--plan", help="Tệp chỉ tiêu toàn quốc (.toml hoặc .xlsx có trang "
                                        "«Thông tin», các dòng «Chỉ tiêu: <mã>»). Mặc định: chỉ tiêu của đợt thi đua."),
) -> None:
    """Tổng hợp toàn quốc từ gói dữ liệu các tỉnh: chỉ tiêu, từng tỉnh, đề nghị biểu dương và lý do không xét."""
    from addin.province.national_run import run_national, summary_lines
    from addin.province.plan_file import national_campaign
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        camp = national_campaign(_campaign(campaign), plan)
        if not packages.is_dir():
            raise UsageError(f"Không tìm thấy thư mục: {packages}")
        with progress_bar(console, "Đang tổng hợp") as cb:
            result = run_national(packages, camp, workbook=out, progress=cb)
    if json_out:
        write_json(result.as_json())
    else:
        for line in summary_lines(result):
            console.print(line, highlight=False, markup=False)
        console.print(f"Bảng tổng hợp toàn quốc: {out}", highlight=False)
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
    zip_out: bool = typer.Option(False, "--zip", help="Gói thêm mọi bảng tính và trình chạy vào một tệp .zip để "
                                 "gửi qua email."),
) -> None:
    """Tạo bảng tính Excel có nút bấm (.xlsm) cho từng đơn vị cấp trên và cho tỉnh, điền sẵn theo danh sách đơn vị,
    kèm trình chạy không cần macro (.cmd, .command, .sh) bên cạnh mỗi bảng tính."""
    from addin.excel.build import build_workbooks
    from addin.excel.launchers import LAUNCHER_SUFFIXES, write_bundle

    console = _console()
    with _library_errors(console):
        camp, reg = _campaign_for(campaign, registry)
        if district is not None:
            district = _district_code(reg, district)
        campaign_ref = campaign or ""
        if campaign_ref.lower().endswith(".toml"):
            campaign_ref = _beside(Path(campaign_ref), out / "district")  # the workbooks sit in out/<kind>/
        paths = build_workbooks(camp, reg, out, district_code=district, campaign_ref=campaign_ref,
                                registry_ref=_beside(registry, out / "district") if registry is not None else "",
                                include_province=district is None, project_dir=project_dir)
        if zip_out:
            files = [p.with_suffix(x) for p in paths for x in (".xlsm", *LAUNCHER_SUFFIXES)]
            bundle = write_bundle(files, out, out / "sangkien-bang-tinh.zip")
    console.print(f"Đã tạo {len(paths)} bảng tính có nút bấm (kèm trình chạy không cần macro) trong thư mục {out}",
                  highlight=False)
    if zip_out:
        console.print(f"Tệp nén để gửi qua email: {bundle}", highlight=False)


@app.command()
def run(
    workbook: Path = typer.Argument(..., help="Bảng tính có nút bấm (.xlsm) do sangkien excel tạo, đã lưu cấu hình."),
    export: bool = typer.Option(False, "--export", help="Chạy nút xuất (Xuất hồ sơ gửi tỉnh / Xuất danh sách đề nghị "
                                "TLĐ) thay cho nút tổng hợp."),
    no_open: bool = typer.Option(False, "--no-open", help="Không mở kết quả khi xong."),
    launcher: bool = typer.Option(False, "--launcher", hidden=True,
                                  help="Gọi từ trình chạy: hỏi chạy nút nào, giữ cửa sổ mở khi xong."),
) -> None:
    """Chạy nút của bảng tính .xlsm mà không cần macro: đọc trang «Cấu hình» đã lưu, ghi kết quả cạnh bảng tính."""
    from addin.excel.buttons import open_in_file_manager
    from addin.excel.launch import run_workbook

    console = _console()
    interactive = launcher and sys.stdin.isatty()
    try:
        if interactive and not export:
            console.print(f"Bảng tính: {workbook.name}\n  1. Tổng hợp (bấm Enter)\n  2. Xuất hồ sơ / danh sách đề "
                          "nghị (gõ 2 rồi Enter)", highlight=False)
            export = input("Chọn: ").strip() == "2"
        with _library_errors(console):
            with progress_bar(console, "Đang chạy") as cb:
                done = run_workbook(workbook, export=export, progress=cb)
        for line in done.lines:
            console.print(line, highlight=False, markup=False, soft_wrap=True)  # paths stay whole
        if done.opened is not None and not no_open:
            try:
                open_in_file_manager(done.opened)
            except OSError:
                console.print(f"Không mở được {done.opened}: hãy mở bằng tay.", highlight=False)
        console.print("Xong." if done.exit_code == 0 else "Xong; có lỗi trong dữ liệu (xem bảng tổng hợp).",
                      highlight=False)
    finally:
        if interactive:
            input("Bấm Enter để đóng cửa sổ.")
    raise typer.Exit(done.exit_code)


@app.command()
def doctor(
    workbooks: List[Path] = typer.Argument(None, metavar="BẢNG_TÍNH", help="Bảng tính .xlsm cần kiểm tra. Mặc định: các tệp trong workbook_templates."),
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
def mail(
    out: Path = typer.Option(..., "--out", help="Thư mục hộp thư nhận tệp (thư mục báo cáo của sangkien district/province)."),
    imap: Optional[str] = typer.Option(None, "--imap", help="Máy chủ IMAP (ví dụ imap.gmail.com); mật khẩu lấy từ biến "
                                       "môi trường SANGKIEN_MAIL_PASSWORD hoặc được hỏi, không bao giờ được lưu."),
    port: int = typer.Option(993, "--port", help="Cổng IMAP qua TLS."),
    user: Optional[str] = typer.Option(None, "--user", help="Tên đăng nhập hộp thư (địa chỉ email)."),
    folder: str = typer.Option("INBOX", "--folder", help="Thư mục thư trên máy chủ (mặc định INBOX)."),
    cafile: Optional[Path] = typer.Option(None, "--cafile", help="Chứng chỉ CA riêng của máy chủ thư nội bộ (.pem)."),
    mbox: Optional[Path] = typer.Option(None, "--mbox", help="Tệp hộp thư .mbox (Google Takeout, Thunderbird)."),
    eml: Optional[Path] = typer.Option(None, "--eml", help="Thư mục chứa các thư đã lưu (.eml)."),
    since: Optional[str] = typer.Option(None, "--since", help="Chỉ lấy thư nhận từ ngày này (dd/mm/yyyy)."),
    json_out: bool = JsonOpt,
) -> None:
    """Lấy tệp đính kèm từ hộp thư (IMAP chỉ đọc, .mbox hoặc thư mục .eml) vào thư mục nhận, ghi thời điểm nhận."""
    import os
    import ssl

    from addin.mail.fetch import ImapAccount, fetch_mail, summary_lines
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        if sum(x is not None for x in (imap, mbox, eml)) != 1:
            raise UsageError("Chọn đúng một nguồn thư: --imap MÁY_CHỦ --user TÊN, --mbox TỆP hoặc --eml THƯ_MỤC.")
        day = parse_day(since, "Ngày --since") if since is not None else None
        account = None
        if imap is not None:
            if not user:
                raise UsageError("Cần --user (địa chỉ email đăng nhập) khi lấy thư qua IMAP.")
            password = os.environ.get("SANGKIEN_MAIL_PASSWORD")
            if not password:
                if not sys.stdin.isatty():
                    raise UsageError("Chưa có mật khẩu: đặt biến môi trường SANGKIEN_MAIL_PASSWORD.")
                password = typer.prompt(f"Mật khẩu (ứng dụng) của {user}", hide_input=True)
            context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
            account = ImapAccount(host=imap, user=user, password=password, folder=folder, port=port,
                                  ssl_context=context)
        with progress_bar(console, "Đang lấy thư") as cb:
            run = fetch_mail(out, mbox=mbox, eml=eml, imap=account, since=day, progress=cb)
    if json_out:
        write_json(run.as_json())
    else:
        for line in summary_lines(run):
            console.print(line, highlight=False, markup=False)
    raise typer.Exit(run.exit_code)


@app.command()
def demo(
    out: Path = typer.Option(Path("sangkien-demo"), "--out", help="Thư mục ghi kết quả chạy thử."),
    via_mail: bool = typer.Option(False, "--mail", help="Gửi các tệp qua email giả lập (một tệp .mbox mỗi đơn vị "
                                  "cấp trên), lấy về bằng sangkien mail rồi mới tổng hợp."),
    json_out: bool = JsonOpt,
) -> None:
    """Chạy thử toàn bộ quy trình trên tỉnh mẫu (Đắk Nông, dữ liệu hư cấu)."""
    from addin.demo import run_demo
    from addin.render import write_json

    console = _console(json_out)
    with _library_errors(console):
        with progress_bar(console, "Đang chạy thử") as cb:
            result = run_demo(out, progress=cb, via_mail=via_mail)
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
    from addin.io.native_stderr import divert_native_stderr

    # Windows consoles may not be UTF-8: make Vietnamese output survive any code page.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    divert_native_stderr()  # Rust panics and "Exception ignored" notices go to a log, not the console
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


