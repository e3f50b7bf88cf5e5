"""The VBA project of our workbooks is exact to [MS-OVBA]: the decompressed ``dir`` stream ends right after
its terminator (Id 0x0010) and Reserved field, and the PROJECT stream declares exactly the modules the
``dir`` stream lists. Decompressed here with oletools, not with the library that compressed it."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from oletools.olevba import decompress_stream
from pyopenvba.cfb import CFB

from addin.excel.build import vba_project_bytes
from addin.excel.vbaproject import parse_dir, project_modules, spec_exact

MODULE_END = struct.pack("<HI", 0x002B, 0)  # a module's terminator, then the dir terminator
DIR_END = struct.pack("<HI", 0x0010, 0)


def _streams(vba: bytes) -> tuple[bytes, bytes]:
    cfb = CFB.from_bytes(vba)
    return bytes(decompress_stream(bytearray(cfb.get_stream_at(["VBA"], "dir")))), cfb.get_stream_at([], "PROJECT")


def _shipped(repo_root: Path) -> list[Path]:
    root = repo_root / "workbook_templates"
    return sorted((root / "district").glob("*.xlsm")) + sorted((root / "province").glob("*.xlsm"))


def assert_spec_exact(vba: bytes) -> None:
    dir_data, project = _streams(vba)
    assert dir_data.endswith(MODULE_END + DIR_END), dir_data[-16:].hex(" ")
    assert parse_dir(dir_data).end == len(dir_data)
    assert parse_dir(dir_data).module_names == project_modules(project)
    assert {"xlwings", "Dictionary", "SangKien", "ThisWorkbook"} <= set(project_modules(project))
    workspace = project.split(b"[Workspace]\r\n", 1)[1]
    assert workspace.endswith(b"\r\n\r\n") and b"\r\n\r\n" not in workspace[:-4]
    assert [ln.split(b"=")[0].decode() for ln in workspace.split(b"\r\n") if ln] == \
        [m for m in project_modules(project)]  # one window record per module, in order


def test_fresh_build_is_spec_exact():
    assert_spec_exact(vba_project_bytes())


def test_the_departure_is_detected_and_the_fix_is_idempotent():
    fixed_dir, _ = _streams(vba_project_bytes())
    broken = fixed_dir + b"\x00\x00\x00\x00"  # what pyopenvba 6.5.0 writes
    assert parse_dir(broken).end == len(broken) - 4
    assert spec_exact(vba_project_bytes()) == vba_project_bytes()


def test_shipped_workbooks_are_spec_exact(repo_root):
    books = _shipped(repo_root)
    assert len(books) == 12
    for path in books:
        with zipfile.ZipFile(path) as z:
            assert_spec_exact(z.read("xl/vbaProject.bin"))
