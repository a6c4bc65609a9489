"""The `activity` command: register an activity with its photos, expenses and beneficiaries; list and show activities.

`activity_filter` turns the list options into a query filter; the activity exports use it too."""

import argparse
import sys
import unicodedata
from pathlib import Path

from desktop_app.cli.office_view import OFFICE_HEADER, add_office_option, office_view
from desktop_app.cli.output import clip, os_error_text, print_json, print_table
from desktop_app.core import quantities
from desktop_app.core.errors import UserError
from desktop_app.core.money import fen_to_str, format_yuan
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.validation import parse_count, parse_date


class _PhotoAction(argparse.Action):
    """--photo FILE [--caption TEXT] …: each caption belongs to the photo given just before it."""

    def __call__(self, parser, namespace, value, option_string=None):
        photos = list(getattr(namespace, self.dest, None) or [])
        if option_string == "--photo":
            photos.append((Path(value), None))
        elif not photos or photos[-1][1] is not None:
            raise argparse.ArgumentError(self, "--caption 要紧跟在它所说明的 --photo 之后，每张照片最多一条说明")
        else:
            photos[-1] = (photos[-1][0], value)
        setattr(namespace, self.dest, photos)


def add_parsers(sub) -> None:
    act = sub.add_parser("activity", help="活动记录").add_subparsers(dest="action", required=True)
    s = act.add_parser("add", help="登记一项活动（可附照片）")
    s.add_argument("--project", required=True, help="所属项目名称或编号")
    s.add_argument("--site", help="试点村（社区）；不填表示整个项目的活动")
    s.add_argument("--type", required=True, help="活动类型，例如 培训、慈善服务（见 category list）")
    s.add_argument("--title", required=True, help="活动名称")
    s.add_argument("--date", required=True, help="活动日期（多日活动为开始日期）YYYY-MM-DD")
    s.add_argument("--end-date", help="多日活动的结束日期 YYYY-MM-DD")
    s.add_argument("--place", default="", help="活动地点")
    s.add_argument("--organisers", default="", help="组织单位")
    s.add_argument("--partners", default="", help="合作单位")
    s.add_argument("--participants", default="0", help="参与人数")
    s.add_argument("--volunteers", default="0", help="志愿者人数")
    s.add_argument("--volunteer-hours", default="0", help="志愿服务时长（小时），例如 7.5")
    s.add_argument("--beneficiaries", nargs="+", action="extend", default=[], metavar="群体=人数",
                   help="受益群体及人次，例如 老年人=40 儿童=60")
    s.add_argument("--expense", nargs="+", action="extend", default=[], metavar="分录编号",
                   help="这次活动的已记账支出（本项目基金的支出分录编号）")
    s.add_argument("--summary", default="", help="活动简介")
    s.add_argument("--photo", dest="photos", action=_PhotoAction, default=[], metavar="照片文件",
                   help="活动照片，可重复")
    s.add_argument("--caption", dest="photos", action=_PhotoAction, metavar="说明", help="前一张照片的说明")
    s.add_argument("--public", action="store_true", help="列入公示")
    s.add_argument("--order", help="在公示中的顺序（与 --public 一起用；不填排在最后）")
    s.add_argument("--json", action="store_true")
    s = act.add_parser("list", help="查看活动")
    s.add_argument("--project", help="项目名称或编号")
    s.add_argument("--site", help="试点村（社区）；写“项目整体”只看不属于某个试点的活动")
    s.add_argument("--type", help="活动类型")
    s.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD")
    s.add_argument("--text", default="", help="名称、简介、地点或单位中含有的文字")
    s.add_argument("--public", action="store_true", help="只看列入公示的活动")
    add_office_option(s)
    s.add_argument("--json", action="store_true")
    s = act.add_parser("show", help="查看一项活动的详情、照片和费用")
    s.add_argument("activity", help="活动名称或编号")
    s.add_argument("--json", action="store_true")


def _activity_json(row, office: str | None = None) -> dict:
    from desktop_app.core.quantities import hours_text

    return {"id": row.id, **({"office": office} if office is not None else {}), "project": row.project_name, "site": row.site_name or None, "type": row.activity_type,
            "title": row.title, "start_date": row.start_date.isoformat(), "end_date": row.end_date.isoformat(),
            "place": row.place, "organisers": row.organisers, "partners": row.partners,
            "participants": row.participants, "volunteers": row.volunteers,
            "volunteer_hours": hours_text(row.volunteer_minutes), "beneficiaries_total": row.beneficiaries,
            "photos": row.photos, "cost": fen_to_str(row.cost_fen), "public": row.public,
            "public_order": row.public_order if row.public else None, "summary": row.summary}


def _parse_groups(pairs: list[str]) -> dict[str, str]:
    """["老年人=40", "儿童=60"] → {"老年人": "40", "儿童": "60"}; the counts are checked by the core."""
    groups: dict[str, str] = {}
    for pair in pairs:
        group, sep, count = unicodedata.normalize("NFKC", pair).partition("=")
        group = group.strip()
        if not sep or not group:
            raise UserError(f"受益群体“{pair}”的写法不对。请写成 群体=人数，例如 --beneficiaries 老年人=40 儿童=60。")
        if group in groups:
            raise UserError(f"受益群体“{group}”写了两次。请把人数合在一起写一次。")
        groups[group] = count
    return groups


def _resolve_site_filter(s, project, key: str | None) -> str | None:
    """--site for a list: a site of the project (or of any project when it is unique), or 项目整体 ("")."""
    from sqlmodel import select

    from desktop_app.core.models import Site
    from desktop_app.core.queries import activities as activity_queries

    if key is None:
        return None
    if key.strip() == "项目整体":
        return ""
    if project is not None:
        return activity_queries.resolve_site(s, project, key).id
    found = [site for site in s.exec(select(Site).where(Site.deleted == False))  # noqa: E712
             if key in (site.id, site.name)]
    if not found:
        raise UserError(f"找不到试点村（社区）“{key}”。请用 project list 查看各项目的试点。")
    if len(found) > 1:
        raise UserError(f"有 {len(found)} 个项目都有试点“{key}”。请加上 --project 指明是哪个项目的。")
    return found[0].id


def activity_filter(s, args):
    """The options of `activity list`, or of an activity export, as an ActivityFilter; an option the command
    does not have (exports have no --site, --type, --text, --public or --office) counts as not given."""
    from desktop_app.core.queries.activities import ActivityFilter

    project = project_queries.resolve_project(s, args.project) if args.project else None
    return ActivityFilter(
        project_id=project.id if project else None, site_id=_resolve_site_filter(s, project, getattr(args, "site", None)),
        activity_type=getattr(args, "type", None) or None,
        date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
        date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None,
        text=getattr(args, "text", "") or "", public_only=getattr(args, "public", False),
        office_id=office_view(s, args).office_id)


def cmd_activity(ws, args) -> int:
    from desktop_app.core.quantities import hours_text

    if args.action == "add":
        return activity_add(ws, args)
    if args.action == "show":
        return activity_show(ws, args)
    from desktop_app.core.queries.activities import list_activities

    with ws.reading() as s:
        view = office_view(s, args)
        rows = list_activities(s, activity_filter(s, args))
    if args.json:
        print_json([_activity_json(r, view.name(r.office_id) if view.county else None) for r in rows])
        return 0
    if not rows:
        print("没有符合条件的活动。用 activity add 登记活动。")
        return 0
    lead = [OFFICE_HEADER] if view.county else []  # a county's list names each activity's office
    shift = len(lead)
    print_table([*lead, "日期", "类型", "活动名称", "试点村(社区)", "参与人数", "受益人次", "志愿时长", "照片", "费用", "公示", "编号"],
                [[*([clip(view.name(r.office_id), 16)] if view.county else []), r.dates, r.activity_type,
                  clip(r.title, 30), clip(r.site_name or "项目整体", 16), r.participants,
                  r.beneficiaries, hours_text(r.volunteer_minutes), r.photos, format_yuan(r.cost_fen),
                  "是" if r.public else "", r.id] for r in rows], right={i + shift for i in (4, 5, 6, 7, 8)})
    print(f"共 {len(rows)} 项活动，参与 {sum(r.participants for r in rows)} 人次，"
          f"志愿服务 {hours_text(sum(r.volunteer_minutes for r in rows))} 小时，"
          f"活动费用 {format_yuan(sum(r.cost_fen for r in rows))}")
    return 0


def activity_add(ws, args) -> int:
    """Check everything (dates, counts, photos) before writing; then the activity and its photos."""
    from desktop_app.core.quantities import hours_text
    from desktop_app.core.queries import activities as activity_queries
    from desktop_app.core.services import activities

    start = parse_date(args.date, what="活动日期")
    end = parse_date(args.end_date, what="结束日期") if args.end_date else None
    if args.order is not None and not args.public:
        raise UserError("--order 是活动在公示中的顺序，只能和 --public 一起使用。")
    order = parse_count(args.order, "公示顺序") if args.order is not None else None
    groups = _parse_groups(args.beneficiaries)
    with ws.reading() as s:
        project = project_queries.resolve_project(s, args.project)
        ws.refuse_foreign(s, project)  # a township's project at the county: said before the photos are read
        site = activity_queries.resolve_site(s, project, args.site)
    photos = _checked_photos(args.photos)
    data = activities.ActivityInput(
        project_id=project.id, activity_type=args.type, title=args.title, start_date=start, end_date=end,
        site_id=site.id if site else None, place=args.place, organisers=args.organisers, partners=args.partners,
        participants=args.participants, volunteers=args.volunteers, volunteer_hours=args.volunteer_hours,
        summary=args.summary, public=args.public, public_order=order, beneficiaries=groups,
        expense_ids=list(args.expense))
    activity = activities.add_activity(ws, data)
    added = _add_activity_photos(ws, activity, photos)
    with ws.reading() as s:
        detail = activity_queries.activity_detail(s, activity.id)
    if args.json:
        print_json({"id": activity.id, "title": activity.title, "project": project.name,
                    "site": site.name if site else None, "start_date": activity.start_date.isoformat(),
                    "end_date": activity.end_date.isoformat(), "participants": activity.participants,
                    "volunteer_hours": hours_text(activity.volunteer_minutes), "beneficiaries": detail.beneficiaries,
                    "cost": fen_to_str(detail.cost_fen), "public": activity.public,
                    "public_order": activity.public_order if activity.public else None, "photos": added})
        return 0
    where = site.name if site else "项目整体"
    dates = activity.start_date.isoformat() + (f" 至 {activity.end_date}" if activity.end_date != activity.start_date else "")
    print(f"{activity.id}  已登记活动“{activity.title}”（{dates}，{where}，{activity.activity_type}）")
    extras = [f"照片 {len(added)} 张" if added else "", f"费用 {format_yuan(detail.cost_fen)}" if detail.expenses else "",
              f"列入公示，第 {activity.public_order} 项" if activity.public else ""]
    if any(extras):
        print("，".join(x for x in extras if x))
    return 0


def activity_show(ws, args) -> int:
    from desktop_app.core import privacy, vouchers
    from desktop_app.core.models import Fund
    from desktop_app.core.quantities import hours_text
    from desktop_app.core.queries import activities as activity_queries
    from desktop_app.core.queries.projects import resolve_project

    with ws.reading() as s:
        activity = activity_queries.resolve_activity(s, args.activity)
        detail = activity_queries.activity_detail(s, activity.id)
        project = resolve_project(s, activity.project_id)
        site = activity_queries.resolve_site(s, project, activity.site_id)
        photos = _activity_photos(s, activity.id)
        handed = goods_queries.list_movements(s, direction="out", activity_id=activity.id)
        funds = {e.fund_id: fund.name for e in detail.expenses if (fund := s.get(Fund, e.fund_id)) is not None}
    a = detail.activity
    # names stay masked even here: a terminal's output is easily pasted or redirected out of the office
    named = [{"name": privacy.mask_name(p.name), "group": p.group_name, "consent": p.publish_consent}
             for p in detail.named]
    expenses = [{"id": e.id, "fund": funds.get(e.fund_id, ""), "voucher": vouchers.voucher_text(e) or None,
                 "date": e.entry_date.isoformat(),
                 "amount": fen_to_str(e.amount_fen), "summary": e.summary} for e in detail.expenses]
    goods_out = [{"date": m.movement_date.isoformat(), "item": m.item, "quantity": str(quantities.quantity_of(m.quantity_milli)),
                  "unit": m.unit, "group": m.beneficiary_group, "recipients": m.recipients} for m in handed]
    if args.json:
        print_json({"id": a.id, "project": project.name, "site": site.name if site else None, "type": a.activity_type,
                    "title": a.title, "start_date": a.start_date.isoformat(), "end_date": a.end_date.isoformat(),
                    "place": a.place, "organisers": a.organisers, "partners": a.partners,
                    "participants": a.participants, "volunteers": a.volunteers,
                    "volunteer_hours": hours_text(a.volunteer_minutes), "beneficiaries": detail.beneficiaries,
                    "named_beneficiaries": named, "expenses": expenses, "cost": fen_to_str(detail.cost_fen),
                    "goods": goods_out, "photos": photos, "public": a.public,
                    "public_order": a.public_order if a.public else None, "summary": a.summary})
        return 0
    dates = a.start_date.isoformat() + (f" 至 {a.end_date}" if a.end_date != a.start_date else "")
    lines = [("编号", a.id), ("活动名称", a.title), ("项目", project.name), ("试点村(社区)", site.name if site else "项目整体"),
             ("类型", a.activity_type), ("日期", dates), ("地点", a.place), ("组织单位", a.organisers),
             ("合作单位", a.partners), ("参与人数", a.participants), ("志愿者", f"{a.volunteers} 人，{hours_text(a.volunteer_minutes)} 小时"),
             ("受益群体", "、".join(f"{g}{n}" for g, n in detail.beneficiaries.items())),
             ("登记的受益人", f"{len(named)} 人（姓名已遮蔽）：" + "、".join(p["name"] for p in named) if named else ""),
             ("公示", f"列入公示，第 {a.public_order} 项" if a.public else "不列入公示"),
             ("活动费用", format_yuan(detail.cost_fen))]
    for label, value in lines:
        if value not in ("", None):
            print(f"{label}：{value}")
    for e in detail.expenses:
        named = vouchers.fund_voucher(funds.get(e.fund_id, ""), vouchers.voucher_text(e))  # a project's funds share numbers
        print(f"  支出 {named}  {e.entry_date}  {format_yuan(e.amount_fen):>12}  {e.summary}")
    for m in goods_out:
        print(f"  发放物资 {m['date']}  {m['item']} {m['quantity']}{m['unit']}  {m['group']} {m['recipients'] or ''}".rstrip())
    print(f"照片：{len(photos)} 张")
    for photo in photos:
        print(f"  {photo['file']}" + (f"  {photo['caption']}" if photo["caption"] else ""))
    if a.summary:
        print(f"活动简介：\n{a.summary}")
    return 0


def _checked_photos(photos: list[tuple[Path, str | None]]) -> list[tuple[Path, str]]:
    """Every photo must be a usable image before anything is written (add_photos, run after the activity is
    added, would otherwise find a bad file only then)."""
    from desktop_app.core.storage.photo_files import check_image

    for path, _caption in photos:
        if not path.is_file():
            raise UserError(f"找不到照片“{path}”。请检查文件是否存在、路径是否写对。活动没有登记。")
        try:
            check_image(path)
        except UserError as exc:
            raise UserError(f"{exc}\n活动没有登记。请换掉这张照片后重新运行。") from exc
    return [(path, caption or "") for path, caption in photos]


def _add_activity_photos(ws, activity, photos: list[tuple[Path, str]]) -> list[dict]:
    """Attach the checked photos; should that still fail (a file changed or vanished meanwhile), the new
    activity is taken back (tombstoned, like a delete) so no activity without its photos is left behind."""
    from desktop_app.core.services import activities
    from desktop_app.core.services.photos import add_photos

    if not photos:
        return []
    try:
        result = add_photos(ws, [path for path, _ in photos], activity_id=activity.id, strict=True,
                            captions={str(path): caption for path, caption in photos if caption})
    except (UserError, OSError) as exc:
        activities.delete_activity(ws, activity.id)
        why = exc if isinstance(exc, UserError) else f"文件操作失败（{os_error_text(exc)}）"
        raise UserError(f"{why}\n活动“{activity.title}”因此没有登记（已撤回）。请处理好照片后重新登记。") from exc
    for name, where in result.duplicates:
        print(f"提示：照片“{name}”{where}。", file=sys.stderr)
    return [_photo_json(p) for p in result.added]


def _photo_json(photo) -> dict:
    return {"id": photo.id, "file": photo.original_name, "caption": photo.caption, "in_notice": photo.in_notice,
            "width": photo.width, "height": photo.height, "taken_at": photo.taken_at or None}


def _activity_photos(s, activity_id: str) -> list[dict]:
    from desktop_app.core.queries.photos import owner_photos

    return [_photo_json(p) for p in owner_photos(s, activity_id=activity_id)]
