"""The records a package carries, read from the township's own database: everything its office changed
after a journal sequence number (each record once, in the state it last committed), or everything it
holds (a full package, a new baseline). Values as the journal writes them, with `fields` applied."""

import json
from collections.abc import Iterator

from desktop_app.core.storage.record_state import payload_sql, quote_name
from desktop_app.core.sync.apply import record_models
from desktop_app.core.sync.fields import private_question_codes, travelling_payload


def changed_records(conn, office_id: str, after_seq: int) -> Iterator[tuple[str, dict]]:
    """(table, payload) of every record of `office_id` journalled after `after_seq`, each once, as its
    last journal row holds it. `conn`: a DB-API connection (sqlite3 or SQLAlchemy's driver connection)."""
    private = _private_questions(conn, office_id)
    rows = conn.execute(
        "SELECT table_name, payload FROM change_journal WHERE seq IN ("
        " SELECT max(seq) FROM change_journal WHERE seq > ? AND office_id = ? GROUP BY table_name, record_id)"
        " ORDER BY seq", (after_seq, office_id))
    known = record_models()
    for table, text in rows:
        if table in known:
            yield table, travelling_payload(table, json.loads(text), private)


def all_records(conn, office_id: str) -> Iterator[tuple[str, dict]]:
    """(table, payload) of every record `office_id` holds, tombstones included (a full package)."""
    private = _private_questions(conn, office_id)
    for table, model in record_models().items():
        sql = f"SELECT {payload_sql(model.__table__, 't')} FROM {quote_name(table)} t WHERE t.office_id = ?"
        for (text,) in conn.execute(sql, (office_id,)):
            yield table, travelling_payload(table, json.loads(text), private)


def last_seq(conn) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM change_journal").fetchone()[0]


def _private_questions(conn, office_id: str) -> dict[str, set[str]]:
    rows = conn.execute("SELECT id, definition FROM survey_version WHERE office_id = ?", (office_id,))
    return {version_id: private_question_codes(definition) for version_id, definition in rows}
