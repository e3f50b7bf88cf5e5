"""Packaging: our top-level import names are ours alone, and every CLI command is documented."""

import importlib.metadata
import re
from pathlib import Path

from typer.main import get_command

from addin.cli import app

ROOT = Path(__file__).parents[1]


def test_no_other_distribution_provides_our_import_names():
    owners = importlib.metadata.packages_distributions()
    for name in ("addin", "validators"):
        assert set(owners.get(name, [])) <= {"sangkien"}, f"{name} also provided by {owners[name]}"


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = get_command(app).commands
    assert {"demo", "templates", "validate"} <= set(commands)
    for name in commands:
        assert re.search(rf"`sangkien {name}\b", readme), f"README does not document `sangkien {name}`"


def test_cli_exit_codes_through_the_console_script(tmp_path):
    """The real entry point: usage errors exit 2 with no traceback; a crash leaves a log, not a traceback."""
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-c", "from addin.cli import main; main()", *args],
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    assert run("version").returncode == 0
    bad = run("validate")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    missing = run("district", str(tmp_path), "--district", "KHONG-CO", "--out", str(tmp_path / "x.xlsx"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr + missing.stdout
    assert "KHONG-CO" in missing.stdout + missing.stderr


def test_an_unexpected_bug_becomes_a_sentence_and_a_log(monkeypatch, capsys, tmp_path):
    import pytest

    import addin.cdcs.validate
    from addin.cli import main

    def boom(*args, **kwargs):
        raise RuntimeError("lỗi giả lập")

    monkeypatch.setattr(addin.cdcs.validate, "validate_paths", boom)
    monkeypatch.setattr("sys.argv", ["sangkien", "validate", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi" in err and "Traceback" not in err
    log = Path(err.split("hỗ trợ:")[1].split()[0].strip())
    assert "RuntimeError: lỗi giả lập" in log.read_text(encoding="utf-8")
