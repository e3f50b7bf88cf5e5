"""The same initiative sent by several units, found at the national roll-up across every province package.
Two provinces may send it, or two units inside one province's package. The rule is the one every level uses
(``validators.rules.identity``).

The roll-up reads one package at a time and lets its rows go, so that 2 million initiatives fit an office PC.
This index keeps only a little per row:

* a 64-bit digest of the row's identity, in sorted numpy arrays with the row it was first seen in
  (16 bytes per distinct initiative);
* the row's initiative id and unit code, packed into one string per package (about 25 bytes a row), so the
  members of a group can be named after their package is gone;
* for a group, where each copy is (8 bytes a copy).

A group starts when a digest comes back, and the row at hand gives its title and author. Groups are kept
for every package read. ``groups`` then keeps the members of the packages that were used (a superseded
package is not counted) and drops a group left with fewer than two members."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from validators.rules.identity import initiative_digest

_SEP = "\x1f"  # between the packed strings; an item holding one has it replaced by a space


class _Strings:
    """A read-only list of short strings kept as one string and the offsets into it (no object per item)."""

    def __init__(self, items: Iterable[str]):
        items = [str(s or "").replace(_SEP, " ") for s in items]
        self._text = _SEP.join(items)
        self._starts = array("I", [0])
        for s in items:
            self._starts.append(self._starts[-1] + len(s) + 1)

    def __getitem__(self, i: int) -> str:
        return self._text[self._starts[i]:self._starts[i + 1] - 1]

    def split(self) -> list[str]:
        """Every item, in order."""
        return self._text.split(_SEP) if len(self._starts) > 1 else []


@dataclass
class DuplicateGroup:
    """One initiative found more than once: its title and author as shown, and every copy (parallel lists)."""

    title: str
    author: str
    provinces: list[str] = field(default_factory=list)  # the province whose package holds the copy
    ids: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def across_provinces(self) -> bool:
        return len(set(self.provinces)) > 1

    def as_json(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "units": list(self.units), "provinces": list(self.provinces)}


def _ref(package: int, row: int) -> int:
    return (package << 32) | row


class DuplicateIndex:
    """Feed it each package's rows as they are read (``add``); ask for the groups at the end (``groups``)."""

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)  # sorted digests seen so far
        self._first = np.empty(0, dtype=np.uint64)  # the row each was first seen in (package << 32 | row)
        self._packages: list[tuple[str, _Strings, _Strings]] = []  # (province code, ids, units) per package
        self._groups: dict[int, tuple[str, str, array]] = {}  # digest -> (title, author, member refs, 8 bytes each)

    def add(self, province_code: str, rows: list[dict[str, Any]]) -> int:
        """Index one package's rows; returns the package's number for ``groups``."""
        return self.add_digested(province_code, digest_rows(rows))

    def add_digested(self, province_code: str, rows: DigestedRows) -> int:
        """Index one package's rows, digested (``digest_rows``, e.g. in a pool worker while the package is read);
        returns the package's number for ``groups``."""
        package = len(self._packages)
        self._packages.append((province_code, rows.ids, rows.units))
        at, keys = rows.at, rows.digests
        if not len(keys):
            return package
        digests = keys.tolist()
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        pos = np.searchsorted(self._keys, uniq)
        known = np.zeros(len(uniq), dtype=bool)
        inside = pos < len(self._keys)
        known[inside] = self._keys[pos[inside]] == uniq[inside]
        again = set(uniq[known | (counts > 1)].tolist())  # digests this package repeats: a group each
        for n, d in enumerate(digests):
            if d not in again:
                continue
            group = self._groups.get(d)
            if group is None:
                group = self._groups[d] = (rows.titles[n], rows.authors[n], array("Q"))
                k = np.searchsorted(self._keys, np.uint64(d))
                if k < len(self._keys) and self._keys[k] == d:  # first seen in an earlier package
                    group[2].append(int(self._first[k]))
            group[2].append(_ref(package, at[n]))
        new = ~known
        refs = np.array([_ref(package, at[i]) for i in first[new].tolist()], dtype=np.uint64)
        where = np.searchsorted(self._keys, uniq[new])
        self._keys = np.insert(self._keys, where, uniq[new])
        self._first = np.insert(self._first, where, refs)
        return package

    def groups(self, used: set[int]) -> list[DuplicateGroup]:
        """The groups among the packages numbered in ``used`` with at least two copies, in the order found.

        Every copy's id and unit code is looked up a package at a time (its packed strings split once), not
        copy by copy: at the national level a group may have a copy in each of 63 packages."""
        entries = list(self._groups.values())
        if not entries:
            return []
        refs = np.concatenate([np.frombuffer(r, dtype=np.uint64) if len(r) else np.empty(0, np.uint64)
                               for _, _, r in entries])
        packages = (refs >> np.uint64(32)).astype(np.int64)
        rows = (refs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        keep = np.isin(packages, np.fromiter(used, dtype=np.int64, count=len(used)))
        ids: list[Any] = [None] * len(refs)
        units: list[Any] = [None] * len(refs)
        same: dict[str, str] = {}  # one string object per distinct id or code: copies share theirs
        sd = same.setdefault
        for package in np.unique(packages[keep]).tolist():
            at = np.flatnonzero(keep & (packages == package))
            _, id_strings, unit_strings = self._packages[package]
            id_list, unit_list = id_strings.split(), unit_strings.split()
            for k, r in zip(at.tolist(), rows[at].tolist()):
                i, u = id_list[r], unit_list[r]
                ids[k], units[k] = sd(i, i), sd(u, u)
        codes = [code for code, _, _ in self._packages]
        kept, pk = keep.tolist(), packages.tolist()
        out, start = [], 0
        for title, author, r in entries:
            end = start + len(r)
            members = [k for k in range(start, end) if kept[k]]
            start = end
            if len(members) > 1:
                out.append(DuplicateGroup(title, author, [codes[pk[k]] for k in members], [ids[k] for k in members],
                                          [units[k] for k in members]))
        return out


@dataclass
class DigestedRows:
    """What the index keeps of one package's rows, made where the rows are (a pool worker) and small to send:
    each row's id and unit code, and for each row with an identity (``at``, its row numbers) the digest, the
    title and the author as shown."""

    ids: _Strings
    units: _Strings
    at: list[int]
    digests: np.ndarray  # uint64, one per row in ``at``
    titles: list[str]
    authors: list[str]


def digest_columns(ids: list[Any], units: list[Any], titles: list[Any], authors: list[Any]) -> DigestedRows:
    """``digest_rows`` over a package's columns (one value per row in each)."""
    at, digests, kept_titles, kept_authors = [], [], [], []
    for i, (title, author) in enumerate(zip(titles, authors)):
        d = initiative_digest(title, author)
        if d is not None:
            at.append(i)
            digests.append(d)
            kept_titles.append(str(title or ""))
            kept_authors.append(str(author or ""))
    return DigestedRows(_Strings(ids), _Strings(units), at, np.fromiter(digests, dtype=np.uint64, count=len(digests)),
                        kept_titles, kept_authors)


def digest_rows(rows: list[dict[str, Any]]) -> DigestedRows:
    """One package's rows digested for ``DuplicateIndex.add_digested``."""
    return digest_columns(*([r.get(k) for r in rows] for k in ("id", "unit_code", "title", "author")))
