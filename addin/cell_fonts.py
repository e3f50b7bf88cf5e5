"""The font a cell of an .xlsx is shown in, looked up only when a cell's text might be legacy TCVN3/VNI.

Legacy Vietnamese text is best recognised by its font (.VnTime, VNI-Times ...): the text alone can be
ambiguous. Excel keeps the font in ``xl/styles.xml`` (``<fonts>``, indexed by ``<cellXfs>``, which the
cell's ``s`` attribute indexes), or per run of a rich shared string (``<rPr><rFont val="..."/>``).

``CellFonts(data)`` costs nothing until ``font(sheet, ref)`` is called, which the rules do only for a text
that passed the cheap legacy gate (non-ASCII, not plain Unicode Vietnamese): a normal file never gets its
styles parsed. The first call parses the styles, the workbook part and its relationships; a sheet part is
streamed once, and only when the workbook uses a legacy font at all. Every part goes through the project's
safe XML parser and size caps. Any failure means "no font known": the statistical detection still runs.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Callable

from addin.safety import Limits, RefusedFile, open_member_capped, safe_iterparse, safe_parse
from validators.legacy_text import encoding_from_font

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _part(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def _run_font(el) -> str | None:
    """The first legacy font among the runs of a rich string (``<si>`` or an inline ``<is>``)."""
    for rfont in el.iter(f"{_NS}rFont"):
        if encoding_from_font(rfont.get("val")):
            return rfont.get("val")
    return None


class CellFonts:
    """Legacy font names of the cells of one .xlsx held in memory as ``data``."""

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self._data = data
        self._limits = limits or Limits()
        self._loaded = False
        self._xf_fonts: dict[int, str] = {}  # cellXfs index -> legacy font name
        self._string_fonts: dict[int, str] | None = None  # shared string index -> legacy run font
        self._parts: dict[str, str] = {}  # sheet name (NFC) -> part
        self._sheets: dict[str, dict[str, str]] = {}  # sheet -> {ref: legacy font name}

    def at(self, sheet: str, ref: str | None) -> Callable[[], str | None]:
        """A deferred lookup, for ``fix_legacy`` to call only when the text is a candidate."""
        return lambda: self.font(sheet, ref)

    def font(self, sheet: str, ref: str | None) -> str | None:
        """The legacy font (".VnTime", "VNI-Times" ...) ``sheet!ref`` is shown in, else None."""
        if ref is None:
            return None
        try:
            if not self._loaded:
                self._load()
            if sheet not in self._sheets:
                self._sheets[sheet] = self._scan_sheet(sheet)
        except (RefusedFile, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
            self._xf_fonts, self._string_fonts = {}, {}
            self._sheets[sheet] = {}
        return self._sheets[sheet].get(ref.replace("$", "").upper())

    # --- parts ------------------------------------------------------------------------------------------
    def _zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self._data))

    def _load(self) -> None:
        self._loaded = True
        with self._zip() as zf:
            names = set(zf.namelist())
            if "xl/styles.xml" not in names:
                return
            styles = safe_parse(open_member_capped(zf, "xl/styles.xml", self._limits.max_part_bytes))
            fonts = styles.find(f"{_NS}fonts")
            names_by_font = []
            for font in (fonts if fonts is not None else ()):
                el = font.find(f"{_NS}name")
                names_by_font.append(el.get("val") if el is not None else None)
            xfs = styles.find(f"{_NS}cellXfs")
            for index, xf in enumerate(xfs if xfs is not None else ()):
                try:
                    name = names_by_font[int(xf.get("fontId", "0"))]
                except (ValueError, IndexError):
                    continue
                if encoding_from_font(name):
                    self._xf_fonts[index] = name
            rels = safe_parse(open_member_capped(zf, "xl/_rels/workbook.xml.rels", self._limits.max_part_bytes))
            targets = {rel.get("Id"): _part(rel.get("Target") or "") for rel in rels}
            workbook = safe_parse(open_member_capped(zf, "xl/workbook.xml", self._limits.max_part_bytes))
            for el in workbook.iter(f"{_NS}sheet"):
                target = targets.get(el.get(_REL_ID))
                if target in names and el.get("name"):
                    self._parts[unicodedata.normalize("NFC", el.get("name"))] = target

    def _shared_string_fonts(self, zf: zipfile.ZipFile) -> dict[int, str]:
        """Rich shared strings with a legacy font in one of their runs (text pasted from an old document)."""
        if self._string_fonts is None:
            self._string_fonts = {}
            if "xl/sharedStrings.xml" in zf.namelist():
                body = open_member_capped(zf, "xl/sharedStrings.xml", self._limits.max_part_bytes)
                if b"rFont" in body:
                    index = 0
                    with io.BytesIO(body) as fh:
                        for _event, el in safe_iterparse(fh):
                            if el.tag != f"{_NS}si":
                                continue
                            name = _run_font(el)
                            if name is not None:
                                self._string_fonts[index] = name
                            index += 1
                            el.clear()
        return self._string_fonts

    def _scan_sheet(self, sheet: str) -> dict[str, str]:
        part = self._parts.get(unicodedata.normalize("NFC", sheet))
        if part is None:
            return {}
        found: dict[str, str] = {}
        with self._zip() as zf:
            strings = self._shared_string_fonts(zf)
            body = open_member_capped(zf, part, self._limits.max_part_bytes)
            if not self._xf_fonts and not strings and b"rFont" not in body:
                return found  # no legacy font anywhere: the sheet is not parsed
            with io.BytesIO(body) as fh:
                for _event, el in safe_iterparse(fh):
                    if el.tag != f"{_NS}c":
                        if el.tag == f"{_NS}row":
                            el.clear()
                        continue
                    name = _run_font(el) if el.get("t") == "inlineStr" else None
                    if el.get("t") == "s" and strings:
                        v = el.find(f"{_NS}v")
                        try:
                            name = strings.get(int(v.text)) if v is not None and v.text else None
                        except ValueError:
                            name = None
                    if name is None and el.get("s"):
                        try:
                            name = self._xf_fonts.get(int(el.get("s")))
                        except ValueError:
                            name = None
                    if name is not None and el.get("r"):
                        found[el.get("r").upper()] = name
        return found
