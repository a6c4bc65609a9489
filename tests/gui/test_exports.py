"""导出 Excel: the ledger with the page's filter, the reports from 文件 › 导出报表, cancel and errors."""

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from desktop_app.core.exports import ledger as ledger_export
from desktop_app.core.exports import reports as report_export
from desktop_app.core.services import ledger, projects
from desktop_app.gui import exports, file_dialogs, prompts
from desktop_app.gui.ops import OpRunner
from tests.gui.conftest import wait_idle
from tests.helpers import make_entry

REAL_SAVE_EXCEL = prompts.save_excel  # the conftest patches it out; some tests run it with run_dialog patched
SECOND_FUND = "万源市慈善会八台镇青山社区基金"


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    return folder


@pytest.fixture
def save_as(monkeypatch):
    """`save_as(path)`: the save dialog answers `path`; returns the (title, suggested name) it was asked with."""
    asked: list[tuple[str, str]] = []

    def patch(path):
        def save_excel(_parent, title, file_name, _folder=None):
            asked.append((title, file_name))
            return path

        monkeypatch.setattr(prompts, "save_excel", save_excel)
        return asked

    return patch


@pytest.fixture
def done(monkeypatch) -> list[str]:
    """The “已导出 …” messages; the user answers 关闭 (the folder is not opened)."""
    shown: list[str] = []
    monkeypatch.setattr(prompts, "offer_open_folder",
                        lambda _parent, message, _title="", details="": shown.append(message) or False)
    return shown


def data_rows(path) -> list[tuple]:
    """The rows between the header row and the first totals row of the first sheet."""
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] in ("凭证号", "基金", "业务类别", "月份", "预算类别", "捐赠人")) + 1
    end = next(i for i in range(start, len(rows)) if str(rows[i][0] or "").startswith("合计"))
    return rows[start:end]


def title(path) -> str:
    return openpyxl.load_workbook(path, read_only=True).worksheets[0]["A1"].value


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_ledger_export_writes_exactly_the_filtered_entries(qtbot, ledger_page, out_dir, save_as, done):
    ws = ledger_page.ctx.ws
    other, _ = projects.add_fund(ws, projects.FundInput(name=SECOND_FUND))
    ledger.add_entry(ws, make_entry(ws, amount="100", summary="助学金发放（一）", day=date(2024, 3, 1)), post=True)
    ledger.add_draft(ws, make_entry(ws, entry_type="donation", category="个人捐赠", amount="50",
                                    summary="助学捐款（未核对）", day=date(2024, 3, 2)))
    ledger.add_entry(ws, make_entry(ws, amount="300", summary="重阳节敬老活动"), post=True)
    ledger.add_entry(ws, replace(make_entry(ws, amount="700", summary="助学金发放（青山）"), fund_id=other.id), post=True)
    ledger_page.reload()
    wait_idle(qtbot, ledger_page.ctx.runner)
    ledger_page.fund_filter.setCurrentIndex(ledger_page.fund_filter.findData(ws.fund.id))
    ledger_page.search.setText("助学")  # the 250 ms search delay is still running: the export applies it first
    target = out_dir / "助学.xlsx"
    asked = save_as(target)

    ledger_page.export_button.click()
    wait_idle(qtbot, ledger_page.ctx.runner)

    assert ledger_page.model.filter.text == "助学" and ledger_page.model.rowCount() == 2
    assert asked == [("导出收支台账", exports.file_name("收支台账"))]
    rows = data_rows(target)
    assert [(r[0], r[2], r[4], r[11]) for r in rows] == [
        ("2024-0001", ws.fund.name, "助学金发放（一）", "已记账"),
        (None, ws.fund.name, "助学捐款（未核对）", "草稿"),
    ]
    assert "含“助学”" in title(target) and ws.fund.name in title(target)
    assert done == [f"已导出 2 行到文件夹“{target.parent.name}”，文件名“{target.name}”。"]  # the full path: 详细信息
    assert leftovers(out_dir) == ["助学.xlsx"]  # no temporary file left beside it


def test_open_folder_when_the_user_asks(qtbot, ledger_page, out_dir, save_as, monkeypatch):
    ws = ledger_page.ctx.ws
    ledger.add_entry(ws, make_entry(ws), post=True)
    save_as(out_dir / "台账.xlsx")
    monkeypatch.setattr(prompts, "offer_open_folder", lambda *_a: True)
    opened = []
    monkeypatch.setattr(prompts, "open_folder", opened.append)
    ledger_page.export_excel()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert opened == [out_dir]
    assert len(data_rows(out_dir / "台账.xlsx")) == 1


def report_action(window, label):
    return next(a for a in window.report_menu.actions() if a.text() == f"{label}…")


@pytest.mark.parametrize("kind", ["balances", "categories", "months", "donors"])
def test_each_report_action_writes_its_file(qtbot, window, out_dir, save_as, done, kind):
    ws = window.ctx.ws
    ledger.add_entry(ws, make_entry(ws, amount="1000"), post=True)
    ledger.add_entry(ws, make_entry(ws, entry_type="donation", category="个人捐赠", amount="200",
                                    counterparty_name="张三", counterparty_kind="个人"), post=True)
    label = exports.REPORTS[kind]
    target = out_dir / f"{kind}.xlsx"
    asked = save_as(target)
    report_action(window, label).trigger()
    wait_idle(qtbot, window.ctx.runner)
    assert asked == [(f"导出{label}", exports.file_name(label))]
    assert report_export.REPORT_KINDS[kind] in title(target)
    assert len(done) == 1 and done[0].startswith("已导出 ") and done[0].endswith(f"文件名“{target.name}”。")
    if kind == "donors":  # the public version: no consent to publish, so no name
        assert [r[0] for r in data_rows(target)] == ["爱心人士"]


def add_project(ws, name):
    return projects.add_project(ws, projects.ProjectInput(name=name, start_date=date(2024, 1, 1),
                                                          end_date=date(2024, 12, 31), budget=Decimal(1000)))


def test_budget_report_needs_a_project(qtbot, window, messages):
    report_action(window, "预算执行表").trigger()  # the save dialog is not asked for
    wait_idle(qtbot, window.ctx.runner)
    assert messages == [exports.NO_PROJECT]


def test_budget_report_of_the_only_project(qtbot, window, out_dir, save_as, done):
    add_project(window.ctx.ws, "尚善社区慈善试点")
    target = out_dir / "预算.xlsx"
    asked = save_as(target)
    report_action(window, "预算执行表").trigger()  # one project: no question which
    wait_idle(qtbot, window.ctx.runner)
    assert asked == [("导出预算执行表", exports.file_name("预算执行表", "尚善社区慈善试点"))]
    assert "尚善社区慈善试点" in title(target) and "项目预算执行表" in title(target)
    assert len(done) == 1


def test_budget_report_asks_which_project(qtbot, window, out_dir, save_as, done, monkeypatch):
    ws = window.ctx.ws
    add_project(ws, "尚善社区慈善试点")
    add_project(ws, "青山社区养老服务")
    offered = []
    monkeypatch.setattr(prompts, "choose", lambda _p, _t, _l, items: offered.append(items) or 1)
    target = out_dir / "预算.xlsx"
    save_as(target)
    report_action(window, "预算执行表").trigger()
    wait_idle(qtbot, window.ctx.runner)
    assert offered == [["尚善社区慈善试点", "青山社区养老服务"]]
    assert "青山社区养老服务" in title(target)

    monkeypatch.setattr(prompts, "choose", lambda *_a: None)  # 取消 in the project list: nothing else happens
    target.unlink()
    report_action(window, "预算执行表").trigger()
    wait_idle(qtbot, window.ctx.runner)
    assert not target.exists() and len(done) == 1


def test_cancel_during_the_export_leaves_no_file(qtbot, window, ledger_page, out_dir, save_as, monkeypatch):
    ws = ledger_page.ctx.ws
    for i in range(3):
        ledger.add_entry(ws, make_entry(ws, amount=str(100 + i)), post=True)
    monkeypatch.setattr(ledger_export, "PROGRESS_EVERY", 1)
    original = OpRunner._with_progress
    reports = []

    def cancel_after_first_row(self, op_id, op, fn):
        def with_cancel(progress):
            def report(done, total):
                reports.append(done)
                if done >= 1:
                    op.cancel.set()  # what 取消 in the progress dialog does
                progress(done, total)
            return fn(report)
        return original(self, op_id, op, with_cancel)

    monkeypatch.setattr(OpRunner, "_with_progress", cancel_after_first_row)
    save_as(out_dir / "台账.xlsx")
    ledger_page.export_excel()  # offer_open_folder is not patched: reaching it would fail the test
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert reports == [0, 1]  # stopped in the middle of writing the rows
    assert leftovers(out_dir) == []
    assert window.statusBar().currentMessage() == "已取消。"


def test_cancel_in_the_progress_dialog_before_the_export_starts(qtbot, window, ledger_page, out_dir, save_as, messages):
    runner = ledger_page.ctx.runner
    ledger.add_entry(ledger_page.ctx.ws, make_entry(ledger_page.ctx.ws), post=True)
    release = threading.Event()
    runner.run(lambda: release.wait(10))  # the worker is busy (e.g. the backup at start-up)
    save_as(out_dir / "台账.xlsx")
    ledger_page.export_excel()
    export = runner._pending[max(runner._pending)]
    export.dialog.canceled.emit()  # 取消
    release.set()
    wait_idle(qtbot, runner)
    assert leftovers(out_dir) == [] and messages == []


def test_cancelled_save_dialog_does_nothing(qtbot, ledger_page, out_dir, messages, monkeypatch):
    monkeypatch.setattr(prompts, "save_excel", REAL_SAVE_EXCEL)
    asked = []
    monkeypatch.setattr(file_dialogs, "run_dialog",
                        lambda d: asked.append((d.windowTitle(), d.selectedFiles()[0], d.nameFilters())) or [])
    ledger_page.export_button.click()
    assert ledger_page.ctx.runner.idle and messages == [] and leftovers(out_dir) == []
    [(title_, start, name_filters)] = asked
    assert title_ == "导出收支台账" and name_filters == ["Excel 工作簿 (*.xlsx)"]
    assert start == str(prompts.documents_dir() / exports.file_name("收支台账"))


def test_xlsx_is_appended_and_the_folder_remembered(qtbot, ledger_page, out_dir, done, monkeypatch):
    monkeypatch.setattr(prompts, "save_excel", REAL_SAVE_EXCEL)
    asked = []
    monkeypatch.setattr(file_dialogs, "run_dialog",
                        lambda d: asked.append(d.selectedFiles()[0]) or [out_dir / "三月台账"])
    ledger_page.export_excel()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert leftovers(out_dir) == ["三月台账.xlsx"]
    ledger_page.export_excel()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert asked[1] == str(out_dir / exports.file_name("收支台账"))  # the next export suggests the same folder
    assert prompts.with_suffix("台账.XLSX").name == "台账.XLSX" and prompts.with_suffix("台账.xls").name == "台账.xls.xlsx"


def test_core_errors_are_shown_in_chinese(qtbot, ledger_page, out_dir, save_as, messages):
    save_as(out_dir / "没有这个文件夹" / "台账.xlsx")
    ledger_page.export_excel()
    wait_idle(qtbot, ledger_page.ctx.runner)
    assert len(messages) == 1 and "不存在" in messages[0] and "没有这个文件夹" in messages[0]
    assert leftovers(out_dir) == []


def test_file_names_are_safe_for_windows():
    assert exports.file_name("收支台账", today=date(2024, 11, 24)) == "收支台账-2024-11-24.xlsx"
    assert exports.file_name("预算执行表", "养老/助残: 试点?", today=date(2024, 11, 24)) == \
        "预算执行表-养老_助残_ 试点_-2024-11-24.xlsx"
