"""A township's published notice travels with its PDF; at the county it verifies by its code and `verify`
finds its archived file (kept by its hash: townships number their notices alike)."""

import json
from pathlib import Path

from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import projects
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import PROJECT, YEAR_2024, ok, run


def js(folder, capsys, *argv):
    return json.loads(ok(folder, capsys, *argv, "--json"))


def test_a_published_notice_arrives_and_verifies_at_the_county(pilot, capsys, tmp_path):
    town, _expense, _other = pilot
    with Workspace.open(town, auto_backup=False) as ws:
        with ws.reading() as s:
            project = project_queries.resolve_project(s, PROJECT)
            data = projects.project_input(s, project)
        data.leaders = [projects.LeaderInput("黄国春", "社工站站长", "0818-8620000")]
        projects.update_project(ws, project.id, data)
    exported = js(town, capsys, "notice", "export", "--project", PROJECT, *YEAR_2024, "--out", tmp_path / "公示.pdf")
    ok(town, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    county = tmp_path / "县"
    ok(county, capsys, "init", "--office", "万源市慈善会", "--division-code", "511781000000", "--association",
       "万源市慈善会", "--level", "县级慈善会")
    # the county has a notice of its own under the same number
    out = tmp_path / "U盘"
    out.mkdir()
    made = Path(js(town, capsys, "sync", "export", "--out", out)["path"])
    fingerprint = js(town, capsys, "sync", "key")["fingerprint"]
    ok(county, capsys, "sync", "enrol", made, "--fingerprint", fingerprint)
    result = js(county, capsys, "sync", "import", made)["packages"][0]
    assert result["status"] == "applied", result
    code, res = run(county, "verify", capsys=capsys)
    assert code == 0, res.err + res.out
    code, res = run(county, "notice", "verify", exported["code"], capsys=capsys)
    assert code == 0, res.err
