"""When two initiative rows are the same initiative. The district checks its own units, the province checks
across districts and the national roll-up checks across provinces. All three use this one rule, so every
level flags the same copies.

Two rows are the same initiative when they have the same title and the same author, compared without
accents, case or extra spaces (``fold``). A row with no title or no author is never a copy: there is nothing
to compare.

The national roll-up cannot keep every row's key in memory (2 million rows). It keeps a 64-bit digest of the
key instead (``initiative_digest``). Two different keys give the same digest with a probability of about
n²/2⁶⁵, which is 1e-7 for 2 million rows."""

from __future__ import annotations

import hashlib

from validators.text.normalize import fold


def initiative_key(title: str | None, author: str | None) -> tuple[str, str] | None:
    """The same initiative: same title and author, compared without accents, case or extra spaces."""
    return (fold(title), fold(author)) if title and author else None


def initiative_digest(title: str | None, author: str | None) -> int | None:
    """``initiative_key`` as an unsigned 64-bit number (None when the row has no key)."""
    key = initiative_key(title, author)
    if key is None:
        return None
    raw = hashlib.blake2b(f"{key[0]}\x1f{key[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big")
