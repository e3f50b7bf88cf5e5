"""The sample province's returns as e-mail: one message per returned CĐCS workbook, from the unit's address to
its district's, as a district's Gmail would hold them — for the demo's e-mail step, the tests and the
``sangkien mail`` timing.

Each message carries a ``Received`` header (the receiving server's time, which ``sangkien mail`` takes as the
receipt time when no IMAP INTERNALDATE exists) and a ``Date`` a little earlier. The receipt day is the day the
unit sent its file (its «Ngày gửi»), at an office hour; a file with no known day arrives on the deadline
afternoon.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import mailbox
import random
from email.message import EmailMessage
from pathlib import Path

from addin.mail.manifest import VIETNAM
from addin.registry import Registry

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def return_message(path: Path, sender: str, to: str, received: dt.datetime, subject: str, *,
                   message_id: str | None = None) -> EmailMessage:
    """One message with ``path`` attached; ``received`` is aware."""
    msg = EmailMessage()
    sent = received - dt.timedelta(seconds=37)
    msg["Received"] = (f"from mail.example.vn (mail.example.vn [203.0.113.5]) by mx.example.vn with ESMTPS; "
                       f"{email.utils.format_datetime(received)}")
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(sent)
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="example.vn")
    msg.set_content("Kính gửi Ban Thường vụ,\n\nĐơn vị gửi báo cáo sáng kiến kèm theo thư này.\n\nTrân trọng.\n")
    msg.add_attachment(path.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=path.name)
    return msg


def returns_messages(files: list[Path], registry: Registry, *, sent: dict[Path, dt.date] | None = None,
                     deadline: dt.date, seed: int = 2021) -> list[tuple[EmailMessage, dt.datetime]]:
    """(message, receipt time) for each returned workbook in ``files`` (named "<unit code> - …")."""
    rng = random.Random(seed)
    sent = sent or {}
    out = []
    for n, path in enumerate(files):
        code = path.name.split(" - ")[0].split(".")[0]
        unit = registry.cdcs_by_code.get(code)
        parent = registry.district_by_code.get(unit.parent) if unit else None
        address = (unit.email if unit and unit.email else f"congdoan.{code.lower()}@example.vn")
        name = unit.name if unit else code
        to = parent.email if parent and parent.email else "ldld@example.vn"
        day = sent.get(path)
        if day is None:
            when = dt.datetime.combine(deadline, dt.time(16, 0)) + dt.timedelta(minutes=n % 60)
        else:
            when = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=rng.randint(0, 270))
        when = when.replace(tzinfo=VIETNAM)
        msg = return_message(path, email.utils.formataddr((name, address)), to, when,
                             f"Báo cáo sáng kiến - {name}", message_id=f"<{code}.{path.parent.name}.{n}.sangkien@example.vn>")
        out.append((msg, when))
    return out


def write_mbox(messages: list[tuple[EmailMessage, dt.datetime]], target: Path) -> Path:
    """Messages in receipt order as an mbox file (replaced if it exists)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    box = mailbox.mbox(str(target))
    try:
        for msg, _when in sorted(messages, key=lambda m: m[1]):
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return target


__all__ = ["return_message", "returns_messages", "write_mbox"]
