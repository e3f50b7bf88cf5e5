"""``sangkien demo``: the whole job on the built-in SAMPLE province, from the registry to the dossiers.

Steps: pre-filled CĐCS workbooks for every sample unit → the workbooks units send back (most valid, some with
the typical mistakes, some late, one resubmitted, one sent to the wrong district, some never sent) → (with
``via_mail``: those returns as one mbox per district, fetched by ``sangkien mail``) → every district
consolidated, its staff's choice marked and its dossier for the province exported.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from addin.district.records import DistrictSettings
from addin.district.result import DistrictResult
from addin.district.run import run_district
from addin.dossier.export import export_dossier
from addin.province.records import ProvinceResult
from addin.province.run import run_province
from addin.registry import Registry, load_registry
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.sample.staff import mark_choices
from validators.campaign import Campaign, load_campaign
from validators.plan import apply_plan

Progress = Callable[[int, int, str], None]

MISTAKE_SHARE = 0.15  # share of returned workbooks that carry one typical mistake
NOT_RETURNED_SHARE = 0.06  # share of units that send nothing
LATE_SHARE = 0.05  # share sent after the district's deadline
NOMINATING_SHARE = 0.3  # share of units that propose one initiative to their district
# The run time written into the outputs: fixed, so that the demo's outputs are the same on every run.
DEMO_RUN_TIME = dt.datetime(2021, 4, 8, 16, 30)
# The province consolidates the dossiers after the district deadline and signs its letter to TLĐ.
DEMO_PROVINCE_RUN_TIME = dt.datetime(2021, 4, 12, 9, 0)


@dataclass
class DistrictOutcome:
    code: str
    result: DistrictResult
    workbook: Path
    dossier_files: list[Path]
    selected: int  # initiatives the (sample) staff chose for the province


@dataclass
class DemoResult:
    out: Path
    templates: int
    returned: int
    districts: list[DistrictOutcome]
    seconds: float
    mistakes: dict[str, str] = field(default_factory=dict)  # returned file name -> mistake key
    province: ProvinceResult | None = None
    province_files: list[Path] = field(default_factory=list)
    mail: dict | None = None  # the e-mail step (``--mail``): messages, files, fetch time

    def as_json(self) -> dict:
        return {
            "out": str(self.out),
            "templates": self.templates,
            "returned": self.returned,
            "seconds": round(self.seconds, 2),
            "districts": [
                {"district": d.code, "workbook": str(d.workbook), "dossier": [str(p) for p in d.dossier_files],
                 "ledger": d.result.ledger, "units": len(d.result.units), "selected": d.selected}
                for d in self.districts
            ],
            "mail": self.mail,
            "province": None if self.province is None else {
                "workbook": str(self.province_files[0]), "package": str(self.province_files[1]),
                "ledger": self.province.ledger, "accepted": len(self.province.accepted),
                "rejected": len(self.province.rejected), "missing": [d.code for d in self.province.missing],
                "indicators": [i.as_json() for i in self.province.indicators],
            },
        }

    def render(self, console: Console) -> None:
        table = Table(title="Chạy thử trên tỉnh mẫu Đắk Nông (dữ liệu hư cấu)")
        table.add_column("Mã")
        table.add_column("Đơn vị cấp trên", min_width=24, overflow="fold")
        for label, justify in ( ("CĐCS", "right"), ("Hợp lệ", "right"), ("Còn lỗi", "right"),
                               ("Chưa gửi", "right"), ("Sáng kiến", "right"), ("Bị loại", "right"),
                               ("Đề xuất tỉnh", "right")):
            table.add_column(label, justify=justify)
        for d in self.districts:
            statuses = [u.status for u in d.result.units]
            table.add_row(
                d.code, _short(d.result.district.name), str(sum(1 for u in d.result.units if u.status != "foreign")),
                str(statuses.count("valid")), str(statuses.count("errors")), str(statuses.count("missing")),
                str(d.result.ledger["rows_consolidated"]), str(d.result.ledger["rows_rejected"]),
                str(d.selected),
            )
        console.print(table)
        console.print(f"{self.templates} biểu mẫu, {self.returned} tệp gửi về, {self.seconds:.1f} giây.")
        console.print(f"Biểu mẫu CĐCS: {self.out / 'bieu-mau'}")
        console.print(f"Tệp đơn vị gửi về: {self.out / 'hop-thu'}")
        if self.mail is not None:
            console.print(f"Qua email: {self.mail['messages']} thư (tệp .mbox trong {self.out / 'thu-dien-tu'}) → "
                          f"{self.mail['files']} tệp trong {self.mail['inbox']}, lấy trong "
                          f"{self.mail['fetch_seconds']:.1f} giây; tổng hợp cấp huyện dùng thời điểm nhận thư.")
        console.print(f"Bảng tổng hợp cấp huyện/ngành: {self.out / 'tong-hop'}")
        console.print(f"Hồ sơ gửi tỉnh: {self.out / 'ho-so'}")
        if self.province is not None:
            from addin.province.consolidate import summary_lines

            for line in summary_lines(self.province):
                console.print(line, highlight=False)
            console.print(f"Bảng tổng hợp cấp tỉnh: {self.province_files[0]}")
            console.print(f"Gói dữ liệu cấp tỉnh gửi TLĐ: {self.province_files[1].parent}")


def _short(name: str) -> str:
    return name.replace("Liên đoàn Lao động ", "LĐLĐ ").replace("Công đoàn ngành ", "CĐ ngành ")


def fill_returned(
    campaign: Campaign,
    registry: Registry,
    template_dir: Path,
    inbox: Path,
    *,
    seed: int = 2021,
    progress: Progress | None = None,
    sent: dict[Path, dt.date] | None = None,
) -> dict[str, str]:
    """Fill every unit's pre-filled workbook as units would and drop it in its district's inbox folder.

    Returns {file name: mistake key} for the files that carry a deliberate mistake; ``sent`` (if given)
    receives each file's «Ngày gửi».
    """
    from addin.io.parallel import Crashed, Raised, run_jobs
    from addin.sample.fill import valid_initiative, valid_unit_answers
    from addin.cdcs.template.files import template_path_for

    rng = random.Random(seed)
    deadline = campaign.deadlines.cdcs_submission_default
    mistakes: dict[str, str] = {}
    jobs: list[tuple[Path, Path, dict, list]] = []
    units = list(registry.cdcs)
    for n, unit in enumerate(units, start=1):
        if progress:
            progress(n, len(units), unit.code)
        if rng.random() < NOT_RETURNED_SHARE:
            continue
        answers = valid_unit_answers(campaign, unit, rng)
        count = rng.choice((1, 1, 1, 2, 2, 3, 4))
        nominate = rng.random() < NOMINATING_SHARE
        rows = [valid_initiative(campaign, unit, rng, number=i + 1, nominated=nominate and i == 0)
                for i in range(count)]
        if rng.random() < LATE_SHARE:
            answers["NGAY_GUI"] = deadline + dt.timedelta(days=rng.randint(1, 6))
        source = template_path_for(template_dir, unit)
        target = inbox / unit.parent / source.name
        if rng.random() < MISTAKE_SHARE:
            key = rng.choice(MISTAKES)[0]
            apply_mistake(key, answers, rows, rng)
            mistakes[target.name] = key
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((source, target, answers, rows))
        if sent is not None:
            sent[target] = answers["NGAY_GUI"]  # type: ignore[assignment]
    # The answers are drawn above, in order (the same seed gives the same files); the files are written by
    # both cores when there are enough of them (the pool's own threshold).
    for _, outcome in run_jobs(_fill_job, jobs, True):
        if isinstance(outcome, (Raised, Crashed)):
            raise RuntimeError(f"fast fill failed: {outcome}")
    _typical_mailbox_accidents(inbox, registry, campaign, template_dir, rng)
    return mistakes


def _fill_job(_context: object, source: Path, target: Path, answers: dict, rows: list) -> None:
    from addin.sample.fastfill import fast_fill_workbook

    fast_fill_workbook(source, target, answers, rows)


def _typical_mailbox_accidents(inbox: Path, registry: Registry, campaign: Campaign, template_dir: Path,
                               rng: random.Random) -> None:
    """One unit sends a corrected file later; one unit's file lands in the wrong district's folder."""
    from addin.sample.fastfill import fast_fill_workbook
    from addin.sample.fill import valid_initiative, valid_unit_answers
    from addin.cdcs.template.files import template_path_for

    first = registry.cdcs_of(registry.districts[0].code)[0]
    answers = valid_unit_answers(campaign, first, rng)
    answers["NGAY_GUI"] = campaign.deadlines.cdcs_submission_default
    rows = [valid_initiative(campaign, first, rng, number=i + 1) for i in range(3)]
    corrected = inbox / first.parent / f"{first.code} - gui lai.xlsx"
    fast_fill_workbook(template_path_for(template_dir, first), corrected, answers, rows)
    stray = registry.cdcs_of(registry.districts[1].code)[0]
    source = inbox / stray.parent / template_path_for(template_dir, stray).name
    if source.exists():
        shutil.copy2(source, inbox / registry.districts[2].code / source.name)


def _mail_step(out: Path, inbox: Path, registry: Registry, campaign: Campaign, sent: dict[Path, dt.date]) -> dict:
    """The returns as each district's mailbox (one mbox per district), fetched by ``sangkien mail``."""
    from addin.mail.fetch import fetch_mail
    from addin.sample.mailbox import returns_messages, write_mbox

    mail_inbox = out / "hop-thu-email"
    if mail_inbox.exists():
        shutil.rmtree(mail_inbox)
    messages = files = 0
    seconds = 0.0
    for district in registry.districts:
        found = sorted((inbox / district.code).glob("*.xlsx"))
        box = write_mbox(returns_messages(found, registry, sent=sent,
                                          deadline=campaign.deadlines.cdcs_submission_default),
                         out / "thu-dien-tu" / f"{district.code}.mbox")
        started = time.perf_counter()
        run = fetch_mail(mail_inbox / district.code, mbox=box)
        seconds += time.perf_counter() - started
        messages, files = messages + len(run.messages), files + len(run.files)
    return {"inbox": str(mail_inbox), "messages": messages, "files": files, "fetch_seconds": round(seconds, 2)}


def run_demo(out: Path, *, progress: Progress | None = None, via_mail: bool = False) -> DemoResult:
    from addin.cdcs.template.files import generate_templates

    started = time.perf_counter()
    out = Path(out)
    registry = load_registry()
    campaign = apply_plan(load_campaign(), registry.province_plan)
    template_dir = out / "bieu-mau"
    paths = generate_templates(campaign, registry, template_dir,
                               progress=(lambda d, t: progress(d, t, "")) if progress else None)
    inbox = out / "hop-thu"
    if inbox.exists():
        shutil.rmtree(inbox)  # a rerun starts from the same mailbox, not from the previous one plus more
    sent: dict[Path, dt.date] = {}
    mistakes = fill_returned(campaign, registry, template_dir, inbox, progress=progress, sent=sent)
    mail = _mail_step(out, inbox, registry, campaign, sent) if via_mail else None
    outcomes = []
    for n, district in enumerate(registry.districts, start=1):
        workbook = out / "tong-hop" / f"{district.code}.xlsx"
        source = (out / "hop-thu-email" if via_mail else inbox) / district.code
        result = run_district(source, district.code, campaign, registry, workbook=workbook,
                              settings=DistrictSettings(), use_cache=False, now=DEMO_RUN_TIME)
        chosen = [r.id for r in result.nominations][: campaign.rules.district_nomination_max]
        marked = mark_choices(workbook, out / "tong-hop" / f"{district.code} - da chon.xlsx", chosen)
        # The last district sends its dossier two days after the province's deadline.
        late = n == len(registry.districts)
        signed = campaign.deadlines.district_dossier_before + dt.timedelta(days=2 if late else -2)
        dossier = export_dossier(marked, out / "ho-so" / district.code, campaign, registry, signed_on=signed)
        outcomes.append(DistrictOutcome(district.code, result, workbook, list(dossier.files), len(dossier.selected)))
        if progress:
            progress(n, len(registry.districts), district.code)
    province_run = run_province(out / "ho-so", campaign, registry, workbook=out / "tong-hop-tinh.xlsx",
                                package=out / "gui-tld" / f"goi-du-lieu-{registry.province_code or 'tinh'}.xlsx",
                                signed_on=DEMO_PROVINCE_RUN_TIME.date(), use_cache=False, now=DEMO_PROVINCE_RUN_TIME)
    province = province_run.result
    province_files = [out / "tong-hop-tinh.xlsx", province_run.package_files[-1]]
    returned = sum(1 for _ in inbox.rglob("*.xlsx"))
    return DemoResult(out=out, templates=len(paths), returned=returned, districts=outcomes,
                      seconds=time.perf_counter() - started, mistakes=mistakes, province=province,
                      province_files=province_files, mail=mail)
