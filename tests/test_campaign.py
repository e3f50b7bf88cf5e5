"""The campaign config: the shipped 2021 campaign carries every number of the plan, and another file works."""

from datetime import date
from pathlib import Path

import pytest

from validators.campaign import CampaignError, builtin_campaign_ids, load_campaign

OTHER = Path(__file__).parent / "data" / "campaign-other.toml"


def test_default_campaign_has_the_plans_numbers():
    c = load_campaign()
    assert c.id == "tld-75-nghin-2021"
    assert c.fields == (
        "Sản xuất có giá trị làm lợi cao",
        "Tạo ra sản phẩm mới",
        "An toàn, vệ sinh lao động, bảo vệ môi trường",
        "Cải cách hành chính, xây dựng Đảng và hệ thống chính trị, quản lý, điều hành",
        "Vì cộng đồng trong các lĩnh vực y tế, giáo dục",
    )
    assert c.blocs == ("Doanh nghiệp", "Hành chính sự nghiệp")
    assert c.rules.description_max_chars == 1000
    assert (c.rules.application_start, c.rules.application_end) == (date(2021, 2, 1), date(2021, 5, 31))
    assert (c.deadlines.entry_peak_start, c.deadlines.entry_close) == (date(2021, 3, 10), date(2021, 4, 20))
    assert c.deadlines.district_dossier_before == date(2021, 4, 10)
    assert c.rules.district_nomination_max == 2
    assert c.target("initiatives").target == 750
    keys = {t.key for t in c.targets}
    assert {"initiatives", "cdcs_with_initiative_pct", "propagated_pct", "specific_movement_pct",
            "signed_plan_pct", "plan_goals_pct", "plan_rewards_pct", "entered_tld_pct"} <= keys
    assert all(c.target(k).target == 100 for k in keys if k.endswith("_pct"))


def test_another_campaign_file_loads():
    c = load_campaign(OTHER)
    assert c.id == "thu-nghiem-2024"
    assert c.rules.description_max_chars == 300
    assert c.fields == ("Chuyển đổi số", "Tiết kiệm năng lượng", "Khác")
    assert c.author_birth_year_range == (1959, 2006)


def test_builtin_ids_and_unknown_id():
    assert "tld-75-nghin-2021" in builtin_campaign_ids()
    with pytest.raises(CampaignError, match="Không có đợt thi đua"):
        load_campaign("khong-co")


def test_broken_campaign_file_is_a_readable_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(OTHER.read_text(encoding="utf-8").replace("2024-09-30", "2024-01-01"), encoding="utf-8")
    with pytest.raises(CampaignError, match="không hợp lệ"):
        load_campaign(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("id = [", encoding="utf-8")
    with pytest.raises(CampaignError, match="Không đọc được"):
        load_campaign(broken)
