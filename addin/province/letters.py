"""What the province sends up: its package (the same format as a district's, level ``province``) with its
Tờ trình and Bảng tổng hợp beside it, addressed to the level above (TLĐ)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Sequence

from addin.dossier.package import Package, write_package
from addin.province.records import ProvinceResult
from addin.registry import Registry
from validators.text.names import safe_code

PARENT_LINE = "Tổng LĐLĐ Việt Nam"  # the header of the province's Bảng tổng hợp names the level above it


def province_letter_paths(registry: Registry, package_path: str | Path) -> tuple[Path, Path]:
    """The Bảng tổng hợp and the Tờ trình that ``write_province_package`` writes next to the package."""
    code = safe_code(registry.province_code or safe_code(registry.province))
    folder = Path(package_path).parent
    return folder / f"bang-tong-hop-tom-tat-sang-kien-{code}.xlsx", folder / f"to-trinh-{code}.docx"


def _letter_noms(rows: Sequence[dict[str, Any]]):
    from addin.documents.letter_text import Nomination

    out = []
    for r in rows:
        authors = r.get("author") or ""
        if r.get("coauthors"):
            authors = f"{authors}, {r['coauthors']}"
        out.append(Nomination(title=r.get("title") or "", authors=authors, unit=r.get("unit_name") or "",
                              field=r.get("field") or "", summary=r.get("description") or "",
                              benefit=r["benefit"] if isinstance(r.get("benefit"), int) else None))
    return out


def write_province_package(result: ProvinceResult, path: str | Path, *, signed_on: dt.date | None = None,
                           with_letters: bool = True) -> Path:
    """Write the province's package (level ``province``, same format as a district's) to ``path``; with
    ``with_letters`` also the province's Tờ trình (.docx) and Bảng tổng hợp next to it, named in the stamp."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    reg, camp = result.registry, result.campaign
    signed_on = signed_on or result.run_time.date()
    code = reg.province_code or safe_code(reg.province)
    summary_name = to_trinh_name = ""
    if with_letters:
        from addin.documents.letter_text import province_to_trinh
        from addin.documents.to_trinh import write_to_trinh
        from addin.dossier.export import write_summary_table

        summary, letter = province_letter_paths(reg, path)
        write_summary_table(summary, camp, PARENT_LINE, f"Liên đoàn Lao động tỉnh {reg.province}", result.accepted,
                            signed_on)
        doc = province_to_trinh(camp.name, reg.province, camp.place, signed_on, _letter_noms(result.accepted))
        write_to_trinh(doc, letter)
        summary_name, to_trinh_name = summary.name, letter.name
    pkg = Package(
        stamp={"campaign_id": camp.id, "level": "province", "code": code, "name": reg.province,
               "parent_code": "TLD", "province_code": reg.province_code, "export_date": signed_on.isoformat(),
               "summary_file": summary_name, "to_trinh_file": to_trinh_name},
        initiatives=list(result.initiatives),
        units=list(result.units),
        nominations=[{**{k: v for k, v in n.items() if k not in ("reason", "reasons", "district_name")},
                      "rank": i} for i, n in enumerate(result.accepted, start=1)],
        ledger=result.ledger,
    )
    return write_package(pkg, path)
