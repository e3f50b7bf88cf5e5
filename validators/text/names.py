"""Names made from Vietnamese text: ASCII renderings for file names and code keys.

One accent-stripping rule (đ/Đ to d/D, then every combining mark dropped) serves the file names of the
generated workbooks, the dossier and package names, and the matching of a folder name to a unit code, so a
unit's files are found by the same rule that named them.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def strip_accents(text: str) -> str:
    """'Đắk Nông' -> 'Dak Nong' (NFC or NFD input alike; letters outside Latin kept as their base)."""
    text = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def ascii_name(text: str, max_len: int = 60) -> str:
    """A file-name-safe ASCII rendering of a Vietnamese name: 'Trường THCS Lê Lợi' -> 'Truong THCS Le Loi',
    cut at a word boundary to at most ``max_len`` characters."""
    text = _NOT_ALNUM.sub(" ", strip_accents(unicodedata.normalize("NFC", text))).strip()
    if len(text) > max_len:
        cut = text[:max_len + 1]
        text = cut[: cut.rfind(" ")] if " " in cut else cut[:max_len]
    return text.strip()


def safe_code(code: str) -> str:
    """A unit code as a file-name part: ASCII letters and digits, other runs turned into "-"."""
    return _NOT_ALNUM.sub("-", strip_accents(code)).strip("-") or "cap-tren"


def code_key(text: str) -> str:
    """A code folded for matching (a folder named 'cj' or 'C.J' finds unit CJ): ASCII alphanumerics, upper case."""
    return _NOT_ALNUM.sub("", strip_accents(text)).upper()
