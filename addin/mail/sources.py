"""Where messages come from: an mbox file (Google Takeout, Thunderbird), a folder of .eml files, or an IMAP
mailbox (``addin.mail.imap``). Each source yields ``RawMessage``: a stable key (so a re-run skips what it
already has), the message's bytes, and the server's receipt time when the source knows it.

An mbox of a whole year's mail can be gigabytes: it is streamed line by line and one message is held at a
time; a message beyond ``MAX_MESSAGE_BYTES`` is skipped (and reported), not loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Gmail refuses messages over 25 MB of attachments (about 34 MB encoded); 100 MB covers any real server.
MAX_MESSAGE_BYTES = 100 * 2**20


@dataclass
class RawMessage:
    key: str  # stable across runs: the source, and the message's place or content hash
    raw: bytes | None  # None when the message could not be read (``problem`` says why)
    internaldate: dt.datetime | None = None  # the server's receipt time (IMAP INTERNALDATE), aware
    label: str = ""  # where it is, for the clerk: "thư số 12 trong hop-thu.mbox"
    problem: str = ""


def content_key(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def mbox_messages(path: str | Path) -> Iterator[RawMessage]:
    """Every message of an mbox file, in order. ``From `` lines start messages (after a blank line, or at the
    top); ``>From `` quoting (mboxrd) is undone; CRLF files are read as they are."""
    path = Path(path)
    number = 0
    with open(path, "rb") as fh:
        buf: list[bytes] = []
        size = 0
        too_big = False
        prev_blank = True
        started = False
        for line in fh:
            if line.startswith(b"From ") and prev_blank:
                if started:
                    number += 1
                    yield _mbox_message(path, number, buf, too_big)
                buf, size, too_big, started = [], 0, False, True
                prev_blank = False
                continue
            prev_blank = line in (b"\n", b"\r\n")
            if not started:
                if line.strip():
                    started = True  # a file without a first "From " line: one message anyway
                else:
                    continue
            if too_big:
                continue
            if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
                line = line[1:]
            size += len(line)
            if size > MAX_MESSAGE_BYTES:
                too_big, buf = True, []
                continue
            buf.append(line)
        if started:
            number += 1
            yield _mbox_message(path, number, buf, too_big)


def _mbox_message(path: Path, number: int, lines: list[bytes], too_big: bool) -> RawMessage:
    label = f"thư số {number} trong {path.name}"
    if too_big:
        return RawMessage(key=f"mbox:{path.name}:{number}:too-big", raw=None, label=label,
                          problem=f"thư lớn hơn {MAX_MESSAGE_BYTES // 2**20} MB, bỏ qua")
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the blank line before the next "From " belongs to the separator
    raw = b"".join(lines)
    return RawMessage(key=content_key(raw), raw=raw, label=label)


def eml_messages(folder: str | Path) -> Iterator[RawMessage]:
    """Every ``.eml`` file under ``folder`` (sub-folders too), in name order."""
    folder = Path(folder)
    paths: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        paths.extend(Path(root) / f for f in sorted(files) if f.lower().endswith(".eml") and not f.startswith("."))
    for p in paths:
        label = f"tệp thư {p.relative_to(folder).as_posix()}"
        try:
            size = p.stat().st_size
            if size > MAX_MESSAGE_BYTES:
                yield RawMessage(key=f"eml:{p.name}:{size}:too-big", raw=None, label=label,
                                 problem=f"thư lớn hơn {MAX_MESSAGE_BYTES // 2**20} MB, bỏ qua")
                continue
            raw = p.read_bytes()
        except OSError as exc:
            yield RawMessage(key=f"eml:{p.name}:unreadable", raw=None, label=label,
                             problem=f"không đọc được tệp ({exc.strerror or exc})")
            continue
        yield RawMessage(key=content_key(raw), raw=raw, label=label)


__all__ = ["MAX_MESSAGE_BYTES", "RawMessage", "content_key", "eml_messages", "mbox_messages"]
