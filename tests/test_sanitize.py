"""What counts as formula-like text (written with a quote prefix) and which formulas may stay live in a copy."""

from __future__ import annotations

import pytest

from addin.io.sanitize import MAX_CELL_CHARS, formula_is_inert, is_formula_like, safe_cell_text


@pytest.mark.parametrize("text", ["=1+1", "+SUM(1)", "-1+2", "@SUM(1)", "\t=1+1", "\r=1+1", " =A1", "|calc",
                                  "=cmd|' /C calc'!A0", "-A1", "+84 912 345 678"])
def test_formula_like(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["Sáng kiến", "1.500.000", "-1.000", "+1", "12,5", "", "a=b", "Nguyễn Văn A"])
def test_not_formula_like(text):
    assert not is_formula_like(text)


def test_safe_cell_text():
    assert safe_cell_text("a\x00b\x1fc\td") == "abc\td"
    assert len(safe_cell_text("x" * 40_000)) == MAX_CELL_CHARS
    assert safe_cell_text(3) == 3 and safe_cell_text(None) is None


@pytest.mark.parametrize("formula, inert", [
    ("IF(LEN(TRIM('Đơn vị'!$C$4))=0,\"x\",\"y\")", True),
    ("SUMPRODUCT(--(LEN(TRIM($A$7:$A$9))>0))", True),
    ('IF(A1="HYPERLINK(x)",1,0)', True),  # a function name inside a string is text
    ('HYPERLINK("http://evil.example","x")', False),
    ('WEBSERVICE("http://evil.example")', False),
    ("cmd|' /C calc'!A0", False),
    ("[1]Sheet1!A1", False),
    ("SUM('C:\\[x.xlsx]Sheet1'!A1)", False),
    ("_xlfn.FILTERXML(A1,\"//a\")", False),
    ("INDIRECT(A1)", False),
])
def test_formula_is_inert(formula, inert):
    assert formula_is_inert(formula) is inert
