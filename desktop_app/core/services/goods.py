"""物资台账: goods a fund receives (donated, bought, transferred) and hands out at activities.

Stock is kept per fund, item and unit, as the sum of the movements; it never goes below zero at any
date, so an issue dated before the goods arrived is refused as firmly as one beyond today's stock.
A donation of goods counts in the fund's reports at its value when valued (by the donor's documents or
at fair value); unvalued goods appear only in this register.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    COUNTERPARTY_KINDS,
    GOODS_SOURCES,
    GOODS_VALUATIONS,
    UNVALUED,
    Activity,
    Fund,
    GoodsMovement,
    LedgerEntry,
)
from desktop_app.core.money import parse_amount, to_fen
from desktop_app.core.months import month_after
from desktop_app.core.quantities import parse_quantity, quantity_of
from desktop_app.core.queries.projects import closed_through, month_closed
from desktop_app.core.storage.records import live
from desktop_app.core.validation import check_text, parse_count


@dataclass
class GoodsReceiptInput:
    fund_id: str
    movement_date: date
    item: str
    unit: str
    quantity: Decimal | str
    source: str = "捐赠"
    donor_name: str = ""
    donor_kind: str = ""
    anonymous: bool = False
    publish_consent: bool = False
    valuation: str = UNVALUED
    value: Decimal | str = Decimal(0)  # total value of what was received, when valued
    entry_id: str | None = None  # the posted expense that bought the goods (source 购买)
    note: str = ""


@dataclass
class GoodsIssueInput:
    fund_id: str
    movement_date: date
    item: str
    unit: str
    quantity: Decimal | str
    activity_id: str | None = None
    beneficiary_group: str = ""
    recipients: int | str = 0
    note: str = ""


def receive_goods(ws, data: GoodsReceiptInput) -> GoodsMovement:
    with ws.transaction("goods.receive") as s:
        fund = _fund(s, data.fund_id)
        _refuse_closed_month(s, fund, data.movement_date, "登记物资收入")
        item, unit = _item(data.item, data.unit)
        quantity = parse_quantity(data.quantity)
        if data.source not in GOODS_SOURCES:
            raise UserError(f"物资来源“{data.source}”不对，应为：{'、'.join(GOODS_SOURCES)}。")
        if data.valuation not in GOODS_VALUATIONS:
            raise UserError(f"估值依据“{data.valuation}”不对，应为：{'、'.join(GOODS_VALUATIONS)}。")
        if data.donor_kind and data.donor_kind not in COUNTERPARTY_KINDS:
            raise UserError(f"捐赠方类型“{data.donor_kind}”不对，应为：{'、'.join(COUNTERPARTY_KINDS)}。")
        value_fen = 0
        if data.valuation != UNVALUED:
            value = data.value if isinstance(data.value, Decimal) else parse_amount(str(data.value), allow_zero=True)
            value_fen = to_fen(value)
            if value_fen <= 0:
                raise UserError(f"按“{data.valuation}”估值时请填写物资的总价值（元）；无法估值请选“未估值”。")
        donor_name = check_text("捐赠方名称", data.donor_name, 100)
        if data.source == "捐赠" and not data.anonymous and not donor_name:
            raise UserError("请填写捐赠方名称；不愿留名的请勾选“匿名”。")
        if data.entry_id:
            entry = s.get(LedgerEntry, data.entry_id)
            if entry is None or entry.deleted or entry.entry_type != "expense" or entry.fund_id != fund.id:
                raise UserError("关联的购买支出不是本基金的支出分录。请在台账中重新选择。")
        movement = GoodsMovement(
            fund_id=fund.id, movement_date=data.movement_date, direction="in", item=item, unit=unit,
            quantity_milli=int(quantity * 1000), source=data.source,
            donor_name=donor_name, donor_kind=data.donor_kind,
            anonymous=bool(data.anonymous), publish_consent=bool(data.publish_consent),
            valuation=data.valuation, value_fen=value_fen, entry_id=data.entry_id or None,
            note=check_text("备注", data.note, 200))
        s.add(movement)
    return movement


def issue_goods(ws, data: GoodsIssueInput) -> GoodsMovement:
    with ws.transaction("goods.issue") as s:
        fund = _fund(s, data.fund_id)
        _refuse_closed_month(s, fund, data.movement_date, "登记物资发放")
        item, unit = _item(data.item, data.unit)
        quantity = parse_quantity(data.quantity)
        if data.activity_id:
            activity = s.get(Activity, data.activity_id)
            if activity is None or activity.deleted:
                raise UserError("所选活动不存在（可能已被删除）。请重新选择发放物资的活动。")
            if fund.project_id and activity.project_id != fund.project_id:
                raise UserError(f"活动“{activity.title}”不属于社区基金“{fund.name}”的项目。请选择本项目的活动。")
        movement = GoodsMovement(
            fund_id=fund.id, movement_date=data.movement_date, direction="out", item=item, unit=unit,
            quantity_milli=int(quantity * 1000), activity_id=data.activity_id or None,
            beneficiary_group=check_text("受益群体", data.beneficiary_group, 50),
            recipients=parse_count(data.recipients, "受益人数"), note=check_text("备注", data.note, 200))
        movements = _movements(s, fund.id, item, unit) + [movement]
        _check_never_negative(movements, item, unit)
        movement.valuation, movement.value_fen = _issue_value(movements, movement)
        s.add(movement)
    return movement


def remove_movement(ws, movement_id: str) -> None:
    """Tombstone a movement entered by mistake; refused when the stock would go negative."""
    with ws.transaction("goods.remove") as s:
        movement = live(s, GoodsMovement, movement_id, "物资记录", "goods list")
        _refuse_closed_month(s, _fund(s, movement.fund_id), movement.movement_date, "删除这条物资记录",
                             removing=True)
        rest = [m for m in _movements(s, movement.fund_id, movement.item, movement.unit) if m.id != movement.id]
        _check_never_negative(rest, movement.item, movement.unit, removing=movement)
        movement.deleted = True


def _fund(s: Session, fund_id: str) -> Fund:
    fund = s.get(Fund, fund_id or "")
    if fund is None or fund.deleted:
        raise UserError("请选择物资所属的社区基金。")
    return fund


def _refuse_closed_month(s: Session, fund: Fund, day: date, what: str, *, removing: bool = False) -> None:
    """Valued goods count in the fund's figures and in its notices: like a ledger entry, no movement is
    recorded, removed or moved in a closed month of its fund (publishing a notice closes its months).
    Every change of a movement (receive, issue, remove, restore, a new date or fund) checks here."""
    if not month_closed(s, fund.id, day):
        return
    then = f"{day:%Y年%m月}已结账（社区基金“{fund.name}”已结账至 {closed_through(s, fund.id)}，发布公示时会结账公示期间），"
    if removing:
        raise UserError(then + f"不能再{what}。如记录有误，请在未结账的月份补登一笔收入或发放来调整库存；"
                               "如它已列入已发布的公示，请在“信息公示”中为那份公示发布更正说明。")
    raise UserError(then + f"不能再在 {day} {what}。请把日期改到未结账的月份（"
                           f"{month_after(closed_through(s, fund.id)):%Y年%m月}或以后）；如已发布的公示漏列或错列了这批物资，"
                           "请在“信息公示”中为那份公示发布更正说明。")


def _item(item: str, unit: str) -> tuple[str, str]:
    item, unit = check_text("物资名称", item, 100), check_text("单位", unit, 10)
    if not item:
        raise UserError("请填写物资名称，例如“新春礼品”。")
    if not unit:
        raise UserError(f"请填写“{item}”的计量单位，例如 份、个、箱、千克。")
    return item, unit


def _movements(s: Session, fund_id: str, item: str, unit: str) -> list[GoodsMovement]:
    return list(s.exec(select(GoodsMovement).where(
        GoodsMovement.fund_id == fund_id, GoodsMovement.item == item, GoodsMovement.unit == unit,
        GoodsMovement.deleted == False)))  # noqa: E712


def _in_date_order(movements: list[GoodsMovement]) -> list[GoodsMovement]:
    """Receipts before issues on the same day: goods handed out the day they arrive are fine."""
    return sorted(movements, key=lambda m: (m.movement_date, m.direction != "in", m.created_at))


def _check_never_negative(movements: list[GoodsMovement], item: str, unit: str, *,
                          removing: GoodsMovement | None = None) -> None:
    stock = 0
    for m in _in_date_order(movements):
        stock += m.quantity_milli if m.direction == "in" else -m.quantity_milli
        if stock < 0:
            short = quantity_of(-stock)
            have = quantity_of(stock + m.quantity_milli)
            if removing is not None:
                raise UserError(f"删除这条记录后，{m.movement_date} 发放“{item}”时库存会不足 {short}{unit}。"
                                f"请先删除或减少那次发放，再删除这条收入记录。")
            raise UserError(f"“{item}”库存不足：{m.movement_date} 时只有 {have}{unit}，要发放 "
                            f"{quantity_of(m.quantity_milli)}{unit}。请先登记收到的物资，或减少发放数量。")


def _issue_value(movements: list[GoodsMovement], issue: GoodsMovement) -> tuple[str, int]:
    """An issue carries the average value of what was received, when everything received was valued."""
    received = [m for m in movements if m.direction == "in"]
    if not received or any(m.valuation == UNVALUED for m in received):
        return UNVALUED, 0
    quantity = sum(m.quantity_milli for m in received)
    value = sum(m.value_fen for m in received)
    return "按收入平均价", int((Decimal(value) * issue.quantity_milli / quantity).quantize(Decimal(1)))


# ------------------------------------------------------------------ reading


