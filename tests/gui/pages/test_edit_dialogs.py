"""修改项目… and 修改基金…: the add dialogs, filled with the record, saving through the runner."""

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate
from sqlmodel import select

from desktop_app.core.models import CommitteeMember, Fund, Project, ProjectLeader
from desktop_app.core.services import ledger, projects
from tests.gui.conftest import close_discarding, wait_idle
from tests.helpers import FUND_NAME, make_entry

PROJECT = "四川省慈善事业高质量发展试点工作"


def make_project(ws) -> Project:
    project = projects.add_project(ws, projects.ProjectInput(
        name=PROJECT, start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=Decimal("900000"),
        goals="试点目标", leaders=[projects.LeaderInput("蒲栋", "万源市慈善会秘书长", "13551281592"),
                               projects.LeaderInput("黄国春", "八台社区社会组织联合会", "15583376966")],
        sites=[projects.SiteInput("八台镇天池村", "511781107201")],
        budget_lines={"阵地建设": Decimal("400000"), "培训": Decimal("80000")}))
    projects.update_fund(ws, ws.fund.id, projects.FundInput(
        name=FUND_NAME, project_id=project.id, agreement_no="万慈协〔2024〕09号", agreement_date=date(2024, 4, 2),
        purpose="慈善阵地建设", committee=[("黄国春", "主任", False), ("赵秀英", "监督员", True)]))
    return project


def open_page(qtbot, window, page):
    window.go_to(page)
    wait_idle(qtbot, window.ctx.runner)
    return page


def test_edit_buttons_need_a_selected_record(qtbot, window):
    assert not open_page(qtbot, window, window.projects).edit_button.isEnabled()
    assert window.projects.edit_project() is None
    assert open_page(qtbot, window, window.funds).edit_button.isEnabled()  # the workspace has one fund


def test_project_dialog_is_filled_and_saves_the_edit(qtbot, window):
    ws = window.ctx.ws
    project = make_project(ws)
    page = open_page(qtbot, window, window.projects)
    assert page.edit_button.isEnabled()
    dialog = page.edit_project()
    wait_idle(qtbot, window.ctx.runner)
    assert dialog.windowTitle() == "修改试点项目" and dialog.save_button.isEnabled()
    assert dialog.name.text() == PROJECT and dialog.budget.text() == "900,000.00"
    assert dialog.start.date() == QDate(2024, 2, 1) and dialog.end.date() == QDate(2025, 2, 28)
    assert dialog.status.isVisible() and dialog.status.currentText() == "进行中"
    assert dialog.leaders.toPlainText() == ("蒲栋，万源市慈善会秘书长，13551281592\n"
                                            "黄国春，八台社区社会组织联合会，15583376966")
    assert dialog.sites.toPlainText() == "八台镇天池村，511781107201"
    assert dialog.budget_lines.toPlainText() == "阵地建设，400,000.00\n培训，80,000.00"

    dialog.name.setText("四川省慈善事业高质量发展试点工作（一期）")
    dialog.status.setCurrentText("已完成")
    dialog.completion.setPlainText("阵地建成两处")
    dialog.leaders.setPlainText("黄国春，八台社区社会组织联合会，0818-8621234")
    dialog.budget_lines.setPlainText("阵地建设，45万\n宣传：90,000")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()

    assert page.list_model.index(0, 0).data() == "四川省慈善事业高质量发展试点工作（一期）"
    assert "状态：已完成" in page.info.text() and "阵地建成两处" in page.info.text()
    assert page.leaders_model.rowCount() == 1 and page.leaders_model.index(0, 2).data() == "0818-8621234"
    assert {page.budget_model.index(r, 0).data() for r in range(page.budget_model.rowCount())} == {
        "阵地建设", "宣传", "合计"}
    with ws.reading() as s:
        gone = s.exec(select(ProjectLeader).where(ProjectLeader.name == "蒲栋")).one()
        assert gone.deleted and s.get(Project, project.id).status == "已完成"
    # the 社区基金 page shows the new project name too (it refreshed from the change notice)
    funds = open_page(qtbot, window, window.funds)
    assert funds.model.index(0, 1).data() == "四川省慈善事业高质量发展试点工作（一期）"


def test_a_refused_project_edit_keeps_the_dialog_open_and_changes_nothing(qtbot, window):
    ws = window.ctx.ws
    make_project(ws)
    ledger.add_entry(ws, make_entry(ws, day=date(2024, 12, 27)), post=True)
    page = open_page(qtbot, window, window.projects)
    dialog = page.edit_project()
    wait_idle(qtbot, window.ctx.runner)
    dialog.end.setDate(QDate(2024, 12, 1))
    dialog.status.setCurrentText("已终止")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert dialog.isVisible() and "最晚 2024-12-27" in dialog.message.text()

    dialog.budget_lines.setPlainText("阵地建设，40万\n阵地建设，1万")
    dialog.save()
    assert "出现了两次" in dialog.message.text()
    dialog.budget_lines.setPlainText("阵地建设 四十万")
    dialog.save()
    assert "第 1 行（阵地建设）" in dialog.message.text()
    close_discarding(dialog)
    with ws.reading() as s:
        p = s.exec(select(Project)).one()
        assert (p.end_date, p.status, p.version) == (date(2025, 2, 28), "进行中", 1)


def test_add_project_dialog_hides_the_status_and_takes_budget_lines(qtbot, window):
    page = open_page(qtbot, window, window.projects)
    dialog = page.add_project()
    assert dialog.windowTitle() == "新增试点项目" and not dialog.status.isVisible()
    dialog.name.setText("八台镇慈善助力文旅融合试点")
    dialog.budget.setText("30万")
    dialog.budget_lines.setPlainText("培训，5万")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()
    assert page.budget_model.index(0, 0).data() == "培训" and page.budget_model.index(0, 1).data() == "¥50,000.00"


def test_fund_dialog_is_filled_and_saves_the_edit(qtbot, window, messages):
    ws = window.ctx.ws
    make_project(ws)
    ledger.add_entry(ws, make_entry(ws), post=True)
    page = open_page(qtbot, window, window.funds)
    dialog = page.edit_fund()
    wait_idle(qtbot, window.ctx.runner)
    assert dialog.windowTitle() == "修改社区基金" and dialog.save_button.isEnabled()
    assert dialog.name.text() == FUND_NAME and "符合" in dialog.name_check.text()
    assert dialog.project.currentText() == PROJECT
    assert dialog.status.isVisible() and dialog.status.currentText() == "运行中"
    assert dialog.agreement_no.text() == "万慈协〔2024〕09号"
    assert dialog.has_agreement_date.isChecked() and dialog.agreement_date.date() == QDate(2024, 4, 2)
    assert dialog.purpose.toPlainText() == "慈善阵地建设"
    assert dialog.committee.toPlainText() == "黄国春，主任\n赵秀英，监督员"

    dialog.name.setText("八台爱心款")
    assert "与命名规范不完全一致" in dialog.name_check.text()  # the live hint
    dialog.project.setCurrentIndex(0)
    dialog.status.setCurrentText("已终止")
    dialog.committee.setPlainText("黄国春，主任\n陈德明，委员")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible()
    assert "社区基金“八台爱心款”已修改。" in messages[-1] and "命名规范" in messages[-1]

    assert page.model.index(0, 0).data() == "八台爱心款" and page.model.index(0, 1).data() == "—"
    assert "状态：已终止" in page.info.text() and page.model.index(0, 2).data() == "¥1,000.00"
    assert [page.committee_model.index(r, 0).data() for r in range(page.committee_model.rowCount())] == [
        "黄国春", "陈德明"]
    with ws.reading() as s:
        gone = s.exec(select(CommitteeMember).where(CommitteeMember.name == "赵秀英")).one()
        assert gone.deleted
        assert s.get(Fund, ws.fund.id).chain_length == 1


def test_a_refused_fund_edit_keeps_the_dialog_open(qtbot, window, messages):
    ws = window.ctx.ws
    projects.add_fund(ws, projects.FundInput(name="万源市慈善会立信社区爱青花基金"))
    page = open_page(qtbot, window, window.funds)
    page.view.selectRow(0)
    dialog = page.edit_fund()
    wait_idle(qtbot, window.ctx.runner)
    dialog.name.setText("万源市慈善会立信社区爱青花基金")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert dialog.isVisible() and "已经存在" in dialog.message.text() and messages == []
    close_discarding(dialog)
    with ws.reading() as s:
        assert s.get(Fund, ws.fund.id).name == FUND_NAME
