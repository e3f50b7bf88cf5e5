"""Safe normalisation of the raw values users type: each parser returns the typed value and says whether it
had to reinterpret what was typed (the report then tells the user), or raises ``Unparseable``.

Only unambiguous readings are accepted: "1.500.000 đ" is 1500000, "05/03/2021" is 5 March 2021,
"co" is "Có"; anything that could mean two things is an error for the user to fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

# Excel's day 0 in the 1900 date system (the 1900 leap-year bug makes 1899-12-30 the right origin).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers we accept as dates: 1/1/1990 .. 31/12/2100. Anything else is not a plausible date here.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415

# Zero-width characters, the soft hyphen, and bidirectional controls (LRM/RLM, embeddings, overrides,
# isolates): never meant in Vietnamese text, and an override can make a cell show other text than it holds.
_INVISIBLE_CHARS = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
                    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE_CHARS = tuple(_INVISIBLE_CHARS)  # public: the rule table makes the workbook remove exactly these
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Characters XML 1.0 cannot hold; a hostile cell could carry them into our outputs.
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# Everything cleaning deletes (invisible and control characters), as one class: one C-speed pass, and a
# search finds nothing to do in almost every cell (str.translate with a dict costs a lookup per character).
_REMOVED = re.compile(f"[{_INVISIBLE_CHARS}{_CONTROL_CHARS}]")
_REMOVED_SET = frozenset(_INVISIBLE_CHARS) | frozenset(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
# A run of spaces to collapse: two or more spaces, or any one space that is not " ".
_NOT_PLAIN_SPACE = re.compile(r"[^\S ]|[\u00a0\u2007\u202f]|  ")
# Every combining mark of Vietnamese (and of Latin text generally) after NFD: removed at C speed by ``fold``.
_COMBINING = re.compile("[\u0300-\u036f]")


class Unparseable(ValueError):
    """The value cannot be read as the expected kind."""


def is_blank(value: Any) -> bool:
    """None, or text with nothing visible (spaces, NBSP, zero-width and control characters only)."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text:
        return True
    if text[0] not in _REMOVED_SET:
        return False  # a visible first character survives cleaning
    return not _REMOVED.sub("", text).strip()


def clean_text(value: Any, *, multiline: bool = False) -> tuple[str, bool]:
    """Text as NFC with invisible characters removed and runs of spaces collapsed.

    Returns (text, changed) where changed is True when more than surrounding spaces was altered.
    """
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = value if isinstance(value, str) else str(value)
    text = raw if raw.isascii() else unicodedata.normalize("NFC", raw)
    if _REMOVED.search(text):
        text = _REMOVED.sub("", text)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() if _NOT_PLAIN_SPACE.search(line) else line.strip(" ")
                 for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        text = "\n".join(line for line in lines if line)
    elif _NOT_PLAIN_SPACE.search(text):
        text = _SPACES.sub(" ", text).strip()
    else:
        text = text.strip(" ")  # only plain single spaces inside: nothing to collapse
    return text, text != raw.strip()


def fold(text: str) -> str:
    """Accent-, case- and space-insensitive key: 'Đề  xuất ' -> 'de xuat'."""
    return _fold(text)


@functools.lru_cache(maxsize=8192)  # labels, choices and names repeat across thousands of files
def _fold(text: str) -> str:
    if not text.isascii():  # NFD and mark removal leave ASCII text unchanged
        text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        text = _COMBINING.sub("", text)
        if not text.isascii():  # marks outside U+0300–U+036F, if any, one character at a time
            text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().casefold()


# --- dates -------------------------------------------------------------------------------------------------
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(value: Any) -> tuple[dt.date, bool]:
    """A real date, an Excel serial, or text d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (day first)."""
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, bool):
        raise Unparseable(value)
    if isinstance(value, (int, float)):
        if float(value).is_integer() and _SERIAL_MIN <= value <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), True
        raise Unparseable(value)
    text, _ = clean_text(value)
    m = _DATE_TEXT.match(text)
    try:
        if m:
            day, month, year = (int(g) for g in m.groups())
            return dt.date(year, month, day), True
        m = _ISO_DATE.match(text)
        if m:
            year, month, day = (int(g) for g in m.groups())
            return dt.date(year, month, day), True
    except ValueError:
        pass
    raise Unparseable(value)


# --- numbers -----------------------------------------------------------------------------------------------
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|dong|đ|d)\.?$", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_SPACE = re.compile(r"^\d{1,3}( \d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")


def parse_number(value: Any, *, money: bool = False) -> tuple[Decimal, bool]:
    """A number, or text with Vietnamese thousands dots ("1.500.000"), a currency word when ``money``."""
    if isinstance(value, bool):
        raise Unparseable(value)
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unparseable(value)
        return Decimal(repr(value)), False
    text, _ = clean_text(value)
    negative = text.startswith("-")
    body = text.lstrip("-+").strip()
    if money:
        body = _CURRENCY.sub("", body).strip()
    try:
        if _THOUSANDS_DOT.match(body):
            number = Decimal(body.replace(".", "").replace(",", "."))
        elif _THOUSANDS_COMMA.match(body):
            number = Decimal(body.replace(",", ""))
        elif _THOUSANDS_SPACE.match(body):
            number = Decimal(body.replace(" ", ""))
        elif _PLAIN.match(body):
            number = Decimal(body.replace(",", "."))
        else:
            raise Unparseable(value)
    except InvalidOperation:
        raise Unparseable(value) from None
    return (-number if negative else number), True


def parse_int(value: Any) -> tuple[int, bool]:
    number, changed = parse_number(value)
    if number != number.to_integral_value():
        raise Unparseable(value)
    return int(number), changed


def parse_year(value: Any) -> tuple[int, bool]:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, True  # a birth date typed in the year column: the year is what was meant
    if isinstance(value, str):
        text, _ = clean_text(value)
        if not re.fullmatch(r"\d{4}", text):
            try:
                return parse_date(text)[0].year, True
            except Unparseable:
                pass
            number, _ = parse_number(text)  # "1.980" (a thousands dot), "1980.0"; raises Unparseable
            if number != number.to_integral_value() or not 1000 <= number <= 9999:
                raise Unparseable(value)
            return int(number), True
        return int(text), True
    return parse_int(value)


# --- choices -----------------------------------------------------------------------------------------------
_YES = {"co", "x", "yes", "y", "1", "true", "dung", "roi", "da", "ok"}
_NO = {"khong", "k", "no", "n", "0", "false", "chua", "sai"}


def parse_yes_no(value: Any, yes: str = "Có", no: str = "Không") -> tuple[bool, bool]:
    if isinstance(value, bool):
        return value, True
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), True
    text, cleaned = clean_text(value)  # NFD, NBSP, zero-width... removed: a fix the user is told about
    if text == yes:
        return True, cleaned
    if text == no:
        return False, cleaned
    key = fold(text)
    if key in _YES or key == fold(yes):
        return True, True
    if key in _NO or key == fold(no):
        return False, True
    raise Unparseable(value)


def parse_choice(value: Any, allowed: Iterable[str]) -> tuple[str, bool]:
    """Exactly one of ``allowed``; a case/accent/space variant of exactly one of them is accepted."""
    text, cleaned = clean_text(value)
    allowed = tuple(allowed)
    if text in allowed:
        return text, cleaned
    key = fold(text)
    matches = [a for a in allowed if fold(a) == key]
    if len(matches) == 1:
        return matches[0], True
    # A leading field number ("3", "3.", "3 - An toàn …") picks the n-th choice when nothing else matched.
    m = re.match(r"^(\d)\s*[.)\-:]?\s*(.*)$", text)
    if m and 1 <= int(m.group(1)) <= len(allowed):
        candidate = allowed[int(m.group(1)) - 1]
        if not m.group(2) or fold(m.group(2)) == fold(candidate):
            return candidate, True
    raise Unparseable(value)


# --- contacts ------------------------------------------------------------------------------------------------
_PHONE_CHARS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"^0\d{9,10}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")


def parse_phone(value: Any) -> tuple[str, bool]:
    """Vietnamese phone: 10 digits (mobile) or 11 (landline) starting with 0; +84/84 prefix accepted.

    A number cell loses its leading zero in Excel, so 9 or 10 digits not starting with 0 get it back.
    """
    if isinstance(value, bool):
        raise Unparseable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    text, _ = clean_text(raw)
    digits = _PHONE_CHARS.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif isinstance(value, int) and not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    if not _PHONE.match(digits):
        raise Unparseable(value)
    return digits, digits != text


def parse_email(value: Any) -> tuple[str, bool]:
    text, changed = clean_text(value)
    text = text.replace(" ", "")
    if not _EMAIL.match(text):
        raise Unparseable(value)
    return text, changed
