"""Notices as a service: verification codes, export to a draft, publishing (number, archive, closed months,
entries disclosed), refusals that change nothing, corrections, verification after a direct edit of the
database, and the disclosure clock.

The demo workspace (seed 004) is built once per module and copied for each test. The PDF writer is
replaced by a fast stand-in here (its own tests cover the layout); one test runs the real one end to end.
"""

import errno
import hashlib
import json
import shutil
import sqlite3
import sys
import types
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core import vouchers
from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME, QINGHUA_FUND, build_demo
from desktop_app.core.documents import pdf_text
from desktop_app.core.errors import UserError
from desktop_app.core.models import Activity, LedgerEntry, Notice, NoticeEntry
from desktop_app.core.notices import clock as notice_clock
from desktop_app.core.notices import codes
from desktop_app.core.notices import correction as notice_correction
from desktop_app.core.notices import document as notice_document
from desktop_app.core.notices import lookup as notice_lookup
from desktop_app.core.notices import request as notice_request
from desktop_app.core.notices import verify as notice_verify
from desktop_app.core.notices.request import DraftsInPeriod, NoticeRequest
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import activities, goods, ledger, notices, projects
from desktop_app.core.storage.files import DiskFull
from desktop_app.core.storage.workspace import Workspace

YEAR_2024 = {"date_to": date(2024, 12, 31), "written_on": date(2025, 1, 5)}
FAKE_MAGIC = b"%PDF-1.4\n% notice stand-in\n"


# ---------------------------------------------------------------------------- a fast stand-in PDF writer


def fake_render(doc, out_path, *, progress=None):
    data = FAKE_MAGIC + json.dumps({"code": doc.verification_code, "texts": doc.texts()}, ensure_ascii=False).encode()
    with open(out_path, "wb") as handle:
        handle.write(data)
    return types.SimpleNamespace(pages=1, size=len(data), fonts=[])


REAL_READ, REAL_PAGE_TEXTS = notice_document.read_verification_code, pdf_text.page_texts


def fake_read(path):
    data = open(path, "rb").read()
    if not data.startswith(FAKE_MAGIC):
        return REAL_READ(path)  # e.g. a forged file made with reportlab
    return json.loads(data[len(FAKE_MAGIC):].decode())["code"]


def fake_page_texts(path):
    data = open(path, "rb").read()
    if not data.startswith(FAKE_MAGIC):
        return REAL_PAGE_TEXTS(path)
    return ["".join(json.loads(data[len(FAKE_MAGIC):].decode())["texts"])]


def install_fast_pdf(monkeypatch):
    from desktop_app.core.documents import pdf

    monkeypatch.setattr(pdf, "render_pdf", fake_render)  # notices print through it
    monkeypatch.setattr(notice_document, "read_verification_code", fake_read)  # and read their codes here
    monkeypatch.setattr(pdf_text, "page_texts", fake_page_texts)
    return pdf


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("notices") / "demo")


@pytest.fixture
def ws(demo_dir, tmp_path, monkeypatch):
    install_fast_pdf(monkeypatch)
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    workspace = Workspace.open(folder, auto_backup=False)
    with workspace.reading() as s:
        workspace.project = project_queries.resolve_project(s, PROJECT_NAME)
        workspace.funds = {f.name: f for f in project_queries.list_funds(s)}
    yield workspace
    workspace.close(backup=False)


def request(ws, **extra) -> NoticeRequest:
    return NoticeRequest(ws.project.id, **{**YEAR_2024, **extra})


def tamper(ws, sql, *params):
    conn = sqlite3.connect(ws.db_path)  # behind the app's back, as with a DB browser
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def state(ws) -> str:
    """Every row of every table and every archived file: equal digests mean nothing changed."""
    conn = sqlite3.connect(f"file:{ws.db_path}?mode=ro", uri=True)
    digest = hashlib.sha256()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                 "'ledger_search%' ORDER BY name"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    conn.close()
    folder = ws.root / "notices"
    for path in sorted(folder.iterdir()) if folder.exists() else []:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def export(ws, tmp_path, name="公示.pdf", **extra):
    return notices.export_notice(ws, request(ws, **extra), tmp_path / name)


def published(ws, tmp_path, **extra) -> Notice:
    result = export(ws, tmp_path, **extra)
    return notices.publish_notice(ws, result.notice.id, published_on=date(2025, 1, 6))


def post_expense(ws, day=date(2024, 12, 30), amount="300", fund=BATAI_FUND, summary="年末慰问品"):
    return ledger.add_entry(ws, ledger.EntryInput(
        fund_id=ws.funds[fund].id, entry_date=day, entry_type="expense", amount=Decimal(amount), summary=summary,
        category="慰问帮扶"), post=True, override_reason="测试")


@pytest.fixture
def no_attachment_rule(ws):
    from desktop_app.core.services.settings import set_setting

    set_setting(ws, "require_expense_attachment", False)
    return ws


# ---------------------------------------------------------------------------- codes


def test_code_derivation_is_stable_and_well_formed():
    content = codes.content_hash(["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示"])
    entries = codes.entries_hash([("b", "h2"), ("a", "h1")])
    assert entries == codes.entries_hash([("a", "h1"), ("b", "h2")])  # order does not matter
    code = codes.derive_code(content, entries)
    assert code == codes.derive_code(content, entries) == "WNT6S-BDXER"  # fixed forever: printed notices carry it
    assert len(code) == 11 and code[5] == "-" and not set(code) & set("0O1I")
    assert codes.is_valid(code.replace("-", ""))
    assert codes.derive_code(content, codes.entries_hash([("a", "h1")])) != code


@pytest.mark.parametrize("typed", ["wnt6s-bdxer", "WNT6S BDXER", "wnt6sbdxer", "ＷＮＴ６Ｓ－ＢＤＸＥＲ", " WNT6S—BDXER\n"])
def test_normalize_accepts_what_people_type(typed):
    assert codes.normalize_code(typed) == "WNT6S-BDXER"


def test_every_single_mistyped_character_is_caught_by_the_check_character():
    bare = "WNT6SBDXER"
    for i in range(len(bare)):
        for ch in codes.ALPHABET:
            if ch != bare[i]:
                assert not codes.is_valid(bare[:i] + ch + bare[i + 1:])
    swaps = [bare[:i] + bare[i + 1] + bare[i] + bare[i + 2:] for i in range(len(bare) - 1) if bare[i] != bare[i + 1]]
    assert sum(codes.is_valid(s) for s in swaps) == 0


@pytest.mark.parametrize("typed, message", [
    ("WNT6S-BDXEK", "校验位不符"), ("WNT6S-BDXE", "应为 10 位"), ("WNT6S-ODXER", "不会出现 O"),
    ("WNT6S-BDX1R", "不会出现 1"), ("WNT6S-BD#ER", "不是核验码里的字符"),
])
def test_mistyped_codes_are_told_apart(typed, message):
    with pytest.raises(codes.MistypedCode, match=message):
        codes.normalize_code(typed)


# ---------------------------------------------------------------------------- export


def test_drafts_in_the_period_are_listed_and_nothing_is_written(ws, tmp_path):
    before = state(ws)
    with pytest.raises(DraftsInPeriod) as caught:
        notices.export_notice(ws, NoticeRequest(ws.project.id, date_to=date(2025, 3, 31)), tmp_path / "公示.pdf")
    assert len(caught.value.drafts) == 2 and "不计入草稿" in str(caught.value)
    assert state(ws) == before and not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*"))


def test_export_records_a_draft_and_a_reexport_refreshes_it(ws, tmp_path, no_attachment_rule):
    first = export(ws, tmp_path)
    n = first.notice
    assert (tmp_path / "公示.pdf").exists() and not first.reprint
    assert fake_read(tmp_path / "公示.pdf") == n.verification_code
    assert n.status == "draft" and n.number == "" and n.template == "fund-usage"
    assert (n.date_from, n.date_to, n.written_on) == (date(2024, 2, 1), date(2024, 12, 31), date(2025, 1, 5))
    assert n.title == "四川省慈善事业高质量发展试点工作2024年经费使用情况公示"
    assert n.entry_count == len(json.loads(n.entries_json)) == 40
    assert codes.derive_code(n.content_hash, n.entries_hash) == n.verification_code
    assert first.masked  # privacy: names the builder masked are reported
    again = export(ws, tmp_path, name="再次.pdf")
    assert again.notice.id == n.id and again.notice.version == n.version  # nothing changed: no new version
    post_expense(ws)
    changed = export(ws, tmp_path, name="第三次.pdf").notice
    assert changed.id == n.id and changed.verification_code != n.verification_code and changed.entry_count == 41
    with ws.reading() as s:
        assert len(notice_lookup.list_notices(s, ws.project.id)) == 1


def test_export_refuses_a_bad_file_name(ws, tmp_path):
    with pytest.raises(UserError, match=r"\.pdf 结尾"):
        notices.export_notice(ws, request(ws), tmp_path / "公示.docx")
    with pytest.raises(UserError, match="不存在"):
        notices.export_notice(ws, request(ws), tmp_path / "没有这个文件夹" / "公示.pdf")


def test_export_refuses_data_changed_behind_the_apps_back(ws, tmp_path):
    tamper(ws, "UPDATE ledger_entry SET amount_fen = 1 WHERE summary = '办公用品'")
    before = state(ws)
    with pytest.raises(UserError, match="在程序之外被改动") as caught:
        export(ws, tmp_path)
    assert "金额 由 ¥1,150.00 变为 ¥0.01" in str(caught.value)
    assert state(ws) == before


# ---------------------------------------------------------------------------- publish


def test_publish_numbers_archives_closes_the_months_and_records_the_entries(ws, tmp_path):
    draft = export(ws, tmp_path).notice
    n = notices.publish_notice(ws, tmp_path / "公示.pdf", published_on=date(2025, 1, 6))  # by the exported file
    assert n.id == draft.id and n.status == "published" and n.number == "2025-001" and n.published_on == date(2025, 1, 6)
    archived = ws.root / "notices" / "2025-001.pdf"
    assert n.pdf_name == "2025-001.pdf" and hashlib.sha256(archived.read_bytes()).hexdigest() == n.pdf_sha256
    assert fake_read(archived) == n.verification_code == draft.verification_code
    assert "公示编号：2025-001　发布日期：2025年1月6日" in archived.read_text(encoding="utf-8", errors="ignore")
    with ws.reading() as s:
        assert all(project_queries.closed_through(s, f.id) == "2024-12" for f in ws.funds.values())
        disclosed = list(s.exec(select(NoticeEntry).where(NoticeEntry.notice_id == n.id)))
        chain_hashes = {e.id: e.chain_hash for e in s.exec(select(LedgerEntry))}
    assert len(disclosed) == n.entry_count == 40
    assert all(row.chain_hash == chain_hashes[row.entry_id] for row in disclosed)
    with pytest.raises(UserError, match="已结账"):
        post_expense(ws, day=date(2024, 12, 30))
    before = state(ws)
    with pytest.raises(UserError, match="已发布的公示不能再改动"):
        notices.publish_notice(ws, n.id)
    assert state(ws) == before


def test_exporting_a_published_notice_again_is_a_reprint(ws, tmp_path):
    n = published(ws, tmp_path)
    again = export(ws, tmp_path, name="重印.pdf")
    assert again.reprint and again.notice.id == n.id and fake_read(tmp_path / "重印.pdf") == n.verification_code
    with ws.reading() as s:
        assert [x.id for x in notice_lookup.list_notices(s)] == [n.id]


def test_a_file_left_under_the_next_number_is_moved_aside_not_overwritten(ws, tmp_path):
    folder = ws.root / "notices"
    folder.mkdir()
    (folder / "2025-001.pdf").write_bytes(b"%PDF left by a publish the database never recorded")
    n = published(ws, tmp_path)
    assert n.number == "2025-001" and fake_read(folder / "2025-001.pdf") == n.verification_code
    [aside] = folder.glob("2025-001.unrecorded-*.pdf")
    assert aside.read_bytes().startswith(b"%PDF left")


def test_a_period_ending_in_the_current_month_cannot_be_published_yet(ws, tmp_path):
    today = date.today()
    draft = export(ws, tmp_path, date_from=today.replace(day=1), date_to=today, written_on=today).notice
    before = state(ws)
    with pytest.raises(UserError, match="还没有结束"):
        notices.publish_notice(ws, draft.id)
    assert state(ws) == before


def test_numbers_are_gapless_per_year(ws, tmp_path):
    first = published(ws, tmp_path)
    donations = export(ws, tmp_path, name="捐赠.pdf", template="donations").notice
    second = notices.publish_notice(ws, donations.id, published_on=date(2025, 1, 8))
    correction = notices.publish_correction(ws, first.number, "说明文字有误。", published_on=date(2025, 2, 1))
    assert [first.number, second.number, correction.number] == ["2025-001", "2025-002", "2025-003"]


def test_publishing_over_a_published_period_is_refused_and_changes_nothing(ws, tmp_path):
    first = published(ws, tmp_path)
    overlapping = export(ws, tmp_path, name="下半年.pdf", date_from=date(2024, 7, 1)).notice
    before = state(ws)
    with pytest.raises(UserError, match="已经发布过") as caught:
        notices.publish_notice(ws, overlapping.id, published_on=date(2025, 1, 7))
    assert first.number in str(caught.value) and "更正说明" in str(caught.value)
    assert state(ws) == before


def test_publishing_a_draft_whose_data_changed_says_to_export_again(ws, tmp_path, no_attachment_rule):
    draft = export(ws, tmp_path).notice
    late = post_expense(ws, summary="年末补记的慰问品")
    before = state(ws)
    with pytest.raises(UserError, match="请重新导出") as caught:
        notices.publish_notice(ws, draft.id, published_on=date(2025, 1, 6))
    assert f"凭证 {vouchers.voucher_text(late)}" in str(caught.value) and "新增" in str(caught.value)
    assert state(ws) == before


@pytest.mark.parametrize(("fault", "raised", "message"), [
    # a full disk half-way through the archived PDF: the user is told so in Chinese, not with an OS error
    (OSError(errno.ENOSPC, "No space left on device"), DiskFull, "磁盘已满.*什么都没有改动"),
    # any other failure of the disk (a USB stick pulled out) is raised as it is, and undone all the same
    (OSError(errno.EIO, "Input/output error"), OSError, "Input/output error"),
])
def test_a_failed_publish_leaves_nothing_half_done(ws, tmp_path, monkeypatch, fault, raised, message):
    draft = export(ws, tmp_path).notice
    before = state(ws)
    pdf = sys.modules["desktop_app.core.documents.pdf"]

    def broken(doc, out_path, *, progress=None):
        out_path.write_bytes(b"%PDF half")
        raise fault

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with pytest.raises(raised, match=message):
        notices.publish_notice(ws, draft.id, published_on=date(2025, 1, 6))
    assert state(ws) == before and list((ws.root / "notices").iterdir()) == []


def test_publishing_needs_the_covered_months_free_of_drafts(ws, tmp_path):
    request = NoticeRequest(ws.project.id, date_to=date(2025, 3, 31), exclude_drafts=True, written_on=date(2025, 4, 3))
    result = notices.export_notice(ws, request, tmp_path / "全期.pdf")
    assert any("发布前须先把它们记账、删除或把日期改到" in n for n in result.notes)  # said at export already
    before = state(ws)
    with pytest.raises(UserError, match="2 条草稿没有记账") as refused:
        notices.publish_notice(ws, result.notice.id, published_on=date(2025, 4, 5))
    assert "重新导出公示再发布" in refused.value.message and len(refused.value.details) == 2
    assert state(ws) == before
    with ws.reading() as s:
        drafts = s.exec(select(LedgerEntry).where(LedgerEntry.status == "draft", LedgerEntry.deleted == False)).all()  # noqa: E712
    for entry in drafts:  # the drafts dealt with (deleted), the notice exported again publishes
        ledger.delete_draft(ws, entry.id)
    again = notices.export_notice(ws, request, tmp_path / "全期.pdf")
    assert not again.notes
    assert notices.publish_notice(ws, again.notice.id, published_on=date(2025, 4, 5)).status == "published"


# ---------------------------------------------------------------------------- corrections


def test_a_correction_is_a_new_notice_that_refers_to_the_original(ws, tmp_path):
    original = published(ws, tmp_path)
    correction = notices.publish_correction(ws, original.number, "第二部分第（三）项的活动日期应为2024年9月14日。",
                                            published_on=date(2025, 1, 20))
    assert correction.template == "correction" and correction.corrects_id == original.id
    assert correction.status == "published" and correction.number == "2025-002"
    assert correction.title == f"关于《{original.title}》的更正说明"
    archived = ws.root / "notices" / correction.pdf_name
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == correction.pdf_sha256
    texts = json.loads(correction.document_json)
    assert any("活动日期应为2024年9月14日" in t for t in texts) and any(original.verification_code in t for t in texts)
    assert not any("数据变化" in t for t in texts)  # the data did not change
    with ws.reading() as s:
        assert s.get(Notice, original.id).version == original.version  # the original is never changed
        assert [c.id for c in notice_lookup.corrections_of(s, original.id)] == [correction.id]
    result = notice_verify.verify_notice(ws, correction.verification_code)
    assert result.ok and "更正说明" in result.notes[0]
    assert any("已于 2025-01-20 发布更正说明" in note for note in notice_verify.verify_notice(ws, original.verification_code).notes)


def test_a_correction_lists_what_changed_in_the_data(ws, tmp_path):
    original = published(ws, tmp_path)
    tamper(ws, "UPDATE ledger_entry SET amount_fen = 68000 WHERE summary = '社区赋能培训（社区骨干、志愿者）'")
    correction = notices.publish_correction(ws, original.id, "培训费金额更正。", published_on=date(2025, 1, 20))
    texts = json.loads(correction.document_json)
    assert "核验发现的数据变化" in texts and any("金额 由 ¥6,800.00 变为 ¥680.00" in t for t in texts)


def _masked(correction: Notice) -> dict[tuple[str, str], str]:
    spec = json.loads(correction.request_json)
    assert notice_correction.correction_document(spec).masked  # the rebuilt document lists them, like a notice
    return {(m.original, m.shown): m.reason for m in notice_correction.correction_document(spec).masked}


def test_a_correction_prints_no_id_phone_or_name_without_consent(ws, tmp_path):
    original = published(ws, tmp_path)
    text = ("捐赠人张明华（身份证511781199001011234，电话13812345678，座机0818-8621234）的捐款日期应为2024年6月18日。\n"
            "另一证件号511781 19900101 1235。如有疑问请拨打项目负责人电话13551281592或12345。")
    correction = notices.publish_correction(ws, original.number, text, published_on=date(2025, 1, 20))
    everything = "\n".join(json.loads(correction.document_json))
    for secret in ("张明华", "511781199001011234", "19900101", "13812345678", "8621234"):
        assert secret not in everything
    assert ("捐赠人爱心人士（身份证***，电话***，座机***）的捐款日期应为2024年6月18日。" in everything
            and "项目负责人电话13551281592或12345" in everything)
    masked = _masked(correction)
    assert masked[("张明华", "爱心人士")] == "未记录公开同意"
    assert masked[("511781********1234", "***")] == masked[("511781********1235", "***")] == "身份证号或账号已隐去"
    assert masked[("138****5678", "***")] == masked[("0818-***1234", "***")] == "私人电话已隐去"
    assert notice_verify.verify_notice(ws, correction.verification_code).ok  # rebuilt as published


def test_a_change_line_naming_a_donor_without_consent_is_masked(ws, tmp_path):
    original = published(ws, tmp_path)
    tamper(ws, "UPDATE ledger_entry SET counterparty_name = '王秀兰', summary = '王秀兰个人捐赠，电话0818-8621234' "
               "WHERE counterparty_name = '张明华'")
    correction = notices.publish_correction(ws, original.number, "捐赠人信息更正。", published_on=date(2025, 1, 20))
    texts = json.loads(correction.document_json)
    everything = "\n".join(texts)
    assert "核验发现的数据变化" in texts
    assert "王秀兰" not in everything and "张明华" not in everything and "8621234" not in everything
    assert any("对方名称 由“爱心人士”变为“爱心人士”" in t for t in texts)
    masked = _masked(correction)
    assert masked[("王秀兰", "爱心人士")] == masked[("张明华", "爱心人士")] == "未记录公开同意"


def test_corrections_are_refused_for_drafts_corrections_and_empty_text(ws, tmp_path):
    draft = export(ws, tmp_path).notice
    with pytest.raises(UserError, match="还没有发布"):
        notices.publish_correction(ws, draft.id, "更正")
    notices.publish_notice(ws, draft.id, published_on=date(2025, 1, 6))
    with pytest.raises(UserError, match="请写明更正的内容"):
        notices.publish_correction(ws, "2025-001", "  ")
    correction = notices.publish_correction(ws, "2025-001", "更正。")
    with pytest.raises(UserError, match="本身是更正说明"):
        notices.publish_correction(ws, correction.number, "再更正")
    with pytest.raises(UserError, match="找不到公示"):
        notices.publish_correction(ws, "2031-009", "更正")


# ---------------------------------------------------------------------------- verify


def test_verify_unchanged_by_code_and_by_file(ws, tmp_path):
    n = published(ws, tmp_path)
    code = n.verification_code
    result = notice_verify.verify_notice(ws, code.lower().replace("-", " "))
    assert result.ok and result.changes == [] and "数据未变" in result.summary and result.notice.id == n.id
    by_file = notice_verify.verify_notice(ws, ws.root / "notices" / n.pdf_name)
    assert by_file.ok and by_file.notes == []
    by_export = notice_verify.verify_notice(ws, str(tmp_path / "公示.pdf"))  # the file exported before publishing
    assert by_export.ok and "不是存档的发布版本" in by_export.notes[0]


def test_verify_after_a_direct_edit_of_the_database_names_the_change(ws, tmp_path):
    n = published(ws, tmp_path)
    tamper(ws, "UPDATE ledger_entry SET amount_fen = 68000 WHERE summary = '社区赋能培训（社区骨干、志愿者）'")
    result = notice_verify.verify_notice(ws, n.verification_code)
    assert not result.ok and "数据已变" in result.summary
    first = result.changes[0]
    assert f"【{BATAI_FUND}】凭证 2024-" in first and "社区赋能培训" in first
    assert "金额 由 ¥6,800.00 变为 ¥680.00" in first
    assert any(c.startswith("公示内容") for c in result.changes)  # the printed totals moved with it


def test_verify_names_a_deleted_entry_and_an_inserted_one(ws, tmp_path, no_attachment_rule):
    n = export(ws, tmp_path).notice
    tamper(ws, "DELETE FROM ledger_entry WHERE summary = '办公用品'")
    result = notice_verify.verify_notice(ws, n.verification_code)
    assert any("办公用品" in c and "已从数据库中删除" in c for c in result.changes)
    late = post_expense(ws, fund=QINGHUA_FUND, summary="补记的宣传费")
    result = notice_verify.verify_notice(ws, n.verification_code)
    assert any(c.startswith("新增") and "补记的宣传费" in c and vouchers.voucher_text(late) in c for c in result.changes)


def test_verify_checks_the_archived_pdf(ws, tmp_path):
    n = published(ws, tmp_path)
    archived = ws.root / "notices" / n.pdf_name
    archived.write_bytes(archived.read_bytes() + b"\n% edited")
    result = notice_verify.verify_notice(ws, n.verification_code)
    assert not result.ok and result.changes == [f"存档的公示文件 notices/{n.pdf_name} 和发布时不一样（被改动过）"]
    archived.unlink()
    assert "不见了" in notice_verify.verify_notice(ws, n.verification_code).changes[0]


def forged_pdf(path, code, text="Total spent: 1.00"):
    """A one-page PDF made by anyone with reportlab: the real code in its keywords, other text on it."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.setKeywords(f"charity-ledger-notice:{code}")
    page.drawString(72, 720, text)
    page.save()
    return path


def test_a_file_that_prints_something_else_is_not_the_notice(ws, tmp_path):
    n = published(ws, tmp_path)
    forged = forged_pdf(tmp_path / "伪造.pdf", n.verification_code)
    result = notice_verify.verify_notice(ws, forged)
    assert not result.ok and result.changes == []  # the data behind the code did not change; the file did
    assert result.file_problem == f"“伪造.pdf”上印的文字与核验码 {n.verification_code} 对应的公示不一致"
    assert result.summary.startswith("文件不符：") and "可能被改动过" in result.summary
    assert "核验码对应的数据本身未变" in result.summary and "数据未变：" not in result.summary


def test_an_exported_file_with_its_text_edited_is_not_the_notice(ws, tmp_path, no_attachment_rule):
    n = export(ws, tmp_path).notice
    genuine = tmp_path / "公示.pdf"
    data = genuine.read_bytes().replace("办公用品".encode(), "办公设备".encode())
    assert data != genuine.read_bytes()
    (tmp_path / "改过.pdf").write_bytes(data)
    result = notice_verify.verify_notice(ws, tmp_path / "改过.pdf")
    assert not result.ok and result.file_problem and result.changes == []
    assert notice_verify.verify_notice(ws, genuine).ok  # the file as exported still verifies
    post_expense(ws, summary="导出后补记")  # the data changes too: both are said
    both = notice_verify.verify_notice(ws, tmp_path / "改过.pdf")
    assert both.file_problem and both.changes and f"也有 {len(both.changes)} 处变化" in both.summary
    assert n.status == "draft"


def test_with_the_real_writer_genuine_files_verify_and_a_forgery_does_not(ws, tmp_path, monkeypatch):
    monkeypatch.undo()  # the real writer and reader
    draft = export(ws, tmp_path, name="草稿.pdf").notice
    draft_result = notice_verify.verify_notice(ws, tmp_path / "草稿.pdf")
    assert draft_result.ok and draft_result.file_problem == ""
    n = notices.publish_notice(ws, draft.id, published_on=date(2025, 1, 6))
    reprint = export(ws, tmp_path, name="重印.pdf")
    assert reprint.reprint
    for path in (ws.root / "notices" / n.pdf_name, tmp_path / "草稿.pdf", tmp_path / "重印.pdf"):
        result = notice_verify.verify_notice(ws, path)
        assert result.ok and "数据未变" in result.summary, (path.name, result.file_problem)
    stamped = (ws.root / "notices" / n.pdf_name).read_bytes() + b"\n% saved again\n"
    (tmp_path / "另存.pdf").write_bytes(stamped)  # not the archived bytes, but it prints the published notice
    assert notice_verify.verify_notice(ws, tmp_path / "另存.pdf").ok
    result = notice_verify.verify_notice(ws, forged_pdf(tmp_path / "伪造.pdf", n.verification_code))
    assert not result.ok and "不一致" in result.file_problem
    appended = forged_pdf(tmp_path / "附加.pdf", n.verification_code, text="2025-001")
    assert not notice_verify.verify_notice(ws, appended).ok


def test_verify_refuses_unknown_and_mistyped_codes_and_foreign_files(ws, tmp_path):
    n = export(ws, tmp_path).notice
    bare = n.verification_code.replace("-", "")
    unknown_data = "".join(codes.ALPHABET[(codes.ALPHABET.index(c) + 1) % 32] for c in bare[:9])
    unknown = codes.format_code(unknown_data + codes.check_character(unknown_data))
    with pytest.raises(codes.UnknownCode, match="没有找到核验码"):
        notice_verify.verify_notice(ws, unknown)
    wrong = bare[:3] + ("A" if bare[3] != "A" else "B") + bare[4:]
    with pytest.raises(codes.MistypedCode, match="校验位不符"):
        notice_verify.verify_notice(ws, wrong)
    text_file = tmp_path / "随便.pdf"
    text_file.write_text("不是公示", encoding="utf-8")
    with pytest.raises(notice_verify.NotOurPdf, match="不是本程序生成的公示文件（没有核验码）"):
        notice_verify.verify_notice(ws, text_file)
    with pytest.raises(UserError, match="找不到文件"):
        notice_verify.verify_notice(ws, tmp_path / "没有.pdf")


def test_a_draft_verifies_until_its_data_changes(ws, tmp_path, no_attachment_rule):
    n = export(ws, tmp_path).notice
    assert notice_verify.verify_notice(ws, n.verification_code).ok
    ledger.add_draft(ws, ledger.EntryInput(fund_id=ws.funds[BATAI_FUND].id, entry_date=date(2024, 12, 29),
                                           entry_type="expense", amount=Decimal("10"), summary="新草稿",
                                           category="办公"))
    unposted = notice_verify.verify_notice(ws, n.verification_code)  # a draft is not disclosed data
    assert unposted.ok and "1 笔尚未记账的草稿" in unposted.notes[0]
    post_expense(ws)
    assert not notice_verify.verify_notice(ws, n.verification_code).ok


def test_a_changed_text_is_shown_around_its_first_difference(ws, tmp_path):
    n = export(ws, tmp_path).notice
    with ws.reading() as s:
        activity = next(a for a in s.exec(select(Activity).where(Activity.public == True)))  # noqa: E712
        data = activities.activity_input(s, activity.id)
    assert len(data.summary) > 80
    activities.update_activity(ws, activity.id, replace(data, summary=data.summary + "另外吸引了周边居民参加。"))
    [line] = [c for c in notice_verify.verify_notice(ws, n.verification_code).changes if "另外" in c]
    before, after = line.removeprefix("公示内容：“").removesuffix("”").split("”变为“")
    assert before != after and after.endswith("另外吸引了周边居民参加。")
    assert before.startswith("…") and before.endswith(data.summary[-10:]) and after.startswith(before[:-1])


def receive_goods(ws, item="棉被", day=date(2024, 12, 1)):
    return goods.receive_goods(ws, goods.GoodsReceiptInput(
        fund_id=ws.funds[BATAI_FUND].id, movement_date=day, item=item, unit="床", quantity="10", anonymous=True,
        valuation="公允价值", value="1000"))


def test_a_table_row_added_or_removed_is_one_line(ws, tmp_path):
    n = export(ws, tmp_path).notice
    receive_goods(ws)
    changes = notice_verify.verify_notice(ws, n.verification_code).changes
    assert "公示内容新增一行（物资接收）：“2024-12-01｜爱心人士｜棉被｜10床｜公允价值｜¥1,000.00”" in changes
    assert not any(c == "公示内容新增：“棉被”" for c in changes)
    blanket = receive_goods(ws, item="大米", day=date(2024, 12, 2))
    again = export(ws, tmp_path, name="再次.pdf").notice
    goods.remove_movement(ws, blanket.id)
    changes = notice_verify.verify_notice(ws, again.verification_code).changes
    assert "公示内容删去一行（物资接收）：“2024-12-02｜爱心人士｜大米｜10床｜公允价值｜¥1,000.00”" in changes


# ---------------------------------------------------------------------------- the real PDF writer


def test_end_to_end_with_the_real_pdf_writer(ws, tmp_path, monkeypatch):
    monkeypatch.undo()  # the real writer (the fixture had put the stand-in in)
    result = export(ws, tmp_path)
    out = tmp_path / "公示.pdf"
    assert out.read_bytes().startswith(b"%PDF") and result.info.pages >= 2
    assert notice_document.read_verification_code(out) == result.notice.verification_code
    n = notices.publish_notice(ws, out, published_on=date(2025, 1, 6))
    archived = ws.root / "notices" / n.pdf_name
    assert notice_document.read_verification_code(archived) == n.verification_code
    assert notice_verify.verify_notice(ws, archived).ok


# ---------------------------------------------------------------------------- the disclosure clock


def due(ws, day):
    with ws.reading() as s:
        return [(d.rule, d.due_date, d.overdue) for d in notice_clock.due_notices(s, day)]


def add_published(ws, template, date_from, date_to, published_on):
    with ws.transaction("test.setup") as s:
        s.add(Notice(project_id=ws.project.id, template=template, date_from=date_from, date_to=date_to,
                     status="published", published_on=published_on, number=f"t-{date_to}"))


def test_quarterly_progress_for_projects_longer_than_six_months(ws):
    # the demo project runs 2024-02-01 … 2025-02-28
    assert due(ws, date(2024, 3, 15)) == []  # first due 2024-05-01: beyond the 31-day horizon
    assert due(ws, date(2024, 4, 15)) == [("quarterly", date(2024, 5, 1), False)]
    with ws.reading() as s:
        [first] = notice_clock.due_notices(s, date(2024, 4, 15))
    assert (first.period_from, first.period_to) == (date(2024, 2, 1), date(2024, 4, 30))
    assert due(ws, date(2024, 5, 2)) == [("quarterly", date(2024, 5, 1), True)]
    add_published(ws, "progress", date(2024, 2, 1), date(2024, 4, 30), date(2024, 5, 1))
    assert due(ws, date(2024, 5, 2)) == []
    assert ("quarterly", date(2024, 8, 1), True) in due(ws, date(2024, 8, 2))
    assert not [d for d in due(ws, date(2025, 3, 1)) if d[0] == "quarterly"]  # ended: the final notice is due


def test_june_and_november_reports_of_seed_003(ws):
    add_published(ws, "progress", date(2024, 2, 1), date(2024, 10, 31), date(2024, 6, 20))
    assert ("semiannual", date(2024, 6, 30), False) in due(ws, date(2024, 6, 10))  # not yet published that day
    assert due(ws, date(2024, 6, 25)) == []  # published in the half-year: the June report is met
    assert due(ws, date(2024, 11, 10)) == [("semiannual", date(2024, 11, 30), False)]
    assert due(ws, date(2024, 12, 1)) == [("semiannual", date(2024, 11, 30), True)]
    with ws.reading() as s:
        [item] = notice_clock.due_notices(s, date(2024, 12, 1))
    assert item.title == "工作进展报送（2024年11月底前）" and "6月底、11月底" in item.basis
    assert (item.period_from, item.period_to) == (date(2024, 6, 1), date(2024, 10, 31))  # publishable in November
    with ws.reading() as s:
        [june] = [d for d in notice_clock.due_notices(s, date(2024, 6, 10)) if d.rule == "semiannual"]
    assert (june.period_from, june.period_to) == (date(2024, 2, 1), date(2024, 5, 31))  # from the project start
    add_published(ws, "progress", date(2024, 11, 1), date(2024, 11, 15), date(2024, 11, 20))
    assert due(ws, date(2024, 12, 1)) == []


def test_fund_usage_within_three_months_after_the_end(ws):
    def final(day):
        return [d for d in due(ws, day) if d[0] == "final"]

    assert final(date(2025, 1, 20)) == []  # the project ends 2025-02-28: beyond the horizon
    assert final(date(2025, 3, 1)) == [("final", date(2025, 5, 28), False)]
    assert final(date(2025, 5, 29)) == [("final", date(2025, 5, 28), True)]
    add_published(ws, "fund-usage", date(2024, 2, 1), date(2025, 2, 28), date(2025, 4, 1))
    assert final(date(2025, 5, 29)) == []


def test_short_projects_have_no_quarterly_clock(ws):
    project = projects.add_project(ws, projects.ProjectInput(
        name="短期项目", start_date=date(2025, 3, 1), end_date=date(2025, 8, 31), budget=Decimal("1000")))
    with ws.reading() as s:
        mine = [d for d in notice_clock.due_notices(s, date(2025, 6, 5)) if d.project_id == project.id]
    assert [(d.rule, d.due_date) for d in mine] == [("semiannual", date(2025, 6, 30))]


def test_request_round_trips_through_json(ws):
    from desktop_app.core.notices.request import resolve_request

    with ws.reading() as s:
        resolved = resolve_request(s, request(ws, supervision=[("万源市慈善会", "0818-8622222")]))
    assert notice_request.request_from_json(notice_request.request_to_json(resolved)) == replace(resolved)
