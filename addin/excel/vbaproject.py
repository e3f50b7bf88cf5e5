"""Make the ``vbaProject.bin`` pyopenvba writes exact to [MS-OVBA], so Excel has nothing to repair.

pyopenvba 6.5.0 ends the decompressed ``dir`` stream with the ``0x0010`` terminator written as a generic
record (Id, a 4-byte Size of 0) followed by 4 more zero bytes; [MS-OVBA] 2.3.4.2 says the terminator is the
Id ``0x0010`` and one 4-byte Reserved field, nothing after. It also appends a module added to the project
after the blank line that closes the PROJECT stream's ``[Workspace]`` section, where Excel writes every
window record before that blank line. Both are fixed here on the built stream, not in the installed
library, so the fix is ours to test (``tests/test_vbaproject.py``) and survives a reinstall.

The compression is pyopenvba's (it chooses tokens as Office does); the test decompresses with oletools, an
independent implementation of the same algorithm.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from pyopenvba.cfb import CFB
from pyopenvba.vba import compress, decompress

TERMINATOR = struct.pack("<HI", 0x0010, 0)  # Id 0x0010, Reserved 0x00000000: [MS-OVBA] 2.3.4.2
_EXTRA = b"\x00\x00\x00\x00"
# PROJECTMODULES records: MODULENAME (0x0019) holds a module's name in the project's code page.
_MODULE_NAME = 0x0019
# dir records whose Size field does not count their whole payload ([MS-OVBA] 2.3.4.2.1.11 PROJECTVERSION:
# Size is 4 but 6 bytes follow); every other record is Id, Size, Size bytes.
_FIXED_SIZES = {0x0009: 6}


class VbaProjectError(ValueError):
    """The project's streams are not laid out as [MS-OVBA] says."""


def dir_stream(cfb: CFB) -> bytes:
    """The decompressed ``VBA/dir`` stream."""
    return decompress(cfb.get_stream_at(["VBA"], "dir"), stream_name="dir")


@dataclass
class DirRecords:
    ids: list[int]
    module_names: list[str]
    end: int  # offset just after the terminator and its Reserved field


def parse_dir(data: bytes, code_page: str = "cp1252") -> DirRecords:
    """Walk the records of a decompressed ``dir`` stream up to its terminator."""
    pos, ids, names = 0, [], []
    while pos + 6 <= len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        ids.append(rid)
        if rid == 0x0010:
            if size != 0:
                raise VbaProjectError(f"dir terminator Reserved = {size:#x}")
            return DirRecords(ids, names, pos + 6)
        size = _FIXED_SIZES.get(rid, size)
        if rid == _MODULE_NAME:
            names.append(data[pos + 6:pos + 6 + size].decode(code_page))
        pos += 6 + size
    raise VbaProjectError("dir stream without a terminator")


def project_modules(project: bytes) -> list[str]:
    """The module names the PROJECT stream declares (``Document=``, ``Module=``, ``Class=``, ``BaseClass=``)."""
    names = []
    for line in project.decode("cp1252").split("\r\n"):
        m = re.match(r"^(Document|Module|Class|BaseClass)=([^/]+)", line)
        if m:
            names.append(m.group(2))
    return names


def _fix_dir(data: bytes) -> bytes:
    end = parse_dir(data).end
    rest = data[end:]
    if rest and rest != _EXTRA:
        raise VbaProjectError(f"unexpected {len(rest)} bytes after the dir terminator")
    return data[:end]


def _fix_project(project: bytes) -> bytes:
    """Window records after the blank line that closes ``[Workspace]`` move back inside it."""
    head, sep, workspace = project.partition(b"[Workspace]\r\n")
    if not sep:
        return project
    lines = [ln for ln in workspace.split(b"\r\n") if ln]
    return head + sep + b"".join(ln + b"\r\n" for ln in lines) + b"\r\n"


def spec_exact(vba_project: bytes) -> bytes:
    """``vba_project`` with its ``dir`` stream ending at the terminator and a well-formed PROJECT stream."""
    cfb = CFB.from_bytes(vba_project)
    data = dir_stream(cfb)
    fixed = _fix_dir(data)
    if fixed != data:
        cfb.write_stream_at(["VBA"], "dir", compress(fixed))
    project = cfb.get_stream_at([], "PROJECT")
    tidy = _fix_project(project)
    if tidy != project:
        cfb.write_stream_at([], "PROJECT", tidy)
    return cfb.to_bytes()
