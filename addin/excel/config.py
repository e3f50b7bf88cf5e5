"""The ``Cấu hình`` sheet of a clicked workbook, read through its defined names (``layout``) into what the
library calls take. Relative folders and files are relative to the workbook's folder; a wrong value is a
``ConfigError`` naming the cell in Vietnamese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.io.cells import cell_text
from addin.excel import layout as L
from addin.registry import Registry, load_registry
from validators.campaign import Campaign, load_campaign
from validators.plan import apply_plan
from validators.errors import ErrorCode, SangkienError
from validators.text.vnformat import DATE_FORMS, parse_vn_date

LABELS = {
    L.N_CODE: "Mã đơn vị", L.N_CAMPAIGN: "Đợt thi đua", L.N_REGISTRY: "Tệp danh sách đơn vị",
    L.N_INBOX: "Thư mục nhận tệp / hồ sơ", L.N_OUTPUT: "Thư mục ghi kết quả", L.N_DEADLINE: "Hạn nộp báo cáo của CĐCS",
    L.N_SIGNED_ON: "Ngày ký Tờ trình", L.N_TABLE: "Bảng đơn vị", L.N_KIND: "Loại bảng tính",
}


class ConfigError(SangkienError):
    """A configuration value cannot be used: Vietnamese message naming the cell."""


@dataclass
class ButtonConfig:
    kind: str
    code: str
    campaign: Campaign
    registry: Registry
    base: Path | None  # the workbook's folder (None: opened from a web location)
    inbox: Path
    output: Path
    deadline: dt.date | None = None
    signed_on: dt.date | None = None
    quotas: dict[str, int] = field(default_factory=dict)  # district: CĐCS code -> quota
    own_propagated: bool | None = None  # district: its own propagation («Cấu hình», when the cell exists)
    own_movement: str = ""  # district: its own specific movement
    # province: district code -> receipt day (both channels), or (post, email) from "dd/mm/yyyy, dd/mm/yyyy"
    received: dict[str, Any] = field(default_factory=dict)



def _where(name: str) -> str:
    return f"ô «{LABELS.get(name, name)}» (trang {L.S_CONFIG})"


def _value(book, name: str) -> Any:
    try:
        return book.names[name].refers_to_range.value
    except Exception:  # noqa: BLE001 - any engine's "no such name" becomes the same readable message
        raise ConfigError(ErrorCode.CONFIG_NAME_MISSING, where=_where(name), name=name) from None


def _day(value: Any, name: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (day := parse_vn_date(value)) is not None:
        return day
    raise ConfigError(ErrorCode.CONFIG_NOT_A_DATE, value=cell_text(value), where=_where(name), date_forms=DATE_FORMS)


def _path(base: Path | None, value: Any, name: str) -> Path:
    text = cell_text(value).strip('"')
    if not text:
        raise ConfigError(ErrorCode.CONFIG_EMPTY, where=_where(name))
    p = Path(text).expanduser()
    if p.is_absolute():
        return p
    if base is None:
        raise ConfigError(ErrorCode.CONFIG_ONEDRIVE_PATH, text=text, where=_where(name))
    return base / p


def workbook_folder(book) -> Path | None:
    """The workbook's folder; None when Excel opened it from a web location (OneDrive/SharePoint URL)."""
    if "://" in book.fullname:
        return None
    return Path(book.fullname).resolve().parent


def read_config(book, kind: str) -> ButtonConfig:
    actual = cell_text(_value(book, L.N_KIND))
    if actual != kind:
        what = {"district": "cấp huyện, ngành", "province": "cấp tỉnh"}
        raise ConfigError(ErrorCode.CONFIG_WRONG_WORKBOOK, expected=what[kind], value=what.get(actual, actual or 'không rõ loại'))
    return read_any_config(book)


def read_any_config(book) -> ButtonConfig:
    base = workbook_folder(book)
    kind = cell_text(_value(book, L.N_KIND))
    campaign_ref = cell_text(_value(book, L.N_CAMPAIGN))
    if campaign_ref.lower().endswith(".toml"):
        campaign_ref = str(_path(base, campaign_ref, L.N_CAMPAIGN))
    registry_ref = cell_text(_value(book, L.N_REGISTRY))
    campaign = load_campaign(campaign_ref or None)
    registry = load_registry(_path(base, registry_ref, L.N_REGISTRY) if registry_ref else None)
    campaign = apply_plan(campaign, registry.province_plan)  # the province's plan over the national program
    cfg = ButtonConfig(
        kind=kind, code=cell_text(_value(book, L.N_CODE)), campaign=campaign, registry=registry, base=base,
        inbox=_path(base, _value(book, L.N_INBOX), L.N_INBOX), output=_path(base, _value(book, L.N_OUTPUT), L.N_OUTPUT),
        signed_on=_day(_value(book, L.N_SIGNED_ON), L.N_SIGNED_ON),
    )
    table = book.names[L.N_TABLE].refers_to_range.options(ndim=2).value
    if kind == "district":
        cfg.deadline = _day(_value(book, L.N_DEADLINE), L.N_DEADLINE)
        for name in (L.N_OWN_PROPAGATED, L.N_OWN_MOVEMENT):  # optional: workbooks built before them lack the cells
            try:
                text = cell_text(book.names[name].refers_to_range.value).strip()
            except Exception:  # noqa: BLE001 - no such cell: not recorded
                continue
            if name == L.N_OWN_PROPAGATED:
                cfg.own_propagated = {"Có": True, "Không": False}.get(text)
            else:
                cfg.own_movement = text
        for code, _name, quota in table:
            code = cell_text(code)
            if not code or quota is None or quota == "":
                continue
            try:
                cfg.quotas[code] = _quota(quota)
            except ValueError:
                raise ConfigError(ErrorCode.CONFIG_QUOTA_INVALID, code=code, value=cell_text(quota), sheet=L.S_CONFIG) from None
    else:
        for code, _name, day in table:
            code = cell_text(code)
            if code and isinstance(day, str) and "," in day:  # "dd/mm/yyyy, dd/mm/yyyy": post, then email
                post, _, email = day.partition(",")
                cfg.received[code] = (_day(post, L.N_TABLE), _day(email, L.N_TABLE))
            elif code and (received := _day(day, L.N_TABLE)) is not None:
                cfg.received[code] = received
    return cfg


def _quota(value: Any) -> int:
    number = float(value) if not isinstance(value, str) else float(value.strip())
    if number < 0 or not number.is_integer():
        raise ValueError(value)
    return int(number)
