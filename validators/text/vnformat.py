"""Numbers as Vietnamese text writes them, for messages a union user reads (console, message boxes)."""

from __future__ import annotations


def vn_number(n: int | float, max_decimals: int = 2) -> str:
    """Dot thousands, comma decimals, no trailing zeros: ``1406`` → ``1.406``, ``90.3`` → ``90,3``,
    ``1.875`` → ``1,88``."""
    text = f"{n:,.{max_decimals}f}".translate(str.maketrans(",.", ".,"))
    return text.rstrip("0").rstrip(",") if "," in text else text


# The forms a user may type a date in, said in messages; the reader accepts the same (normalize.parse_date).
DATE_FORMS = "dd/mm/yyyy (cũng nhận d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd)"


def parse_vn_date(text: str):
    """A date typed as text in an option or a configuration cell — dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd, day first — by the reader's own rule; None when it is not one."""
    from validators.text.normalize import Unparseable, parse_date

    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_date(text.strip())[0]
    except Unparseable:
        return None
