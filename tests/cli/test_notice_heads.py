"""`notice verify "<scanned QR text>"` (issue 11): the text a published notice's QR code scans to (its code and
the chain heads sealed at publication) verifies like the code, and each head is compared with the live chain:
after the SQLite file's chain was rewritten end to end (an amount ×10, every later hash and the fund's head
recomputed) it exits 4 naming the fund and saying what to do, where the code alone still exits 0. The demo
workspace (seed 004) with the fast stand-in PDF writer."""

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME
from desktop_app.core.documents import pdf
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import YEAR_2024, ok, run
from tests.core.notices.rewrite import rewrite_chain


@pytest.fixture
def qr(fast, monkeypatch) -> list[str]:
    """What the QR code of every notice printed from now on encodes."""
    seen: list[str] = []
    fake = pdf.render_pdf

    def spy(doc, out_path, *, progress=None):
        seen.append(doc.code_box.qr_payload if doc.code_box else "")
        return fake(doc, out_path, progress=progress)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    return seen


def post_january(folder):
    """A donation of January 2025 posted before the 2024 notice is published: sealed by the notice's heads,
    not disclosed by it."""
    with Workspace.open(folder, auto_backup=False) as ws:
        with ws.reading() as s:
            fund = next(f for f in project_queries.list_funds(s) if f.name == BATAI_FUND)
        return ledger.add_entry(ws, ledger.EntryInput(
            fund_id=fund.id, entry_date=date(2025, 1, 3), entry_type="donation", amount=Decimal("500"),
            summary="新年爱心捐款", category="个人捐赠", counterparty_name="爱心企业", counterparty_kind="企业"),
            post=True)


def publish_2024(folder, capsys, tmp_path) -> dict:
    exported = json.loads(ok(folder, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out",
                             tmp_path / "公示.pdf", "--json"))
    assert exported["heads"] is None  # a draft seals none
    return json.loads(ok(folder, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06", "--json"))


def test_a_rewritten_chain_exits_4_naming_the_fund_where_the_code_alone_exits_0(fast, qr, capsys, tmp_path):
    january = post_january(fast)
    published = publish_2024(fast, capsys, tmp_path)
    scanned = qr[-1]
    assert scanned.startswith(published["code"] + " ") and len(published["heads"]) == 2
    sealed = {h["fund"]: h["length"] for h in published["heads"]}
    assert sealed[january.fund_id] == january.chain_seq

    out = ok(fast, capsys, "notice", "verify", scanned)
    assert out.startswith("数据未变：") and "与现在的账目一致" in out

    rewrite_chain(fast / "ledger.db", january.fund_id, january.chain_seq)
    assert ok(fast, capsys, "notice", "verify", published["code"]).startswith("数据未变：")

    code, out = run(fast, "notice", "verify", scanned, capsys=capsys)
    assert code == 4 and out.out == ""
    assert out.err.startswith("账目被改写：")
    assert (f"【{BATAI_FUND}】公示发布时账目到第 {january.chain_seq} 条分录为止的哈希为 " in out.err
            and "现在的账目与之不符：发布后账目在程序之外被改写。" in out.err)
    assert "从公示发布前的备份恢复" in out.err and "联系县慈善会核对" in out.err

    code, out = run(fast, "notice", "verify", scanned, "--json", capsys=capsys)
    result = json.loads(out.out)
    assert code == 4 and result["ok"] is False and result["changes"] == []
    assert len(result["rewritten"]) == 1 and f"【{BATAI_FUND}】" in result["rewritten"][0]


def test_a_scanned_code_of_a_changed_notice_still_says_what_changed(fast, qr, capsys, tmp_path):
    publish_2024(fast, capsys, tmp_path)
    scanned = qr[-1]
    conn = sqlite3.connect(fast / "ledger.db")  # a disclosed entry changed, the chain not recomputed
    conn.execute("UPDATE ledger_entry SET amount_fen = amount_fen * 10 WHERE id = "
                 "(SELECT entry_id FROM notice_entry LIMIT 1)")
    conn.commit()
    conn.close()
    code, out = run(fast, "notice", "verify", scanned, capsys=capsys)
    assert code == 3 and out.err.startswith("数据已变：") and "被改动" in out.err
