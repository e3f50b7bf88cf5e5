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
    target = FILTERS.get(fmt, fmt)
    ext = target.split(":", 1)[0]
    srcs, out = _prepare(sources, outdir, ext)
    expected = [out / f"{s.stem}.{ext}" for s in srcs]
    for e in expected:
        with contextlib.suppress(FileNotFoundError):
            e.unlink()
    _convert(srcs, target, out, timeout=timeout, recalc=recalc, profile_dir=profile_dir)
    missing = [str(e) for e in expected if not e.is_file() or e.stat().st_size == 0]
    if missing:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_NO_OUTPUT, files=", ".join(missing))
    return expected


# Every sheet as UTF-8 CSV: comma, double quote, from line 1; raw values, not as shown; sheets: -1 = all.
_ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def recalculated_sheets(sources: Sequence[str | Path], outdir: str | Path, *, timeout: float = 180,
                        profile_dir: str | Path | None = None) -> list[dict[str, Path]]:
    """Recalculate ``sources`` in one LibreOffice run and write every sheet of each as CSV; return, for each
    source in order, its sheet names -> CSV paths (LibreOffice names them ``<stem>-<sheet>.csv``).

    When only the computed values are wanted (a workbook's self-check read back), this costs about half an
    .xlsx export: no styles, validations or formats are written. No stem may extend another with "-"."""
    srcs, out = _prepare(sources, outdir, "csv")
    stems = sorted(s.stem for s in srcs)
    if any(b.startswith(a + "-") for a in stems for b in stems if a != b):
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_SAME_NAMES)
    for old in out.glob("*.csv"):
        if any(old.name.startswith(f"{s.stem}-") for s in srcs):
            old.unlink()
    _convert(srcs, _ALL_SHEETS_CSV, out, timeout=timeout, recalc=True, profile_dir=profile_dir)
    found: dict[str, dict[str, Path]] = {s.stem: {} for s in srcs}
    csvs = list(out.glob("*.csv"))
    for s in srcs:
        prefix = f"{s.stem}-"
        found[s.stem] = {p.stem[len(prefix):]: p for p in csvs if p.stem.startswith(prefix)}
    missing = [str(s) for s in srcs if not found[s.stem]]
    if missing:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_NO_OUTPUT, files=", ".join(missing))
    return [found[s.stem] for s in srcs]


def _prepare(sources: Sequence[str | Path], outdir: str | Path, ext: str) -> tuple[list[Path], Path]:
    """The sources (resolved, existing, distinct stems) and the output folder (created, not theirs)."""
    if find_soffice() is None:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_MISSING)
    srcs = [Path(s).resolve() for s in sources]
    for s in srcs:
        if not s.is_file():
            raise LibreOfficeError(ErrorCode.LIBREOFFICE_SOURCE_MISSING, path=s)
    stems = [s.stem for s in srcs]
    if len(set(stems)) != len(stems):
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_SAME_NAMES)
    out = Path(outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if any(s.parent == out and s.suffix.lower() == f".{ext}" for s in srcs):
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_OVERWRITE)
    return srcs, out


# The launcher (``soffice``: oosplash on Linux) silently drops file arguments past about 242: it relays at most
# 256 arguments to the office process. A longer batch runs the office binary beside it directly (one process
# for every file, restarted once if it only created its profile, as the launcher does); without one, the
# batch is cut into runs the launcher passes on whole.
_LAUNCHER_MAX_FILES = 200
_RESTART = 81  # the office asks its launcher for a restart (the first run of a new profile)


def _convert(srcs: list[Path], target: str, out: Path, *, timeout: float, recalc: bool,
             profile_dir: str | Path | None) -> None:
    """Convert every source into ``out`` with filter ``target``: one office process when it can take them all."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_MISSING)
    direct = _office_binary(soffice) if len(srcs) > _LAUNCHER_MAX_FILES else None
    runs = [srcs] if direct or len(srcs) <= _LAUNCHER_MAX_FILES else \
        [srcs[i:i + _LAUNCHER_MAX_FILES] for i in range(0, len(srcs), _LAUNCHER_MAX_FILES)]
    with contextlib.ExitStack() as stack:
        if profile_dir is None:
            profile_root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sangkien-lo-")))
        else:
            profile_root = Path(profile_dir)
        profile = _profile(profile_root, recalc)
        for run in runs:
            cmd = [
                direct or soffice,
                f"-env:UserInstallation={profile.resolve().as_uri()}",
                "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                "--convert-to", target, "--outdir", str(out), *map(str, run),
            ]
            if _run(cmd, timeout, restart_ok=direct is not None):
                _run(cmd, timeout)


def _office_binary(launcher: str) -> str | None:
    """The office process the launcher starts (``program/soffice.bin``), if it sits beside it."""
    binary = Path(launcher).resolve().with_name("soffice.bin")
    return str(binary) if binary.is_file() and os.access(binary, os.X_OK) else None


def convert(src: str | Path, fmt: str, outdir: str | Path, *, timeout: float = 180, recalc: bool = True,
            profile_dir: str | Path | None = None) -> Path:
    """Convert one file; see ``convert_all``."""
    return convert_all([src], fmt, outdir, timeout=timeout, recalc=recalc, profile_dir=profile_dir)[0]


def _run(cmd: list[str], timeout: float, *, restart_ok: bool = False) -> bool:
    """Run one conversion; True when the office only asked to be restarted (``restart_ok``: run it again)."""
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
    if restart_ok and proc.returncode == _RESTART:
        return True
    if proc.returncode != 0:
        # LibreOffice's own stderr is English and technical: kept on the error (``params["detail"]``) for the
        # crash log and the debug log, never in the sentence the user reads.
        detail = err.decode("utf-8", "replace").strip()
        logging.getLogger(__name__).debug("soffice exited with %s: %s", proc.returncode, detail)
        raise LibreOfficeError(ErrorCode.LIBREOFFICE_FAILED, status=proc.returncode, detail=detail)
    return False
