"""The one door to a workbook's cells: ``open_workbook`` inspects the very bytes it then hands to the parser.

Every workbook the tool reads — a CĐCS file, a district package, a district workbook for the dossier, a
registry, a launcher's own configuration, anything found in a province or national folder — comes through
here, so no file reaches python-calamine (which can abort the whole process on a crafted grid) without the
checks of ``addin.io.gate``. This is the only module that imports python_calamine (``tests/test_layers.py``).

A refusal or a parser failure is a ``WorkbookRefused`` carrying one Vietnamese ``Issue``; callers turn it into
an issue on the file (CĐCS files, packages in a folder) or into their own named error (a registry the user
named). Sheets are read lazily and each read is bounded by rows, so a hostile sheet claiming a million rows
costs what the caller asked for.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Iterator

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from addin.io.gate.inspect import inspect_bytes, inspect_file
from addin.io.gate.limits import Inspection, Limits, RefusedFile, _Refuse
from addin.io.gate.ooxml import check_deferred_sheets
from validators.issues import Issue, IssueCode, make_issue


class WorkbookRefused(Exception):
    """The workbook may not be (or could not be) read; ``issue`` says why, in Vietnamese."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


# What a parser's (English) error is about, in the words a user reads; the first keyword found wins.
_PARSER_TOPICS = (
    (("sharedstring", "shared string", "sst"), "bảng chuỗi ký tự (sharedStrings) bị hỏng"),
    (("zip", "deflate", "crc", "archive"), "phần nén bên trong tệp bị hỏng"),
    (("dimension", "cell", "range", "row", "column"), "ô hoặc vùng dữ liệu ghi sai"),
    (("style", "numfmt", "format"), "phần định dạng bị hỏng"),
    (("relationship", "rels", "workbook"), "mục lục trang tính bị hỏng"),
    (("xml", "utf", "encoding", "attribute", "tag"), "phần XML bị hỏng"),
)


def _detail(exc: BaseException) -> str:
    """A Vietnamese detail for a parser's failure. Our own refusals are Vietnamese already; a parser's
    English text (python-calamine's, a panic's) never reaches the message, only the topic it names."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, RefusedFile) or not text.isascii():
        return text[:160]
    low = text.casefold()
    for words, topic in _PARSER_TOPICS:
        if any(w in low for w in words):
            return topic
    return "cấu trúc bên trong tệp không đọc được"


def parser_issue(exc: BaseException) -> Issue:
    """The issue for an exception raised while parsing a file that passed the gate."""
    if isinstance(exc, PasswordError):
        return make_issue(IssueCode.FILE_ENCRYPTED)
    if isinstance(exc, RefusedFile):
        return exc.issue
    return make_issue(IssueCode.FILE_CORRUPT, detail=_detail(exc))


# What a parser may raise on a damaged file; python-calamine surfaces Rust panics as PanicException, a
# BaseException, so the read functions below also catch BaseException (never KeyboardInterrupt and friends).
_PARSE_ERRORS = (CalamineError, PasswordError, RefusedFile, zipfile.BadZipFile, ValueError, KeyError, OSError,
                 EOFError, IndexError, TypeError)


class GatedWorkbook:
    """A workbook whose bytes passed the gate: its kind, its sheets by NFC name, and bounded reads of them."""

    def __init__(self, path: Path, data: bytes, inspection: Inspection, limits: Limits) -> None:
        self.path = path
        self.data = data
        self.inspection = inspection
        self.limits = limits
        self.kind = inspection.kind
        self._deferred = dict(inspection.deferred_sheets)  # sheet -> member key, not measured yet
        try:
            self._wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self._raw = list(self._wb.sheet_names)
            # The first sheet of a name wins; another whose name folds to the same (NFD, case, spaces) is a
            # decoy or a mistake that ``sheets_named`` lets a reader report instead of silently choosing.
            self._names: dict[str, str] = {}
            for n in self._raw:
                self._names.setdefault(unicodedata.normalize("NFC", n), n)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # noqa: BLE001 - see _PARSE_ERRORS
            raise WorkbookRefused(parser_issue(exc)) from exc

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def sheet_names(self) -> list[str]:
        """Sheet names, NFC, in workbook order."""
        return list(self._names)

    def has_sheet(self, name: str) -> bool:
        return unicodedata.normalize("NFC", name) in self._names

    def sheets_named(self, name: str) -> list[str]:
        """Every sheet (its name as stored) whose name is ``name`` up to normalisation, case and spaces."""
        key = _sheet_key(name)
        return [n for n in self._raw if _sheet_key(n) == key]

    def check_sheets(self, *sheets: str) -> None:
        """Measure now the sheets a caller is about to read (names as stored), so that a refusal comes before
        anything else is read; ``iter_rows`` measures any sheet not checked yet anyway."""
        self._measure(*sheets)

    def _measure(self, *raw: str) -> None:
        """The extent check of the sheets the parser is about to read, when the gate left them for later.

        A name outside the gate's map of sheets to parts cannot happen when the map was made (every sheet
        element is in it); if it ever did, every sheet still unmeasured is measured: nothing reaches the
        parser unchecked."""
        if not self._deferred:
            return
        keys: list[str] = []
        for name in raw:
            if name in self._deferred:
                keys.append(self._deferred[name])
            elif name not in self.inspection.sheet_parts:
                keys.extend(self._deferred.values())
        if not keys:
            return
        keys = list(dict.fromkeys(keys))
        try:
            check_deferred_sheets(self.data, keys, self.limits)
        except _Refuse as refused:
            raise WorkbookRefused(refused.issue) from None
        self._deferred = {n: k for n, k in self._deferred.items() if k not in keys}

    def iter_rows(self, sheet: str) -> Iterator[list[Any]]:
        """The sheet's rows from row 1, each padded so that index 0 is column A."""
        try:
            raw = sheet if sheet in self._raw else self._names[unicodedata.normalize("NFC", sheet)]
        except KeyError as exc:
            raise WorkbookRefused(parser_issue(exc)) from exc
        self._measure(raw)  # before the parser allocates its grid: a refusal, not an aborted process
        try:
            ws = self._wb.get_sheet_by_name(raw)
            start_col = ws.start[1] if ws.start else 0
            pad = [""] * start_col
            for row in ws.iter_rows():
                yield pad + row if pad else row
        except (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - see _PARSE_ERRORS
            raise WorkbookRefused(parser_issue(exc)) from exc

    def grid(self, sheet: str, max_rows: int | None = None) -> list[list[Any]]:
        """The sheet's values from A1, at most ``max_rows`` rows (a hostile sheet may claim a million)."""
        rows: list[list[Any]] = []
        for row in self.iter_rows(sheet):
            rows.append(row)
            if max_rows is not None and len(rows) >= max_rows:
                break
        return rows

    def grids(self, *sheets: str) -> dict[str, list[list[Any]]]:
        """Whole sheets by NFC name (the ones asked for, or all); for the small workbooks we wrote ourselves."""
        wanted = [unicodedata.normalize("NFC", s) for s in sheets] if sheets else self.sheet_names
        return {s: self.grid(s) for s in wanted if s in self._names}


def _sheet_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def open_workbook(path: str | os.PathLike[str], *, data: bytes | None = None,
                  limits: Limits | None = None, sheets_on_demand: bool = False) -> GatedWorkbook:
    """Open a workbook through the gate; raise ``WorkbookRefused`` (with its issue) if it may not be read.

    The bytes inspected are the bytes parsed (a file can change between two reads); a file that is not
    regular, missing or over the size limit is judged without reading it into memory.
    ``sheets_on_demand``: a worksheet's extent is measured when it is read (``iter_rows``), so sheets never
    read cost nothing (``inspect_bytes``); for callers that hand the bytes to no other parser."""
    path = Path(path)
    limits = limits or Limits()
    if data is None:
        try:
            st = path.stat()
            if path.is_file() and 0 < st.st_size <= limits.max_file_bytes:
                data = path.read_bytes()
        except OSError:
            data = None
    inspection = (inspect_bytes(data, limits, sheets_on_demand=sheets_on_demand) if data is not None
                  else inspect_file(path, limits))
    if inspection.issue is not None:
        raise WorkbookRefused(inspection.issue)
    if data is None:
        raise WorkbookRefused(make_issue(IssueCode.FILE_UNREADABLE, detail="không đọc được nội dung tệp"))
    return GatedWorkbook(path, data, inspection, limits)


def sheet_names_of(path: str | os.PathLike[str], limits: Limits | None = None) -> list[str]:
    """The NFC sheet names of a workbook, or [] when the gate refuses it (a cheap sniff for folders: no sheet
    is parsed, so none is measured)."""
    try:
        return open_workbook(path, limits=limits, sheets_on_demand=True).sheet_names
    except WorkbookRefused:
        return []
