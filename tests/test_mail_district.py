"""The e-mail receipt time decides at district and province level: real CĐCS workbooks sent by mail, fetched
by ``sangkien mail``, consolidated. The same files without the manifest are judged by «Ngày gửi» and come out
differently: the manifest is what changes the verdict, and a file changed by hand after it arrived loses it."""

from __future__ import annotations

import datetime as dt
import mailbox
import random
import shutil

import pytest

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.district.result import summary_lines
from addin.district.workbook import write_district_workbook
from addin.dossier.export import export_dossier
from addin.mail.fetch import fetch_mail
from addin.province.consolidate import consolidate_province
from addin.registry import Registry
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.sample.mailbox import return_message
from addin.sample.registry import build_sample_registry
from addin.sample.staff import mark_choices
from addin.cdcs.template.files import generate_templates, template_path_for
from validators.campaign import load_campaign

VN = dt.timezone(dt.timedelta(hours=7))
D = "CJ"
RUN = dt.datetime(2021, 4, 15, 10, 0)


def small_registry() -> Registry:
    full = build_sample_registry()
    district = full.district_by_code[D]
    return Registry(province=full.province, province_code=full.province_code, districts=(district,),
                    cdcs=tuple(full.cdcs_of(D)[:4]))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    campaign, registry = load_campaign(), small_registry()
    root = tmp_path_factory.mktemp("maildistrict")
    tpl = root / "tpl"
    generate_templates(campaign, registry, tpl, include_blank=False)
    rng = random.Random(18)
    units = registry.cdcs_of(D)
    out = root / "gui-di"
    out.mkdir()

    def fill(c, name, sent_on, n_rows=1):
        answers = valid_unit_answers(campaign, c, rng)
        answers["NGAY_GUI"] = sent_on
        rows = [valid_initiative(campaign, c, rng, number=i + 1, nominated=i == 0) for i in range(n_rows)]
        return fast_fill_workbook(template_path_for(tpl, c), out / name, answers, rows)

    a, b, c, d = units
    files = [
        # A: «Ngày gửi» on time, but the mail arrived two days after the deadline (05/04)
        (fill(a, f"{a.code} - bao cao.xlsx", dt.date(2021, 4, 1)), dt.datetime(2021, 4, 7, 10, 0, tzinfo=VN)),
        # B: a corrected file whose «Ngày gửi» was not updated: only the mail says it is the newer one
        (fill(b, f"{b.code} - ban dau.xlsx", dt.date(2021, 4, 3)), dt.datetime(2021, 4, 3, 9, 0, tzinfo=VN)),
        (fill(b, f"{b.code} - sua lai.xlsx", dt.date(2021, 4, 2), 2), dt.datetime(2021, 4, 4, 15, 0, tzinfo=VN)),
        # C: on time by mail; its file will be changed by hand after it arrived
        (fill(c, f"{c.code} - bao cao.xlsx", dt.date(2021, 4, 9)), dt.datetime(2021, 4, 2, 8, 0, tzinfo=VN)),
        # D: on time everywhere
        (fill(d, f"{d.code} - bao cao.xlsx", dt.date(2021, 4, 1)), dt.datetime(2021, 4, 1, 8, 0, tzinfo=VN)),
    ]
    box = mailbox.mbox(str(root / "hop-thu.mbox"))
    for path, when in files:
        box.add(return_message(path, f"{path.name[:5].lower()}@example.vn", "cj@example.vn", when, "Báo cáo"))
    box.flush()
    box.close()
    inbox = root / "inbox"
    fetch_mail(inbox, mbox=root / "hop-thu.mbox")
    edited = next(inbox.rglob(f"{c.code} - bao cao.xlsx"))
    fill(c, "tam.xlsx", dt.date(2021, 4, 9))
    shutil.copyfile(out / "tam.xlsx", edited)  # other bytes under the received name
    return campaign, registry, root, inbox, (a, b, c, d)


def by_code(result):
    return {u.code: u for u in result.units}


def test_district_judges_lateness_and_resubmissions_by_the_mail(world):
    campaign, registry, root, inbox, (a, b, c, d) = world
    result = consolidate_district(inbox, D, campaign, registry, settings=DistrictSettings(), now=RUN)
    units = by_code(result)
    assert units[a.code].late and units[a.code].sent_on == dt.date(2021, 4, 7) and units[a.code].sent_via == "email"
    late = [i for i in result.issues if i.code == "submission-late"]
    by_file = {i.path.split("/")[-1]: i.message for i in late}
    assert set(by_file) == {f"{a.code} - bao cao.xlsx", f"{c.code} - bao cao.xlsx"}
    assert "thư điện tử đến hộp thư lúc 10:00 07/04/2021" in by_file[f"{a.code} - bao cao.xlsx"]
    assert "thư điện tử" not in by_file[f"{c.code} - bao cao.xlsx"]
    assert units[b.code].resubmitted and units[b.code].file.endswith("sua lai.xlsx") and units[b.code].initiatives == 2
    # changed after it arrived: back to «Ngày gửi» (09/04, late)
    assert units[c.code].sent_via == "" and units[c.code].sent_on == dt.date(2021, 4, 9) and units[c.code].late
    assert not units[d.code].late and units[d.code].sent_via == "email"
    files = {f["path"].split("/")[-1]: f for f in result.as_json()["files"]}
    assert files[f"{a.code} - bao cao.xlsx"]["time_source"] == "email"
    assert files[f"{a.code} - bao cao.xlsx"]["received"] == "2021-04-07T10:00:00"
    assert files[f"{c.code} - bao cao.xlsx"]["time_source"] == "sent_date"
    assert any("nhận qua email" in line for line in summary_lines(result))
    # the «Tệp» sheet shows the receipt time
    from addin.io.gate.workbook import open_workbook

    book = write_district_workbook(result, root / "tong-hop.xlsx")
    grid = open_workbook(book).grid("Tệp")
    header = next(r for r in grid if "Email đến hộp thư lúc" in r)
    col = header.index("Email đến hộp thư lúc")
    assert sum(1 for r in grid if r and r[col] not in (None, "") and r is not header) == 4


def test_without_the_manifest_the_verdicts_differ(world, tmp_path):
    campaign, registry, root, inbox, (a, b, c, d) = world
    copy = tmp_path / "copy"
    shutil.copytree(inbox, copy, ignore=shutil.ignore_patterns(".sangkien-mail.json"))
    units = by_code(consolidate_district(copy, D, campaign, registry, settings=DistrictSettings(), now=RUN))
    assert not units[a.code].late  # «Ngày gửi» 01/04
    assert units[b.code].file.endswith("ban dau.xlsx")  # «Ngày gửi» 03/04 beats 02/04


def test_province_takes_the_dossiers_mail_date(world, tmp_path):
    campaign, registry, root, inbox, _units = world
    result = consolidate_district(inbox, D, campaign, registry, settings=DistrictSettings(), now=RUN)
    wb = write_district_workbook(result, tmp_path / "tong-hop.xlsx")
    marked = mark_choices(wb, tmp_path / "chon.xlsx", [r.id for r in result.nominations][:1])
    dossier = export_dossier(marked, tmp_path / "ho-so", campaign, registry, signed_on=dt.date(2021, 4, 8))
    # the dossier signed on 08/04 reaches the province's mailbox on 11/04: one message, three files
    from email.message import EmailMessage
    import email.utils

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "cj@example.vn", "tinh@example.vn", "Hồ sơ sáng kiến"
    msg["Date"] = email.utils.format_datetime(dt.datetime(2021, 4, 11, 7, 55, tzinfo=VN))
    msg.set_content("Kính gửi")
    for p in dossier.files:
        msg.add_attachment(p.read_bytes(), maintype="application", subtype="octet-stream", filename=p.name)
    (tmp_path / "eml").mkdir()
    (tmp_path / "eml" / "ho-so.eml").write_bytes(msg.as_bytes())
    mail_inbox = tmp_path / "hop-thu-tinh"
    fetch_mail(mail_inbox, eml=tmp_path / "eml")
    prov = consolidate_province(mail_inbox, campaign, registry, now=RUN)
    cj = next(x for x in prov.districts if x.code == D)
    assert cj.source == "package" and not cj.missing_files  # the letters came in the same message, same folder
    assert cj.received == dt.date(2021, 4, 11) and cj.late
    assert cj.as_json()["received_email"] == "2021-04-11T07:55:00"
    late = next(i for i in prov.issues if i.code == "dossier-late")
    assert "ngày thư điện tử đến hộp thư" in late.message
    # the staff's own record of the post channel still decides when given
    assert not next(x for x in consolidate_province(mail_inbox, campaign, registry, now=RUN,
                                                    received={D: dt.date(2021, 4, 9)}).districts if x.code == D).late
