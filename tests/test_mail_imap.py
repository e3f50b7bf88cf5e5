"""`sangkien mail --imap` against a real Dovecot on loopback (``tests/dovecot.py``), messages appended over IMAP:
TLS with certificate checking, read-only (nothing marked read, moved or deleted), INTERNALDATE as the receipt
time, re-runs that ask only for new UIDs, a Vietnamese folder name, and malformed mail that never stops a run."""

from __future__ import annotations

import datetime as dt
import imaplib
import json
import re

import pytest
from typer.testing import CliRunner

import dovecot
from addin.cli import app
from addin.mail.fetch import ImapAccount, fetch_mail
from addin.mail.imap import MailError, imap_utf7
from addin.mail.manifest import received_times
from mail_samples import VN, fake_xlsx, malformed_cases, message

pytestmark = pytest.mark.skipif(not dovecot.available(), reason="Dovecot (dovecot-imapd) and openssl are needed")

FOLDER = "Báo cáo CĐCS"


@pytest.fixture(scope="module")
def server():
    with dovecot.running_dovecot() as d:
        yield d


def append(server, folder: str, raw: bytes, when: dt.datetime) -> None:
    with server.client() as conn:
        name = '"' + imap_utf7(folder) + '"'
        conn.create(name)  # NO when it exists: fine
        typ, _ = conn.append(name, None, imaplib.Time2Internaldate(when), raw)
        assert typ == "OK"


def flags_and_count(server, folder: str) -> tuple[list[bytes], int]:
    with server.client() as conn:
        typ, data = conn.select('"' + imap_utf7(folder) + '"', readonly=True)
        count = int(data[0])
        typ, data = conn.fetch("1:*", "(FLAGS)") if count else ("OK", [])
        return [d for d in data if d], count


def account(server, folder: str, **kw) -> ImapAccount:
    return ImapAccount(host=server.host, port=server.port, user=server.user, password=server.password, folder=folder,
                       ssl_context=server.context(), **kw)


def test_imap_fetch_is_read_only_and_takes_the_servers_receipt_time(server, tmp_path):
    folder = FOLDER
    arrived = [dt.datetime(2021, 4, 5, 9, 30, tzinfo=VN), dt.datetime(2021, 4, 6, 23, 50, tzinfo=dt.timezone.utc)]
    for i, when in enumerate(arrived):
        # the sender's clock (Date) is a day off: the server's INTERNALDATE is the evidence
        raw = message(f"Báo cáo {i}", [(f"CJ00{i} - Trường số {i}.xlsx", fake_xlsx(f"imap{i}"))],
                      when=when - dt.timedelta(days=1), msgid=f"<imap{i}@example.vn>")
        append(server, folder, raw, when)
    before = flags_and_count(server, folder)
    inbox = tmp_path / "inbox"
    run = fetch_mail(inbox, imap=account(server, folder))
    assert [m.received for m in run.messages] == arrived
    assert {m.received_from for m in run.messages} == {"imap-internaldate"}
    times = received_times(inbox)
    # 23:50 UTC on 6/4 is 06:50 on 7/4 in Vietnam: the day a deadline is judged on
    assert sorted(times.values()) == [dt.datetime(2021, 4, 5, 9, 30), dt.datetime(2021, 4, 7, 6, 50)]
    assert sorted(p.split("/")[-1] for p in times) == ["CJ000 - Truong so 0.xlsx", "CJ001 - Truong so 1.xlsx"]
    after = flags_and_count(server, folder)
    assert after == before and not any(b"\\Seen" in f for f in after[0])  # nothing marked read, moved, deleted
    log = server.log.read_text(errors="replace")
    assert not re.search(r"(deleted|expunged|trashed)=[1-9]", log)
    # A re-run asks only for new UIDs.
    assert fetch_mail(inbox, imap=account(server, folder)).messages == []
    append(server, folder, message("Gửi lại", [("CJ000 - lan 2.xlsx", fake_xlsx("imap-2"))]),
           dt.datetime(2021, 4, 8, 8, 0, tzinfo=VN))
    again = fetch_mail(inbox, imap=account(server, folder))
    assert [f["name"] for f in again.files] == ["CJ000 - lan 2.xlsx"] and again.known == 0


def test_cli_with_password_from_the_environment(server, tmp_path, monkeypatch):
    append(server, "INBOX", message("CLI", [("CJ009.xlsx", fake_xlsx("cli"))]), dt.datetime(2021, 4, 1, 8, 0, tzinfo=VN))
    base = ["mail", "--imap", server.host, "--port", str(server.port), "--user", server.user, "--folder", "INBOX",
            "--out", str(tmp_path / "inbox"), "--json"]
    monkeypatch.setenv("SANGKIEN_MAIL_PASSWORD", server.password)
    ok = CliRunner().invoke(app, [*base, "--cafile", str(server.cafile)])
    assert ok.exit_code == 0, ok.output
    assert [f["name"] for f in json.loads(ok.stdout)["files"]] == ["CJ009.xlsx"]
    assert server.password not in (tmp_path / "inbox" / ".sangkien-mail.json").read_text(encoding="utf-8")
    # An untrusted (self-signed) certificate is refused: no --cafile, no connection.
    untrusted = CliRunner().invoke(app, base)
    assert untrusted.exit_code == 2 and "Chứng chỉ TLS" in untrusted.output
    monkeypatch.setenv("SANGKIEN_MAIL_PASSWORD", "sai-mat-khau")
    wrong = CliRunner().invoke(app, [*base, "--cafile", str(server.cafile)])
    assert wrong.exit_code == 2 and "từ chối đăng nhập" in wrong.output


def test_unknown_folder_is_a_clear_error(server, tmp_path):
    with pytest.raises(MailError, match="Không mở được thư mục"):
        fetch_mail(tmp_path / "x", imap=account(server, "Không có thư mục này"))


def test_malformed_mail_over_imap_never_stops_the_run(server, tmp_path):
    folder = "Thư lỗi"
    cases = malformed_cases()
    for i, (_case, raw, _expect) in enumerate(cases):
        append(server, folder, raw, dt.datetime(2021, 4, 2, 8, i, tzinfo=VN))
    run = fetch_mail(tmp_path / "inbox", imap=account(server, folder))
    assert len(run.messages) == len(cases)
    for (case, _raw, expect), report in zip(cases, run.messages):
        assert expect["codes"] <= {i.code.value for i in report.issues}, case
        assert report.received_from == "imap-internaldate"
        if "count" in expect:
            assert len(report.files) == expect["count"], case
