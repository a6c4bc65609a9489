"""The county's progress report as an A4 document (`documents.model`): the PDF side of `county_report.py`.

Sections: 一、总体情况 (the summary figures), 二、主要指标 (by township and in total), 三、社区基金及资金,
四、慈善阵地及“六有”建设 (seed 003's ≥ 5 spaces flagged), 五、活动、志愿服务和受益群体, 六、信息公示,
七、数据报送 (the sync packages). Counts of people only: no name, phone or address of anyone is printed.
"""

from datetime import date
from decimal import Decimal

from desktop_app.core.documents.model import Block, Column, Document, Heading, Paragraph, SignOff, Table
from desktop_app.core.exports.county_report import report_title
from desktop_app.core.money import from_fen
from desktop_app.core.quantities import hours_text
from desktop_app.core.queries.county import SPACES_TARGET, CountyIndicators, OfficeIndicators

NOUN = "进展报告"


def money(fen: int) -> str:
    return f"{from_fen(fen):,.2f}"


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _name(r: OfficeIndicators) -> str:
    return r.name + ("（本会）" if r.local else "")


def county_document(figures: CountyIndicators, *, today: date) -> Document:
    blocks: list[Block] = [Paragraph(
        f"统计期间：{figures.date_from} 至 {figures.date_to}。统计范围：{figures.county}及已登记的 "
        f"{sum(1 for r in figures.offices if not r.local)} 个乡镇（街道），乡镇的数据截至其最近报送的同步包。"
        "金额单位：元；金额只统计已记账分录。")]
    blocks += _summary(figures)
    blocks += _indicators(figures)
    blocks += _funds(figures)
    blocks += _spaces(figures)
    blocks += _activities(figures)
    blocks += _disclosure(figures)
    blocks += _sync(figures)
    blocks.append(SignOff((figures.county,), today, seal_space=False))
    return Document([report_title(figures.county, figures.date_from, figures.date_to)], blocks, noun=NOUN,
                    subject="社区慈善工作进展情况报告")


def _spaces_sentence(figures: CountyIndicators) -> str:
    t = figures.total
    state = (f"已达到到2027年底各县（市、区）不少于 {SPACES_TARGET} 个的目标" if not figures.spaces_short
             else f"距到2027年底各县（市、区）不少于 {SPACES_TARGET} 个的目标尚差 {figures.spaces_short} 个")
    return f"全县社区慈善阵地 {len(t.spaces)} 个，其中“六有”齐全 {t.spaces_complete} 个，{state}。"


def _summary(figures: CountyIndicators) -> list[Block]:
    t = figures.total
    groups = "、".join(f"{g} {t.beneficiaries[g]} 人次" for g in figures.groups)
    return [
        Heading("一、总体情况"),
        Paragraph(f"社区基金 {t.funds} 个，期内收入 {money(t.income_fen)} 元、支出 {money(t.expense_fen)} 元，"
                  f"期末余额 {money(t.balance_fen)} 元；项目预算 {money(t.budget_fen)} 元，累计支出 "
                  f"{money(t.spent_fen)} 元（使用率 {_percent(t.spent_percent)}）。"),
        Paragraph(f"期内开展慈善活动 {t.activities} 场，参与 {t.participants} 人次，志愿者 {t.volunteers} 人次、"
                  f"服务 {hours_text(t.volunteer_minutes)} 小时，受益 {t.beneficiaries_total} 人次"
                  + (f"（{groups}）" if groups else "") + "。"),
        Paragraph(_spaces_sentence(figures)),
        Paragraph(f"期内发布公示 {t.notices} 份，其中按期 {t.notices_on_time} 份；截至 {figures.as_of}，"
                  f"逾期未公示 {len(t.overdue)} 项" + (f"，涉及{_overdue_offices(figures)}。" if t.overdue else "。")),
    ]


def _overdue_offices(figures: CountyIndicators) -> str:
    return "、".join(r.name for r in figures.offices if r.overdue)


def _indicators(figures: CountyIndicators) -> list[Block]:
    rows = [*figures.offices, figures.total]
    money_table = Table(
        (Column("乡镇（街道）", 4), Column("基金", 1.2, "right"), Column("期内收入", 2.6, "right"),
         Column("期内支出", 2.6, "right"), Column("期末余额", 2.6, "right"), Column("预算使用率", 2, "right")),
        tuple((_name(r), str(r.funds), money(r.income_fen), money(r.expense_fen), money(r.balance_fen),
               _percent(r.spent_percent)) for r in figures.offices),
        totals=((figures.total.name, str(figures.total.funds), money(figures.total.income_fen),
                 money(figures.total.expense_fen), money(figures.total.balance_fen),
                 _percent(figures.total.spent_percent)),),
        caption="表1 资金情况（金额单位：元）")

    def work(r: OfficeIndicators) -> tuple[str, ...]:
        return (_name(r), str(r.activities), str(r.volunteers), hours_text(r.volunteer_minutes),
                str(r.beneficiaries_total), f"{len(r.spaces)}/{r.spaces_complete}", str(r.surveys),
                f"{r.notices}/{r.notices_on_time}", str(len(r.overdue)))

    work_table = Table(
        (Column("乡镇（街道）", 4), Column("活动(场)", 1.5, "right"), Column("志愿者(人次)", 1.7, "right"),
         Column("服务(小时)", 1.6, "right"), Column("受益(人次)", 1.6, "right"), Column("阵地/六有齐全", 1.9, "center"),
         Column("需求调查", 1.4, "right"), Column("公示/按期", 1.6, "center"), Column("逾期未公示", 1.6, "right")),
        tuple(work(r) for r in rows[:-1]), totals=(work(figures.total),), caption="表2 工作情况")
    return [Heading("二、主要指标"), money_table, work_table]


def _funds(figures: CountyIndicators) -> list[Block]:
    t = figures.total
    if not figures.funds:
        return [Heading("三、社区基金及资金"), Paragraph("尚无社区基金。")]
    table = Table(
        (Column("乡镇（街道）", 3.2), Column("社区基金", 4.6), Column("期内收入", 2.4, "right"),
         Column("期内支出", 2.4, "right"), Column("期末余额", 2.4, "right")),
        tuple((f.office, f.name, money(f.income_fen), money(f.expense_fen), money(f.balance_fen)) for f in figures.funds),
        totals=(("合计", f"{t.funds} 个", money(t.income_fen), money(t.expense_fen), money(t.balance_fen)),),
        caption="表3 社区基金收支（金额单位：元）")
    return [Heading("三、社区基金及资金"), table]


def _spaces(figures: CountyIndicators) -> list[Block]:
    blocks: list[Block] = [Heading("四、慈善阵地及“六有”建设"), Paragraph(_spaces_sentence(figures))]
    rows = tuple((r.name, s.name, f"{s.haves}/6", "是" if s.complete else "否") for r in figures.offices for s in r.spaces)
    if rows:
        blocks.append(Table((Column("乡镇（街道）", 3.6), Column("慈善阵地", 5.4), Column("“六有”达成", 2.4, "center"),
                             Column("“六有”齐全", 2.4, "center")), rows, caption="表4 慈善阵地（“六有”：有人员、有场所、"
                                                                              "有资金、有项目、有活动、有场景）"))
    return blocks


def _activities(figures: CountyIndicators) -> list[Block]:
    t = figures.total
    blocks: list[Block] = [Heading("五、活动、志愿服务和受益群体"), Paragraph(
        f"期内开展活动 {t.activities} 场，志愿者 {t.volunteers} 人次，志愿服务 {hours_text(t.volunteer_minutes)} 小时，"
        f"受益 {t.beneficiaries_total} 人次。")]
    groups = figures.groups
    if groups:
        rows = tuple((g, *(str(r.beneficiaries.get(g, 0)) for r in figures.offices), str(t.beneficiaries[g]))
                     for g in groups)
        if len(figures.offices) <= 5:
            columns = (Column("受益群体", 3), *(Column(r.name, 2.4, "right") for r in figures.offices),
                       Column("合计", 2, "right"))
            blocks.append(Table(columns, rows, totals=(("合计", *(str(r.beneficiaries_total) for r in figures.offices),
                                                         str(t.beneficiaries_total)),),
                                caption="表5 受益群体（人次）"))
        else:  # too many townships for one row: the county's totals by group
            blocks.append(Table((Column("受益群体", 4), Column("受益(人次)", 2, "right")),
                                tuple((g, str(t.beneficiaries[g])) for g in groups),
                                totals=(("合计", str(t.beneficiaries_total)),), caption="表5 受益群体（人次）"))
    return blocks


def _disclosure(figures: CountyIndicators) -> list[Block]:
    t = figures.total
    rows = tuple((r.name, str(r.notices), str(r.notices_on_time), str(r.notices_late), str(len(r.overdue)))
                 for r in figures.offices)
    blocks: list[Block] = [
        Heading("六、信息公示"),
        Table((Column("乡镇（街道）", 4), Column("期内发布(份)", 2, "right"), Column("按期(份)", 1.8, "right"),
               Column("逾期发布(份)", 2, "right"), Column("逾期未公示(项)", 2.2, "right")), rows,
              totals=(("合计", str(t.notices), str(t.notices_on_time), str(t.notices_late), str(len(t.overdue))),),
              caption=f"表6 信息公示（逾期未公示截至 {figures.as_of}）")]
    overdue = tuple((r.name, d.project_name, d.title, str(d.due_date)) for r in figures.offices for d in r.overdue)
    if overdue:
        blocks.append(Table((Column("乡镇（街道）", 3), Column("项目", 4), Column("应公示事项", 4.4),
                             Column("应于此前", 2, "center")), overdue, caption="表7 逾期未公示的事项"))
    blocks.append(Paragraph("按期公示指发布前一天该项目没有逾期的应公示事项。依据：慈善法第79条（实施期超过六个月的项目至少每三个月"
                            "公开一次，结束后三个月内全面公开）；云南省社区慈善实施方案（6月底、11月底前报送工作进展）。"))
    return blocks


def _sync(figures: CountyIndicators) -> list[Block]:
    rows = tuple((r.name, r.last_package, r.missing_packages) for r in figures.offices if not r.local)
    if not rows:
        return []
    return [Heading("七、数据报送"),
            Table((Column("乡镇（街道）", 4), Column("最近同步包", 4), Column("缺失的同步包", 4)), rows,
                  caption="表8 乡镇同步包报送情况")]
