"""The fast paths give exactly what the straightforward code gave.

Text cleaning takes shortcuts (ASCII needs no NFC, a visible first character is never blank, a string with no
odd spaces needs no collapsing, a cached and regex-based ``fold``): each shortcut is checked here against the
reference implementation it replaced, on generated text rich in the characters that matter.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from validators.text import normalize as nz

# --- the reference implementations (the code before the fast paths) -----------------------------------------
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
                                    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def ref_is_blank(value):
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return not text or not _CONTROL.sub("", text.translate(_INVISIBLE)).strip()


def ref_clean_text(value, *, multiline=False):
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = value if isinstance(value, str) else str(value)
    text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        text = "\n".join(line for line in lines if line)
    else:
        text = _SPACES.sub(" ", text).strip()
    return text, text != raw.strip()


def ref_fold(text):
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().casefold()


# Characters that exercise every branch: ASCII, spaces of every kind, invisible and control characters,
# Vietnamese precomposed and decomposed, combining marks outside U+0300–U+036F, other scripts.
_SPECIAL = ("a", "Z", " ", "  ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u2007",
            "\u202f", "\u3000", "\u2028", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\x00",
            "\x07", "\x1f", "\x7f", "đ", "Đ", "ư", "Ư", "ộ", "Ộ", "e\u0301", "o\u0302\u0323", "\u0483", "\u0591",
            "\u20d7", "ß", "İ", "ﬁ", "–", "’", "Σ", "1", ".", "/")
texts = st.lists(st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=3)), max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_clean_text_is_blank_and_fold_match_the_reference(text):
    assert nz.is_blank(text) == ref_is_blank(text)
    assert nz.clean_text(text) == ref_clean_text(text)
    assert nz.clean_text(text, multiline=True) == ref_clean_text(text, multiline=True)
    assert nz.fold(text) == ref_fold(text)
    assert nz.fold(text) == ref_fold(text)  # a second call comes from the cache


def test_non_text_values_match_the_reference():
    for value in (None, 0, 1, 12.0, 12.5, -3, True, False, 10**20, float("nan")):
        assert nz.is_blank(value) == ref_is_blank(value)
        assert nz.clean_text(value) == ref_clean_text(value)
