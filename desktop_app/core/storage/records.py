"""Working with synced records inside a transaction: find a live one, change only what differs, keep a
list of child rows equal to what the user entered (tombstoning the rest, never deleting)."""

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Record
from desktop_app.core.storage.identity import local_office_id
from desktop_app.core.validation import name_key


def live(s: Session, model: type[Record], record_id: str, what: str, list_command: str):
    """The record, unless it is missing or tombstoned: then a message naming `what` and where to look."""
    record = s.get(model, record_id)
    if record is None or record.deleted:
        raise UserError(f"找不到要修改的{what}（编号 {record_id}），它可能已被删除。请用 {list_command} 或在程序中刷新后重试。")
    return record


def assign(record: Record, values: dict) -> None:
    """Set only the fields that differ, so an unchanged record gets no new version or journal row."""
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)


def sync_children(s: Session, model: type[Record], current: list, key: str, wanted: list[dict]) -> None:
    """Make the live child rows equal `wanted`: a row whose `key` matches is updated in place, a new
    one is inserted, and what is no longer wanted is tombstoned (never deleted)."""
    pool: dict[str, list] = {}
    for row in current:
        pool.setdefault(getattr(row, key), []).append(row)
    for values in wanted:
        matches = pool.get(values[key])
        if matches:
            assign(matches.pop(0), values)
        else:
            s.add(model(**values))
    for rows in pool.values():
        for row in rows:
            row.deleted = True


def name_taken(s: Session, model: type[Record], name: str, *, other_than: str | None = None) -> bool:
    """Whether a live record of `model` of this office already has this name (leaving out the record being
    edited), names compared as `validation.name_key` reads them: “尚善基金” and “尚善基金” + a zero-width
    space, or ＡＢ and AB, are the same name. Other offices' records do not count: a county holds townships'
    projects of the same name."""
    key = name_key(name)
    names = select(model.name).where(model.deleted == False, model.office_id == local_office_id(s))  # noqa: E712
    if other_than:
        names = names.where(model.id != other_than)
    return any(name_key(other) == key for other in s.exec(names))
