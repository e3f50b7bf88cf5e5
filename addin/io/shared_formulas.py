"""openpyxl re-derives every cell of a shared formula by tokenizing the group's formula and shifting each
reference, in Python, for every cell and every load. The hidden flag sheet of our CĐCS template holds about
21,000 such cells, so loading one returned workbook with openpyxl (the annotated copy, `validate --annotate`)
cost seconds — the same translations for every file of a campaign, since the flag sheet is the template's.

``remember_shared_formulas`` memoises that translation: the same formula text shifted by the same rows and
columns is the same text, so the first file of a campaign pays and the others read it back. openpyxl's own
translation still computes every first occurrence; only the repeat is skipped. Bounded: the memo is
cleared when it reaches ``_MAX_ENTRIES`` (a few flag sheets' worth).
"""

from __future__ import annotations

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_to_tuple

_MAX_ENTRIES = 100_000
_memo: dict[tuple[str, int, int], str] = {}
_openpyxl_translate = Translator.translate_formula


def _translate_remembered(self: Translator, dest: str | None = None, row_delta: int = 0, col_delta: int = 0) -> str:
    if dest:
        row, col = coordinate_to_tuple(dest)
        row_delta, col_delta = row - self.row, col - self.col
    key = (self.tokenizer.formula, row_delta, col_delta)
    text = _memo.get(key)
    if text is None:
        text = _openpyxl_translate(self, None, row_delta, col_delta)
        if len(_memo) >= _MAX_ENTRIES:
            _memo.clear()
        _memo[key] = text
    return text


def remember_shared_formulas() -> None:
    """Make openpyxl's shared-formula translation remember its results (idempotent, process-wide)."""
    Translator.translate_formula = _translate_remembered
