"""How the 活动记录 page words an activity: a list row (dates, volunteers, photos, cost), the totals
line under the list, and the timeline's grouping by site and month. Plain functions over ActivityRow."""

from desktop_app.core.money import format_yuan
from desktop_app.core.quantities import hours_text
from desktop_app.core.queries.activities import ActivityRow

WHOLE_PROJECT = "项目整体"


def volunteer_text(row: ActivityRow) -> str:
    if not row.volunteers and not row.volunteer_minutes:
        return ""
    hours = f"/{hours_text(row.volunteer_minutes)}小时" if row.volunteer_minutes else ""
    return f"{row.volunteers}人{hours}"


def dates_text(row: ActivityRow) -> str:
    """“2024-12-27”; a multi-day activity “2024-11-05～06” or “2024-08-01～10-15”."""
    start, end = row.start_date, row.end_date
    if end == start:
        return start.isoformat()
    if end.year != start.year:
        return f"{start.isoformat()}～{end.isoformat()}"
    return f"{start.isoformat()}～{end:%d}" if end.month == start.month else f"{start.isoformat()}～{end:%m-%d}"


def list_values(row: ActivityRow) -> tuple:
    return (dates_text(row), row.activity_type, row.title, row.site_name or WHOLE_PROJECT, row.place,
            f"{row.participants:,}", f"{row.beneficiaries:,}" if row.beneficiaries else "", volunteer_text(row),
            row.photos or "", format_yuan(row.cost_fen) if row.cost_fen else "",
            row.public_order if row.public else "")


def totals_text(rows: list[ActivityRow]) -> str:
    if not rows:
        return "没有符合条件的活动。"
    participants = sum(r.participants for r in rows)
    reached = sum(r.beneficiaries for r in rows)
    hours = hours_text(sum(r.volunteer_minutes for r in rows))
    cost = sum(r.cost_fen for r in rows)
    return (f"共 {len(rows):,} 个活动，参与 {participants:,} 人次，受益 {reached:,} 人次，"
            f"志愿服务 {hours} 小时，费用 {format_yuan(cost)}")


def day_text(row: ActivityRow) -> str:
    """“12月27日”, or “12月27日—29日” / “12月30日—1月2日” for a multi-day activity."""
    start, end = row.start_date, row.end_date
    text = f"{start.month}月{start.day}日"
    if end != start:
        text += f"—{end.day}日" if (end.year, end.month) == (start.year, start.month) else f"—{end.month}月{end.day}日"
    return text


def timeline_groups(rows: list[ActivityRow], site_order: dict[str, int] | None = None
                    ) -> list[tuple[str, list[tuple[str, list[ActivityRow]]]]]:
    """[(site label, [(month label, [rows by date])])]: per project, 项目整体 first and then the sites in
    the project's order (`site_order`: site id → position); months and activities oldest first. With
    several projects the site label names its project."""
    several = len({r.project_id for r in rows}) > 1
    order = site_order or {}
    sites: dict[tuple[str, str | None], list[ActivityRow]] = {}
    for row in rows:
        sites.setdefault((row.project_id, row.site_id), []).append(row)
    out = []
    def place(group: list[ActivityRow]) -> tuple:
        first = group[0]
        return first.project_name, -1 if first.site_id is None else order.get(first.site_id, len(order)), first.site_name

    for members in sorted(sites.values(), key=place):
        first = members[0]
        label = first.site_name or WHOLE_PROJECT
        if several:
            label = f"{first.project_name} · {label}"
        months: dict[str, list[ActivityRow]] = {}
        for row in sorted(members, key=lambda r: (r.start_date, r.title)):
            months.setdefault(f"{row.start_date.year}年{row.start_date.month}月", []).append(row)
        out.append((label, list(months.items())))
    return out
