"""Messages as offices really send them, built byte by byte for the mail tests: well-formed ones with real
attachments, and every malformed kind the issue names (bad MIME, wrong charsets, Vietnamese RFC 2047/2231
names, TNEF winmail.dat, 50 attachments, a 25 MB attachment), each with what ``sangkien mail`` must make of it."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import io
import os
import zipfile
from email.message import EmailMessage

from addin.mail.tnef import write_tnef

VN = dt.timezone(dt.timedelta(hours=7))
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def fake_xlsx(tag: str) -> bytes:
    """A small real OOXML zip (the gate calls it a workbook): distinct bytes per ``tag``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook><!-- {tag} --></workbook>')
    return buf.getvalue()


def message(subject: str, attachments: list[tuple[str, bytes]], *, sender="Công đoàn Trường Lê Lợi <cd@example.vn>",
            when: dt.datetime | None = None, msgid: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "ldld.cujut@example.vn"
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(when or dt.datetime(2021, 4, 5, 9, 0, tzinfo=VN))
    msg["Message-ID"] = msgid or email.utils.make_msgid(domain="example.vn")
    msg.set_content("Kính gửi LĐLĐ huyện,\nđơn vị gửi báo cáo.\n")
    for name, data in attachments:
        kind = XLSX if name.endswith(".xlsx") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return msg.as_bytes()


def _raw(headers: str, body: str) -> bytes:
    return (headers.strip("\n").replace("\n", "\r\n") + "\r\n\r\n" + body.replace("\n", "\r\n")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def malformed_cases() -> list[tuple[str, bytes, dict]]:
    """(case, message bytes, expectations): "codes" the issue codes its report must hold, "names" the
    saved file names (by their base name), "count" how many files are saved."""
    book = fake_xlsx
    cases: list[tuple[str, bytes, dict]] = []
    # RFC 2231 Vietnamese name (what Gmail and Thunderbird write): EmailMessage does it for us.
    cases.append(("rfc2231", message("Báo cáo", [("Báo cáo Trường Lê Lợi.xlsx", book("a"))]),
                  {"codes": set(), "names": {"Bao cao Truong Le Loi.xlsx"}}))
    # RFC 2047 encoded word inside quotes (Outlook), base64 UTF-8.
    enc = "=?UTF-8?B?" + base64.b64encode("Sáng kiến Đắk Mil.xlsx".encode()).decode() + "?="
    cases.append(("rfc2047", _raw(f"""
From: =?UTF-8?Q?C=C3=B4ng_=C4=91o=C3=A0n?= <a@example.vn>
Subject: =?UTF-8?B?{base64.b64encode('Báo cáo sáng kiến'.encode()).decode()}?=
Date: Mon, 05 Apr 2021 10:00:00 +0700
Message-ID: <rfc2047@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"
""", f"""--XX
Content-Type: text/plain; charset=utf-8

Kính gửi
--XX
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="{enc}"
Content-Disposition: attachment; filename="{enc}"
Content-Transfer-Encoding: base64

{_b64(book("b"))}--XX--
"""), {"codes": set(), "names": {"Sang kien Dak Mil.xlsx"}}))
    # Wrong charset: the encoded word says ISO-8859-1 but carries UTF-8 bytes; the subject's charset is unknown.
    wrong = "=?ISO-8859-1?Q?" + "".join(f"={b:02X}" for b in "Báo cáo Cư Jút.xlsx".encode()) + "?="
    cases.append(("wrong-charset", _raw(f"""
From: a@example.vn
Subject: =?x-khong-co?Q?B=C3=A1o_c=C3=A1o?=
Date: Mon, 05 Apr 2021 10:05:00 +0700
Message-ID: <wrong-charset@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"
""", f"""--XX
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="{wrong}"
Content-Transfer-Encoding: base64

{_b64(book("c"))}--XX--
"""), {"codes": {"mail-charset"}, "names": {"Bao cao Cu Jut.xlsx"}}))
    # RFC 2231 continuations (a long name split over two parameters), and no Date header at all.
    cases.append(("rfc2231-continued", _raw("""
From: a@example.vn
Subject: continued
Message-ID: <continued@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"
""", f"""--XX
Content-Type: application/octet-stream
Content-Disposition: attachment;
 filename*0*=utf-8''B%C3%A1o%20c%C3%A1o%20;
 filename*1*=%C4%90%E1%BA%AFk%20Glong.xlsx
Content-Transfer-Encoding: base64

{_b64(book("h"))}--XX--
"""), {"codes": set(), "names": {"Bao cao Dak Glong.xlsx"}}))
    # Raw 8-bit UTF-8 in the file name (no encoding at all), and a declared us-ascii.
    raw8 = _raw("""
From: a@example.vn
Subject: raw
Date: Mon, 05 Apr 2021 10:06:00 +0700
Message-ID: <raw8@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"
""", "--XX\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"@@NAME@@\"\n"
       "Content-Transfer-Encoding: base64\n\n" + _b64(book("d")) + "--XX--\n")
    cases.append(("raw-8bit-name", raw8.replace(b"@@NAME@@", "Tổng hợp Krông Nô.xlsx".encode()),
                  {"codes": set(), "names": {"Tong hop Krong No.xlsx"}}))
    # Bad MIME: no closing boundary, broken base64 padding.
    cases.append(("bad-mime", _raw("""
From: a@example.vn
Subject: cut
Date: Mon, 05 Apr 2021 10:07:00 +0700
Message-ID: <bad-mime@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"
""", f"""--XX
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="bao-cao.xlsx"
Content-Transfer-Encoding: base64

{_b64(book("e"))[:-3]}
"""), {"codes": {"mail-malformed"}, "count": 1}))
    # A multipart with no boundary parameter at all.
    cases.append(("no-boundary", _raw("""
From: a@example.vn
Subject: no boundary
Date: Mon, 05 Apr 2021 10:08:00 +0700
Message-ID: <no-boundary@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed
""", "just text\n"), {"codes": {"mail-malformed", "mail-no-attachment"}, "count": 0}))
    # TNEF winmail.dat from Outlook holding a workbook with a Vietnamese long name and a pdf.
    tnef = write_tnef([("Báo cáo Đắk Song.xlsx", book("f")), ("Công văn.pdf", b"%PDF-1.4 cong van")])
    cases.append(("tnef", message("Outlook", [("winmail.dat", tnef)], msgid="<tnef@example.vn>"),
                  {"codes": {"mail-attachment-not-workbook"}, "names": {"Bao cao Dak Song.xlsx", "Cong van.pdf"}}))
    # 50 attachments in one message.
    many = [(f"CĐCS số {i:02d}.xlsx", book(f"many-{i}")) for i in range(50)]
    cases.append(("fifty", message("50 tệp", many, msgid="<fifty@example.vn>"), {"codes": set(), "count": 50}))
    # A 25 MB attachment (incompressible: what a scanned dossier weighs).
    big = os.urandom(25 * 2**20)
    cases.append(("big", message("Hồ sơ scan", [("Hồ sơ scan.pdf", b"%PDF-1.4\n" + big)], msgid="<big@example.vn>"),
                  {"codes": {"mail-attachment-not-workbook"}, "names": {"Ho so scan.pdf"}}))
    # Not an e-mail at all.
    cases.append(("garbage", b"\x00\x01\x02 not a message \xff\xfe" * 50,
                  {"codes": {"mail-no-attachment"}, "count": 0}))
    # A zip whose member climbs out of the folder: the gate refuses the archive, nothing is written.
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../thoat-ra.xlsx", book("g"))
    cases.append(("zip-traversal", message("zip", [("bao-cao.zip", evil.getvalue())], msgid="<zip-evil@example.vn>"),
                  {"codes": {"mail-attachment-refused"}, "count": 0}))
    return cases


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
