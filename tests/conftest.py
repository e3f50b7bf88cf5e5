"""Shared fixtures: the default campaign, the built-in sample registry, and workbooks built once per session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent

from addin.io.libreoffice import find_soffice
from addin.io.shared_formulas import remember_shared_formulas
from addin.registry import Cdcs, District, Registry
from addin.sample.registry import build_sample_registry
from addin.cdcs.template.files import build_blank, build_template
from validators.campaign import Campaign, load_campaign


def pytest_collection_modifyitems(config, items):
    if find_soffice() is None:
        skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
        for item in items:
            if "libreoffice" in item.keywords:
                item.add_marker(skip)


# Files the tests read and must never change: shipped workbooks, the sample registry, campaigns, test data.
INPUT_DIRS = ("workbook_templates", "addin/data", "validators/campaigns", "tests/data")


def hash_files(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


def input_files(root: Path = _ROOT) -> list[Path]:
    return sorted(p for d in INPUT_DIRS for p in (root / d).rglob("*") if p.is_file())


# The tests edit hundreds of returned CĐCS workbooks with openpyxl, as a user's tool would: each load re-derives
# the flag sheet's 21,000 shared-formula cells unless the translation is remembered (tests/test_shared_formulas.py
# checks the remembered text is openpyxl's own).
remember_shared_formulas()

@pytest.fixture(scope="session", autouse=True)
def inputs_untouched():
    """Every test run hashes the committed inputs before and after: no test (and no code it calls) may
    write to them. Files the tests build themselves are checked where they are used (test_hostile)."""
    before = hash_files(input_files())
    assert before, "no input files found"
    yield before
    after = hash_files(input_files())
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"input files changed by the test run: {changed[:10]}"


def pytest_terminal_summary(terminalreporter):
    """Print what tests chose to report (the hostile corpus's size by category) in every run, -n 2 included:
    user_properties travel from the xdist workers with the test reports, and need no -s or -rA."""
    seen = set()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for key, text in getattr(report, "user_properties", ()):
                if key == "run_summary" and text not in seen:
                    seen.add(text)
                    terminalreporter.write_sep("-", report.nodeid.split("::")[-1])
                    terminalreporter.write_line(text)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return _ROOT


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return build_sample_registry()


@pytest.fixture(scope="session")
def sample_unit(registry: Registry) -> tuple[Cdcs, District]:
    """A sample CĐCS with a bloc from the campaign list, and its district."""
    unit = registry.cdcs[0]
    return unit, registry.district(unit.parent)


@pytest.fixture(scope="session")
def blank_template(tmp_path_factory, campaign: Campaign) -> Path:
    return build_blank(campaign, tmp_path_factory.mktemp("templates") / "mau-trang.xlsx")


@pytest.fixture(scope="session")
def unit_template(tmp_path_factory, campaign: Campaign, sample_unit) -> Path:
    unit, district = sample_unit
    return build_template(campaign, unit, district, tmp_path_factory.mktemp("templates") / f"{unit.code}.xlsx")
