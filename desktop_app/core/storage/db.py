"""SQLite connections and schema migrations.

Every connection gets WAL, synchronous=FULL (a power cut must not roll back a committed entry),
foreign keys and a busy timeout. Migrations are an ordered list of SQL files; the schema version is
SQLite's `user_version`. Each migration runs in one transaction together with its version bump.
"""

import sqlite3
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000")
SQLITE_HEADER = b"SQLite format 3\x00"


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) in order; the version is the file's numeric prefix."""
    folder = resources.files("desktop_app.core.storage") / "migrations"
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.name, item.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_VERSION = migration_files()[-1][0]


def readonly_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI for a file path. Percent-encoded: a folder named “3#楼” or “a%20b”
    must not be read as a URI fragment or escape (which would open some other file)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def apply_pragmas(conn: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")


def connect_raw(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with the workspace pragmas (used by checks, backups, fast readers)."""
    if readonly:
        conn = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=5000")
        return conn
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    apply_pragmas(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def stored_version(path: Path) -> int | None:
    """The schema version of an existing database file, read without writing; None when it holds tables but
    no version: another program's database (each migration sets its version with its tables, in one step).
    sqlite3.DatabaseError when SQLite cannot read the file."""
    conn = connect_raw(path, readonly=True)
    try:
        version = schema_version(conn)
        return None if version == 0 and conn.execute("SELECT 1 FROM sqlite_master").fetchone() else version
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection, *, on_step=None) -> list[str]:
    """Apply every migration newer than the database; returns the names applied."""
    applied = []
    current = schema_version(conn)
    for version, name, sql in migration_files():
        if version <= current:
            continue
        if on_step:
            on_step(version, name)
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;")
        except Exception:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def copy_database(source: Path, dest: sqlite3.Connection) -> None:
    """Page-copy a database into `dest` (SQLite's backup API, all pages in one step, so the destination
    changes in one transaction), then close `dest`."""
    src = sqlite3.connect(readonly_uri(source), uri=True)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


def connect_read_only_media(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing at all beside the database: for a workspace on a write-protected
    USB stick. Immutable when there is no -wal file (a clean shutdown); with one, read-only through it."""
    wal = Path(path).with_name(Path(path).name + "-wal")
    conn = sqlite3.connect(readonly_uri(path, immutable=not wal.exists()), uri=True, check_same_thread=False,
                           timeout=5)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def make_engine(path: Path, *, immediate: bool, read_only_media: bool = False) -> Engine:
    """An SQLAlchemy engine on the workspace database.

    Writers open transactions with BEGIN IMMEDIATE so voucher numbers are taken under the write lock
    (gapless numbering even with a second process); readers use a deferred BEGIN. `read_only_media`: every
    connection is `connect_read_only_media` (the workspace cannot be written).
    """
    # `creator` hands SQLite the path itself: an SQLAlchemy URL would misread folders named “3#楼”.
    if read_only_media:
        engine = create_engine("sqlite://", creator=lambda: connect_read_only_media(path))
    else:
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(path, check_same_thread=False, timeout=5)
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is unreliable)
        if not read_only_media:
            apply_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def backup_owner(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """(office id, name) of the office a database (a backup) belongs to, whatever its schema version."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "local_identity" in tables:
        return conn.execute("SELECT o.id, o.name FROM local_identity i JOIN office o ON o.id = i.office_id").fetchone()
    if "office" in tables:  # written before schema 8: the local office was flagged in the office table
        return conn.execute("SELECT id, name FROM office WHERE is_local = 1").fetchone()
    return None
