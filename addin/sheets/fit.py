"""How wide a text is, how many lines it wraps to, how tall a row must be, and how a sheet goes onto A4.

Spreadsheet writers do not measure: XlsxWriter stores the row heights and column widths it is given, and both
Excel and LibreOffice print what is stored, so a wrapped cell without a computed height overlaps the next row
and a too-narrow column cuts its label. This module is the one place that measures, for the XlsxWriter writer,
the xlwings writer and the Bảng tổng hợp.

Metrics: advance widths measured from Liberation Serif (metric-compatible with Times New Roman, the font we
write) in 1/200 em for printable ASCII, regular and bold. Vietnamese letters take the width of their base
letter (diacritics do not change the advance in Times New Roman). Liberation Serif as packaged on many Linux
machines lacks the letters with hook, dot below, horn or two marks; LibreOffice then draws them from DejaVu
Serif, which is wider, so those letters are measured with DejaVu Serif's width (also measured, same units):
the estimate is never narrower than what either engine prints. Line height is taken generously (1.2 em:
the fallback glyphs and the stacked marks of capitals such as «Ấ» rise above Times' ascent).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

FONT_NAME = "Times New Roman"
BODY_SIZE = 11.0
TITLE_SIZE = 13.0
MIN_PRINT_SIZE = 8.0  # nothing printed smaller than this

_LIB_REGULAR = bytes.fromhex(
    "3243526464a79c24434364713243323864646464646464646464383871717159b8908585907a6f9090434e907ab290906f90856f7a"
    "9090bd90907a4338435e64435964596459436464383864389c64646464434e386464906464596028606c")
_DEJAVU_REGULAR = bytes.fromhex(
    "40505ca87fbeb2374e4e64a8404440437f7f7f7f7f7f7f7f7f7f4343a8a8a86bc8909399a0928ba0ae4f509585cdafa487a4978985"
    "a990ce8e848b4e434ea8646477807080764a8081403e7940be817880806067508171ab7171697f437fa8")
_LIB_BOLD = bytes.fromhex(
    "32436f6464c8a738434364723243323864646464646464646464434372727264ba90859090857a9c9c4e649c85bd909c7a9c906f85"
    "9090c8909085433843746443646f596f5943646f38436f38a76f646f6f594e436f64906464594f2c4f68")
_DEJAVU_BOLD = bytes.fromhex(
    "465868a88bbeb53d5f5f69a8465346498b8b8b8b8b8b8b8b8b8b4a4aa8a8a875c89ba99fad988eabbd5e5fae8dddb7ae96aea69095"
    "ae9be19b8f925f495fa86464828c7a8c7f568c914c488b4cd491858c8c69715c9174ac777472814981a8")
# Letters outside ASCII whose fallback width is given directly (DejaVu Serif, 1/200 em): regular, bold.
_EXTRA = {"Đ": (161, 175), "đ": (128, 140), "Ơ": (164, 174), "ơ": (120, 133), "Ư": (169, 174), "ư": (129, 145)}

LINE_EM = 1.2  # line height, in em of the font size
ROW_PAD = 3.0  # points above and below the lines of a row, together
CELL_PAD = 4.0  # points of a column's width not available to text (the cell's inner margins)


@lru_cache(maxsize=4096)
def _char_em(ch: str, bold: bool) -> float:
    """The advance of one character, in em."""
    code = ord(ch)
    if 32 <= code < 127:
        return (_LIB_BOLD if bold else _LIB_REGULAR)[code - 32] / 200
    if ch in _EXTRA:
        return _EXTRA[ch][bold] / 200
    if code < 32:
        return 0.0
    base = unicodedata.normalize("NFD", ch)[0]
    if base != ch and 32 <= ord(base) < 127:
        fallback = not (0x00A0 <= code <= 0x017F)  # Latin-1 and Latin Extended-A are in Liberation Serif
        table = (_DEJAVU_BOLD if bold else _DEJAVU_REGULAR) if fallback else (_LIB_BOLD if bold else _LIB_REGULAR)
        return table[ord(base) - 32] / 200
    if base in _EXTRA:
        return _EXTRA[base][bold] / 200
    return 1.0  # anything else (symbols, other scripts): a full em, never too little


class _Advances(dict):
    """Each character's advance (em), looked up at C speed: ``sum(map(...))`` adds the same floats in the same
    order as summing ``_char_em`` per character did, so every width is bit for bit what it was."""

    def __init__(self, bold: bool):
        super().__init__()
        self.bold = bold

    def __missing__(self, ch: str) -> float:
        em = self[ch] = _char_em(ch, self.bold)
        return em


_ADVANCES = (_Advances(False), _Advances(True))


@lru_cache(maxsize=65536)
def _word_em(word: str, bold: bool) -> float:
    return sum(map(_ADVANCES[1 if bold else 0].__getitem__, word))


def text_width(text: str, size: float = BODY_SIZE, bold: bool = False) -> float:
    """Width in points of ``text`` on one line (the widest line if it has several)."""
    text = str(text)
    if "\n" not in text:
        return _word_em(text, bold) * size
    return max((_word_em(line, bold) for line in text.split("\n")), default=0.0) * size


def longest_word(text: str, size: float = BODY_SIZE, bold: bool = False) -> float:
    """Width in points of the widest word: a column narrower than this cuts a word in two."""
    return max((_word_em(w, bold) for w in str(text).split()), default=0.0) * size


def wrapped_lines(text: str, width_pt: float, size: float = BODY_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapping cell whose text area is ``width_pt`` wide (greedy, by
    words; a word wider than the cell is broken, as both engines do)."""
    avail = max(width_pt, size) / size  # in em
    text = str(text)
    if "\n" not in text and _word_em(text, bold) < avail * (1 - 1e-9):
        # One line, surely: the greedy sums below add the same advances in another grouping, which can differ
        # from this total by far less than the margin (a few ulps per character, at most 32,767 of them).
        return 1
    space = _char_em(" ", bold)
    lines = 0
    for para in text.split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = _word_em(word, bold)
            need = w if used == 0 else used + space + w
            if need <= avail:
                used = need
                continue
            if used > 0:
                lines += 1
            if w > avail:  # broken across lines
                extra = math.ceil(w / avail)
                lines += extra - 1
                used = w - (extra - 1) * avail
            else:
                used = w
    return lines


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    """Points for a row of ``lines`` lines; 409 is the spreadsheet maximum."""
    return min(409.0, round(lines * size * LINE_EM + ROW_PAD, 2))


# Column widths: spreadsheet width units are characters of the default font's digit. Excel draws a width w
# as 7w + 5 pixels for Times New Roman 11 (as for Calibri 11); LibreOffice converts with the digit of the font
# it has (Liberation Serif: 0.5 em at 11 pt = 7.33 px), a little wider. The text area is taken from the
# narrower (Excel), the page from the wider (LibreOffice): neither engine then cuts or overflows.
_PX_TEXT, _PX_PAGE = 7.0, 7.34


def width_to_points(width: float, *, page: bool = False) -> float:
    """Points of a column of ``width`` units: as Excel draws it, or (``page``) as wide as any engine prints it."""
    return ((_PX_PAGE if page else _PX_TEXT) * width + 5) * 0.75 if width > 0 else 0.0  # 0: a hidden column


def points_to_width(points: float) -> float:
    """The narrowest width (units, rounded up to 0.1) whose column is at least ``points`` wide in Excel."""
    return max(1.0, math.ceil((points / 0.75 - 5) / _PX_TEXT * 10 - 1e-9) / 10)


def text_area(width: float) -> float:
    """Points available to text in a column of ``width`` units."""
    return width_to_points(width) - CELL_PAD


def fit_width(header: str, values: Sequence[Any], *, maximum: float, minimum: float = 4.0,
              wraps: bool = True, size: float = BODY_SIZE) -> float:
    """The column width (units) that shows the widest value on one line, up to ``maximum`` (wider values
    wrap when ``wraps``), and never cuts a word of the header (which always wraps) or a value that does
    not wrap (numbers, dates)."""
    content = 0.0
    longest, longest_width = "", -1.0  # the first value of the greatest width (what max(key=...) picks)
    measured: dict[str, float] = {}  # a column repeats its values (statuses, fields, units)
    for v in values:
        if v is None or v == "":
            continue
        shown = _shown(v)
        tw = measured.get(shown)
        if tw is None:
            tw = measured[shown] = text_width(shown, size)
        content = max(content, tw)
        if tw > longest_width:
            longest, longest_width = shown, tw
    need_header = longest_word(header, size, bold=True)
    width = points_to_width(min(content + CELL_PAD, width_to_points(maximum)))
    if not wraps:
        width = max(width, points_to_width(content + CELL_PAD))
    elif content > 0:
        # A row is at most 409 pt high: a cell whose wrapped text needs more would spill over the next row in
        # print, so its column widens until the longest value fits (a 1,000-character summary, or more).
        max_lines = int((409.0 - ROW_PAD) / (size * LINE_EM))
        while wrapped_lines(longest, text_area(width), size) > max_lines and width < 255:
            width = min(255.0, round(width * 1.1 + 0.5, 1))
    return max(width, points_to_width(need_header + CELL_PAD + 1), minimum)


def _shown(value: Any) -> str:
    """What a cell shows, roughly, for measuring: dates as dd/mm/yyyy, numbers with separators."""
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "Không"
    if isinstance(value, dt.datetime):
        return "00/00/0000 00:00:00"
    if isinstance(value, dt.date):
        return "00/00/0000"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    if isinstance(value, (int, float)):
        try:
            return f"{value:,.0f}"
        except OverflowError:  # an int past any float (it is written as its text): its digits
            return f"{value:,}"
    return str(getattr(value, "text", value))


def lines_in(value: Any, width: float, size: float = BODY_SIZE, bold: bool = False) -> int:
    """Lines a value takes in a wrapping column of ``width`` units."""
    if value is None or value == "":
        return 1
    return _text_lines(_shown(value), width, size, bold)


@lru_cache(maxsize=65536)
def _text_lines(text: str, width: float, size: float, bold: bool) -> int:
    if len(text) * size * 0.5 < text_area(width) * 0.9 and "\n" not in text and len(text) < 12:
        return 1  # short: no need to measure
    return wrapped_lines(text, text_area(width), size, bold)


# ------------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------------
A4_SHORT, A4_LONG = 595.0, 842.0
MARGINS_LR = 0.5 + 0.4  # inches, left + right
PRINT_MARGINS = {"left": 0.5, "right": 0.4, "top": 0.6, "bottom": 0.6}


@dataclass(frozen=True)
class PagePlan:
    landscape: bool
    fit_width: bool  # fit to one page wide (the scale stays >= MIN_PRINT_SIZE / BODY_SIZE)
    scale: int | None  # a fixed print scale (percent) when the sheet is too wide to fit legibly
    repeat_columns: int  # identifying columns repeated on every page across (0: none)


def page_plan(widths: Sequence[float], key_columns: int = 1, body: float = BODY_SIZE) -> PagePlan:
    """Portrait when the columns fit its width, landscape otherwise; one page wide when the text stays at
    least ``MIN_PRINT_SIZE`` points; else a fixed legible scale with the identifying columns repeated on
    every page across."""
    total = sum(width_to_points(w, page=True) for w in widths)
    portrait = A4_SHORT - MARGINS_LR * 72
    landscape = A4_LONG - MARGINS_LR * 72
    if total <= portrait:
        return PagePlan(False, True, None, 0)
    if total * MIN_PRINT_SIZE / body <= landscape:
        return PagePlan(True, True, None, 0)
    scale = math.ceil(100 * MIN_PRINT_SIZE / body)
    return PagePlan(True, False, scale, key_columns)


def squeeze(widths: Sequence[float], flexible: Sequence[bool], floors: Sequence[float],
            body: float = BODY_SIZE) -> list[float]:
    """Narrow the wrapping columns (in proportion, never below their floor) so the sheet fits one landscape
    page wide at ``MIN_PRINT_SIZE`` if it can: taller rows read better on paper than pages side by side."""
    allowed = 0.97 * (A4_LONG - MARGINS_LR * 72) * body / MIN_PRINT_SIZE  # a little room for rounding
    out = list(widths)
    pts = lambda w: width_to_points(w, page=True)  # noqa: E731
    if sum(pts(w) for w in out) <= allowed:
        return out
    free = [f and w > floor for w, f, floor in zip(widths, flexible, floors)]
    for _ in range(len(out)):  # a column stopped at its floor leaves the rest to narrow further
        fixed = sum(pts(w) for w, f in zip(out, free) if not f)
        flex = sum(pts(widths[i]) for i, f in enumerate(free) if f)
        if flex <= 0 or allowed <= fixed:
            break
        factor = min(1.0, (allowed - fixed) / flex)
        changed = False
        for i, f in enumerate(free):
            if f:
                out[i] = max(1.0, math.floor(widths[i] * factor * 10) / 10)
                if out[i] < floors[i]:
                    out[i], free[i], changed = floors[i], False, True
        if not changed:
            break
    return out


FOOTER = "&L&A&RTrang &P/&N"  # the sheet's name left, the page number right
