"""A province's plan layered over the national program.

The campaign file holds the national program's rules (fields, blocs, limits, windows, the national software's
closing date). What belongs to one province — its name in letters and guides, the place its documents are
dated from, the e-mail that receives dossiers, its own deadlines, quotas and targets — is its plan: the
registry's «Thông tin» sheet (or any source that builds a ``ProvincePlan``). ``apply_plan`` gives the
campaign every level uses for that province; a plan that contradicts the program (a deadline past the
national software's closing date, a target the program does not measure) is an error before anything is
written."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from validators.campaign import Campaign
from validators.errors import ErrorCode, SangkienError


class PlanError(SangkienError):
    """The province's plan contradicts the national program: Vietnamese message."""


class ProvincePlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    province: str = ""
    issuer: str = ""  # default "Liên đoàn Lao động tỉnh <province>"
    place: str = ""  # default the province's name
    dossier_email: str = ""
    cdcs_submission_default: dt.date | None = None
    district_dossier_before: dt.date | None = None
    district_nomination_max: int | None = None
    default_cdcs_nomination_quota: int | None = None
    targets: dict[str, float] = {}


def _same(a: str, b: str) -> bool:
    import unicodedata

    return unicodedata.normalize("NFC", a).casefold().strip() == unicodedata.normalize("NFC", b).casefold().strip()


def apply_plan(campaign: Campaign, plan: ProvincePlan) -> Campaign:
    """The campaign for the plan's province: its names, place, e-mail, deadlines, quotas and targets over the
    national rules. A plan naming no province leaves the campaign as it is; the campaign's own e-mail is kept
    only for the province the campaign file was written for (its ``place``)."""
    if not plan.province:
        return campaign
    problems = []
    d = campaign.deadlines
    for key, label in (("cdcs_submission_default", "Hạn nộp báo cáo của CĐCS"),
                       ("district_dossier_before", "Hạn gửi hồ sơ về tỉnh")):
        day = getattr(plan, key)
        if day is not None and not (d.campaign_start <= day <= d.entry_close):
            problems.append(f"{label} {day:%d/%m/%Y} nằm ngoài thời gian của chương trình "
                            f"({d.campaign_start:%d/%m/%Y} – {d.entry_close:%d/%m/%Y})")
    problems += unknown_targets(campaign, plan.targets)
    if problems:
        raise PlanError(ErrorCode.PLAN_MISMATCH, province=plan.province, campaign=campaign.id,
                        problems="; ".join(problems))
    home = _same(plan.province, campaign.place)
    deadlines = d.model_copy(update={k: v for k in ("cdcs_submission_default", "district_dossier_before")
                                     if (v := getattr(plan, k)) is not None})
    rules = campaign.rules.model_copy(update={k: v for k in ("district_nomination_max", "default_cdcs_nomination_quota")
                                              if (v := getattr(plan, k)) is not None})
    targets = _targets(campaign, plan.targets)
    return campaign.model_copy(update={
        "issuer": plan.issuer or (campaign.issuer if home else f"Liên đoàn Lao động tỉnh {plan.province}"),
        "place": plan.place or (campaign.place if home else plan.province),
        "dossier_email": plan.dossier_email or (campaign.dossier_email if home else ""),
        "deadlines": deadlines, "rules": rules, "targets": targets,
    })


def unknown_targets(campaign: Campaign, targets: dict[str, float]) -> list[str]:
    """A problem (Vietnamese) per target key the program does not measure."""
    known = {t.key for t in campaign.targets}
    return [f"chỉ tiêu '{key}' không có trong chương trình (các chỉ tiêu: {', '.join(sorted(known))})"
            for key in sorted(set(targets) - known)]


def with_targets(campaign: Campaign, targets: dict[str, float]) -> Campaign:
    """The campaign with ``targets`` (by indicator key, all known: see ``unknown_targets``) in place of its own."""
    return campaign.model_copy(update={"targets": _targets(campaign, targets)})


def _targets(campaign: Campaign, targets: dict[str, float]):
    return tuple(t.model_copy(update={"target": targets[t.key]}) if t.key in targets else t for t in campaign.targets)
