"""The faster print layout gives exactly what the straightforward code gave.

``addin.sheets.fit`` measures text with a per-character table looked up at C speed, skips measuring a
paragraph word by word when it surely fits on one line, and measures each value of a column once;
``column_widths`` / ``row_heights`` are built on them. Each is checked here against the implementation it
replaced (kept below, verbatim), on generated text rich in what matters (spaces, line breaks, long words,
Vietnamese letters precomposed and decomposed, other scripts, zero-width control characters) and on whole
sheets. tests/test_stream_writer.py also compares them on every sheet of the demo.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from hypothesis import given, settings, strategies as st

from addin.sheets import fit
from addin.sheets.fit import BODY_SIZE, CELL_PAD, LINE_EM, ROW_PAD, _char_em, points_to_width, text_area, \
    width_to_points
from addin.sheets.model import Column, Link, SheetData
from addin.sheets.writer import UNWRAPPED_KINDS, _maximum, column_widths, row_heights


# --- the reference implementations (the code before the fast paths) -----------------------------------------
@lru_cache(maxsize=65536)
def ref_word_em(word: str, bold: bool) -> float:
    return sum(_char_em(ch, bold) for ch in word)


def ref_text_width(text: str, size: float = BODY_SIZE, bold: bool = False) -> float:
    return max((ref_word_em(line, bold) for line in str(text).split("\n")), default=0.0) * size


def ref_longest_word(text: str, size: float = BODY_SIZE, bold: bool = False) -> float:
    return max((ref_word_em(w, bold) for w in str(text).split()), default=0.0) * size


def ref_wrapped_lines(text: str, width_pt: float, size: float = BODY_SIZE, bold: bool = False) -> int:
    avail = max(width_pt, size) / size  # in em
    space = _char_em(" ", bold)
    lines = 0
    for para in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in para.split(" "):
            w = ref_word_em(word, bold)
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


def ref_fit_width(header: str, values: Sequence[Any], *, maximum: float, minimum: float = 4.0,
                  wraps: bool = True, size: float = BODY_SIZE) -> float:
    content = 0.0
    for v in values:
        if v is None or v == "":
            continue
        content = max(content, ref_text_width(ref_shown(v), size))
    need_header = ref_longest_word(header, size, bold=True)
    width = points_to_width(min(content + CELL_PAD, width_to_points(maximum)))
    if not wraps:
        width = max(width, points_to_width(content + CELL_PAD))
    elif content > 0:
        longest = max((ref_shown(v) for v in values if v not in (None, "")), key=lambda t: ref_text_width(t, size))
        max_lines = int((409.0 - ROW_PAD) / (size * LINE_EM))
        while ref_wrapped_lines(longest, text_area(width), size) > max_lines and width < 255:
            width = min(255.0, round(width * 1.1 + 0.5, 1))
    return max(width, points_to_width(need_header + CELL_PAD + 1), minimum)


def ref_shown(value: Any) -> str:
    if isinstance(value, bool):
        return "Không"
    if isinstance(value, dt.datetime):
        return "00/00/0000 00:00:00"
    if isinstance(value, dt.date):
        return "00/00/0000"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    if isinstance(value, (int, float)):
        return f"{value:,.0f}"
    return str(getattr(value, "text", value))


def ref_lines_in(value: Any, width: float, size: float = BODY_SIZE, bold: bool = False) -> int:
    if value is None or value == "":
        return 1
    text = ref_shown(value)
    if len(text) * size * 0.5 < text_area(width) * 0.9 and "\n" not in text and len(text) < 12:
        return 1  # short: no need to measure
    return ref_wrapped_lines(text, text_area(width), size, bold)


def ref_column_widths(sd: SheetData) -> list[float]:
    out, flexible, floors = [], [], []
    for c, col in enumerate(sd.columns):
        if col.hidden:
            out.append(0.0)
            flexible.append(False)
            floors.append(0.0)
            continue
        values = [row[c] for row in sd.rows if c < len(row)]
        out.append(ref_fit_width(col.header, values, maximum=_maximum(col), wraps=col.kind not in UNWRAPPED_KINDS))
        flexible.append(col.kind not in UNWRAPPED_KINDS)
        longest = max((len(str(getattr(v, "text", v))) for v in values if isinstance(v, str)), default=0)
        floor = points_to_width(ref_longest_word(col.header, bold=True) + CELL_PAD + 1)
        floors.append(max(floor, 36.0 if longest > 400 else 18.0 if longest > 100 else 12.0))
    n = sd.printed
    squeezed = fit.squeeze(out[:n], flexible[:n], floors[:n]) + out[n:]
    return squeezed if fit.page_plan(squeezed[:n]).fit_width else out


def ref_row_heights(sd: SheetData, widths: Sequence[float]) -> list[float | None]:
    wrapping = [c for c, col in enumerate(sd.columns[:sd.printed]) if col.kind not in UNWRAPPED_KINDS and not col.hidden]
    out: list[float | None] = []
    for row in sd.rows:
        lines = max((ref_lines_in(row[c], widths[c]) for c in wrapping if c < len(row)), default=1)
        out.append(fit.row_height(lines) if lines > 1 else None)
    return out


def assert_same_layout(sd: SheetData) -> None:
    """``column_widths`` and ``row_heights`` of ``sd`` equal the reference's, exactly."""
    widths = column_widths(sd)
    assert widths == ref_column_widths(sd), sd.name
    assert row_heights(sd, widths) == ref_row_heights(sd, widths), sd.name


# --- generated text ------------------------------------------------------------------------------------------
_SPECIAL = ("a", "W", "i", " ", "  ", "\n", "\t", "\x01", "\x7f", "đ", "Đ", "ư", "Ư", "ộ", "Ộ", "Ấ", "e\u0301",
            "o\u0302\u0323", "ß", "–", "’", "Σ", "中", "😀", "1", ".", "=", "Tăng năng suất ",
            "Cải tiến quy trình ", "MMMMMMMMMMMMMMMMMMMMMMMM", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiii")
texts = st.lists(st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=4)), max_size=60).map("".join)
widths = st.floats(min_value=0.0, max_value=260.0, allow_nan=False)


@settings(max_examples=500, deadline=None)
@given(texts, widths, st.sampled_from([8.0, 11.0, 12.0, 13.0]), st.booleans())
def test_text_measures_match_the_reference(text, width, size, bold):
    assert fit.text_width(text, size, bold) == ref_text_width(text, size, bold)
    assert fit.longest_word(text, size, bold) == ref_longest_word(text, size, bold)
    assert fit.wrapped_lines(text, width, size, bold) == ref_wrapped_lines(text, width, size, bold)
    assert fit.lines_in(text, width / 7 + 1, size, bold) == ref_lines_in(text, width / 7 + 1, size, bold)


def test_a_paragraph_exactly_as_wide_as_its_cell_is_measured_word_by_word():
    """At the edge (the text's width equal to the area, to the last bit) the early exit stands aside."""
    for text in ("Tăng năng suất lao động", "MMMM MMMM", "a b c d e f g h", " leading", "x" * 300):
        exact = fit.text_width(text)
        for area in (exact, math.nextafter(exact, 0), math.nextafter(exact, math.inf), exact * (1 - 1e-10)):
            assert fit.wrapped_lines(text, area) == ref_wrapped_lines(text, area), (text, area)


values = st.one_of(st.none(), st.just(""), texts, st.integers(-10**16, 10**16), st.floats(allow_nan=False),
                   st.booleans(), st.dates(), st.datetimes(),
                   texts.map(lambda t: Link(t, Path("x.xlsx"))))
_KINDS = ("auto", "text", "long", "int", "money", "pct", "date", "datetime", "link")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, st.sampled_from(_KINDS), st.floats(4, 60), st.booleans()), min_size=1, max_size=8),
       st.data())
def test_sheet_layout_matches_the_reference(cols, data):
    columns = [Column(h or "x", f"k{i}", w, kind, hidden=hidden and i > 0) for i, (h, kind, w, hidden) in enumerate(cols)]
    rows = data.draw(st.lists(st.lists(values, min_size=0, max_size=len(columns) + 1), max_size=12))
    assert_same_layout(SheetData("S", "t", columns, rows))


def test_long_descriptions_and_a_wide_sheet_match_the_reference():
    """Columns widened for 409-point rows, a sheet squeezed to one page and one too wide to squeeze."""
    words = ["Tăng", "năng", "suất", "lao", "động", "cải", "tiến", "quy", "trình", "Ứng", "dụng", "phần", "mềm"]
    long = [" ".join(words[(i * 7 + j) % len(words)] for j in range(40 + 37 * i)) for i in range(40)]
    columns = [Column("STT", "n", 6, "int"), Column("Tóm tắt nội dung", "d", 50, "long"),
               Column("Ghi chú", "g", 30, "text"), Column("Ngày", "t", 12, "date")]
    rows = [[i, long[i], long[-i] + "\nthêm một dòng", dt.date(2021, 3, i % 28 + 1)] for i in range(40)]
    assert_same_layout(SheetData("S", "t", columns, rows))
    wide = [Column(f"Cột số {i} có tiêu đề dài", f"c{i}", 30, "text") for i in range(14)]
    assert_same_layout(SheetData("W", "t", wide, [[w * (i + 1) for i, w in enumerate(words + ["x"])]]))


def test_an_int_past_any_float_is_measured_by_its_digits():
    """It used to stop the write (OverflowError in the layout); it is written as its text."""
    assert fit._shown(10**400) == f"{10**400:,}"
    sd = SheetData("S", "t", [Column("Số", "n", 10, "auto")], [[10**400], [5]])
    assert column_widths(sd)[0] > 0 and row_heights(sd, column_widths(sd))[0] is not None
