"""The change journal: every insert, update and tombstone, with the record as it became, the operation that
made it and who ran it.

A session listener fills it, so no service can forget to: it also stamps office, version and updated_at, which
keeps sync identity in one place, and it is the one place where ownership is enforced: a record belongs to the
office that made it, and only that office changes it (the county never edits a township's ledger). The one door
past that rule is `Stamp.importing`, for the sync importer, which writes other offices' records as they come.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from desktop_app.core.errors import UserError
from desktop_app.core.models import ChangeJournal, LocalIdentity, Office, Record, utc_now

# What a record is called in a refusal, by table; the record's own label comes from its first set field.
RECORD_NOUNS = {
    "office": "单位信息", "project": "项目", "projectleader": "项目负责人", "site": "试点村(社区)",
    "budgetline": "预算", "fund": "社区基金", "committeemember": "基金管委会成员", "category": "类别",
    "ledger_entry": "分录", "entry_batch": "批量录入", "attachment": "附件", "entry_attachment": "分录附件",
    "closed_month": "月末结账", "activity": "活动", "beneficiary_count": "受益人数", "named_beneficiary": "受益人",
    "activity_expense": "活动支出", "photo": "照片", "goods_movement": "物资记录", "charity_space": "慈善阵地",
    "space_milestone": "阵地进度", "space_have": "阵地“六有”", "space_evidence": "阵地佐证", "setting": "设置",
    "notice": "公示", "notice_entry": "公示分录", "workspace_epoch": "工作区时期", "survey": "需求调查",
    "survey_version": "问卷版本", "survey_response": "答卷",
}
LABEL_FIELDS = ("name", "title", "caption", "item", "key", "summary", "number")


@dataclass(frozen=True)
class Stamp:
    """What every journal row of one transaction records beside the change itself."""

    office_id: str  # this workspace's office ("" before init)
    operation: str  # e.g. entry.post, notice.publish
    operator: str  # the operating-system user name until user accounts exist
    epoch_id: str = ""
    importing: bool = False  # the sync importer's door: other offices' records, kept as they come
    identity: bool = False  # init or a restore's new epoch: the only transactions that say which office this is


class NotOwner(UserError):
    """A change to a record that another office owns."""


def record_payload(obj: Record) -> dict:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.name)
        out[column.name] = value.isoformat() if isinstance(value, date) else value
    return out


def journal_row(table: str, payload: dict, op: str, stamp: Stamp) -> dict:
    return {
        "table_name": table,
        "record_id": payload["id"],
        "op": op,
        "version": payload["version"],
        "office_id": payload["office_id"],
        "changed_at": payload["updated_at"],
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        "operation": stamp.operation,
        "operator": stamp.operator,
        "epoch_id": stamp.epoch_id,
    }


def _label(values: dict) -> str:
    for field in LABEL_FIELDS:
        if values.get(field):
            return f"“{values[field]}”"
    return ""


def refuse_foreign(sess: Session, table: str, values: dict, stamp: Stamp) -> None:
    """Raise NotOwner when the record `values` of `table` belongs to another office (nothing is written:
    the transaction rolls back)."""
    owner_id = values.get("office_id")
    if stamp.importing or not stamp.office_id or not owner_id or owner_id == stamp.office_id:
        return
    owner = sess.get(Office, owner_id)
    who = f"（{owner.name}）" if owner is not None else ""
    noun = RECORD_NOUNS.get(table, "这条记录")
    raise NotOwner(f"{noun}{_label(values)}由其他单位{who}登记，只有登记它的单位可以修改。"
                   "请联系该单位修改，改好后通过数据同步传来。")


def _values(obj: Record, office_id: str | None = None) -> dict:
    values = {name: getattr(obj, name, None) for name in LABEL_FIELDS}
    values["office_id"] = obj.office_id if office_id is None else office_id
    return values


def refuse_foreign_record(sess: Session, obj: Record, stamp: Stamp) -> None:
    """Refuse a change to `obj` unless this office owns it — as it was committed and as it would become
    (so a record can be neither taken over nor given away)."""
    history = inspect(obj).attrs.office_id.history
    for owner in {*history.deleted, obj.office_id} - {None, ""}:
        refuse_foreign(sess, obj.__tablename__, _values(obj, owner), stamp)


def keep_owner(obj: Record, stamp: Stamp) -> None:
    """A record changed to have no owner keeps the one it had (or, never owned, becomes this office's, as a
    new record does): an empty owner would let any office change it and hide it from this office's lists."""
    if not obj.office_id:
        before = [owner for owner in inspect(obj).attrs.office_id.history.deleted if owner]
        obj.office_id = before[0] if before else stamp.office_id


def refuse_identity_change(obj: LocalIdentity, stamp: Stamp) -> None:
    """Which office this workspace is (and its epoch) changes only in the transactions made for it: any other
    would be a second door past ownership (a township turning itself into the county). Its level may change."""
    if stamp.identity:
        return
    state = inspect(obj)
    if state.pending or state.attrs.office_id.history.has_changes() or state.attrs.epoch_id.history.has_changes():
        raise RuntimeError("local_identity changes only through Workspace.transaction(identity=...)")


def refuse_foreign_parents(sess: Session, table, values: dict, stamp: Stamp, cache: dict,
                           columns: set[str] | None = None) -> None:
    """A record belongs under records of its own office: an entry in another office's fund, a photo
    of another office's activity would change what that office owns — added there or moved there.
    `columns`: only these references (those a change moved), else all of them (a new record)."""
    if stamp.importing or not stamp.office_id:
        return
    for fk in table.foreign_keys:
        if columns is not None and fk.parent.name not in columns:
            continue
        parent_id = values.get(fk.parent.name)
        model = _MODELS_BY_TABLE.get(fk.column.table.name)
        if not parent_id or model is None:
            continue
        key = (model, parent_id)
        if key not in cache:
            parent = sess.get(model, parent_id)
            cache[key] = None if parent is None else (_values(parent) | {"office_id": parent.office_id})
        if cache[key] is not None:
            refuse_foreign(sess, fk.column.table.name, cache[key], stamp)


def row_payload(model: type[Record], row: dict) -> dict:
    """A bulk-inserted row as `record_payload` gives a record (dates as ISO text)."""
    return {c.name: (v.isoformat() if isinstance(v := row[c.name], date) else v) for c in model.__table__.columns}


def complete_row(model: type[Record], row: dict) -> dict:
    """A bulk row with every column, missing ones at the model's defaults (so row and payload agree)."""
    full = dict(row)
    for name, field in _column_fields(model):
        if name not in full:
            full[name] = field.default_factory() if field.default_factory else field.default
    return full


@cache
def _column_fields(model: type[Record]) -> tuple:
    """The model's fields that are table columns, found once (an import completes 10,000 rows)."""
    return tuple((name, field) for name, field in model.model_fields.items() if name in model.__table__.columns)


def install(session: Session, stamp: Stamp) -> None:
    """Journal every change made through `session` (one transaction) under `stamp`.

    One journal row per record per transaction, holding the state it committed: an entry added and
    posted in one step is journalled once, as posted, at version 1 — sync never sees a state that was
    never committed, and a version moves once per transaction (whatever a caller set it to; only the
    sync importer keeps the version a package carries)."""
    written: dict[tuple[str, str], ChangeJournal] = {}
    parents: dict = {}  # owners of the records new ones hang under, looked up once per transaction

    def earlier_row(sess: Session, key: tuple[str, str]) -> ChangeJournal | None:
        """This transaction's journal row for the record, unless a rolled-back savepoint took it away."""
        row = written.get(key)
        if row is not None and row not in sess:
            del written[key]
            return None
        return row

    def journal(sess: Session, obj: Record, op: str) -> None:
        key = (obj.__tablename__, obj.id)
        row = journal_row(obj.__tablename__, record_payload(obj), op, stamp)
        earlier = earlier_row(sess, key)
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
        for obj in (*sess.new, *sess.dirty):
            if isinstance(obj, LocalIdentity):
                refuse_identity_change(obj, stamp)
        for obj in list(sess.new):
            if not isinstance(obj, Record):
                continue
            if not obj.office_id:
                obj.office_id = stamp.office_id
            refuse_foreign(sess, obj.__tablename__, _values(obj), stamp)
            refuse_foreign_parents(sess, obj.__table__, record_payload(obj), stamp, parents)
            if not stamp.importing:
                obj.created_at = obj.updated_at = now
                obj.version = 1
            journal(sess, obj, "insert")
        for obj in list(sess.dirty):
            if not isinstance(obj, Record) or not sess.is_modified(obj, include_collections=False):
                continue
            keep_owner(obj, stamp)
            refuse_foreign_record(sess, obj, stamp)
            state = inspect(obj)
            moved = {fk.parent.name for fk in obj.__table__.foreign_keys
                     if state.attrs[fk.parent.name].history.has_changes()}
            if moved:
                refuse_foreign_parents(sess, obj.__table__, record_payload(obj), stamp, parents, moved)
            version = state.attrs.version.history
            if not (stamp.importing and version.has_changes()):  # the importer keeps the package's version
                earlier = earlier_row(sess, (obj.__tablename__, obj.id))
                if earlier is None:  # first change in this transaction
                    committed = version.deleted[0] if version.deleted else obj.version
                    obj.version = (committed or 0) + 1
                else:
                    obj.version = earlier.version
                obj.updated_at = now
            became_deleted = state.attrs.deleted.history.added == [True]
            journal(sess, obj, "delete" if became_deleted else "update")
        for obj in sess.deleted:
            if isinstance(obj, Record):
                raise RuntimeError("records are never deleted: set deleted=True (a tombstone)")

    @event.listens_for(session, "do_orm_execute")
    def _bulk_insert(state: ORMExecuteState):
        """`session.execute(insert(Model), rows)` — the fast path for imports — is stamped and journalled
        here too, with one executemany for the rows and one for their journal rows. Other statements that
        would write records (an update or delete statement, an insert of `.values()`) are refused: they
        would change records past the journal and the ownership check."""
        table = _dml_table(state)
        if table == LocalIdentity.__tablename__ and not stamp.identity:
            raise RuntimeError("local_identity changes only through Workspace.transaction(identity=...)")
        model = _MODELS_BY_TABLE.get(table)
        if model is None:
            return None
        given = state.parameters
        if isinstance(given, dict) and given:
            given = [given]  # one row is a bulk of one
        if not (state.is_insert and isinstance(given, list) and given):
            raise RuntimeError(f"{model.__tablename__}: records are written through the session or as "
                               "session.execute(insert(Model), rows), so that the journal sees every change")
        now = utc_now()
        rows = []
        for values in given:
            row = complete_row(model, values)
            row["office_id"] = row["office_id"] or stamp.office_id
            if not stamp.importing:
                row.update(created_at=now, updated_at=now, version=1)
            refuse_foreign(state.session, model.__tablename__, row, stamp)
            refuse_foreign_parents(state.session, model.__table__, row, stamp, parents)
            rows.append(row)
        result = state.invoke_statement(params=rows if state.is_executemany else rows[0])
        state.session.execute(insert(ChangeJournal.__table__), [
            journal_row(model.__tablename__, row_payload(model, row), "insert", stamp) for row in rows])
        return result


def _dml_table(state: ORMExecuteState) -> str | None:
    """The table an insert, update or delete statement writes to (None for anything else)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    return getattr(getattr(state.statement, "table", None), "name", None)


def _record_models() -> dict[str, type[Record]]:
    found, todo = {}, list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            found[cls.__table__.name] = cls
    return found


_MODELS_BY_TABLE = _record_models()
