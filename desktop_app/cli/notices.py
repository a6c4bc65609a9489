"""The `notice` command: export a notice as a draft PDF, publish it, correct it, list, verify, and what is due."""

import json
import sys
from pathlib import Path

from desktop_app.cli.output import clip, print_json, print_table
from desktop_app.core.errors import UserError
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.validation import parse_date


def add_parsers(sub) -> None:
    notice = sub.add_parser("notice", help="信息公示：导出、发布、更正、核验").add_subparsers(dest="action", required=True)
    s = notice.add_parser("export", help="生成公示 PDF（记为草稿，可反复导出）")
    s.add_argument("--project", required=True, help="项目名称或编号")
    s.add_argument("--template", choices=["fund-usage", "progress", "donations"], default="fund-usage",
                   help="fund-usage 经费使用情况公示（默认）、progress 项目进展公示、donations 捐赠公示")
    s.add_argument("--from", dest="date_from", help="公示期间起始日期 YYYY-MM-DD（默认项目开始日期；进展公示为最近三个月）")
    s.add_argument("--to", dest="date_to", help="公示期间截止日期 YYYY-MM-DD（默认项目结束日期与今天中较早的一天）")
    s.add_argument("--exclude-drafts", action="store_true", help="期间内尚未记账的草稿不列入公示（公示中会注明）")
    s.add_argument("--written-on", help="落款日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--notice-start", help="公示期开始日期（默认落款日期）")
    s.add_argument("--notice-end", help="公示期结束日期（默认开始后第 7 天）")
    s.add_argument("--edits", type=Path, help="文字修改（JSON 文件：{\"item:活动编号\": {\"lead\": …, \"body\": …}, "
                   "\"field:项目完成情况\": \"…\"}）")
    s.add_argument("--out", required=True, type=Path, help="保存的 PDF 文件")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("publish", help="发布公示：编号、存档、结账，之后不能再改动")
    s.add_argument("notice", help="草稿编号、公示核验码，或导出的 PDF 文件")
    s.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("correct", help="对已发布的公示发布更正说明")
    s.add_argument("notice", help="要更正的公示编号（如 2025-001）")
    s.add_argument("--text", required=True, help="更正内容")
    s.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("list", help="查看公示（草稿和已发布）")
    s.add_argument("--project", help="只看这个项目")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("verify", help="核验公示：数据是否与公示时一致（一致返回 0，有变化返回 3；"
                                         "给出的 PDF 文件逐页比对与该核验码的公示不符、可能被改动过，"
                                         "或二维码记录的发布时账目与现在的账目不符（账目被改写）时返回 4）")
    s.add_argument("code", help="公示上的核验码、扫描公示二维码得到的文字（加引号），或公示 PDF 文件")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("due", help="应当公示的事项（公示时限）")
    s.add_argument("--date", help="按这一天计算（默认今天）")
    s.add_argument("--json", action="store_true")


def cmd_notice(ws, args) -> int:
    return {"export": notice_export, "publish": notice_publish, "correct": notice_correct, "list": notice_list,
            "verify": notice_verify, "due": notice_due}[args.action](ws, args)


def _notice_json(n, *, corrections: list | None = None, numbers: dict | None = None) -> dict:
    return {"id": n.id, "number": n.number or None, "status": n.status, "template": n.template, "title": n.title,
            "from": n.date_from.isoformat(), "to": n.date_to.isoformat(), "code": n.verification_code,
            "entries": n.entry_count, "written_on": n.written_on.isoformat() if n.written_on else None,
            "published_on": n.published_on.isoformat() if n.published_on else None,
            "pdf": f"notices/{n.pdf_name}" if n.pdf_name else None, "pdf_sha256": n.pdf_sha256 or None,
            "corrects": (numbers or {}).get(n.corrects_id) if n.corrects_id else None,
            "corrected_by": [c.number for c in corrections or []], "heads": _heads_json(n)}


def _heads_json(n) -> list[dict] | None:
    """The chain heads a published notice sealed (None when it sealed none: a draft, or published before)."""
    from desktop_app.core.storage import heads as chain_heads

    kept = chain_heads.from_json(n.heads_json)
    return None if kept is None else [{"fund": h.fund_id, "length": h.length, "hash": h.head} for h in kept]


def notice_export(ws, args) -> int:
    from desktop_app.core.notices import lookup as notice_lookup
    from desktop_app.core.notices.request import DraftsInPeriod, NoticeRequest
    from desktop_app.core.services import notices

    dates = {name: parse_date(getattr(args, name), what=what) if getattr(args, name) else None
             for name, what in (("date_from", "起始日期"), ("date_to", "截止日期"), ("written_on", "落款日期"),
                                ("notice_start", "公示期开始日期"), ("notice_end", "公示期结束日期"))}
    with ws.reading() as s:
        project = project_queries.resolve_project(s, args.project)
    request = NoticeRequest(project_id=project.id, template=args.template, exclude_drafts=args.exclude_drafts,
                            edits=_read_edits(args.edits) if args.edits else {}, **dates)
    try:
        result = notices.export_notice(ws, request, args.out)
    except DraftsInPeriod as exc:
        lines = "\n".join(f"  · {d.entry_id}  {d.describe()}" for d in exc.drafts)
        raise UserError(f"{exc.message}\n{lines}\n命令行：用 entry post 编号 逐笔记账后重新导出，"
                        "或加上 --exclude-drafts 生成不计入草稿的公示（公示中会注明）。") from None
    n, info = result.notice, result.info
    if args.json:
        data = _notice_json(n)
        data.update(file=str(args.out), pages=info.pages, size=info.size, reprint=result.reprint,
                    masked=[{"original": m.original, "shown": m.shown, "reason": m.reason} for m in result.masked],
                    notes=list(result.notes))
        data.pop("pdf_sha256")
        print_json(data)
        return 0
    print(f"已导出{notice_lookup.template_label(n.template)}：{args.out}（{info.pages} 页，{max(1, info.size // 1024)} KB）")
    print(f"《{n.title}》 期间 {n.date_from} 至 {n.date_to}，涵盖 {n.entry_count} 笔已记账分录")
    print(f"核验码：{n.verification_code}")
    if result.masked:
        print(f"隐私保护：{len(result.masked)} 处姓名或号码已打码或隐去（用 --json 查看明细）。")
    for note in result.notes:
        print(f"注意：{note}")
    if result.reprint:
        print(f"内容与已发布的公示 {n.number} 完全一致，这份文件是它的重印件，没有另记草稿。")
    else:
        print(f"草稿编号：{n.id}\n核对无误后发布：notice publish {n.id}")
    return 0


def _read_edits(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError:
        raise UserError(f"读不到文字修改文件“{path}”。请检查路径是否写对。") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"文字修改文件“{path.name}”不是有效的 JSON（{exc}）。请用 UTF-8 保存，格式如 "
                        "{\"field:项目完成情况\": \"修改后的文字\"}。") from None


def notice_publish(ws, args) -> int:
    from desktop_app.core.notices import lookup as notice_lookup
    from desktop_app.core.services import notices

    day = parse_date(args.date, what="发布日期") if args.date else None
    n = notices.publish_notice(ws, args.notice, published_on=day)
    if args.json:
        print_json(_notice_json(n))
        return 0
    print(f"已发布公示 {n.number}《{n.title}》，发布日期 {n.published_on}。")
    print(f"存档文件：{notice_lookup.archived_pdf(ws.root, n)}（SHA-256 {n.pdf_sha256}）")
    print(f"公示期间 {n.date_from} 至 {n.date_to} 的 {n.entry_count} 笔分录已记为已公示，项目各基金已结账至 "
          f"{n.date_to:%Y-%m}。核验码：{n.verification_code}")
    return 0


def notice_correct(ws, args) -> int:
    from desktop_app.core.notices import lookup as notice_lookup
    from desktop_app.core.services import notices

    day = parse_date(args.date, what="发布日期") if args.date else None
    n = notices.publish_correction(ws, args.notice, args.text, published_on=day)
    if args.json:
        data = _notice_json(n)
        data["corrects"] = args.notice
        print_json(data)
        return 0
    print(f"已发布更正说明 {n.number}《{n.title}》。")
    print(f"存档文件：{notice_lookup.archived_pdf(ws.root, n)}（SHA-256 {n.pdf_sha256}）\n核验码：{n.verification_code}")
    return 0


def notice_list(ws, args) -> int:
    from desktop_app.core.notices import lookup as notice_lookup

    with ws.reading() as s:
        project_id = project_queries.resolve_project(s, args.project).id if args.project else None
        rows = notice_lookup.list_notices(s, project_id)
        numbers = {n.id: n.number for n in rows}
        corrections = {n.id: notice_lookup.corrections_of(s, n.id) for n in rows if n.status == "published"}
    if args.json:
        print_json([_notice_json(n, corrections=corrections.get(n.id), numbers=numbers) for n in rows])
        return 0
    if not rows:
        print("还没有公示。用 notice export 生成。")
        return 0
    table = []
    for n in rows:
        state = notice_lookup.STATUS_LABELS.get(n.status, n.status)
        if corrections.get(n.id):
            state += "，已更正（" + "、".join(c.number for c in corrections[n.id]) + "）"
        table.append([n.number or "草稿", n.published_on or "", notice_lookup.template_label(n.template),
                      clip(n.title, 40), f"{n.date_from} 至 {n.date_to}", n.verification_code, state,
                      n.id if n.status == "draft" else ""])
    print_table(["编号", "发布日期", "类型", "标题", "期间", "核验码", "状态", "草稿编号"], table)
    return 0


def notice_verify(ws, args) -> int:
    from desktop_app.core.notices.verify import verify_notice

    result = verify_notice(ws, args.code)
    n = result.notice
    # 4: the file given is not the notice with its code, or the books were rewritten since it was published
    failed = 4 if result.file_problem or result.rewritten else 3
    if args.json:
        data = _notice_json(n)
        data.update(ok=result.ok, changes=result.changes, notes=result.notes, file_problem=result.file_problem,
                    file_pages=result.file_pages, rewritten=result.rewritten)
        print_json(data)
        return 0 if result.ok else failed
    if result.ok:
        print(result.summary)
        for note in result.notes:
            print(f"提示：{note}")
        return 0
    print(result.summary, file=sys.stderr)
    for change in result.changes:
        print(f"  · {change}", file=sys.stderr)
    for note in result.notes:
        print(f"提示：{note}", file=sys.stderr)
    if not result.changes:
        return failed
    if n.status == "published":
        print(f"已发布的公示不能修改。如公示有误，请发布更正说明（notice correct {n.number} --text \"更正内容\"）；"
              "如数据是在程序之外被改动的，请用 verify 查明并从备份恢复。", file=sys.stderr)
    else:
        print("请重新导出公示，核对后再发布。", file=sys.stderr)
    return failed


def notice_due(ws, args) -> int:
    from datetime import date

    from desktop_app.core.notices import clock as notice_clock

    today = parse_date(args.date, what="日期") if args.date else date.today()
    with ws.reading() as s:
        due = notice_clock.due_notices(s, today)
    if args.json:
        print_json([{"project": d.project_name, "project_id": d.project_id, "rule": d.rule, "template": d.template,
                     "title": d.title, "from": d.period_from.isoformat(), "to": d.period_to.isoformat(),
                     "due": d.due_date.isoformat(), "overdue": d.overdue, "basis": d.basis} for d in due])
        return 0
    if not due:
        print(f"截至 {today}，没有到期或即将到期的公示。")
        return 0
    for d in due:
        when = (f"已逾期 {(today - d.due_date).days} 天" if d.overdue else
                f"还有 {(d.due_date - today).days} 天")
        print(f"{d.due_date}（{when}）  {d.project_name}：{d.title}，期间 {d.period_from} 至 {d.period_to}\n"
              f"    生成：notice export --project \"{d.project_name}\" --template {d.template} "
              f"--from {d.period_from} --to {d.period_to} --out 公示.pdf\n    依据：{d.basis}")
    return 0
