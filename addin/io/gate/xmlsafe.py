"""Bounded reads of zip members and XML parsing with no DTD or entity: the only way the reader and the gate parse XML from a returned file."""

from __future__ import annotations

import zipfile
from typing import IO, Iterator
import xml.etree.ElementTree as _ET
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as _DET
from defusedxml import DefusedXmlException
from addin.io.gate.limits import CorruptFile, RefusedFile, UnsafeFile, _human, _short_name
from addin.io.gate.members import _find_root, _norm, _zip_error



# --------------------------------------------------------------------------------------------------------
# For the reader: capped member reads and XML parsing without DTDs
# --------------------------------------------------------------------------------------------------------
def open_member_capped(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, max_bytes: int) -> bytes:
    """The member's bytes, streamed; ``UnsafeFile`` as soon as it inflates past ``max_bytes``.

    Declared sizes can lie: this counts what actually comes out. A missing or damaged member raises
    ``CorruptFile`` (a ValueError), so callers never see zipfile's or zlib's own exceptions.
    """
    label = _short_name(_norm(name.filename if isinstance(name, zipfile.ZipInfo) else name))
    try:
        info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    except KeyError:
        raise CorruptFile(f"thiếu phần '{label}'") from None
    if info.file_size > max_bytes:
        raise UnsafeFile(f"'{label}' khai báo {_human(info.file_size)}, giới hạn {_human(max_bytes)}")
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(min(64 * 1024, max_bytes + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise UnsafeFile(f"'{label}' giải nén vượt {_human(max_bytes)}")
                chunks.append(chunk)
    except RefusedFile:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile (CRC), zlib.error, EOFError...
        raise CorruptFile(_zip_error(info, exc)) from None
    return b"".join(chunks)


def xml_parser() -> _DET.DefusedXMLParser:
    """An ElementTree parser refusing DTDs, entity declarations and external references."""
    return _DET.DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)


def safe_parse(data: bytes) -> Element:
    """Parse one XML part. ``UnsafeFile`` for a DTD/entity/external reference, ``CorruptFile`` if malformed."""
    state, _ = _find_root(data)
    if state == "dtd":
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)")
    if state == "root":
        # The prolog walked up to the root element holds no DTD, and XML allows one nowhere else: no entity
        # can be declared, so expat (C, a quarter of defusedxml's pure-Python parser's time) expands none
        # and refuses any reference but the five predefined ones as malformed.
        try:
            return _ET.fromstring(data)
        except ParseError as exc:
            raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None
    try:
        return _DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)") from None
    except ParseError as exc:
        raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None


def safe_iterparse(source: IO[bytes], events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Element]]:
    """Streaming parse of a large part (e.g. a sheet), same refusals as ``safe_parse``."""
    try:
        yield from _DET.iterparse(source, events, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile("phần XML có khai báo DTD/ENTITY (bom XML)") from None
    except ParseError as exc:
        raise CorruptFile(f"phần XML không hợp lệ (dòng {exc.position[0]})") from None
