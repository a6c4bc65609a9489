"""The reports (文件 › 导出报表, `export --kind`): 基金余额表, 收支分类统计表, 月度收支表, 项目预算执行表 and
捐赠人名单 (public or internal), one sheet each over the posted entries, for all funds, one fund or the funds
of a project."""

from openpyxl import Workbook
from sqlmodel import Session

from desktop_app.core.errors import UserError
from desktop_app.core.exports.scope import fund_scope, in_brackets
from desktop_app.core.exports.sheet import Column, Sheet, export_subtitle, share, write_workbook, yuan
from desktop_app.core.models import EXPENSE_CLASSES, Project
from desktop_app.core.money import from_fen
from desktop_app.core.privacy import redact_private_numbers
from desktop_app.core.queries import reports as report_queries

REPORT_KINDS = {
    "balances": "基金余额表",
    "categories": "收支分类统计表",
    "months": "月度收支表",
    "budget": "项目预算执行表",
    "donors": "捐赠人名单",
}


def _title(office_name: str, kind: str, scope: str, extra: str = "") -> str:
    return f"{office_name} {REPORT_KINDS[kind]}" + in_brackets((scope, extra))


def _balances(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    rows = report_queries.fund_summaries(session)
    if fund_ids != [None]:
        rows = [r for r in rows if r.fund_id in fund_ids]
    cols = (Column("基金", max_width=36), Column("所属项目", max_width=30), Column("收入", "money", 18),
            Column("支出", "money", 18), Column("余额", "money", 18), Column("其中限定性", "money", 18),
            Column("非限定性", "money", 18), Column("物资捐赠(估值)", "money", 18))
    values = [[r.name, r.project_name, yuan(r.income_fen), yuan(r.expense_fen), yuan(r.balance_fen),
               yuan(r.restricted_fen), yuan(r.unrestricted_fen), yuan(r.goods_donated_fen)] for r in rows]
    sheet = Sheet(wb, "基金余额", cols, title, export_subtitle("只统计已记账分录"), values)
    for r, v in zip(rows, values, strict=True):
        sheet.row(v, red=[i for i, fen in ((4, r.balance_fen), (5, r.restricted_fen), (6, r.unrestricted_fen))
                          if fen < 0])
    sums = [sum(getattr(r, name) for r in rows) for name in
            ("income_fen", "expense_fen", "balance_fen", "restricted_fen", "unrestricted_fen", "goods_donated_fen")]
    sheet.total_row(["合计", None, *[yuan(s) for s in sums]])
    sheet.capital_row([("余额合计", sums[2])])
    drafts = sum(r.drafts for r in rows)
    if drafts:
        sheet.note_row(f"注：另有 {drafts} 条草稿尚未记账，未计入本表。")
    if sums[5]:
        sheet.note_row("注：物资捐赠按估值列示，不计入收入和余额；未估值的物资只记在物资台账中。")
    sheet.finish()
    return len(rows)


def _categories(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    merged: dict[tuple[str, str, str], list[int]] = {}
    for fund_id in fund_ids:
        for r in report_queries.by_category(session, fund_id):
            acc = merged.setdefault((r.flow, r.category, r.expense_class), [0, 0])
            acc[0] += r.amount_fen
            acc[1] += r.count
    rows = sorted(merged.items(), key=lambda item: (item[0][0], -item[1][0]))
    income = sum(v[0] for k, v in rows if k[0] == "in")
    expense = sum(v[0] for k, v in rows if k[0] == "out")
    cols = (Column("收支", max_width=16), Column("业务类别", max_width=20), Column("支出性质", max_width=14),
            Column("笔数", "count", 8), Column("金额", "money", 18), Column("占比", "percent", 10))
    values = [["收入" if flow == "in" else "支出", category, expense_class, count, yuan(amount),
               share(amount, income if flow == "in" else expense)]
              for (flow, category, expense_class), (amount, count) in rows]
    labels = [["按支出性质", "收入合计 − 支出合计", "慈善活动支出"]]
    sheet = Sheet(wb, "收支分类", cols, title, export_subtitle("只统计已记账分录", "占比：占收入合计或支出合计的比例"),
                  values + labels)
    for flow, label, whole in (("in", "收入小计", income), ("out", "支出小计", expense)):
        part = [v for v, (key, _) in zip(values, rows, strict=True) if key[0] == flow]
        for v in part:
            sheet.row(v, red=[4] if v[4] < 0 else [])
        sheet.total_row([label, None, None, sum(v[3] for v in part), yuan(whole), share(whole, whole)],
                        variant="subtotal")
    classes = {c: [0, 0] for c in EXPENSE_CLASSES}
    for (flow, _, expense_class), (amount, count) in rows:
        if flow == "out":
            acc = classes[expense_class if expense_class in classes else "其他"]
            acc[0] += amount
            acc[1] += count
    for expense_class, (amount, count) in classes.items():
        sheet.total_row(["按支出性质", None, expense_class, count, yuan(amount), share(amount, expense)],
                        variant="subtotal")
    sheet.total_row(["收支结余", "收入合计 − 支出合计", None, None, yuan(income - expense), None])
    sheet.capital_row([("收入合计", income), ("支出合计", expense)])
    sheet.finish()
    return len(rows)


def _months(wb: Workbook, session: Session, title: str, fund_ids: list[str | None]) -> int:
    merged: dict[str, list[int]] = {}
    for fund_id in fund_ids:
        for r in report_queries.by_month(session, fund_id):
            acc = merged.setdefault(r.month, [0, 0])
            acc[0] += r.income_fen
            acc[1] += r.expense_fen
    cols = (Column("月份", max_width=10), Column("收入", "money", 18), Column("支出", "money", 18),
            Column("结余", "money", 18), Column("累计结余", "money", 18))
    values, running = [], 0
    for month, (income, expense) in sorted(merged.items()):
        running += income - expense
        values.append([month, yuan(income), yuan(expense), yuan(income - expense), yuan(running)])
    sheet = Sheet(wb, "月度收支", cols, title, export_subtitle("只统计已记账分录"), values)
    for v in values:
        sheet.row(v, red=[i for i in (3, 4) if v[i] < 0])
    income = sum(v[0] for v in merged.values())
    expense = sum(v[1] for v in merged.values())
    sheet.total_row(["合计", yuan(income), yuan(expense), yuan(income - expense), None])
    sheet.capital_row([("收入合计", income), ("支出合计", expense), ("结余", income - expense)])
    sheet.finish()
    return len(values)


def _budget(wb: Workbook, session: Session, office_name: str, project_id: str | None) -> int:
    if not project_id:
        raise UserError("预算执行表是按项目统计的，请先选择一个项目再导出（命令行请加上 --project 项目名称）。")
    project = session.get(Project, project_id)
    if project is None or project.deleted:
        raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
    rows = report_queries.budget_vs_actual(session, project.id)
    lines, total = rows[:-1], rows[-1]
    cols = (Column("预算类别", max_width=20), Column("预算", "money", 18), Column("实际", "money", 18),
            Column("差额", "money", 18), Column("使用率", "percent", 10))

    def values(r: report_queries.BudgetRow, label: str | None = None) -> list:
        return [label or r.category, yuan(r.budget_fen), yuan(r.actual_fen), yuan(r.difference_fen),
                share(r.actual_fen, r.budget_fen)]

    period = f"项目周期 {project.start_date:%Y-%m-%d} 至 {project.end_date:%Y-%m-%d}"
    sheet = Sheet(wb, "预算执行", cols, _title(office_name, "budget", project.name),
                  export_subtitle(period, "实际：已记账的支出"),
                  [values(r) for r in lines] + [values(total, "合计（项目总预算）")])
    for r in lines:
        sheet.row(values(r), red=[3, 4] if r.difference_fen < 0 else [])
    sheet.total_row(values(total, "合计（项目总预算）"))
    sheet.capital_row([("预算合计", total.budget_fen), ("实际支出", total.actual_fen)])
    if total.difference_fen < 0:
        sheet.note_row(f"注：实际支出超出项目总预算 {from_fen(-total.difference_fen):,.2f} 元。")
    sheet.finish()
    return len(lines)


def _donors(wb: Workbook, session: Session, title: str, fund_ids: list[str | None], public: bool) -> int:
    merged: dict[tuple[str, str, bool], list[int]] = {}
    for fund_id in fund_ids:
        for r in report_queries.donor_list(session, fund_id, public=public):
            acc = merged.setdefault((r.name, r.kind, r.masked), [0, 0, 0])
            acc[0] += r.count
            acc[1] += r.total_fen
            acc[2] += r.goods_fen
    rows = sorted(((k, v) for k, v in merged.items() if v[1]), key=lambda item: -item[1][1])
    cols = (Column("捐赠人", max_width=30), Column("类型", max_width=12), Column("笔数", "count", 8),
            Column("金额", "money", 18), Column("其中物资捐赠(估值)", "money", 18))
    values = [[name, kind, count, yuan(total), yuan(goods)] for (name, kind, _), (count, total, goods) in rows]
    sheet = Sheet(wb, "捐赠人名单", cols, title, export_subtitle("已记账的捐赠（已扣除冲销）及已估值的物资捐赠"), values)
    for v in values:
        sheet.row(v)
    total = sum(v[1] for _, v in rows)
    sheet.total_row(["合计", None, sum(v[0] for _, v in rows), yuan(total), yuan(sum(v[2] for _, v in rows))])
    sheet.capital_row([("捐赠合计", total)])
    if public:
        sheet.note_row("注：公示版。匿名或未同意公开姓名的捐赠人显示为“爱心人士”，联系方式不公开。")
    else:
        sheet.note_row("注：内部版，含未同意公开的捐赠人姓名，仅供内部核对，请勿张贴或外传。")
    sheet.finish()
    return len(values)


def export_report(ws, kind: str, out_path, *, fund_id: str | None = None, project_id: str | None = None,
                  public: bool = True) -> int:
    """Export one report as a formatted sheet; returns the number of data rows (totals not counted).

    kind: balances | categories | months | budget (needs project_id) | donors (public=True masks names
    without consent as 爱心人士). fund_id / project_id narrow the report to one fund or a project's funds.
    """
    if kind not in REPORT_KINDS:
        listing = "、".join(f"{k}（{v}）" for k, v in REPORT_KINDS.items())
        raise UserError(f"不认识的报表“{kind}”。可导出的报表有：{listing}。")
    if kind == "budget" and not project_id:
        raise UserError("预算执行表是按项目统计的，请先选择一个项目再导出（命令行请加上 --project 项目名称）。")
    office = ws.local_office()
    with ws.reading() as session:
        def build(wb: Workbook) -> int:
            if kind == "budget":
                return _budget(wb, session, office.name, project_id)
            fund_ids, scope = fund_scope(session, fund_id, project_id)
            if kind == "donors":
                title = _title(office.name, kind, scope, "公示" if public else "内部")
                if public:  # the office's, fund's or project's name may hold a phone number: not in public
                    title = redact_private_numbers(title)
                return _donors(wb, session, title, fund_ids, public)
            title = _title(office.name, kind, scope)
            return {"balances": _balances, "categories": _categories, "months": _months}[kind](
                wb, session, title, fund_ids)

        return write_workbook(out_path, build)
