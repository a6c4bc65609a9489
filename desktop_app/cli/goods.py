"""The `goods` command: goods received and issued (the in-kind ledger), the stock and the movements."""

from desktop_app.cli.output import clip, print_json, print_table
from desktop_app.core import quantities
from desktop_app.core.errors import UserError
from desktop_app.core.money import fen_to_str, format_yuan
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.validation import parse_date


def add_parsers(sub) -> None:
    from desktop_app.core.models import COUNTERPARTY_KINDS, GOODS_SOURCES, GOODS_VALUATIONS

    goods = sub.add_parser("goods", help="物资台账").add_subparsers(dest="action", required=True)
    s = _movement_parser(goods, "receive", "收到")
    s.add_argument("--source", choices=GOODS_SOURCES, default="捐赠")
    s.add_argument("--donor", default="", help="捐赠方名称")
    s.add_argument("--donor-kind", choices=COUNTERPARTY_KINDS)
    s.add_argument("--anonymous", action="store_true", help="捐赠方要求匿名")
    s.add_argument("--consent", action="store_true", help="捐赠方同意公开名称")
    s.add_argument("--valuation", choices=GOODS_VALUATIONS, help="估值依据（默认 未估值）")
    s.add_argument("--value", help="物资总价值（元），估值时必填")
    s.add_argument("--entry", help="购买这批物资的已记账支出分录编号（来源为 购买 时）")
    s.add_argument("--note", default="")
    s.add_argument("--json", action="store_true")
    s = _movement_parser(goods, "issue", "发出")
    s.add_argument("--activity", help="发放物资的活动（名称或编号）")
    s.add_argument("--group", default="", help="受益群体")
    s.add_argument("--recipients", default="0", help="受益人数")
    s.add_argument("--note", default="")
    s.add_argument("--json", action="store_true")
    for action, text in (("stock", "查看库存"), ("list", "查看收发记录")):
        s = goods.add_parser(action, help=text)
        s.add_argument("--fund", help="社区基金名称或编号")
        s.add_argument("--json", action="store_true")


def _movement_parser(goods, action: str, verb: str):
    s = goods.add_parser(action, help=f"登记{verb}的物资")
    s.add_argument("--fund", required=True, help="社区基金名称或编号")
    s.add_argument("--date", required=True, help=f"{verb}日期 YYYY-MM-DD")
    s.add_argument("--item", required=True, help="物资名称")
    s.add_argument("--unit", required=True, help="计量单位，例如 份、箱、千克")
    s.add_argument("--quantity", required=True, help="数量")
    return s


def cmd_goods(ws, args) -> int:
    with ws.reading() as s:
        fund = project_queries.resolve_fund(s, args.fund) if args.fund else None
    if args.action == "receive":
        return goods_receive(ws, args, fund)
    if args.action == "issue":
        return goods_issue(ws, args, fund)
    with ws.reading() as s:
        if args.action == "stock":
            rows = goods_queries.stock(s, fund.id if fund else None)
        else:
            movements = goods_queries.list_movements(s, fund.id if fund else None)
            titles = _activity_titles(s, {m.activity_id for m in movements if m.activity_id})
            funds = {f.id: f.name for f in project_queries.list_funds(s)}
    if args.action == "stock":
        if args.json:
            print_json([{"fund": r.fund_name, "fund_id": r.fund_id, "item": r.item, "unit": r.unit,
                         "received": str(quantities.quantity_of(r.received_milli)),
                         "issued": str(quantities.quantity_of(r.issued_milli)), "stock": str(quantities.quantity_of(r.stock_milli)),
                         "valued": r.valued, "value": fen_to_str(r.value_fen) if r.valued else None} for r in rows])
        elif rows:
            print_table(["基金", "物资", "单位", "收入", "发出", "结存", "估值"],
                        [[clip(r.fund_name, 30), r.item, r.unit, quantities.quantity_of(r.received_milli),
                          quantities.quantity_of(r.issued_milli), quantities.quantity_of(r.stock_milli),
                          format_yuan(r.value_fen) if r.valued else "未估值"] for r in rows], right={3, 4, 5, 6})
        else:
            print("还没有物资。用 goods receive 登记收到的物资。")
        return 0
    if args.json:
        print_json([_movement_json(m, funds, titles) for m in movements])
    elif movements:
        print_table(["日期", "收/发", "基金", "物资", "数量", "来源或发放活动", "捐赠方或受益群体", "价值", "编号"],
                    [[m.movement_date, "收" if m.direction == "in" else "发", clip(funds.get(m.fund_id, ""), 20), m.item,
                      f"{quantities.quantity_of(m.quantity_milli)}{m.unit}",
                      m.source if m.direction == "in" else clip(titles.get(m.activity_id or "", ""), 20),
                      _donor_label(m) if m.direction == "in" else f"{m.beneficiary_group} {m.recipients or ''}".strip(),
                      format_yuan(m.value_fen) if m.valuation not in ("", "未估值") else "未估值", m.id]
                     for m in movements], right={7})
        print(f"共 {len(movements)} 条")
    else:
        print("还没有物资收发记录。用 goods receive / goods issue 登记。")
    return 0


def _activity_titles(s, ids: set[str]) -> dict[str, str]:
    from sqlmodel import select

    from desktop_app.core.models import Activity

    return {a.id: a.title for a in s.exec(select(Activity).where(Activity.id.in_(ids)))} if ids else {}


def _donor_label(m) -> str:
    """Internal listing: the donor's name, marked when the donor asked to stay anonymous."""
    name = m.donor_name or ""
    return f"{name}（匿名）" if m.anonymous else name


def _movement_json(m, funds: dict[str, str], titles: dict[str, str]) -> dict:
    from desktop_app.core.quantities import quantity_of

    received = m.direction == "in"
    return {"id": m.id, "fund": funds.get(m.fund_id, ""), "date": m.movement_date.isoformat(), "direction": m.direction,
            "item": m.item, "unit": m.unit, "quantity": str(quantity_of(m.quantity_milli)),
            "source": m.source if received else None, "donor": m.donor_name if received else None,
            "donor_kind": m.donor_kind if received else None, "anonymous": m.anonymous if received else None,
            "consent": m.publish_consent if received else None, "valuation": m.valuation,
            "value": fen_to_str(m.value_fen) if m.valuation not in ("", "未估值") else None,
            "activity_id": m.activity_id, "activity": titles.get(m.activity_id or "") if m.activity_id else None,
            "group": m.beneficiary_group if not received else None, "recipients": m.recipients if not received else None,
            "note": m.note}


def goods_receive(ws, args, fund) -> int:
    from desktop_app.core.services import goods

    if args.value is not None and args.valuation in (None, goods_queries.UNVALUED):
        raise UserError("填写了 --value 却没有估值依据。请加上 --valuation 捐赠方凭据 或 --valuation 公允价值；"
                        "无法估值时不要填 --value。")
    data = goods.GoodsReceiptInput(
        fund_id=fund.id, movement_date=parse_date(args.date, what="收到日期"), item=args.item, unit=args.unit,
        quantity=args.quantity, source=args.source, donor_name=args.donor, donor_kind=args.donor_kind or "",
        anonymous=args.anonymous, publish_consent=args.consent, valuation=args.valuation or goods_queries.UNVALUED,
        value=args.value or "0", entry_id=args.entry or None, note=args.note)
    m = goods.receive_goods(ws, data)
    return _print_movement(ws, args, m, fund, f"已登记收到“{m.item}”")


def goods_issue(ws, args, fund) -> int:
    from desktop_app.core.queries import activities as activity_queries
    from desktop_app.core.services import goods

    day = parse_date(args.date, what="发放日期")
    activity = None
    if args.activity:
        with ws.reading() as s:
            activity = activity_queries.resolve_activity(s, args.activity)
    data = goods.GoodsIssueInput(fund_id=fund.id, movement_date=day, item=args.item, unit=args.unit,
                                 quantity=args.quantity, activity_id=activity.id if activity else None,
                                 beneficiary_group=args.group, recipients=args.recipients, note=args.note)
    m = goods.issue_goods(ws, data)
    where = f"；发放活动：{activity.title}" if activity else ""
    return _print_movement(ws, args, m, fund, f"已登记发出“{m.item}”", where)


def _print_movement(ws, args, m, fund, done: str, after: str = "") -> int:
    with ws.reading() as s:
        row = next(r for r in goods_queries.stock(s, fund.id) if (r.item, r.unit) == (m.item, m.unit))
    left = f"{quantities.quantity_of(row.stock_milli)}{m.unit}"
    if args.json:
        print_json({"id": m.id, "fund": fund.name, "direction": m.direction, "item": m.item, "unit": m.unit,
                    "quantity": str(quantities.quantity_of(m.quantity_milli)), "valuation": m.valuation,
                    "value": fen_to_str(m.value_fen) if m.valuation != goods_queries.UNVALUED else None,
                    "stock": str(quantities.quantity_of(row.stock_milli))})
        return 0
    value = f"，价值 {format_yuan(m.value_fen)}（{m.valuation}）" if m.valuation != goods_queries.UNVALUED else "，未估值"
    print(f"{m.id}  {done} {quantities.quantity_of(m.quantity_milli)}{m.unit}{value}；现有库存 {left}{after}")
    return 0
