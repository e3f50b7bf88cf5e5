"""File names as a report shows them: any bytes, shown safely.

A name comes from whoever made the file: on Linux it may not be UTF-8 (Python keeps the stray bytes as lone
surrogates, which no JSON, workbook or console can encode), and anywhere it may hold terminal escape codes
(ESC[31m recolours or clears a console), other control characters or bidi overrides that make "xlsx.exe"
read as "exe.xlsx". ``visible_name`` keeps every ordinary character and writes each of those as a visible
escape (\\xff, \\x1b, \\u202e), so the name still identifies the file and cannot act on the screen.
"""

from __future__ import annotations

import os
import unicodedata

# Format characters that reorder or hide text (bidi embeddings/overrides/isolates, zero-width marks).
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
              0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF}


def visible_name(name: str | os.PathLike[str]) -> str:
    """``name`` with undecodable bytes, control and invisible format characters written as escapes."""
    text = os.fspath(name)
    if text.isprintable():
        # Printable means no Cc/Cf/Cs/Zl/Zp character: none of the cases below, so nothing to escape (the
        # common case, answered in C: a district workbook links a thousand source files).
        return text
    out: list[str] = []
    for ch in text:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        elif o < 0x20 or 0x7F <= o < 0xA0:
            out.append(f"\\x{o:02x}")
        elif o in _INVISIBLE or unicodedata.category(ch) == "Cf":
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)
