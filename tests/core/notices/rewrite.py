"""Rewriting a fund's hash chain end to end in the SQLite file, as someone with the file in hand could: an
entry's amount multiplied, every later chain hash and the fund's chain head recomputed, so the chain is
consistent again and only a witness outside it (a printed notice's QR code) can tell."""

import sqlite3
from pathlib import Path

from desktop_app.core.storage.chain import HASHED_FIELDS, canonical, link_hash


def rewrite_chain(db_path: Path, fund_id: str, chain_seq: int, factor: int = 10) -> None:
    """Multiply the amount of the fund's entry at `chain_seq` by `factor` and recompute the chain from there."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    conn.execute("UPDATE ledger_entry SET amount_fen = amount_fen * ? WHERE fund_id = ? AND chain_seq = ?",
                 (factor, fund_id, chain_seq))
    before = conn.execute("SELECT chain_hash FROM ledger_entry WHERE fund_id = ? AND chain_seq = ?",
                          (fund_id, chain_seq - 1)).fetchone()
    previous = before["chain_hash"] if before else ""
    rows = conn.execute("SELECT * FROM ledger_entry WHERE fund_id = ? AND chain_seq >= ? ORDER BY chain_seq",
                        (fund_id, chain_seq)).fetchall()
    for row in rows:
        attachments = [r[0] for r in conn.execute(
            "SELECT a.sha256 FROM entry_attachment ea JOIN attachment a ON a.id = ea.attachment_id "
            "WHERE ea.entry_id = ? AND ea.deleted = 0", (row["id"],))]
        previous = link_hash(previous, canonical({name: row[name] for name in HASHED_FIELDS}, attachments))
        conn.execute("UPDATE ledger_entry SET chain_hash = ? WHERE id = ?", (previous, row["id"]))
    conn.execute("UPDATE fund SET chain_head = ? WHERE id = ?", (previous, fund_id))
    conn.commit()
    conn.close()
