"""概览's budget use reads each project's posted expenses from the balance index: the same total as the
合计 row of budget_vs_actual (the projects page), which groups the same rows by category."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from desktop_app.core.queries import reports
from desktop_app.core.services import ledger, projects, settings
from tests.helpers import make_entry as entry_in


def make_entry(ws, *args, fund_id=None, **extra) -> ledger.EntryInput:
    data = entry_in(ws, *args, **extra)
    return replace(data, fund_id=fund_id) if fund_id else data


def test_project_spending_is_the_total_of_budget_vs_actual(workspace):
    settings.set_setting(workspace, "require_expense_attachment", False)
    project = projects.add_project(workspace, projects.ProjectInput(
        name="八台镇助老项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("50000")))
    fund, _ = projects.add_fund(workspace, projects.FundInput(name="八台镇助老基金", project_id=project.id))
    other = projects.add_project(workspace, projects.ProjectInput(
        name="未开支的项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("1000")))
    ledger.add_entry(workspace, make_entry(workspace, amount="9000", fund_id=fund.id), post=True)
    spent = ledger.add_entry(workspace, make_entry(workspace, "expense", "1200.50", fund_id=fund.id), post=True)
    ledger.add_entry(workspace, make_entry(workspace, "expense", "300", fund_id=fund.id, category="慰问帮扶"), post=True)
    ledger.add_entry(workspace, make_entry(workspace, "expense", "77", fund_id=fund.id))  # a draft: not spent
    ledger.reverse_entry(workspace, spent.id, "金额录错")
    ledger.add_entry(workspace, make_entry(workspace, amount="100"), post=True)  # a fund of no project
    ledger.add_entry(workspace, make_entry(workspace, "expense", "40"), post=True)
    with workspace.reading() as s:
        found = reports.project_spending(s)
        expected = {p: reports.budget_vs_actual(s, p)[-1].actual_fen for p in (project.id, other.id)}
    assert found.get(project.id, 0) == expected[project.id] == 30000
    assert found.get(other.id, 0) == expected[other.id] == 0
