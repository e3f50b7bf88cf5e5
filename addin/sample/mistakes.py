"""The typical mistakes units make, applied to otherwise valid sample data (demo and tests).

Each mistake is (key, function(unit, rows, rng) -> None) changing the dicts in place; the key says which
issue code the validator must report, so tests can assert it and the demo shows a realistic mix.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Callable
from validators.issues import IssueCode

Unit = dict[str, object]
Rows = list[dict[str, object]]


def _long_description(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[0]["Tóm tắt nội dung"] = (str(rows[0]["Tóm tắt nội dung"]) + " ") * 8


def _date_outside_window(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[-1]["Ngày bắt đầu áp dụng"] = dt.date(2021, 6, 15)


def _free_text_field(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[0]["Lĩnh vực"] = "Sáng kiến kỹ thuật"


def _missing_author(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[-1]["Tác giả"] = None


def _nominated_with_dispute(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[0]["Đề xuất cấp trên"] = "Có"
    rows[0]["Khiếu nại, tranh chấp"] = "Có"


def _bad_phone(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows[0]["Số điện thoại"] = "091234567"


def _commitment_blank(unit: Unit, rows: Rows, rng: random.Random) -> None:
    unit["DA_TUYEN_TRUYEN"] = None


def _plan_without_date(unit: Unit, rows: Rows, rng: random.Random) -> None:
    unit["DA_KY_KE_HOACH"] = "Có"
    unit["NGAY_KY_KE_HOACH"] = None


def _no_initiatives(unit: Unit, rows: Rows, rng: random.Random) -> None:
    rows.clear()


def _nominations_over_quota(unit: Unit, rows: Rows, rng: random.Random) -> None:
    while len(rows) < 2:
        rows.append(dict(rows[0], **{"Tên sáng kiến": f"{rows[0]['Tên sáng kiến']} (giai đoạn {len(rows) + 1})"}))
    for row in rows[:2]:
        row["Đề xuất cấp trên"] = "Có"
        row["Khiếu nại, tranh chấp"] = "Không"


def _text_date_and_nfd(unit: Unit, rows: Rows, rng: random.Random) -> None:
    d = rows[0]["Ngày bắt đầu áp dụng"]
    if isinstance(d, dt.date):
        rows[0]["Ngày bắt đầu áp dụng"] = d.strftime("%d-%m-%Y")
    rows[0]["Tên sáng kiến"] = unicodedata.normalize("NFD", str(rows[0]["Tên sáng kiến"]))


# (key, expected issue code, function). Keys are stable: tests refer to them.
MISTAKES: list[tuple[str, str, Callable[[Unit, Rows, random.Random], None]]] = [
    ("long-description", IssueCode.DESCRIPTION_TOO_LONG, _long_description),
    ("date-outside-window", IssueCode.APPLICATION_DATE_OUTSIDE_WINDOW, _date_outside_window),
    ("free-text-field", IssueCode.VALUE_NOT_ALLOWED, _free_text_field),
    ("missing-author", IssueCode.REQUIRED_MISSING, _missing_author),
    ("nominated-with-dispute", IssueCode.NOMINATION_WITH_DISPUTE, _nominated_with_dispute),
    ("bad-phone", IssueCode.PHONE_INVALID, _bad_phone),
    ("commitment-blank", IssueCode.REQUIRED_MISSING, _commitment_blank),
    ("plan-without-date", IssueCode.PLAN_DATE_MISSING, _plan_without_date),
    (IssueCode.NO_INITIATIVES, IssueCode.NO_INITIATIVES, _no_initiatives),
    ("text-date-and-nfd", IssueCode.NORMALIZED_DATE, _text_date_and_nfd),
    (IssueCode.NOMINATIONS_OVER_QUOTA, IssueCode.NOMINATIONS_OVER_QUOTA, _nominations_over_quota),
]
MISTAKE_BY_KEY = {key: (code, fn) for key, code, fn in MISTAKES}


def apply_mistake(key: str, unit: Unit, rows: Rows, rng: random.Random) -> str:
    """Apply one mistake; return the issue code it must cause."""
    code, fn = MISTAKE_BY_KEY[key]
    fn(unit, rows, rng)
    return code
