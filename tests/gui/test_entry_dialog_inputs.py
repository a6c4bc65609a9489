"""Issue 11 in the entry dialog: a donation's counterparty is asked to be a person or an organisation (个人/单位),
a posting dated after this year asks for confirmation, and a folder is not taken as an attachment."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from sqlmodel import select

from desktop_app.core.models import LedgerEntry
from desktop_app.gui import prompts
from desktop_app.gui.ledger_model import ROW_ROLE
from tests.gui.conftest import close_discarding, wait_idle
from tests.helpers import table_rows


def fill(dialog, *, entry_type="donation", amount="500", summary="个人捐赠", day=date(2024, 6, 18)):
    dialog.entry_type.setCurrentIndex(dialog.entry_type.findData(entry_type))
    dialog.day.setDate(QDate(day.year, day.month, day.day))
    dialog.amount.setText(amount)
    dialog.summary.setText(summary)


def rows(page):
    return [page.model.index(r, 0).data(ROW_ROLE) for r in range(page.model.rowCount())]


def stored_kind(page) -> str:
    with page.ctx.ws.reading() as s:
        return s.exec(select(LedgerEntry.counterparty_kind)).one()


def test_kind_sits_beside_the_counterparty_as_person_or_organisation(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    labels = [dialog.counterparty_kind.itemText(i) for i in range(dialog.counterparty_kind.count())]
    assert labels[1] == "个人" and all(label.startswith("单位：") for label in labels[2:])
    assert "单位：企业" in labels and "单位：社会组织" in labels


def test_a_donors_kind_is_asked_for_before_saving(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog)
    dialog.counterparty.setText("王学军")
    dialog.consent.setChecked(True)
    before = table_rows(ledger_page.ctx.ws.db_path)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert "个人还是单位" in dialog.message.text() and "打码" in dialog.message.text()
    assert table_rows(ledger_page.ctx.ws.db_path) == before and ledger_page.model.rowCount() == 0
    assert dialog.counterparty.text() == "王学军"  # nothing typed is lost

    dialog.counterparty_kind.setCurrentIndex(dialog.counterparty_kind.findData("个人"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(rows(ledger_page)) == 1 and stored_kind(ledger_page) == "个人"


def test_an_anonymous_donation_or_an_allocation_needs_no_kind(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    fill(dialog, entry_type="allocation", amount="1000", summary="拨款")
    dialog.counterparty.setText("万源市慈善会")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(rows(ledger_page)) == 1


def test_posting_after_this_year_asks_first(qtbot, ledger_page, monkeypatch):
    asked = []
    answers = iter([False, True])
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, text: asked.append(text) or next(answers))
    dialog = ledger_page.new_entry()
    fill(dialog, entry_type="allocation", amount="1000", summary="拨款", day=date(2052, 3, 1))
    before = table_rows(ledger_page.ctx.ws.db_path)
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(asked) == 1 and "2052-03-01" in asked[0] and "年底之后" in asked[0]
    assert "没有记账" in dialog.message.text()
    assert table_rows(ledger_page.ctx.ws.db_path) == before

    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(asked) == 2
    [row] = rows(ledger_page)
    assert (row.status, row.voucher) == ("posted", "2052-0001")


def test_a_folder_is_not_taken_as_an_attachment(qtbot, ledger_page, tmp_path):
    folder = tmp_path / "扫描件"
    folder.mkdir()
    dialog = ledger_page.new_entry()
    dialog.add_files([folder])
    assert dialog.attachments.count() == 0
    assert "是文件夹，不是文件" in dialog.message.text()


def test_a_file_that_cannot_be_a_voucher_is_refused_when_added_and_the_rest_are_kept(qtbot, ledger_page, tmp_path):
    """Empty, text named .jpg, 2 GB (sparse: refused before a byte is read), the same file twice: each refusal
    says why and what to do, at once — not only at 保存, with the bad file still in the list."""
    good = tmp_path / "𠮷野家😀发票\u200b.jpg"
    good.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice")
    empty, text, huge = tmp_path / "空.jpg", tmp_path / "其实是文字.jpg", tmp_path / "大.jpg"
    empty.write_bytes(b"")
    text.write_text("这不是图片", encoding="utf-8")
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    dialog = ledger_page.new_entry()
    dialog.summary.setText("购置桌椅")
    dialog.add_files([good, empty, text, huge, good])
    assert dialog.attachment_paths() == [good]
    said = dialog.message.text()
    assert "空文件" in said and "请重新扫描或拍照" in said
    assert "内容不是图片或 PDF" in said and "超过了单个文件 50 MB 的上限" in said and "请先压缩图片" in said
    assert dialog.summary.text() == "购置桌椅"  # nothing typed is lost
    dialog.add_files([good])
    assert dialog.attachment_paths() == [good]
    close_discarding(dialog)
