"""The double-click launchers beside each workbook, and the .zip that carries workbooks and launchers by e-mail.

A launcher runs ``sangkien run "<its workbook>.xlsm" --launcher``: the door for offices where the buttons
cannot work (macros blocked by policy or a mail gateway, Defender's ASR rule against Office starting
processes, WPS without VBA, Excel for Mac without RunPython). ``--launcher`` lets Python ask which button
to run and keep the window open on the result, so every word the user reads comes from Python, in
Vietnamese. One text per system:

- ``.cmd`` (Windows): ``sangkien.exe`` of the project the workbook's ``xlwings.conf`` names (``--project-dir``,
  ``%USERPROFILE%\\sangkien`` by default), or of ``%SANGKIEN_HOME%``;
- ``.command`` (Mac, opened by Terminal) and ``.sh`` (Linux): ``$SANGKIEN_HOME/.venv/bin/sangkien``
  (default ``~/sangkien``), else ``sangkien`` on the PATH.

The texts are fixed by the workbook's file name and the project folder, so a build gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from addin.io.atomic import atomic_path
from addin.io.zipwriter import ZipMember, zip_bytes

LAUNCHER_SUFFIXES = (".cmd", ".command", ".sh")
EXECUTABLE = 0o100755  # a regular file, rwxr-xr-x: Terminal and sh run it on a double-click

_NOT_FOUND = ("Không tìm thấy chương trình sangkien ({where}). Hãy cài theo mục «Cài đặt» trong README, "
              "hoặc đặt biến môi trường SANGKIEN_HOME là thư mục cài sangkien.")


def windows_launcher(workbook_name: str, project_dir: str) -> str:
    # cmd.exe reads a batch file line by line in the console's code page: after chcp 65001 the lines below are
    # UTF-8, so the one message written here keeps its diacritics.
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        "setlocal",
        f'set "SANGKIEN_EXE={project_dir}\\.venv\\Scripts\\sangkien.exe"',
        'if defined SANGKIEN_HOME set "SANGKIEN_EXE=%SANGKIEN_HOME%\\.venv\\Scripts\\sangkien.exe"',
        'if exist "%SANGKIEN_EXE%" goto run',
        "echo " + _NOT_FOUND.format(where="%SANGKIEN_EXE%"),  # outside a ( ) block: the message has brackets
        "pause",
        "exit /b 2",
        ":run",
        f'"%SANGKIEN_EXE%" run "%~dp0{workbook_name}" --launcher %*',
    ]
    return "\r\n".join(lines) + "\r\n"


def posix_launcher(workbook_name: str) -> str:
    quoted = workbook_name.replace("'", "'\\''")
    lines = [
        "#!/bin/sh",
        f"# sangkien: the buttons of '{quoted}' without a macro (made by sangkien excel).",
        'here="$(cd "$(dirname "$0")" && pwd)"',
        'exe="${SANGKIEN_HOME:-$HOME/sangkien}/.venv/bin/sangkien"',
        '[ -x "$exe" ] || exe="$(command -v sangkien || true)"',
        'if [ -z "$exe" ]; then',
        "    echo '" + _NOT_FOUND.format(where="~/sangkien/.venv/bin/sangkien") + "'",
        '    [ -t 0 ] && read -r _',
        "    exit 2",
        "fi",
        f"exec \"$exe\" run \"$here/{quoted}\" --launcher \"$@\"",
    ]
    return "\n".join(lines) + "\n"


def launcher_texts(workbook_name: str, project_dir: str) -> dict[str, str]:
    posix = posix_launcher(workbook_name)
    return {".cmd": windows_launcher(workbook_name, project_dir), ".command": posix, ".sh": posix}


def write_launchers(workbook: Path, project_dir: str) -> list[Path]:
    """The three launchers beside ``workbook``, named after it."""
    written = []
    for suffix, text in launcher_texts(workbook.name, project_dir).items():
        path = workbook.with_suffix(suffix)
        with atomic_path(path) as tmp:
            Path(tmp).write_bytes(text.encode("utf-8"))
        if suffix != ".cmd":
            os.chmod(path, EXECUTABLE & 0o777)
        written.append(path)
    return written


def write_bundle(files: Sequence[Path], root: Path, target: Path) -> Path:
    """``files`` (paths under ``root``) in one .zip for e-mail; launchers keep their executable bit."""
    members = []
    for path in sorted(files):
        name = path.relative_to(root).as_posix()
        mode = EXECUTABLE if path.suffix in (".command", ".sh") else None
        members.append(ZipMember.from_data(name, path.read_bytes(), mode=mode))
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(zip_bytes(members))
    return target
