"""`sangkien demo --mail`: the sample province's returns go through one generated mbox per district and
`sangkien mail` before the district step, whose dates then come from the e-mail."""

import json

from typer.testing import CliRunner

from addin.cli import app


def test_demo_runs_its_district_step_from_the_mailboxes(tmp_path, registry):
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--mail", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    mail = data["mail"]
    assert mail["messages"] == mail["files"] == data["returned"] > 600
    assert len(list((out / "thu-dien-tu").glob("*.mbox"))) == len(registry.districts)
    for d in data["districts"]:
        assert d["ledger"]["rows_read"] == d["ledger"]["rows_consolidated"] + d["ledger"]["rows_rejected"] > 0
    assert data["province"]["ledger"]["rows_read"] == sum(d["ledger"]["rows_read"] for d in data["districts"])
    code = registry.districts[0].code
    first = json.loads(CliRunner().invoke(app, [
        "district", str(out / "hop-thu-email" / code), "--district", code, "--out", str(tmp_path / "d.xlsx"),
        "--json"]).stdout)
    assert {f["time_source"] for f in first["files"]} == {"email"}
    assert any(u["resubmitted"] for u in first["units"])
