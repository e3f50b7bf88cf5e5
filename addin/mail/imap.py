"""An IMAP mailbox as a message source, strictly read-only: TLS always, the folder opened with ``EXAMINE``,
bodies fetched with ``BODY.PEEK[]`` (so nothing is marked read), never a ``STORE``, ``COPY``, ``MOVE`` or
``EXPUNGE``. The clerk's mailbox looks exactly the same after a run.

The receipt time is the server's ``INTERNALDATE`` (for Gmail, when the message arrived). A message's key is
its place, ``UIDVALIDITY``/``UID``: a re-run asks the server only for the UIDs it has not seen, and fetches
bodies in batches of bounded size (the sizes are asked first), so 700 messages are a handful of round trips.
"""

from __future__ import annotations

import base64
import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Iterator

from addin.mail.sources import MAX_MESSAGE_BYTES, RawMessage
from validators.errors import ErrorCode, SangkienError

DEFAULT_PORT = 993
BATCH_BYTES = 16 * 2**20  # bodies fetched per round trip, at most (one larger message goes alone)
BATCH_COUNT = 200
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_DATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class MailError(SangkienError):
    """The mailbox cannot be read at all (connection, login, folder): a Vietnamese message, exit status 2."""


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3): 'Hộp thư' -> 'H&Hu0-p th&AbA-'."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            b64 = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + b64.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for c in name:
        if 0x20 <= ord(c) <= 0x7E:
            flush()
            out.append("&-" if c == "&" else c)
        else:
            pending.append(c)
    flush()
    return "".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _internaldate(text: bytes) -> dt.datetime | None:
    try:
        day, mon, rest = text.decode("ascii").strip().split("-", 2)
        month = _MONTHS.index(mon.title()) + 1
        moment = dt.datetime.strptime(f"{int(day):02d}-{month:02d}-{rest}", "%d-%m-%Y %H:%M:%S %z")
    except (ValueError, UnicodeDecodeError):
        return None
    return moment


def _imap_date(day: dt.date) -> str:
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


def _check(typ: str, what: str) -> None:
    if typ != "OK":
        raise MailError(what)


def imap_messages(host: str, user: str, password: str, folder: str = "INBOX", *, port: int = DEFAULT_PORT,
                  since: dt.date | None = None, known: set[str] | frozenset[str] = frozenset(),
                  ssl_context: ssl.SSLContext | None = None, timeout: float = 60.0) -> Iterator[RawMessage]:
    """The messages of ``folder`` not in ``known`` (keys), oldest UID first. Raises ``MailError`` when the
    server cannot be reached, refuses the login or has no such folder; a single message that cannot be
    fetched is yielded with its ``problem``."""
    context = ssl_context or ssl.create_default_context()
    try:
        conn = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    except ssl.SSLCertVerificationError as exc:
        raise MailError(ErrorCode.MAIL_CERTIFICATE, host=host, verify_message=exc.verify_message) from None
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        raise MailError(ErrorCode.MAIL_CONNECT, host=host, port=port, exc=exc) from None
    try:
        try:
            conn.login(user, password)
        except imaplib.IMAP4.error:
            raise MailError(ErrorCode.MAIL_LOGIN, host=host, user=user) from None
        typ, _ = conn.select(_quoted(imap_utf7(folder)), readonly=True)  # readonly: EXAMINE
        _check(typ, f"Không mở được thư mục thư '{folder}' trên {host}.")
        _, validity = conn.response("UIDVALIDITY")
        uidvalidity = (validity[0] or b"0").decode("ascii", "replace") if validity and validity[0] else "0"
        criteria = ("SINCE", _imap_date(since)) if since else ("ALL",)
        typ, data = conn.uid("SEARCH", None, *criteria)
        _check(typ, f"Máy chủ thư {host} không tìm được thư trong '{folder}'.")
        uids = [int(u) for u in (data[0] or b"").split()]
        prefix = f"imap:{user}@{host}/{folder}/{uidvalidity}/"
        todo = sorted(u for u in uids if f"{prefix}{u}" not in known)
        facts = _sizes_and_dates(conn, todo)
        batch: list[int] = []
        batch_bytes = 0
        for uid in todo:
            size, when = facts.get(uid, (0, None))
            if size > MAX_MESSAGE_BYTES:
                yield RawMessage(key=f"{prefix}{uid}", raw=None, internaldate=when, label=f"thư UID {uid}",
                                 problem=f"thư lớn hơn {MAX_MESSAGE_BYTES // 2**20} MB, bỏ qua")
                continue
            if batch and (batch_bytes + size > BATCH_BYTES or len(batch) >= BATCH_COUNT):
                yield from _fetch_bodies(conn, batch, facts, prefix)
                batch, batch_bytes = [], 0
            batch.append(uid)
            batch_bytes += size
        if batch:
            yield from _fetch_bodies(conn, batch, facts, prefix)
    except (TimeoutError, OSError, imaplib.IMAP4.abort) as exc:
        raise MailError(ErrorCode.MAIL_DISCONNECTED, host=host, exc=exc) from None
    except imaplib.IMAP4.error as exc:
        raise MailError(ErrorCode.MAIL_SERVER_ERROR, host=host, exc=exc) from None
    finally:
        try:
            conn.logout()  # never CLOSE/EXPUNGE: the folder was only examined
        except Exception:  # noqa: BLE001 - already disconnected
            pass


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(u) for u in uids)


def _sizes_and_dates(conn: imaplib.IMAP4, uids: list[int]) -> dict[int, tuple[int, dt.datetime | None]]:
    out: dict[int, tuple[int, dt.datetime | None]] = {}
    for i in range(0, len(uids), 500):
        typ, data = conn.uid("FETCH", _uid_set(uids[i:i + 500]), "(UID RFC822.SIZE INTERNALDATE)")
        _check(typ, "Máy chủ thư không trả lời danh sách thư.")
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            uid, size, date = _UID.search(line), _SIZE.search(line), _DATE.search(line)
            if uid:
                out[int(uid.group(1))] = (int(size.group(1)) if size else 0,
                                          _internaldate(date.group(1)) if date else None)
    return out


def _fetch_bodies(conn: imaplib.IMAP4, uids: list[int], facts: dict, prefix: str) -> Iterator[RawMessage]:
    typ, data = conn.uid("FETCH", _uid_set(uids), "(UID BODY.PEEK[])")
    got: dict[int, bytes] = {}
    if typ == "OK":
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                uid = _UID.search(item[0])
                if uid:
                    got[int(uid.group(1))] = item[1]
    for uid in uids:
        when = facts.get(uid, (0, None))[1]
        raw = got.get(uid)
        yield RawMessage(key=f"{prefix}{uid}", raw=raw, internaldate=when, label=f"thư UID {uid}",
                         problem="" if raw is not None else "máy chủ không trả nội dung thư")


__all__ = ["DEFAULT_PORT", "MailError", "imap_messages", "imap_utf7"]
