"""导出 Excel: one function per user command. Each asks where to save, runs the core export in the
worker (progress dialog; the ledger export can be cancelled), then says how many rows were written and
offers to open the folder. Errors from the core (file open in Excel, folder missing …) are shown by the
runner; a cancelled export leaves no file and only says 已取消 in the status bar."""

import re
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop_app.core.exports import activities as activity_export
from desktop_app.core.exports import goods as goods_export
from desktop_app.core.exports import ledger as ledger_export
from desktop_app.core.exports import reports as report_export
from desktop_app.core.queries.activities import ActivityFilter
from desktop_app.core.queries.ledger import LedgerFilter
from desktop_app.core.storage.files import shown_name, where
from desktop_app.gui import prompts
from desktop_app.gui.context import AppContext
from desktop_app.gui.lookups import load_project_choices

REPORTS = {  # kind → menu text and file name
    "balances": "基金余额表",
    "categories": "收支分类表",
    "months": "月度收支表",
    "budget": "预算执行表",
    "donors": "捐赠名单（公示用）",
}
NO_PROJECT = "预算执行表是按项目统计的，目前还没有项目。请先在“项目”页添加一个项目，再导出预算执行表。"


def file_name(*parts: str, today: date | None = None) -> str:
    """“收支台账-2024-11-24.xlsx”; characters Windows does not allow in file names become “_”."""
    stem = "-".join([*parts, f"{today or date.today():%Y-%m-%d}"])
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem) + ".xlsx"


def pdf_file_name(*parts: str) -> str:
    """“四川省…经费使用情况公示-2025-01-05.pdf”: the Excel exports' naming, as a PDF."""
    return Path(file_name(*parts)).with_suffix(".pdf").name


def ask_path(ctx: AppContext, parent: QWidget, title: str, name: str, *, pdf: bool = False) -> Path | None:
    """Where to save an Excel workbook (or, with `pdf`, a PDF), suggesting `name` in the folder of the last
    export; the folder chosen is suggested next time."""
    ask = prompts.save_pdf if pdf else prompts.save_excel
    out = ask(parent, title, name, ctx.export_dir)
    if out is not None:
        ctx.export_dir = out.parent
    return out


def exported(parent: QWidget, out: Path, rows: int, what: str = "") -> None:
    """Say what was written (“已导出 120 行到 …”, or “已导出” + `what`) and offer to open the folder."""
    # the file and its folder by name; the full path under 详细信息 (positional: tests patch the function)
    if prompts.offer_open_folder(parent, f"已导出{what or f' {rows:,} 行'}到文件夹“{shown_name(out.parent)}”，"
                                 f"文件名“{out.name}”。", "导出完成", where(out)):
        prompts.open_folder(out.parent)


def run_export(ctx: AppContext, parent: QWidget, label: str, name: str, write, *, cancellable: bool = False,
               what=None) -> None:
    """Ask where to save `label`, then `write(out, progress) -> rows` in the worker with a progress dialog
    (取消 when `cancellable`: the core export then leaves no file); `what(rows)` words the result."""
    out = ask_path(ctx, parent, f"导出{label}", name)
    if out is None:
        return
    ctx.runner.run(lambda progress: write(out, progress),
                   lambda rows: exported(parent, out, rows, what(rows) if what else ""),
                   progress_title=f"正在导出{label}到 {out.name}…", cancellable=cancellable, parent=parent)


def export_ledger(ctx: AppContext, parent: QWidget, ledger_filter: LedgerFilter) -> None:
    """收支台账 › 导出 Excel…: the entries the page shows (its current filter), oldest first."""
    ws = ctx.ws
    run_export(ctx, parent, "收支台账", file_name("收支台账"),
               lambda out, progress: ledger_export.export_ledger(ws, out, ledger_filter, progress), cancellable=True)


def export_activities(ctx: AppContext, parent: QWidget, activity_filter: ActivityFilter) -> None:
    """活动记录 › 导出活动登记表…: the activities the page shows (its filters); names masked."""
    ws = ctx.ws
    run_export(ctx, parent, "活动登记表", file_name("活动登记表"),
               lambda out, progress: activity_export.export_activities(ws, out, activity_filter, progress),
               cancellable=True)


def export_activity_stats(ctx: AppContext, parent: QWidget, activity_filter: ActivityFilter) -> None:
    """活动记录 › 导出活动统计…: the statistics of the page's filters (by type, month, site, group)."""
    ws = ctx.ws
    # export_activity_stats takes no progress callback (one pass over the list): busy dialog only
    run_export(ctx, parent, "活动统计", file_name("活动统计"),
               lambda out, _progress: activity_export.export_activity_stats(ws, out, activity_filter),
               what=lambda count: f"活动统计（共 {count:,} 个活动）")


def export_report(ctx: AppContext, parent: QWidget, kind: str, *, project_id: str | None = None,
                  project_name: str = "") -> None:
    """文件 › 导出报表 › …: one report over all funds (预算执行表: over one project)."""
    if kind == "budget" and project_id is None:
        choose_project(ctx, parent)
        return
    label = REPORTS[kind]
    ws = ctx.ws
    # export_report takes no progress callback, so there is nothing 取消 could stop: busy dialog only.
    run_export(ctx, parent, label, file_name(label, project_name) if project_name else file_name(label),
               lambda out, _progress: report_export.export_report(ws, kind, out, project_id=project_id, public=True))


def choose_project(ctx: AppContext, parent: QWidget) -> None:
    """预算执行表 needs a project: the only one, or the one the user picks."""
    ctx.runner.query(lambda: load_project_choices(ctx.ws), lambda found: _budget_for(ctx, parent, found))


def _budget_for(ctx: AppContext, parent: QWidget, found: list[tuple[str, str]]) -> None:
    if not found:
        prompts.show_info(parent, NO_PROJECT, "还没有项目")
        return
    index = 0 if len(found) == 1 else prompts.choose(parent, "导出预算执行表", "选择项目：", [n for _i, n in found])
    if index is not None:
        export_report(ctx, parent, "budget", project_id=found[index][0], project_name=found[index][1])


def export_goods(ctx: AppContext, parent: QWidget, fund_id: str | None = None, fund_name: str = "") -> None:
    """物资台账 › 导出物资台账…: stock and every receipt and issue, of one fund or of all."""
    ws = ctx.ws
    run_export(ctx, parent, "物资台账", file_name("物资台账", fund_name) if fund_id else file_name("物资台账"),
               lambda out, _progress: goods_export.export_goods(ws, out, fund_id=fund_id))
