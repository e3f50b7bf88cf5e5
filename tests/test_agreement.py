"""District and province never contradict each other: the same inbox consolidated by the district (then read
by the province from its package) and by the province itself (raw CĐCS files) gives every indicator of the
district the same value — on the built-in demo registry and on a second, invented one. The inbox holds a
file blocked by another campaign's stamp whose unit answered "Có" everywhere: it must count nowhere."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from addin.cdcs.template.files import build_template
from addin.district.consolidate import consolidate_district
from addin.district.workbook import write_district_workbook
from addin.dossier.export import export_dossier
from addin.province.consolidate import consolidate_province
from addin.registry import Cdcs, District, Registry
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from addin.sample.registry import build_sample_registry
from validators.campaign import load_campaign

RUN = dt.datetime(2021, 4, 9, 8, 0)
OTHER_CAMPAIGN = Path(__file__).parent / "data" / "campaign-other.toml"


def _second_registry(campaign) -> Registry:
    d = District(code="QB", name="Liên đoàn Lao động huyện Quảng Bình Thử", kind="LĐLĐ huyện")
    cdcs = tuple(Cdcs(code=f"QB{n:02d}", name=f"Công đoàn cơ sở Thử {n}", parent="QB", bloc=campaign.blocs[n % 2],
                      members=25) for n in range(6))
    return Registry(province="Thử Nghiệm", province_code="TNG", districts=(d,), cdcs=cdcs)


@pytest.mark.parametrize("which", ["demo", "second"])
def test_district_and_province_agree_on_every_indicator(which, tmp_path):
    campaign = load_campaign()
    registry = build_sample_registry() if which == "demo" else _second_registry(campaign)
    district = registry.districts[0]
    units = registry.cdcs_of(district.code)[:6]
    rng = random.Random(14)
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    for n, c in enumerate(units):
        blocked = n == 0
        camp = load_campaign(OTHER_CAMPAIGN) if blocked else campaign
        tpl = build_template(camp, c, district, tmp_path / "tpl" / f"{c.code}.xlsx")
        answers = valid_unit_answers(campaign, c, rng)
        answers["DA_TUYEN_TRUYEN"] = "Có" if n % 2 == 0 else "Không"  # the blocked unit says "Có"
        answers["PHONG_TRAO_DAC_THU"] = "Phong trào thi đua" if n < 3 else None
        rows = [valid_initiative(campaign, c, rng, number=i + 1, nominated=False) for i in range(1 + n % 2)]
        if n == 4:
            rows[0]["Đã cập nhật phần mềm TLĐ"] = "Không"
        fill_workbook(tpl, inbox / f"{c.code}.xlsx", answers, rows)

    result = consolidate_district(inbox, district.code, campaign, registry, now=RUN, workers=1)
    blocked_unit = next(u for u in result.units if u.code == units[0].code)
    assert blocked_unit.status == "errors" and not blocked_unit.counted
    mine = {i.key: i for i in result.indicators}

    # the province from the district's package, and from the raw files
    wb = write_district_workbook(result, tmp_path / "tong-hop.xlsx")
    from_package = tmp_path / "ho-so-goi"
    export_dossier(wb, from_package / district.code, campaign, registry, signed_on=dt.date(2021, 4, 5))
    raw = tmp_path / "ho-so-tho" / district.code
    raw.mkdir(parents=True)
    for p in inbox.iterdir():
        (raw / p.name).write_bytes(p.read_bytes())
    for folder in (from_package, raw.parent):
        prov = consolidate_province(folder, campaign, registry, now=RUN)
        entry = next(d for d in prov.districts if d.code == district.code)
        theirs = {i.key: i for i in entry.indicators}
        for key, i in mine.items():
            t = theirs[key]
            assert (t.actual, t.numerator, t.denominator, t.target, t.met) == (
                i.actual, i.numerator, i.denominator, i.target, i.met), (folder.name, key)
    assert mine["propagated_pct"].numerator == 2  # units 2 and 4: the blocked unit 0 does not count
