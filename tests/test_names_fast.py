"""``addin.io.names.visible_name`` answers a printable name without looking at each character (a district
workbook links a thousand source files, each name shown through it); the result must be the character loop's.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.io import names


def _visible_by_loop(text: str) -> str:
    out = []
    for ch in text:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        elif o < 0x20 or 0x7F <= o < 0xA0:
            out.append(f"\\x{o:02x}")
        elif o in names._INVISIBLE or unicodedata.category(ch) == "Cf":
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


_NAME_CHARS = st.one_of(st.characters(), st.sampled_from(["\u202e", "\u200b", "\u2028", "\ufeff", "\x1b", "\x7f",
                                                          "\x85", "\udcff", "\ud800", "ệ", "e\u0301", " ", "/"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAME_CHARS, max_size=20).map("".join))
def test_visible_name_is_the_character_loop(text):
    assert names.visible_name(text) == _visible_by_loop(text)
