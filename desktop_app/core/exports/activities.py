"""活动登记表 and 活动统计: the activities matching a filter with the people they reached (named
beneficiaries only as counts and the masked names of those who agreed to publication), and the statistics by
type, month, site and beneficiary group."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import text
from sqlmodel import Session

from desktop_app.core.errors import UserError
from desktop_app.core.exports.scope import in_brackets, period_text
from desktop_app.core.exports.sheet import (
    PROGRESS_EVERY,
    WIDTH_SAMPLE,
    Column,
    Progress,
    Sheet,
    export_subtitle,
    share,
    write_workbook,
    yuan,
)
from desktop_app.core.models import Project, Site
from desktop_app.core.privacy import mask_name
from desktop_app.core.quantities import hours_text
from desktop_app.core.queries.activities import (
    ALL_ACTIVITIES,
    ActivityFilter,
    ActivityRow,
    activity_stats,
    list_activities,
)
from desktop_app.core.queries.categories import local_categories

ACTIVITY_COLUMNS = (
    Column("序号", "count", 6), Column("日期", "date", 24), Column("类型", max_width=16), Column("活动名称", max_width=30),
    Column("试点村(社区)", max_width=20), Column("地点", max_width=24), Column("组织单位", max_width=24),
    Column("合作单位", max_width=24), Column("参与人数", "count", 10), Column("受益群体(人次)", max_width=30),
    Column("志愿者人数", "count", 10), Column("志愿服务时长(小时)", "number", 12), Column("照片数", "count", 8),
    Column("活动费用(元)", "money", 18), Column("列入公示", max_width=10), Column("活动简介", max_width=50),
)

NAMED_COLUMNS = (
    Column("序号", "count", 6), Column("日期", "date", 24), Column("活动名称", max_width=30), Column("受益群体", max_width=16),
    Column("人数", "count", 8), Column("同意公开者（姓名已遮蔽）", max_width=40),
)

NAMED_NOTE = ("注：为保护个人信息，本表不含任何受益人的真实姓名、电话和困难情况：只按活动和群体统计登记的人数，"
              "并只列出同意公开者的遮蔽姓名（如“张*明”）。完整名单只保存在本单位的台账中。")


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _activity_date(row: ActivityRow):
    """A one-day activity as a date cell; a longer one as the text “2024-12-27 至 2024-12-28”."""
    return row.start_date if row.start_date == row.end_date else row.dates


def _describe_activities(session: Session, f: ActivityFilter) -> str:
    parts = []
    if f.project_id:
        project = session.get(Project, f.project_id)
        if project is None or project.deleted:
            raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
        parts.append(project.name)
    if f.site_id:
        site = session.get(Site, f.site_id)
        if site is None or site.deleted:
            raise UserError("找不到所选的试点村（社区），它可能已被删除。请重新选择后再导出。")
        parts.append(site.name)
    elif f.site_id == "":
        parts.append("项目整体")
    if f.activity_type:
        parts.append(f.activity_type)
    parts.append(period_text(f.date_from, f.date_to))
    if f.text.strip():
        parts.append(f"含“{f.text.strip()}”")
    if f.public_only:
        parts.append("只含列入公示的活动")
    return in_brackets(parts)


def _category_order(session: Session, kind: str, names: Iterable[str]) -> list[str]:
    """`names` in the order of the category list (设置 › 业务类别), unknown names last."""
    known = [c.name for c in local_categories(session, kind, include_inactive=True)]
    return sorted(set(names), key=lambda n: (known.index(n) if n in known else len(known), n))


def _group_text(counts: dict[str, int]) -> str:
    return "、".join(f"{group}{count}" for group, count in counts.items())


def _beneficiary_counts(session: Session, f: ActivityFilter) -> dict[str, dict[str, int]]:
    """activity id → {group: people}, the groups in category order."""
    where, params = f.where()
    found: dict[str, dict[str, int]] = {}
    for activity_id, group, count in session.execute(text(
            "SELECT b.activity_id, b.group_name, b.count FROM beneficiary_count b JOIN activity a ON a.id = b.activity_id "
            f"WHERE b.deleted = 0 AND {where}"), params):
        found.setdefault(activity_id, {})[group] = int(count)
    order = _category_order(session, "beneficiary_group", {g for counts in found.values() for g in counts})
    return {a: {g: counts[g] for g in order if g in counts} for a, counts in found.items()}


def _named_groups(session: Session, f: ActivityFilter) -> list[list]:
    """Rows for the named-beneficiary sheet: per activity and group, how many people were recorded and the
    masked names of those who agreed to publication. Only name, group and consent are read: phones and
    sensitive facts never leave the database."""
    where, params = f.where()
    groups: dict[tuple, list] = {}
    for activity_id, start, end, title, group, name, consent in session.execute(text(
            "SELECT a.id, a.start_date, a.end_date, a.title, n.group_name, n.name, n.publish_consent "
            "FROM named_beneficiary n JOIN activity a ON a.id = n.activity_id "
            f"WHERE n.deleted = 0 AND {where} ORDER BY a.start_date, a.created_at, n.created_at"), params):
        day = date.fromisoformat(start) if start == end else f"{start} 至 {end}"
        acc = groups.setdefault((activity_id, group or "（未分组）"), [day, title, 0, []])
        acc[2] += 1
        if consent:
            acc[3].append(mask_name(name))
    return [[i, day, title, group, count, "、".join(names)]
            for i, ((_, group), (day, title, count, names)) in enumerate(groups.items(), 1)]


def export_activities(ws, out_path, f: ActivityFilter = ALL_ACTIVITIES, progress: Progress | None = None) -> int:
    """活动登记表: the activities matching `f`, oldest first, with a totals row; a second sheet counts the
    named beneficiaries per activity and group, names always masked (see NAMED_NOTE). Returns the number
    of activities written. `progress(done, total)` as for `export_ledger`; raising from it leaves no file."""
    office = ws.local_office()
    with ws.reading() as session:
        title = f"{office.name} 活动登记表{_describe_activities(session, f)}"
        rows = list(reversed(list_activities(session, f)))
        counts = _beneficiary_counts(session, f)
        named = _named_groups(session, f)
        groups = {g: sum(c.get(g, 0) for c in counts.values())
                  for g in _category_order(session, "beneficiary_group", {g for c in counts.values() for g in c})}

        def build(wb: Workbook) -> int:
            values = [[i, _activity_date(r), r.activity_type, r.title, r.site_name or "项目整体", r.place, r.organisers,
                       r.partners, r.participants, _group_text(counts.get(r.id, {})), r.volunteers,
                       _hours(r.volunteer_minutes), r.photos, yuan(r.cost_fen), "是" if r.public else "", r.summary]
                      for i, r in enumerate(rows, 1)]
            public = sum(r.public for r in rows)
            cost = sum(r.cost_fen for r in rows)
            totals = ["合计", f"{len(rows)} 项活动", None, None, None, None, None, None,
                      sum(r.participants for r in rows), _group_text(groups), sum(r.volunteers for r in rows),
                      _hours(sum(r.volunteer_minutes for r in rows)), sum(r.photos for r in rows), yuan(cost),
                      f"{public} 项" if public else None, None]
            sheet = Sheet(wb, "活动登记表", ACTIVITY_COLUMNS, title, export_subtitle(f"共 {len(rows)} 项活动"),
                          values[:WIDTH_SAMPLE] + [totals], landscape=True)
            if progress:
                progress(0, len(rows))
            for done, v in enumerate(values, 1):
                sheet.row(v)
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, len(rows))
            sheet.total_row(totals)
            sheet.capital_row([("活动费用合计", cost)])
            sheet.note_row("注：活动费用为活动所关联的已记账支出之和；受益群体按人次统计。")
            sheet.finish()

            names = Sheet(wb, "受益人（已遮蔽）", NAMED_COLUMNS, f"{title} 受益人登记情况",
                          export_subtitle("姓名已遮蔽"), named)
            for v in named:
                names.row(v)
            if not named:
                names.note_row("本次导出的活动没有登记受益人姓名。")
            names.total_row(["合计", None, None, None, sum(v[4] for v in named), None])
            names.note_row(NAMED_NOTE)
            names.finish()
            if progress:
                progress(len(rows), len(rows))
            return len(rows)

        return write_workbook(out_path, build)


def export_activity_stats(ws, out_path, f: ActivityFilter = ALL_ACTIVITIES) -> int:
    """活动统计: one sheet each by activity type (activities, volunteer hours, spending), by month
    (activities, participants), by site and by beneficiary group, each with totals. Returns the number of
    activities counted."""
    office = ws.local_office()
    with ws.reading() as session:
        scope = _describe_activities(session, f)
        stats = activity_stats(session, f)
        types = _category_order(session, "activity_type", [
            c.name for c in local_categories(session, "activity_type")] + list(stats.by_type))
        groups = _category_order(session, "beneficiary_group", stats.beneficiaries)

    def build(wb: Workbook) -> int:
        summary = export_subtitle(f"共 {stats.activities} 项活动，参与 {stats.participants} 人次，志愿者 {stats.volunteers} 人次，"
                                  f"志愿服务 {hours_text(stats.volunteer_minutes)} 小时")

        def title(what: str) -> str:
            return f"{office.name} 活动统计（{what}）" + scope

        cols = (Column("活动类型", max_width=20), Column("活动次数", "count", 10), Column("占比", "percent", 10),
                Column("志愿服务时长(小时)", "number", 12), Column("活动费用(元)", "money", 18),
                Column("费用占比", "percent", 10))
        values = [[t, stats.by_type.get(t, 0), share(stats.by_type.get(t, 0), stats.activities),
                   _hours(stats.hours_by_type.get(t, 0)), yuan(stats.cost_by_type.get(t, 0)),
                   share(stats.cost_by_type.get(t, 0), stats.cost_fen)] for t in types]
        _stats_sheet(wb, "按类型", cols, title("按活动类型"), summary, values,
                     ["合计", stats.activities, share(stats.activities, stats.activities),
                      _hours(stats.volunteer_minutes), yuan(stats.cost_fen), share(stats.cost_fen, stats.cost_fen)])

        cols = (Column("月份", max_width=10), Column("活动次数", "count", 10), Column("参与人次", "count", 10))
        values = [[month, count, stats.participants_by_month.get(month, 0)] for month, count in sorted(stats.by_month.items())]
        _stats_sheet(wb, "按月份", cols, title("按月份"), summary, values,
                     ["合计", stats.activities, stats.participants], note="注：跨月的活动计入开始的月份。")

        cols = (Column("试点村(社区)", max_width=30), Column("活动次数", "count", 10), Column("占比", "percent", 10))
        values = [[site, count, share(count, stats.activities)]
                  for site, count in sorted(stats.by_site.items(), key=lambda item: (-item[1], item[0]))]
        _stats_sheet(wb, "按试点", cols, title("按试点村(社区)"), summary, values,
                     ["合计", stats.activities, share(stats.activities, stats.activities)])

        people = sum(stats.beneficiaries.values())
        cols = (Column("受益群体", max_width=20), Column("受益人次", "count", 10), Column("占比", "percent", 10))
        values = [[g, stats.beneficiaries[g], share(stats.beneficiaries[g], people)] for g in groups]
        _stats_sheet(wb, "按受益群体", cols, title("按受益群体"), summary, values,
                     ["合计", people, share(people, people)], note="注：按人次统计，同一人参加多次活动计多次。")
        return stats.activities

    return write_workbook(out_path, build)


def _stats_sheet(wb: Workbook, name: str, cols: Sequence[Column], title: str, subtitle: str, values: list[list],
                 totals: list, *, note: str = "") -> None:
    sheet = Sheet(wb, name, cols, title, subtitle, values + [totals])
    for v in values:
        sheet.row(v)
    sheet.total_row(totals)
    if note:
        sheet.note_row(note)
    sheet.finish()
