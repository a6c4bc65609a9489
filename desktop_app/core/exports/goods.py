"""物资台账: the stock per fund, item and unit, and every receipt and issue; a donor appears by name only with
their consent, since the file leaves the office."""

from openpyxl import Workbook
from sqlmodel import select

from desktop_app.core.exports.scope import fund_scope, in_brackets
from desktop_app.core.exports.sheet import WIDTH_SAMPLE, Column, Sheet, export_subtitle, write_workbook, yuan
from desktop_app.core.models import UNVALUED, Activity, GoodsMovement
from desktop_app.core.privacy import public_counterparty
from desktop_app.core.quantities import quantity_of
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries.projects import list_funds

STOCK_COLUMNS = (
    Column("基金", max_width=30), Column("物资", max_width=24), Column("单位", max_width=8), Column("收入数量", "number", 14),
    Column("发出数量", "number", 14), Column("结存", "number", 14), Column("估值", "money", 18),
)

MOVEMENT_COLUMNS = (
    Column("日期", "date"), Column("收/发", max_width=6), Column("物资", max_width=24), Column("数量", "number", 14),
    Column("单位", max_width=8), Column("来源", max_width=8), Column("捐赠方", max_width=30), Column("估值依据", max_width=14),
    Column("价值(元)", "money", 18), Column("发放活动", max_width=30), Column("受益群体", max_width=16),
    Column("受益人数", "count", 10), Column("备注", max_width=30),
)


def _movement_values(m: GoodsMovement, activity_titles: dict[str, str]) -> list:
    received = m.direction == "in"
    donor = public_counterparty(m.donor_name, m.anonymous, m.publish_consent, m.donor_kind) if received and m.source == "捐赠" else (
        m.donor_name if received else "")
    return [m.movement_date, "收" if received else "发", m.item, quantity_of(m.quantity_milli), m.unit,
            m.source if received else "", donor, m.valuation,
            yuan(m.value_fen) if m.valuation != UNVALUED else None,
            activity_titles.get(m.activity_id or "", ""), m.beneficiary_group, None if received else m.recipients,
            m.note]


def export_goods(ws, out_path, fund_id: str | None = None) -> int:
    """物资台账: a stock sheet (per fund, item and unit) and every receipt and issue, oldest first. Donors
    appear by name only with their consent, else as 爱心人士 (the file leaves the office). Returns the
    number of movements written."""
    office = ws.local_office()
    with ws.reading() as session:
        fund_ids, scope = fund_scope(session, fund_id, None)
        stock_rows = goods_queries.stock(session, fund_id)
        movements = goods_queries.list_movements(session, fund_id)
        activity_titles = {a.id: a.title for a in session.exec(select(Activity).where(
            Activity.id.in_({m.activity_id for m in movements if m.activity_id})))}
        fund_names = {f.id: f.name for f in list_funds(session)}

        def build(wb: Workbook) -> int:
            stock_values = [[r.fund_name, r.item, r.unit, quantity_of(r.received_milli), quantity_of(r.issued_milli),
                             quantity_of(r.stock_milli), yuan(r.value_fen) if r.valued else UNVALUED]
                            for r in stock_rows]
            title = f"{office.name} 物资台账" + in_brackets([scope])
            sheet = Sheet(wb, "库存", STOCK_COLUMNS, title, export_subtitle(f"共 {len(stock_rows)} 种物资", "估值：结存物资的价值"),
                          stock_values)
            for v in stock_values:
                sheet.row(v)
            valued = sum(r.value_fen for r in stock_rows if r.valued)
            sheet.total_row(["合计", f"{len(stock_rows)} 种", None, None, None, None, yuan(valued)])
            sheet.note_row("注：各物资计量单位不同，数量不作合计；估值合计只含已估值的物资，“未估值”的物资不计入。")
            sheet.finish()

            columns = MOVEMENT_COLUMNS if fund_ids != [None] else (
                MOVEMENT_COLUMNS[:1] + (Column("基金", max_width=30),) + MOVEMENT_COLUMNS[1:])
            values = [_movement_values(m, activity_titles) for m in movements]
            if fund_ids == [None]:
                values = [[v[0], fund_names.get(m.fund_id, ""), *v[1:]] for v, m in zip(values, movements, strict=True)]
            blank = [None] * (len(columns) - 7)
            totals = []
            for label, direction in (("收入价值合计", "in"), ("发出价值合计", "out")):
                part = [m for m in movements if m.direction == direction]
                recipients = sum(m.recipients for m in part) if direction == "out" else None
                totals.append([label, f"{len(part)} 条", *blank, yuan(sum(m.value_fen for m in part)), None, None,
                               recipients, None])
            moves = Sheet(wb, "收发明细", columns, f"{title} 收发明细", export_subtitle(f"共 {len(movements)} 条收发记录"),
                          values[:WIDTH_SAMPLE] + totals, landscape=True)
            for v in values:
                moves.row(v)
            for v in totals:
                moves.total_row(v, variant="subtotal")
            moves.note_row("注：捐赠方只在其同意公开时显示名称，匿名或未同意公开的显示为“爱心人士”；"
                           "发出物资的价值按收入的平均价计算，收入中有未估值物资时不估值。")
            moves.finish()
            return len(movements)

        return write_workbook(out_path, build)
