"""Published notices witness the books (issue 11): publishing seals where the chains of the project's funds
stand (fund, length, hash) on the notice's record, in its archived PDF's keywords and in its QR code beside the
code; a chain rewritten end to end in the SQLite file since (an amount ×10, every later hash and the fund's
head recomputed) is caught by the scanned QR code's text, naming the fund, where the code alone sees nothing.
Reprints carry the published heads and still verify; a notice published before heads existed still verifies.

The demo workspace (seed 004); the fast stand-in PDF writer except where the real one is named.
"""

import json
import shutil
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME, build_demo
from desktop_app.core.documents import flowables, pdf_text
from desktop_app.core.models import Fund, Notice
from desktop_app.core.notices import document as notice_document
from desktop_app.core.notices import verify as notice_verify
from desktop_app.core.notices import witness
from desktop_app.core.notices.request import NoticeRequest
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger, notices
from desktop_app.core.storage import db, heads
from desktop_app.core.storage.record_state import payload_sql
from desktop_app.core.storage.workspace import Workspace
from tests.core.notices.rewrite import rewrite_chain
from tests.core.notices.test_notice_service import install_fast_pdf

YEAR_2024 = {"date_to": date(2024, 12, 31), "written_on": date(2025, 1, 5)}
PUBLISHED_ON = date(2025, 1, 6)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("notice-heads") / "demo")


@pytest.fixture
def ws(demo_dir, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    workspace = Workspace.open(folder, auto_backup=False)
    with workspace.reading() as s:
        workspace.project = project_queries.resolve_project(s, PROJECT_NAME)
        workspace.funds = {f.name: f for f in project_queries.list_funds(s)}
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def fast(ws, monkeypatch):
    install_fast_pdf(monkeypatch)
    return ws


def qr_payloads(monkeypatch) -> list[str]:
    """What every QR code printed from now on encodes, as the real PDF writer is handed it."""
    seen: list[str] = []
    real = flowables.QrCodeWidget

    def spy(value, **kwargs):
        seen.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(flowables, "QrCodeWidget", spy)
    return seen


def printed_qr(monkeypatch) -> list[str]:
    """What the QR code of every notice printed from now on encodes (the stand-in writer's documents)."""
    from desktop_app.core.documents import pdf

    seen: list[str] = []
    fake = pdf.render_pdf

    def spy(doc, out_path, *, progress=None):
        seen.append(doc.code_box.qr_payload if doc.code_box else "")
        return fake(doc, out_path, progress=progress)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    return seen


def live_heads(ws) -> list[tuple[str, int, str]]:
    with ws.reading() as s:
        funds = project_queries.project_funds(s, ws.project.id)
        return sorted((f.id, f.chain_length, f.chain_head) for f in funds if f.chain_length)


def post_january(ws, amount="500"):
    """A donation of January 2025, posted before the 2024 notice is published: in the chain the notice's heads
    seal, not among the entries it discloses."""
    return ledger.add_entry(ws, ledger.EntryInput(
        fund_id=ws.funds[BATAI_FUND].id, entry_date=date(2025, 1, 3), entry_type="donation", amount=Decimal(amount),
        summary="新年爱心捐款", category="个人捐赠", counterparty_name="爱心企业", counterparty_kind="企业"), post=True)


def publish(ws, tmp_path, name="公示.pdf", **extra) -> Notice:
    draft = notices.export_notice(ws, NoticeRequest(ws.project.id, **{**YEAR_2024, **extra}), tmp_path / name)
    return notices.publish_notice(ws, draft.notice.id, published_on=PUBLISHED_ON)


def as_tuples(found) -> list[tuple[str, int, str]]:
    return sorted((h.fund_id, h.length, h.head) for h in found)


# ---------------------------------------------------------------------------- sealing at publication


def test_publishing_seals_the_heads_in_the_record_the_pdf_keywords_and_the_qr_code(ws, tmp_path, monkeypatch):
    seen = qr_payloads(monkeypatch)  # the real PDF writer
    draft = notices.export_notice(ws, NoticeRequest(ws.project.id, **YEAR_2024), tmp_path / "公示.pdf")
    code = draft.notice.verification_code
    assert seen == [code] and heads.read_pdf_heads(tmp_path / "公示.pdf") is None  # a draft carries none
    sealed = live_heads(ws)
    assert len(sealed) == 2  # both funds of the project have posted entries
    n = notices.publish_notice(ws, draft.notice.id, published_on=PUBLISHED_ON)
    archive = ws.root / "notices" / n.pdf_name

    assert as_tuples(heads.from_json(n.heads_json)) == sealed  # on the record
    with ws.reading() as s:
        assert as_tuples(heads.from_json(s.get(Notice, n.id).heads_json)) == sealed
    assert as_tuples(heads.read_pdf_heads(archive)) == sealed  # in the keywords, read from the raw bytes
    assert notice_document.read_verification_code(archive) == code  # beside the code, which still reads back
    assert b"charity-ledger-heads:" in archive.read_bytes()  # the Info dictionary is written uncompressed

    qr = seen[-1]  # the published PDF's QR code: the code and a word per fund
    scanned_code, scanned = heads.split_scanned(qr)
    assert qr.startswith(code + " ") and scanned_code == code and len(scanned) == 2
    for (fund_id, length, head), word in zip(sealed, sorted(scanned, key=lambda h: h.fund_id), strict=True):
        assert fund_id.replace("-", "").startswith(word.fund_id) and word.length == length
        assert head.startswith(word.head) and len(word.head) == heads.QR_HASH_CHARS
    printed = pdf_text.flatten(pdf_text.page_texts(archive))  # beside the QR code: the code alone
    assert f"核验码：{code}" in printed and scanned[0].head.upper() not in printed.upper()

    with ws.reading() as s:
        witnessed = witness.published_heads(s, ws.root)
    assert {label for label, _ in witnessed} == {f"公示 {n.number}《{n.title}》"}
    assert as_tuples(h for _, h in witnessed) == sealed


def test_a_fund_without_posted_entries_carries_no_head(fast, tmp_path):
    with fast.transaction("test.setup") as s:  # a third fund of the project, nothing posted
        s.add(Fund(name="万源市慈善会天池村新设基金", project_id=fast.project.id))
    n = publish(fast, tmp_path)
    assert len(heads.from_json(n.heads_json)) == 2 == len(live_heads(fast))


def test_a_correction_seals_the_heads_too(fast, tmp_path):
    original = publish(fast, tmp_path)
    post_january(fast)
    correction = notices.publish_correction(fast, original.number, "说明文字有误。", published_on=date(2025, 2, 1))
    assert as_tuples(heads.from_json(correction.heads_json)) == live_heads(fast)
    assert heads.from_json(correction.heads_json) != heads.from_json(original.heads_json)  # the books moved on


# ---------------------------------------------------------------------------- the scanned QR code


def test_a_chain_rewritten_end_to_end_is_caught_by_the_scanned_qr_code(fast, tmp_path, monkeypatch):
    january = post_january(fast)
    seen = printed_qr(monkeypatch)
    n = publish(fast, tmp_path)
    qr = seen[-1]
    assert qr != n.verification_code
    ok = notice_verify.verify_notice(fast, qr)
    assert ok.ok and ok.rewritten == [] and any("与现在的账目一致" in note for note in ok.notes)

    with fast.reading() as s:
        fund = s.get(Fund, january.fund_id)
    rewrite_chain(fast.db_path, fund.id, january.chain_seq)  # ¥500.00 → ¥5,000.00, the chain recomputed
    by_code = notice_verify.verify_notice(fast, n.verification_code)
    assert by_code.ok  # the entry is not among those the notice discloses: the code alone cannot tell

    result = notice_verify.verify_notice(fast, qr)
    assert not result.ok and result.changes == [] and len(result.rewritten) == 1
    problem = result.rewritten[0]
    assert problem.startswith(f"【{BATAI_FUND}】公示发布时账目到第 {fund.chain_length} 条分录为止的哈希为 ")
    assert "现在的账目与之不符：发布后账目在程序之外被改写。" in problem
    assert result.summary.startswith("账目被改写：") and "从公示发布前的备份恢复" in result.summary
    assert "联系县慈善会核对" in result.summary


def test_a_chain_cut_back_is_caught_too(fast, tmp_path, monkeypatch):
    january = post_january(fast)
    seen = printed_qr(monkeypatch)
    publish(fast, tmp_path)
    conn = sqlite3.connect(fast.db_path)  # the newest entry removed, the fund's head set back
    conn.execute("DELETE FROM ledger_entry WHERE id = ?", (january.id,))
    conn.execute("UPDATE fund SET chain_length = chain_length - 1, chain_head = (SELECT chain_hash FROM ledger_entry "
                 "WHERE fund_id = fund.id AND chain_seq = fund.chain_length - 1) WHERE id = ?", (january.fund_id,))
    conn.commit()
    conn.close()
    result = notice_verify.verify_notice(fast, seen[-1])
    assert not result.ok and len(result.rewritten) == 1 and f"【{BATAI_FUND}】" in result.rewritten[0]
    assert f"现在的账目只有 {january.chain_seq - 1} 条已记账分录" in result.rewritten[0]


def test_a_typed_code_and_a_code_without_heads_are_taken_as_before(fast, tmp_path):
    n = publish(fast, tmp_path)
    for typed in (n.verification_code, n.verification_code.lower().replace("-", " ")):
        result = notice_verify.verify_notice(fast, typed)
        assert result.ok and result.rewritten == [] and not any("二维码" in note for note in result.notes)


# ---------------------------------------------------------------------------- reprints and old notices


def test_a_reprint_carries_the_published_heads_and_verifies_with_the_real_writer(ws, tmp_path, monkeypatch):
    seen = qr_payloads(monkeypatch)
    n = publish(ws, tmp_path)
    published_qr = seen[-1]
    again = notices.export_notice(ws, NoticeRequest(ws.project.id, **YEAR_2024), tmp_path / "重印.pdf")
    assert again.reprint and seen[-1] == published_qr  # the QR code the notice board shows
    assert as_tuples(heads.read_pdf_heads(tmp_path / "重印.pdf")) == as_tuples(heads.from_json(n.heads_json))
    for path in (tmp_path / "重印.pdf", tmp_path / "公示.pdf", ws.root / "notices" / n.pdf_name):
        result = notice_verify.verify_notice(ws, path)
        assert result.ok and result.file_problem == "", (path.name, result.file_problem)

    copy = tmp_path / "张贴件.pdf"  # the published file kept elsewhere, its archive lost: printed again to compare
    shutil.copyfile(ws.root / "notices" / n.pdf_name, copy)
    (ws.root / "notices" / n.pdf_name).unlink()
    result = notice_verify.verify_notice(ws, copy)
    assert result.file_problem == "" and any("不见了" in c for c in result.changes)


def forget_heads(ws, monkeypatch):
    """Publish as before heads existed: nothing sealed in the PDF, nothing on the record."""
    monkeypatch.setattr(notices, "project_heads", lambda s, project_id: [])


def test_a_notice_published_before_heads_existed_still_verifies(ws, tmp_path, monkeypatch):
    forget_heads(ws, monkeypatch)
    n = publish(ws, tmp_path)
    conn = sqlite3.connect(ws.db_path)
    conn.execute("UPDATE notice SET heads_json = '' WHERE id = ?", (n.id,))  # as migration 0009 leaves it
    conn.commit()
    conn.close()
    monkeypatch.undo()
    seen = qr_payloads(monkeypatch)
    archive = ws.root / "notices" / n.pdf_name
    assert heads.read_pdf_heads(archive) is None
    with ws.reading() as s:
        assert witness.published_heads(s, ws.root) == []
    again = notices.export_notice(ws, NoticeRequest(ws.project.id, **YEAR_2024), tmp_path / "重印.pdf")
    assert again.reprint and seen == [n.verification_code]  # its reprint too: the code alone
    for target in (tmp_path / "重印.pdf", tmp_path / "公示.pdf", archive, n.verification_code):
        result = notice_verify.verify_notice(ws, target)
        assert result.ok and result.file_problem == "" and result.rewritten == [], target


def test_published_heads_reads_the_archive_when_the_record_keeps_none(fast, tmp_path):
    n = publish(fast, tmp_path)
    archive = fast.root / "notices" / n.pdf_name
    sealed = heads.from_json(n.heads_json)
    archive.write_bytes(b"%PDF-1.4\n<< /Keywords (" + heads.keywords(sealed).encode("ascii") + b") >>\n%%EOF\n")
    conn = sqlite3.connect(fast.db_path)
    conn.execute("UPDATE notice SET heads_json = '' WHERE id = ?", (n.id,))
    conn.commit()
    conn.close()
    with fast.reading() as s:
        assert as_tuples(h for _, h in witness.published_heads(s, fast.root)) == as_tuples(sealed)


# ---------------------------------------------------------------------------- migration 0009


def test_migration_keeps_old_notices_without_heads_and_their_journal_as_the_table(fast, tmp_path):
    n = publish(fast, tmp_path)
    folder = fast.root
    fast.close(backup=False)
    conn = sqlite3.connect(folder / "ledger.db")  # back to schema version 8, as the notice was published then
    conn.execute("UPDATE change_journal SET payload = replace(payload, ?, '') WHERE table_name = 'notice'",
                 (', "heads_json": ' + json.dumps(n.heads_json),))
    conn.execute("ALTER TABLE notice DROP COLUMN heads_json")
    conn.commit()
    # migration 0009 alone, as it ran on such a workspace (the later ones made tables this one already has)
    conn.executescript(next(sql for version, _name, sql in db.migration_files() if version == 9))
    conn.close()
    reopened = Workspace.open(folder, auto_backup=False)
    try:
        reader = reopened.raw_reader()
        assert db.schema_version(reader) == db.LATEST_VERSION
        assert reader.execute("SELECT heads_json FROM notice WHERE id = ?", (n.id,)).fetchone() == ("",)
        live, journalled = reader.execute(
            f"SELECT {payload_sql(Notice.__table__, 'n')}, (SELECT payload FROM change_journal WHERE record_id = n.id "
            "ORDER BY seq DESC LIMIT 1) FROM notice n WHERE n.id = ?", (n.id,)).fetchone()
        reader.close()
        assert live == journalled
        with reopened.reading() as s:
            assert witness.published_heads(s, folder) == []  # the fast writer's archive carries none either
        assert notice_verify.verify_notice(reopened, n.verification_code).ok
    finally:
        reopened.close(backup=False)
