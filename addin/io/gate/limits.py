"""The gate's bounds (``Limits``), its verdict on a file (``Inspection``) and the refusals it raises.

Every number here was measured against what the parser behind the reader does with a hostile file (see the package docstring); a limit is the place to look when a real workbook is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


from validators.issues import Issue, IssueCode, make_issue


MiB = 2**20


@dataclass(frozen=True)
class Limits:
    # A CĐCS workbook is 15–100 KB; 20 MB leaves room for pasted pictures and still refuses junk early.
    max_file_bytes: int = 20 * MiB
    # Sum of declared uncompressed sizes. Real workbooks inflate 5–20x; 200 MB is ten times that on 20 MB.
    max_uncompressed_bytes: int = 200 * MiB
    # An Excel workbook has 10–50 members; LibreOffice adds a few empty folders.
    max_members: int = 2000
    # Per member, uncompressed / compressed. Measured on real sheets: 12–20x (100,000 rows of identical
    # values or borders). Deflate's ceiling is ~1030x; anything above 150x is made to be small on disk.
    max_ratio: float = 150.0
    # ... judged only for members inflating past this: small parts may compress very well and are harmless.
    ratio_floor_bytes: int = 1 * MiB
    # rows x columns of the dense grid a reader would allocate for one sheet or table (32 bytes a cell in
    # calamine, more once in Python). A CĐCS sheet has ~20 columns and a few hundred rows.
    max_sheet_cells: int = 5_000_000
    # Declared count of distinct shared strings (calamine reserves this many up front).
    max_shared_strings: int = 1_000_000
    # How far into an XML member we look for its first element before calling its prolog abnormal. Excel
    # writes ~60 bytes before the root; LibreOffice's content.xml root tag alone is ~3 KB.
    max_prolog_bytes: int = 64 * 1024
    # Cap for one member the reader decompresses itself through ``open_member_capped`` (workbook.xml ...).
    max_part_bytes: int = 16 * MiB


@dataclass(frozen=True)
class Inspection:
    kind: str | None  # "xlsx" (also .xlsm/.xltx), "xls" (BIFF8 in OLE2), "ods"; None when refused
    issue: Issue | None  # the one reason the file is refused, None when it may be parsed
    has_macros: bool = False  # VBA project or Excel 4.0 macro sheets: never run, worth a warning
    # Stable keys of content we ignore but the sender should know about: see ACTIVE_CONTENT.
    active_content: list[str] = field(default_factory=list)
    # ``sheets_on_demand``: every worksheet by the name the parser lists it under -> its member's key, when
    # the workbook says so beyond doubt, and those whose extent check waits until a parser asks for them.
    # Both empty when every sheet was checked here.
    sheet_parts: dict[str, str] = field(default_factory=dict)
    deferred_sheets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.issue is None

    def warnings(self) -> list[Issue]:
        """Warnings for an accepted file (macros, links, embedded objects); empty when refused."""
        out: list[Issue] = []
        if self.issue is not None:
            return out
        if self.has_macros:
            what = "LibreOffice Basic" if self.kind == "ods" else "VBA hoặc macro Excel 4.0"
            out.append(make_issue(IssueCode.FILE_HAS_MACROS, detail=what))
        if self.active_content:
            labels = [ACTIVE_CONTENT.get(k, k) for k in self.active_content]
            out.append(make_issue(IssueCode.FILE_ACTIVE_CONTENT, detail=", ".join(labels)))
        return out


# Keys of Inspection.active_content, with the words a warning uses.
ACTIVE_CONTENT = {
    "external-links": "liên kết tới tệp khác",
    "data-connections": "kết nối dữ liệu ngoài",
    "embedded-objects": "đối tượng nhúng (OLE)",
    "activex": "điều khiển ActiveX",
}


class RefusedFile(Exception):
    """A file (or one of its parts) we will not read; ``issue`` says why, in Vietnamese."""

    code = IssueCode.FILE_UNREADABLE

    def __init__(self, detail: str, **params: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.params = params

    @property
    def issue(self) -> Issue:
        return make_issue(self.code, detail=self.detail, **self.params)


class UnsafeFile(RefusedFile):
    """Content made to hurt a parser: a bomb, a DTD, a hostile name. ``str(exc)`` is the Vietnamese detail."""

    code = IssueCode.FILE_UNSAFE


class CorruptFile(RefusedFile, ValueError):
    """Damaged or malformed content. A ValueError too, so callers catching ValueError for bad data see it."""

    code = IssueCode.FILE_CORRUPT


class _Refuse(Exception):
    """Internal: carries a ready Issue out of the inspection."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def _refuse(code: str, **params: Any) -> _Refuse:
    return _Refuse(make_issue(code, **params))
def _human(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def _short_name(name: str, limit: int = 40) -> str:
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return clean if len(clean) <= limit else "…" + clean[-(limit - 1):]



def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese thousands separator


# Sheet XML is scanned in blocks of this size: memory stays flat whatever the part inflates to.
_CHUNK = 1 * MiB
