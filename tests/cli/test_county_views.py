"""County mode on the command line: the lists and reports show every office's records with their office,
`--office` filters, and nothing a township owns can be changed at the county (refused in Chinese, nothing
written)."""

import json
import shutil

import pytest

from desktop_app.core.demo.county import COUNTY, COUNTY_FUND, TOWNSHIPS, build_county_demo
from desktop_app.core.services import activities
from desktop_app.core.storage.journal import NotOwner
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import data_state, ok, run

BATAI, QINGHUA = TOWNSHIPS[0][0], TOWNSHIPS[1][0]
BATAI_FUND, BATAI_PROJECT = TOWNSHIPS[0][3], TOWNSHIPS[0][2]


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory):
    return build_county_demo(tmp_path_factory.mktemp("county-cli") / "county")


@pytest.fixture
def county(county_dir, tmp_path):
    folder = tmp_path / "county"
    shutil.copytree(county_dir, folder)
    return folder


def _json(folder, capsys, *argv):
    return json.loads(ok(folder, capsys, *argv, "--json"))


def test_fund_list_shows_every_office_and_filters(county_dir, capsys):
    funds = _json(county_dir, capsys, "fund", "list")
    assert {(f["office"], f["name"]) for f in funds} == {(COUNTY, COUNTY_FUND), (BATAI, BATAI_FUND),
                                                         (QINGHUA, TOWNSHIPS[1][3])}
    only = _json(county_dir, capsys, "fund", "list", "--office", QINGHUA)
    assert [f["office"] for f in only] == [QINGHUA]
    text = ok(county_dir, capsys, "fund", "list")
    assert BATAI in text and QINGHUA in text and COUNTY in text


def test_entry_list_shows_every_office_and_filters(county_dir, capsys):
    entries = _json(county_dir, capsys, "entry", "list")
    assert {e["office"] for e in entries} == {COUNTY, BATAI, QINGHUA}
    batai = _json(county_dir, capsys, "entry", "list", "--office", BATAI)
    assert batai and {e["office"] for e in batai} == {BATAI}
    assert {e["fund"] for e in batai} == {BATAI_FUND}
    assert len(batai) == 3  # allocation, expense, draft
    text = ok(county_dir, capsys, "entry", "list", "--office", QINGHUA)
    assert QINGHUA in text and BATAI not in text


def test_activity_list_shows_every_office_and_filters(county_dir, capsys):
    rows = _json(county_dir, capsys, "activity", "list")
    assert {r["office"] for r in rows} == {BATAI, QINGHUA}
    only = _json(county_dir, capsys, "activity", "list", "--office", QINGHUA)
    assert [r["office"] for r in only] == [QINGHUA]
    text = ok(county_dir, capsys, "activity", "list")
    assert text.splitlines()[0].startswith("单位")


def test_reports_show_each_office(county_dir, capsys):
    balances = _json(county_dir, capsys, "report", "balances")
    assert {(r["office"], r["balance"]) for r in balances} == {(COUNTY, "20000.00"), (BATAI, "8749.50"),
                                                                (QINGHUA, "7080.00")}
    categories = _json(county_dir, capsys, "report", "categories")
    spent = {r["office"]: r["amount"] for r in categories if r["flow"] == "out"}
    assert spent == {BATAI: "1250.50", QINGHUA: "920.00"}  # summed per office, never mixed
    months = _json(county_dir, capsys, "report", "months", "--office", BATAI)
    assert months == [{"office": BATAI, "month": "2024-03", "income": "10000.00", "expense": "1250.50"}]
    donors = _json(county_dir, capsys, "report", "donors")
    assert {r["office"] for r in donors} == {COUNTY}
    budget = _json(county_dir, capsys, "report", "budget", "--project", BATAI_PROJECT)
    assert {r["office"] for r in budget} == {BATAI}
    assert ok(county_dir, capsys, "report", "balances").splitlines()[0].startswith("单位\t基金")


def test_unknown_office_lists_the_known_ones(county_dir, capsys):
    code, out = run(county_dir, "entry", "list", "--office", "八台镇", capsys=capsys)
    assert code == 1
    assert "找不到单位“八台镇”" in out.err and BATAI in out.err and QINGHUA in out.err and COUNTY in out.err


def test_a_township_workspace_shows_no_office(tmp_path, capsys):
    from desktop_app.core.demo.county import build_township

    build_township(tmp_path / "t", *TOWNSHIPS[0]).close(backup=False)
    funds = _json(tmp_path / "t", capsys, "fund", "list")
    assert funds and "office" not in funds[0]
    assert "office" not in _json(tmp_path / "t", capsys, "entry", "list")[0]
    assert not ok(tmp_path / "t", capsys, "activity", "list").startswith("单位")
    assert "office" not in _json(tmp_path / "t", capsys, "report", "balances")[0]


def _refused(folder, capsys, *argv) -> str:
    before = data_state(folder)
    code, out = run(folder, *argv, capsys=capsys)
    assert code == 1, out
    assert "只有登记它的单位可以修改" in out.err and "数据同步" in out.err
    assert data_state(folder) == before
    return out.err


def _entry_id(folder, capsys, office, status):
    return next(e["id"] for e in _json(folder, capsys, "entry", "list", "--office", office) if e["status"] == status)


def test_entry_add_into_a_township_fund_is_refused(county, capsys, tmp_path):
    scan = tmp_path / "发票.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice")
    stored = sorted(p.name for p in (county / "attachments").rglob("*")) if (county / "attachments").exists() else []
    err = _refused(county, capsys, "entry", "add", "--fund", BATAI_FUND, "--date", "2024-05-01", "--type", "expense",
                   "--amount", "10", "--category", "活动开展", "--summary", "县里代记", "--attach", scan, "--post")
    assert BATAI in err and BATAI_FUND in err
    after = sorted(p.name for p in (county / "attachments").rglob("*")) if (county / "attachments").exists() else []
    assert after == stored  # the scan was not kept either
    # the county's own fund takes entries
    ok(county, capsys, "entry", "add", "--fund", COUNTY_FUND, "--date", "2024-05-01", "--type", "donation",
       "--amount", "10", "--category", "企业捐赠", "--summary", "县里自己的捐赠")


def test_fund_edit_of_a_township_fund_is_refused(county, capsys):
    err = _refused(county, capsys, "fund", "edit", BATAI_FUND, "--purpose", "县里改的用途")
    assert BATAI in err
    _refused(county, capsys, "fund", "close-month", "--fund", BATAI_FUND, "--month", "2024-03")


def test_entry_post_and_reverse_of_a_township_entry_are_refused(county, capsys):
    draft = _entry_id(county, capsys, QINGHUA, "draft")
    posted = _entry_id(county, capsys, QINGHUA, "posted")
    assert QINGHUA in _refused(county, capsys, "entry", "post", draft)
    assert QINGHUA in _refused(county, capsys, "entry", "reverse", posted, "--reason", "县里冲销")
    _refused(county, capsys, "entry", "delete", draft)


def test_activity_changes_at_the_county_are_refused(county, capsys):
    err = _refused(county, capsys, "activity", "add", "--project", BATAI_PROJECT, "--type", "培训", "--title",
                   "县里代登记", "--date", "2024-05-01", "--photo", county / "没有这张照片.jpg")
    assert BATAI in err and "照片" not in err  # refused before any photo is read
    activity_id = _json(county, capsys, "activity", "list", "--office", BATAI)[0]["id"]
    before = data_state(county)
    with Workspace.open(county, auto_backup=False) as ws:
        with ws.reading() as s:
            data = activities.activity_input(s, activity_id)
        data.title = "县里改的名称"
        with pytest.raises(NotOwner, match="只有登记它的单位可以修改"):
            activities.update_activity(ws, activity_id, data)
        with pytest.raises(NotOwner):
            activities.delete_activity(ws, activity_id)
    assert data_state(county) == before
