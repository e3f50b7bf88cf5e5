"""Writing the workbooks to disk: one blank template and one file per CĐCS, named by unit code, in a folder per
district-level union. Names are a pure function of the unit, so callers find a unit's file without a listing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from addin.cdcs.template.layout import BLANK_FILE_NAME
from addin.cdcs.template.prepared import prepare
from addin.io.atomic import atomic_path, write_bytes_fast
from addin.registry import Cdcs, District, Registry, RegistryError
from validators.campaign import Campaign
from validators.text.names import ascii_name
from validators.errors import ErrorCode


# ------------------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------------------
def build_template(campaign: Campaign, unit: Cdcs | None, district: District | None, path: str | Path) -> Path:
    """Write the workbook of ``unit`` (or the blank template if ``unit`` is None) to ``path``."""
    path = Path(path)
    data = prepare(campaign).render(unit, district)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def build_blank(campaign: Campaign, path: str | Path) -> Path:
    """Write the blank template (no unit pre-filled) to ``path``."""
    return build_template(campaign, None, None, path)


_UNIT_PREFIXES = ("công đoàn cơ sở ", "cđcs ")


def _code_part(code: str, fallback: str) -> str:
    safe = ascii_name(code, 40).replace(" ", "-") or fallback
    if safe != code:
        # Lossy ("A/1" and "A-1" would meet): a short digest of the real code keeps names distinct while
        # staying a pure function of the unit, so a caller can find a unit's file without a listing.
        safe += "~" + hashlib.sha1(code.encode("utf-8")).hexdigest()[:6]
    return safe


def unit_file_name(unit: Cdcs) -> str:
    """``<code> - <short ASCII name>.xlsx``: sorts by code, readable, safe on every file system."""
    name = unit.name
    for prefix in _UNIT_PREFIXES:
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
            break
    code = _code_part(unit.code, "don-vi")
    short = ascii_name(name)
    return f"{code} - {short}.xlsx" if short else f"{code}.xlsx"


def district_folder_name(code: str) -> str:
    return _code_part(code, "cap-tren")


def template_path_for(out_dir: str | Path, unit: Cdcs) -> Path:
    """Where ``generate_templates(..., out_dir)`` writes the workbook of ``unit``."""
    return Path(out_dir) / district_folder_name(unit.parent) / unit_file_name(unit)


def generate_templates(
    campaign: Campaign,
    registry: Registry,
    out_dir: str | Path,
    *,
    district_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    include_blank: bool = True,
) -> list[Path]:
    """Write the blank template (``out_dir/mau-trang.xlsx``) and one workbook per CĐCS, in a sub-folder per
    district-level union (``out_dir/<district code>/<code> - <name>.xlsx``); only the CĐCS of
    ``district_code`` if given. Returns the paths written, blank first, then in registry order."""
    out = Path(out_dir)
    if district_code is not None:
        registry.district(district_code)  # raises RegistryError with the known codes
        units = registry.cdcs_of(district_code)
    else:
        units = list(registry.cdcs)
    targets = [(unit, template_path_for(out, unit)) for unit in units]
    # Checked before anything is written: codes differing only in case would share one file on Windows and
    # macOS disks, and one unit would silently get another's workbook.
    seen: dict[str, Cdcs] = {}
    for unit, path in targets:
        other = seen.setdefault(str(path).casefold(), unit)
        if other is not unit:
            raise RegistryError(ErrorCode.REGISTRY_CODES_DIFFER_IN_CASE, code=other.code, other=unit.code)
    prepared = prepare(campaign)
    total = len(targets) + (1 if include_blank else 0)
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    if include_blank:
        path = out / BLANK_FILE_NAME
        write_bytes_fast(path, prepared.render(None))
        written.append(path)
        if progress:
            progress(len(written), total)
    for folder in sorted({path.parent for _, path in targets}):
        folder.mkdir(parents=True, exist_ok=True)
    for unit, path in targets:
        write_bytes_fast(path, prepared.render(unit, registry.district_by_code.get(unit.parent)))
        written.append(path)
        if progress:
            progress(len(written), total)
    return written
