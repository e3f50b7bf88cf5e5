"""Numbers as Vietnamese text writes them, for messages a union user reads (console, message boxes)."""

from __future__ import annotations


def vn_number(n: int | float, max_decimals: int = 2) -> str:
    """Dot thousands, comma decimals, no trailing zeros: ``1406`` → ``1.406``, ``90.3`` → ``90,3``,
    ``1.875`` → ``1,88``."""
    text = f"{n:,.{max_decimals}f}".translate(str.maketrans(",.", ".,"))
    return text.rstrip("0").rstrip(",") if "," in text else text
