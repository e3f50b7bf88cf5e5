"""A1-style cell references, and a cell's value as text."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@functools.lru_cache(maxsize=16384)  # a sheet writer asks for the same few columns millions of times
def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str | bytes) -> int:
    """'A' -> 1, 'AA' -> 27 (text or the bytes of sheet XML)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(row: int, col: int) -> str:
    """1-based row and column -> 'B7'."""
    return f"{column_letter(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """'$B$7' -> (7, 2), 1-based."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), column_index(m.group(1))


def cell_text(v: Any) -> str:
    """A value read from a cell as trimmed NFC text ("" for empty; 12.0 -> "12", as a code typed as a number)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFC", str(v)).strip()
