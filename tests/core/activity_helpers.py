"""A project with two sites and the test fund attached, for activity, goods and space tests."""

from datetime import date
from decimal import Decimal

from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger, projects
from desktop_app.core.services.activities import ActivityInput
from tests.helpers import FUND_NAME, make_entry


def attach_project(ws, name="四川省慈善事业高质量发展试点工作"):
    project = projects.add_project(ws, projects.ProjectInput(
        name=name, start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=Decimal(900000),
        sites=[projects.SiteInput("青花镇立信社区"), projects.SiteInput("八台镇天池村")]))
    projects.update_fund(ws, ws.fund.id, projects.FundInput(name=FUND_NAME, project_id=project.id))
    with ws.reading() as s:
        sites = project_queries.project_sites(s, project.id)
    return project, sites


def posted_expense(ws, voucher_file, amount="500", summary="音乐会音响租赁"):
    ledger.add_entry(ws, make_entry(ws, "allocation", "10000"), post=True)
    return ledger.add_entry(ws, make_entry(ws, "expense", amount, summary=summary, expense_class="慈善活动支出",
                                           attachments=[voucher_file]), post=True)


def concert(project, site, **extra) -> ActivityInput:
    values = dict(project_id=project.id, site_id=site.id if site else None, activity_type="慈善活动/募捐活动",
                  title="八台慈善音乐会", start_date=date(2024, 12, 27), place="大巴山国家地质公园广场",
                  participants=150, summary="以“尚善红城·爱聚万源”为主题的迎新慈善音乐会。")
    values.update(extra)
    return ActivityInput(**values)
