"""The change journal: every insert, update and tombstone, with the record as it became.

A session listener fills it, so no service can forget to: it also stamps office, version and
updated_at, which keeps sync identity in one place.
"""

import json
from datetime import date

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from desktop_app.core.models import ChangeJournal, Record, utc_now


def record_payload(obj: Record) -> dict:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.name)
        out[column.name] = value.isoformat() if isinstance(value, date) else value
    return out


def journal_row(table: str, payload: dict, op: str) -> dict:
    return {
        "table_name": table,
        "record_id": payload["id"],
        "op": op,
        "version": payload["version"],
        "office_id": payload["office_id"],
        "changed_at": payload["updated_at"],
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
    }


def install(session: Session, office_id: str) -> None:
    """Journal every change made through `session` (one transaction), owned by `office_id`.

    One journal row per record per transaction, holding the state it committed: an entry added and
    posted in one step is journalled once, as posted, at version 1 — sync never sees a state that was
    never committed, and a version moves once per transaction."""
    written: dict[tuple[str, str], ChangeJournal] = {}

    def journal(sess: Session, obj: Record, op: str) -> None:
        key = (obj.__tablename__, obj.id)
        row = journal_row(obj.__tablename__, record_payload(obj), op)
        earlier = written.get(key)
        if earlier is None:
            written[key] = ChangeJournal(**row)
            sess.add(written[key])
            return
        if earlier.op == "insert" and op == "update":
            row["op"] = "insert"  # still new to everyone outside this transaction
        for name, value in row.items():
            setattr(earlier, name, value)

    @event.listens_for(session, "before_flush")
    def _before_flush(sess, _ctx, _instances):
        now = utc_now()
        for obj in list(sess.new):
            if not isinstance(obj, Record):
                continue
            if not obj.office_id:
                obj.office_id = office_id
            obj.created_at = obj.updated_at = now
            journal(sess, obj, "insert")
        for obj in list(sess.dirty):
            if not isinstance(obj, Record) or not sess.is_modified(obj, include_collections=False):
                continue
            state = inspect(obj)
            if state.attrs.version.history.has_changes():
                continue
            if (obj.__tablename__, obj.id) not in written:  # first change in this transaction
                obj.version = (obj.version or 0) + 1
            obj.updated_at = now
            became_deleted = state.attrs.deleted.history.added == [True]
            journal(sess, obj, "delete" if became_deleted else "update")
        for obj in sess.deleted:
            if isinstance(obj, Record):
                raise RuntimeError("records are never deleted: set deleted=True (a tombstone)")
