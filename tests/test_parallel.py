"""The process pool: results in job order, the same as serially; a job that kills its process (as a parser
aborting on a hostile file would) is reported as crashed, and every other job still gets its result."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os

import pytest

from addin.io.parallel import Crashed, Raised, default_workers, run_jobs


def _job(context: dict, n: int) -> int:
    if n in context["abort"]:
        faulthandler.disable()  # pytest's traceback dump would only add noise
        os.abort()  # what calamine does on an allocation it cannot make: no exception, the process is gone
    if n in context["raise"]:
        raise ValueError(n)
    return n * context["factor"]


def _run(n_jobs: int, workers: int, abort=(), raises=()) -> list:
    out = list(run_jobs(_job, [(n,) for n in range(n_jobs)], {"abort": set(abort), "raise": set(raises), "factor": 3},
                        workers=workers))
    assert [i for i, _ in out] == list(range(n_jobs))  # every job once, in order
    return [r for _, r in out]


def test_pool_gives_the_serial_results_in_order():
    assert _run(40, 2, raises=(7,)) == _run(40, 1, raises=(7,)) == [
        Raised("ValueError") if n == 7 else 3 * n for n in range(40)]


@pytest.mark.parametrize("abort", [(0,), (13,), (39,), (5, 6, 30)])
def test_a_job_killing_its_process_does_not_stop_the_batch(abort):
    results = _run(40, 2, abort=abort)
    assert [n for n, r in enumerate(results) if isinstance(r, Crashed)] == list(abort)
    assert all(r == 3 * n for n, r in enumerate(results) if n not in abort)


def test_default_workers(monkeypatch):
    monkeypatch.delenv("SANGKIEN_WORKERS", raising=False)
    assert default_workers(1) == 1  # a handful of files: serial, no pool to start
    monkeypatch.setenv("SANGKIEN_WORKERS", "1")
    assert default_workers(10_000) == 1
    monkeypatch.setenv("SANGKIEN_WORKERS", "3")
    assert default_workers(5) == 3
    monkeypatch.delenv("SANGKIEN_WORKERS")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    for method, pooled in (("fork", True), ("spawn", False), ("forkserver", False)):
        monkeypatch.setattr(multiprocessing, "get_start_method", lambda allow_none=False, m=method: m)
        assert default_workers(100) == (2 if pooled else 1), method  # a district: a pool only where forked
        assert default_workers(500) == 2  # past ~300 files a spawned pool pays its start-up (benchmarks.pool)
        assert default_workers(5000) == 2  # a province's worth of files
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_workers(5000) == 1


def test_district_in_a_pool_equals_serial(tmp_path):
    """The hostile corpus and the district tests run through the pool by default; here the same inbox is
    consolidated both ways and compared whole."""
    import datetime as dt
    import random

    from addin.district.consolidate import consolidate_district
    from addin.registry import Cdcs, District, Registry
    from addin.sample.fastfill import fast_fill_workbook
    from addin.sample.fill import valid_initiative, valid_unit_answers
    from addin.cdcs.template.files import generate_templates
    from validators.campaign import load_campaign

    campaign = load_campaign()
    cdcs = tuple(Cdcs(code=f"HP{n:02d}", name=f"Công đoàn cơ sở {n}", parent="HP", bloc=campaign.blocs[n % 2])
                 for n in range(8))
    registry = Registry(province="Đắk Nông", province_code="DNO", districts=(
        District(code="HP", name="Liên đoàn Lao động huyện Đắk Song", kind="LĐLĐ huyện"),), cdcs=cdcs)
    generate_templates(campaign, registry, tmp_path / "tpl", include_blank=False)
    rng = random.Random(3)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for c, tpl in zip(cdcs, sorted((tmp_path / "tpl").rglob("*.xlsx"))):
        rows = [valid_initiative(campaign, c, rng, number=i + 1) for i in range(2)]
        fast_fill_workbook(tpl, inbox / tpl.name, valid_unit_answers(campaign, c, rng), rows)
    (inbox / "hong.xlsx").write_bytes(b"PK\x03\x04 broken")
    now = dt.datetime(2021, 4, 9, 8, 0)
    serial = consolidate_district(inbox, "HP", campaign, registry, now=now, workers=1)
    pooled = consolidate_district(inbox, "HP", campaign, registry, now=now, workers=2)
    assert serial.as_json() == pooled.as_json()
    assert [f.report for f in serial.files] == [f.report for f in pooled.files]
