"""信息公示 in the GUI, on the demo workspace (seed 004): the builder's preview and masked names, drafts in
the period, export, publish, verify (by code and after a direct edit of the database), the correction
notice, printing (to a PDF file offscreen) and the disclosure clock on 概览.

The demo is built once per module and copied for each test; the real PDF writer runs (about 0.5 s a
notice)."""

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from sqlmodel import select

from desktop_app.core.demo.build import PROJECT_NAME, build_demo
from desktop_app.core.errors import UserError
from desktop_app.core.models import LedgerEntry
from desktop_app.core.notices import request as notice_request
from desktop_app.core.notices import verify as notice_verify
from desktop_app.core.notices.document import read_verification_code
from desktop_app.core.services import ledger
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui import notice_builder, notice_jobs, pdf_preview, prompts
from desktop_app.gui.app import make_context
from desktop_app.gui.application import make_application
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.pages.notices import NoticesPage
from tests.gui.conftest import wait_idle

PERIOD_2024 = (date(2024, 2, 1), date(2024, 12, 31))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("notices-gui") / "demo")


@pytest.fixture
def demo_window(qtbot, qapp, demo_dir, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    make_application()
    ws = Workspace.open(folder, auto_backup=False)
    ctx = make_context(ws)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    wait_idle(qtbot, ctx.runner)
    yield win
    win.close()
    ws.close(backup=False)


@pytest.fixture
def page(qtbot, demo_window) -> NoticesPage:
    demo_window.go_to(demo_window.notices)
    wait_idle(qtbot, demo_window.ctx.runner)
    return demo_window.notices


def answers(*values):
    """A patched prompt that gives these answers in turn, then None (the user cancels)."""
    queue = list(values)
    return lambda *_args, **_kwargs: queue.pop(0) if queue else None


def open_builder(qtbot, page, **dates):
    builder = page.new_notice()
    wait_idle(qtbot, page.ctx.runner)
    for name, day in dates.items():
        getattr(builder, name).setDate(day)
    return builder


def export_draft(qtbot, page, monkeypatch, tmp_path, name="公示.pdf", **dates) -> Path:
    out = tmp_path / name
    monkeypatch.setattr(prompts, "save_pdf", answers(out))
    monkeypatch.setattr(prompts, "offer_open_folder", lambda *_args: False)
    builder = open_builder(qtbot, page, **dates)
    builder.export_pdf()
    wait_idle(qtbot, page.ctx.runner)
    builder.reject()
    wait_idle(qtbot, page.ctx.runner)
    return out


def publish_selected(qtbot, page, monkeypatch):
    monkeypatch.setattr(prompts, "confirm", lambda _parent, _title, text: "不能再修改" in text)
    page.publish()
    wait_idle(qtbot, page.ctx.runner)


def published_page(qtbot, page, monkeypatch, tmp_path):
    export_draft(qtbot, page, monkeypatch, tmp_path, date_to=PERIOD_2024[1])
    publish_selected(qtbot, page, monkeypatch)
    return page.current()


def column(page, name: str) -> list[str]:
    index = ["编号", "类型", "项目", "期间", "状态", "核验码", "发布日期", "更正"].index(name)
    return [page.model.index(r, index).data() for r in range(page.model.rowCount())]


# ---------------------------------------------------------------------------- the builder


def test_builder_previews_the_notice_and_shows_which_names_are_masked(qtbot, page, messages):
    assert page.model.rowCount() == 0 and "还没有公示" in page.preview.message.text()
    builder = open_builder(qtbot, page)
    assert builder.project.currentText() == PROJECT_NAME
    assert builder.date_from.date().toPython() == date(2024, 2, 1)  # the defaults of resolve_request
    assert builder.date_to.date().toPython() == date(2025, 2, 28)
    assert "12345" in builder.supervision.toPlainText()
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.preview.page_count() > 0 and builder.preview.document.pageCount() > 0
    rows = [tuple(builder.masked_model.index(r, c).data() for c in range(3)) for r in range(builder.masked_model.rowCount())]
    assert ("张明华", "爱心人士", "未记录公开同意") in rows
    assert "不会印在公示上" in builder.masked_title.text()
    assert page.model.rowCount() == 0  # a preview records nothing
    assert not messages


def test_drafts_in_the_period_are_listed_with_both_ways_on(qtbot, page):
    builder = open_builder(qtbot, page, date_to=date(2025, 3, 31))
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.drafts_box.isVisibleTo(builder)
    assert builder.drafts_list.count() == 2 and "水电费" in builder.drafts_list.item(0).text()
    assert "2 笔草稿" in builder.drafts_title.text()
    assert builder.preview.path is None
    assert builder.date_to.date().toPython() == date(2025, 3, 31)  # what was chosen stays
    builder.skip_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.exclude_drafts.isChecked() and not builder.drafts_box.isVisibleTo(builder)
    assert builder.preview.page_count() > 0


def test_posting_the_drafts_then_building(qtbot, page, messages):
    builder = open_builder(qtbot, page, date_to=date(2025, 3, 31))
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    builder.post_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert not builder.drafts_box.isVisibleTo(builder) and builder.preview.page_count() > 0
    with page.ctx.ws.reading() as s:
        assert not s.exec(select(LedgerEntry).where(LedgerEntry.status == "draft")).all()
    assert not messages


def test_a_draft_that_cannot_be_posted_says_why(qtbot, page, monkeypatch):
    real = ledger.post_entry
    refused = []

    def post_entry(ws, entry_id, **kwargs):
        if not refused:
            refused.append(entry_id)
            raise UserError("支出没有凭证附件，不能记账。请先在“收支台账”打开这笔草稿，添加发票或收据的照片。")
        return real(ws, entry_id, **kwargs)

    monkeypatch.setattr(ledger, "post_entry", post_entry)
    builder = open_builder(qtbot, page, date_to=date(2025, 3, 31))
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    builder.post_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.drafts_box.isVisibleTo(builder) and "有 1 笔草稿没能记账" in builder.drafts_title.text()
    assert builder.drafts_list.count() == 1 and "没有凭证附件" in builder.drafts_list.item(0).text()
    builder.skip_button.click()  # the other way on still works
    wait_idle(qtbot, page.ctx.runner)
    assert builder.preview.page_count() > 0


def test_an_error_keeps_what_was_typed(qtbot, page):
    builder = open_builder(qtbot, page, date_from=date(2025, 2, 1), date_to=date(2025, 1, 1))
    builder.supervision.setPlainText("万源市慈善会，0818-8621234")
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    assert "晚于结束日期" in builder.message.text()
    assert builder.supervision.toPlainText() == "万源市慈善会，0818-8621234"
    assert builder.date_from.date().toPython() == date(2025, 2, 1)


# ---------------------------------------------------------------------------- export, publish, verify


def test_export_records_a_draft_that_previews_and_publishes(qtbot, page, monkeypatch, tmp_path, messages):
    out = export_draft(qtbot, page, monkeypatch, tmp_path, date_to=PERIOD_2024[1])
    code = read_verification_code(out)
    assert code and column(page, "状态") == ["草稿"] and column(page, "核验码") == [code]
    assert page.preview.page_count() > 0 and "草稿" in page.preview.info.text()
    assert page.preview.path.name.startswith("导出")  # the builder's export is the preview: not exported twice
    assert page.publish_button.isEnabled() and not page.correct_button.isEnabled()

    publish_selected(qtbot, page, monkeypatch)
    row = page.current()
    assert row.published and column(page, "状态") == ["已发布"]
    number = row.notice.number
    assert number.startswith(f"{date.today().year}-") and column(page, "编号") == [number]
    assert any(f"公示编号 {number}" in m for m in messages)
    assert page.preview.path == page.ctx.ws.root / "notices" / f"{number}.pdf"
    assert not page.publish_button.isEnabled() and page.correct_button.isEnabled()


def test_verify_by_code_then_after_a_direct_edit_of_the_database(qtbot, page, monkeypatch, tmp_path):
    row = published_page(qtbot, page, monkeypatch, tmp_path)
    code = row.notice.verification_code
    monkeypatch.setattr(prompts, "ask_verification", answers(code.lower().replace("-", " ")))
    page.verify()
    wait_idle(qtbot, page.ctx.runner)
    result = page.verify_dialog.result
    assert result.ok and "数据未变" in page.verify_dialog.summary.text()
    page.verify_dialog.reject()

    conn = sqlite3.connect(page.ctx.ws.db_path)  # behind the app's back, as with a DB browser
    conn.execute("UPDATE ledger_entry SET amount_fen = amount_fen + 100000 WHERE id = "
                 "(SELECT entry_id FROM notice_entry LIMIT 1)")
    conn.commit()
    conn.close()
    monkeypatch.setattr(prompts, "ask_verification", answers(code))
    page.verify()
    wait_idle(qtbot, page.ctx.runner)
    dialog = page.verify_dialog
    assert not dialog.result.ok and "数据已变" in dialog.summary.text()
    assert dialog.changes.count() >= 1 and "被改动" in dialog.changes.item(0).text()


def test_verify_a_pdf_file_and_an_unknown_code(qtbot, page, monkeypatch, tmp_path, messages):
    out = export_draft(qtbot, page, monkeypatch, tmp_path, date_to=PERIOD_2024[1])
    monkeypatch.setattr(prompts, "ask_verification", answers(out))
    page.verify()
    wait_idle(qtbot, page.ctx.runner)
    assert page.verify_dialog.result.ok and any("草稿" in n for n in page.verify_dialog.result.notes)
    page.verify_dialog.reject()

    asked = []

    def ask(_parent, typed=""):
        asked.append(typed)
        return "ABCDE-FGHJK" if len(asked) == 1 else None

    monkeypatch.setattr(prompts, "ask_verification", ask)
    page.verify()
    wait_idle(qtbot, page.ctx.runner)
    assert any("没有找到核验码" in m or "核验码" in m for m in messages)
    assert asked == ["", "ABCDE-FGHJK"]  # asked again with what was typed


def test_correction_notice_refers_to_the_published_one(qtbot, page, monkeypatch, tmp_path, messages):
    original = published_page(qtbot, page, monkeypatch, tmp_path)
    monkeypatch.setattr(prompts, "ask_multiline", answers("第三部分支出明细中凭证 2024-0021 的摘要应为“慈善阵地水电费”。"))
    page.correct()
    wait_idle(qtbot, page.ctx.runner)
    corrected_by = [r for r in page.rows if r.corrects == original.notice.number]
    assert len(corrected_by) == 1 and corrected_by[0].published
    assert page.current().id == corrected_by[0].id and page.preview.page_count() > 0
    assert f"更正 {original.notice.number}" in column(page, "更正")
    assert any(c.startswith("已更正：") for c in column(page, "更正"))
    assert any("已发布更正说明" in m for m in messages)


def test_export_pdf_of_a_published_notice_is_the_archived_file(qtbot, page, monkeypatch, tmp_path):
    row = published_page(qtbot, page, monkeypatch, tmp_path)
    out = tmp_path / "copy.pdf"
    monkeypatch.setattr(prompts, "save_pdf", answers(out))
    told = []
    monkeypatch.setattr(prompts, "offer_open_folder", lambda _parent, text, _title="", _details="": told.append(text) or False)
    page.export_pdf()
    wait_idle(qtbot, page.ctx.runner)
    archived = page.ctx.ws.root / "notices" / row.notice.pdf_name
    assert out.read_bytes() == archived.read_bytes()
    assert told and row.notice.number in told[0]


# ---------------------------------------------------------------------------- printing


def test_print_to_a_pdf_file_gives_every_page_on_a4(qtbot, page, monkeypatch, tmp_path):
    export_draft(qtbot, page, monkeypatch, tmp_path, date_to=PERIOD_2024[1])
    pages = page.preview.page_count()
    printed = tmp_path / "printed.pdf"

    def dialog(_parent, printer, count):
        assert count == pages and printer.pageLayout().pageSize().id().name == "A4"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(pdf_preview, "has_printer", lambda: True)
    monkeypatch.setattr(prompts, "print_dialog", dialog)
    page.print_notice()
    wait_idle(qtbot, page.ctx.runner, timeout=30000)
    assert printed.is_file() and pdf_preview.page_count(printed) == pages
    document = pdf_preview.open_document(printed)
    size = document.pagePointSize(0)
    document.close()
    assert round(size.width()) == 595 and round(size.height()) == 842  # A4 in points


def test_without_a_printer_it_says_so_and_offers_the_pdf(qtbot, page, monkeypatch, tmp_path):
    export_draft(qtbot, page, monkeypatch, tmp_path, date_to=PERIOD_2024[1])
    told = []
    monkeypatch.setattr(pdf_preview, "has_printer", lambda: False)
    monkeypatch.setattr(prompts, "offer", lambda _parent, _title, text, action, *_a: told.append((text, action)) or False)
    page.print_notice()
    assert told and "本机没有安装打印机" in told[0][0] and told[0][1] == "导出 PDF…"


# ---------------------------------------------------------------------------- 概览


def test_overview_shows_due_notices_and_opens_the_builder(qtbot, demo_window):
    overview = demo_window.overview
    overview.today = date(2025, 6, 1)
    overview.reload()
    wait_idle(qtbot, demo_window.ctx.runner)
    texts = [overview.due_box.itemAt(i).widget().text() for i in range(overview.due_box.count())]
    final = next(t for t in texts if "项目结束后的经费使用情况公示" in t)
    assert "已逾期 4 天" in final and "2025-05-28" in final and "依据　慈善法第79条" in final
    assert any("还有 29 天" in t and "2025年6月底" in t for t in texts)
    label = next(overview.due_box.itemAt(i).widget() for i in range(overview.due_box.count())
                 if "经费使用情况" in overview.due_box.itemAt(i).widget().text())
    label.linkActivated.emit(label.text().split('href="')[1].split('"')[0])
    wait_idle(qtbot, demo_window.ctx.runner)
    builder = demo_window.notices.builder
    assert demo_window.stack.currentWidget() is demo_window.notices and builder.isVisible()
    assert builder.template.currentData() == "fund-usage"
    assert builder.date_to.date().toPython() == date(2025, 2, 28)
    builder.reject()


def test_without_qtpdf_the_preview_says_what_to_do(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_preview, "qtpdf", lambda: None)
    preview = pdf_preview.PdfPreview(placeholder="")
    qtbot.addWidget(preview)
    assert not preview.available and not preview.show_file(tmp_path / "x.pdf")
    assert "QtPdf" in preview.message.text() and "导出 PDF" in preview.message.text()
    with pytest.raises(UserError, match="QtPdf"):
        pdf_preview.open_document(tmp_path / "x.pdf")


# ---------------------------------------------------------------------------- wording edits (修改文字)

SITE = "青花镇立信社区慈善试点情况"
COMPLETION = "field:项目完成情况"


def previewed(qtbot, page, **dates):
    builder = open_builder(qtbot, page, **dates)
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    return builder


def first_item(builder, group: str = SITE) -> str:
    return next(e.key for e in builder.wording.entries.values() if e.group == group and e.key.startswith("item:"))


def built(builder, key: str, part: str) -> str:
    return builder.wording.entries[(key, part)].text


def edit(qtbot, builder, key: str, part: str, text: str) -> None:
    assert builder.wording.select(key, part)
    builder.wording.set_text(text)
    builder.wording.apply_button.click()
    wait_idle(qtbot, builder.ctx.runner)


def masked_of(builder) -> list[tuple]:
    model = builder.masked_model
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]


def test_editable_texts_are_listed_by_heading_after_the_preview(qtbot, page):
    builder = open_builder(qtbot, page)
    assert not builder.wording.entries and "生成预览后" in builder.wording.hint.text()
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    groups = [builder.wording.tree.topLevelItem(i).text(0) for i in range(builder.wording.tree.topLevelItemCount())]
    assert groups[:2] == ["一、项目信息", "二、项目效果"] and SITE in groups
    assert builder.wording.select(COMPLETION, "text")
    assert builder.wording.editor.currentWidget() is builder.wording.multi
    assert builder.wording.text() == built(builder, COMPLETION, "text") and "31.6万元" in builder.wording.text()
    assert builder.wording.counter.text() == f"{len(builder.wording.text())} / 5000 字"
    item = first_item(builder)
    assert builder.wording.select(item, "lead") and builder.wording.editor.currentWidget() is builder.wording.single
    assert builder.wording.counter.text().endswith("/ 200 字")
    assert builder.tabs.tabText(1) == "修改文字"


def test_edits_rebuild_the_preview_and_go_into_the_exported_draft(qtbot, page, monkeypatch, tmp_path, messages):
    builder = previewed(qtbot, page)
    item = first_item(builder)
    completion = built(builder, COMPLETION, "text").replace("活动开展", "社区活动开展和骨干培训")
    body = "召开试点专题工作会议5次，明确了青花试点的分工、进度和阵地运营办法。"
    edit(qtbot, builder, COMPLETION, "text", completion)
    edit(qtbot, builder, item, "body", body)
    assert builder.edits == {COMPLETION: {"text": completion}, item: {"body": body}}
    texts = builder.doc.texts()
    assert completion in texts and body in texts  # the rebuilt preview's document
    assert set(builder.doc.edited) == {(COMPLETION, "text"), (item, "body")}
    assert builder.wording.is_marked(item, "body") and builder.wording.is_marked(COMPLETION, "text")
    assert not builder.wording.is_marked(item, "lead")
    assert builder.wording.text() == body and "已应用修改" in builder.wording.message.text()
    assert builder.tabs.tabText(1) == "修改文字（已改 2 处）"
    assert builder.preview.page_count() > 0

    out = tmp_path / "公示.pdf"
    monkeypatch.setattr(prompts, "save_pdf", answers(out))
    monkeypatch.setattr(prompts, "offer_open_folder", lambda *_args: False)
    builder.export_pdf()
    wait_idle(qtbot, page.ctx.runner)
    code = read_verification_code(out)
    row = page.current()
    assert row.notice.verification_code == code and not row.published
    stored = notice_request.request_from_json(row.notice.request_json)
    assert stored.edits == {COMPLETION: {"text": completion}, item: {"body": body}}
    assert body in builder.doc.texts() and builder.wording.is_marked(item, "body")  # the editor stays on the export
    result = notice_verify.verify_notice(page.ctx.ws, code)
    assert result.ok and "数据未变" in result.summary
    builder.reject()
    assert not messages


def test_restoring_the_original_removes_the_edit(qtbot, page):
    builder = previewed(qtbot, page)
    item = first_item(builder)
    original = built(builder, item, "lead")
    edit(qtbot, builder, item, "lead", "青花试点工作讨论会。")
    assert builder.edits == {item: {"lead": "青花试点工作讨论会。"}} and "青花试点工作讨论会。" in builder.doc.texts()
    builder.wording.restore_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.edits == {} and not builder.doc.edited
    assert original in builder.doc.texts() and builder.wording.text() == original
    assert not builder.wording.is_marked(item, "lead") and "已恢复原文" in builder.wording.message.text()
    edit(qtbot, builder, item, "lead", original)  # the same text as built: nothing to store
    assert builder.edits == {} and "没有改动" in builder.wording.message.text()


def test_a_phone_number_typed_into_an_edit_is_hidden_and_listed(qtbot, page):
    builder = previewed(qtbot, page)
    before = masked_of(builder)
    assert not any(row[0] == "139****5678" for row in before)
    item = first_item(builder)
    edit(qtbot, builder, item, "body", "报名请联系志愿者，电话13912345678。")
    body = next(b.body for b in builder.doc.blocks if getattr(b, "key", "") == item)
    assert body == "报名请联系志愿者，电话***。" and "13912345678" not in "".join(builder.doc.texts())
    assert ("139****5678", "***", "私人电话已隐去") in masked_of(builder)  # the masked list refreshed
    assert builder.tabs.tabText(0) == f"打码的姓名和号码（{len(before) + 1}）"
    assert builder.wording.text() == body  # the editor shows what will print


def test_a_refused_edit_keeps_the_text_and_the_edits(qtbot, page, monkeypatch):
    builder = previewed(qtbot, page)
    item = first_item(builder)
    long_lead = "青花试点" * 51  # 204 characters: over the 200 of a lead
    edit(qtbot, builder, item, "lead", long_lead)
    assert "太长（204 字）" in builder.wording.message.text() and builder.wording.text() == long_lead
    assert builder.edits == {} and "color: #c0392b" in builder.wording.counter.styleSheet()
    edit(qtbot, builder, item, "lead", "  ")
    assert "不能为空" in builder.wording.message.text() and builder.edits == {}

    def refuse(*_args):  # the build itself fails (e.g. a character no bundled font has)
        raise UserError("公示中有字体无法显示的字符“𠀀”。请换成常用字后再导出。")

    monkeypatch.setattr(notice_jobs, "preview_notice", refuse)
    edit(qtbot, builder, item, "body", "新的正文𠀀。")
    assert builder.edits == {} and builder.wording.text() == "新的正文𠀀。"
    assert "修改没有应用" in builder.wording.message.text() and "𠀀" in builder.message.text()
    builder.wording.select(COMPLETION, "text")  # moving away and back keeps what was typed
    assert builder.wording.select(item, "body") and builder.wording.text() == "新的正文𠀀。"
    builder.export_pdf()  # not applied: the export says so (save_pdf is never asked)
    assert "还没有应用" in builder.message.text() and builder.wording.current().key == item


def test_edit_draft_reopens_the_builder_with_its_edits(qtbot, page, monkeypatch, tmp_path):
    builder = previewed(qtbot, page, date_to=PERIOD_2024[1])
    item = first_item(builder)
    edit(qtbot, builder, item, "lead", "青花试点专题工作会议。")
    builder.objections.setPlainText("有异议请在公示期内到社区办公室反映。")
    monkeypatch.setattr(prompts, "save_pdf", answers(tmp_path / "公示.pdf"))
    monkeypatch.setattr(prompts, "offer_open_folder", lambda *_args: False)
    builder.export_pdf()
    wait_idle(qtbot, page.ctx.runner)
    builder.reject()
    wait_idle(qtbot, page.ctx.runner)
    assert page.current() is not None and page.edit_button.isEnabled()

    page.edit_button.click()
    wait_idle(qtbot, page.ctx.runner)
    again = page.builder
    assert again is not builder and again.windowTitle() == "修改公示草稿"
    assert again.date_to.date().toPython() == PERIOD_2024[1]
    assert again.objections.toPlainText() == "有异议请在公示期内到社区办公室反映。"
    assert again.edits == {item: {"lead": "青花试点专题工作会议。"}}
    assert "青花试点专题工作会议。" in again.doc.texts() and again.wording.is_marked(item, "lead")
    assert again.tabs.tabText(1) == "修改文字（已改 1 处）"
    again.reject()

    publish_selected(qtbot, page, monkeypatch)
    assert not page.edit_button.isEnabled()  # a published notice is never changed


def test_edits_that_no_longer_apply_are_said_and_can_be_dropped(qtbot, page):
    builder = open_builder(qtbot, page)
    builder.edits["item:no-such-activity"] = {"body": "一条已经不在公示里的活动。"}
    builder.make_preview()
    wait_idle(qtbot, page.ctx.runner)
    assert "有 1 处修改已不适用" in builder.wording.notes.text() and not builder.wording.notes.isHidden()
    assert builder.tabs.tabText(1) == "修改文字（已改 1 处，有提示）"  # seen from the other tab too
    assert not builder.wording.drop_stale_button.isHidden()
    builder.wording.drop_stale_button.click()
    assert builder.edits == {} and builder.wording.drop_stale_button.isHidden()
    assert not builder.wording.notes.text() and "已删去 1 处" in builder.wording.message.text()
    assert builder.tabs.tabText(1) == "修改文字"


def test_closing_asks_for_wording_edits_until_the_export_keeps_them(qtbot, page, monkeypatch, tmp_path):
    builder = previewed(qtbot, page)
    builder.reject()  # built, nothing typed: closes at once (ask_discard would fail the test)
    assert not builder.isVisible()
    builder = previewed(qtbot, page)
    item = first_item(builder)
    assert builder.wording.select(item, "lead")
    builder.wording.set_text("青花试点专题工作会议。")  # typed, not applied yet
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append("继续编辑") or False)
    builder.reject()
    assert asked == ["继续编辑"] and builder.isVisible() and builder.wording.text() == "青花试点专题工作会议。"
    builder.wording.apply_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert builder.edits == {item: {"lead": "青花试点专题工作会议。"}}
    builder.close()  # applied but not exported: still only in this window
    assert asked == ["继续编辑"] * 2 and builder.isVisible()
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append("放弃") or True)
    builder.reject()
    assert asked[-1] == "放弃" and not builder.isVisible() and page.model.rowCount() == 0  # no draft recorded

    builder = previewed(qtbot, page)
    edit(qtbot, builder, first_item(builder), "lead", "青花试点专题工作会议。")
    monkeypatch.setattr(prompts, "save_pdf", answers(tmp_path / "公示.pdf"))
    monkeypatch.setattr(prompts, "offer_open_folder", lambda *_args: False)
    builder.export_pdf()
    wait_idle(qtbot, page.ctx.runner)
    builder.reject()  # the draft keeps the edit: no question
    assert asked[-1] == "放弃" and len(asked) == 3 and not builder.isVisible() and page.model.rowCount() == 1


def test_the_builder_says_when_the_supervision_phones_are_not_filled_in(qtbot, page):
    from desktop_app.core.services import settings

    builder = previewed(qtbot, page)
    assert "监督电话" not in builder.message.text()  # the demo has them
    builder.reject()
    settings.set_settings(page.ctx.ws, {"notice.association_phone": "", "notice.civil_affairs_phone": ""})
    builder = previewed(qtbot, page)
    assert "监督电话未填写：万源市慈善会、青花镇、八台镇民政办" in builder.message.text()
    assert "设置 › 信息公示" in builder.message.text() and builder.preview.page_count() > 0
    assert "监督电话" not in builder.wording.notes.text()  # advice, not a note about the wording
    builder.reject()


def test_supervision_lines_keep_names_with_enumeration_commas():
    assert notice_builder.parse_supervision("万源市慈善会，0818-8622345\n青花镇、八台镇民政办，\n政务服务便民热线：12345\n\n"
                                            "八台镇民政办，(0818) 862 1234") == [
        ("万源市慈善会", "0818-8622345"), ("青花镇、八台镇民政办", ""), ("政务服务便民热线", "12345"),
        ("八台镇民政办", "(0818) 862 1234")]
