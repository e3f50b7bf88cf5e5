"""`sangkien demo` runs the whole chain on the sample province and everything it reports adds up."""

import json

from typer.testing import CliRunner

from addin.cli import app


def test_demo_runs_every_district_and_exports_dossiers(tmp_path, registry):
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["templates"] == len(registry.cdcs) + 1
    assert [d["district"] for d in data["districts"]] == [d.code for d in registry.districts]
    total_read = 0
    for d in data["districts"]:
        ledger = d["ledger"]
        assert ledger["rows_read"] == ledger["rows_consolidated"] + ledger["rows_rejected"]
        assert ledger["rows_consolidated"] > 0
        assert 0 < d["selected"] <= 2
        assert {p.rsplit(".", 1)[1] for p in d["dossier"]} >= {"xlsx", "docx"}
        total_read += ledger["rows_read"]
    assert total_read > len(registry.cdcs)
    # The province sees every district's rows, balanced, and refuses the late district's nominations.
    province = data["province"]
    assert province["ledger"]["rows_read"] == total_read
    assert province["ledger"]["rows_read"] == (province["ledger"]["rows_consolidated"]
                                               + province["ledger"]["rows_rejected"])
    assert province["missing"] == [] and province["rejected"] >= 1 and province["accepted"] >= 10
    assert {i["key"] for i in province["indicators"]} >= {
        "initiatives", "cdcs_with_initiative_pct", "propagated_pct", "specific_movement_pct", "signed_plan_pct",
        "plan_goals_pct", "plan_rewards_pct", "entered_tld_pct"}
    # The mailbox accidents are seen: a resubmission in the first district, a stray file in the third.
    first = json.loads(CliRunner().invoke(app, [
        "district", str(out / "hop-thu" / registry.districts[0].code), "--district", registry.districts[0].code,
        "--out", str(tmp_path / "d0.xlsx"), "--json"]).stdout)
    assert any(u["resubmitted"] for u in first["units"])
    third = json.loads(CliRunner().invoke(app, [
        "district", str(out / "hop-thu" / registry.districts[2].code), "--district", registry.districts[2].code,
        "--out", str(tmp_path / "d2.xlsx"), "--json"]).stdout)
    assert any(u["status"] == "foreign" for u in third["units"])
