"""The three notices (TEMPLATES): the fund-usage notice of seed 004 (经费使用情况公示) with the parts a
sound notice needs beyond the seed (经费收支, 物资, 照片, 公示期与监督), the quarterly progress notice
(项目进展公示, 慈善法 第79条) and the donations notice (捐赠公示), each assembled from the sections, with
the request's edits applied and the privacy pass run last.

Decisions (see the tests):
- Title year of the fund-usage notice: the period's year; a period crossing New Year is named by the
  year holding most of it when the rest is at most one quarter (seed 004: 2024年2月–2025年2月 →
  "2024年"), else "2024—2025年". `NoticeRequest.year_label` overrides.
- 万元 amounts (`wan_yuan`) are exact: 900000 元 → "90万元", 316000 元 → "31.6万元"; an amount with
  角/分 is written in 元 (¥-less, grouped) so it is never rounded.
- Photos: those marked 用于公示 of the project's activities in the period (an activity need not be 列入公示
  for its marked photo to show: the photo's own flag is the choice), grouped by site in the project's
  order (project-wide ones last), within a site in the gallery order (Photo.position).
- Detail tables are per fund: voucher numbers run per fund, so "2024-0001" exists once per fund.
"""

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from desktop_app.core.documents.model import Paragraph
from desktop_app.core.notices.context import BuildContext, build_context
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.edits import apply_edits
from desktop_app.core.notices.formats import Sections, period_text
from desktop_app.core.notices.request import NoticeRequest
from desktop_app.core.notices.sections.closing import closing_part
from desktop_app.core.notices.sections.goods import goods_in_period, goods_part, goods_received_table
from desktop_app.core.notices.sections.money import (
    detail_part,
    donation_list_part,
    donor_part,
    drafts_note,
    period_money_part,
    spending_part,
    summary_part,
)
from desktop_app.core.notices.sections.project import effects_part, project_fields, spaces_part


def build_notice(session: Session, root: Path | str, request: NoticeRequest) -> NoticeDocument:
    """Assemble the notice of `request` from the workspace at `root` (for the photos' display copies).

    Raises UserError (Chinese, says what to do) for a missing project, leaders, period or photo file, and
    DraftsInPeriod when unposted entries fall in the period and exclude_drafts is False."""
    ctx = build_context(session, root, request)
    builder = {"fund-usage": _fund_usage, "progress": _progress, "donations": _donations}[ctx.req.template]
    doc = builder(ctx)
    if ctx.drafts:  # publishing closes the months, and a closed month can hold no draft
        doc.advice.append(f"未计入的 {len(ctx.drafts)} 笔草稿在公示期间内：这份公示可以打印核对，但发布前须先把它们"
                         f"记账、删除或把日期改到 {ctx.req.date_to} 所在月份之后，再重新导出。")
    blank = [label for label, phone in ctx.req.supervision or [] if not phone.strip()]
    if blank:  # printed as ______ to be written in by hand; say so, since most offices want them printed
        doc.advice.append(f"监督电话未填写：{'、'.join(blank)}。公示上印为横线，可张贴前手写；"
                         "要印上号码，请在“设置 › 信息公示”填写（命令行：setting set notice.association_phone 号码）。")
    apply_edits(ctx, doc)  # before the privacy pass: what is typed into an edit is cleaned too
    return ctx.privacy.apply(doc)


def _year_label(req: NoticeRequest) -> str:
    if req.year_label:
        return req.year_label.strip().removesuffix("年")
    a, b = req.date_from, req.date_to
    if a.year == b.year:
        return str(a.year)
    days: dict[int, int] = defaultdict(int)
    day = a
    while day <= b:
        year_end = min(date(day.year, 12, 31), b)
        days[day.year] += (year_end - day).days + 1
        day = year_end + timedelta(days=1)
    major = max(days, key=lambda y: (days[y], -y))
    if sum(days.values()) - days[major] <= 92:  # the rest is at most one quarter
        return str(major)
    return f"{a.year}—{b.year}"


def _fund_usage(ctx: BuildContext) -> NoticeDocument:
    doc = NoticeDocument("fund-usage", [ctx.project.name, f"{_year_label(ctx.req)}年经费使用情况公示"])
    blocks = doc.blocks
    sections = Sections(blocks)
    sections.add("项目信息")
    blocks += project_fields(ctx, full=True)
    sections.add("项目效果")
    effects_part(ctx, blocks, suffix="慈善试点情况")
    sections.add("经费收支情况")
    sub = [0]
    summary_part(ctx, blocks, sub)
    spending_part(ctx, blocks, sub, budget=True)
    donor_part(ctx, blocks, sub)
    detail_part(ctx, blocks, sub)
    sections.add("物资收发情况")
    goods_part(ctx, blocks)
    closing_part(ctx, blocks, sections, photos=True)
    return doc


def _progress(ctx: BuildContext) -> NoticeDocument:
    req = ctx.req
    doc = NoticeDocument("progress", [ctx.project.name, "项目进展公示", f"（{period_text(req.date_from, req.date_to)}）"])
    blocks = doc.blocks
    sections = Sections(blocks)
    sections.add("项目信息")
    blocks += project_fields(ctx, full=False)
    sections.add("本期进展")
    effects_part(ctx, blocks, suffix="")
    spaces_part(ctx, blocks)
    sections.add("本期经费收支")
    sub = [0]
    period_money_part(ctx, blocks, sub)
    spending_part(ctx, blocks, sub, budget=False)
    drafts_note(ctx, blocks)
    closing_part(ctx, blocks, sections, photos=True)
    return doc


def _donations(ctx: BuildContext) -> NoticeDocument:
    req = ctx.req
    first = ctx.funds[0].name if len(ctx.funds) == 1 else ctx.project.name
    doc = NoticeDocument("donations", [first, "捐赠公示", f"（{period_text(req.date_from, req.date_to)}）"])
    blocks = doc.blocks
    sections = Sections(blocks)
    sections.add("资金捐赠")
    donation_list_part(ctx, blocks)
    received, _issued = goods_in_period(ctx)
    donated = [g for g in received if g.source in ("", "捐赠")]
    sections.add("物资捐赠")
    if donated:
        blocks.append(goods_received_table(ctx, donated, donated_only=True))
    else:
        blocks.append(Paragraph("本期没有收到物资捐赠。"))
    closing_part(ctx, blocks, sections, photos=False)
    return doc
