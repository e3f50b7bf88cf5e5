"""Every message a user reads is rendered from a catalogue (issues: ``validators.issues.CATALOGUE``; named
errors: ``validators.errors.MESSAGES``). This test reads every call site in the source and checks that it
supplies every placeholder of its template, so no message ever shows an empty gap where a value belonged."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from validators.errors import MESSAGES, ErrorCode, placeholders
from validators.issues import CATALOGUE, IssueCode

ROOT = Path(__file__).resolve().parents[1]
# make_issue fills these itself from its own arguments
ISSUE_DEFAULTS = {"value", "sheet", "cell", "row"}


def _calls():
    for top in ("addin", "validators"):
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Attribute):
                    enum = node.args[0].value
                    if isinstance(enum, ast.Name) and enum.id in ("IssueCode", "ErrorCode"):
                        yield path.relative_to(ROOT), node.lineno, enum.id, node.args[0].attr, node


def test_every_code_has_a_vietnamese_template():
    assert set(CATALOGUE) == set(IssueCode)
    assert set(MESSAGES) == set(ErrorCode)
    for template in [e.template for e in CATALOGUE.values()] + list(MESSAGES.values()):
        placeholders(template)  # a malformed template raises here
        assert any(ch.isalpha() and not ch.isascii() for ch in template), template  # Vietnamese, with diacritics


def test_every_call_site_supplies_its_placeholders():
    missing = []
    seen = 0
    for path, line, enum, member, call in _calls():
        if any(k.arg is None for k in call.keywords):
            continue  # **params: checked where they are built
        given = {k.arg for k in call.keywords}
        if isinstance(call.func, ast.Attribute) and call.func.attr == "add":
            given |= {"label"}  # the rule checker's add(code, field, cell, …) fills the field's label
        if enum == "IssueCode":
            need = placeholders(CATALOGUE[IssueCode[member]].template) - ISSUE_DEFAULTS
        else:
            need = placeholders(MESSAGES[ErrorCode[member]])
        seen += 1
        if need - given:
            missing.append(f"{path}:{line} {member}: {sorted(need - given)}")
    assert seen > 50
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("code", list(ErrorCode))
def test_error_messages_render_with_their_parameters(code):
    from validators.errors import SangkienError

    params = {name: f"<{name}>" for name in placeholders(MESSAGES[code])}
    err = SangkienError(code, **params)
    assert err.code is code and all(v in str(err) for v in params.values())
