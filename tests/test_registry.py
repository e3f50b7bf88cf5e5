"""The unit registry: the shipped sample matches its generator; bad registries give clear errors."""

from pathlib import Path

import pytest

from addin.registry import (
    CDCS_SHEET,
    DISTRICT_SHEET,
    SAMPLE_REGISTRY_RESOURCE,
    RegistryError,
    load_registry,
    parse_registry,
    write_registry,
)
from addin.sample.registry import build_sample_registry

SHIPPED = Path(__file__).parents[1] / "addin" / "data" / SAMPLE_REGISTRY_RESOURCE


def test_sample_registry_is_dak_nong_and_marked_sample():
    reg = load_registry()
    assert reg.province == "Đắk Nông" and reg.is_sample
    assert "MẪU" in reg.note
    assert len(reg.districts) == 11
    assert 700 <= len(reg.cdcs) <= 800
    kinds = {d.kind for d in reg.districts}
    assert {"LĐLĐ huyện", "LĐLĐ thành phố", "Công đoàn ngành"} <= kinds
    assert len(reg.cdcs_of("GN")) > 50
    assert {c.bloc for c in reg.cdcs} == {"Doanh nghiệp", "Hành chính sự nghiệp"}


def test_shipped_sample_registry_matches_generator(tmp_path):
    fresh = tmp_path / "r.xlsx"
    write_registry(build_sample_registry(), fresh)
    assert fresh.read_bytes() == SHIPPED.read_bytes(), "regenerate: python -m addin.sample.registry"


def test_round_trip(tmp_path):
    reg = build_sample_registry()
    path = tmp_path / "r.xlsx"
    write_registry(reg, path)
    assert load_registry(path) == reg


def _sheets(**over):
    sheets = {
        DISTRICT_SHEET: [["Mã", "Tên", "Loại"], ["H1", "LĐLĐ huyện Một", "LĐLĐ huyện"]],
        CDCS_SHEET: [["Tên", "Mã", "Mã cấp trên", "Khối", "Số đoàn viên"],
                     ["CĐCS A", "A1", "H1", "Doanh nghiệp", 30]],
    }
    sheets.update(over)
    return sheets


def test_columns_found_by_label_in_any_order():
    reg = parse_registry(_sheets())
    assert reg.cdcs[0].code == "A1" and reg.cdcs[0].members == 30


def test_bad_registry_lists_every_problem():
    sheets = _sheets(**{CDCS_SHEET: [
        ["Mã", "Tên", "Mã cấp trên"],
        ["A1", "CĐCS A", "H1"],
        ["A1", "CĐCS A bis", "H1"],  # duplicate code
        ["B1", "CĐCS B", "H9"],  # unknown parent
        ["C1", "", "H1"],  # empty name
    ]})
    with pytest.raises(RegistryError) as err:
        parse_registry(sheets, "r.xlsx")
    flat = [(i.sheet, i.cell, i.code) for i in err.value.issues]
    assert flat == [
        (CDCS_SHEET, "A3", "registry-duplicate-code"),
        (CDCS_SHEET, "C4", "registry-unknown-parent"),
        (CDCS_SHEET, "B5", "required-missing"),
    ]
    assert "r.xlsx có 3 lỗi" in str(err.value)


def test_missing_sheet_and_file(tmp_path):
    with pytest.raises(RegistryError):
        parse_registry({DISTRICT_SHEET: [["Mã", "Tên"], ["H1", "X"]]})
    with pytest.raises(RegistryError, match="Không tìm thấy"):
        load_registry(tmp_path / "none.xlsx")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(RegistryError, match="Không đọc được"):
        load_registry(junk)
