"""The mail manifest (``.sangkien-mail.json``, beside the saved files): which message every saved file came
from, and when the server received it.

Why a manifest: the time a file reached the mailbox is the only proof of a submission date that neither the
sender (who types «Ngày gửi») nor the clerk (whose save time is the file time) can bend. The district and the
province read it through ``received_times`` alone; ``fetch_mail`` writes it and uses it to fetch only what
is new on a re-run. A file is credited with its e-mail time only while its bytes are those received (its
hash is checked): a file edited or replaced by hand falls back to the ordinary rules.

Times are stored as ISO 8601 with their offset; ``received_times`` gives them as naive datetimes on the
campaign's clock, Vietnam time (UTC+7, no daylight saving), the clock of every deadline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.io.atomic import atomic_path

MANIFEST_NAME = ".sangkien-mail.json"
FORMAT = 1
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
# How far up from a folder a manifest is looked for (a district folder inside a province's mail inbox).
_PARENT_LEVELS = 3


def to_vietnam_time(moment: dt.datetime) -> dt.datetime:
    """A received time on the campaign's clock, naive (a naive input is taken as already local)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def sha256_of(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


@dataclass
class Manifest:
    """The manifest of one mail inbox: ``messages`` by key, ``files`` by path relative to ``folder``."""

    folder: Path
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    problem: str = ""  # why an existing manifest could not be read (it is then rebuilt, never trusted)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def load(cls, folder: str | Path) -> Manifest:
        folder = Path(folder)
        m = cls(folder)
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return m
        except (OSError, ValueError) as exc:
            m.problem = f"không đọc được {MANIFEST_NAME}: {exc}"
            return m
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            m.problem = f"{MANIFEST_NAME} không đúng định dạng"
            return m
        msgs, files = data.get("messages"), data.get("files")
        m.messages = msgs if isinstance(msgs, dict) else {}
        m.files = files if isinstance(files, dict) else {}
        return m

    def save(self) -> None:
        data = {"format": FORMAT, "tool": "sangkien mail", "messages": self.messages, "files": self.files}
        with atomic_path(self.path) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    def known_message_ids(self) -> set[str]:
        return {m["message_id"] for m in self.messages.values() if m.get("message_id")}

    def path_of_hash(self) -> dict[str, str]:
        """sha256 -> the saved file holding those bytes (the first one recorded)."""
        out: dict[str, str] = {}
        for rel, f in self.files.items():
            out.setdefault(str(f.get("sha256")), rel)
        return out


def _parse_time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return to_vietnam_time(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def _manifests_for(folder: Path) -> list[Path]:
    """Manifest folders that may describe files under ``folder``: the folder, a few parents, its sub-folders."""
    found: list[Path] = []
    here = folder
    for _ in range(_PARENT_LEVELS + 1):
        if (here / MANIFEST_NAME).is_file():
            found.append(here)
        if here.parent == here:
            break
        here = here.parent
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if MANIFEST_NAME in files and Path(root) != folder:
            found.append(Path(root))
    return found


def received_times(folder: str | Path) -> dict[str, dt.datetime]:
    """{path relative to ``folder`` ("/" separators): the time its message reached the mailbox} for every file
    under ``folder`` that a mail manifest records and whose bytes are still those received. Naive, Vietnam
    time. Never raises: no manifest, or an unreadable one, gives no times (the ordinary rules apply)."""
    folder = Path(folder)
    out: dict[str, dt.datetime] = {}
    try:
        base = folder.resolve()
        roots = _manifests_for(folder)
    except OSError:
        return out
    for root in roots:
        m = Manifest.load(root)
        for rel, info in m.files.items():
            msg = m.messages.get(str(info.get("message")), {})
            moment = _parse_time(info.get("received") or msg.get("received"))
            if moment is None or not isinstance(rel, str):
                continue
            path = (root / rel)
            try:
                inside = path.resolve().relative_to(base).as_posix()
            except (ValueError, OSError):
                continue  # outside the folder asked about
            if inside in out and out[inside] <= moment:
                continue
            if sha256_of(path) != info.get("sha256"):
                continue  # changed or removed since it was received: not evidence any more
            out[inside] = moment
    return out


__all__ = ["MANIFEST_NAME", "VIETNAM", "Manifest", "received_times", "sha256_of", "to_vietnam_time"]
