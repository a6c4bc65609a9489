"""The county's progress report (seed 003: 工作进展情况于每年6月底、11月底前报送) for any period, as an Excel
workbook or an A4 PDF: “万源市慈善会社区慈善工作进展情况报告（2026年1月—6月）”.

Both carry the same figures, from `queries.county.county_indicators` with the disclosure clock of each office
(`notices.clock.office_disclosure`): the summary, the indicators by township and in total, the community funds
and their money, the charity spaces and their six haves (seed 003's ≥ 5 spaces per county by 2027), activities,
volunteers, hours and beneficiaries by group, and the disclosure (notices published on time, overdue). Only
counts of people are printed, never a person. The workbook is written by `sheet.write_workbook`, the PDF by
`documents.pdf.render_pdf` (`county_document.py`): whole or not at all, nothing written when refused.
"""

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from desktop_app.core.errors import UserError
from desktop_app.core.exports.sheet import Column, Sheet, export_subtitle, share, write_workbook, yuan
from desktop_app.core.months import month_end
from desktop_app.core.notices.clock import office_disclosure
from desktop_app.core.queries.county import (
    SPACES_TARGET,
    CountyIndicators,
    OfficeIndicators,
    SyncStates,
    check_period,
    county_indicators,
    require_county,
)

SUFFIXES = (".xlsx", ".pdf")


def period_label(date_from: date, date_to: date) -> str:
    """2026年1月—6月 for whole months of one year, 2025年12月—2026年5月 across years, 2026年6月 for one
    month; otherwise the days: 2026年1月5日—6月20日."""
    whole = date_from.day == 1 and date_to == month_end(date_to)
    if whole:
        if (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return f"{date_from.year}年{date_from.month}月"
        if date_from.year == date_to.year:
            return f"{date_from.year}年{date_from.month}月—{date_to.month}月"
        return f"{date_from.year}年{date_from.month}月—{date_to.year}年{date_to.month}月"
    start = f"{date_from.year}年{date_from.month}月{date_from.day}日"
    if date_from.year == date_to.year:
        return f"{start}—{date_to.month}月{date_to.day}日"
    return f"{start}—{date_to.year}年{date_to.month}月{date_to.day}日"


def report_title(county: str, date_from: date, date_to: date) -> str:
    return f"{county}社区慈善工作进展情况报告（{period_label(date_from, date_to)}）"


def half_years(today: date) -> list[tuple[str, date, date]]:
    """The report periods of seed 003 to choose from, newest first: January–June (due by 30 June) and
    July–November (due by 30 November) of this year and last year, those begun by `today`."""
    out = []
    for year in (today.year, today.year - 1):
        for start, end in ((date(year, 7, 1), date(year, 11, 30)), (date(year, 1, 1), date(year, 6, 30))):
            if start <= today:
                out.append((period_label(start, end), start, end))
    return out


def check_out(out: Path | str) -> Path:
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise UserError(f"报告文件“{out.name}”应以 .xlsx（Excel 工作簿）或 .pdf（PDF 文件）结尾，"
                        f"例如“{out.stem or '进展报告'}.xlsx”。请修改文件名后重试。")
    return out


def load_figures(session, date_from: date, date_to: date, *, today: date | None = None,
                 sync: SyncStates | None = None) -> CountyIndicators:
    """The report's figures, the disclosure clock of every office included."""
    return county_indicators(session, date_from, date_to, today=today, sync=sync, disclosure=office_disclosure)


def write_county_report(ws, date_from: date, date_to: date, out: Path | str, *, today: date | None = None,
                        sync: SyncStates | None = None) -> Path:
    """Write the report to `out` (.xlsx or .pdf) and return its path. Refused, nothing written, outside county
    mode, for a period that ends before it starts, or for another kind of file."""
    out = check_out(out)
    today = today or date.today()
    with ws.reading() as session:
        require_county(session)
        check_period(date_from, date_to)
        figures = load_figures(session, date_from, date_to, today=today, sync=sync)
    if out.suffix.lower() == ".pdf":
        from desktop_app.core.documents.pdf import render_pdf  # reportlab loads slowly: only when printing
        from desktop_app.core.exports.county_document import county_document

        render_pdf(county_document(figures, today=today), out)
    else:
        write_workbook(out, lambda wb: _workbook(wb, figures))
    return out


# ---------------------------------------------------------------------------------------------- the workbook


def _period(figures: CountyIndicators) -> str:
    return f"统计期间：{figures.date_from} 至 {figures.date_to}"


def _rows(figures: CountyIndicators) -> list[OfficeIndicators]:
    return [*figures.offices, figures.total]


def _workbook(wb: Workbook, figures: CountyIndicators) -> int:
    title = report_title(figures.county, figures.date_from, figures.date_to)
    _indicators(wb, figures, title)
    _funds(wb, figures, title)
    _spaces(wb, figures, title)
    _activities(wb, figures, title)
    _disclosure(wb, figures, title)
    return len(figures.offices)


def _indicators(wb: Workbook, figures: CountyIndicators, title: str) -> None:
    cols = (Column("乡镇（街道）", max_width=24), Column("社区基金(个)", "count"), Column("期内收入", "money"),
            Column("期内支出", "money"), Column("期末余额", "money"), Column("项目预算", "money"),
            Column("项目累计支出", "money"), Column("预算使用率", "percent"), Column("活动(场)", "count"),
            Column("参与(人次)", "count"), Column("志愿者(人次)", "count"), Column("志愿服务(小时)", "number"),
            Column("受益(人次)", "count"), Column("慈善阵地(个)", "count"), Column("六有齐全(个)", "count"),
            Column("需求调查(个)", "count"), Column("答卷(份)", "count"), Column("期内公示(份)", "count"),
            Column("按期公示(份)", "count"), Column("逾期未公示(项)", "count"), Column("最近同步包", max_width=22),
            Column("缺失同步包", max_width=22))

    def values(r: OfficeIndicators) -> list:
        return [r.name + ("（本会）" if r.local else ""), r.funds, yuan(r.income_fen), yuan(r.expense_fen),
                yuan(r.balance_fen), yuan(r.budget_fen), yuan(r.spent_fen), share(r.spent_fen, r.budget_fen),
                r.activities, r.participants, r.volunteers, r.volunteer_hours, r.beneficiaries_total, len(r.spaces),
                r.spaces_complete, r.surveys, r.responses, r.notices, r.notices_on_time, len(r.overdue),
                None if r.total else r.last_package, None if r.total else r.missing_packages]

    sheet = Sheet(wb, "指标汇总", cols, title, export_subtitle(_period(figures), f"逾期未公示：截至 {figures.as_of}"),
                  [values(r) for r in _rows(figures)], landscape=True)
    for r in figures.offices:
        sheet.row(values(r), red=[19] if r.overdue else [])
    sheet.total_row(values(figures.total))
    sheet.note_row(_spaces_note(figures))
    sheet.note_row("注：金额只统计已记账分录；期末余额为截至统计期末的余额；项目累计支出为各项目所属基金截至统计期末的支出。"
                   "乡镇的数据来自其报送的同步包，截至“最近同步包”。")
    sheet.finish()


def _spaces_note(figures: CountyIndicators) -> str:
    count = len(figures.total.spaces)
    state = "已达到" if not figures.spaces_short else f"尚差 {figures.spaces_short} 个"
    return (f"社区慈善阵地：全县共 {count} 个，其中“六有”齐全 {figures.total.spaces_complete} 个；"
            f"目标为到2027年底各县（市、区）不少于 {SPACES_TARGET} 个，{state}。")


def _funds(wb: Workbook, figures: CountyIndicators, title: str) -> None:
    cols = (Column("乡镇（街道）", max_width=24), Column("社区基金", max_width=36), Column("所属项目", max_width=30),
            Column("期内收入", "money"), Column("期内支出", "money"), Column("期末余额", "money"))
    values = [[f.office, f.name, f.project, yuan(f.income_fen), yuan(f.expense_fen), yuan(f.balance_fen)]
              for f in figures.funds]
    sheet = Sheet(wb, "社区基金", cols, title, export_subtitle(_period(figures), "只统计已记账分录"), values)
    for v, f in zip(values, figures.funds, strict=True):
        sheet.row(v, red=[5] if f.balance_fen < 0 else [])
    t = figures.total
    sheet.total_row(["合计", f"{t.funds} 个社区基金", None, yuan(t.income_fen), yuan(t.expense_fen), yuan(t.balance_fen)])
    sheet.capital_row([("期末余额合计", t.balance_fen)])
    sheet.finish()


def _spaces(wb: Workbook, figures: CountyIndicators, title: str) -> None:
    cols = (Column("乡镇（街道）", max_width=24), Column("慈善阵地", max_width=36), Column("“六有”达成(项)", "count"),
            Column("“六有”齐全", max_width=10))
    values = [[r.name, s.name, s.haves, "是" if s.complete else "否"] for r in figures.offices for s in r.spaces]
    sheet = Sheet(wb, "慈善阵地", cols, title, export_subtitle("“六有”：有人员、有场所、有资金、有项目、有活动、有场景"),
                  values)
    for v in values:
        sheet.row(v)
    sheet.total_row(["合计", f"{len(figures.total.spaces)} 个", None, f"{figures.total.spaces_complete} 个"])
    sheet.note_row(_spaces_note(figures), bold=bool(figures.spaces_short))
    sheet.finish()


def _activities(wb: Workbook, figures: CountyIndicators, title: str) -> None:
    groups = figures.groups
    cols = (Column("乡镇（街道）", max_width=24), Column("活动(场)", "count"), Column("参与(人次)", "count"),
            Column("志愿者(人次)", "count"), Column("志愿服务(小时)", "number"),
            *[Column(f"{g}(人次)", "count", 16) for g in groups], Column("受益合计(人次)", "count"))

    def values(r: OfficeIndicators) -> list:
        return [r.name, r.activities, r.participants, r.volunteers, r.volunteer_hours,
                *[r.beneficiaries.get(g, 0) for g in groups], r.beneficiaries_total]

    sheet = Sheet(wb, "活动与受益", cols, title, export_subtitle(_period(figures), "受益人数按受益群体统计（人次）"),
                  [values(r) for r in _rows(figures)])
    for r in figures.offices:
        sheet.row(values(r))
    sheet.total_row(values(figures.total))
    sheet.finish()


def _disclosure(wb: Workbook, figures: CountyIndicators, title: str) -> None:
    cols = (Column("乡镇（街道）", max_width=24), Column("期内发布公示(份)", "count"), Column("按期(份)", "count"),
            Column("逾期发布(份)", "count"), Column("逾期未公示(项)", "count"), Column("逾期未公示的事项", max_width=60))

    def values(r: OfficeIndicators) -> list:
        items = "；".join(f"{d.project_name}：{d.title}（应于 {d.due_date} 前）" for d in r.overdue)
        return [r.name, r.notices, r.notices_on_time, r.notices_late, len(r.overdue), None if r.total else items]

    sheet = Sheet(wb, "信息公示", cols, title,
                  export_subtitle(_period(figures), f"逾期未公示：截至 {figures.as_of}"), [values(r) for r in _rows(figures)])
    for r in figures.offices:
        sheet.row(values(r), red=[4, 5] if r.overdue else [])
    sheet.total_row(values(figures.total))
    sheet.note_row("注：按期公示指发布前一天该项目没有逾期的应公示事项（慈善法第79条：实施期超过六个月的项目至少每三个月公开一次，"
                   "结束后三个月内全面公开；云南省社区慈善实施方案：6月底、11月底前报送工作进展）。")
    sheet.finish()
