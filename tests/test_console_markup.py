"""Text from units reaches the console as text: square brackets in a file name, a unit code or a title are
never taken for Rich markup (a "[/]" typed in a cell used to stop the command with a MarkupError)."""

from __future__ import annotations

import datetime as dt
import random
import shutil

from typer.testing import CliRunner

from addin.cli import app
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.cdcs.template.files import generate_templates
from addin.sample.registry import build_sample_registry

MARKUP = ["x[/]y", "[link=http://evil.example]bấm[/link]", "[bold red]Hợp lệ[/bold red]", "[/]"]


def test_markup_in_unit_text_is_printed_as_typed(tmp_path, campaign):
    registry = build_sample_registry()
    district = registry.districts[0].code
    generate_templates(campaign, registry, tmp_path / "tpl", district_code=district, include_blank=False)
    tpl = sorted((tmp_path / "tpl").rglob("*.xlsx"))[:2]
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    rng = random.Random(2)
    codes = {c.code: c for c in registry.cdcs}
    for n, src in enumerate(tpl):
        c = codes[src.name.split(" - ")[0]]
        rows = [valid_initiative(campaign, c, rng, number=1, nominated=True)]
        rows[0].update({"Tên sáng kiến": MARKUP[n], "Tác giả": MARKUP[n + 1], "Đã thẩm định": "Có"})
        answers = valid_unit_answers(campaign, c, rng) | {"NGAY_GUI": dt.date(2021, 4, 1), "EMAIL": MARKUP[3]}
        if n == 1:
            answers["MA_DON_VI"] = "[/]"  # the locked code cell, unlocked and overtyped
        fast_fill_workbook(src, inbox / f"{c.code} [bold]{n}[red].xlsx", answers, rows)
    stray = inbox / "[red]la[bold].xlsx"
    shutil.copy(sorted(inbox.iterdir())[0], stray)
    stray.write_bytes(stray.read_bytes()[:200])  # a broken file: its name shows in the reasons

    run = CliRunner().invoke(app, ["validate", str(inbox)])
    assert run.exit_code == 1, run.output
    assert "Lỗi không mong đợi" not in run.output, run.output
    # the overtyped code cell is quoted as typed (the stamp decides the unit), not interpreted
    assert "ô ghi [/]" in run.output.replace("\n", " ") and "[bold]1[red].xlsx" in run.output, run.output

    out = tmp_path / "tong-hop.xlsx"
    run = CliRunner().invoke(app, ["district", str(inbox), "--district", district, "--out", str(out)])
    assert run.exit_code == 1, run.output
    assert "Lỗi không mong đợi" not in run.output, run.output
    # the file whose code cell says "[/]" is its stamped unit's (with an error), not an unknown unit's
    assert "[red]la[bold].xlsx" in run.output and "Còn lỗi: 2" in run.output, run.output
