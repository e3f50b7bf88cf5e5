"""Formats, document properties and the small XlsxWriter helpers the sheet builders share; XlsxWriter's silent
refusals (over-long validation messages) become errors here.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Sequence

import xlsxwriter

from addin.cdcs.template.layout import FONT_SIZE, nfc
from addin.sheets import fit
from validators import layout as L
from validators.campaign import Campaign


# ------------------------------------------------------------------------------------------------------------
# Building the prepared workbook with XlsxWriter
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """A cell whose content differs per unit: written by XlsxWriter as a formatted blank, rendered later."""

    name: str
    sheet: str
    ref: str
    kind: str  # "text" | "number_formula" | "string_formula"
    formula: str = ""


DOC_TITLE_SENTINEL = "@@SANGKIEN_DOC_TITLE@@"


class Formats:
    """Cell formats, created once per distinct set of properties."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self._wb = wb
        self._cache: dict[tuple, object] = {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


BORDER = {"border": 1, "border_color": "#A6A6A6"}
INPUT_BG = "#FFF2CC"
LOCKED_BG = "#E7E6E6"
HEADER_BG = "#1F4E78"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"


def ensure_ok(code: int, what: str) -> None:
    if code not in (0, None):
        raise RuntimeError(f"XlsxWriter refused {what} (code {code})")


def add_validation(ws, first_row: int, first_col: int, last_row: int, last_col: int, opts: dict) -> None:
    # Excel's limits; XlsxWriter would only warn and drop the validation.
    for key, limit in (("input_title", 32), ("error_title", 32), ("input_message", 255), ("error_message", 255)):
        if len(opts.get(key, "")) > limit:
            raise ValueError(f"data validation {key} longer than {limit}: {opts[key]!r}")
    opts = {k: (nfc(v) if isinstance(v, str) else v) for k, v in opts.items()}
    ensure_ok(ws.data_validation(first_row, first_col, last_row, last_col, opts), "a data validation")


def text_height(text: str, width_chars: float, line_pt: float = 15.75) -> float:
    """Row height for wrapped text. Excel does not grow rows to wrapped text in files it did not lay out."""
    lines = 0
    for para in text.split("\n"):
        lines += max(1, -(-len(para) // max(1, int(width_chars * 1.05))))
    return round(lines * line_pt + 3, 2)


def doc_properties(campaign: Campaign) -> dict:
    return {
        "title": DOC_TITLE_SENTINEL,
        "subject": nfc(f"Chương trình “{campaign.name}” – báo cáo của công đoàn cơ sở"),
        "author": campaign.issuer,
        "company": campaign.issuer,
        "category": "Biểu mẫu công đoàn cơ sở",
        "keywords": nfc(f"sáng kiến; CĐCS; {campaign.id}"),
        "comments": nfc(
            f"Biểu mẫu phiên bản {L.TEMPLATE_VERSION}, đợt thi đua {campaign.id}. "
            "Tệp được tạo tự động từ danh sách đơn vị; không cần macro."
        ),
        # Fixed, campaign-derived: the same inputs must give the same bytes.
        "created": _dt.datetime.combine(campaign.deadlines.campaign_start, _dt.time(0, 0)),
    }


def doc_title(campaign: Campaign, values: dict[str, str]) -> str:
    base = f"Báo cáo Chương trình “{campaign.name}”"
    if values.get("TEN_DON_VI"):
        return f"{base} – {values['TEN_DON_VI']}"
    return f"{base} – biểu mẫu trắng"


def title_rows(ws, fmt, last_col: int, title: str, subtitle: str, subtitle_height: float = 21) -> None:
    ws.merge_range(0, 0, 0, last_col, nfc(title),
                   fmt(bold=True, font_size=14, font_color=HEADER_BG, align="center", valign="vcenter"))
    ws.set_row(0, 26)
    ws.merge_range(1, 0, 1, last_col, nfc(subtitle),
                   fmt(italic=True, align="center", valign="vcenter", text_wrap=True))
    ws.set_row(1, subtitle_height)


# ------------------------------------------------------------------------------------------------------------
# Print: A4, the sheet's name and the page number in the footer, no text under fit.MIN_PRINT_SIZE
# ------------------------------------------------------------------------------------------------------------
_DIGIT_PX = 8  # the width unit of the template's default font (Times New Roman 12)
_ENGINE_SLACK = 1.03  # LibreOffice draws columns a little wider than Excel's 8w + 5 pixels
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.5}  # inches


def width_points(widths: Sequence[float]) -> float:
    """Printed width, in points at 100 %, of columns of ``widths`` (template units)."""
    return sum(0.75 * (_DIGIT_PX * w + 5) for w in widths) * _ENGINE_SLACK


def page_setup(ws, widths: Sequence[float], *, landscape: bool, title_rows: tuple[int, int] | None = None,
               key_columns: int = 0, body: float = FONT_SIZE) -> None:
    """A4 in the given orientation; one page wide when the text stays at least 8 pt, else a fixed legible
    scale with the first ``key_columns`` repeated on each page across (the parts of the same rows printed on
    consecutive pages); ``title_rows`` (0-based, inclusive) repeated on every page."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**MARGINS)
    page = (fit.A4_LONG if landscape else fit.A4_SHORT) - 72 * (MARGINS["left"] + MARGINS["right"])
    if width_points(widths) * fit.MIN_PRINT_SIZE / body <= page or not key_columns:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(math.ceil(100 * fit.MIN_PRINT_SIZE / body))
        ws.repeat_columns(0, key_columns - 1)
        ws.print_across()
    if title_rows is not None:
        ws.repeat_rows(*title_rows)
    ws.set_footer(fit.FOOTER)
