"""``sangkien doctor``: is this machine ready for the workbook buttons? Each check is one line a support
person can read over the phone: Python, the pinned xlwings, its DLL and pywin32 on Windows, the project's
virtual environment where ``xlwings.conf`` points, paths free of diacritics (a Windows user name like
«Nguyễn Văn A» breaks xlwings' interpreter check), and every macro-enabled workbook found (our macros
present, the embedded xlwings VBA module of the installed version)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from addin import PROJECT_ROOT
from addin.excel import layout as L

_VERSION_LINE = re.compile(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"')


@dataclass
class Check:
    label: str
    ok: bool | None  # None: not applicable here (e.g. a Windows check on Linux)
    detail: str

    def as_json(self) -> dict:
        return {"label": self.label, "ok": self.ok, "detail": self.detail}


def pinned_xlwings() -> str | None:
    for req in importlib.metadata.requires("sangkien") or []:
        m = re.match(r"^xlwings\s*==\s*([\w.]+)", req)
        if m:
            return m.group(1)
    return None


def embedded_modules(path: Path) -> dict[str, str]:
    from pyopenvba import ExcelFile

    with ExcelFile(path) as wb:
        return wb.vba_modules()


MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb", ".xls", ".xlt", ".xla")


def unreadable_macros(path: Path) -> str:
    """Why the macros of ``path`` cannot be read, in Vietnamese (the reading library's message is English)."""
    if not path.exists():
        return "không tìm thấy tệp"
    if path.is_dir():
        return "đây là thư mục, không phải bảng tính .xlsm"
    if path.suffix.lower() not in MACRO_SUFFIXES:
        return f"không phải bảng tính có macro (.xlsm): tệp có đuôi «{path.suffix or 'không có'}»"
    return "không đọc được macro: tệp bị hỏng hoặc không phải bảng tính Excel"


def embedded_xlwings_version(modules: dict[str, str]) -> str | None:
    m = _VERSION_LINE.search(modules.get("xlwings", ""))
    return m.group(1) if m else None


def conf_value(path: Path, key: str) -> str:
    """A value of the workbook's ``xlwings.conf`` sheet, ``%VARS%`` left for ``os.path.expandvars``."""
    from addin.io.gate.workbook import open_workbook

    rows = open_workbook(path).grid(L.S_XLWINGS)
    return next((str(r[1]) for r in rows if len(r) > 1 and str(r[0]).upper() == key), "")


def find_workbooks(root: Path | None = None) -> list[Path]:
    from addin.sample.shipped import default_shipped_root

    root = root or default_shipped_root()
    return sorted(p for sub in ("district", "province") for p in (root / sub).glob("*.xlsm"))


ASCII_ADVICE = r"sangkien excel --project-dir C:\sangkien"


def ascii_path_check(paths: dict[str, str]) -> Check:
    """Paths the buttons depend on (Python, the project, each workbook's interpreter) must be plain ASCII:
    xlwings' VBA checks the interpreter with ``GetAttr`` on the expanded ``%USERPROFILE%``, which fails on
    characters outside the ANSI code page (a user name like «Nguyễn Văn A») with "Could not find Interpreter!"."""
    bad = {what: p for what, p in paths.items() if not p.isascii()}
    if not bad:
        return Check("Đường dẫn không dấu", True, "đường dẫn của Python và sangkien chỉ có chữ không dấu")
    listed = "; ".join(f"{what}: {p}" for what, p in bad.items())
    return Check("Đường dẫn không dấu", False,
                 f"{listed} — đường dẫn có chữ có dấu (thường do tên người dùng Windows có dấu) có thể làm nút bấm "
                 "báo «Could not find Interpreter!». Hãy chép sangkien vào C:\\sangkien, cài lại môi trường ở đó "
                 f"và tạo lại bảng tính bằng lệnh {ASCII_ADVICE} (trình chạy cạnh bảng tính vẫn dùng được).")


def run_checks(workbooks: list[Path] | None = None, *, windows: bool | None = None) -> list[Check]:
    windows = sys.platform == "win32" if windows is None else windows
    checks: list[Check] = []
    py_ok = sys.version_info >= (3, 11)
    bits = struct.calcsize("P") * 8
    checks.append(Check("Python", py_ok, f"{sys.version.split()[0]} ({bits} bit) tại {sys.executable}"
                        + ("" if py_ok else " — cần Python 3.11 trở lên")))
    try:
        installed = importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    pinned = pinned_xlwings()
    checks.append(Check("xlwings", installed is not None and installed == pinned,
                        f"đã cài {installed or 'KHÔNG'}; sangkien cần {pinned}"
                        + ("" if installed == pinned else " — chạy lại lệnh cài đặt trong README")))
    if windows:
        # Excel loads the DLL of its own bitness (xlwings.bas: xlwings64 for 64-bit Office, xlwings32 otherwise)
        # from the environment's root; the Windows wheel puts both there.
        dlls = [Path(sys.prefix) / f"xlwings{b}-{installed}.dll" for b in (64, 32)]
        found = [d.name for d in dlls if d.is_file()]
        checks.append(Check("Thư viện xlwings cho Excel", bool(found),
                            ", ".join(found) + f" trong {sys.prefix}" if found else
                            f"không thấy {dlls[0].name} trong {sys.prefix} — cài lại: pip install --force-reinstall "
                            f"xlwings=={pinned}"))
        has_win32 = importlib.util.find_spec("win32com") is not None
        checks.append(Check("pywin32", has_win32, "có" if has_win32 else "thiếu — pip install pywin32"))
    else:
        checks.append(Check("Excel trên Windows", None, "máy này không phải Windows (nút bấm chỉ chạy trong "
                            "Excel trên Windows)"))
    books = find_workbooks() if workbooks is None else workbooks
    paths = {"Python": sys.executable, "sangkien": str(PROJECT_ROOT)}
    if windows:
        for path in books:
            with contextlib.suppress(Exception):  # a damaged workbook is reported below
                paths[f"{path.name}: Python của nút bấm"] = os.path.expandvars(conf_value(path, "INTERPRETER_WIN"))
    checks.append(ascii_path_check(paths))
    checks.append(Check("Bảng tính có nút bấm", bool(books), f"tìm thấy {len(books)} tệp .xlsm"))
    for path in books:
        try:
            modules = embedded_modules(path)
        except Exception:  # noqa: BLE001 - a damaged file is a failed check, not a crash
            checks.append(Check(path.name, False, unreadable_macros(path)))
            continue
        version = embedded_xlwings_version(modules)
        ours = L.MACRO_MODULE in modules
        ok = ours and version == installed
        why = []
        if not ours:
            why.append(f"thiếu module {L.MACRO_MODULE}")
        if version != installed:
            why.append(f"module xlwings trong tệp là {version}, khác bản đã cài {installed}: tạo lại bằng "
                       "lệnh sangkien excel")
        checks.append(Check(path.name, ok, "macro đầy đủ, xlwings " + str(version) if ok else "; ".join(why)))
        if windows:
            interpreter = Path(os.path.expandvars(conf_value(path, "INTERPRETER_WIN")))
            checks.append(Check(f"{path.name}: Python của nút bấm", interpreter.is_file(),
                                str(interpreter) if interpreter.is_file() else
                                f"không thấy {interpreter}: cài sangkien vào đúng thư mục đó như README hướng dẫn, "
                                "hoặc tạo lại bảng tính bằng sangkien excel --project-dir <thư mục cài>"))
    return checks
