"""``sangkien demo``: the whole job on the built-in SAMPLE province, from the registry to the reports.

Steps: pre-filled CĐCS workbooks for every sample unit → a realistic set of returned workbooks (most
valid, some with the typical mistakes) → validation of every returned file. Everything lands in one folder.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from addin.registry import Registry, load_registry
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.validate import ValidationRun, validate_paths
from validators.campaign import Campaign, load_campaign

Progress = Callable[[int, int, str], None]

DEMO_DISTRICT = "TD"  # the smallest sample district keeps the demo quick
MISTAKE_SHARE = 0.2  # share of returned workbooks that carry one typical mistake
NOT_RETURNED_SHARE = 0.08  # share of units that send nothing


@dataclass
class DemoResult:
    out: Path
    templates: int
    returned: int
    run: ValidationRun
    seconds: float
    mistakes: dict[str, str] = field(default_factory=dict)  # file name -> mistake key

    def as_json(self) -> dict:
        return {
            "out": str(self.out),
            "templates": self.templates,
            "returned": self.returned,
            "seconds": round(self.seconds, 2),
            "validation": self.run.as_json(),
        }

    def render(self, console: Console) -> None:
        valid = sum(1 for f in self.run.files if f.valid)
        table = Table(title="Chạy thử trên tỉnh mẫu Đắk Nông (dữ liệu hư cấu)")
        table.add_column("Bước")
        table.add_column("Kết quả", justify="right")
        table.add_row("Biểu mẫu CĐCS đã tạo", str(self.templates))
        table.add_row(f"Biểu mẫu đã điền và gửi về ({DEMO_DISTRICT})", str(self.returned))
        table.add_row("Hợp lệ", str(valid))
        table.add_row("Có lỗi cần sửa", str(len(self.run.files) - valid))
        table.add_row("Thời gian (giây)", f"{self.seconds:.1f}")
        console.print(table)
        console.print(f"Biểu mẫu: {self.out / 'bieu-mau'}")
        console.print(f"Tệp đơn vị gửi về: {self.out / 'hop-thu'}")
        console.print(f"Báo cáo kiểm tra (JSON): {self.out / 'kiem-tra.json'}")


def fill_returned(
    campaign: Campaign,
    registry: Registry,
    template_dir: Path,
    inbox: Path,
    district_code: str,
    *,
    seed: int = 2021,
    mistake_share: float = MISTAKE_SHARE,
    not_returned_share: float = NOT_RETURNED_SHARE,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Fill the district's pre-filled workbooks as units would; returns {file name: mistake key}."""
    from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
    from addin.templates import template_path_for

    rng = random.Random(seed)
    units = registry.cdcs_of(district_code)
    mistakes: dict[str, str] = {}
    for n, unit in enumerate(units, start=1):
        if rng.random() < not_returned_share:
            continue
        answers = valid_unit_answers(campaign, unit, rng)
        rows = [valid_initiative(campaign, unit, rng) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
        source = template_path_for(template_dir, unit)
        target = inbox / source.name
        if rng.random() < mistake_share:
            key = rng.choice(MISTAKES)[0]
            apply_mistake(key, answers, rows, rng)
            mistakes[target.name] = key
        fill_workbook(source, target, answers, rows)
        if progress:
            progress(n, len(units), target.name)
    return mistakes


def run_demo(out: Path, *, progress: Progress | None = None) -> DemoResult:
    from addin.templates import generate_templates

    started = time.perf_counter()
    out = Path(out)
    campaign, registry = load_campaign(), load_registry()
    template_dir = out / "bieu-mau"
    paths = generate_templates(campaign, registry, template_dir,
                               progress=(lambda d, t: progress(d, t, "")) if progress else None)
    inbox = out / "hop-thu" / DEMO_DISTRICT
    mistakes = fill_returned(campaign, registry, template_dir, inbox, DEMO_DISTRICT, progress=progress)
    run = validate_paths([inbox], campaign, registry, progress=progress)
    (out / "kiem-tra.json").write_text(json.dumps(run.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    return DemoResult(out=out, templates=len(paths), returned=len(run.files), run=run,
                      seconds=time.perf_counter() - started, mistakes=mistakes)
