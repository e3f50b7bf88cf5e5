"""`sangkien mail` from an mbox and a folder of .eml: attachments saved under safe unique names, the same bytes
once, zips through the gate, the manifest and its receipt times, re-runs that fetch only what is new, and one
clear issue per malformed message without ever stopping the run."""

from __future__ import annotations

import datetime as dt
import json
import mailbox
import stat
import zipfile
from email import message_from_bytes
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.cli import app
from addin.mail.fetch import fetch_mail
from addin.mail.imap import imap_utf7
from addin.mail.manifest import MANIFEST_NAME, received_times
from addin.mail.sources import mbox_messages
from addin.mail.store import safe_name
from addin.mail.tnef import read_tnef, write_tnef
from mail_samples import VN, fake_xlsx, malformed_cases, message, zipped


def write_mbox(path: Path, raws: list[bytes]) -> Path:
    box = mailbox.mbox(str(path))
    for raw in raws:
        box.add(message_from_bytes(raw))
    box.flush()
    box.close()
    return path


def saved_names(inbox: Path) -> list[str]:
    return sorted(p.name for p in inbox.rglob("*") if p.is_file() and p.name != MANIFEST_NAME)


def test_mbox_saves_every_attachment_once_with_its_message(tmp_path):
    t1, t2 = dt.datetime(2021, 4, 5, 8, 15, tzinfo=VN), dt.datetime(2021, 4, 6, 14, 0, tzinfo=VN)
    a, b = fake_xlsx("CJ001"), fake_xlsx("CJ002")
    raws = [
        message("Báo cáo CJ001", [("CJ001 - Trường Lê Lợi.xlsx", a), ("Công văn.pdf", b"%PDF-1.4 x")],
                sender="Lê Lợi <cj001@example.vn>", when=t1, msgid="<m1@example.vn>"),
        # the same workbook forwarded again, and a zip holding a new one, a pdf and a nested zip
        message("Fwd: Báo cáo CJ001", [("CJ001 - Trường Lê Lợi.xlsx", a),
                                       ("goi.zip", zipped({"thu muc/CJ002 - Đắk Mil.xlsx": b, "ghi chu.txt": b"x",
                                                           "long/ben-trong.zip": zipped({"x.xlsx": b"y"})}))],
                sender="cj002@example.vn", when=t2, msgid="<m2@example.vn>"),
    ]
    box = write_mbox(tmp_path / "hop-thu.mbox", raws)
    inbox = tmp_path / "inbox"
    run = fetch_mail(inbox, mbox=box)
    assert len(run.messages) == 2 and run.known == 0
    names = saved_names(inbox)
    assert names == sorted(["CJ001 - Truong Le Loi.xlsx", "Cong van.pdf", "CJ002 - Dak Mil.xlsx", "ghi chu.txt",
                            "ben-trong.zip"])
    first, second = run.messages
    assert first.sender == "Lê Lợi <cj001@example.vn>" and first.subject == "Báo cáo CJ001"
    assert [d["name"] for d in second.duplicates] == ["CJ001 - Trường Lê Lợi.xlsx"]
    assert {i.code for i in second.issues} >= {"mail-attachment-duplicate", "mail-attachment-not-workbook"}
    # One folder per message, named by receipt time and sender; the zip's members flattened into it.
    assert (inbox / "2021-04-05 0815 cj001@example.vn" / "CJ001 - Truong Le Loi.xlsx").read_bytes() == a
    assert (inbox / "2021-04-06 1400 cj002@example.vn" / "CJ002 - Dak Mil.xlsx").read_bytes() == b
    manifest = json.loads((inbox / MANIFEST_NAME).read_text(encoding="utf-8"))
    entry = manifest["files"]["2021-04-06 1400 cj002@example.vn/CJ002 - Dak Mil.xlsx"]
    assert entry["from_archive"] == "goi.zip" and entry["kind"] == "workbook"
    msg = manifest["messages"][entry["message"]]
    assert msg["message_id"] == "<m2@example.vn>" and msg["sender"] == "cj002@example.vn"
    assert msg["subject"] == "Fwd: Báo cáo CJ001" and msg["received"] == "2021-04-06T14:00:00+07:00"
    times = received_times(inbox)
    assert times["2021-04-05 0815 cj001@example.vn/CJ001 - Truong Le Loi.xlsx"] == dt.datetime(2021, 4, 5, 8, 15)
    # A re-run fetches nothing; a new message in the mbox is the only one fetched.
    again = fetch_mail(inbox, mbox=box)
    assert again.messages == [] and again.known == 2
    write_mbox(box, [message("Mới", [("CJ003.xlsx", fake_xlsx("CJ003"))], msgid="<m3@example.vn>")])
    third = fetch_mail(inbox, mbox=box)
    assert [m.message_id for m in third.messages] == ["<m3@example.vn>"] and third.known == 2
    assert len(saved_names(inbox)) == 6


def test_eml_folder_and_the_same_message_from_two_sources(tmp_path):
    raws = [message("A", [("A.xlsx", fake_xlsx("A"))], msgid="<a@example.vn>"),
            message("B", [("B.xlsx", fake_xlsx("B"))], msgid="<b@example.vn>")]
    folder = tmp_path / "eml" / "sub"
    folder.mkdir(parents=True)
    for i, raw in enumerate(raws):
        (folder / f"thu {i}.eml").write_bytes(raw)
    inbox = tmp_path / "inbox"
    run = fetch_mail(inbox, eml=tmp_path / "eml")
    assert [m.label for m in run.messages] == ["tệp thư sub/thu 0.eml", "tệp thư sub/thu 1.eml"]
    # The same messages exported again as an mbox (other bytes: a From_ line, re-folded headers): nothing new.
    again = fetch_mail(inbox, mbox=write_mbox(tmp_path / "x.mbox", raws))
    assert again.messages == [] and again.known == 2
    assert saved_names(inbox) == ["A.xlsx", "B.xlsx"]


def test_every_malformed_message_gives_its_issue_and_the_run_goes_on(tmp_path):
    cases = malformed_cases()
    box = write_mbox(tmp_path / "xau.mbox", [raw for _, raw, _ in cases])
    inbox = tmp_path / "inbox"
    run = fetch_mail(inbox, mbox=box)
    assert len(run.messages) == len(cases)
    for (case, _raw, expect), report in zip(cases, run.messages):
        codes = {i.code.value for i in report.issues}
        assert expect["codes"] <= codes, (case, codes, [i.message for i in report.issues])
        names = {Path(f["path"]).name for f in report.files}
        if "names" in expect:
            assert expect["names"] <= names, (case, names)
        if "count" in expect:
            assert len(report.files) == expect["count"], (case, names)
        for f in report.files:  # every file inside the inbox, under a safe name
            path = (inbox / f["path"]).resolve()
            assert path.is_relative_to(inbox.resolve()) and path.is_file()
            assert all(c.isascii() for c in f["path"])
    assert not (tmp_path / "thoat-ra.xlsx").exists()
    # No Date and no Received header: said so (over IMAP the server's INTERNALDATE stands in).
    undated = next(r for (case, _r, _e), r in zip(cases, run.messages) if case == "rfc2231-continued")
    assert undated.received is None and any("không ghi thời điểm" in i.message for i in undated.issues)
    assert not any(undated.files[0]["path"] in k for k in received_times(inbox))
    big = next(f for m in run.messages for f in m.files if f["name"] == "Hồ sơ scan.pdf")
    assert big["size"] > 25 * 2**20
    # The CLI prints one line per issue, labelled with the message, and completes.
    result = CliRunner().invoke(app, ["mail", "--mbox", str(box), "--out", str(tmp_path / "cli"), "--json"])
    assert result.exit_code == 1, result.output  # a refused attachment is an error in the data
    data = json.loads(result.stdout)
    assert data["new_messages"] == len(cases)
    assert any(i["code"] == "mail-attachment-refused" and i["path"].startswith("thư số") for i in data["issues"])


def test_zip_links_are_not_followed(tmp_path):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("lien-ket.xlsx")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("that.xlsx", fake_xlsx("real"))
    box = write_mbox(tmp_path / "a.mbox", [message("zip", [("a.zip", buf.getvalue())])])
    run = fetch_mail(tmp_path / "inbox", mbox=box)
    assert saved_names(tmp_path / "inbox") == ["that.xlsx"]
    assert any("symlink" in i.message for i in run.messages[0].issues)


def test_mbox_reader_streams_messages_and_undoes_from_quoting(tmp_path):
    path = tmp_path / "m.mbox"
    path.write_bytes(b"From a@b Mon Apr  5 08:00:00 2021\nSubject: 1\n\n>From the start\nbody\n\n"
                     b"From c@d Mon Apr  5 09:00:00 2021\nSubject: 2\n\nbody\nFrom inside a line is kept\n")
    msgs = list(mbox_messages(path))
    assert [m.raw for m in msgs] == [b"Subject: 1\n\nFrom the start\nbody\n",
                                     b"Subject: 2\n\nbody\nFrom inside a line is kept\n"]


def test_safe_names_and_folder_encoding():
    assert safe_name("Báo cáo Trường Lê Lợi.XLSX") == "Bao cao Truong Le Loi.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Windows\\CON.xlsx") == "_CON.xlsx"
    assert safe_name(".sangkien-mail.json") == "sangkien-mail.json"
    assert safe_name("<>:|?*.xlsx") == "tep-dinh-kem.xlsx"
    assert imap_utf7("Báo cáo & hồ sơ") == "B&AOE-o c&AOE-o &- h&HtM- s&AaE-"


def test_tnef_round_trip_and_damage():
    data = write_tnef([("Báo cáo.xlsx", b"PK123"), ("b.pdf", b"%PDF")])
    found, problem = read_tnef(data)
    assert [(a.name, a.data) for a in found] == [("Báo cáo.xlsx", b"PK123"), ("b.pdf", b"%PDF")] and problem == ""
    cut, problem = read_tnef(data[:-40])
    assert problem and [a.name for a in cut][:1] == ["Báo cáo.xlsx"]


def test_since_skips_older_messages(tmp_path):
    raws = [message("cũ", [("old.xlsx", fake_xlsx("old"))], when=dt.datetime(2021, 3, 1, 9, 0, tzinfo=VN)),
            message("mới", [("new.xlsx", fake_xlsx("new"))], when=dt.datetime(2021, 4, 1, 9, 0, tzinfo=VN))]
    box = write_mbox(tmp_path / "a.mbox", raws)
    result = CliRunner().invoke(app, ["mail", "--mbox", str(box), "--out", str(tmp_path / "in"), "--since",
                                      "15/03/2021", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f["name"] for f in data["files"]] == ["new.xlsx"] and data["before_since"] == 1


@pytest.mark.parametrize("args", [["--out", "x"], ["--out", "x", "--mbox", "a", "--eml", "b"],
                                  ["--out", "x", "--mbox", "khong-co.mbox"]])
def test_bad_usage_exits_2(tmp_path, args):
    result = CliRunner().invoke(app, ["mail", *args])
    assert result.exit_code == 2


def test_zip_bomb_is_refused_before_anything_is_inflated(tmp_path):
    bomb = zipped({"bao-cao.xlsx": fake_xlsx("ok"), "so-lieu.xlsx": b"\0" * (20 * 2**20)})  # 1:1000
    box = write_mbox(tmp_path / "a.mbox", [message("zip", [("ho-so.zip", bomb)])])
    run = fetch_mail(tmp_path / "inbox", mbox=box)
    assert saved_names(tmp_path / "inbox") == []
    refused = [i for i in run.messages[0].issues if i.code == "mail-attachment-refused"]
    assert refused and "tỉ lệ bất thường" in refused[0].message and run.exit_code == 1
