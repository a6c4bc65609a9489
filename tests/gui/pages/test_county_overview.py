"""概览 in county mode: every township's figures with the totals, overdue notices in red, and 生成进展报告…;
a township's 概览 stays as it was."""

import gc
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from desktop_app.core.documents.pdf_text import flatten, page_texts
from desktop_app.gui import county_report_dialog, prompts
from desktop_app.gui.app import make_context
from desktop_app.gui.application import make_application
from desktop_app.gui.county_report_dialog import CUSTOM, ReportChoice, ReportPeriodDialog
from desktop_app.gui.pages.overview import COUNTY_COLUMNS, OVERDUE_COLUMN, OverviewPage
from desktop_app.gui.table_model import RED
from tests.core.queries.test_county import county_with_two_pilots
from tests.gui.conftest import wait_idle


@pytest.fixture
def county_ctx(qapp, tmp_path):
    a, b, cws = county_with_two_pilots(tmp_path)
    a.close(backup=False)
    b.close(backup=False)
    make_application()
    yield make_context(cws)
    gc.collect()
    cws.close(backup=False)


def open_page(qtbot, ctx, today=date(2024, 7, 1)) -> OverviewPage:
    page = OverviewPage(ctx)
    page.today = today
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    wait_idle(qtbot, ctx.runner)
    return page


def table(page: OverviewPage) -> list[list[str]]:
    model = page.county_model
    return [[model.data(model.index(r, c)) for c in range(len(COUNTY_COLUMNS))] for r in range(model.rowCount())]


def test_county_overview_shows_each_township_and_the_totals(qtbot, county_ctx):
    page = open_page(qtbot, county_ctx)
    assert page.county_box.isVisible() and page.report_button.isVisible()
    rows = {row[0]: row for row in table(page)}
    assert list(rows) == ["万源市慈善会（本会）", "青花镇社工站", "八台镇社工站", "合计"]
    assert rows["八台镇社工站"][1].startswith("第 1 号（") and rows["八台镇社工站"][2:4] == ["无", "¥749.50"]
    assert rows["青花镇社工站"][3] == "¥2,799.75" and rows["合计"][3] == "¥3,549.25"
    assert rows["八台镇社工站"][4] == "¥250.50 / ¥2,000.00（12.5%）"
    assert rows["合计"][5] == "2" and rows["合计"][6] == "34"
    assert rows["八台镇社工站"][OVERDUE_COLUMN] == "逾期 2 项" and rows["万源市慈善会（本会）"][OVERDUE_COLUMN] == "无"
    model = page.county_model
    colours = [model.data(model.index(r, OVERDUE_COLUMN), Qt.ItemDataRole.ForegroundRole) for r in range(model.rowCount())]
    assert colours[0] is None and colours[1] == RED and colours[2] == RED
    assert "尚差 3 个" in page.county_note.text() and "青花镇社工站、八台镇社工站" in page.county_note.text()


@pytest.mark.parametrize("pdf", [False, True])
def test_progress_report_is_generated_in_the_worker(qtbot, county_ctx, monkeypatch, tmp_path, pdf):
    page = open_page(qtbot, county_ctx)
    suffix = ".pdf" if pdf else ".xlsx"
    out = tmp_path / f"进展报告{suffix}"
    asked = []
    monkeypatch.setattr(county_report_dialog, "ask_report_period",
                        lambda _parent, today: asked.append(today) or ReportChoice(date(2024, 1, 1), date(2024, 6, 30), pdf))
    suggested = []
    monkeypatch.setattr(prompts, "save_pdf" if pdf else "save_excel",
                        lambda _parent, _title, name, _folder=None: suggested.append(name) or out)
    told = []
    monkeypatch.setattr(prompts, "offer_open_folder", lambda _parent, text, _title="", _details="": told.append(text) or False)
    page.report_button.click()
    wait_idle(qtbot, county_ctx.runner)
    assert asked == [date(2024, 7, 1)]
    assert suggested == [f"万源市慈善会社区慈善工作进展情况报告（2024年1月—6月）{suffix}"]
    assert out.exists() and told and "社区慈善工作进展情况报告" in told[0]
    if pdf:
        assert "八台镇社工站" in flatten(page_texts(out))
    else:
        assert load_workbook(out)["指标汇总"]["A1"].value == "万源市慈善会社区慈善工作进展情况报告（2024年1月—6月）"


def test_township_overview_is_unchanged(qtbot, ctx):
    page = open_page(qtbot, ctx)
    assert not page.county_box.isVisible()
    assert page.data is not None and page.data.county is None


def test_period_dialog_quick_choices_and_dates(qtbot):
    dialog = ReportPeriodDialog(None, date(2026, 12, 5))
    qtbot.addWidget(dialog)
    labels = [dialog.period.itemText(i) for i in range(dialog.period.count())]
    assert labels == ["2026年7月—11月", "2026年1月—6月", "2025年7月—11月", "2025年1月—6月", CUSTOM]
    dialog.period.setCurrentIndex(1)
    assert dialog.choice() == ReportChoice(date(2026, 1, 1), date(2026, 6, 30), False)
    dialog.pdf.setChecked(True)
    dialog.date_from.setDate(date(2026, 3, 1))
    assert dialog.period.currentText() == CUSTOM and dialog.choice().pdf
    dialog.date_to.setDate(date(2026, 2, 1))
    dialog._accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "起始日期晚于截止日期" in dialog.problem.text()
