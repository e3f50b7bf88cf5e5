"""The prepared template: the campaign's workbook built once, its zip members compressed once, and only the few
parts holding per-unit cells re-rendered for each unit. This is what makes stamping thousands of files
fast; the blank template goes through the same path, so a unit's file and the blank cannot drift apart.

Determinism: fixed document dates (from the campaign), fixed zip timestamps and member order.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

from addin.cdcs.template.checks import (
    overall_text,
    pristine_counts,
    pristine_unit_flags,
    pristine_where,
    unit_line_text,
)
from addin.cdcs.template.layout import (
    CHECK_COUNT_COL,
    CHECK_STATUS_COL,
    CHECK_WARN_COL,
    CHECK_WHERE_COL,
    DATA_FIRST_ROW,
    FLAG_UNIT_AUX_COL,
    FLAG_UNIT_COL,
    FLAG_UNIT_TEXT_COL,
    SHEET_FLAGS,
    SHEET_ORDER,
    STATUS_FIX,
    STATUS_NOTE,
    STATUS_OK,
    flag_rows,
    nfc,
)
from addin.cdcs.template.shared import share_formulas
from addin.cdcs.template.style import DOC_TITLE_SENTINEL, Slot, doc_title
from addin.cdcs.template.workbook import build_xlsx
from addin.io.xmltext import xml_escape, xml_text
from addin.io.zipwriter import DEFLATE_END, ZipMember, deflate, deflate_piece, zip_bytes
from addin.registry import Cdcs, District
from validators import layout as L
from validators.campaign import Campaign
from validators.rules.table import sheet_text


# ------------------------------------------------------------------------------------------------------------
# The prepared template: pre-compressed zip members plus slots
# ------------------------------------------------------------------------------------------------------------
# 1980-01-01 00:00, the zip epoch: the same for every file and run.
@dataclass(frozen=True)
class _Member:
    name: str
    # Static member: raw deflate stream, crc and size, computed once.
    deflated: bytes = b""
    crc: int = 0
    size: int = 0
    # Member with slots: bytes pieces and slot names, in order; each bytes piece also deflated once.
    pieces: tuple[bytes | str, ...] = ()
    deflated_pieces: tuple[bytes | None, ...] = ()


_UNIT_FLAG_COLUMNS = (FLAG_UNIT_COL, FLAG_UNIT_TEXT_COL, FLAG_UNIT_AUX_COL)


class PreparedTemplate:
    """The workbook of one campaign, ready to be stamped for any unit in well under a millisecond."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        xlsx, slots = build_xlsx(campaign)
        self._slots = {s.name: s for s in slots}
        self._styles: dict[str, str] = {}  # slot name -> style index XlsxWriter gave the blank cell
        part_of_sheet = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(SHEET_ORDER, start=1)}
        by_part: dict[str, list[Slot]] = {}
        for s in slots:
            by_part.setdefault(part_of_sheet[s.sheet], []).append(s)
        members: list[_Member] = []
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename == part_of_sheet[SHEET_FLAGS]:
                    data = share_formulas(data, DATA_FIRST_ROW, DATA_FIRST_ROW + flag_rows(
                        campaign.rules.max_initiatives_per_unit) - 1, frozenset(_UNIT_FLAG_COLUMNS))
                if info.filename in by_part:
                    pieces = self._split_cells(data, by_part[info.filename])
                elif info.filename == "xl/sharedStrings.xml":
                    pieces = self._split_shared_strings(data)
                elif info.filename == "docProps/core.xml":
                    pieces = self._split_sentinel(data)
                else:
                    members.append(_Member(info.filename, deflate(data), zlib.crc32(data), len(data)))
                    continue
                # The flag sheet is 1 MB of formulas around a few per-unit cells: its static pieces are compressed
                # here once, not again for each of thousands of units.
                members.append(_Member(info.filename, pieces=pieces, deflated_pieces=tuple(
                    deflate_piece(p) if isinstance(p, bytes) else None for p in pieces)))
        if len(members) != len({m.name for m in members}) or not any(m.name == "xl/sharedStrings.xml"
                                                                       for m in members):
            raise RuntimeError("unexpected workbook parts from XlsxWriter")
        self._members = tuple(members)

    def _split_cells(self, data: bytes, slots: list[Slot]) -> tuple[bytes | str, ...]:
        spans = []
        for s in slots:
            pattern = re.compile(rb'<c r="' + s.ref.encode() + rb'" s="(\d+)"/>')
            found = list(pattern.finditer(data))
            if len(found) != 1:
                raise RuntimeError(f"slot {s.name}: expected one blank cell {s.ref}, found {len(found)}")
            self._styles[s.name] = found[0].group(1).decode()
            spans.append((found[0].start(), found[0].end(), s.name))
        spans.sort()
        pieces: list[bytes | str] = []
        pos = 0
        for start, end, name in spans:
            pieces += [data[pos:start], name]
            pos = end
        pieces.append(data[pos:])
        return tuple(pieces)

    def _split_shared_strings(self, data: bytes) -> tuple[bytes | str, ...]:
        # Per-unit text goes into the shared string table, as Excel itself would store it: every reader
        # (openpyxl included, which ignores the _xHHHH_ escape in inline strings) then reads it back exactly.
        head = re.search(rb'count="(\d+)" uniqueCount="(\d+)"', data)
        end = data.rfind(b"</sst>")
        if head is None or end < 0:
            raise RuntimeError("unexpected shared strings part from XlsxWriter")
        self._sst_count, self._sst_unique = int(head.group(1)), int(head.group(2))
        root = ElementTree.fromstring(data)
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        self._sst_index: dict[str, int] = {}
        for i, si in enumerate(root.findall(f"{ns}si")):
            self._sst_index.setdefault("".join(t.text or "" for t in si.iter(f"{ns}t")), i)
        if len(self._sst_index) > self._sst_unique:
            raise RuntimeError("shared strings count mismatch")
        return data[: head.start()], "sst_counts", data[head.end(): end], "sst_extra", data[end:]

    @staticmethod
    def _split_sentinel(data: bytes) -> tuple[bytes | str, ...]:
        sentinel = DOC_TITLE_SENTINEL.encode()
        if data.count(sentinel) != 1:
            raise RuntimeError("document title placeholder not found exactly once in docProps/core.xml")
        before, after = data.split(sentinel)
        return before, "doc_title", after

    # -- rendering --------------------------------------------------------------------------------------
    def slot_values(self, unit: Cdcs | None, district: District | None) -> dict[str, object]:
        """Cell values of the slots for ``unit`` (None: the blank template)."""
        identity = unit_identity(self.campaign, unit, district)
        counts = pristine_counts(self.campaign, identity)
        values: dict[str, object] = dict(identity)
        unit_rows = {f.name: L.UNIT_FIRST_ROW + i for i, f in enumerate(L.UNIT_FIELDS)}
        flags = dict(zip(unit_rows, pristine_unit_flags(identity)))
        values.update(
            stamp_unit_code=identity["MA_DON_VI"],
            check_unit_line=unit_line_text(identity),
            **{f"check_unit_{CHECK_COUNT_COL - 1}": counts["unit"],
               f"check_unit_{CHECK_WARN_COL - 1}": counts["unit_warnings"],
               f"check_unit_{CHECK_STATUS_COL - 1}": STATUS_FIX if counts["unit"] else
               STATUS_NOTE if counts["unit_warnings"] else STATUS_OK,
               f"check_unit_{CHECK_WHERE_COL - 1}": pristine_where(self.campaign, identity)},
            check_total=counts["total"],
            check_warnings=counts["warnings"],
            check_overall=overall_text(counts["total"]),
        )
        for name, slot in self._slots.items():
            if name.startswith("flag_"):
                field = name.split("_", 2)[2]
                text = sheet_text(identity.get(field, ""))
                values[name] = text if slot.kind == "string_formula" else flags[field]
        return values

    def _rendered_pieces(self, unit: Cdcs | None, district: District | None) -> dict[str, str]:
        values = self.slot_values(unit, district)
        out: dict[str, str] = {}
        index = dict(self._sst_index)
        extra: list[str] = []
        refs = 0
        for name, slot in self._slots.items():
            style, value = self._styles[name], values[name]
            if slot.kind == "text":
                text = "" if value is None else nfc(str(value))
                if not text:
                    out[name] = f'<c r="{slot.ref}" s="{style}"/>'
                    continue
                if len(text) > 32767:
                    raise ValueError(f"cell text longer than Excel's 32,767 characters: {text[:60]}…")
                if text not in index:
                    index[text] = self._sst_unique + len(extra)
                    extra.append(f'<si><t xml:space="preserve">{xml_text(text)}</t></si>')
                refs += 1
                out[name] = f'<c r="{slot.ref}" s="{style}" t="s"><v>{index[text]}</v></c>'
            elif slot.kind == "number_formula":
                out[name] = f'<c r="{slot.ref}" s="{style}"><f>{xml_escape(slot.formula)}</f><v>{int(value)}</v></c>'
            else:
                out[name] = (f'<c r="{slot.ref}" s="{style}" t="str"><f>{xml_escape(slot.formula)}</f>'
                             f"<v>{xml_text(str(value))}</v></c>")
        out["sst_counts"] = f'count="{self._sst_count + refs}" uniqueCount="{self._sst_unique + len(extra)}"'
        out["sst_extra"] = "".join(extra)
        out["doc_title"] = xml_escape(doc_title(self.campaign, unit_identity(self.campaign, unit, district)))
        return out

    def render(self, unit: Cdcs | None, district: District | None = None) -> bytes:
        """The .xlsx bytes for ``unit`` (None: the blank template)."""
        rendered = self._rendered_pieces(unit, district)
        members = []
        for m in self._members:
            if m.pieces:
                crc = size = 0
                stored = []
                for piece, deflated in zip(m.pieces, m.deflated_pieces):
                    raw = piece if isinstance(piece, bytes) else rendered[piece].encode("utf-8")
                    crc, size = zlib.crc32(raw, crc), size + len(raw)
                    stored.append(deflated if deflated is not None else deflate_piece(raw))
                stored.append(DEFLATE_END)
                members.append(ZipMember(m.name, b"".join(stored), crc, size))
            else:
                members.append(ZipMember(m.name, m.deflated, m.crc, m.size))
        return zip_bytes(members)


def unit_identity(campaign: Campaign, unit: Cdcs | None, district: District | None) -> dict[str, str]:
    """The pre-filled cells of ``Đơn vị`` for ``unit`` (all empty for the blank template)."""
    if unit is None:
        return {"MA_DON_VI": "", "TEN_DON_VI": "", "MA_CAP_TREN": "", "TEN_CAP_TREN": "", "KHOI": ""}
    if district is not None and district.code != unit.parent:
        raise ValueError(f"unit {unit.code} belongs to {unit.parent}, not to {district.code}")
    bloc = nfc(unit.bloc.strip())
    return {
        "MA_DON_VI": nfc(unit.code),
        "TEN_DON_VI": nfc(unit.name),
        "MA_CAP_TREN": nfc(unit.parent),
        "TEN_CAP_TREN": nfc(district.name) if district else "",
        # Only a value the dropdown accepts: a registry bloc outside the campaign list is left for the user.
        "KHOI": bloc if bloc in campaign.blocs else "",
    }


@lru_cache(maxsize=4)
def prepare(campaign: Campaign) -> PreparedTemplate:
    """The prepared template of ``campaign`` (built once per campaign and process)."""
    return PreparedTemplate(campaign)
