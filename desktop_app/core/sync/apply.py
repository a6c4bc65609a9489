"""Records from a package written into the county's database, through the journal's one import door
(`Workspace.sync_import_transaction`): each keeps its own office, times and version.

The same id and version with the same content is nothing; with different content it is a conflict, reported
and never written over (ODK Central's 409); a higher version updates; a lower one is an old state the county
already has past. Tombstones are updates like any other (`deleted` set), so a record deleted at the source
stays deleted."""

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, insert
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, SQLModel, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Record
from desktop_app.core.storage.journal import RECORD_NOUNS, complete_row
from desktop_app.core.storage.record_state import differences, payload_sql, quote_name

_CHUNK = 500  # ids per lookup (SQLite's variable limit is far above; keeps statements short)


@dataclass(frozen=True)
class Conflict:
    """A record the county holds at the same version with other content: kept as it is, reported."""

    table: str
    record_id: str
    version: int
    fields: tuple[str, ...]

    def describe(self) -> str:
        noun = RECORD_NOUNS.get(self.table, self.table)
        return (f"{noun}（编号 {self.record_id[:8]}，第 {self.version} 版）与县里已有的同版本内容不同"
                f"（{'、'.join(self.fields)}），未覆盖")


@dataclass
class ApplySummary:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def add(self, other: "ApplySummary") -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.conflicts.extend(other.conflicts)


class ForeignRecord(UserError):
    """A package carrying a record of another office than the one that signed it."""


class BadRecord(UserError):
    """A package carrying a record whose values do not fit the county's table (a forged or damaged package:
    the township's program writes none of these)."""


_INT_RANGE = (-(2 ** 63), 2 ** 63 - 1)  # SQLite's INTEGER


def _bad_value(column, value) -> bool:
    """Whether `value` (a payload's, as JSON gave it) cannot be the journal's value of `column`."""
    if value is None:
        return not column.nullable
    kind = column.type
    if isinstance(kind, Boolean):
        return not isinstance(value, bool) and value not in (0, 1)
    if isinstance(kind, Integer):
        return isinstance(value, bool) or not isinstance(value, int) or not _INT_RANGE[0] <= value <= _INT_RANGE[1]
    if isinstance(kind, Date):
        if not isinstance(value, str):
            return True
        try:
            date.fromisoformat(value)
        except ValueError:
            return True
        return False
    if isinstance(kind, String):
        return not isinstance(value, str)
    return isinstance(value, (dict, list, float))


def check_payload(model: type[Record], payload: dict) -> None:
    """Refuse (BadRecord) a payload with a value its column cannot hold: text where a number belongs, a
    nested object, a number past SQLite's range, NaN, an impossible date, an empty id or version."""
    table = model.__table__
    noun = RECORD_NOUNS.get(table.name, "记录")
    bad = [c.name for c in table.columns if c.name in payload and _bad_value(c, payload[c.name])]
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        bad.append("version")
    if not payload.get("id"):
        bad.append("id")
    if bad:
        raise BadRecord(f"同步包里的{noun}（编号 {str(payload.get('id'))[:8]}）有不合规定的内容"
                        f"（{'、'.join(sorted(set(bad)))}），整个包未导入，县里什么也没有改动。"
                        "本程序导出的包不会这样，这个包可能被改动过或已损坏：请让该单位重新导出，"
                        "如仍如此，请把这个包交给技术人员检查。")


def record_models() -> dict[str, type[Record]]:
    """Every synced model by table name, in the order their foreign keys need (parents first)."""
    by_table: dict[str, type[Record]] = {}
    todo = list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            by_table[cls.__table__.name] = cls
    return {t.name: by_table[t.name] for t in SQLModel.metadata.sorted_tables if t.name in by_table}


def to_row(model: type[Record], payload: dict) -> dict:
    """A payload (journal form: dates as ISO text, booleans as true/false) as column values; columns the
    payload lacks (written by an older schema) at the model's defaults, keys the model lacks dropped."""
    row = {}
    for column in model.__table__.columns:
        if column.name not in payload:
            continue
        value = payload[column.name]
        if value is not None and isinstance(column.type, Date) and not isinstance(value, date):
            value = date.fromisoformat(str(value))
        elif value is not None and isinstance(column.type, Boolean):
            value = bool(value)
        row[column.name] = value
    return complete_row(model, row)


def apply_records(session: Session, office_id: str, records: dict[str, list[dict]], *,
                  rebaseline: bool = False) -> ApplySummary:
    """Write `records` (table → payloads) of office `office_id` into the county's database, inside the
    import transaction `session`. Raises ForeignRecord (nothing is kept: the caller's transaction rolls
    back) when a payload or the stored record it would change belongs to another office.

    `rebaseline`: `records` are all the office holds now (a full package the county accepted after the
    office restored an old backup): each record takes the package's state whatever its version."""
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # parents may come later
    summary = ApplySummary()
    models = record_models()
    for table, model in models.items():
        payloads = records.get(table)
        if payloads:
            summary.add(_apply_table(session, office_id, model, payloads, rebaseline))
    unknown = set(records) - set(models)
    if unknown:
        raise UserError(f"同步包里有本程序不认识的数据（{'、'.join(sorted(unknown))}），未导入。"
                        "请把县级的程序升级到最新版本后再导入。")
    _check_parents(session, office_id, [models[t] for t in models if records.get(t)])
    return summary


def _check_parents(session: Session, office_id: str, touched: list[type[Record]]) -> None:
    """Every record of the office names parents the county holds (foreign keys are deferred while a package
    is applied: checked here, so that a dry run finds what the real import would, and says which record),
    and parents of its own office: an entry of one township never lands in another's fund. One indexed
    query per foreign key over the office's rows (SQLite's foreign_key_check would read whole tables)."""
    conn = session.connection()
    for model in touched:
        table = model.__table__.name
        for fk in model.__table__.foreign_keys:
            parent, column = fk.column.table.name, quote_name(fk.parent.name)
            sql = (f"SELECT c.id, p.id IS NULL FROM {quote_name(table)} c LEFT JOIN {quote_name(parent)} p"
                   f" ON c.{column} = p.id WHERE c.office_id = ? AND c.{column} IS NOT NULL"
                   " AND (p.id IS NULL OR p.office_id != ?) LIMIT 1")
            found = conn.exec_driver_sql(sql, (office_id, office_id)).first()
            if found is None:
                continue
            noun, parent_noun = RECORD_NOUNS.get(table, "记录"), RECORD_NOUNS.get(parent, "上级记录")
            if found[1]:
                raise BadRecord(f"同步包里的{noun}（编号 {found[0][:8]}）所属的{parent_noun}在包里和县里都没有，"
                                "整个包未导入，县里什么也没有改动。请让该单位导出全量包（sync export --full）后再导入；"
                                "如仍如此，请把这个包交给技术人员检查。")
            raise ForeignRecord(f"同步包里的{noun}（编号 {found[0][:8]}）挂在另一个单位的{parent_noun}下，整个包未导入，"
                                "县里什么也没有改动。本程序导出的包不会这样，这个包可能被伪造或改动过：请不要再导入它，"
                                "并把它交给技术人员检查。")


def _apply_table(session: Session, office_id: str, model: type[Record], payloads: list[dict],
                 rebaseline: bool = False) -> ApplySummary:
    table = model.__table__
    summary = ApplySummary()
    seen: set[str] = set()
    for payload in payloads:
        if payload.get("office_id") != office_id:
            raise ForeignRecord(f"同步包里的{RECORD_NOUNS.get(table.name, '记录')}（编号 {str(payload.get('id'))[:8]}）"
                                "不属于发出这个包的单位，整个包未导入。请让该单位重新导出同步包。")
        check_payload(model, payload)
        if payload["id"] in seen:  # a package carries each record once, in its last state
            raise BadRecord(f"同步包里的{RECORD_NOUNS.get(table.name, '记录')}（编号 {payload['id'][:8]}）出现了不止一次，"
                            "整个包未导入，县里什么也没有改动。这个包可能被改动过：请让该单位重新导出。")
        seen.add(payload["id"])
    held = _stored(session, model, [p["id"] for p in payloads])
    new_rows = []
    for payload in payloads:
        stored = held.get(payload["id"])
        if stored is None:
            new_rows.append(to_row(model, payload))
            summary.new += 1
            continue
        if stored["office_id"] != office_id:
            raise ForeignRecord(f"同步包里的{RECORD_NOUNS.get(table.name, '记录')}（编号 {payload['id'][:8]}）与县里另一个"
                                "单位的记录编号相同，整个包未导入。请把这个包交给技术人员检查。")
        version, stored_version = int(payload["version"]), int(stored["version"])
        if rebaseline and differences(table, payload, stored):
            version = stored_version + 1  # below: taken as it comes, its own version kept
        if version < stored_version:
            summary.unchanged += 1  # an older state: the county already holds a later one
        elif version == stored_version:
            changed = [name for name, _old, _new in differences(table, payload, stored)]
            if changed:
                summary.conflicts.append(Conflict(table.name, payload["id"], version, tuple(changed)))
            else:
                summary.unchanged += 1
        else:
            record = session.get(model, payload["id"])
            for name, value in to_row(model, payload).items():
                if getattr(record, name) != value:
                    setattr(record, name, value)
            flag_modified(record, "version")  # the package's version kept, even one equal to the county's
            summary.updated += 1
    if new_rows:
        session.execute(insert(model), new_rows)
    session.flush()
    return summary


def _stored(session: Session, model: type[Record], ids: list[str]) -> dict[str, dict]:
    """The county's rows among `ids`, each as its journal payload (values as the journal writes them)."""
    table = model.__table__
    held: dict[str, dict] = {}
    conn = session.connection()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT {payload_sql(table, 't')} FROM {quote_name(table.name)} t WHERE t.id IN ({marks})"
        for (text,) in conn.exec_driver_sql(sql, tuple(chunk)):
            row = json.loads(text)
            held[row["id"]] = row
    return held


# Columns whose values must stay unique among live and tombstoned rows alike: a record set aside frees them.
_UNIQUE_HOLDERS = {"ledger_entry": ("voucher_seq", "chain_seq", "chain_hash"), "notice": ("number_seq",)}


def set_aside_missing(session: Session, office_id: str, records: dict[str, list[dict]]) -> list[tuple[str, str]]:
    """Before a rebaseline: every live record of `office_id` the full package does not carry — changes the
    office lost by restoring an old backup — is set aside: tombstoned, a posted entry taken out of its chain
    and its voucher number freed (the same numbers now belong to the office's restored history). What it was
    stays in the county's change journal and the archived packages. Returns (table, id) of each."""
    carried = {(table, p.get("id")) for table, payloads in records.items() for p in payloads}
    aside = []
    for table, model in reversed(list(record_models().items())):  # children before their parents
        for record in session.exec(select(model).where(model.office_id == office_id, model.deleted == False)):  # noqa: E712
            if (table, record.id) in carried:
                continue
            record.deleted = True
            for name in _UNIQUE_HOLDERS.get(table, ()):
                setattr(record, name, None)
            if table == "ledger_entry":
                record.status = "draft"  # out of the chain: no longer a posted entry of the office's books
            if table == "setting":
                record.key = f"{record.key}#搁置-{record.id[:8]}"
            session.add(record)
            aside.append((table, record.id))
    session.flush()
    return aside
