"""The font a cell of an .xlsx is shown in, looked up only when a cell's text might be legacy TCVN3/VNI.

Legacy Vietnamese text is best recognised by its font (.VnTime, VNI-Times ...): the text alone can be
ambiguous. Excel keeps the font in ``xl/styles.xml`` (``<fonts>``, indexed by ``<cellXfs>``, which the
cell's ``s`` attribute indexes), or per run of a rich shared string (``<rPr><rFont val="..."/>``), as
Excel, LibreOffice and WPS write rich text. (Inline rich strings, which only libraries such as openpyxl
write, are not looked at: the statistics still judge their text.)

``CellFonts(data)`` costs nothing until ``font(sheet, ref)`` is called, which the rules do only for a text
that passed the cheap legacy gate (non-ASCII, not plain Unicode Vietnamese): a normal file is never looked
at. The first call searches the styles and shared strings for a legacy font name; only when one is there
are they parsed, with the workbook part, and a sheet part streamed once. Every part goes through the project's
safe XML parser and size caps. Any failure means "no font known": the statistical detection still runs.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Callable

from addin.io.gate.limits import Limits, RefusedFile

from addin.io.gate.xmlsafe import open_member_capped, safe_iterparse, safe_parse
from validators.text.legacy_text import encoding_from_font

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A font attribute naming a legacy font (see encoding_from_font): <name val=".VnTime"/>, <rFont val="VNI-Times"/>.
_LEGACY_FONT_NAME = re.compile(rb"""val\s*=\s*["']\s*(?:\.vn|vni[-_ ])""", re.IGNORECASE)
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _part(target: str) -> str:
    target = target.lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def _names_legacy_font(data: bytes, element: bytes) -> bool:
    """Whether an XML part names a legacy font in an ``element`` (b"name", b"rFont") attribute. Literal
    searches first: they run at memchr speed, and most parts have neither the element nor the name."""
    if element not in data or not any(s in data for s in (b".Vn", b".vn", b".VN", b"VNI", b"vni", b"Vni")):
        return False
    return _LEGACY_FONT_NAME.search(data) is not None


class CellFonts:
    """Legacy font names of the cells of one .xlsx held in memory as ``data``."""

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self._data = data
        self._limits = limits or Limits()
        self._loaded = False
        self._xf_fonts: dict[int, str] = {}  # cellXfs index -> legacy font name
        self._string_fonts: dict[int, str] = {}  # shared string index -> legacy run font
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
            if not self._xf_fonts and not self._string_fonts:
                return None
            if sheet not in self._sheets:
                self._sheets[sheet] = self._scan_sheet(sheet)
        except (RefusedFile, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
            self._xf_fonts, self._string_fonts = {}, {}
            return None
        return self._sheets[sheet].get(ref.replace("$", "").upper())

    # --- parts ------------------------------------------------------------------------------------------
    def _zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self._data))

    def _member(self, zf: zipfile.ZipFile, name: str) -> bytes:
        return open_member_capped(zf, name, self._limits.max_part_bytes) if name in zf.NameToInfo else b""

    def _load(self) -> None:
        """The styles and shared strings naming a legacy font; the sheet parts only when one does. Most files
        name none: a byte search of two parts settles it, nothing is parsed."""
        self._loaded = True
        with self._zip() as zf:
            styles = self._member(zf, "xl/styles.xml")
            if _names_legacy_font(styles, b"name"):
                self._xf_fonts = _xf_fonts(safe_parse(styles))
            strings = self._member(zf, "xl/sharedStrings.xml")
            if _names_legacy_font(strings, b"rFont"):
                self._string_fonts = _string_fonts(strings)
            if not self._xf_fonts and not self._string_fonts:
                return
            rels = safe_parse(self._member(zf, "xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): _part(rel.get("Target") or "") for rel in rels}
            for el in safe_parse(self._member(zf, "xl/workbook.xml")).iter(f"{_NS}sheet"):
                target = targets.get(el.get(_REL_ID))
                if target in zf.NameToInfo and el.get("name"):
                    self._parts[unicodedata.normalize("NFC", el.get("name"))] = target

    def _scan_sheet(self, sheet: str) -> dict[str, str]:
        part = self._parts.get(unicodedata.normalize("NFC", sheet))
        if part is None:
            return {}
        found: dict[str, str] = {}
        with self._zip() as zf, io.BytesIO(self._member(zf, part)) as fh:
            for _event, el in safe_iterparse(fh):
                if el.tag != f"{_NS}c":
                    if el.tag == f"{_NS}row":
                        el.clear()
                    continue
                name = None
                try:
                    if el.get("t") == "s" and self._string_fonts:
                        v = el.find(f"{_NS}v")
                        name = self._string_fonts.get(int(v.text)) if v is not None and v.text else None
                    if name is None and el.get("s"):
                        name = self._xf_fonts.get(int(el.get("s")))
                except ValueError:
                    name = None
                if name is not None and el.get("r"):
                    found[el.get("r").upper()] = name
        return found


def _xf_fonts(styles) -> dict[int, str]:
    """cellXfs index -> legacy font name."""
    fonts = styles.find(f"{_NS}fonts")
    names = []
    for font in (fonts if fonts is not None else ()):
        el = font.find(f"{_NS}name")
        names.append(el.get("val") if el is not None else None)
    out = {}
    xfs = styles.find(f"{_NS}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        try:
            name = names[int(xf.get("fontId", "0"))]
        except (ValueError, IndexError):
            continue
        if encoding_from_font(name):
            out[index] = name
    return out


def _string_fonts(body: bytes) -> dict[int, str]:
    """Shared string index -> the legacy font of one of its runs (rich text pasted from an old document)."""
    out = {}
    index = 0
    with io.BytesIO(body) as fh:
        for _event, el in safe_iterparse(fh):
            if el.tag != f"{_NS}si":
                continue
            for rfont in el.iter(f"{_NS}rFont"):
                if encoding_from_font(rfont.get("val")):
                    out[index] = rfont.get("val")
                    break
            index += 1
            el.clear()
    return out
