"""Province consolidation (tổng hợp cấp tỉnh): every district dossier under a folder is read, matched to the
registry, measured against every campaign target and its nominations checked; every file under the folder is
listed with what was done with it.

``consolidate_province`` runs named phases, each in its own module:

* **model**: one entry per district of the registry (``missing`` until something of it is found);
* **scan** (``scan``): the district packages, recognised by content; the newest of a district wins;
* **packages**: each package's rows, received date and completeness (Tờ trình and Bảng tổng hợp beside it);
* **raw** (``raw``): CĐCS workbooks anywhere under the folder, grouped by the district their stamp names; a
  district with no package is consolidated from them (``source="raw"``, no nominations);
* **consolidate** (``tally``): the registry's CĐCS rows from their own district, the indicators of each
  district and of the province, counted by ``validators.rules.counting`` — the district's own rules;
* **nominations** (``nominations``): the dossier rules, and the same initiative sent by several districts;
* **files**: the ledger of every file. The national roll-up is ``national``; the province's own package and
  letters are ``letters``.

Ledger: the province ledger is the sum of the district ledgers; each must balance (read = consolidated +
rejected) and its consolidated count must equal the initiative rows it sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from addin.dossier.package import Package
from addin.province.nominations import check_nominations, cross_district_duplicates
from addin.province.raw import beside_package, consolidate_raw, group_raw
from addin.province.records import (CHANNEL_LABELS, CHANNELS, FILE_ROLES, LEDGER_KEYS, channel_days, roll_up_lines, DistrictEntry, FileRecord, Progress, ProvinceError,
                                    ProvinceResult, as_date, rel, vn_date)
from addin.province.scan import iter_packages, list_files, mark_letters, newest
from addin.province.tally import rows_indicators
from addin.registry import Registry
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from validators.models import UnitReport
from validators.rules.counting import counts_by
from validators.text.vnformat import vn_number
from addin.io.names import visible_name
from addin.mail.manifest import received_times
from addin.province.package_checks import check_packages
from validators.errors import ErrorCode


def _model(registry: Registry) -> dict[str, DistrictEntry]:
    return {d.code: DistrictEntry(code=d.code, name=d.name, contact=d.contact, phone=d.phone, email=d.email,
                                  expected=len(registry.cdcs_of(d.code))) for d in registry.districts}


def _scan(root: Path, campaign: Campaign, registry: Registry, progress: Progress | None, issues: list[Issue],
          files: dict[str, FileRecord]) -> tuple[dict[str, tuple[Path, Package]], list[Path]]:
    others: list[Path] = []
    pairs = list(iter_packages(root, campaign, "district", issues, others, progress, files))
    for p, pkg in pairs:
        if pkg.code not in registry.district_by_code:
            issue = make_issue(IssueCode.PACKAGE_UNKNOWN_UNIT, value=pkg.code).with_path(rel(p, root))
            issues.append(issue)
            files[rel(p, root)] = FileRecord(rel(p, root), "package-unknown", pkg.code, issue.message)
    usable = check_packages(pairs, root, registry, issues)  # rows of other units, copies, self-references...
    return newest([(p, k) for p, k in usable if k.code in registry.district_by_code], root, issues, files), others


def channel_text(d: DistrictEntry) -> str:
    """"qua bưu điện 12/04/2021, qua email chưa nhận" — each late channel with its day."""
    def day(c: str) -> str:
        text = vn_date(d.by_channel.get(c)) or "chưa nhận"
        emailed = c == "email" and d.received_email is not None and d.by_channel.get(c) == d.received_email.date()
        return text + (" (ngày thư điện tử đến hộp thư)" if emailed else "")

    return ", ".join(f"qua {CHANNEL_LABELS[c]} {day(c)}" for c in d.late_channels)


def _packages(entries: dict[str, DistrictEntry], chosen: dict[str, tuple[Path, Package]], root: Path,
              campaign: Campaign, received: dict[str, Any], issues: list[Issue],
              files: dict[str, FileRecord]) -> set[Path]:
    """Fill each district's entry from its package; returns the dossiers' letters found beside them."""
    letters: set[Path] = set()
    mail_times = received_times(root)  # packages fetched by ``sangkien mail``: the e-mail channel's dates
    for code, (p, pkg) in chosen.items():
        d = entries[code]
        d.source, d.package_path, d.folder = "package", p, p.parent
        d.initiatives = [r | {"district_code": r.get("district_code") or code} for r in pkg.initiatives]
        d.units, d.nominations, d.ledger = pkg.units, pkg.nominations, {k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS}
        before = campaign.deadlines.district_dossier_before
        d.by_channel = channel_days(received[code] if code in received else as_date(pkg.stamp.get("export_date")))
        d.received_email = mail_times.get(rel(p, root))
        if d.received_email is not None and code not in received:
            d.by_channel["email"] = d.received_email.date()  # the mailbox's receipt is the evidence
        d.late_channels = [c for c in CHANNELS if d.by_channel.get(c) is None or d.by_channel[c] >= before]
        d.received = max((v for v in d.by_channel.values() if v), default=None)
        own = str(pkg.stamp.get("own_propagated") or "").strip()
        d.own_propagated = {"Có": True, "Không": False}.get(own)
        d.own_movement = str(pkg.stamp.get("own_movement") or "").strip()
        d.late = bool(d.late_channels)
        for key, label in (("to_trinh_file", "Tờ trình"), ("summary_file", "Bảng tổng hợp tóm tắt sáng kiến")):
            fname = str(pkg.stamp.get(key) or "").strip()
            if not fname or not (p.parent / fname).is_file() or Path(fname).name != fname:
                d.missing_files.append(f"{label} ({fname})" if fname else label)
        letters |= mark_letters(p, pkg.stamp, root, code, files)
        name = rel(p, root)
        files[name] = FileRecord(name, "package", code, None)
        if d.late:
            issues.append(make_issue(IssueCode.DOSSIER_LATE, value=d.name, detail=channel_text(d),
                                     deadline=vn_date(before)).with_path(name))
        if d.missing_files:
            issues.append(make_issue(IssueCode.DOSSIER_INCOMPLETE, value=d.name, detail=", ".join(d.missing_files))
                          .with_path(name))
    return letters


def _raw(entries: dict[str, DistrictEntry], others: list[Path], letters: set[Path], root: Path, campaign: Campaign,
         registry: Registry, run_time: dt.datetime, cache_dir: str | Path | None, issues: list[Issue],
         files: dict[str, FileRecord]) -> None:
    for code, paths in sorted(group_raw(others, root, registry, letters, files, issues).items()):
        d = entries[code]
        if d.source == "package":
            beside_package(paths, d, root, files, issues)
        else:
            consolidate_raw(d, paths, root, campaign, registry, run_time, cache_dir, files, issues)


def _check_ledgers(districts: list[DistrictEntry], issues: list[Issue]) -> None:
    for d in districts:
        if d.source == "missing":
            issues.append(make_issue(IssueCode.DISTRICT_MISSING, value=d.name).with_path(d.code))
            continue
        led = d.ledger
        problems = []
        if not d.balanced:
            problems.append(f"đọc {led['rows_read']} dòng ≠ tổng hợp {led['rows_consolidated']} "
                            f"+ bị loại {led['rows_rejected']}")
        if led["rows_consolidated"] != len(d.initiatives):
            problems.append(f"ghi tổng hợp {led['rows_consolidated']} dòng nhưng gửi {len(d.initiatives)} sáng kiến")
        if problems:
            issues.append(make_issue(IssueCode.LEDGER_UNBALANCED, value=d.name, detail="; ".join(problems))
                          .with_path(d.package_path.name if d.package_path else d.code))


def _unit_rows(districts: list[DistrictEntry], registry: Registry) -> list[dict[str, Any]]:
    """The registry's CĐCS in order, each from its own district's data (``missing`` when none)."""
    own: dict[str, dict[str, Any]] = {}
    for d in districts:
        for u in d.units:
            code = u.get("unit_code")
            c = registry.cdcs_by_code.get(code or "")
            if c is not None and c.parent == d.code and u.get("status") != "foreign":
                own[code] = u
    return [own.get(c.code) or {
        "province_code": registry.province_code, "district_code": c.parent, "unit_code": c.code,
        "name": c.name, "bloc": c.bloc, "status": "missing", "initiatives": 0} for c in registry.cdcs]


def consolidate_province(
    dossiers_dir: str | Path,
    campaign: Campaign,
    registry: Registry,
    *,
    received: dict[str, Any] | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    cache_dir: str | Path | None = None,
    staff: dict[str, dict[str, str]] | None = None,
) -> ProvinceResult:
    """Read every district dossier under ``dossiers_dir`` (see the module docs) and consolidate the province.
    ``received``: the day the province received each district's dossier, one date (both channels) or a pair
    (post, email; None = not received that way); default: the package's export date. ``staff``: what staff
    typed on the selection sheets of the previous workbook (``addin.province.workbook.previous_staff``): a
    complaint recorded there rejects its nomination, and everything is carried into the new sheets.
    With ``cache_dir``, a district that sent raw CĐCS files reuses the checks of the files unchanged since the
    last run there (``addin.cdcs.cache``), as ``sangkien district`` does."""
    root = Path(dossiers_dir)
    if not root.is_dir():
        raise ProvinceError(ErrorCode.PROVINCE_FOLDER_NOT_FOUND, root=root)
    received = dict(received or {})
    unknown = sorted(set(received) - set(registry.district_by_code))
    if unknown:
        raise ProvinceError(ErrorCode.RECEIVED_UNKNOWN_DISTRICT, items=', '.join(unknown), known=', '.join(registry.district_by_code))
    run_time = (now or dt.datetime.now()).replace(microsecond=0)
    issues: list[Issue] = []
    files: dict[str, FileRecord] = {}

    entries = _model(registry)
    chosen, others = _scan(root, campaign, registry, progress, issues, files)
    letters = _packages(entries, chosen, root, campaign, received, issues, files)
    _raw(entries, others, letters, root, campaign, registry, run_time, cache_dir, issues, files)
    districts = list(entries.values())
    _check_ledgers(districts, issues)

    units = _unit_rows(districts, registry)
    for d in districts:
        mine = [u for u in units if u["district_code"] == d.code]
        d.indicators, d.at_deadline = rows_indicators(mine, d.initiatives, d.expected, campaign, scope="district")
    initiatives = [r for d in districts for r in d.initiatives]
    upper = [UnitReport.model_construct(unit_code=d.code, propagated=d.own_propagated,
                                        specific_movement=d.own_movement or None, initiatives=()) for d in districts]
    indicators, at_deadline = rows_indicators(units, initiatives, len(registry.cdcs), campaign, scope="province",
                                              upper=upper)

    accepted: list[dict] = []
    rejected: list[dict] = []
    seen: dict[str, str] = {}
    staff = dict(staff or {})
    complaints = {k: v["complaint"] for k, v in staff.items() if v.get("complaint")}
    for d in districts:
        if d.source == "package":
            check_nominations(d, campaign, seen, accepted, rejected, issues, complaints)
    duplicates = cross_district_duplicates(districts, issues)

    return ProvinceResult(
        campaign=campaign, registry=registry, dossiers_dir=root, run_time=run_time, districts=districts,
        initiatives=initiatives, units=units, indicators=indicators, at_deadline=at_deadline,
        by_field=counts_by([r.get("field") for r in initiatives], campaign.fields),
        by_bloc=counts_by([r.get("bloc") for r in initiatives], campaign.blocs),
        accepted=accepted, rejected=rejected,
        issues=[i.with_path(visible_name(i.path)) if i.path else i for i in issues],
        files=list_files(root, files, [], ""), duplicates=duplicates, staff=staff,
    )


def summary_lines(result: ProvinceResult) -> list[str]:
    sent = sum(1 for d in result.districts if d.source != "missing")
    by_role: dict[str, int] = {}
    for f in result.files:
        by_role[f.role] = by_role.get(f.role, 0) + 1

    lines = [
        f"{result.registry.province}: {sent}/{len(result.districts)} đơn vị cấp trên đã gửi "
        f"({sum(1 for d in result.districts if d.source == 'raw')} gửi tệp CĐCS thay gói dữ liệu).",
        f"{vn_number(len(result.files))} tệp trong thư mục: "
        + "; ".join(f"{FILE_ROLES[k]}: {vn_number(n)}" for k, n in sorted(by_role.items())) + ".",
        *([f"{reused} tệp CĐCS gửi thẳng không đổi, dùng lại kết quả kiểm tra của lần tổng hợp trước."]
          if (reused := sum(d.reused_files for d in result.districts)) else []),
        *roll_up_lines(result, "district_name"),
    ]
    if result.duplicates:
        lines.append(f"Sáng kiến trùng giữa các đơn vị cấp trên: {len(result.duplicates)} nhóm (xem trang «Lỗi»).")
    lines += [f"  ! {m}" for m in result.marks]
    if result.missing:
        lines.append("Chưa gửi: " + ", ".join(f"{d.name} ({d.code})" for d in result.missing))
    for f in result.files:
        if f.role in ("ignored", "raw-not-used", "not-workbook", "package-invalid", "package-unknown"):
            lines.append(f"  - {f.path}: {FILE_ROLES[f.role]}. {f.reason or ''}".rstrip())
    return lines
