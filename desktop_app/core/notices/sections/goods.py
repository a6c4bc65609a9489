"""The goods part of a notice: 物资接收 (donors through the privacy pass, values only where valued) and
物资发放 (by activity, with the groups and numbers reached)."""

from sqlmodel import select

from desktop_app.core.documents.model import Paragraph, Table
from desktop_app.core.models import Activity, GoodsMovement
from desktop_app.core.money import format_yuan
from desktop_app.core.notices.context import BuildContext
from desktop_app.core.notices.formats import make_table, quantity_text


def goods_in_period(ctx: BuildContext) -> tuple[list[GoodsMovement], list[GoodsMovement]]:
    """The period's goods received and issued by the project's funds, in date order."""
    if not ctx.funds:
        return [], []
    rows = list(ctx.session.exec(select(GoodsMovement).where(
        GoodsMovement.fund_id.in_(list(ctx.fund_names)), GoodsMovement.deleted == False,  # noqa: E712
        GoodsMovement.movement_date >= ctx.req.date_from, GoodsMovement.movement_date <= ctx.req.date_to)
        .order_by(GoodsMovement.movement_date, GoodsMovement.created_at)))
    return [g for g in rows if g.direction == "in"], [g for g in rows if g.direction == "out"]


def _goods_source(ctx: BuildContext, g: GoodsMovement) -> str:
    if g.source in ("", "捐赠"):
        return ctx.privacy.donor(g.donor_name, g.donor_kind, g.anonymous, g.publish_consent)
    return g.source  # 购买 | 调拨


def _goods_value(g: GoodsMovement) -> str:
    return format_yuan(g.value_fen) if g.valuation != "未估值" else "—"


def goods_received_table(ctx: BuildContext, received: list[GoodsMovement], *, donated_only: bool = False) -> Table:
    """物资接收 (only the donated goods with `donated_only`), with the total of the valued ones."""
    rows = [[g.movement_date.isoformat(), _goods_source(ctx, g), g.item, quantity_text(g.quantity_milli, g.unit),
             g.valuation or "—", _goods_value(g)]
            for g in received if not donated_only or g.source in ("", "捐赠")]
    valued = sum(g.value_fen for g in received if (not donated_only or g.source in ("", "捐赠"))
                 and g.valuation != "未估值")
    return make_table([("日期", 1.7, "center"), ("来源/捐赠方", 3, "left"), ("物品", 2.4, "left"), ("数量", 1.3, "right"),
                       ("估值依据", 1.5, "center"), ("价值", 1.8, "right")], rows,
                      [["合计", "", "", "", "", format_yuan(valued)]],
                      caption="物资接收（“—”为未估值，只登记数量）")


def goods_part(ctx: BuildContext, blocks: list) -> None:
    """物资收发情况: the goods received, then those issued (by activity)."""
    received, issued = goods_in_period(ctx)
    if not received and not issued:
        blocks.append(Paragraph("本期没有物资收发。"))
        return
    if received:
        blocks.append(goods_received_table(ctx, received))
    if issued:
        titles = {a.id: a.title for a in ctx.session.exec(select(Activity).where(
            Activity.id.in_([g.activity_id for g in issued if g.activity_id])))}
        rows = [[g.movement_date.isoformat(), titles.get(g.activity_id or "", "") or g.note or "—", g.item,
                 quantity_text(g.quantity_milli, g.unit), g.beneficiary_group or "—", str(g.recipients) if g.recipients else "—"]
                for g in issued]
        blocks.append(make_table([("日期", 1.7, "center"), ("发放活动", 3.4, "left"), ("物品", 2.2, "left"),
                                  ("数量", 1.3, "right"), ("受益群体", 1.8, "left"), ("人数", 1, "right")], rows,
                                 [["合计", "", "", "", "", str(sum(g.recipients for g in issued))]], caption="物资发放"))
