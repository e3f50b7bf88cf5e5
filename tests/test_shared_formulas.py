"""Remembered shared-formula translation gives openpyxl's own text for every cell of the template."""

import openpyxl
from openpyxl.formula.translate import Translator

from addin.io import shared_formulas


def _formulas(path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")}


def test_remembered_translation_is_openpyxl_s(blank_template, monkeypatch):
    monkeypatch.setattr(Translator, "translate_formula", shared_formulas._openpyxl_translate)
    monkeypatch.setattr(shared_formulas, "_memo", {})
    reference = _formulas(blank_template)
    shared_formulas.remember_shared_formulas()
    first = _formulas(blank_template)  # fills the memo
    assert len(shared_formulas._memo) > 10_000  # the flag sheet's shared cells went through it
    again = _formulas(blank_template)  # read back from it
    assert first == reference and again == reference
    assert sum(1 for (sheet, _), _f in reference.items() if sheet != "Kiểm tra") > 10_000


def test_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(shared_formulas, "_MAX_ENTRIES", 3)
    monkeypatch.setattr(shared_formulas, "_memo", {})
    monkeypatch.setattr(Translator, "translate_formula", shared_formulas._translate_remembered)
    t = Translator("=A1+$B$2+SUM(C1:C3)", "D1")
    got = [t.translate_formula(f"D{r}") for r in range(1, 8)]
    assert got[4] == "=A5+$B$2+SUM(C5:C7)"
    assert len(shared_formulas._memo) <= 3
