"""The CĐCS workbook generator: the contract (read back with openpyxl and calamine), per-unit stamping,
determinism, the committed templates, and the live check sheet recalculated by LibreOffice."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from addin.cdcs.template.files import build_blank, build_template, generate_templates, template_path_for, unit_file_name
from addin.cdcs.template.layout import COUNT_NAME, SHEET_FLAGS, DATA_FIRST_ROW, FLAG_UNIT_COL, CHECK_WARN_COL, CHECK_WHERE_COL, CHECK_FIX_COL, BLANK_FILE_NAME, CHECK_COUNT_COL, CHECK_LAST_ROW, CHECK_ROWS, CHECK_STATUS_COL, LIST_NAMES, OVERALL_OK, STATUS_FIX, STATUS_OK
from addin.cdcs.template.prepared import prepare
from addin.sample.shipped import write_shipped_templates
from validators.text.names import ascii_name
from addin.io.libreoffice import convert, convert_all
from addin.registry import Cdcs, District, RegistryError
from addin.sample.fill import fill_workbook, sample_initiatives, valid_unit_answers
from validators import layout as L

XML_NASTY_NAME = "Công đoàn cơ sở Công ty TNHH <Sao & Mai> 'Đắk R'Lấp' \"ĐN\" _x0041_ Ứng"
XML_NASTY_DISTRICT = "Liên đoàn Lao động huyện A & B <Krông Nô>"


def _load(path: Path, **kw) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, **kw)


def _unit_row(name: str) -> int:
    return L.UNIT_FIRST_ROW + [f.name for f in L.UNIT_FIELDS].index(name)


# --- the contract -------------------------------------------------------------------------------------------
def test_sheets_in_order_with_visibility(blank_template):
    wb = _load(blank_template)
    assert wb.sheetnames == [L.SHEET_GUIDE, L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_CHECK, L.SHEET_LISTS,
                             SHEET_FLAGS, L.SHEET_META]
    states = {ws.title: ws.sheet_state for ws in wb}
    assert states[L.SHEET_LISTS] == "hidden"
    assert states[SHEET_FLAGS] == "hidden"
    assert COUNT_NAME in wb.defined_names and wb.defined_names[COUNT_NAME].localSheetId is None
    assert states[L.SHEET_META] == "veryHidden"
    assert all(states[s] == "visible" for s in (L.SHEET_GUIDE, L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_CHECK))
    assert wb.active.title == L.SHEET_GUIDE
    assert not zipfile.ZipFile(blank_template).namelist().count("xl/vbaProject.bin")


def test_unit_defined_names_point_to_their_cells(blank_template):
    wb = _load(blank_template)
    for i, f in enumerate(L.UNIT_FIELDS):
        dn = wb.defined_names[f.name]
        assert dn.localSheetId is None  # workbook scope
        assert list(dn.destinations) == [(L.SHEET_UNIT, f"$C${L.UNIT_FIRST_ROW + i}")]
    for key, name in L.STAMP_NAMES.items():
        row, col = re.match(r"([A-Z]+)(\d+)", L.STAMP_CELLS[key]).groups()
        assert list(wb.defined_names[name].destinations) == [(L.SHEET_META, f"${row}${col}")]


def test_unit_sheet_labels_locking_and_protection(unit_template):
    ws = _load(unit_template)[L.SHEET_UNIT]
    assert ws.protection.sheet is True
    assert not ws.protection.password  # users may unprotect
    for f in L.UNIT_FIELDS:
        row = _unit_row(f.name)
        assert ws.cell(row, L.UNIT_LABEL_COL).value.startswith(f.label)
        assert ws.cell(row, L.UNIT_VALUE_COL + 1).value  # a hint for every cell
        assert ws.cell(row, L.UNIT_VALUE_COL).protection.locked is f.locked, f.name
    assert [ws.cell(_unit_row(f.name), 3).protection.locked for f in L.UNIT_FIELDS].count(True) == 4


def test_table_contract(blank_template):
    ws = _load(blank_template)[L.SHEET_INITIATIVES]
    assert list(ws.tables) == [L.TABLE_NAME]
    table = ws.tables[L.TABLE_NAME]
    last_col = openpyxl.utils.get_column_letter(len(L.INITIATIVE_LABELS))
    assert table.ref == f"A{L.TABLE_HEADER_ROW}:{last_col}{L.TABLE_HEADER_ROW + L.TABLE_PREPARED_ROWS}"
    assert [c.name for c in table.tableColumns] == list(L.INITIATIVE_LABELS)
    assert [ws.cell(L.TABLE_HEADER_ROW, c + 1).value for c in range(len(L.INITIATIVE_LABELS))] == list(
        L.INITIATIVE_LABELS)
    assert table.tableStyleInfo.name
    assert ws.freeze_panes.startswith("C") or ws.freeze_panes.startswith("A")
    assert ws.freeze_panes.endswith(str(L.TABLE_HEADER_ROW + 1))
    assert ws.cell(L.TABLE_HEADER_ROW, 1).alignment.wrap_text
    # Formats on the prepared rows: dates, money, phone as text.
    row = L.TABLE_HEADER_ROW + 1
    col = {f.key: i + 1 for i, f in enumerate(L.INITIATIVE_FIELDS)}
    assert ws.cell(row, col["applied_on"]).number_format == "dd/mm/yyyy"
    assert ws.cell(row, col["benefit"]).number_format == "#,##0"
    assert ws.cell(row, col["phone"]).number_format == "@"
    assert ws.cell(row, col["description"]).alignment.wrap_text
    for f in L.INITIATIVE_FIELDS:
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(col[f.key])].width == pytest.approx(
            f.width, abs=1)
    # Print setup: A4 landscape, header row repeated; 18 columns do not fit one page width at 8 pt, so a fixed
    # scale that keeps the 12 pt text at 8 pt or more, pages across with the STT repeated (tests/test_print.py
    # renders it).
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows.replace("$", "") == f"{L.TABLE_HEADER_ROW}:{L.TABLE_HEADER_ROW}"
    assert ws.page_setup.scale * 12 / 100 >= 8 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_cols.replace("$", "") == "A:A" and ws.page_setup.pageOrder == "overThenDown"
    assert "&P" in ws.oddFooter.right.text


def _dvs_by_column(ws) -> dict[str, object]:
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            found[rng] = dv
    return found


def test_every_initiative_column_is_validated_in_vietnamese(blank_template, campaign):
    ws = _load(blank_template)[L.SHEET_INITIATIVES]
    dvs = _dvs_by_column(ws)
    first, last = L.TABLE_HEADER_ROW + 1, L.TABLE_HEADER_ROW + L.VALIDATED_ROWS
    for i, f in enumerate(L.INITIATIVE_FIELDS):
        letter = openpyxl.utils.get_column_letter(i + 1)
        dv = dvs[f"{letter}{first}:{letter}{last}"]
        assert dv.showErrorMessage and dv.showInputMessage
        assert dv.promptTitle and dv.prompt and dv.errorTitle and dv.error, f.label
        assert re.search(r"[ạ-ỹàáâãèéêìíòóôõùúýăđơư]", dv.prompt + dv.error, re.I), f.label
        if f.kind in (L.Kind.CHOICE, L.Kind.YES_NO):
            assert dv.type == "list"
            assert dv.formula1 == LIST_NAMES["yes_no" if f.kind == L.Kind.YES_NO else f.choices]
    kinds = {f.key: dvs[f"{openpyxl.utils.get_column_letter(i + 1)}{first}:{openpyxl.utils.get_column_letter(i + 1)}{last}"]
             for i, f in enumerate(L.INITIATIVE_FIELDS)}
    # Characters after NFC: length minus the combining marks listed on «Danh mục».
    assert kinds["description"].type == "custom" and "DM_DAU" in kinds["description"].formula1
    assert kinds["description"].formula1.endswith("<=DM_GIOI_HAN_TOM_TAT")
    assert (kinds["applied_on"].type, kinds["applied_on"].formula1, kinds["applied_on"].formula2) == (
        "date", "DM_AP_DUNG_TU", "DM_AP_DUNG_DEN")
    assert (kinds["birth_year"].type, kinds["birth_year"].formula1) == ("whole", "DM_NAM_SINH_TU")
    assert (kinds["benefit"].type, kinds["benefit"].operator) == ("decimal", "greaterThanOrEqual")
    assert "1.000" in kinds["description"].error
    assert campaign.rules.application_start.strftime("%d/%m/%Y") in kinds["applied_on"].error


def test_every_unit_cell_is_validated(blank_template):
    ws = _load(blank_template)[L.SHEET_UNIT]
    dvs = _dvs_by_column(ws)
    for f in L.UNIT_FIELDS:
        dv = dvs[f"C{_unit_row(f.name)}"]
        assert dv.prompt, f.name
        if not f.locked:
            assert dv.error and dv.errorTitle, f.name
        if f.kind == L.Kind.YES_NO:
            assert (dv.type, dv.formula1) == ("list", "DM_CO_KHONG")
    plan = dvs[f"C{_unit_row('NGAY_KY_KE_HOACH')}"]
    assert (plan.type, plan.formula1, plan.formula2) == ("date", "DM_BAT_DAU", "DM_AP_DUNG_DEN")
    sent = dvs[f"C{_unit_row('NGAY_GUI')}"]
    assert (sent.type, sent.operator, sent.formula1) == ("date", "greaterThanOrEqual", "DM_BAT_DAU")
    assert ws.cell(_unit_row("DIEN_THOAI"), 3).number_format == "@"
    assert ws.cell(_unit_row("NGAY_GUI"), 3).number_format == "dd/mm/yyyy"


def _lists_and_params(path: Path) -> tuple[dict[str, list], dict[str, object]]:
    wb = _load(path)
    lists, params = {}, {}
    for name, dn in wb.defined_names.items():
        if not name.startswith("DM_"):
            continue
        (sheet, ref), = dn.destinations
        cells = wb[sheet][ref.replace("$", "")]
        if isinstance(cells, tuple):
            lists[name] = [row[0].value for row in cells]
        else:
            params[name] = cells.value
    return lists, params


def test_lists_and_campaign_values_come_from_the_campaign(tmp_path, campaign):
    # Another campaign: other limits and dates must flow into the lists, the validations and the labels.
    other = campaign.model_copy(update={
        "id": "thu-nghiem",
        "fields": ("Lĩnh vực A", "Lĩnh vực B"),
        "rules": campaign.rules.model_copy(update={
            "description_max_chars": 640, "application_start": dt.date(2022, 3, 1),
            "application_end": dt.date(2022, 8, 15), "default_cdcs_nomination_quota": 3,
        }),
    })
    path = build_blank(other, tmp_path / "khac.xlsx")
    lists, params = _lists_and_params(path)
    assert lists["DM_LINH_VUC"] == ["Lĩnh vực A", "Lĩnh vực B"]
    assert lists["DM_KHOI"] == list(campaign.blocs)
    assert lists["DM_GIOI_TINH"] == list(campaign.genders)
    assert lists["DM_CO_KHONG"] == [L.YES, L.NO]
    assert params["DM_GIOI_HAN_TOM_TAT"] == 640
    assert params["DM_AP_DUNG_TU"].date() == dt.date(2022, 3, 1)
    assert params["DM_AP_DUNG_DEN"].date() == dt.date(2022, 8, 15)
    assert params["DM_DE_XUAT_TOI_DA"] == 3
    assert (params["DM_NAM_SINH_TU"], params["DM_NAM_SINH_DEN"]) == other.author_birth_year_range
    wb = _load(path)
    assert wb[L.SHEET_META][L.STAMP_CELLS["campaign_id"]].value == "thu-nghiem"
    guide = " ".join(str(c.value) for row in wb[L.SHEET_GUIDE].iter_rows() for c in row if c.value)
    assert "640 ký tự" in guide and "01/03/2022" in guide and "15/08/2022" in guide and "Lĩnh vực B" in guide
    # The flags read the campaign's fields and their spellings, by name.
    field_flag = wb[SHEET_FLAGS].cell(DATA_FIRST_ROW, [f.key for f in L.INITIATIVE_FIELDS].index("field") + 1).value
    assert "DM_LINH_VUC" in field_flag and "DM_LV_CACH_VIET" in field_flag
    assert lists["DM_LV_CACH_VIET"][:2] == ["1", "1."]


def test_default_campaign_params(blank_template, campaign):
    lists, params = _lists_and_params(blank_template)
    assert lists["DM_LINH_VUC"] == list(campaign.fields)
    assert params["DM_GIOI_HAN_TOM_TAT"] == campaign.rules.description_max_chars
    assert params["DM_GIOI_HAN_TEN"] == campaign.rules.title_max_chars
    assert params["DM_BAT_DAU"].date() == campaign.deadlines.campaign_start
    assert params["DM_DOAN_VIEN_TOI_DA"] == campaign.rules.max_members_per_unit
    assert params["DM_SK_TOI_THIEU"] == campaign.rules.min_initiatives_per_unit


_FORBIDDEN = re.compile(r"\b(LET|FILTER|TEXTJOIN|XLOOKUP|UNIQUE|SEQUENCE|SORT|IFS|CONCAT|MAXIFS|MINIFS|LAMBDA)\(")


def test_check_sheet_is_portable_formulas_over_plain_ranges(blank_template, campaign):
    wb = _load(blank_template)
    ws = wb[L.SHEET_CHECK]
    assert set(CHECK_ROWS) >= {"initiatives", "total", "warnings", "unit", "col_description", "col_applied_on",
                                 "col_field", "col_nominated", "too_few_initiatives", "too_many_initiatives"}
    assert len(set(CHECK_ROWS.values())) == len(CHECK_ROWS)
    formulas = [ws.cell(row, col).value for row in CHECK_ROWS.values()
                for col in (CHECK_COUNT_COL, CHECK_WARN_COL, CHECK_STATUS_COL, CHECK_WHERE_COL)]
    flags = wb[SHEET_FLAGS]
    formulas += [c.value for row in flags.iter_rows(min_row=DATA_FIRST_ROW, max_row=DATA_FIRST_ROW) for c in row]
    formulas += [flags.cell(r, FLAG_UNIT_COL).value for r in range(L.UNIT_FIRST_ROW, L.UNIT_FIRST_ROW + 16)]
    for formula in formulas:
        if not isinstance(formula, str) or not formula.startswith("="):
            continue
        assert "[" not in formula and "SangKien" not in formula, formula[:80]  # no structured references
        assert not _FORBIDDEN.search(formula), formula[:80]
        # Campaign numbers are referenced through Danh mục, never written into a formula.
        for literal in ("1000", "2021", "250", "100000"):
            assert not re.search(rf"(?<![$\w]){literal}\b", formula), (formula[:80], literal)
    assert f"${L.TABLE_HEADER_ROW + L.VALIDATED_ROWS}" in ws.cell(CHECK_ROWS["initiatives"], CHECK_COUNT_COL).value
    for key in CHECK_ROWS:
        if key not in ("initiatives", "total", "warnings"):
            status = ws.cell(CHECK_ROWS[key], CHECK_STATUS_COL).value
            assert STATUS_OK in status and STATUS_FIX in status
            assert ws.cell(CHECK_ROWS[key], 2).value and ws.cell(CHECK_ROWS[key], CHECK_FIX_COL).value
    assert OVERALL_OK in ws.cell(CHECK_ROWS["total"], CHECK_WARN_COL).value
    assert ws.conditional_formatting  # green / red
    assert wb[L.SHEET_UNIT].conditional_formatting and wb[L.SHEET_INITIATIVES].conditional_formatting


def test_stamp_and_identity_of_a_unit(unit_template, sample_unit, campaign):
    unit, district = sample_unit
    wb = _load(unit_template)
    meta = wb[L.SHEET_META]
    assert meta[L.STAMP_CELLS["template_version"]].value == L.TEMPLATE_VERSION
    assert meta[L.STAMP_CELLS["campaign_id"]].value == campaign.id
    assert meta[L.STAMP_CELLS["unit_code"]].value == unit.code
    ws = wb[L.SHEET_UNIT]
    assert ws.cell(_unit_row("MA_DON_VI"), 3).value == unit.code
    assert ws.cell(_unit_row("TEN_DON_VI"), 3).value == unit.name
    assert ws.cell(_unit_row("MA_CAP_TREN"), 3).value == district.code
    assert ws.cell(_unit_row("TEN_CAP_TREN"), 3).value == district.name
    assert ws.cell(_unit_row("KHOI"), 3).value == unit.bloc
    assert unit.bloc in campaign.blocs
    for f in L.UNIT_FIELDS:
        if not f.locked and f.name != "KHOI":
            assert ws.cell(_unit_row(f.name), 3).value is None, f.name
    assert wb.properties.creator == campaign.issuer
    assert unit.name in wb.properties.title
    assert wb.properties.created == dt.datetime.combine(campaign.deadlines.campaign_start, dt.time())


def test_blank_template_has_empty_identity_and_stamp(blank_template, campaign):
    wb = _load(blank_template)
    for name in L.IDENTITY_NAMES + ("KHOI",):
        assert wb[L.SHEET_UNIT].cell(_unit_row(name), 3).value is None, name
    meta = wb[L.SHEET_META]
    assert meta[L.STAMP_CELLS["unit_code"]].value is None
    assert meta[L.STAMP_CELLS["campaign_id"]].value == campaign.id


def test_xml_special_characters_and_diacritics_are_stamped_exactly(tmp_path, campaign):
    unit = Cdcs(code="X&<01>", name=XML_NASTY_NAME, parent="A&B", bloc="Doanh nghiệp", members=12)
    district = District(code="A&B", name=XML_NASTY_DISTRICT)
    path = build_template(campaign, unit, district, tmp_path / "nasty.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    wb = _load(path)
    ws = wb[L.SHEET_UNIT]
    assert ws.cell(_unit_row("MA_DON_VI"), 3).value == "X&<01>"
    assert ws.cell(_unit_row("TEN_DON_VI"), 3).value == XML_NASTY_NAME
    assert ws.cell(_unit_row("MA_CAP_TREN"), 3).value == "A&B"
    assert ws.cell(_unit_row("TEN_CAP_TREN"), 3).value == XML_NASTY_DISTRICT
    assert wb[L.SHEET_META][L.STAMP_CELLS["unit_code"]].value == "X&<01>"
    assert XML_NASTY_NAME in wb.properties.title
    # A second reader, not built on the same XML stack.
    cal = CalamineWorkbook.from_path(str(path))
    rows = cal.get_sheet_by_name(L.SHEET_UNIT).to_python(skip_empty_area=False)
    assert rows[_unit_row("TEN_DON_VI") - 1][2] == XML_NASTY_NAME
    assert rows[_unit_row("TEN_CAP_TREN") - 1][2] == XML_NASTY_DISTRICT


def test_bloc_outside_the_campaign_list_is_not_prefilled(tmp_path, campaign):
    unit = Cdcs(code="Z01", name="Công đoàn cơ sở Thử", parent="GN", bloc="Khối lạ")
    wb = _load(build_template(campaign, unit, None, tmp_path / "z.xlsx"))
    assert wb[L.SHEET_UNIT].cell(_unit_row("KHOI"), 3).value is None
    assert wb[L.SHEET_UNIT].cell(_unit_row("MA_CAP_TREN"), 3).value == "GN"


def test_cached_check_results_match_a_fresh_file(unit_template, blank_template, campaign):
    """LibreOffice shows cached results until something changes: they must be right from the start."""
    required = sum(f.required for f in L.UNIT_FIELDS)
    for path, prefilled in ((unit_template, 5), (blank_template, 0)):
        ws = _load(path, data_only=True)[L.SHEET_CHECK]
        counts = {k: ws.cell(r, CHECK_COUNT_COL).value for k, r in CHECK_ROWS.items()}
        assert counts["unit"] == required - prefilled
        assert counts["too_few_initiatives"] == campaign.rules.min_initiatives_per_unit
        assert counts["initiatives"] == 0
        total = required - prefilled + campaign.rules.min_initiatives_per_unit
        assert counts["total"] == total
        assert counts["warnings"] == 1  # the send date, not yet entered
        assert ws.cell(CHECK_ROWS["total"], CHECK_WARN_COL).value == f"Chưa đạt – còn {total} lỗi"
        assert all(v == 0 for k, v in counts.items() if k not in ("unit", "too_few_initiatives", "total",
                                                                  "initiatives", "warnings"))


def test_all_text_is_nfc(unit_template):
    """Every text is NFC, except the deliberate NFD spellings on «Danh mục» (what a Unikey "tổ hợp" keyboard
    types, accepted by the sheet as by the validator): each of those is the NFD form of a value listed beside it."""
    with zipfile.ZipFile(unit_template) as zf:
        for name in zf.namelist():
            if not name.endswith(".xml"):
                continue
            text = zf.read(name).decode("utf-8")
            if name != "xl/sharedStrings.xml":
                assert unicodedata.is_normalized("NFC", text), name
                continue
            strings = re.findall(r"<t[^>]*>([^<]*)</t>", text)
            nfc = {t for t in strings if unicodedata.is_normalized("NFC", t)}
            for t in set(strings) - nfc:
                assert unicodedata.normalize("NFD", t) == t and unicodedata.normalize("NFC", t) in nfc, t


def test_instructions_cover_the_rules(blank_template, campaign):
    ws = _load(blank_template)[L.SHEET_GUIDE]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for needle in (*campaign.fields, "1.000 ký tự", "01/02/2021", "31/05/2021", "20/04/2021", "Kiểm tra",
                   ".xlsx", "Không đổi tên", OVERALL_OK, "▼"):
        assert needle in text, needle


# --- determinism, bulk generation, the committed set -------------------------------------------------------
def test_same_inputs_same_bytes(tmp_path, campaign, sample_unit):
    unit, district = sample_unit
    a = build_template(campaign, unit, district, tmp_path / "a.xlsx").read_bytes()
    prepare.cache_clear()  # a fresh XlsxWriter build must give the same bytes too
    b = build_template(campaign, unit, district, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    assert build_blank(campaign, tmp_path / "c.xlsx").read_bytes() != a


def test_generate_templates_for_one_district(tmp_path, campaign, registry):
    calls = []
    paths = generate_templates(campaign, registry, tmp_path, district_code="TD",
                                 progress=lambda done, total: calls.append((done, total)))
    units = registry.cdcs_of("TD")
    assert len(paths) == len(units) + 1
    assert paths[0] == tmp_path / BLANK_FILE_NAME
    assert calls == [(i, len(paths)) for i in range(1, len(paths) + 1)]
    for unit, path in zip(units, paths[1:]):
        assert path.parent == tmp_path / "TD"
        assert path == template_path_for(tmp_path, unit)
        assert path.name.startswith(f"{unit.code} - ") and path.name.endswith(".xlsx")
        assert path.name.isascii()
    unit, path = units[7], paths[8]
    wb = _load(path)
    assert wb[L.SHEET_UNIT].cell(_unit_row("MA_DON_VI"), 3).value == unit.code
    assert wb[L.SHEET_META][L.STAMP_CELLS["unit_code"]].value == unit.code
    assert path.read_bytes() == prepare(campaign).render(unit, registry.district("TD"))
    with pytest.raises(RegistryError):
        generate_templates(campaign, registry, tmp_path, district_code="KHONG-CO")


def test_file_names(campaign):
    assert ascii_name("Trường THCS Lê Văn Tám") == "Truong THCS Le Van Tam"
    assert ascii_name("Đắk R'Lấp / Krông Nô: ?*") == "Dak R Lap Krong No"
    unit = Cdcs(code="DR012", name="Công đoàn cơ sở Công ty TNHH Đại Thành", parent="DR")
    assert unit_file_name(unit) == "DR012 - Cong ty TNHH Dai Thanh.xlsx"
    long = Cdcs(code="A/1", name="Công đoàn cơ sở " + "Trường Mầm non Họa Mi " * 6, parent="X")
    name = unit_file_name(long)
    assert name.startswith("A-1~") and " - Truong Mam non Hoa Mi" in name and len(name) <= 90


def test_committed_templates_are_up_to_date(tmp_path, repo_root):
    committed = repo_root / "workbook_templates"
    write_shipped_templates(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.xlsx"))
    shipped = sorted(p.relative_to(committed) for p in committed.rglob("*.xlsx"))
    assert fresh == shipped, "run `python -m addin.sample.shipped` and commit workbook_templates/"
    assert fresh == [Path("cdcs/mau-trang.xlsx")]
    for rel in fresh:
        assert (tmp_path / rel).read_bytes() == (committed / rel).read_bytes(), rel


# --- LibreOffice: real recalculation of the check sheet, and rendering ------------------------------------
def _counts(path: Path) -> tuple[dict[str, int], str]:
    ws = _load(path, data_only=True)[L.SHEET_CHECK]
    counts = {k: ws.cell(r, CHECK_COUNT_COL).value for k, r in CHECK_ROWS.items() if k != "warnings"}
    return counts, ws.cell(CHECK_ROWS["total"], CHECK_WARN_COL).value


def _expect(**nonzero: int) -> dict[str, int]:
    expected = {k: 0 for k in CHECK_ROWS if k != "warnings"}
    expected.update(nonzero)
    expected["total"] = sum(v for k, v in nonzero.items() if k != "initiatives")
    return expected


@pytest.mark.libreoffice
def test_libreoffice_recalculates_only_with_our_profile(tmp_path):
    """Why the helper seeds a profile: without it LibreOffice keeps the (deliberately wrong) cached value."""
    import xlsxwriter

    src = tmp_path / "canary.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet()
    ws.write_number(0, 0, 21)
    ws.write_formula(0, 1, "=A1*2", None, 99)
    wb.close()
    stale = convert(src, "csv", tmp_path / "default", recalc=False).read_text(encoding="utf-8")
    fresh = convert(src, "csv", tmp_path / "recalc").read_text(encoding="utf-8")
    assert stale.strip() == "21,99"
    assert fresh.strip() == "21,42"


@pytest.mark.libreoffice
def test_check_sheet_counts_in_libreoffice(tmp_path, campaign, unit_template, sample_unit):
    unit, _ = sample_unit
    rng = random.Random(7)
    r = campaign.rules
    lab = {f.key: f.label for f in L.INITIATIVE_FIELDS}

    # Workbook 1: the five classic mistakes and one unanswered commitment.
    answers = valid_unit_answers(campaign, unit, rng)
    answers["KH_CO_KHEN_THUONG"] = None
    rows = sample_initiatives(campaign, unit, rng, 5)
    for row in rows:
        row[lab["nominated"]] = L.NO
    rows[0][lab["description"]] = ("Mô tả rất dài về sáng kiến cải tiến kỹ thuật. " * 40)[:1200]
    rows[1][lab["applied_on"]] = r.application_end + dt.timedelta(days=1)
    rows[2][lab["field"]] = "Lĩnh vực khác"
    rows[3][lab["nominated"]] = L.YES
    rows[3][lab["disputed"]] = L.YES
    rows[4][lab["author"]] = None
    mistakes = fill_workbook(unit_template, tmp_path / "loi-1.xlsx", answers, rows)

    # Workbook 2: values a paste slips past the validation, and the unit-sheet checks.
    answers2 = valid_unit_answers(campaign, unit, rng)
    answers2.update(NGAY_KY_KE_HOACH=None, SO_DOAN_VIEN="abc", EMAIL="khong-co-a-con",
                    NGAY_GUI=campaign.deadlines.campaign_start - dt.timedelta(days=3))
    rows2 = sample_initiatives(campaign, unit, rng, 5)
    for row in rows2:
        row[lab["nominated"]] = L.NO
    rows2[0].update({lab["bloc"]: campaign.blocs[0].lower(), lab["nominated"]: L.YES})
    rows2[1].update({lab["gender"]: campaign.genders[0].lower(), lab["assessed"]: "co", lab["nominated"]: L.YES})
    rows2[2].update({lab["birth_year"]: 1900, lab["benefit"]: -5, lab["nominated"]: L.YES})
    rows2[3].update({lab["benefit"]: "1.500.000 đ", lab["applied_on"]: "15/03/2021"})
    rows2[4][lab["title"]] = "T" * (r.title_max_chars + 10)
    rows2.append({lab["author"]: "Nguyễn Văn Thiếu Tên"})
    pasted = fill_workbook(unit_template, tmp_path / "loi-2.xlsx", answers2, rows2)

    # Workbook 3: valid, with more rows than the prepared table (the checks must cover them too).
    n_valid = L.TABLE_PREPARED_ROWS + 5
    valid = fill_workbook(unit_template, tmp_path / "hop-le.xlsx", valid_unit_answers(campaign, unit, rng),
                          sample_initiatives(campaign, unit, rng, n_valid))

    outs = convert_all([mistakes, pasted, valid, unit_template], "xlsx", tmp_path / "recalc")

    counts, overall = _counts(outs[0])
    assert counts == _expect(initiatives=5, unit=1, col_author=1, col_description=1, col_applied_on=1, col_field=1,
                             col_nominated=1)
    assert overall == "Chưa đạt – còn 6 lỗi"

    counts, overall = _counts(outs[1])
    # Spellings the validator reads with a warning (lower-case bloc and gender, "co", "1.500.000 đ", a text
    # date) are «Lưu ý», not errors; the row with only an author misses every required column.
    assert counts == _expect(initiatives=6, unit=4, col_title=2, col_birth_year=2, col_benefit=1, col_nominated=3,
                             col_gender=1, col_position=1, col_field=1, col_bloc=1, col_description=1,
                             col_applied_on=1, col_assessed=1, col_entered_tld=1, col_disputed=1)
    ws = _load(outs[1], data_only=True)[L.SHEET_CHECK]
    assert ws.cell(CHECK_ROWS["warnings"], CHECK_COUNT_COL).value == 5
    assert ws.cell(CHECK_ROWS["col_title"], CHECK_WHERE_COL).value == "dòng 8, 9"
    assert ws.cell(CHECK_ROWS["unit"], CHECK_WHERE_COL).value.startswith("ô C9, C12, C15")
    assert overall == f"Chưa đạt – còn {sum(v for k, v in counts.items() if k not in ('initiatives', 'total'))} lỗi"

    counts, overall = _counts(outs[2])
    assert counts == _expect(initiatives=n_valid)
    assert overall == OVERALL_OK

    # The untouched unit file: what LibreOffice computes is what the generator cached.
    recalculated, cached = _load(outs[3], data_only=True), _load(unit_template, data_only=True)
    for row in range(1, CHECK_LAST_ROW + 1):
        for col in (1, CHECK_COUNT_COL, CHECK_WARN_COL, CHECK_STATUS_COL, CHECK_WHERE_COL):
            assert recalculated[L.SHEET_CHECK].cell(row, col).value == cached[L.SHEET_CHECK].cell(row, col).value, (
                row, col)


@pytest.mark.libreoffice
def test_blank_template_renders_to_pdf(tmp_path, blank_template):
    pdf = convert(blank_template, "pdf", tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 4  # guide, unit sheet, initiatives table, checks (hidden sheets are not printed)


def test_sanitised_name_collisions_do_not_overwrite(tmp_path, campaign):
    from addin.registry import Registry

    units = (Cdcs(code="A/1", name="Công đoàn cơ sở Trường A", parent="D/1"),
             Cdcs(code="A-1", name="Công đoàn cơ sở Trường A", parent="D/1"))
    registry = Registry(province="Thử", districts=(District(code="D/1", name="Cấp trên thử"),), cdcs=units)
    paths = generate_templates(campaign, registry, tmp_path, include_blank=False)
    assert len(set(paths)) == 2 and all(p.name.isascii() for p in paths)
    assert paths[1].name == "A-1 - Truong A.xlsx" and paths[0].name.startswith("A-1~")
    assert paths == [template_path_for(tmp_path, u) for u in units]
    assert [_load(p)[L.SHEET_META][L.STAMP_CELLS["unit_code"]].value for p in paths] == ["A/1", "A-1"]

    # Codes equal but for case would share a file on Windows: refused before anything is written.
    clash = registry.model_copy(update={"cdcs": units + (Cdcs(code="a-1", name="Công đoàn cơ sở Trường A", parent="D/1"),)})
    with pytest.raises(RegistryError, match="chữ hoa"):
        generate_templates(campaign, clash, tmp_path / "clash")
    assert not (tmp_path / "clash").exists()


def test_district_must_match_the_unit(tmp_path, campaign):
    unit = Cdcs(code="GN999", name="Công đoàn cơ sở Thử", parent="GN")
    with pytest.raises(ValueError):
        build_template(campaign, unit, District(code="CJ", name="Khác"), tmp_path / "x.xlsx")
