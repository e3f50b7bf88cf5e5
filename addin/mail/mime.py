"""One e-mail message, taken apart: who sent it, when it was received, and its attachments by name and bytes.

Mail from hundreds of offices is written by every mail program of the last twenty years: file names in
RFC 2047 encoded words (even inside quotes, where the RFC forbids them), RFC 2231 parameters, raw UTF-8 or
Windows-1258 bytes in headers, charsets declared wrongly or not at all, broken multipart boundaries, bad
base64, Outlook's TNEF ``winmail.dat``. The parser is Python's ``email`` package in its lenient (compat32)
mode, which never raises on malformed input; what it tolerated is reported, one issue per kind of defect,
so the clerk knows which message to look at. Nothing here raises for any input bytes.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.utils
import mimetypes
import unicodedata
from dataclasses import dataclass, field
from email import errors as mail_errors
from email.message import Message
from email.policy import compat32

from addin.mail.tnef import TnefError, is_tnef, read_tnef
from validators.issues import Issue, IssueCode, make_issue

# Charsets tried, in order, when the declared one is missing, unknown or wrong (Vietnamese offices: UTF-8,
# else Windows-1258, the Vietnamese Windows code page; latin-1 decodes anything as the last resort).
FALLBACK_CHARSETS = ("utf-8", "cp1258", "latin-1")
_WESTERN = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "unknown-8bit", ""}
_DEFECTS = {
    "NoBoundaryInMultipartDefect": "thư nhiều phần nhưng không khai ranh giới giữa các phần",
    "StartBoundaryNotFoundDefect": "không tìm thấy ranh giới mở đầu các phần",
    "CloseBoundaryNotFoundDefect": "thiếu dòng kết thúc các phần (thư bị cắt cụt?)",
    "FirstHeaderLineIsContinuationDefect": "dòng tiêu đề đầu tiên sai cú pháp",
    "MissingHeaderBodySeparatorDefect": "thiếu dòng trống giữa tiêu đề và nội dung",
    "MultipartInvariantViolationDefect": "thư khai nhiều phần nhưng không chia phần",
    "InvalidMultipartContentTransferEncodingDefect": "kiểu mã hoá của thư nhiều phần không hợp lệ",
    "InvalidBase64PaddingDefect": "dữ liệu base64 thiếu ký tự đệm",
    "InvalidBase64CharactersDefect": "dữ liệu base64 có ký tự lạ",
    "InvalidBase64LengthDefect": "dữ liệu base64 sai độ dài",
    "MisplacedEnvelopeHeaderDefect": "dòng 'From ' nằm sai chỗ",
}


@dataclass
class Attachment:
    name: str  # as the sender named it (decoded, NFC); a made-up name when it had none
    data: bytes
    content_type: str
    from_tnef: bool = False


@dataclass
class ParsedMessage:
    message_id: str = ""
    sender: str = ""
    subject: str = ""
    date: dt.datetime | None = None  # the Date header (the sender's clock)
    received: dt.datetime | None = None  # the last hop's Received header (the receiving server's clock)
    attachments: list[Attachment] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def decode_bytes(raw: bytes, declared: str | None) -> tuple[str, bool]:
    """Text from bytes in a declared charset; ``(text, wrong)`` where ``wrong`` says the declared charset
    was missing where needed, unknown or did not fit the bytes."""
    cs = (declared or "").strip().lower()
    if cs and cs not in _WESTERN:
        try:
            return raw.decode(cs), False
        except (LookupError, UnicodeDecodeError):
            pass
    elif raw.isascii():
        return raw.decode("ascii"), False
    else:
        # Declared (or defaulted to) a western charset but holding 8-bit bytes: UTF-8 read as latin-1 is the
        # most common mojibake; a strict UTF-8 decode that succeeds is the sender's real charset.
        try:
            return raw.decode("utf-8"), cs not in ("", "unknown-8bit")
        except UnicodeDecodeError:
            if cs in ("iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"):
                return raw.decode("cp1252", "replace"), False
    for enc in FALLBACK_CHARSETS:
        try:
            return raw.decode(enc), True
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), True  # pragma: no cover - latin-1 decodes everything


def decode_header_text(value: object) -> tuple[str, bool]:
    """A header value (or a parameter) as text: RFC 2047 encoded words decoded, raw 8-bit bytes guessed."""
    if value is None:
        return "", False
    if isinstance(value, tuple):  # an RFC 2231 parameter: (charset, language, %-decoded text)
        charset, _lang, text = value
        raw = text.encode("raw-unicode-escape") if isinstance(text, str) else bytes(text)
        out, wrong = decode_bytes(raw, charset or "utf-8")
        return _clean(out), wrong
    if not isinstance(value, str):  # an email.header.Header holding raw 8-bit bytes
        return _join(email.header.decode_header(value))
    raw_text = value
    if any("\udc80" <= c <= "\udcff" for c in raw_text):  # raw 8-bit bytes carried as surrogates
        out, _ = decode_bytes(raw_text.encode("ascii", "surrogateescape"), None)
        return _clean(out), False  # raw UTF-8 in a header is common and not worth an issue
    try:
        parts = email.header.decode_header(raw_text)
    except (ValueError, AssertionError, LookupError):
        return _clean(raw_text), True
    return _join(parts)


def _join(parts: list[tuple[bytes | str, str | None]]) -> tuple[str, bool]:
    out, wrong = [], False
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        text, bad = decode_bytes(chunk, charset)
        wrong = wrong or (bad and charset not in (None, "unknown-8bit"))
        out.append(text)
    return _clean("".join(out)), wrong


def _clean(text: str) -> str:
    text = "".join(c for c in text if c.isprintable() or c == " ")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _header(msg: Message, name: str) -> tuple[str, bool]:
    try:
        return decode_header_text(msg.get(name))
    except Exception:  # noqa: BLE001 - a header no decoder can read is just empty
        return "", True


def parse_message(raw: bytes) -> ParsedMessage:
    """Take one message apart (see the module docs). Never raises."""
    out = ParsedMessage()
    try:
        msg = email.message_from_bytes(raw, policy=compat32)
    except Exception as exc:  # noqa: BLE001 - the lenient parser should not raise; if it does, one issue
        out.issues.append(make_issue(IssueCode.MAIL_UNREADABLE, detail=type(exc).__name__))
        return out
    charset_problems: list[str] = []
    out.subject, bad = _header(msg, "Subject")
    if bad:
        charset_problems.append("tiêu đề")
    sender, bad = _header(msg, "From")
    name, addr = email.utils.parseaddr(sender)
    out.sender = f"{name} <{addr}>" if name and addr else (addr or sender)
    out.message_id = " ".join(str(msg.get("Message-ID") or "").split())[:500]
    out.date = _date(str(msg.get("Date") or ""))
    received = msg.get_all("Received") or []
    if received:  # the first Received header is the last hop: the receiving server's own time
        out.received = _date(str(received[0]).rsplit(";", 1)[-1])
    defects: dict[str, None] = {}
    counter = 0
    for part in msg.walk():
        if part.is_multipart():
            _note_defects(part, defects)
            continue
        try:
            counter += 1
            att = _attachment(part, counter, charset_problems)
        except Exception:  # noqa: BLE001 - one unreadable part never loses the others
            defects["phần không giải mã được"] = None
            continue
        _note_defects(part, defects)
        if att is None:
            continue
        if att.content_type == "application/ms-tnef" or att.name.lower() == "winmail.dat" or is_tnef(att.data):
            out.attachments.extend(_unwrap_tnef(att, out.issues))
        else:
            out.attachments.append(att)
    if defects:
        out.issues.append(make_issue(IssueCode.MAIL_MALFORMED, detail="; ".join(defects)))
    if charset_problems:
        out.issues.append(make_issue(IssueCode.MAIL_CHARSET, detail=", ".join(dict.fromkeys(charset_problems))))
    if not out.attachments:
        out.issues.append(make_issue(IssueCode.MAIL_NO_ATTACHMENT))
    return out


def _note_defects(part: Message, defects: dict[str, None]) -> None:
    for d in getattr(part, "defects", []) or []:
        if isinstance(d, mail_errors.MessageDefect):
            defects[_DEFECTS.get(type(d).__name__, "lỗi cấu trúc MIME")] = None


def _attachment(part: Message, counter: int, charset_problems: list[str]) -> Attachment | None:
    ctype = part.get_content_type()
    disposition = (part.get_content_disposition() or "").lower()
    raw_name = _param(part, "filename", "content-disposition")
    if raw_name is None:
        raw_name = _param(part, "name", "content-type")
    name, bad = decode_header_text(raw_name) if raw_name is not None else ("", False)
    if bad:
        charset_problems.append(f"tên tệp '{name}'")
    maintype = ctype.split("/", 1)[0]
    if not name and disposition != "attachment" and maintype not in ("application", "image", "audio", "video"):
        return None  # the text of the message itself
    data = part.get_payload(decode=True)
    if data is None:
        data = b""
    if not name:
        name = f"tep-dinh-kem-{counter}{mimetypes.guess_extension(ctype) or '.bin'}"
    return Attachment(name=name, data=data, content_type=ctype)


def _param(part: Message, name: str, header: str) -> object:
    """A header parameter; raw 8-bit bytes in the header (a name typed in UTF-8 or Windows-1258, unencoded) are
    decoded first, where the lenient parser would replace them with "?"."""
    for key, value in part.raw_items():
        if key.lower() == header and any("\udc80" <= c <= "\udcff" for c in value):
            text, _ = decode_bytes(value.encode("ascii", "surrogateescape"), None)
            clean = Message()
            clean[header] = text
            return clean.get_param(name, None, header)
    return part.get_param(name, None, header)


def _unwrap_tnef(att: Attachment, issues: list[Issue]) -> list[Attachment]:
    try:
        inner, problem = read_tnef(att.data)
    except TnefError as exc:
        issues.append(make_issue(IssueCode.MAIL_MALFORMED, detail=f"{att.name}: {exc}"))
        return [att]
    if problem:
        issues.append(make_issue(IssueCode.MAIL_MALFORMED, detail=f"{att.name}: {problem}"))
    if not inner:
        return [att]
    return [Attachment(name=_clean(a.name) or f"winmail-{i}.bin", data=a.data,
                       content_type="application/octet-stream", from_tnef=True)
            for i, a in enumerate(inner, start=1)]


__all__ = ["Attachment", "ParsedMessage", "decode_bytes", "decode_header_text", "parse_message"]
