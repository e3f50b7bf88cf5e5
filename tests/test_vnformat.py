import pytest

from validators.text.vnformat import vn_number


@pytest.mark.parametrize("n, text", [
    (0, "0"), (7, "7"), (1406, "1.406"), (1500000, "1.500.000"), (-2500, "-2.500"),
    (90.3, "90,3"), (66.66666, "66,67"), (1.875, "1,88"), (100.0, "100"), (0.04, "0,04"), (1234.5, "1.234,5"),
])
def test_vn_number(n, text):
    assert vn_number(n) == text
