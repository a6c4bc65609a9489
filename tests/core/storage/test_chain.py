"""The hash chain catches direct edits of the SQLite file and names what changed."""

import sqlite3
from datetime import date

import pytest

from desktop_app.core.services import ledger
from desktop_app.core.services import verify as integrity
from desktop_app.core.storage import chain
from tests.helpers import make_entry


@pytest.fixture
def posted(workspace, voucher_file):
    ledger.add_entry(workspace, make_entry(workspace, amount="5000", summary="拨入"), post=True)
    ledger.add_entry(workspace, make_entry(workspace, "expense", "300", summary="桌椅", attachments=[voucher_file]),
                     post=True)
    ledger.add_entry(workspace, make_entry(workspace, "donation", "200", summary="捐赠", category="个人捐赠",
                                           day=date(2024, 3, 9)), post=True)
    ledger.add_draft(workspace, make_entry(workspace, summary="草稿不在链中"))
    return workspace


def tamper(ws, sql, *params):
    conn = sqlite3.connect(ws.db_path)  # behind the app's back, as a curious user with a DB browser would
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def problems(ws):
    with ws.reading() as s:
        return chain.verify_chains(s).problems


def test_untouched_chain_verifies(posted):
    with posted.reading() as s:
        report = chain.verify_chains(s)
    assert report.ok and report.entries == 3


def test_changed_amount_is_named(posted):
    tamper(posted, "UPDATE ledger_entry SET amount_fen = 30 WHERE voucher_seq = 2")
    [p] = problems(posted)
    assert p.kind == "changed" and p.voucher == "2024-0002"
    assert "金额 由 ¥300.00 变为 ¥0.30" in p.describe()


def test_changed_summary_and_date_are_named(posted):
    tamper(posted, "UPDATE ledger_entry SET summary = '改过', entry_date = '2024-03-02' WHERE voucher_seq = 3")
    [p] = problems(posted)
    assert "摘要 由“捐赠”变为“改过”" in p.detail and "日期" in p.detail


def test_removed_entry_is_named(posted):
    tamper(posted, "PRAGMA foreign_keys=OFF")
    conn = sqlite3.connect(posted.db_path)
    conn.execute("DELETE FROM entry_attachment")
    conn.execute("DELETE FROM ledger_entry WHERE voucher_seq = 2")
    conn.commit()
    conn.close()
    found = problems(posted)
    assert [(p.kind, p.voucher) for p in found if p.kind == "removed"] == [("removed", "2024-0002")]
    assert any("桌椅" in p.detail for p in found)


def test_removed_last_entry_is_caught(posted):
    tamper(posted, "DELETE FROM ledger_entry WHERE voucher_seq = 3")
    [p] = problems(posted)
    assert p.kind == "removed" and p.voucher == "2024-0003"


def test_inserted_entry_is_caught(posted):
    tamper(posted, "INSERT INTO ledger_entry SELECT 'forged-id', office_id, created_at, updated_at, version, deleted, "
                   "fund_id, entry_date, entry_type, flow, 999900, '伪造的收入', category, expense_class, restriction, "
                   "counterparty_name, counterparty_kind, anonymous, publish_consent, counterparty_contact, "
                   "payment_method, receipt_code, receipt_no, status, voucher_year, 99, posted_at, reverses_id, "
                   "reversal_reason, override_reason, batch_id, NULL, NULL FROM ledger_entry WHERE voucher_seq = 1")
    [p] = problems(posted)
    assert p.kind == "inserted" and "伪造的收入" in p.detail


def test_replaced_attachment_is_caught(posted, tmp_path):
    tamper(posted, "UPDATE attachment SET sha256 = '0000' || substr(sha256, 5) || 'x'")
    [p] = problems(posted)
    assert p.kind == "changed" and p.voucher == "2024-0002"


def test_a_deleted_fund_is_named(posted):
    conn = sqlite3.connect(posted.db_path)  # foreign keys are off in a plain connection, as in a DB browser
    for table in ("entry_attachment", "ledger_entry", "closed_month"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM fund")
    conn.commit()
    conn.close()
    report = integrity.verify_workspace(posted)
    assert any(p.kind == "removed" and "整个社区基金" in p.detail and p.fund == posted.fund.name
               for p in report.problems)


def test_a_chain_cut_back_with_its_head_is_caught(posted):
    conn = sqlite3.connect(posted.db_path)
    head = conn.execute("SELECT chain_hash FROM ledger_entry WHERE voucher_seq = 2").fetchone()[0]
    conn.execute("DELETE FROM ledger_entry WHERE voucher_seq = 3")
    conn.execute("UPDATE fund SET chain_length = 2, chain_head = ?", (head,))
    conn.commit()
    conn.close()
    report = integrity.verify_workspace(posted)
    assert [(p.kind, p.voucher) for p in report.problems] == [("removed", "2024-0003")]


def test_an_attachment_file_replaced_on_disk_is_caught(posted):
    [scan] = [p for p in posted.attachments_dir.rglob("*") if p.is_file()]
    scan.write_bytes(b"a different invoice")
    report = integrity.verify_workspace(posted)
    assert [(p.kind, p.voucher) for p in report.problems] == [("changed", "2024-0002")]
    assert "文件内容被替换" in report.problems[0].detail
