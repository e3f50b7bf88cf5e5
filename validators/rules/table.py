"""One rule table for the CĐCS workbook: what every unit field and initiative column accepts, from the campaign
and the contract. The validator (``unit_report``) parses with it and the workbook generator turns the same
rows into data validation, per-cell flags, the «Kiểm tra» counts and the guide's wording, so the self-check
and the district's verdict cannot disagree by construction of two rule sets.

Every accepted form is one that an Excel 2010 formula can recognise too: exact values, a fixed list of
spellings compared without regard to case, digit strings with optional dot or space thousands groups, the
date texts ``d/m/yyyy`` and ``yyyy-m-d`` (with "/", "-" or "." between). A spelling the validator reads with a warning is a «Lưu ý»
on the sheet, never an error. Characters are counted after NFC, as the national software counts them; the
workbook counts them as length minus the combining marks listed in ``COMBINING_MARKS``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from validators.campaign import Campaign
from validators.layout import INITIATIVE_FIELDS, NO, UNIT_FIELDS, YES, Field, Kind
from validators.text.normalize import INVISIBLE_CHARS, Unparseable, clean_text, fold

# The combining marks of Vietnamese typed apart from their letter (Unikey "tổ hợp", the Windows keyboard):
# grave, acute, tilde, hook above, dot below, circumflex, breve, horn. NFC joins each to its letter.
COMBINING_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b")
# Characters the rules treat as a space (NBSP and its narrow and figure kin) or as nothing: every character
# cleaning removes (zero-width, BOM, soft hyphen, word joiner, and the bidirectional marks, embeddings,
# overrides and isolates), so a choice typed or pasted with an invisible mark gets one verdict from the
# validator and the workbook: read with a warning («Lưu ý»), never an error on one side only.
SPACE_LIKE = ("\u00a0", "\u2007", "\u202f")
INVISIBLE = INVISIBLE_CHARS
# Yes/no spellings read with a warning (besides the exact "Có"/"Không", and case variants of any).
YES_SPELLINGS = ("co", "x", "yes", "y", "1", "true", "dung", "rồi", "roi", "đã", "da", "ok")
NO_SPELLINGS = ("khong", "k", "no", "n", "0", "false", "chưa", "chua", "sai")
CURRENCY_SUFFIXES = ("vnđ", "vnd", "đồng", "dong", "đ")  # after a money amount typed as text, lower case
PHONE_LENGTHS = (10, 11)  # digits, starting with 0 (mobile 10, landline 11)
PHONE_SEPARATORS = (" ", ".", "-", "(", ")")
EMAIL_MAX_CHARS = 100
EMAIL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-@"
STT_MAX = 10**6


@dataclass(frozen=True)
class FieldRule:
    """What one unit field or initiative column accepts."""

    field: Field
    max_chars: int | None = None  # TEXT / LONG_TEXT: characters after NFC
    number_range: tuple[int, int] | None = None  # INT / YEAR (inclusive)
    date_window: tuple[dt.date, dt.date] | None = None  # DATE (inclusive)
    # CHOICE / YES_NO: the values themselves, and every spelling (case-insensitive) -> value.
    values: tuple[str, ...] = ()
    spellings: dict[str, str] = field(default_factory=dict)
    window_code: str = "date-out-of-range"

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def kind(self) -> Kind:
        return self.field.kind


@dataclass(frozen=True)
class RuleTable:
    unit: tuple[FieldRule, ...]
    initiatives: tuple[FieldRule, ...]
    nomination_quota: int
    min_initiatives: int
    max_initiatives: int

    def unit_rule(self, name: str) -> FieldRule:
        return next(r for r in self.unit if r.field.name == name)

    def column(self, key: str) -> FieldRule:
        return next(r for r in self.initiatives if r.key == key)


def _spellings(values: tuple[str, ...], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Each value, its accent-free form, and ``extra``: keys case-folded (Excel compares text without case)."""
    out: dict[str, str] = {}
    for v in values:
        out.setdefault(v.casefold(), v)
        out.setdefault(unicodedata.normalize("NFD", v).casefold(), v)  # typed with combining marks
        out.setdefault(fold(v), v)
    for k, v in (extra or {}).items():
        out.setdefault(k.casefold(), v)
    return out


def rule_table(campaign: Campaign, today: dt.date | None = None) -> RuleTable:
    """The rules of ``campaign``; ``today`` bounds the send date (default: the real today)."""
    r, d = campaign.rules, campaign.deadlines
    today = today or dt.date.today()
    yes_no = _spellings((YES, NO), {**{s: YES for s in YES_SPELLINGS}, **{s: NO for s in NO_SPELLINGS}})
    choice = {
        "fields": _spellings(campaign.fields, {str(i): f for i, f in enumerate(campaign.fields, start=1)}
                             | {f"{i}.": f for i, f in enumerate(campaign.fields, start=1)}),
        "blocs": _spellings(campaign.blocs),
        "genders": _spellings(campaign.genders),
    }
    windows = {
        "applied_on": (r.application_start, r.application_end),
        "plan_signed_on": (d.campaign_start, r.application_end),
        "sent_on": (d.campaign_start, max(today, d.campaign_start)),
    }
    ranges = {"members": (1, r.max_members_per_unit), "stt": (0, STT_MAX),
              "birth_year": campaign.author_birth_year_range}
    chars = {"title": r.title_max_chars, "description": r.description_max_chars}

    def rule(f: Field) -> FieldRule:
        kw: dict[str, Any] = {}
        if f.kind in (Kind.TEXT, Kind.LONG_TEXT) and f.key in chars:
            kw["max_chars"] = chars[f.key]
        elif f.kind in (Kind.INT, Kind.YEAR):
            kw["number_range"] = ranges[f.key]
        elif f.kind is Kind.DATE:
            kw["date_window"] = windows[f.key]
            if f.key == "applied_on":
                kw["window_code"] = "application-date-outside-window"
        elif f.kind is Kind.YES_NO:
            kw.update(values=(YES, NO), spellings=yes_no)
        elif f.kind is Kind.CHOICE:
            kw.update(values=tuple(getattr(campaign, f.choices)), spellings=choice[f.choices])
        return FieldRule(f, **kw)

    return RuleTable(
        unit=tuple(rule(f) for f in UNIT_FIELDS),
        initiatives=tuple(rule(f) for f in INITIATIVE_FIELDS),
        nomination_quota=r.default_cdcs_nomination_quota,
        min_initiatives=r.min_initiatives_per_unit,
        max_initiatives=r.max_initiatives_per_unit,
    )


# --- the accepted forms, as the workbook's formulas recognise them ------------------------------------------
def nfc_length(text: str) -> int:
    """Characters as the national software counts them (after NFC)."""
    return len(unicodedata.normalize("NFC", text))


def sheet_text(value: Any) -> str:
    """The text of a cell as the workbook's formulas see it: NBSP a space, zero-width characters removed,
    edge spaces trimmed and inner runs collapsed (Excel's TRIM)."""
    text = value if isinstance(value, str) else str(value)
    for ch in SPACE_LIKE:
        text = text.replace(ch, " ")
    for ch in INVISIBLE:
        text = text.replace(ch, "")
    return " ".join(p for p in text.split(" ") if p)


def grouped(digits: str, sep: str) -> str:
    """``1500000`` -> ``1.500.000`` with ``sep``."""
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def digit_text(text: str) -> str:
    """The digits of ``text`` if it is digits, optionally grouped by thousands with dots or spaces."""
    digits = text.replace(".", "").replace(" ", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 15:
        raise Unparseable(text)
    if text not in (digits, grouped(digits, "."), grouped(digits, " ")):
        raise Unparseable(text)
    return digits


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def parse_cell(rule: FieldRule, value: Any) -> tuple[Any, bool]:
    """The typed value of a non-blank cell under ``rule`` and whether it was read from another spelling
    (a warning); raises ``Unparseable``. TEXT / LONG_TEXT are handled by the caller (legacy fonts)."""
    kind = rule.kind
    if kind in (Kind.CHOICE, Kind.YES_NO):
        if isinstance(value, bool) and kind is Kind.YES_NO:
            return (YES if value else NO), True
        if _is_number(value):
            if value != int(value):
                raise Unparseable(value)
            value = str(int(value))
        text = clean_text(value)[0]  # NFC, invisible and bidi characters gone (NFD spellings are listed too)
        if text in rule.values:
            return text, not isinstance(value, str) or text != value
        hit = rule.spellings.get(text.casefold())
        if hit is None:
            raise Unparseable(value)
        return hit, True
    if kind in (Kind.INT, Kind.YEAR, Kind.MONEY):
        if _is_number(value):
            if kind is not Kind.MONEY and value != int(value):
                raise Unparseable(value)
            return (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) if kind is Kind.MONEY \
                else int(value), False
        if isinstance(value, (bool, dt.date)):
            raise Unparseable(value)
        text = sheet_text(value)
        if kind is Kind.MONEY:
            low = text.lower()
            for suffix in CURRENCY_SUFFIXES:
                if low.endswith(suffix):
                    text = text[: len(text) - len(suffix)].strip(" ")
                    break
        if kind is Kind.YEAR and not (len(text) == 4 and text.isascii() and text.isdigit()):
            raise Unparseable(value)
        digits = digit_text(text)
        return (Decimal(digits) if kind is Kind.MONEY else int(digits)), True
    if kind is Kind.DATE:
        return parse_date_cell(value)
    if kind is Kind.PHONE:
        return parse_phone_cell(value)
    if kind is Kind.EMAIL:
        text = sheet_text(value).replace(" ", "")
        if not _EMAIL.match(text) or len(text) > EMAIL_MAX_CHARS:
            raise Unparseable(value)
        return text, text != str(value)
    raise AssertionError(kind)


_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_DMY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_YMD = re.compile(r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$")
_EPOCH = dt.date(1899, 12, 30)


def parse_date_cell(value: Any) -> tuple[dt.date, bool]:
    """A date cell (a serial number to Excel), or the text d/m/yyyy or yyyy-mm-dd (a warning)."""
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if _is_number(value):
        serial = int(value // 1)
        if not 1 <= serial <= 2958465:
            raise Unparseable(value)
        return _EPOCH + dt.timedelta(days=serial), True
    if isinstance(value, bool):
        raise Unparseable(value)
    text = sheet_text(value).replace("-", "/").replace(".", "/")
    m = _DMY.match(text)
    if m:
        year, month, day = m.group(3), m.group(2), m.group(1)
    else:
        m = _YMD.match(text)
        if not m:
            raise Unparseable(value)
        year, month, day = m.groups()
    try:
        return dt.date(int(year), int(month), int(day)), True
    except ValueError:
        raise Unparseable(value) from None


def phone_digits(text: str) -> str:
    """The phone number in ``text`` as 0 and 9–10 digits (separators removed, +84 / 84 made 0)."""
    digits = text
    for sep in PHONE_SEPARATORS:
        digits = digits.replace(sep, "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not (digits.startswith("0") and len(digits) in PHONE_LENGTHS and digits.isascii() and digits.isdigit()):
        raise Unparseable(text)
    return digits


def parse_phone_cell(value: Any) -> tuple[str, bool]:
    """Text digits; a number cell (its leading 0 lost) of 9–10 digits gets it back (a warning)."""
    if isinstance(value, bool):
        raise Unparseable(value)
    if _is_number(value):
        if value != int(value) or value < 0:
            raise Unparseable(value)
        text = str(int(value))
        if len(text) in (9, 10):
            text = "0" + text
        return phone_digits(text), True
    text = sheet_text(value)
    digits = phone_digits(text)
    return digits, digits != str(value)
