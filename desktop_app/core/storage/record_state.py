"""A record's state in the change journal's form, built by SQLite, so the witness checks can compare every
live row with its last journal row without parsing a million payloads in Python.

The journal writes a record as `json.dumps(columns, sort_keys=True, ensure_ascii=False)` (journal.py):
keys in code-point order, ", " and ": " between them, booleans (stored as 0/1) as true/false, dates as ISO
text. `payload_sql` builds exactly that text from a table's columns in SQL (SQLite's `json_quote` escapes as
`json.dumps` does, every character checked), so equal texts mean equal states. A row whose text differs is
then compared value by value (`differences`): that names what changed, and tells a real change from a mere
difference of form (a payload written before a column existed, an integer stored for a boolean).
"""

import json
from datetime import date

from sqlalchemy import Boolean, Table

from desktop_app.core.models import Record


def record_tables() -> dict[str, Table]:
    """Every journalled table (each `Record` model's), by name."""
    found: dict[str, Table] = {}
    todo = list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            found[cls.__table__.name] = cls.__table__
    return dict(sorted(found.items()))


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def payload_sql(table: Table, alias: str, columns: list[str] | None = None) -> str:
    """An SQL expression giving the row `alias` of `table` as its journal payload text. `columns`: the
    columns the table has in this database (a backup of an older schema), else the model's."""
    names = sorted(columns if columns is not None else [c.name for c in table.columns])
    booleans = {c.name for c in table.columns if isinstance(c.type, Boolean)}
    template, args = [], []
    for name in names:
        template.append(json.dumps(name, ensure_ascii=False).replace("%", "%%") + ": %s")
        ref = f"{alias}.{quote_name(name)}"
        if name in booleans:
            args.append(f"CASE WHEN {ref} IS NULL THEN 'null' WHEN {ref} THEN 'true' ELSE 'false' END")
        else:
            args.append(f"json_quote({ref})")
    text = "{" + ", ".join(template) + "}"
    return "printf('" + text.replace("'", "''") + "', " + ", ".join(args) + ")"


def latest_journal_sql(alias: str) -> str:
    """The sequence number of the last journal row of the record `alias` (a lookup in the record_id index)."""
    return f"(SELECT max(seq) FROM change_journal WHERE record_id = {alias}.id)"


def normalise(table: Table, name: str, value):
    """A value as the journal holds it: booleans as bool, dates as ISO text."""
    column = table.columns.get(name)
    if column is not None and isinstance(column.type, Boolean) and value in (0, 1):
        return bool(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def differences(table: Table, journalled: dict, live: dict) -> list[tuple[str, object, object]]:
    """(column, journalled value, live value) for every column whose live value is not the journalled one.
    A column the payload does not hold (written before the column existed) is not compared."""
    out = []
    for name in sorted(live):
        if name not in journalled:
            continue
        old, new = normalise(table, name, journalled[name]), normalise(table, name, live[name])
        if old != new:
            out.append((name, old, new))
    return out


def fetch_row(conn, table: str, record_id: str) -> dict | None:
    """The live row `record_id` of `table` as a dict of its columns (a plain sqlite3 connection)."""
    cursor = conn.execute(f"SELECT * FROM {quote_name(table)} WHERE id = ?", (record_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))
