"""The entry dialog's categories follow the entry type, and the donation-only fields show for donations only."""

from desktop_app.gui.lookups import Lookups
from tests.gui.conftest import wait_idle
from tests.gui.test_entry_dialog import fill, rows


def set_type(dialog, entry_type):
    dialog.entry_type.setCurrentIndex(dialog.entry_type.findData(entry_type))


def items(box):
    return [box.itemText(i) for i in range(box.count())]


def test_a_donation_never_defaults_to_project_allocation(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    assert dialog.entry_type.currentData() == "donation"
    assert dialog.category.currentText() == "个人捐赠" and "项目拨款" not in items(dialog.category)
    dialog.counterparty_kind.setCurrentIndex(dialog.counterparty_kind.findData("企业"))
    assert dialog.category.currentText() == "企业捐赠"

    set_type(dialog, "allocation")
    assert dialog.category.currentText() == "项目拨款" and "个人捐赠" not in items(dialog.category)
    set_type(dialog, "expense")
    assert dialog.category.currentText() == dialog._lookups.expense_categories[0]
    set_type(dialog, "donation")
    assert dialog.category.currentText() == "企业捐赠"


def test_a_category_the_user_picked_stays(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    dialog.category.setCurrentText("慈善一日捐")
    dialog.category.activated.emit(dialog.category.currentIndex())
    dialog.counterparty_kind.setCurrentIndex(dialog.counterparty_kind.findData("个人"))
    assert dialog.category.currentText() == "慈善一日捐"


def test_donation_only_fields_hide_for_expenses_and_allocations(qtbot, ledger_page):
    dialog = ledger_page.new_entry()
    donation_only = (dialog.anonymous, dialog.consent, dialog.receipt_code, dialog.receipt_no)
    assert all(w.isVisible() for w in donation_only)
    dialog.anonymous.setChecked(True)
    dialog.receipt_no.setText("0001")
    for kind in ("expense", "allocation"):
        set_type(dialog, kind)
        assert not any(w.isVisible() for w in donation_only)
    fill(dialog, entry_type="allocation")
    data = dialog.collect()
    assert (data.anonymous, data.receipt_no, data.category) == (False, "", "项目拨款")
    dialog.save(post=False)
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert [r.category for r in rows(ledger_page)] == ["项目拨款"]
    set_type(dialog, "donation")
    assert all(w.isVisible() for w in donation_only)


def test_default_category_falls_back_to_what_the_office_lists():
    lookups = Lookups(income_categories=["乡贤捐款", "上级拨付", "其他"], expense_categories=["助学"])
    assert lookups.default_category("donation", "个人") == "乡贤捐款"
    assert lookups.default_category("allocation") == "上级拨付"
    assert lookups.categories_for("allocation") == ["上级拨付", "其他"]
    assert lookups.default_category("expense") == "助学"
