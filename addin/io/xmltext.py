"""Cell text for SpreadsheetML parts we write by hand: characters XML cannot hold removed, Excel's own
"_xHHHH_" escape protected, markup escaped. One rule for the prepared template and the fast sample fill.
"""

from __future__ import annotations

import re
import unicodedata

ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads "_xHHHH_" in cell text as an escaped character; a literal one must have its "_" escaped.
EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def xml_escape(value: str) -> str:
    value = ILLEGAL_XML.sub("", unicodedata.normalize("NFC", value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_text(value: str) -> str:
    """Cell text for SpreadsheetML, where "_xHHHH_" is itself an escape."""
    return xml_escape(EXCEL_ESCAPE.sub(r"_x005F_\1", value))

