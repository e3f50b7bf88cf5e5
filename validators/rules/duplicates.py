"""The same initiative entered twice: one rule for every level, so what the district flags inside one file,
``sangkien validate`` flags too (same code, at the title cell of the second copy).

Two rows are the same initiative when their titles and their authors are equal compared without accents,
case or extra spaces (``validators.rules.identity``, the rule of every level). Inside one file the validator flags each later copy against the first;
the district's consolidation uses the same key for the copies sent by several of its units.

A warning, not an error: two people may honestly propose initiatives with one title, and the district keeps
both to check. The «Kiểm tra» sheet does not count it (KIEM_TRA_SO_LOI counts errors only).
"""

from __future__ import annotations

from validators.issues import Issue, IssueCode, make_issue
from validators.layout import SHEET_INITIATIVES
from validators.models import Initiative, RawRow
from validators.rules.identity import initiative_key


def in_file_duplicates(rows: list[RawRow], initiatives: list[Initiative]) -> list[Issue]:
    """A warning at the title cell of every row that repeats an earlier row of the same file."""
    cells = {r.row: r.cells.get("title") for r in rows}
    first: dict[tuple[str, str], Initiative] = {}
    issues: list[Issue] = []
    for item in initiatives:
        key = initiative_key(item.title, item.author)
        if key is None:
            continue
        if key not in first:
            first[key] = item
            continue
        cell = cells.get(item.row)
        issues.append(make_issue(IssueCode.DUPLICATE_INITIATIVE, sheet=SHEET_INITIATIVES,
                                 cell=cell.cell if cell else None, field="title", value=item.title,
                                 author=item.author, other=f"dòng {first[key].row} của cùng tệp", row=item.row))
    return issues
