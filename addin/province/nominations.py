"""The province's checks of the districts' nominations, and the same initiative sent by several districts.

A nomination is accepted when: the dossier was received strictly before ``deadlines.district_dossier_before``;
the Tờ trình and Bảng tổng hợp named in the stamp exist next to the package; its rank is within
``rules.district_nomination_max``; it has no complaint / dispute; it is one of the package's consolidated
initiatives; it was not already nominated by another district. Every failed condition is one reason; the
rejected row carries them joined by "; ".

Duplicates across districts: rows with the same title and author (``validators.rules.identity.initiative_key``,
the rule of every level) from two or more districts are one group; each row is flagged with the other copies."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from addin.province.records import CHANNEL_LABELS, DistrictEntry, vn_date
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from validators.rules.identity import initiative_key


def check_nominations(d: DistrictEntry, campaign: Campaign, seen: dict[str, str],
                      accepted: list[dict], rejected: list[dict], issues: list[Issue],
                      complaints: dict[str, str] | None = None) -> None:
    """``complaints``: what province staff recorded at selection time (a complaint or an authorship dispute),
    by initiative id: such a nomination is rejected with that text as its reason."""
    complaints = complaints or {}
    max_n = campaign.rules.district_nomination_max
    before = campaign.deadlines.district_dossier_before
    by_id = {r.get("id"): r for r in d.initiatives}
    dossier_reasons: list[str] = []
    rule = f" (phải đến trước ngày {vn_date(before)} bằng đường bưu điện và đồng thời qua email)"
    days = {d.by_channel.get(c) for c in d.late_channels}
    if len(d.late_channels) > 1 and len(days) == 1 and None not in days:  # both late, the same day: one reason
        dossier_reasons.append(f"Hồ sơ nhận ngày {vn_date(days.pop())} (qua bưu điện và email), không trước hạn "
                               f"{vn_date(before)}{rule}")
    else:
        for c in d.late_channels:
            day = d.by_channel.get(c)
            dossier_reasons.append(
                f"Hồ sơ qua {CHANNEL_LABELS[c]} " + (f"nhận ngày {vn_date(day)}, không trước hạn {vn_date(before)}"
                                                      if day else "chưa nhận") + rule)
    if d.missing_files:
        dossier_reasons.append("Hồ sơ không đầy đủ: thiếu " + ", ".join(d.missing_files))
    noms = sorted(d.nominations, key=lambda n: (n.get("rank") or 10**6))
    for pos, n in enumerate(noms, start=1):
        reasons = list(dossier_reasons)
        rid = n.get("id")
        init = by_id.get(rid)
        if pos > max_n:
            reasons.append(f"Vượt quá {max_n} sáng kiến mỗi đơn vị cấp trên được đề nghị (thứ tự chọn {pos})")
        if init is None:
            reasons.append("Sáng kiến không có trong danh sách sáng kiến đã được kiểm tra, tổng hợp của đơn vị")
        if n.get("disputed") or (init is not None and init.get("disputed")):
            reasons.append("Sáng kiến có khiếu nại, tranh chấp")
        if complaints.get(rid):
            reasons.append(f"Có khiếu nại, tranh chấp khi xét chọn (cán bộ ghi): {complaints[rid]}")
        if rid in seen:
            reasons.append(f"Sáng kiến đã được {seen[rid]} đề nghị")
        row = {**n, "district_code": n.get("district_code") or d.code, "district_name": d.name}
        if reasons:
            row["reasons"] = reasons
            row["reason"] = "; ".join(reasons)
            rejected.append(row)
            issues.append(make_issue(IssueCode.NOMINATION_REJECTED, value=n.get("title") or rid, detail=row["reason"])
                          .with_path(d.package_path.name if d.package_path else d.code))
        else:
            seen[rid] = d.name
            accepted.append(row)


def cross_district_duplicates(districts: list[DistrictEntry], issues: list[Issue]) -> list[dict[str, list[str]]]:
    """Groups of rows with the same initiative in two or more districts; every row gets ``duplicate_of``."""
    groups: dict[tuple[str, str], list[tuple[DistrictEntry, dict[str, Any]]]] = defaultdict(list)
    for d in districts:
        for r in d.initiatives:
            key = initiative_key(r.get("title"), r.get("author"))
            if key:
                groups[key].append((d, r))
    out = []
    for group in groups.values():
        if len({d.code for d, _ in group}) < 2:
            continue
        for d, r in group:
            others = [(od, o) for od, o in group if o is not r]
            r["duplicate_of"] = [o.get("id") for _, o in others]
            where = "; ".join(f"{o.get('unit_code')} của {od.name}" for od, o in others)
            issues.append(make_issue(IssueCode.DUPLICATE_INITIATIVE, value=r.get("title"), author=r.get("author"),
                                     other=where).with_path(d.package_path.name if d.package_path else d.code))
        out.append({"ids": [r.get("id") for _, r in group], "units": [r.get("unit_code") for _, r in group],
                    "districts": [d.code for d, _ in group]})
    return out
