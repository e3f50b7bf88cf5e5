"""The national roll-up on its own, old read against new, in one run (issue 17). Not a test.

    python -m benchmarks.national --rows 31000 --packages 12 [--modes full,reduced] [--workers 2]

Builds one province package of ``--rows`` initiatives once (``write_package``, rows from
``addin.sample.fill.valid_initiative``: real-length Vietnamese descriptions; ~10 initiatives per CĐCS, a few
nominations), copies it ``--packages`` times under distinct province codes (as ``benchmarks.run`` stage (f)),
then times ``consolidate_national`` once per mode, each in a fresh subprocess: wall and CPU seconds, the peak
resident set of the process and of its largest pool worker (``getrusage``), and the 1-minute load before and
after. Checks that every mode gives the same national JSON, and extrapolates to 63 x 31,039 initiatives.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

TARGET_ROWS, TARGET_PACKAGES, TARGET_SECONDS = 31_039, 63, 45.0
GIB = 2**30


def build_package(rows: int, path: Path, seed: int = 2021) -> Path:
    """One province package (level ``province``, code ``MAU``) of ``rows`` initiatives."""
    from addin.dossier.package import Package, write_package
    from addin.sample.fill import _LABEL, valid_initiative
    from benchmarks.generate import build_registry
    from validators import layout as L
    from validators.campaign import load_campaign

    campaign = load_campaign()
    registry = build_registry(max(1, rows // 10), seed)
    key_of = {label: key for key, label in _LABEL.items()}
    rng = random.Random(seed + 1)
    inits, units, noms = [], [], []
    cdcs = list(registry.cdcs)
    for k, unit in enumerate(cdcs):
        left = rows - len(inits)
        count = 0 if left <= 0 else left if k == len(cdcs) - 1 else min(left, int(rng.triangular(1, 20, 10)))
        for i in range(count):
            raw = {key_of[label]: v for label, v in valid_initiative(campaign, unit, rng, number=i + 1,
                                                                      nominated=i == 0).items()}
            row = {k2: (v == L.YES if v in (L.YES, L.NO) else v) for k2, v in raw.items() if k2 not in ("stt", "phone")}
            row |= {"id": f"{unit.code}-{i + 1:03d}", "province_code": "MAU", "district_code": unit.parent,
                    "unit_code": unit.code, "unit_name": unit.name, "source_file": f"{unit.code}.xlsx",
                    "source_row": 7 + i}
            inits.append(row)
        answers = {"status": "valid" if count else "missing", "counted": bool(count), "late": False,
                   "resubmitted": False, "initiatives": count, "rows_read": count, "rows_rejected": 0,
                   "sent_on": dt.date(2021, 4, 1) if count else None, "propagated": bool(count),
                   "plan_signed": bool(count), "plan_signed_on": dt.date(2021, 3, 1) if count else None,
                   "plan_has_goals": bool(count), "plan_has_rewards": rng.random() < 0.8,
                   "specific_movement": "Phong trào thi đua lao động giỏi" if count else None}
        units.append({"province_code": "MAU", "district_code": unit.parent, "unit_code": unit.code,
                      "name": unit.name, "bloc": unit.bloc, **answers})
    for d in registry.districts[:30]:
        first = next((r for r in inits if r["district_code"] == d.code), None)
        if first is not None and len(noms) < 2:
            noms.append(first | {"rank": len(noms) + 1})
    pkg = Package(stamp={"campaign_id": campaign.id, "level": "province", "code": "MAU", "name": "Tỉnh Mẫu",
                         "parent_code": "TLD", "province_code": "MAU", "export_date": "2021-04-19",
                         "summary_file": "", "to_trinh_file": ""},
                  initiatives=inits, units=units, nominations=noms,
                  ledger={"rows_read": len(inits), "rows_consolidated": len(inits), "rows_rejected": 0, "rows_cut": 0})
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_package(pkg, path)


def copy_packages(src: Path, folder: Path, n: int) -> None:
    """``n`` copies of ``src`` whose province code cell ``MAU`` reads ``P01``... (shared or inline strings)."""
    raw = src.read_bytes()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    import io

    for i in range(1, n + 1):
        new = f"P{i:02d}".encode()
        with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(folder / f"P{i:02d}.xlsx", "w",
                                                                      zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename.endswith(".xml"):
                    data = data.replace(b">MAU</t>", b">" + new + b"</t>")
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def _load() -> float:
    return os.getloadavg()[0]


def child(folder: Path, mode: str, out: Path) -> None:
    """One timed run, in this (fresh) process."""
    from addin.province import national
    from validators.campaign import load_campaign

    campaign = load_campaign()
    resource.setrlimit(resource.RLIMIT_AS, (4 * GIB, 4 * GIB))  # a blow-up fails the run, not the machine
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cpu0 = os.times()
    t = time.perf_counter()
    reading = [0]

    def progress(n: int, total: int, name: str) -> None:  # the parent's resident set while packages are read
        with open("/proc/self/statm") as f:
            reading[0] = max(reading[0], int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))

    result = national.consolidate_national(folder, campaign, progress=progress,
                                           **({"reference": True} if mode == "full" else {}))
    seconds = time.perf_counter() - t
    cpu1 = os.times()
    cpu = sum(cpu1[:4]) - sum(cpu0[:4])
    cpu_self = sum(cpu1[:2]) - sum(cpu0[:2])
    rolled = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # before the JSON is built
    text = json.dumps(result.as_json(), ensure_ascii=False, sort_keys=True, default=str)
    out.with_suffix(".national.json").write_text(text, encoding="utf-8")
    out.write_text(json.dumps({"seconds": seconds, "cpu": cpu, "cpu_self": cpu_self, "base": base, "rolled": rolled, "reading": reading[0],
                               "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                               "worker_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
                               "initiatives": sum(p.initiatives for p in result.provinces),
                               "packages": len(result.provinces),
                               "sha256": hashlib.sha256(text.encode()).hexdigest()}), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=31_000)
    ap.add_argument("--packages", type=int, default=12)
    ap.add_argument("--modes", default="full,reduced", help="full (the old full-row read, serial), reduced")
    ap.add_argument("--workers", default="", help="SANGKIEN_WORKERS for the runs (default: the library's choice)")
    ap.add_argument("--data", type=Path, default=Path(__file__).parent / "data" / "national")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), args.child[1], Path(args.child[2]))
        return 0
    src = args.data / f"package-{args.rows}.xlsx"
    if args.build:
        build_package(args.rows, src)
        return 0
    if not src.is_file():  # in a subprocess: a child's peak RSS starts from its parent's (kept across exec)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "benchmarks.national", "--build", "--rows", str(args.rows),
                        "--data", str(args.data)], check=True)
        print(f"built {src} ({src.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - t:.1f} s")
    folder = args.data / "folder"
    copy_packages(src, folder, args.packages)
    env = dict(os.environ)
    if args.workers:
        env["SANGKIEN_WORKERS"] = args.workers
    results = {}
    for mode in args.modes.split(","):
        out = args.data / f"result-{mode}.json"
        before = _load()
        subprocess.run([sys.executable, "-m", "benchmarks.national", "--child", str(folder), mode, str(out)],
                       check=True, env=env)
        res = json.loads(out.read_text(encoding="utf-8"))
        res["load"] = (before, _load())
        results[mode] = res
        per = res["seconds"] / max(1, res["packages"])
        scale = TARGET_PACKAGES * TARGET_ROWS / max(1, res["initiatives"] / max(1, res["packages"])) / TARGET_PACKAGES
        est = per * scale * TARGET_PACKAGES
        print(f"{mode:8s} {res['packages']} packages, {res['initiatives']:,} initiatives: {res['seconds']:.2f} s "
              f"({per:.2f} s/package), CPU {res['cpu']:.1f} s ({res['cpu'] / max(1, res['packages']):.2f} "
              f"s/package; {res['cpu_self']:.1f} s in this process), peak RSS {res['rolled'] / 2**20:.0f} MiB (with the JSON text: {res['peak'] / 2**20:.0f}; "
              f"base {res['base'] / 2**20:.0f}; while reading {res['reading'] / 2**20:.0f}), largest worker {res['worker_peak'] / 2**20:.0f} MiB, "
              f"load {res['load'][0]:.2f}/{res['load'][1]:.2f}; 63 x 31,039 -> {est:.0f} s "
              f"({'met' if est <= TARGET_SECONDS else 'NOT met'}: {TARGET_SECONDS:.0f} s)", flush=True)
    # Compared by digest: a child's peak RSS starts from this process's, which must stay small.
    if len(results) > 1:
        same = len({r["sha256"] for r in results.values()}) == 1
        print("national JSON identical across modes:", same)
        if not same:
            docs = [json.loads((args.data / f"result-{m}.national.json").read_text(encoding="utf-8"))
                    for m in results]
            print("  differs:", [k for k in docs[0] if any(d.get(k) != docs[0].get(k) for d in docs[1:])])
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
