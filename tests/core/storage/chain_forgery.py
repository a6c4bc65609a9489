"""What a determined editor does with the SQLite file in hand (issue 11): change a posted entry and recompute
its fund's hash chain and head so the chain is consistent again, append an invented entry with a valid
link, cut the chain back, and — with full control — rewrite the change journal to match. Plain sqlite3,
as a 25-line script would; the chain's own functions stand for the attacker's copy of the algorithm."""

import sqlite3
from pathlib import Path

from desktop_app.core.models import Fund, LedgerEntry
from desktop_app.core.storage import chain, record_state


def connect(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("PRAGMA foreign_keys=OFF")
    return conn


def fund_id(conn: sqlite3.Connection, name: str) -> str:
    return conn.execute("SELECT id FROM fund WHERE name = ?", (name,)).fetchone()[0]


def relink(conn: sqlite3.Connection, fund: str) -> None:
    """Recompute every chain hash of `fund` and its head from the rows as they now are."""
    attachments = chain.fund_attachment_hashes(conn, fund)
    rows = sorted(chain.chain_cursor(conn, fund).fetchall(), key=lambda r: r[1])
    previous = ""
    for content, _seq, _stored, entry_id in rows:
        previous = chain.link_hash(previous, chain.with_attachments(content, attachments.get(entry_id)))
        conn.execute("UPDATE ledger_entry SET chain_hash = ? WHERE id = ?", (previous, entry_id))
    conn.execute("UPDATE fund SET chain_head = ?, chain_length = ? WHERE id = ?", (previous, len(rows), fund))


def rewrite_journal(conn: sqlite3.Connection, fund: str) -> None:
    """Make the last journal row of the fund and of each of its entries say what the rows now hold."""
    for table, where in ((LedgerEntry.__table__, "fund_id = ?"), (Fund.__table__, "id = ?")):
        conn.execute(
            f"UPDATE change_journal SET payload = (SELECT {record_state.payload_sql(table, 't')} FROM {table.name} t "
            f"WHERE t.id = change_journal.record_id) WHERE seq IN (SELECT max(seq) FROM change_journal "
            f"WHERE record_id IN (SELECT id FROM {table.name} WHERE {where}) GROUP BY record_id)", (fund,))


def multiply_amount(folder: Path, fund_name: str, voucher: str, factor: int = 10, *,
                    journal_too: bool = False) -> None:
    """Voucher "2024-0002" of the fund: its amount × `factor`, the chain and head recomputed."""
    conn = connect(folder)
    fund = fund_id(conn, fund_name)
    year, seq = (int(part) for part in voucher.split("-"))
    conn.execute("UPDATE ledger_entry SET amount_fen = amount_fen * ? WHERE fund_id = ? AND voucher_year = ? "
                 "AND voucher_seq = ? AND status = 'posted'", (factor, fund, year, seq))
    relink(conn, fund)
    if journal_too:
        rewrite_journal(conn, fund)
    conn.commit()
    conn.close()


def append_invented(folder: Path, fund_name: str, amount_fen: int, summary: str) -> str:
    """A copy of the fund's last posted entry as a new expense, linked to the chain; its voucher number."""
    conn = connect(folder)
    fund = fund_id(conn, fund_name)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(ledger_entry)")]
    last = conn.execute("SELECT * FROM ledger_entry WHERE fund_id = ? AND chain_seq IS NOT NULL "
                        "ORDER BY chain_seq DESC LIMIT 1", (fund,)).fetchone()
    row = dict(zip(columns, last, strict=True))
    year = row["voucher_year"]
    seq = conn.execute("SELECT max(voucher_seq) FROM ledger_entry WHERE fund_id = ? AND voucher_year = ?",
                       (fund, year)).fetchone()[0] + 1
    row.update(id="f0f0f0f0-0000-4000-8000-000000000001", voucher_seq=seq, amount_fen=amount_fen, summary=summary,
               entry_type="expense", flow="out", chain_seq=row["chain_seq"] + 1, reverses_id=None)
    conn.execute(f"INSERT INTO ledger_entry ({','.join(columns)}) VALUES ({','.join('?' * len(columns))})",
                 [row[c] for c in columns])
    relink(conn, fund)
    conn.commit()
    conn.close()
    return f"{year}-{seq:04d}"


def cut_last(folder: Path, fund_name: str) -> str:
    """Delete the fund's newest posted entry and roll its head back; the voucher number it had."""
    conn = connect(folder)
    fund = fund_id(conn, fund_name)
    entry_id, year, seq = conn.execute("SELECT id, voucher_year, voucher_seq FROM ledger_entry WHERE fund_id = ? "
                                       "AND chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1", (fund,)).fetchone()
    conn.execute("DELETE FROM entry_attachment WHERE entry_id = ?", (entry_id,))
    conn.execute("DELETE FROM ledger_entry WHERE id = ?", (entry_id,))
    relink(conn, fund)
    conn.commit()
    conn.close()
    return f"{year}-{seq:04d}"


def chain_alone_passes(folder: Path) -> bool:
    """Whether the hash chain by itself still looks intact (the forgery was done right)."""
    conn = sqlite3.connect(folder / "ledger.db")
    try:
        return chain.verify_chains_on(conn).ok
    finally:
        conn.close()
