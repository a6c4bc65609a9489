"""`project` and `fund` (`cli/projects.py`): add and list; `edit` changes only the options given, and a refused
edit changes nothing."""

import json

import pytest

from tests.cli.helpers import FUND, PROJECT, add, data_state, run


def test_project_and_fund_forms(ws, capsys):
    code, _ = run(ws, "project", "add", "--name", "四川省慈善事业高质量发展试点工作", "--start", "2024-02-01",
                  "--end", "2025-02-28", "--budget", "90万", capsys=capsys)
    assert code == 0
    code, out = run(ws, "project", "list", "--json", capsys=capsys)
    [project] = json.loads(out.out)
    assert project["budget"] == "900000.00" and project["start"] == "2024-02-01"
    code, out = run(ws, "fund", "add", "--name", "八台爱心款", "--project", project["name"], capsys=capsys)
    assert code == 0 and "命名规范" in out.out  # explained, not blocked
    code, out = run(ws, "fund", "list", "--json", capsys=capsys)
    funds = json.loads(out.out)
    assert {f["name"] for f in funds} == {FUND, "八台爱心款"} and funds[0]["balance"] == "0.00"


@pytest.fixture
def project(ws, capsys):
    code, out = run(ws, "project", "add", "--name", PROJECT, "--start", "2024-02-01", "--end", "2025-02-28",
                    "--budget", "90万", "--goals", "试点目标", capsys=capsys)
    assert code == 0, out.err
    return PROJECT


def listed(folder, capsys, what: str) -> list[dict]:
    code, out = run(folder, what, "list", "--json", capsys=capsys)
    assert code == 0
    return json.loads(out.out)


def test_project_edit_changes_only_what_is_given(ws, project, capsys):
    code, out = run(ws, "project", "edit", project, "--status", "已完成", "--completion", "阵地建成两处",
                    "--budget", "95万", capsys=capsys)
    assert code == 0, out.err
    assert "已修改项目" in out.out and "已完成" in out.out
    [p] = listed(ws, capsys, "project")
    assert (p["name"], p["start"], p["end"], p["budget"], p["status"]) == (
        PROJECT, "2024-02-01", "2025-02-28", "950000.00", "已完成")
    code, out = run(ws, "project", "edit", p["id"], "--name", "试点工作（一期）", "--end", "2025-06-30", capsys=capsys)
    assert code == 0, out.err
    [p] = listed(ws, capsys, "project")
    assert (p["name"], p["end"], p["budget"], p["status"]) == ("试点工作（一期）", "2025-06-30", "950000.00", "已完成")


@pytest.mark.parametrize(("argv", "message"), [
    (["--end", "2024-01-01"], "早于开始日期"),
    (["--start", "2024-02-30"], "不存在"),
    (["--budget", "abc"], "金额"),
    (["--name", "其他项目"], "已经存在"),
    (["--end", "2024-03-31"], "最早 2024-03-01，最晚 2024-05-01"),
])
def test_bad_project_edits_fail_and_change_nothing(ws, project, capsys, argv, message):
    assert run(ws, "project", "add", "--name", "其他项目", "--start", "2024-01-01", "--end", "2024-12-31",
               "--budget", "0", capsys=capsys)[0] == 0
    assert run(ws, "fund", "edit", FUND, "--project", project, capsys=capsys)[0] == 0
    add(ws, capsys, "--post", day="2024-03-01")
    add(ws, capsys, "--post", day="2024-05-01")
    before = data_state(ws)
    code, out = run(ws, "project", "edit", project, *argv, capsys=capsys)
    assert code == 1 and out.err.startswith("错误：") and message in out.err
    assert data_state(ws) == before


def test_project_edit_of_an_unknown_project(ws, capsys):
    before = data_state(ws)
    code, out = run(ws, "project", "edit", "没有的项目", "--status", "已完成", capsys=capsys)
    assert code == 1 and "找不到项目" in out.err and "project list" in out.err
    assert data_state(ws) == before


def test_project_edit_rejects_an_unknown_status(ws, project, capsys):
    before = data_state(ws)
    with pytest.raises(SystemExit) as exited:
        run(ws, "project", "edit", project, "--status", "完成")
    assert exited.value.code == 2 and "无效的选项" in capsys.readouterr().err
    assert data_state(ws) == before


def test_fund_edit_renames_a_fund_with_posted_entries(ws, project, capsys):
    add(ws, capsys, "--post", day="2024-03-01")
    code, out = run(ws, "fund", "edit", FUND, "--name", "八台爱心款", "--project", project, "--purpose", "阵地建设",
                    "--agreement-no", "万慈协〔2024〕09号", "--agreement-date", "2024-04-02", "--status", "已终止",
                    capsys=capsys)
    assert code == 0, out.err
    assert "已修改社区基金“八台爱心款”（已终止）" in out.out and "命名规范" in out.out  # explained, not blocked
    [f] = listed(ws, capsys, "fund")
    assert (f["name"], f["project"], f["balance"]) == ("八台爱心款", project, "1000.00")
    code, out = run(ws, "entry", "list", "--fund", "八台爱心款", capsys=capsys)
    assert code == 0 and "共 1 条" in out.out
    code, out = run(ws, "verify", capsys=capsys)
    assert code == 0 and "数据完好" in out.out
    # an empty --project detaches the fund, an empty --agreement-date clears the date; the rest stays
    code, out = run(ws, "fund", "edit", "八台爱心款", "--project", "", "--agreement-date", "", capsys=capsys)
    assert code == 0, out.err
    [f] = listed(ws, capsys, "fund")
    assert not f["project"] and f["name"] == "八台爱心款"


@pytest.mark.parametrize(("argv", "message"), [
    (["--name", "万源市慈善会立信社区爱青花基金"], "已经存在"),
    (["--name", "  "], "请填写社区基金名称"),
    (["--project", "没有的项目"], "找不到项目"),
    (["--agreement-date", "2024-13-01"], "不存在"),
])
def test_bad_fund_edits_fail_and_change_nothing(ws, capsys, argv, message):
    assert run(ws, "fund", "add", "--name", "万源市慈善会立信社区爱青花基金", capsys=capsys)[0] == 0
    before = data_state(ws)
    code, out = run(ws, "fund", "edit", FUND, *argv, capsys=capsys)
    assert code == 1 and out.err.startswith("错误：") and message in out.err
    assert data_state(ws) == before
