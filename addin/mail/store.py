"""Saving a message's attachments under the inbox: safe, unique, readable names; the same bytes saved once;
zips unpacked through the safety gate.

Layout: one folder per message, ``<yyyy-mm-dd hhmm> <sender address>`` (Vietnam time), holding its
attachments under their own names made safe. A message keeps its files together, which a district dossier
needs (its package names the Tờ trình and the Bảng tổng hợp sent beside it), and a clerk can find a file by
when and from whom it came.

Names: accents stripped by the project's one rule (``validators.text.names.strip_accents``), then only
letters, digits and ``space . _ ( ) + , - @`` kept; no leading dot, no Windows device name, at most 100
characters; a different file already under the name gets `` (2)``, `` (3)`` … Nothing the sender writes can
name a path: every name is reduced to its last component before anything else.

Zips: the gate's container checks (``archive_refusal``: no absolute path, no ``..``, no drive, no bomb by
ratio or total, no overlapping members) run on the central directory before one byte is inflated; links
and nested archives are not followed (a nested archive is saved as it is, and listed); each member is read
no further than its declared size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from addin.cdcs.validate import WORKBOOK_SUFFIXES
from addin.io.atomic import write_bytes_fast
from addin.io.gate.inspect import inspect_bytes
from addin.io.gate.limits import Limits
from addin.io.gate.zipscan import archive_refusal
from addin.mail.manifest import Manifest, sha256_of
from addin.mail.mime import Attachment, decode_bytes
from validators.issues import Issue, IssueCode, make_issue
from validators.text.names import strip_accents

MAX_ATTACHMENT_BYTES = 60 * 2**20  # a 25 MB Gmail attachment passes; a 60 MB junk part does not fill a disk
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+,@-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_ZIP_MAGIC = b"PK\x03\x04"


def safe_name(name: str, default: str = "tep-dinh-kem") -> str:
    """A sender's file name as a safe, readable file name: 'Báo cáo Trường Lê Lợi.xlsx' ->
    'Bao cao Truong Le Loi.xlsx'; '../../etc/passwd' -> 'passwd'; 'CON.xlsx' -> '_CON.xlsx'."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not (0 < len(ext) <= 10 and ext.isascii() and ext.isalnum()):
        stem, ext = name, ""
    stem = " ".join(_UNSAFE.sub(" ", strip_accents(stem)).split()).strip(" .")
    stem = stem[:100].rstrip(" .") or default
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext.lower()}" if ext else stem


def message_folder_name(received: dt.datetime | None, sender: str) -> str:
    addr = sender.rsplit("<", 1)[-1].rstrip(">") if "<" in sender else sender
    when = received.strftime("%Y-%m-%d %H%M") if received else "khong-ro-ngay"
    return safe_name(f"{when} {addr}".strip(), default="thu")


@dataclass
class Saved:
    """What became of one message's attachments."""

    files: list[dict] = field(default_factory=list)  # {"path", "name", "kind", "from_archive"}
    duplicates: list[dict] = field(default_factory=list)  # {"name", "same_as"}
    issues: list[Issue] = field(default_factory=list)


class MessageStore:
    """Saves attachments of one message into ``inbox/<folder>``, deduplicating by content against the
    manifest (and against what this run saved)."""

    def __init__(self, inbox: Path, manifest: Manifest, limits: Limits = Limits()) -> None:
        self.inbox = inbox
        self.manifest = manifest
        self.limits = limits
        self.by_hash = manifest.path_of_hash()

    def all_saved(self, attachments: list[Attachment]) -> bool:
        """Every attachment's bytes are already in the inbox (a message seen before)."""
        return all(hashlib.sha256(a.data).hexdigest() in self.by_hash for a in attachments)

    def save_all(self, attachments: list[Attachment], folder_name: str) -> Saved:
        out = Saved()
        folder = self._unique_folder(folder_name)
        for att in attachments:
            if len(att.data) > MAX_ATTACHMENT_BYTES:
                out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_REFUSED, value=att.name,
                                             detail=f"lớn hơn {MAX_ATTACHMENT_BYTES // 2**20} MB"))
                continue
            if att.data.startswith(_ZIP_MAGIC) and _plain_archive(att.data):
                self._unpack(att, folder, out)
            else:
                self._save(att.name, att.data, folder, out, kind=_kind(att.name, att.data))
        return out

    def _unique_folder(self, name: str) -> Path:
        folder, n = self.inbox / name, 1
        while folder.exists() and any(folder.iterdir()) and not self._ours(folder):
            n += 1
            folder = self.inbox / f"{name} ({n})"
        return folder

    def _ours(self, folder: Path) -> bool:
        """A folder this tool made for the same minute and sender may take more files (a re-run, or two
        messages sent within a minute)."""
        rel = folder.relative_to(self.inbox).as_posix() + "/"
        return any(p.startswith(rel) for p in self.manifest.files)

    def _save(self, name: str, data: bytes, folder: Path, out: Saved, *, kind: str,
              from_archive: str | None = None) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.by_hash:
            out.duplicates.append({"name": name, "same_as": self.by_hash[digest]})
            out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_DUPLICATE, value=name, other=self.by_hash[digest]))
            return
        base = safe_name(name)
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        folder.mkdir(parents=True, exist_ok=True)
        target, n = folder / base, 1
        while target.exists():
            if sha256_of(target) == digest:
                break  # saved by an interrupted earlier run: adopt it
            n += 1
            target = folder / (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        if not target.exists():
            write_bytes_fast(target, data)
        rel = target.relative_to(self.inbox).as_posix()
        self.by_hash[digest] = rel
        out.files.append({"path": rel, "name": name, "kind": kind, "from_archive": from_archive,
                          "sha256": digest, "size": len(data)})
        if kind == "other":
            ext_label = f".{ext}" if ext else "không rõ loại"
            out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_NOT_WORKBOOK, value=name, detail=ext_label))

    def _unpack(self, att: Attachment, folder: Path, out: Saved) -> None:
        try:
            zf = zipfile.ZipFile(io.BytesIO(att.data))
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):
            self._save(att.name, att.data, folder, out, kind="other")
            return
        with zf:
            refusal = archive_refusal(zf, self.limits)
            if refusal is not None:
                out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_REFUSED, value=att.name,
                                             detail=refusal.message.rstrip(".")))
                return
            for info in zf.infolist():
                mode = info.external_attr >> 16
                member = _member_name(info)
                if info.is_dir():
                    continue
                if stat.S_ISLNK(mode):
                    out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_REFUSED, value=f"{att.name}: {member}",
                                                 detail="là liên kết (symlink), không phải tệp"))
                    continue
                try:
                    with zf.open(info) as fh:
                        data = fh.read(info.file_size + 1)
                except Exception as exc:  # noqa: BLE001 - CRC, zlib: a damaged member, the others go on
                    out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_REFUSED, value=f"{att.name}: {member}",
                                                 detail=f"không giải nén được ({type(exc).__name__})"))
                    continue
                if len(data) > info.file_size:
                    out.issues.append(make_issue(IssueCode.MAIL_ATTACHMENT_REFUSED, value=f"{att.name}: {member}",
                                                 detail="dài hơn kích thước khai trong tệp nén"))
                    continue
                self._save(member, data, folder, out, kind=_kind(member, data), from_archive=att.name)


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: zipfile read it as cp437; Windows wrote UTF-8 or cp1258
        try:
            name, _ = decode_bytes(name.encode("cp437"), None)
        except UnicodeEncodeError:
            pass
    return unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])


def _plain_archive(data: bytes) -> bool:
    """A zip that is an archive, not an OOXML or ODF document (those are zips too)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.replace("\\", "/").casefold() for n in zf.namelist()}
    except Exception:  # noqa: BLE001 - not readable as a zip: saved as it is
        return False
    return "[content_types].xml" not in names and "mimetype" not in names


def _kind(name: str, data: bytes) -> str:
    if name.lower().endswith(WORKBOOK_SUFFIXES):
        return "workbook"
    return "workbook" if inspect_bytes(data).kind is not None else "other"


__all__ = ["MAX_ATTACHMENT_BYTES", "MessageStore", "Saved", "message_folder_name", "safe_name"]
