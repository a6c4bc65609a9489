"""County mode on the pages: an office filter (全部乡镇 first), an office column, and the buttons that would
change a township's record turned off with the reason; a township's workspace shows neither."""

import shutil

import pytest

from desktop_app.core.demo.county import COUNTY, COUNTY_FUND, TOWNSHIPS, build_county_demo
from desktop_app.core.queries.offices import ALL_OFFICES
from desktop_app.core.storage.workspace import Workspace
from desktop_app.gui.ledger_model import OFFICE
from tests.gui.conftest import wait_idle

BATAI, QINGHUA = TOWNSHIPS[0][0], TOWNSHIPS[1][0]
NOTE = f"这是{BATAI}的记录，只有该单位可以修改。"


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory):
    return build_county_demo(tmp_path_factory.mktemp("county-gui") / "county")


@pytest.fixture
def workspace(county_dir, tmp_path):
    """The county's workspace (overrides the township one of tests/conftest.py)."""
    shutil.copytree(county_dir, tmp_path / "county")
    ws = Workspace.open(tmp_path / "county", auto_backup=False)
    yield ws
    ws.close(backup=False)


def _open(qtbot, window, page):
    window.go_to(page)
    wait_idle(qtbot, window.ctx.runner)
    return page


def _choose(qtbot, window, box, office: str) -> None:
    index = next(i for i in range(box.count()) if box.itemText(i).startswith(office))
    box.setCurrentIndex(index)
    wait_idle(qtbot, window.ctx.runner)


def _column(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_funds_page_filters_by_office(qtbot, window):
    page = _open(qtbot, window, window.funds)
    box = page.office_filter
    assert box.isVisible() and box.itemText(0) == ALL_OFFICES
    assert [box.itemText(i) for i in range(box.count())][1].startswith(COUNTY)  # its own office too
    assert not page.view.isColumnHidden(6)
    assert set(_column(page.model, 6)) == {COUNTY, BATAI, QINGHUA}
    _choose(qtbot, window, box, QINGHUA)
    assert _column(page.model, 6) == [QINGHUA]
    _choose(qtbot, window, box, ALL_OFFICES)
    assert page.model.rowCount() == 3


def test_funds_page_turns_off_editing_a_township_fund(qtbot, window):
    page = _open(qtbot, window, window.funds)
    names = _column(page.model, 0)
    page.view.selectRow(names.index(TOWNSHIPS[0][3]))
    assert not page.edit_button.isEnabled() and not page.close_button.isEnabled()
    assert page.edit_button.toolTip() == NOTE
    assert page.edit_fund() is None  # a double click does nothing either
    page.view.selectRow(names.index(COUNTY_FUND))
    assert page.edit_button.isEnabled() and page.close_button.isEnabled()
    assert page.add_button.isEnabled()
    _choose(qtbot, window, page.office_filter, BATAI)
    assert not page.add_button.isEnabled() and page.add_button.toolTip() == NOTE


def test_ledger_page_filters_by_office(qtbot, window):
    page = _open(qtbot, window, window.ledger)
    assert page.office_filter.isVisible() and page.office_filter.itemText(0) == ALL_OFFICES
    assert not page.view.isColumnHidden(OFFICE)
    assert set(_column(page.model, OFFICE)) == {COUNTY, BATAI, QINGHUA}
    _choose(qtbot, window, page.office_filter, BATAI)
    assert page.model.rowCount() == 3 and set(_column(page.model, OFFICE)) == {BATAI}
    assert "收入合计 ¥10,000.00" in page.totals_label.text()
    assert not page.new_button.isEnabled() and page.new_button.toolTip() == NOTE
    assert not page.batch_button.isEnabled()
    assert window.ledger.new_entry() is None  # Ctrl+N
    _choose(qtbot, window, page.office_filter, ALL_OFFICES)
    assert page.model.rowCount() == 8 and page.new_button.isEnabled()


def test_ledger_page_turns_off_changing_a_township_entry(qtbot, window):
    page = _open(qtbot, window, window.ledger)
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    draft = next(r for r in rows if r.status == "draft" and page.scope.name(r.office_id) == BATAI)
    assert page.select_entry(draft.id)
    for button in (page.edit_button, page.delete_button, page.post_button):
        assert not button.isEnabled() and button.toolTip() == NOTE
    assert page.detail_button.isEnabled()  # reading is fine
    posted = next(r for r in rows if r.status == "posted" and page.scope.name(r.office_id) == BATAI)
    assert page.select_entry(posted.id)
    assert not page.reverse_button.isEnabled() and not page.redo_copy_action.isEnabled()
    own = next(r for r in rows if page.scope.name(r.office_id) == COUNTY)
    assert page.select_entry(own.id)
    assert page.reverse_button.isEnabled()
    assert page.reverse_button.toolTip().startswith("红字冲销所选凭证")  # its own tooltip is back


def test_activities_page_filters_and_reads_a_township_activity(qtbot, window):
    from desktop_app.gui.pages.activities import OFFICE as ACTIVITY_OFFICE

    page = _open(qtbot, window, window.activities)
    assert page.office_filter.isVisible() and not page.view.isColumnHidden(ACTIVITY_OFFICE)
    assert set(_column(page.model, ACTIVITY_OFFICE)) == {BATAI, QINGHUA}
    _choose(qtbot, window, page.office_filter, BATAI)
    assert _column(page.model, ACTIVITY_OFFICE) == [BATAI]
    page.view.selectRow(0)
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    assert page.edit_button.toolTip() == NOTE
    assert not page.new_button.isEnabled()
    dialog = page.edit_activity()  # a double click opens it to read
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.save_button.isEnabled() and dialog.save_button.toolTip() == NOTE
    dialog.done(dialog.DialogCode.Rejected)
    _choose(qtbot, window, page.office_filter, COUNTY)
    assert page.model.rowCount() == 0 and page.new_button.isEnabled()


def test_surveys_page_filters_and_turns_off_changing_a_township_survey(qtbot, window):
    page = _open(qtbot, window, window.surveys)
    assert page.office_filter.isVisible() and not page.view.isColumnHidden(4)
    assert set(_column(page.model, 4)) == {BATAI, QINGHUA}
    _choose(qtbot, window, page.office_filter, BATAI)
    assert _column(page.model, 4) == [BATAI]
    page.view.selectRow(0)
    wait_idle(qtbot, window.ctx.runner)
    for button in (page.entry_button, page.settle_button, page.design_button, page.rules_button, page.new_button,
                   page.import_button):
        assert not button.isEnabled() and button.toolTip() == NOTE
    assert page.report_button.isEnabled() and page.export_button.isEnabled()  # reading is fine
    _choose(qtbot, window, page.office_filter, COUNTY)
    assert page.model.rowCount() == 0 and page.new_button.isEnabled() and page.import_button.isEnabled()


def test_notices_page_has_the_office_filter(qtbot, window):
    page = _open(qtbot, window, window.notices)
    assert page.office_filter.isVisible() and page.office_filter.itemText(0) == ALL_OFFICES
    assert page.office_filter.count() == 4  # 全部乡镇, the county, two townships
    assert not page.view.isColumnHidden(8)
    assert page.new_button.isEnabled()
    _choose(qtbot, window, page.office_filter, QINGHUA)
    assert not page.new_button.isEnabled()
    assert page.new_button.toolTip() == f"这是{QINGHUA}的记录，只有该单位可以修改。"


def test_a_township_workspace_shows_no_office_filter(qtbot, qapp, tmp_path):
    from desktop_app.core.demo.county import build_township
    from desktop_app.gui.app import make_context
    from desktop_app.gui.application import make_application
    from desktop_app.gui.main_window import MainWindow

    ws = build_township(tmp_path / "t", *TOWNSHIPS[0])
    try:
        make_application()
        ctx = make_context(ws)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        wait_idle(qtbot, ctx.runner)
        for page, column in ((window.funds, 6), (window.ledger, OFFICE), (window.activities, 11),
                             (window.surveys, 4), (window.notices, 8)):
            _open(qtbot, window, page)
            assert not page.office_filter.isVisible() and page.view.isColumnHidden(column), page.title
        ledger = window.ledger
        rows = [ledger.model.row_at(i) for i in range(ledger.model.rowCount())]
        assert ledger.select_entry(next(r.id for r in rows if r.status == "draft"))
        assert ledger.edit_button.isEnabled() and ledger.new_button.isEnabled()
        window.close()
    finally:
        ws.close(backup=False)


def test_ledger_forms_offer_only_the_countys_own_funds(qtbot, window):
    page = _open(qtbot, window, window.ledger)
    funds = [page.fund_filter.itemText(i) for i in range(page.fund_filter.count())]
    assert len(funds) == 4  # 全部基金 and every office's fund: all are shown
    _choose(qtbot, window, page.office_filter, QINGHUA)
    assert [page.fund_filter.itemText(i) for i in range(page.fund_filter.count())] == ["全部基金", TOWNSHIPS[1][3]]
    _choose(qtbot, window, page.office_filter, ALL_OFFICES)
    dialog = page.new_entry()  # an entry is written in this office's funds only
    assert [dialog.fund.itemText(i) for i in range(dialog.fund.count())] == [COUNTY_FUND]
    dialog.done(dialog.DialogCode.Rejected)
