"""Safe normalisation: what users type, read the one way it can mean, or refused."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from validators.text import normalize as nz


@pytest.mark.parametrize("raw, expected, changed", [
    (dt.date(2021, 3, 5), dt.date(2021, 3, 5), False),
    (dt.datetime(2021, 3, 5, 0, 0), dt.date(2021, 3, 5), False),
    (44260, dt.date(2021, 3, 5), True),  # Excel serial
    (44260.0, dt.date(2021, 3, 5), True),
    ("05/03/2021", dt.date(2021, 3, 5), True),
    ("5/3/2021", dt.date(2021, 3, 5), True),
    ("05-03-2021", dt.date(2021, 3, 5), True),
    ("05.03.2021", dt.date(2021, 3, 5), True),
    (" 05 / 03 / 2021 ", dt.date(2021, 3, 5), True),
    ("2021-03-05", dt.date(2021, 3, 5), True),
])
def test_dates(raw, expected, changed):
    assert nz.parse_date(raw) == (expected, changed)


@pytest.mark.parametrize("raw", ["31/02/2021", "2021", "tháng 3", "03/05/21", True, 12.5, 5, -1, "", "1/13/2021"])
def test_bad_dates(raw):
    with pytest.raises(nz.Unparseable):
        nz.parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    (1500000, Decimal(1500000)),
    (1500000.0, Decimal("1500000.0")),
    ("1.500.000", Decimal(1500000)),
    ("1.500.000 đ", Decimal(1500000)),
    ("1.500.000đ", Decimal(1500000)),
    ("1.500.000 VNĐ", Decimal(1500000)),
    ("1.500.000 đồng", Decimal(1500000)),
    ("1,500,000", Decimal(1500000)),
    ("1 500 000", Decimal(1500000)),
    ("2500000", Decimal(2500000)),
    ("1.500,5", Decimal("1500.5")),
    ("-200.000", Decimal(-200000)),
])
def test_money(raw, expected):
    assert nz.parse_number(raw, money=True)[0] == expected


@pytest.mark.parametrize("raw", ["một triệu", "1.5.0", "abc", True, "12 triệu", float("nan")])
def test_bad_money(raw):
    with pytest.raises(nz.Unparseable):
        nz.parse_number(raw, money=True)


def test_currency_word_only_for_money():
    with pytest.raises(nz.Unparseable):
        nz.parse_number("100 đ")


@pytest.mark.parametrize("raw, expected", [
    ("Có", True), ("Không", False), ("có", True), ("co", True), ("CO", True), ("x", True), ("yes", True),
    ("khong", False), ("KHÔNG", False), ("no", False), (True, True), (0, False),
])
def test_yes_no(raw, expected):
    assert nz.parse_yes_no(raw)[0] is expected


@pytest.mark.parametrize("raw", ["có thể", "?", "2", "chưa rõ"])
def test_yes_no_ambiguous(raw):
    with pytest.raises(nz.Unparseable):
        nz.parse_yes_no(raw)


FIELDS = ("Sản xuất có giá trị làm lợi cao", "Tạo ra sản phẩm mới", "An toàn, vệ sinh lao động, bảo vệ môi trường")


@pytest.mark.parametrize("raw, expected, changed", [
    ("Tạo ra sản phẩm mới", "Tạo ra sản phẩm mới", False),
    ("tạo ra sản phẩm  mới ", "Tạo ra sản phẩm mới", True),
    ("TAO RA SAN PHAM MOI", "Tạo ra sản phẩm mới", True),
    ("2", "Tạo ra sản phẩm mới", True),
    ("3. An toàn, vệ sinh lao động, bảo vệ môi trường", "An toàn, vệ sinh lao động, bảo vệ môi trường", True),
])
def test_choices(raw, expected, changed):
    assert nz.parse_choice(raw, FIELDS) == (expected, changed)


@pytest.mark.parametrize("raw", ["Sản phẩm mới", "4", "2. An toàn", ""])
def test_choice_refused(raw):
    with pytest.raises(nz.Unparseable):
        nz.parse_choice(raw, FIELDS)


@pytest.mark.parametrize("raw, expected", [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("0912.345.678", "0912345678"),
    ("+84912345678", "0912345678"), (912345678, "0912345678"), (912345678.0, "0912345678"),
    ("02613 123 456", "02613123456"),
])
def test_phone(raw, expected):
    assert nz.parse_phone(raw)[0] == expected


@pytest.mark.parametrize("raw", ["12345", "09123456789012", "abc", "0912-34", True])
def test_bad_phone(raw):
    with pytest.raises(nz.Unparseable):
        nz.parse_phone(raw)


def test_text_nfc_and_spaces():
    nfd = "Sa\u0301ng kie\u0302\u0301n"
    text, changed = nz.clean_text(" " + nfd + "\u00a0\u200b mới ")
    assert text == "Sáng kiến mới" and changed
    assert nz.clean_text("Sáng kiến")[1] is False
    assert nz.clean_text("a\x07b")[0] == "ab"
    assert nz.clean_text("dòng 1\r\n\r\n  dòng   2", multiline=True)[0] == "dòng 1\ndòng 2"


def test_fold():
    assert nz.fold(" Đề  XUẤT cấp trên") == "de xuat cap tren"


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_form_round_trips(d):
    for text in (d.strftime("%d/%m/%Y"), f"{d.day}/{d.month}/{d.year}", d.strftime("%d-%m-%Y"),
                 d.strftime("%d.%m.%Y"), d.isoformat()):
        assert nz.parse_date(text)[0] == d
    serial = (d - dt.date(1899, 12, 30)).days
    assert nz.parse_date(serial)[0] == d


@given(st.integers(min_value=0, max_value=10**12))
def test_every_vietnamese_amount_round_trips(n):
    text = f"{n:,}".replace(",", ".")
    assert nz.parse_number(text + " đ", money=True)[0] == n
