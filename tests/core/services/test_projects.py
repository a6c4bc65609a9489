"""Editing projects and funds: one transaction, tombstoned children, journal rows, refusals change nothing."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    BudgetLine,
    ChangeJournal,
    CommitteeMember,
    Fund,
    Project,
    ProjectLeader,
    Site,
)
from desktop_app.core.services import ledger, projects
from desktop_app.core.services import verify as integrity
from tests.helpers import FUND_NAME, make_entry

D = Decimal
PROJECT = "四川省慈善事业高质量发展试点工作"


def project_data(**changes) -> projects.ProjectInput:
    data = projects.ProjectInput(
        name=PROJECT, start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=D("900000"), goals="试点目标",
        leaders=[projects.LeaderInput("蒲栋", "万源市慈善会秘书长", "13551281592"),
                 projects.LeaderInput("黄国春", "八台社区社会组织联合会", "15583376966")],
        sites=[projects.SiteInput("青花镇立信社区", "511781103001"), projects.SiteInput("八台镇天池村", "511781107201")],
        budget_lines={"阵地建设": D("400000"), "培训": D("80000")})
    return replace(data, **changes)


@pytest.fixture
def project(workspace):
    return projects.add_project(workspace, project_data())


def load(ws, project_id) -> tuple[Project, projects.ProjectInput]:
    with ws.reading() as s:
        p = s.get(Project, project_id)
        return p, projects.project_input(s, p)


def rows(ws, model, **where):
    with ws.reading() as s:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return list(s.exec(query))


def journal(ws, after: int = 0) -> list[ChangeJournal]:
    with ws.reading() as s:
        return list(s.exec(select(ChangeJournal).where(ChangeJournal.seq > after).order_by(ChangeJournal.seq)))


def last_seq(ws) -> int:
    entries = journal(ws)
    return entries[-1].seq if entries else 0


def snapshot(ws) -> list:
    """Every synced row and the journal length: equal snapshots mean nothing changed."""
    with ws.reading() as s:
        out = [len(journal(ws))]
        for model in (Project, ProjectLeader, Site, BudgetLine, Fund, CommitteeMember):
            out.append(sorted(repr(r.model_dump()) for r in s.exec(select(model))))
    return out


def post(ws, day: date, fund=None, amount="1000"):
    entry = make_entry(ws, day=day, amount=amount)
    if fund is not None:
        entry.fund_id = fund.id
    return ledger.add_entry(ws, entry, post=True)


# ------------------------------------------------------------------------------- projects


def test_project_input_round_trips_everything(workspace, project):
    _, data = load(workspace, project.id)
    assert data == project_data()


def test_update_project_replaces_fields_and_children_in_place(workspace, project):
    before = last_seq(workspace)
    old_leaders = {x.name: x for x in rows(workspace, ProjectLeader, project_id=project.id)}
    data = project_data(
        name="四川省慈善事业高质量发展试点工作（一期）", goals="新的目标", completion="阵地建成两处",
        end_date=date(2025, 6, 30), budget=D("950000"),
        leaders=[projects.LeaderInput("黄国春", "八台社区社会组织联合会", "0818-8621234")],  # 蒲栋 leaves
        sites=[projects.SiteInput("八台镇天池村", "５１１７８１１０７２０１")],  # full-width digits normalised
        budget_lines={"阵地建设": D("450000"), "宣传": D("90000")})
    updated = projects.update_project(workspace, project.id, data, status="已完成")
    assert updated.status == "已完成" and updated.version == 2

    p, loaded = load(workspace, project.id)
    assert (p.name, p.goals, p.completion, p.end_date, p.budget_fen, p.status) == (
        data.name, "新的目标", "阵地建成两处", date(2025, 6, 30), 95_000_000, "已完成")
    assert loaded.leaders == data.leaders and loaded.budget_lines == data.budget_lines
    assert loaded.sites == [projects.SiteInput("八台镇天池村", "511781107201")]

    # the leader who stayed is the same record, updated; the one who left is tombstoned, not deleted
    leaders = {x.name: x for x in rows(workspace, ProjectLeader, project_id=project.id)}
    assert leaders["黄国春"].id == old_leaders["黄国春"].id and leaders["黄国春"].phone == "0818-8621234"
    assert leaders["黄国春"].position == 0 and leaders["黄国春"].version == 2
    assert leaders["蒲栋"].deleted and leaders["蒲栋"].version == 2
    assert [x.name for x in rows(workspace, Site, project_id=project.id, deleted=True)] == ["青花镇立信社区"]
    lines = {x.category: x for x in rows(workspace, BudgetLine, project_id=project.id)}
    assert lines["培训"].deleted and not lines["宣传"].deleted and lines["阵地建设"].amount_fen == 45_000_000

    ops = {(j.table_name, j.op) for j in journal(workspace, before)}
    assert ops == {("project", "update"), ("projectleader", "update"), ("projectleader", "delete"),
                   ("site", "update"), ("site", "delete"), ("budgetline", "update"), ("budgetline", "delete"),
                   ("budgetline", "insert")}
    project_row = [j for j in journal(workspace, before) if j.table_name == "project"][0]
    assert project_row.version == 2 and json.loads(project_row.payload)["status"] == "已完成"


def test_an_unchanged_project_gets_no_new_version(workspace, project):
    before = last_seq(workspace)
    _, data = load(workspace, project.id)
    projects.update_project(workspace, project.id, data)
    assert journal(workspace, before) == []
    assert load(workspace, project.id)[0].version == 1


def test_status_none_keeps_the_status(workspace, project):
    projects.update_project(workspace, project.id, project_data(), status="已终止")
    projects.update_project(workspace, project.id, project_data(goals="改目标"))
    assert load(workspace, project.id)[0].status == "已终止"


@pytest.mark.parametrize(("changes", "status", "message"), [
    ({"name": "  "}, None, "请填写项目名称"),
    ({"end_date": date(2024, 1, 1)}, None, "早于开始日期"),
    ({"budget": D("100000")}, None, "超过了项目总预算"),
    ({"sites": [projects.SiteInput("天池村", "5117")]}, None, "12 位数字"),
    ({"leaders": [projects.LeaderInput("", "秘书长")]}, None, "缺少姓名"),
    ({"budget_lines": {"培训": D("-1")}}, None, "不能是负数"),
    ({}, "完成", "进行中、已完成、已终止"),
])
def test_bad_project_edits_are_refused_and_change_nothing(workspace, project, changes, status, message):
    before = snapshot(workspace)
    with pytest.raises(UserError, match=message):
        projects.update_project(workspace, project.id, project_data(**changes), status=status)
    assert snapshot(workspace) == before


def test_project_names_stay_unique_among_live_projects(workspace, project):
    other = projects.add_project(workspace, project_data(name="另一个项目", leaders=[], sites=[], budget_lines={}))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已经存在.*换一个名称"):
        projects.update_project(workspace, other.id, project_data(name=f" {PROJECT} "))
    assert snapshot(workspace) == before
    # keeping its own name is no clash
    projects.update_project(workspace, project.id, project_data(goals="只改目标"))


def test_period_must_cover_the_posted_entries_of_the_projects_funds(workspace, project):
    fund = workspace.fund
    projects.update_fund(workspace, fund.id, projects.FundInput(name=FUND_NAME, project_id=project.id))
    post(workspace, date(2024, 3, 15))
    post(workspace, date(2024, 12, 27), amount="500")
    ledger.add_draft(workspace, make_entry(workspace, day=date(2025, 2, 20)))  # drafts do not count
    before = snapshot(workspace)
    for start, end in ((date(2024, 4, 1), date(2025, 2, 28)), (date(2024, 2, 1), date(2024, 12, 1))):
        with pytest.raises(UserError) as caught:
            projects.update_project(workspace, project.id, project_data(start_date=start, end_date=end))
        assert "最早 2024-03-15" in str(caught.value) and "最晚 2024-12-27" in str(caught.value)
        assert "请把开始日期设在 2024-03-15 或之前" in str(caught.value)
        assert snapshot(workspace) == before
    # exactly covering is fine
    projects.update_project(workspace, project.id, project_data(start_date=date(2024, 3, 15),
                                                                end_date=date(2024, 12, 27)))


def test_editing_a_missing_project_is_refused(workspace):
    with pytest.raises(UserError, match="找不到要修改的项目"):
        projects.update_project(workspace, "no-such-id", project_data())


def test_only_the_owning_office_edits(workspace, project):
    with workspace.sync_import_transaction() as s:
        s.get(Project, project.id).office_id = "county-office"
    before = snapshot(workspace)
    with pytest.raises(UserError, match="只有登记它的单位可以修改"):
        projects.update_project(workspace, project.id, project_data(goals="县里改的"))
    assert snapshot(workspace) == before


# ------------------------------------------------------------------------------- funds


def fund_data(ws, **changes) -> projects.FundInput:
    with ws.reading() as s:
        return replace(projects.fund_input(s, s.get(Fund, ws.fund.id)), **changes)


def test_update_fund_renames_and_keeps_the_chain(workspace, project):
    fund = workspace.fund
    projects.update_fund(workspace, fund.id, fund_data(workspace, committee=[
        ("李春燕", "主任", False), ("蒲栋", "委员", False), ("王丽", "监督员", True)]))
    post(workspace, date(2024, 3, 15))
    post(workspace, date(2024, 4, 15), amount="200")
    with workspace.reading() as s:
        chain_before = (s.get(Fund, fund.id).chain_length, s.get(Fund, fund.id).chain_head)
    old_members = {m.name: m for m in rows(workspace, CommitteeMember, fund_id=fund.id)}
    before = last_seq(workspace)

    updated, check = projects.update_fund(workspace, fund.id, fund_data(
        workspace, name="万源市慈善会八台镇尚善社区基金（更名）", project_id=project.id, agreement_no="万慈协〔2024〕09号",
        agreement_date=date(2024, 4, 2), purpose="慈善阵地建设",
        committee=[("李春燕", "主任（社区党委书记）", False), ("王丽", "监督员", True), ("刘德贵", "委员", False)]),
        status="筹备中")
    assert check.ok is False and "命名规范" in check.explanation  # explained, not blocked
    with workspace.reading() as s:
        f = s.get(Fund, fund.id)
        assert (f.name, f.project_id, f.agreement_no, f.agreement_date, f.purpose, f.status) == (
            updated.name, project.id, "万慈协〔2024〕09号", date(2024, 4, 2), "慈善阵地建设", "筹备中")
        assert (f.chain_length, f.chain_head) == chain_before
    members = {m.name: m for m in rows(workspace, CommitteeMember, fund_id=fund.id)}
    assert members["李春燕"].id == old_members["李春燕"].id and members["李春燕"].role == "主任（社区党委书记）"
    assert members["蒲栋"].deleted and not members["刘德贵"].deleted
    assert members["王丽"].version == 1  # unchanged: untouched
    ops = sorted((j.table_name, j.op) for j in journal(workspace, before))
    assert ops == [("committeemember", "delete"), ("committeemember", "insert"), ("committeemember", "update"),
                   ("fund", "update")]
    assert integrity.verify_workspace(workspace).ok  # entries refer to the fund by id


def test_fund_names_stay_unique(workspace):
    other, _ = projects.add_fund(workspace, projects.FundInput(name="万源市慈善会立信社区爱青花基金"))
    before = snapshot(workspace)
    with pytest.raises(UserError, match="已经存在.*换一个名称"):
        projects.update_fund(workspace, other.id, projects.FundInput(name=FUND_NAME))
    assert snapshot(workspace) == before


@pytest.mark.parametrize(("changes", "status", "message"), [
    ({"name": ""}, None, "请填写社区基金名称"),
    ({"project_id": "no-such-project"}, None, "所选项目不存在"),
    ({"committee": [("", "委员", False)]}, None, "缺少姓名"),
    ({}, "运行", "筹备中、运行中、已终止"),
])
def test_bad_fund_edits_are_refused_and_change_nothing(workspace, changes, status, message):
    before = snapshot(workspace)
    with pytest.raises(UserError, match=message):
        projects.update_fund(workspace, workspace.fund.id, fund_data(workspace, **changes), status=status)
    assert snapshot(workspace) == before


def test_a_fund_moves_only_into_a_project_whose_period_covers_its_entries(workspace, project):
    post(workspace, date(2024, 1, 10))  # before the project starts
    before = snapshot(workspace)
    with pytest.raises(UserError, match="超出了项目.*周期"):
        projects.update_fund(workspace, workspace.fund.id, fund_data(workspace, project_id=project.id))
    assert snapshot(workspace) == before


def test_unchanged_fund_gets_no_journal_row(workspace):
    before = last_seq(workspace)
    projects.update_fund(workspace, workspace.fund.id, fund_data(workspace))
    assert journal(workspace, before) == []
