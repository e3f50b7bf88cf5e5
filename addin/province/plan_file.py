"""A plan file of its own, separate from the registry. The province plan is a separate document from the
national program (issue 14, item 9). A province may keep its plan in the registry's «Thông tin» sheet (the
default) or in a small file of its own given with ``--plan``. TLĐ gives its national targets the same way.

Both kinds of file use the labels of the registry's «Thông tin» sheet and go through its parser
(``addin.registry.plan_from_info``), so each label means one thing everywhere:

* ``.xlsx``: a «Thông tin» sheet, label in column A, value in column B. The registry itself is also a valid
  plan file;
* ``.toml``: the same labels as keys, e.g. ``"Hạn gửi hồ sơ về tỉnh" = 2021-04-08`` and
  ``"Chỉ tiêu: initiatives" = 300``.

A label the plan does not know is an error rather than being ignored silently: a mistyped deadline must
not fall back to the campaign's. A plan naming another province than the registry's is also an error. Both
are raised before anything is written."""

from __future__ import annotations

import tomllib
from pathlib import Path

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.registry import (INFO_SHEET, PLAN_DATES, PLAN_INTS, PLAN_TEXT, TARGET_PREFIX, Registry, plan_from_info)
from validators.campaign import Campaign
from validators.errors import ErrorCode
from validators.issues import Issue
from validators.plan import PlanError, ProvincePlan, apply_plan, unknown_targets, with_targets
from validators.text.normalize import clean_text

PROVINCE_LABEL = "Tỉnh"
PLAN_LABELS = (PROVINCE_LABEL, *PLAN_TEXT.values(), *PLAN_DATES.values(), *PLAN_INTS.values())
# A registry's «Thông tin» also holds these: read as a plan file, they are not the plan's, nor mistakes.
REGISTRY_ONLY = ("Mã tỉnh", "Dữ liệu mẫu", "Ghi chú")


def _info(path: Path) -> dict[str, object]:
    """The label → value pairs of a plan file."""
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PlanError(ErrorCode.PLAN_FILE_UNREADABLE, path=path, message=str(exc)) from exc
        tables = sorted(k for k, v in data.items() if isinstance(v, (dict, list)))
        if tables:
            raise PlanError(ErrorCode.PLAN_FILE_INVALID, path=path,
                            problems=f"mục {', '.join(tables)} phải là một giá trị, không phải bảng hay danh sách")
        return {clean_text(k)[0]: v for k, v in data.items()}
    if suffix in (".xlsx", ".xlsm"):
        try:
            grids = open_workbook(path).grids()
        except WorkbookRefused as refused:
            raise PlanError(ErrorCode.PLAN_FILE_UNREADABLE, path=path, message=refused.issue.message) from refused
        if INFO_SHEET not in grids:
            raise PlanError(ErrorCode.PLAN_FILE_INVALID, path=path, problems=f"không có trang «{INFO_SHEET}»")
        return {clean_text(r[0])[0]: (r[1] if len(r) > 1 else None) for r in grids[INFO_SHEET] if r and r[0]}
    raise PlanError(ErrorCode.PLAN_FILE_TYPE, path=path)


def read_plan_file(path: str | Path, *, allowed: tuple[str, ...] = PLAN_LABELS) -> ProvincePlan:
    """The plan in ``path`` (.toml or .xlsx); PlanError (Vietnamese) for a missing, unreadable or wrong file."""
    path = Path(path)
    if not path.is_file():
        raise PlanError(ErrorCode.PLAN_FILE_NOT_FOUND, path=path)
    info = _info(path)
    known = ", ".join([*allowed, f"{TARGET_PREFIX} <mã chỉ tiêu>"])
    problems = [f"mục «{k}» không có trong kế hoạch (các mục: {known})"
                for k in info if k not in allowed and k not in REGISTRY_ONLY and not k.startswith(TARGET_PREFIX)]
    issues: list[Issue] = []
    plan = plan_from_info(info, issues)
    problems += [i.message.rstrip(".") for i in issues]
    if problems:
        raise PlanError(ErrorCode.PLAN_FILE_INVALID, path=path, problems="; ".join(problems))
    province = clean_text(info.get(PROVINCE_LABEL))[0]
    return plan.model_copy(update={"province": province})


def province_campaign(campaign: Campaign, registry: Registry, path: str | Path | None) -> Campaign:
    """The campaign for the registry's province under its plan: the plan file's when given, the registry's
    «Thông tin» otherwise."""
    if path is None:
        return apply_plan(campaign, registry.province_plan)
    plan = read_plan_file(path)
    if plan.province and clean_text(plan.province)[0].casefold() != registry.province.casefold():
        raise PlanError(ErrorCode.PLAN_FILE_OTHER_PROVINCE, path=path, plan=plan.province, registry=registry.province)
    return apply_plan(campaign, plan.model_copy(update={"province": registry.province}))


def national_campaign(campaign: Campaign, path: str | Path | None) -> Campaign:
    """The campaign with the national targets of TLĐ's plan file (only «Chỉ tiêu: …» lines: the other lines
    of a province's plan mean nothing for the whole country)."""
    if path is None:
        return campaign
    plan = read_plan_file(path, allowed=())
    problems = unknown_targets(campaign, plan.targets)
    if problems:
        raise PlanError(ErrorCode.PLAN_FILE_INVALID, path=path, problems="; ".join(problems))
    return with_targets(campaign, plan.targets)
