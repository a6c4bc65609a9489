"""The goods register read: stock per fund, item and unit, and the movements."""

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, select

from desktop_app.core.models import (
    UNVALUED,
    GoodsMovement,
)


@dataclass(frozen=True)
class StockRow:
    fund_id: str
    fund_name: str
    item: str
    unit: str
    received_milli: int
    issued_milli: int
    value_fen: int  # value of what is in stock, when everything received was valued; else 0
    valued: bool

    @property
    def stock_milli(self) -> int:
        return self.received_milli - self.issued_milli


def stock(session: Session, fund_id: str | None = None) -> list[StockRow]:
    params: dict = {}
    where = "g.deleted = 0"
    if fund_id:
        where += " AND g.fund_id = :fund"
        params["fund"] = fund_id
    rows = session.execute(text(
        "SELECT g.fund_id, f.name, g.item, g.unit, "
        "sum(CASE WHEN g.direction='in' THEN g.quantity_milli ELSE 0 END), "
        "sum(CASE WHEN g.direction='out' THEN g.quantity_milli ELSE 0 END), "
        "sum(CASE WHEN g.direction='in' THEN g.value_fen ELSE -g.value_fen END), "
        "min(CASE WHEN g.direction='in' THEN g.valuation != :unvalued END) "
        f"FROM goods_movement g JOIN fund f ON f.id = g.fund_id WHERE {where} "
        "GROUP BY g.fund_id, g.item, g.unit ORDER BY f.name, g.item"), params | {"unvalued": UNVALUED}).all()
    return [StockRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6]) if r[7] else 0, bool(r[7]))
            for r in rows]


def list_movements(session: Session, fund_id: str | None = None, *, direction: str | None = None,
                   activity_id: str | None = None) -> list[GoodsMovement]:
    query = select(GoodsMovement).where(GoodsMovement.deleted == False)  # noqa: E712
    if fund_id:
        query = query.where(GoodsMovement.fund_id == fund_id)
    if direction:
        query = query.where(GoodsMovement.direction == direction)
    if activity_id:
        query = query.where(GoodsMovement.activity_id == activity_id)
    return list(session.exec(query.order_by(GoodsMovement.movement_date, GoodsMovement.created_at)))


def known_items(session: Session) -> list[tuple[str, str]]:
    """(item, unit) pairs already in the register, for the form's suggestions."""
    return list(session.exec(select(GoodsMovement.item, GoodsMovement.unit).where(
        GoodsMovement.deleted == False).distinct().order_by(GoodsMovement.item)))  # noqa: E712
