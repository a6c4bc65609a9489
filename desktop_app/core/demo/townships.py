"""The county demo (`demo --county`): the seed-004 demo of 万源市慈善会, plus the two townships of the pilot —
青花镇 and 八台镇 — each keeping its own small community fund in its own workspace and sending it to the county
as a sync package, as they would by USB stick. The county then holds both townships' records read-only beside
its own, and each township has the county's receipt (with a review note) back.

The townships' funds and figures are illustrative (seed 004 names the places, not these books)."""

import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import activities, county_sync, ledger, office, projects, sync
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.sync import keys, package

ASSOCIATION = "万源市慈善会"


@dataclass(frozen=True)
class Township:
    office: str
    code: str
    fund: str
    site: str
    income: tuple[tuple[date, str, str, str, dict], ...]  # day, kind, amount, summary, extra
    spending: tuple[tuple[date, str, str, str], ...]  # day, amount, summary, payee
    activity: tuple[date, str, str, dict]  # day, title, summary, beneficiaries


TOWNSHIPS = (
    Township("青花镇社会工作服务站", "511781104000", "青花镇立信社区邻里互助金", "青花镇立信社区",
             ((date(2024, 5, 6), "allocation", "8000", "镇政府拨入邻里互助启动资金", {"counterparty_name": "万源市青花镇人民政府",
                                                                         "counterparty_kind": "政府机关"}),
              (date(2024, 6, 18), "donation", "1200", "居民慈善一日捐", {"counterparty_name": "立信社区居民",
                                                                  "counterparty_kind": "个人", "anonymous": True})),
             ((date(2024, 6, 25), "860", "独居老人助餐食材", "万源市青花镇惠民超市"),
              (date(2024, 9, 12), "1500", "“四点半课堂”文具与图书", "万源市新华书店")),
             (date(2024, 9, 20), "“四点半课堂”开班", "为双职工家庭儿童提供课后看护与作业辅导。",
              {"儿童": 36, "社区居民": 20})),
    Township("八台镇社会工作服务站", "511781107000", "八台镇天池村慈善互助金", "八台镇天池村",
             ((date(2024, 4, 22), "allocation", "6000", "镇政府拨入互助金", {"counterparty_name": "万源市八台镇人民政府",
                                                                   "counterparty_kind": "政府机关"}),
              (date(2024, 12, 27), "donation", "3600", "慈善音乐会现场募捐", {"counterparty_name": "八台慈善音乐会观众",
                                                                    "counterparty_kind": "个人", "anonymous": True})),
             ((date(2024, 10, 15), "2400", "困难家庭冬季慰问物资", "万源市八台镇供销社"),),
             (date(2024, 10, 16), "冬季入户慰问", "走访天池村困难家庭和独居老人，送去冬季慰问物资。",
              {"老年人": 18, "低保/困难家庭": 12})),
)


def add_demo_townships(county: Workspace, scratch: Path, scan) -> None:
    """Build each township in `scratch`, send its package to `county`, and its receipt back; `scan(folder,
    name, lines)` draws a stand-in voucher."""
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        for town in TOWNSHIPS:
            ws = Workspace.open(scratch / town.code, create=True, auto_backup=False)
            try:
                _fill_township(ws, town, scratch, scan)
                made = sync.export_package(ws, scratch)
                signed = package.read(made.path, "package")
                county_sync.enrol(county, made.path, keys.fingerprint(signed.key["public_key"]))
                county_sync.import_packages(county, [made.path])
                county_sync.add_review_note(county, town.office, "请补扫慰问物资的签收单。")
                receipt = county_sync.write_receipt(county, town.office, scratch)
                sync.import_receipt(ws, receipt)
            finally:
                ws.close(backup=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _fill_township(ws: Workspace, town: Township, scratch: Path, scan) -> None:
    office.init_office(ws, name=town.office, division_code=town.code, association=ASSOCIATION, code_year=2024)
    project = projects.add_project(ws, projects.ProjectInput(
        name=f"{town.site}社区慈善微项目", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31),
        budget=Decimal("12000"), goals="以社区慈善互助金支持邻里互助、一老一小服务。",
        sites=[projects.SiteInput(name=town.site, division_code=town.code[:9] + "201")]))
    fund, _ = projects.add_fund(ws, projects.FundInput(name=town.fund, project_id=project.id,
                                                      purpose="邻里互助、一老一小服务"))
    for day, kind, amount, summary, extra in town.income:
        category = "项目拨款" if kind == "allocation" else "慈善一日捐"
        ledger.add_entry(ws, EntryInput(fund_id=fund.id, entry_date=day, entry_type=kind, amount=Decimal(amount),
                                        summary=summary, category=category, payment_method="银行转账", **extra),
                         post=True, allow_future_date=True)
    spent = []
    for day, amount, summary, payee in town.spending:
        voucher = scan(scratch, f"{town.code}-{day:%Y%m%d}", [summary, f"金额：¥{Decimal(amount):,.2f}",
                                                              f"收款方：{payee}", f"日期：{day:%Y年%m月%d日}"])
        spent.append(ledger.add_entry(ws, EntryInput(
            fund_id=fund.id, entry_date=day, entry_type="expense", amount=Decimal(amount), summary=summary,
            category="慰问帮扶", expense_class="慈善活动支出", counterparty_name=payee, counterparty_kind="企业",
            payment_method="银行转账", attachments=[voucher]), post=True, allow_future_date=True).id)
    day, title, summary, groups = town.activity
    site_id = next(s.id for s in projects_sites(ws, project.id))
    activities.add_activity(ws, activities.ActivityInput(
        project_id=project.id, activity_type="慈善服务", title=title, start_date=day, site_id=site_id,
        place=town.site, organisers=town.office, participants=sum(groups.values()), volunteers=6,
        volunteer_hours=Decimal("24"), summary=summary, beneficiaries=groups, expense_ids=spent[-1:]))


def projects_sites(ws: Workspace, project_id: str):
    with ws.reading() as s:
        return project_queries.project_sites(s, project_id)
