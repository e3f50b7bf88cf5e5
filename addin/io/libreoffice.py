"""Run LibreOffice headless to convert a workbook (recalculated) to another format: xlsx, ods, pdf, csv.

Two things make this reliable:

* Recalculation. By default LibreOffice does NOT recalculate an .xlsx on load ("Recalculation on file
  load: Never recalculate"): it shows the cached results stored in the file. A file written by
  XlsxWriter caches what we chose, and a file saved by openpyxl caches nothing, so a conversion would
  silently report stale or empty results. Each run therefore uses its own throw-away user profile whose
  ``registrymodifications.xcu`` sets ``OOXMLRecalcMode`` and ``ODFRecalcMode`` to 0 ("Always
  recalculate"); LibreOffice then does a hard recalculation of every formula before it saves.
* Isolation. A private profile per run (``-env:UserInstallation``) lets parallel runs coexist (a shared
  profile is locked by the first instance, and later ones fail or hand their job to it) and keeps the
  user's own settings out of it. The process gets a time limit and is killed as a group if it hangs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from validators.errors import ErrorCode, SangkienError

_CANDIDATES = ("soffice", "libreoffice")
_WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_MAC_PATH = "/Applications/LibreOffice.app/Contents/MacOS/soffice"

# 0 = always recalculate, 1 = never, 2 = ask (ask means never when headless).
_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Default export filters, by target extension.
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "ods": "ods:calc8",
    "pdf": "pdf:calc_pdf_Export",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1",  # comma, quote, UTF-8, from line 1
}


class LibreOfficeError(SangkienError):
    """LibreOffice is missing, failed, timed out or produced no output."""


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None if it is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    extra = _WINDOWS_PATHS if sys.platform == "win32" else (_MAC_PATH,) if sys.platform == "darwin" else ()
    for path in extra:
        if Path(path).is_file():
            return path
    return None


def _profile(root: Path, recalc: bool) -> Path:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    if recalc:
        (user / "registrymodifications.xcu").write_text(_RECALC_XCU, encoding="utf-8")
    return root


def convert_all(
    sources: Sequence[str | Path],
    fmt: str,
    outdir: str | Path,
    *,
    timeout: float = 180,
    recalc: bool = True,
    profile_dir: str | Path | None = None,
) -> list[Path]:
    """Convert ``sources`` into ``outdir`` in one LibreOffice run; return the output paths, in order.

    ``fmt`` is an extension (``xlsx``, ``ods``, ``pdf``, ``csv``) or a full ``ext:Filter`` string. Output
    files keep the source's stem, so sources must have distinct stems and ``outdir`` should not be their
    folder (an .xlsx would be overwritten by its own conversion).
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_MISSING)
    srcs = [Path(s).resolve() for s in sources]
    for s in srcs:
        if not s.is_file():
            raise LibreOfficeError(ErrorCode.LIBREOFFICE_SOURCE_MISSING, path=s)
    stems = [s.stem for s in srcs]
    if len(set(stems)) != len(stems):
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_SAME_NAMES)
    target = FILTERS.get(fmt, fmt)
    ext = target.split(":", 1)[0]
    out = Path(outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if any(s.parent == out and s.suffix.lower() == f".{ext}" for s in srcs):
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_OVERWRITE)
    expected = [out / f"{s.stem}.{ext}" for s in srcs]
    for e in expected:
        with contextlib.suppress(FileNotFoundError):
            e.unlink()

    with contextlib.ExitStack() as stack:
        if profile_dir is None:
            profile_root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sangkien-lo-")))
        else:
            profile_root = Path(profile_dir)
        profile = _profile(profile_root, recalc)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", target, "--outdir", str(out), *map(str, srcs),
        ]
        _run(cmd, timeout)
    missing = [str(e) for e in expected if not e.is_file() or e.stat().st_size == 0]
    if missing:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_NO_OUTPUT, files=", ".join(missing))
    return expected


def convert(src: str | Path, fmt: str, outdir: str | Path, *, timeout: float = 180, recalc: bool = True,
            profile_dir: str | Path | None = None) -> Path:
    """Convert one file; see ``convert_all``."""
    return convert_all([src], fmt, outdir, timeout=timeout, recalc=recalc, profile_dir=profile_dir)[0]


def _run(cmd: list[str], timeout: float) -> None:
    kwargs: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if os.name == "posix":
        kwargs["start_new_session"] = True  # soffice forks soffice.bin: kill the whole group on timeout
    proc = subprocess.Popen(cmd, **kwargs)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_TIMEOUT, seconds=f"{timeout:.0f}") from None
    if proc.returncode != 0:
        # LibreOffice's own stderr is English and technical: kept on the error (``params["detail"]``) for the
        # crash log and the debug log, never in the sentence the user reads.
        detail = err.decode("utf-8", "replace").strip()
        logging.getLogger(__name__).debug("soffice exited with %s: %s", proc.returncode, detail)
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_FAILED, status=proc.returncode, detail=detail)
