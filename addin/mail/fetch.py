"""``fetch_mail``: the one library call behind ``sangkien mail``. Messages from one source (IMAP, mbox or a
folder of .eml) → their attachments saved under the inbox (``addin.mail.store``) → the manifest
(``addin.mail.manifest``) recording, for every saved file, its message's sender, subject, Message-ID and
received time.

A re-run fetches only what is new: messages already in the manifest (by key, or by Message-ID with every
attachment already saved, when the same message comes through another source) are skipped; a reused
Message-ID with other attachments is a new message. One malformed message gives its issues and never stops
the run; the manifest is saved every ``SAVE_EVERY`` messages, so an interrupted run keeps what it did.
The receipt time is the server's INTERNALDATE, else the last hop's ``Received`` header, else ``Date``.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.mail.imap import DEFAULT_PORT, MailError, imap_messages
from addin.mail.manifest import Manifest, to_vietnam_time
from addin.mail.mime import parse_message
from addin.mail.sources import RawMessage, eml_messages, mbox_messages
from addin.mail.store import MessageStore, message_folder_name
from validators.issues import Issue, IssueCode, Severity, make_issue
from validators.errors import ErrorCode

SAVE_EVERY = 50
Progress = Callable[[int, int, str], None]
RECEIVED_FROM_LABELS = {"imap-internaldate": "máy chủ thư (INTERNALDATE)", "received-header": "tiêu đề Received",
                        "date-header": "tiêu đề Date (giờ máy người gửi)"}


@dataclass
class ImapAccount:
    host: str
    user: str
    password: str = field(repr=False)  # used to log in, never written anywhere
    folder: str = "INBOX"
    port: int = DEFAULT_PORT
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)


@dataclass
class MessageReport:
    key: str
    label: str
    sender: str = ""
    subject: str = ""
    message_id: str = ""
    received: dt.datetime | None = None  # aware
    received_from: str = ""
    files: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "sender": self.sender, "subject": self.subject,
                "message_id": self.message_id or None,
                "received": self.received.isoformat() if self.received else None,
                "received_from": self.received_from or None,
                "files": [f["path"] for f in self.files], "duplicates": self.duplicates,
                "issues": [i.as_json() for i in self.issues]}


@dataclass
class MailRun:
    out: Path
    source: str
    messages: list[MessageReport]  # the messages new in this run
    known: int = 0  # messages skipped because an earlier run has them
    before_since: int = 0  # messages skipped because received before ``since``
    manifest_problem: str = ""

    @property
    def files(self) -> list[dict]:
        return [f for m in self.messages for f in m.files]

    @property
    def issues(self) -> list[Issue]:
        return [i.with_path(m.label) for m in self.messages for i in m.issues]

    @property
    def exit_code(self) -> int:
        """0 every new message read cleanly; 1 the run completed and some message has an error."""
        return 1 if any(i.severity is Severity.ERROR for i in self.issues) else 0

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "source": self.source, "new_messages": len(self.messages),
                "known_messages": self.known, "before_since": self.before_since,
                "files": [{"path": f["path"], "kind": f["kind"], "name": f["name"],
                           "from_archive": f["from_archive"]} for f in self.files],
                "messages": [m.as_json() for m in self.messages],
                "issues": [i.as_json(with_path=True) for i in self.issues],
                "manifest_problem": self.manifest_problem or None}


def fetch_mail(out: str | Path, *, mbox: str | Path | None = None, eml: str | Path | None = None,
               imap: ImapAccount | None = None, since: dt.date | None = None,
               progress: Progress | None = None) -> MailRun:
    """Fetch the attachments of one source's new messages into ``out`` (see the module docs). Raises
    ``MailError`` when the source cannot be read at all (no file, no connection, login refused)."""
    if sum(x is not None for x in (mbox, eml, imap)) != 1:
        raise MailError(ErrorCode.MAIL_ONE_SOURCE)
    out = Path(out)
    manifest = Manifest.load(out)
    known = set(manifest.messages)
    known_ids = manifest.known_message_ids()
    if mbox is not None:
        if not Path(mbox).is_file():
            raise MailError(ErrorCode.MAIL_MBOX_NOT_FOUND, mbox=mbox)
        source, stream = f"mbox:{Path(mbox).name}", mbox_messages(mbox)
    elif eml is not None:
        if not Path(eml).is_dir():
            raise MailError(ErrorCode.MAIL_EML_NOT_FOUND, eml=eml)
        source, stream = f"eml:{Path(eml).name}", eml_messages(eml)
    else:
        assert imap is not None
        source = f"imap:{imap.user}@{imap.host}/{imap.folder}"
        stream = imap_messages(imap.host, imap.user, imap.password, imap.folder, port=imap.port, since=since,
                               known=known, ssl_context=imap.ssl_context)
    out.mkdir(parents=True, exist_ok=True)
    store = MessageStore(out, manifest)
    run = MailRun(out=out, source=source, messages=[], manifest_problem=manifest.problem)
    try:
        for n, raw in enumerate(_unseen(stream, known, run), start=1):
            if progress:
                progress(n, 0, raw.label)
            try:
                report = _one_message(raw, store, known_ids, since, run)
            except OSError as exc:  # disk full, a path Windows refuses: this message only, retried next run
                run.messages.append(MessageReport(key=raw.key, label=raw.label, issues=[make_issue(
                    IssueCode.MAIL_UNREADABLE, detail=f"không lưu được tệp đính kèm ({exc.strerror or exc})")]))
                continue
            if report is None:
                continue
            run.messages.append(report)
            _record(manifest, report, source)
            if len(run.messages) % SAVE_EVERY == 0:
                manifest.save()
    finally:
        manifest.save()  # a lost connection keeps what was fetched before it
    return run


def _unseen(stream: Iterator[RawMessage], known: set[str], run: MailRun) -> Iterator[RawMessage]:
    for raw in stream:
        if raw.key in known:
            run.known += 1
            continue
        known.add(raw.key)  # the same message twice in one mbox is one message
        yield raw


def _one_message(raw: RawMessage, store: MessageStore, known_ids: set[str], since: dt.date | None,
                 run: MailRun) -> MessageReport | None:
    report = MessageReport(key=raw.key, label=raw.label)
    if raw.raw is None:
        report.received = raw.internaldate
        report.issues.append(make_issue(IssueCode.MAIL_UNREADABLE, detail=raw.problem or "không rõ lý do"))
        return report
    parsed = parse_message(raw.raw)
    if parsed.message_id in known_ids and store.all_saved(parsed.attachments):
        run.known += 1  # the same message (same Message-ID, same attachments), fetched through another source
        return None
    report.sender, report.subject, report.message_id = parsed.sender, parsed.subject, parsed.message_id
    for moment, origin in ((raw.internaldate, "imap-internaldate"), (parsed.received, "received-header"),
                           (parsed.date, "date-header")):
        if moment is not None:
            report.received, report.received_from = moment, origin
            break
    if report.received is None:
        report.issues.append(make_issue(IssueCode.MAIL_MALFORMED, detail="thư không ghi thời điểm gửi hay nhận; ngày "
                                        "gửi của tệp sẽ lấy theo «Ngày gửi» trong tệp hoặc ngày của tệp"))
    if since is not None and report.received is not None and to_vietnam_time(report.received).date() < since:
        run.before_since += 1
        return None
    if parsed.message_id:
        known_ids.add(parsed.message_id)
    report.issues.extend(parsed.issues)
    if parsed.attachments:
        local = to_vietnam_time(report.received) if report.received else None
        saved = store.save_all(parsed.attachments, message_folder_name(local, parsed.sender))
        report.files, report.duplicates = saved.files, saved.duplicates
        report.issues.extend(saved.issues)
    return report


def _record(manifest: Manifest, report: MessageReport, source: str) -> None:
    received = report.received.isoformat() if report.received else None
    manifest.messages[report.key] = {
        "source": source, "label": report.label, "sender": report.sender, "subject": report.subject,
        "message_id": report.message_id or None, "received": received, "received_from": report.received_from or None,
        "files": [f["path"] for f in report.files], "duplicates": report.duplicates,
        "issues": [i.as_json() for i in report.issues],
    }
    for f in report.files:
        manifest.files[f["path"]] = {"sha256": f["sha256"], "size": f["size"], "message": report.key,
                                     "received": received, "name": f["name"], "kind": f["kind"],
                                     "from_archive": f["from_archive"]}
    for d in report.duplicates:  # the same bytes received again: the earlier receipt is the evidence
        entry = manifest.files.get(d["same_as"])
        if entry is not None and received and (entry.get("received") is None or _earlier(received, entry["received"])):
            entry["received"], entry["message"] = received, report.key


def _earlier(a: str, b: str) -> bool:
    try:
        return dt.datetime.fromisoformat(a) < dt.datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return False


def summary_lines(run: MailRun) -> list[str]:
    """A short Vietnamese account of a run, then one line per issue of each new message."""
    files = run.files
    books = sum(1 for f in files if f["kind"] == "workbook")
    lines = [f"Nguồn {run.source}: {len(run.messages)} thư mới"
             + (f", {run.known} thư đã lấy ở lần trước (bỏ qua)" if run.known else "")
             + (f", {run.before_since} thư trước ngày chọn (bỏ qua)" if run.before_since else "") + ".",
             f"Đã lưu {books} tệp bảng tính và {len(files) - books} tệp khác vào {run.out}; thời điểm nhận từng "
             f"thư ghi trong {run.out / '.sangkien-mail.json'}."]
    if run.manifest_problem:
        lines.append(f"Sổ ghi thư cũ không dùng được ({run.manifest_problem}): đã lập lại.")
    for m in run.messages:
        for i in m.issues:
            lines.append(f"  - {m.label} ({m.sender or 'không rõ người gửi'}): {i.message}")
    return lines


__all__ = ["RECEIVED_FROM_LABELS", "ImapAccount", "MailError", "MailRun", "MessageReport", "fetch_mail", "summary_lines"]
