"""The re-run cache: a second consolidation of unchanged files reuses their reports and gives exactly the same
result; a changed, renamed or touched file, another context, or a damaged cache is never served stale."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.district.result import summary_lines
from addin.district.workbook import write_district_workbook
from addin.registry import Cdcs, District, Registry
from addin.cdcs.cache import CACHE_DIR_NAME
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.cdcs.template.files import generate_templates
from validators.campaign import load_campaign

RUN = dt.datetime(2021, 4, 9, 8, 30)
D = "HC"


def _comparable(result) -> dict:
    """The whole JSON report except what says how it was obtained."""
    out = result.as_json()
    out.pop("cache")
    return out


class Inbox:
    pass


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Inbox:
    campaign = load_campaign()
    cdcs = tuple(Cdcs(code=f"{D}{n:02d}", name=f"Công đoàn cơ sở số {n}", parent=D, bloc=campaign.blocs[n % 2],
                      members=10 + n) for n in range(12))
    registry = Registry(province="Đắk Nông", province_code="DNO", districts=(
        District(code=D, name="Liên đoàn Lao động huyện Cư Jút", kind="LĐLĐ huyện"),), cdcs=cdcs)
    root = tmp_path_factory.mktemp("cache")
    generate_templates(campaign, registry, root / "tpl", include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in (root / "tpl").rglob("*.xlsx")}
    rng = random.Random(7)
    folder = root / "inbox"
    folder.mkdir()
    for n, c in enumerate(cdcs[:10]):
        unit = valid_unit_answers(campaign, c, rng)
        rows = [valid_initiative(campaign, c, rng, number=i + 1, nominated=i == 0) for i in range(1 + n % 3)]
        if n < len(MISTAKES):
            apply_mistake(MISTAKES[n][0], unit, rows, rng)
        fast_fill_workbook(tpl[c.code], folder / tpl[c.code].name, unit, rows)
    (folder / "rac.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    i = Inbox()
    i.campaign, i.registry, i.root, i.folder, i.tpl = campaign, registry, root, folder, tpl
    return i


def _copy(inbox: Inbox, tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(inbox.folder, folder)
    return folder


def test_rerun_reuses_every_file_and_gives_the_same_result(inbox, tmp_path):
    folder = _copy(inbox, tmp_path)
    cache = tmp_path / "out" / CACHE_DIR_NAME
    fresh = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN)
    first = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    again = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    assert first.reused_files == 0 and first.cache.problem is None
    assert len(again.files) == 11 and again.reused_files == 10  # the junk file is refused again, not cached
    assert _comparable(fresh) == _comparable(first) == _comparable(again)
    assert [f.report for f in again.files] == [f.report for f in fresh.files]  # typed reports, rows included
    assert again.as_json()["cache"] == {"reused_files": 10, "checked_files": 1, "workbook_kept": False,
                                        "problem": None}
    assert "10 tệp không đổi, dùng lại kết quả kiểm tra của lần tổng hợp trước." in summary_lines(again)


def test_changed_renamed_and_touched_files(inbox, tmp_path):
    folder = _copy(inbox, tmp_path)
    cache = tmp_path / CACHE_DIR_NAME
    consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    files = sorted(p for p in folder.iterdir() if p.name.startswith(D))
    # changed content: another unit's answers in the same file name
    c = inbox.registry.cdcs_by_code[files[0].name.split(" - ")[0]]
    rng = random.Random(99)
    fast_fill_workbook(inbox.tpl[c.code], files[0], valid_unit_answers(inbox.campaign, c, rng),
                       [valid_initiative(inbox.campaign, c, rng, number=1)])
    files[1].rename(folder / "doi-ten.xlsx")  # same bytes, another name: the report names the file
    late = dt.datetime(2021, 4, 30, 9, 0).timestamp()
    os.utime(files[2], (late, late))  # same bytes, newer modification time
    again = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    fresh = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN)
    assert _comparable(again) == _comparable(fresh)
    reused = {f.name for f in again.files if f.reused}
    assert files[0].name not in reused and "doi-ten.xlsx" not in reused
    assert files[2].name in reused  # reused, with the new time
    touched = next(f for f in again.files if f.name == files[2].name)
    assert touched.modified == dt.datetime(2021, 4, 30, 9, 0)
    assert again.reused_files == len(again.files) - 3  # the two changed files and the junk file


def test_other_context_or_damaged_cache_is_ignored_and_rebuilt(inbox, tmp_path):
    folder = _copy(inbox, tmp_path)
    cache = tmp_path / CACHE_DIR_NAME
    fresh = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN)
    consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    quotas = DistrictSettings(quotas={f"{D}00": 3})
    other = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache,
                                 settings=quotas)
    assert other.reused_files == 0 and other.cache.problem  # quotas are part of the context
    assert f"Kiểm tra lại mọi tệp, không dùng kết quả lần trước: {other.cache.problem}." in summary_lines(other)
    assert _comparable(other) == _comparable(consolidate_district(folder, D, inbox.campaign, inbox.registry,
                                                                  now=RUN, settings=quotas))
    (cache_file,) = cache.glob("*.json")
    for damage in (b"", b"{not json", cache_file.read_bytes()[:500]):
        cache_file.write_bytes(damage)
        r = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
        assert r.reused_files == 0 and r.cache.problem == "tệp bộ nhớ đệm bị hỏng"
        assert _comparable(r) == _comparable(fresh)
    # a well-formed cache whose stored report was altered is not served for another file's bytes
    consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    body = json.loads(cache_file.read_text(encoding="utf-8"))
    body["entries"][0]["sha256"] = "0" * 64
    cache_file.write_text(json.dumps(body), encoding="utf-8")
    r = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    assert r.reused_files == len(r.files) - 2
    assert _comparable(r) == _comparable(fresh)


def test_unchanged_workbook_is_kept_and_a_changed_one_rewritten(inbox, tmp_path):
    folder = _copy(inbox, tmp_path)
    out = tmp_path / "out" / "tong-hop.xlsx"
    cache = out.parent / CACHE_DIR_NAME
    first = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=RUN, cache_dir=cache)
    write_district_workbook(first, out)
    written = out.read_bytes()
    assert not first.workbook_kept
    later = dt.datetime(2021, 4, 10, 9, 0)
    again = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=later, cache_dir=cache)
    write_district_workbook(again, out)
    assert again.workbook_kept and out.read_bytes() == written
    assert "Không có gì thay đổi: bảng tổng hợp giữ nguyên như lần tổng hợp trước." in summary_lines(again)
    # staff edited the workbook: it is written again (never assumed to be ours)
    out.write_bytes(written + b"\x00")
    edited = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=later, cache_dir=cache)
    write_district_workbook(edited, out)
    assert not edited.workbook_kept
    plain = out.parent / "sans-cache.xlsx"  # what a run without the cache writes at the same time
    write_district_workbook(consolidate_district(folder, D, inbox.campaign, inbox.registry, now=later), plain)
    assert out.read_bytes() == plain.read_bytes() != written  # the new run time is in it
    # a new file in the inbox: the workbook is rebuilt
    shutil.copy(next(folder.glob(f"{D}01*")), folder / "ban-sao.xlsx")
    more = consolidate_district(folder, D, inbox.campaign, inbox.registry, now=later, cache_dir=cache)
    write_district_workbook(more, out)
    assert not more.workbook_kept and more.reused_files == len(more.files) - 2


def test_cli_says_what_it_reused(inbox, tmp_path):
    from typer.testing import CliRunner

    from addin.cli import app
    from addin.registry import write_registry

    folder = _copy(inbox, tmp_path)
    reg = tmp_path / "don-vi.xlsx"
    write_registry(inbox.registry, reg)
    out = tmp_path / "ket-qua" / "tong-hop.xlsx"
    args = ["district", str(folder), "--district", D, "--out", str(out), "--registry", str(reg)]
    first = json.loads(CliRunner().invoke(app, args + ["--json"]).stdout)
    assert first["cache"]["reused_files"] == 0 and (out.parent / CACHE_DIR_NAME).is_dir()
    text = CliRunner().invoke(app, args).stdout
    assert "10 tệp không đổi, dùng lại kết quả kiểm tra" in text
    assert "bảng tổng hợp giữ nguyên" in text
    assert json.loads(CliRunner().invoke(app, args + ["--json", "--no-cache"]).stdout)["cache"] is None
