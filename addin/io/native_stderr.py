"""Keep what native code writes to stderr off the user's console, in a log file instead.

python-calamine is Rust: on a damaged file it may panic, and Rust prints "thread '<unnamed>' panicked at
…" (and a backtrace with RUST_BACKTRACE set) straight to file descriptor 2 before Python turns the panic into
an exception we report as an issue on the file. Python's own "Exception ignored in …" notices (a zip file
half-written on a full disk, closed by the garbage collector) go there too. The user should see our one
Vietnamese sentence, not either of those.

``divert_native_stderr`` points descriptor 2 at a log file (inherited by worker processes) and gives Python a
new ``sys.stderr`` on a copy of the original descriptor, so every message of ours still reaches the console.
POSIX only: on Windows native code writes to the process's standard-error handle, and the Excel buttons have
no console to protect.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

MAX_LOG_BYTES = 1 * 2**20


def native_log_path() -> Path:
    return Path(tempfile.gettempdir()) / "sangkien" / "stderr-native.log"


def divert_native_stderr(log: Path | None = None) -> Path | None:
    """Send descriptor 2 to ``log`` (default ``native_log_path()``); None when not done (not POSIX, or
    no log could be opened: the console then stays as it was)."""
    if os.name != "posix" or sys.stderr is not sys.__stderr__:
        return None  # Windows, or stderr already redirected by a host (a test harness, an embedding program)
    log = log or native_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        if log.exists() and log.stat().st_size > MAX_LOG_BYTES:
            log.unlink()
        sys.stderr.flush()
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        real = os.dup(2)
    except (OSError, ValueError, AttributeError):
        return None
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    console = open(real, "w", encoding=encoding, errors="replace", buffering=1)  # noqa: SIM115 - lives as sys.stderr
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = console
    sys.unraisablehook = _to_log
    return log


def _to_log(unraisable) -> None:
    """Python's "Exception ignored in …" notices: to descriptor 2, now the log."""
    try:
        stream = sys.__stderr__
        if stream is not None:
            stream.write(f"Exception ignored in: {unraisable.object!r}\n")
            traceback.print_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback, file=stream)
            stream.flush()
    except Exception:  # noqa: BLE001 - a hook must never raise
        pass
