"""The `entry` and `category` commands: add, post, reverse, delete and list ledger entries; list and add categories."""

from pathlib import Path

from desktop_app.cli.office_view import add_office_option, office_view
from desktop_app.cli.output import print_json
from desktop_app.core.money import capital_yuan, fen_to_str, format_yuan, parse_amount
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries.categories import local_categories
from desktop_app.core.validation import parse_date

_FUTURE_HELP = "确认按今年年底之后的日期记账（不加时这样的日期会被拒绝，以防日期填错）"
_UNKNOWN_KIND = ("提示：没有写对方类型（--counterparty-kind），已按个人记录，公示时姓名会打码（如 张*明）。"
                 "如对方是单位，请用 --counterparty-kind 企业、社会组织、政府机关或村(社区) 录入"
                 "（草稿可先 entry delete 再重录；已记账的请红字冲销后重录）。")


def add_parsers(sub) -> None:
    entry = sub.add_parser("entry", help="收支分录").add_subparsers(dest="action", required=True)
    s = entry.add_parser("add")
    s.add_argument("--fund", required=True)
    s.add_argument("--date", required=True)
    s.add_argument("--type", required=True, choices=["donation", "allocation", "expense"])
    s.add_argument("--amount", required=True)
    s.add_argument("--category", required=True)
    s.add_argument("--summary", required=True)
    s.add_argument("--counterparty", default="")
    s.add_argument("--counterparty-kind", default="",
                   help="对方类型：个人，或单位的类型 企业、社会组织、政府机关、村(社区)（也可写 公司、组织、机关、村、社区）。"
                        "捐赠不写时按个人处理，公示时姓名打码")
    s.add_argument("--anonymous", action="store_true")
    s.add_argument("--consent", action="store_true", help="对方同意公开姓名/名称")
    s.add_argument("--restricted", default="", help="限定用途（捐赠人指定的用途；支出时为所用的限定资金）")
    s.add_argument("--expense-class", default="", choices=["", "慈善活动支出", "管理费用", "筹资费用", "其他"])
    s.add_argument("--payment-method", default="")
    s.add_argument("--receipt-code", default="")
    s.add_argument("--receipt-no", default="")
    s.add_argument("--attach", action="append", default=[], type=Path)
    s.add_argument("--post", action="store_true", help="保存后立即记账")
    s.add_argument("--override", default="", help="超额说明（余额不足或动用限定资金时必须填写）")
    s.add_argument("--allow-future-date", action="store_true", help=_FUTURE_HELP)
    s.add_argument("--json", action="store_true")
    s = entry.add_parser("list")
    s.add_argument("--fund")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--search", default="")
    s.add_argument("--limit", type=int, default=0)
    add_office_option(s)
    s.add_argument("--json", action="store_true")
    s = entry.add_parser("post")
    s.add_argument("id")
    s.add_argument("--override", default="")
    s.add_argument("--allow-future-date", action="store_true", help=_FUTURE_HELP)
    s = entry.add_parser("reverse")
    s.add_argument("id")
    s.add_argument("--reason", required=True)
    s.add_argument("--date")
    s.add_argument("--override", default="")
    s.add_argument("--allow-future-date", action="store_true", help=_FUTURE_HELP)
    s = entry.add_parser("delete", help="删除草稿（已记账的分录不能删除）")
    s.add_argument("id")

    cat = sub.add_parser("category", help="业务类别").add_subparsers(dest="action", required=True)
    s = cat.add_parser("list")
    s.add_argument("--json", action="store_true")
    s = cat.add_parser("add")
    s.add_argument("--name", required=True)
    s.add_argument("--kind", choices=["expense", "income", "activity_type", "beneficiary_group"], default="expense")


def _entry_json(row, office: str | None = None) -> dict:
    return {"id": row.id, **({"office": office} if office is not None else {}), "fund": row.fund_name, "voucher": row.voucher or None, "date": row.entry_date,
            "type": row.entry_type, "flow": row.flow, "amount": fen_to_str(row.amount_fen), "summary": row.summary,
            "category": row.category, "expense_class": row.expense_class, "restriction": row.restriction,
            "counterparty": row.counterparty_name, "status": row.status, "attachments": row.attachments,
            "reversed_by": row.reversed_by}


def _fund_name(ws, entry) -> str:
    from desktop_app.core.models import Fund

    with ws.reading() as s:
        fund = s.get(Fund, entry.fund_id)
        return fund.name if fund is not None else ""


def cmd_entry(ws, args) -> int:
    from desktop_app.core import vouchers
    from desktop_app.core.queries import ledger as ledger_query
    from desktop_app.core.services import ledger

    if args.action == "add":
        amount = parse_amount(args.amount)
        day = parse_date(args.date)
        kind = ledger.counterparty_kind_of(args.counterparty_kind)
        with ws.reading() as s:
            fund = project_queries.resolve_fund(s, args.fund)
        data = ledger.EntryInput(
            fund_id=fund.id, entry_date=day, entry_type=args.type, amount=amount, summary=args.summary,
            category=args.category, expense_class=args.expense_class, restriction=args.restricted,
            counterparty_name=args.counterparty, counterparty_kind=kind, anonymous=args.anonymous,
            publish_consent=args.consent, payment_method=args.payment_method, receipt_code=args.receipt_code,
            receipt_no=args.receipt_no, attachments=list(args.attach))
        entry = ledger.add_entry(ws, data, post=args.post, override_reason=args.override,
                                 allow_future_date=args.allow_future_date)
        voucher = vouchers.voucher_text(entry)
        # a donor of unknown kind is masked as a person: say so, so that an organisation can be recorded as one
        unknown = entry.entry_type == "donation" and entry.counterparty_name and not entry.counterparty_kind \
            and not entry.anonymous
        if args.json:
            print_json({"id": entry.id, "fund": fund.name, "voucher": voucher or None, "status": entry.status,
                        "amount": fen_to_str(entry.amount_fen), "counterparty_kind": entry.counterparty_kind or None,
                        **({"note": _UNKNOWN_KIND} if unknown else {})})
        elif voucher:
            print(f"{entry.id}  已记账：{vouchers.fund_voucher(fund.name, voucher)}，金额 {format_yuan(entry.amount_fen)}"
                  f"（{capital_yuan(entry.amount_fen)}）")
        else:
            print(f"{entry.id}  已保存为草稿，金额 {format_yuan(entry.amount_fen)}")
        if unknown and not args.json:
            print(_UNKNOWN_KIND)
        return 0
    if args.action == "post":
        entry = ledger.post_entry(ws, args.id, override_reason=args.override, allow_future_date=args.allow_future_date)
        print(f"{entry.id}  已记账：{vouchers.fund_voucher(_fund_name(ws, entry), vouchers.voucher_text(entry))}")
        return 0
    if args.action == "reverse":
        day = parse_date(args.date, what="冲销日期") if args.date else None
        reversal = ledger.reverse_entry(ws, args.id, args.reason, on_date=day, override_reason=args.override,
                                        allow_future_date=args.allow_future_date)
        named = vouchers.fund_voucher(_fund_name(ws, reversal), vouchers.voucher_text(reversal))
        print(f"{reversal.id}  已红字冲销，冲销凭证为 {named}，金额 {format_yuan(reversal.amount_fen)}")
        return 0
    if args.action == "delete":
        ledger.delete_draft(ws, args.id)
        print(f"{args.id}  草稿已删除")
        return 0
    fund_id = None
    with ws.reading() as s:
        view = office_view(s, args)
        if args.fund:
            fund_id = project_queries.resolve_fund(s, args.fund).id
    filt = ledger_query.LedgerFilter(
        fund_id=fund_id, text=args.search, office_id=view.office_id,
        date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
        date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None)
    conn = ws.raw_reader()
    try:
        rows = list(ledger_query.iterate(conn, filt, sort="date", descending=False))
    finally:
        conn.close()
    if args.limit:
        rows = rows[-args.limit:]
    if args.json:
        print_json([_entry_json(r, view.name(r.office_id) if view.county else None) for r in rows])
    else:
        for r in rows:
            status = "已记账" if r.status == "posted" else "草稿"
            fund = "" if fund_id else f"{r.fund_name}  "  # several funds listed: each has its own 2024-0001
            who = f"{view.name(r.office_id)}  " if view.county else ""
            print(f"{r.id}  {who}{fund}{r.voucher or '(草稿)':>9}  {r.entry_date}  {vouchers.entry_type_label(r.entry_type)}  "
                  f"{format_yuan(r.amount_fen):>14}  {r.summary}  [{status}]")
        print(f"共 {len(rows)} 条")
    return 0


def cmd_category(ws, args) -> int:
    from desktop_app.core.models import CATEGORY_KINDS
    from desktop_app.core.services import categories

    if args.action == "add":
        cat = categories.add_category(ws, args.name, args.kind)
        print(f"已添加类别“{cat.name}”")
        return 0
    with ws.reading() as s:
        cats = local_categories(s)
    if args.json:
        print_json([{"name": c.name, "kind": c.kind} for c in cats])
    else:
        for kind, label in CATEGORY_KINDS.items():
            print(f"{label}：" + "、".join(c.name for c in cats if c.kind == kind))
    return 0
