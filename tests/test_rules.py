"""The campaign's rules on a submission, cell by cell (reader-independent: RawSubmission built by hand).

Reports are compared flattened to (sheet, cell, code), as golden tests do.
"""

import datetime as dt
from pathlib import Path

import pytest

from validators.campaign import load_campaign
from validators.layout import INITIATIVE_FIELDS, SHEET_INITIATIVES, SHEET_UNIT, TEMPLATE_VERSION, UNIT_FIELDS
from validators.models import RawCell, RawRow, RawSubmission
from validators.rules.unit_report import ExpectedUnit, validate_submission

CAMPAIGN = load_campaign()
OTHER = load_campaign(Path(__file__).parent / "data" / "campaign-other.toml")
COLS = {f.key: chr(ord("A") + i) for i, f in enumerate(INITIATIVE_FIELDS)}
UNIT_ROWS = {f.name: 4 + i for i, f in enumerate(UNIT_FIELDS)}
EXPECTED = ExpectedUnit("GN001", "Công đoàn cơ sở Trường THCS Lê Văn Tám", "GN", "LĐLĐ thành phố Gia Nghĩa")


def unit_answers(**over):
    base = {
        "MA_DON_VI": "GN001", "TEN_DON_VI": EXPECTED.name, "MA_CAP_TREN": "GN", "TEN_CAP_TREN": EXPECTED.parent_name,
        "KHOI": "Hành chính sự nghiệp", "SO_DOAN_VIEN": 45, "NGUOI_LAP": "Nguyễn Thị Lan", "DIEN_THOAI": "0912345678",
        "EMAIL": "lan@example.vn", "DA_TUYEN_TRUYEN": "Có", "DA_KY_KE_HOACH": "Có",
        "NGAY_KY_KE_HOACH": dt.date(2021, 3, 1), "KH_CO_MUC_TIEU": "Có", "KH_CO_KHEN_THUONG": "Có",
        "PHONG_TRAO_DAC_THU": "Thi đua dạy tốt, học tốt", "NGAY_GUI": dt.date(2021, 4, 2),
    }
    base.update(over)
    return base


def initiative(**over):
    base = {
        "title": "Số hóa hồ sơ học sinh", "author": "Trần Văn Hùng", "birth_year": 1985, "gender": "Nam",
        "position": "Giáo viên", "phone": "0987654321", "coauthors": "", "field": CAMPAIGN.fields[3],
        "bloc": "Hành chính sự nghiệp", "description": "Quét và lưu trữ hồ sơ học sinh trên máy chủ của trường.",
        "applied_on": dt.date(2021, 3, 15), "benefit": 12000000, "assessed": "Có", "entered_tld": "Có",
        "nominated": "Không", "disputed": "Không", "note": "",
    }
    base.update(over)
    return base


def submission(unit=None, rows=(), stamp=None):
    sub = RawSubmission(path="t.xlsx")
    sub.stamp = stamp or {"template_version": TEMPLATE_VERSION, "campaign_id": CAMPAIGN.id, "unit_code": "GN001"}
    for name, value in (unit or unit_answers()).items():
        sub.unit[name] = RawCell(value, SHEET_UNIT, f"C{UNIT_ROWS[name]}")
    for r, values in enumerate(rows, start=4):
        sub.rows.append(RawRow(r, {k: RawCell(v, SHEET_INITIATIVES, f"{COLS[k]}{r}") for k, v in values.items()}))
    return sub


def run(sub, campaign=CAMPAIGN, **kw):
    kw.setdefault("expected", EXPECTED)
    report, issues = validate_submission(sub, campaign, **kw)
    return report, [(i.sheet, i.cell, i.code) for i in issues]


def test_valid_submission_has_no_issue():
    report, flat = run(submission(rows=[initiative()]))
    assert flat == []
    assert report.unit_code == "GN001" and report.members == 45 and report.plan_signed is True
    (row,) = report.initiatives
    assert row.valid and row.benefit == 12000000 and row.applied_on == dt.date(2021, 3, 15)


@pytest.mark.parametrize("over, expected", [
    ({"title": "x" * 251}, ("B4", "text-too-long")),
    ({"author": None}, ("C4", "required-missing")),
    ({"birth_year": 1930}, ("D4", "birth-year-invalid")),
    ({"birth_year": "năm 85"}, ("D4", "birth-year-invalid")),
    ({"gender": "Khác"}, ("E4", "value-not-allowed")),
    ({"phone": "12345"}, ("G4", "phone-invalid")),
    ({"field": "Sáng kiến kỹ thuật"}, ("I4", "value-not-allowed")),
    ({"bloc": "Tư nhân"}, ("J4", "value-not-allowed")),
    ({"description": "a" * 1001}, ("K4", "description-too-long")),
    ({"applied_on": dt.date(2021, 1, 31)}, ("L4", "application-date-outside-window")),
    ({"applied_on": dt.date(2021, 6, 1)}, ("L4", "application-date-outside-window")),
    ({"applied_on": "31/02/2021"}, ("L4", "date-invalid")),
    ({"benefit": -5}, ("M4", "benefit-negative")),
    ({"benefit": "nhiều"}, ("M4", "number-invalid")),
    ({"assessed": "?"}, ("N4", "value-not-allowed")),
    ({"entered_tld": None}, ("O4", "required-missing")),
    ({"nominated": "Có", "disputed": "Có"}, ("P4", "nomination-with-dispute")),
])
def test_each_initiative_rule(over, expected):
    report, flat = run(submission(rows=[initiative(**over)]))
    assert flat == [(SHEET_INITIATIVES, *expected)]
    assert report.initiatives[0].valid is False


def test_limits_at_the_edge_are_valid():
    _, flat = run(submission(rows=[initiative(description="ả" * 1000, applied_on=dt.date(2021, 2, 1)),
                                   initiative(title="Khác", applied_on=dt.date(2021, 5, 31), benefit=0)]))
    assert flat == []


def test_description_is_counted_after_nfc():
    nfd = "a\u0301" * 1000  # 2,000 code points typed, 1,000 characters once composed
    _, flat = run(submission(rows=[initiative(description=nfd)]))
    assert flat == [(SHEET_INITIATIVES, "K4", "normalized-text")]


def test_all_failures_are_collected_not_the_first():
    bad = initiative(author=None, gender="?", field="?", applied_on=dt.date(2020, 1, 1), benefit=-1)
    _, flat = run(submission(rows=[bad, initiative(title="Khác", bloc="?")]))
    assert [c for _, c, _ in flat] == ["C4", "E4", "I4", "L4", "M4", "J5"]


def test_nomination_not_assessed_is_a_warning():
    report, flat = run(submission(rows=[initiative(nominated="Có", assessed="Không")]))
    assert flat == [(SHEET_INITIATIVES, "P4", "nomination-not-assessed")]
    assert report.initiatives[0].valid


def test_nominations_over_quota():
    rows = [initiative(title=f"SK {i}", nominated="Có") for i in range(3)]
    _, flat = run(submission(rows=rows))
    assert flat == [(SHEET_INITIATIVES, "P5", "nominations-over-quota")]
    _, flat = run(submission(rows=rows), nomination_quota=3)
    assert flat == []


def test_blank_and_incomplete_rows():
    only_stt = {k: None for k in COLS} | {"stt": 7}
    headless = initiative(title=None)
    report, flat = run(submission(rows=[initiative(), only_stt, headless]))
    assert flat == [(SHEET_INITIATIVES, "B6", "row-incomplete")]
    assert len(report.initiatives) == 2


def test_no_initiatives():
    _, flat = run(submission(rows=[]))
    assert flat == [(SHEET_INITIATIVES, None, "no-initiatives")]


@pytest.mark.parametrize("name, value, code", [
    ("KHOI", None, "required-missing"),
    ("KHOI", "Nhà nước", "value-not-allowed"),
    ("SO_DOAN_VIEN", 0, "number-out-of-range"),
    ("SO_DOAN_VIEN", "bốn mươi", "number-invalid"),
    ("NGUOI_LAP", "  ", "required-missing"),
    ("DIEN_THOAI", "0912", "phone-invalid"),
    ("EMAIL", "lan@", "email-invalid"),
    ("DA_TUYEN_TRUYEN", None, "required-missing"),
    ("DA_KY_KE_HOACH", "có lẽ", "value-not-allowed"),
    ("NGAY_KY_KE_HOACH", None, "plan-date-missing"),
    ("NGAY_KY_KE_HOACH", dt.date(2022, 1, 1), "date-out-of-range"),
    ("KH_CO_MUC_TIEU", None, "required-missing"),
    ("KH_CO_KHEN_THUONG", None, "required-missing"),
    ("NGAY_GUI", None, "send-date-missing"),
    ("TEN_DON_VI", "CĐCS khác", "identity-changed"),
    ("MA_CAP_TREN", "CJ", "identity-changed"),
])
def test_each_unit_rule(name, value, code):
    _, flat = run(submission(unit=unit_answers(**{name: value}), rows=[initiative()]))
    assert flat == [(SHEET_UNIT, f"C{UNIT_ROWS[name]}", code)]


def test_plan_details_without_plan_is_a_warning():
    report, flat = run(submission(unit=unit_answers(DA_KY_KE_HOACH="Không", NGAY_KY_KE_HOACH=None),
                                  rows=[initiative()]))
    assert flat == [(SHEET_UNIT, "C16", "plan-details-without-plan"), (SHEET_UNIT, "C17", "plan-details-without-plan")]
    assert report.plan_signed is False


def test_normalisations_are_reported_as_warnings():
    row = initiative(applied_on="15-03-2021", benefit="1.500.000 đ", assessed="co", field="4", phone=912345678)
    report, flat = run(submission(rows=[row]))
    assert flat == [(SHEET_INITIATIVES, c, code) for c, code in [
        ("G4", "normalized-choice"), ("I4", "normalized-choice"), ("L4", "normalized-date"),
        ("M4", "normalized-number"), ("N4", "normalized-choice")]]
    r = report.initiatives[0]
    assert (r.applied_on, r.benefit, r.assessed, r.field, r.phone) == (
        dt.date(2021, 3, 15), 1500000, True, CAMPAIGN.fields[3], "0912345678")
    assert r.valid


def test_stamp_checks():
    stamp = {"template_version": "0.9", "campaign_id": "khac-2020", "unit_code": "GN002"}
    _, flat = run(submission(rows=[initiative()], stamp=stamp))
    assert [code for *_, code in flat] == ["template-version", "campaign-mismatch", "unit-mismatch"]


def test_an_erased_campaign_stamp_is_reported():
    stamp = {"template_version": TEMPLATE_VERSION, "campaign_id": None, "unit_code": "GN001"}
    _, issues = validate_submission(submission(rows=[initiative()], stamp=stamp), CAMPAIGN, expected=EXPECTED)
    assert [i.code for i in issues] == ["campaign-missing"]
    assert CAMPAIGN.id in issues[0].message and issues[0].severity.value == "warning"


def test_unknown_unit_via_registry_lookup():
    _, flat = run(submission(rows=[initiative()]), expected=None, known_units=lambda code: None)
    assert flat == [(SHEET_UNIT, "C4", "unit-unknown")]


def test_rules_follow_the_campaign_config():
    """The same row judged by another campaign: other window, limit, fields, quota and minimum."""
    row = initiative(field="Chuyển đổi số", applied_on=dt.date(2024, 7, 1), description="x" * 301, birth_year=1950)
    stamp = {"template_version": TEMPLATE_VERSION, "campaign_id": OTHER.id, "unit_code": "GN001"}
    unit = unit_answers(NGAY_KY_KE_HOACH=dt.date(2024, 6, 1), NGAY_GUI=dt.date(2024, 9, 1))
    _, flat = run(submission(unit=unit, rows=[row], stamp=stamp), campaign=OTHER)
    assert flat == [(SHEET_INITIATIVES, "D4", "birth-year-invalid"), (SHEET_INITIATIVES, "K4", "description-too-long"),
                    (SHEET_INITIATIVES, None, "no-initiatives")]


def test_messages_are_vietnamese_and_name_the_value():
    _, issues = validate_submission(submission(rows=[initiative(field="Kỹ thuật")]), CAMPAIGN, expected=EXPECTED)
    (issue,) = issues
    assert "Lĩnh vực" in issue.message and "Kỹ thuật" in issue.message and "chỉ được chọn" in issue.message
    assert issue.field == "field" and issue.row == 4 and issue.value == "Kỹ thuật"


def test_legacy_encoded_text_is_converted_and_reported():
    from validators.text.legacy_text import from_unicode

    title = "Cải tiến quy trình tiếp nhận hồ sơ một cửa"
    report, flat = run(submission(rows=[initiative(title=from_unicode(title, "vni"))]))
    assert flat == [(SHEET_INITIATIVES, "B4", "normalized-legacy-text")]
    assert report.initiatives[0].title == title
