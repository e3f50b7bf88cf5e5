"""Shared fixtures: the default campaign, the built-in sample registry, and workbooks built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent

from addin.libreoffice import find_soffice
from addin.registry import Cdcs, District, Registry
from addin.sample.registry import build_sample_registry
from addin.templates import build_blank, build_template
from validators.campaign import Campaign, load_campaign


def pytest_collection_modifyitems(config, items):
    if find_soffice() is None:
        skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
        for item in items:
            if "libreoffice" in item.keywords:
                item.add_marker(skip)


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
