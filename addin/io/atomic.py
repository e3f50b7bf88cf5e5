"""Atomic output: write to a temporary file beside the target, then rename over it.

An interrupted run therefore leaves the previous output whole.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
import time
from pathlib import Path
from typing import Iterator

from addin.io.names import visible_name
from validators.errors import SangkienError


class OutputWriteError(SangkienError, OSError):
    """An output could not be written (no permission, disk full, file open elsewhere): a Vietnamese message
    naming the file and what to do. Also an OSError, so callers that tolerate a failed write still do."""


def write_error(target: Path, exc: BaseException) -> OutputWriteError:
    """The user's message for a failed write of ``target`` (the original exception is its cause)."""
    os_exc = exc if isinstance(exc, OSError) else exc.__cause__ or exc.__context__
    err = getattr(os_exc, "errno", None)
    winerror = getattr(os_exc, "winerror", None)
    name, folder = visible_name(target.name), visible_name(str(target.parent))
    if winerror in (32, 33) or err in (errno.EBUSY, errno.ETXTBSY):
        why = "tệp đang được mở trong chương trình khác (Excel?). Hãy đóng tệp đó rồi chạy lại"
    elif err in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        why = "ổ đĩa đã đầy. Hãy giải phóng dung lượng hoặc chọn thư mục trên ổ đĩa khác rồi chạy lại"
    elif isinstance(os_exc, PermissionError) or err in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = (f"không có quyền ghi vào thư mục '{folder}' (hoặc tệp đang mở trong Excel). Hãy đóng tệp, "
               "hoặc chọn thư mục khác rồi chạy lại")
    else:
        why = f"lỗi ghi tệp{f' (mã lỗi {err})' if err else ''}. Hãy kiểm tra thư mục '{folder}' rồi chạy lại"
    return OutputWriteError(f"Không ghi được tệp '{name}': {why}.")


def _is_write_failure(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc.__context__
    return isinstance(exc, OSError) or isinstance(cause, OSError)


# Temporary files older than this, left by a run killed before it could clean up (kill -9, power cut), are
# removed by the next write into the same folder.
STALE_TMP_SECONDS = 15 * 60


def _remove_stale(target: Path) -> None:
    try:
        now = time.time()
        for old in target.parent.glob(f".{glob.escape(target.stem)}.*{glob.escape(target.suffix)}.tmp"):
            with contextlib.suppress(OSError):
                if now - old.stat().st_mtime > STALE_TMP_SECONDS:
                    old.unlink()
    except OSError:
        pass


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``. A failure to write
    (permissions, disk full, a file locked by Excel) is an ``OutputWriteError`` with the user's message."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise write_error(target, exc) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); an output is an ordinary file for its folder.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, Exception) and not isinstance(exc, OutputWriteError) and _is_write_failure(exc):
            raise write_error(target, exc) from exc
        raise


def write_bytes_fast(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, without fsync: for the thousands of
    generated files of one run (an fsync each would dominate its time; the set can be regenerated). No
    half-written file is ever visible under its real name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
