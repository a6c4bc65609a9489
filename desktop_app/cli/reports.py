"""The `report` and `export` commands: the report tables on screen (text or JSON) and the Excel exports."""

from pathlib import Path

from desktop_app.cli.activities import activity_filter
from desktop_app.cli.office_view import OFFICE_HEADER, OfficeView, add_office_option, office_view
from desktop_app.cli.output import print_json
from desktop_app.core.errors import UserError
from desktop_app.core.money import fen_to_str, format_yuan
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.validation import parse_date

# the report columns that hold amounts in fen, and each column's key in --json output
_MONEY_COLUMNS = {"收入", "支出", "余额", "限定性", "非限定性", "金额", "预算", "实际", "差额", "物资捐赠(估值)",
                  "其中物资捐赠(估值)"}
_JSON_KEYS = {OFFICE_HEADER: "office", "基金": "fund", "收入": "income", "支出": "expense", "余额": "balance", "限定性": "restricted",
              "非限定性": "unrestricted", "收/支": "flow", "类别": "category", "支出性质": "expense_class",
              "金额": "amount", "笔数": "count", "月份": "month", "预算": "budget", "实际": "actual",
              "差额": "difference", "使用率%": "used_percent", "捐赠人": "donor", "类型": "kind",
              "物资捐赠(估值)": "goods_donated", "其中物资捐赠(估值)": "goods"}


# the exports built from activities and goods, with the name each is called in the messages
_ACTIVITY_EXPORTS = {"activities": "活动登记表", "goods": "物资台账", "activity-stats": "活动统计"}


def add_parsers(sub) -> None:
    s = sub.add_parser("report", help="查看报表")
    s.add_argument("kind", choices=["balances", "categories", "months", "budget", "donors"])
    s.add_argument("--fund")
    s.add_argument("--project")
    add_office_option(s)
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="导出 Excel")
    s.add_argument("kind", choices=["ledger", "balances", "categories", "months", "budget", "donors", *_ACTIVITY_EXPORTS])
    s.add_argument("--fund", help="只导出这个基金（物资台账、收支台账和报表）")
    s.add_argument("--project", help="只导出这个项目（活动登记表、活动统计和报表）")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--out", required=True, type=Path)


def _report_rows(ws, args) -> tuple[list[str], list[list]]:
    """The report's headers and rows; in a county's workspace led by the office column (a report that sums
    entries is summed per office, so no township's money is mixed with another's)."""
    with ws.reading() as s:
        view = office_view(s, args)
        headers, rows = _office_rows(s, args, view)
    if not view.county:
        return headers, [row for _office, row in rows]
    return [OFFICE_HEADER, *headers], [[view.name(office), *row] for office, row in rows]


def _office_rows(s, args, view: OfficeView) -> tuple[list[str], list[tuple[str, list]]]:
    """The report's headers, and its rows each with the office it belongs to."""
    from desktop_app.core.queries import reports

    fund_id = project_queries.resolve_fund(s, args.fund).id if args.fund else None
    if args.kind == "balances":
        return ["基金", "收入", "支出", "余额", "限定性", "非限定性", "物资捐赠(估值)"], [
            (r.office_id, [r.name, r.income_fen, r.expense_fen, r.balance_fen, r.restricted_fen, r.unrestricted_fen,
                           r.goods_donated_fen]) for r in reports.fund_summaries(s, view.office_id)]
    if args.kind == "budget":
        if not args.project:
            raise UserError("预算执行报表需要指定项目：请加上 --project 项目名称。")
        project = project_queries.resolve_project(s, args.project)
        return ["类别", "预算", "实际", "差额", "使用率%"], [
            (project.office_id, [r.category, r.budget_fen, r.actual_fen, r.difference_fen, r.used_percent])
            for r in reports.budget_vs_actual(s, project.id)]
    headers = {"categories": ["收/支", "类别", "支出性质", "金额", "笔数"], "months": ["月份", "收入", "支出"]}.get(
        args.kind, ["捐赠人", "类型", "笔数", "金额", "其中物资捐赠(估值)"])
    rows: list[tuple[str, list]] = []
    for office in view.office_ids():  # each office's own sums: one query each
        if args.kind == "categories":
            rows += [(office or "", ["收入" if r.flow == "in" else "支出", r.category, r.expense_class, r.amount_fen,
                                     r.count]) for r in reports.by_category(s, fund_id, office_id=office)]
        elif args.kind == "months":
            rows += [(office or "", [r.month, r.income_fen, r.expense_fen])
                     for r in reports.by_month(s, fund_id, office_id=office)]
        else:
            rows += [(office or "", [r.name, r.kind, r.count, r.total_fen, r.goods_fen])
                     for r in reports.donor_list(s, fund_id, public=True, office_id=office)]
    return headers, rows


def _json_value(header: str, value):
    if header in _MONEY_COLUMNS:
        return fen_to_str(value)
    if header == "使用率%":
        return None if value is None else f"{value:.1f}"  # a ratio, as a string like the amounts
    if header == "收/支":
        return "in" if value == "收入" else "out"
    return value


def cmd_report(ws, args) -> int:
    headers, rows = _report_rows(ws, args)
    if args.json:
        print_json([{_JSON_KEYS[h]: _json_value(h, v) for h, v in zip(headers, row, strict=True)} for row in rows])
        return 0
    print("\t".join(headers))
    for row in rows:
        print("\t".join(format_yuan(v) if h in _MONEY_COLUMNS else ("" if v is None else str(v))
                        for h, v in zip(headers, row, strict=True)))
    return 0


def cmd_export(ws, args) -> int:
    from desktop_app.core.exports.ledger import export_ledger
    from desktop_app.core.exports.reports import export_report
    from desktop_app.core.queries import ledger as ledger_query

    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{args.out}”应以 .xlsx 结尾。")
    if not args.out.parent.exists():
        raise UserError(f"文件夹“{args.out.parent}”不存在。请先创建它，或换一个保存位置。")
    with ws.reading() as s:
        fund_id = project_queries.resolve_fund(s, args.fund).id if args.fund else None
        project_id = project_queries.resolve_project(s, args.project).id if args.project else None
    if args.kind in _ACTIVITY_EXPORTS:
        return _export_activities(ws, args, fund_id)
    if args.kind == "ledger":
        filt = ledger_query.LedgerFilter(
            fund_id=fund_id,
            date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
            date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None)
        count = export_ledger(ws, args.out, filt)
    else:
        count = export_report(ws, args.kind, args.out, fund_id=fund_id, project_id=project_id)
    print(f"已导出 {count} 行到 {args.out}")
    return 0


def _export_activities(ws, args, fund_id: str | None) -> int:
    from desktop_app.core.exports.activities import export_activities, export_activity_stats
    from desktop_app.core.exports.goods import export_goods

    what = _ACTIVITY_EXPORTS[args.kind]
    if args.kind == "goods":
        if args.project or args.date_from or args.date_to:
            raise UserError("物资台账按基金导出：请只用 --fund 基金名称（不填则导出全部基金），不要加 --project、--from 或 --to。")
        count = export_goods(ws, args.out, fund_id)
        print(f"已导出{what}（{count} 条收发记录）到 {args.out}")
        return 0
    if args.fund:
        raise UserError(f"{what}按项目导出：请用 --project 项目名称（可加 --from、--to），不要加 --fund。")
    with ws.reading() as s:
        filt = activity_filter(s, args)
    if args.kind == "activities":
        count = export_activities(ws, args.out, filt)
    else:
        count = export_activity_stats(ws, args.out, filt)
    print(f"已导出{what}（{count} 项活动）到 {args.out}")
    return 0
