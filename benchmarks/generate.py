"""Generate a synthetic province for the benchmarks (deterministic, seeded).

    python -m benchmarks.generate --units 3000 --out benchmarks/data

Writes, under ``--out``:

* ``registry.xlsx``: a registry of ~30 district-level unions x 100 CĐCS (sample name pools, invented data);
* ``templates/``: one pre-filled workbook per CĐCS, from the real template (``generate_templates``);
* ``inbox/<district>/``: every workbook filled as a unit would (``fast_fill_workbook``), 1-30 valid
  initiatives each with real-length Vietnamese descriptions (``valid_initiative``), ~10 on average;
  a share (default 3%) re-saved by LibreOffice headless, so their strings sit in ``xl/sharedStrings.xml``;
* ``manifest.json``: counts, seed and timings of the generation.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from addin.registry import Cdcs, District, Registry, write_registry
from addin.sample import names as N
from addin.sample.registry import DN, HCSN, person, phone

UNITS_PER_DISTRICT = 100
MAX_INITIATIVES = 30


def _places() -> list[str]:
    out: list[str] = []
    for district, communes in N.COMMUNES.items():
        out.append(district)
        out.extend(c for c in communes if c not in out)
    return out


def build_registry(units: int, seed: int) -> Registry:
    """``units`` CĐCS in districts of ``UNITS_PER_DISTRICT`` (the last one takes the remainder)."""
    rng = random.Random(seed)
    places = _places()
    all_communes = sum(N.COMMUNES.values(), [])
    n_districts = max(1, -(-units // UNITS_PER_DISTRICT))
    districts, cdcs = [], []
    for d in range(n_districts):
        code = f"H{d + 1:02d}"
        place = places[d % len(places)] + ("" if d < len(places) else f" {d // len(places) + 1}")
        contact, _ = person(rng)
        districts.append(District(code=code, name=f"Liên đoàn Lao động huyện {place}", kind="LĐLĐ huyện",
                                  contact=contact, phone=phone(rng), email=f"congdoan.{code.lower()}@example.vn",
                                  address=f"huyện {place}, tỉnh Mẫu"))
        count = min(UNITS_PER_DISTRICT, units - d * UNITS_PER_DISTRICT)
        used: set[str] = set()
        for n in range(1, count + 1):
            enterprise = rng.random() < 0.3
            if enterprise:
                pattern = rng.choice(N.ENTERPRISES)
            else:
                k = rng.random()
                pattern = (rng.choice(N.SCHOOLS) if k < 0.45 else rng.choice(N.PUBLIC_BODIES) if k < 0.8
                           else rng.choice(N.DISTRICT_BODIES) + f" huyện {place}")
            unit = pattern.format(c=rng.choice(all_communes), p=rng.choice(N.FAMOUS), w=rng.choice(N.BRAND))
            if unit in used:
                unit = f"{unit} (cơ sở {n})"
            used.add(unit)
            contact, _ = person(rng)
            cdcs.append(Cdcs(code=f"{code}{n:03d}", name=f"Công đoàn cơ sở {unit}", parent=code,
                             bloc=DN if enterprise else HCSN,
                             members=rng.randint(25, 900) if enterprise else rng.randint(8, 120),
                             contact=contact, phone=phone(rng), email=f"cdcs.{code.lower()}{n:03d}@example.vn"))
    return Registry(province="Tỉnh Mẫu", province_code="MAU", is_sample=True,
                    note="DỮ LIỆU MẪU cho đo hiệu năng: tên đơn vị, người và số liệu là hư cấu.",
                    districts=tuple(districts), cdcs=tuple(cdcs))


def generate(out: Path, units: int, seed: int = 2021, libreoffice_share: float = 0.03) -> dict:
    from addin.io.libreoffice import LibreOfficeError, convert_all, find_soffice
    from addin.sample.fastfill import fast_fill_workbook
    from addin.sample.fill import valid_initiative, valid_unit_answers
    from addin.cdcs.template.files import generate_templates, template_path_for
    from validators.campaign import load_campaign

    out = Path(out)
    for sub in ("templates", "inbox", "out"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    campaign = load_campaign()
    registry = build_registry(units, seed)
    write_registry(registry, out / "registry.xlsx")

    t = time.perf_counter()
    generate_templates(campaign, registry, out / "templates")
    timings["templates_s"] = time.perf_counter() - t

    t = time.perf_counter()
    rng = random.Random(seed + 1)
    inbox = out / "inbox"
    filled: list[Path] = []
    initiatives = 0
    for unit in registry.cdcs:
        answers = valid_unit_answers(campaign, unit, rng)
        count = min(MAX_INITIATIVES, int(rng.triangular(1, MAX_INITIATIVES + 1, 1)))
        rows = [valid_initiative(campaign, unit, rng, number=i + 1, nominated=i == 0 and rng.random() < 0.5)
                for i in range(count)]
        source = template_path_for(out / "templates", unit)
        target = inbox / source.parent.name / source.name
        fast_fill_workbook(source, target, answers, rows)
        filled.append(target)
        initiatives += count
    timings["fill_s"] = time.perf_counter() - t

    # A share of the units open and save their file in LibreOffice: strings move to sharedStrings.xml.
    lo = sorted(random.Random(seed + 2).sample(range(len(filled)), k=round(len(filled) * libreoffice_share)))
    resaved: list[str] = []
    if lo:
        if find_soffice() is None:
            print("LibreOffice not found: no file re-saved", file=sys.stderr)
        else:
            t = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="sangkien-bench-lo-") as tmp:
                sources = [filled[i] for i in lo]
                try:
                    converted = convert_all(sources, "xlsx", tmp, timeout=60 + 10 * len(sources))
                except LibreOfficeError as exc:
                    print(f"LibreOffice failed, no file re-saved: {exc}", file=sys.stderr)
                    converted = []
                for src, conv in zip(sources, converted):
                    shutil.move(str(conv), str(src))
                    resaved.append(src.relative_to(inbox).as_posix())
            timings["libreoffice_s"] = time.perf_counter() - t

    manifest = {
        "seed": seed,
        "units": len(registry.cdcs),
        "districts": len(registry.districts),
        "initiatives": initiatives,
        "files": len(filled),
        "libreoffice_resaved": resaved,
        "bytes": sum(p.stat().st_size for p in filled),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--libreoffice-share", type=float, default=0.03)
    args = ap.parse_args(argv)
    m = generate(args.out, args.units, args.seed, args.libreoffice_share)
    print(f"{m['files']} files, {m['districts']} districts, {m['initiatives']} initiatives, "
          f"{len(m['libreoffice_resaved'])} re-saved by LibreOffice, {m['bytes'] / 2**20:.1f} MiB; "
          f"timings {m['timings']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
