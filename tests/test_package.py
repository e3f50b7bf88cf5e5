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
