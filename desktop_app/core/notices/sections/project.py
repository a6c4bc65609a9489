"""The project's part of a notice: 项目信息 (name, goals, cycle, amount, leaders, 项目完成情况 checked against
the ledger), what the project did (项目效果, 本期进展: the public activities by site) and the building
progress of its charity spaces. The keys of the editable blocks are defined here, where the blocks are."""

import re
from decimal import Decimal

from sqlmodel import select

from desktop_app.core.documents.model import Field, Heading, Item, Paragraph
from desktop_app.core.errors import UserError
from desktop_app.core.models import Activity, Project
from desktop_app.core.notices.context import BuildContext
from desktop_app.core.notices.formats import as_sentence, chinese_numeral, make_table, month_text, wan_yuan
from desktop_app.core.queries.spaces import list_spaces, milestones
from desktop_app.core.queries.survey_results import survey_results

COMPLETION = "项目完成情况"
VALID_FORMS = re.compile(r"共收集(\d+)份有效(?:调查)?问卷")
# Keys of the editable blocks (stable across rebuilds of the same data; see notices.wording).
COMPLETION_KEY = f"field:{COMPLETION}"
GOALS_KEY = "field:项目主要内容和绩效目标"
NO_ACTIVITIES_KEY = "para:no-activities"
PARAGRAPHS = {NO_ACTIVITIES_KEY: "本期没有列入公示的活动"}  # para keys → what the note calls them


def _leaders_text(ctx: BuildContext) -> tuple[str, str]:
    names = "、".join(f"{ld.role.strip()}{ld.name.strip()}" for ld in ctx.leaders)
    phones = "、".join(ld.phone.strip() for ld in ctx.leaders if ld.phone.strip())
    return names, phones


def _project_cycle(project: Project) -> str:
    a, b = project.start_date, project.end_date
    if (a.year, a.month) == (b.year, b.month):
        return month_text(a)
    return f"{month_text(a)}至{month_text(b)}"


def completion_text(ctx: BuildContext, own: str | None = None) -> str:
    """项目完成情况: the allocations of the period (exact, from the ledger) and what they went to; the
    project's own text (or `own`, an edit of the draft) is used when it already states the same figure,
    and kept after it otherwise (minus any sentence that states a different 拨付 figure, which would
    contradict the ledger)."""
    allocated = ctx.income_of("allocation")
    figure = wan_yuan(allocated)
    spent = sorted(((v, k) for k, v in ctx.expense_by("category").items() if v > 0), reverse=True)
    uses = "、".join(k for _v, k in spent[:2]) + ("等" if len(spent) > 2 else "")
    computed = f"现拨付资金共{figure}" + (f"，用于{uses}。" if uses else "。")
    own = (ctx.project.completion if own is None else own).strip()
    if not own:
        return computed
    kept, states_figure = [], False
    for sentence in re.split(r"(?<=。)", own):
        stated = re.search(r"拨付资金共?([0-9.,]+)万元", sentence)
        if stated and _wan_fen(stated.group(1)) != allocated:
            ctx.privacy.record(sentence.strip(), computed, "项目完成情况中的拨付金额与台账不符，已按台账数字改写")
            continue
        states_figure = states_figure or stated is not None
        if sentence.strip():
            kept.append(sentence)
    text = "".join(kept).strip()
    return text if states_figure else computed + text


def _wan_fen(text: str) -> int | None:
    """"31.6" (万元) → 31600000 fen; None when it is not a number."""
    try:
        return int(Decimal(text.replace(",", "")) * 1_000_000)
    except ArithmeticError:
        return None


def project_fields(ctx: BuildContext, *, full: bool) -> list:
    """项目信息 as fields; `full` adds the goals and 项目完成情况 (the fund-usage notice)."""
    project = ctx.project
    names, phones = _leaders_text(ctx)
    blocks = [Field("项目名称", project.name)]
    if full and project.goals.strip():
        blocks.append(Field("项目主要内容和绩效目标", project.goals.strip(), key=GOALS_KEY))
    blocks += [Field("项目周期", _project_cycle(project)), Field("资金额度", wan_yuan(project.budget_fen)),
               Field("项目负责人", names), Field("联系方式", phones)]
    if full:
        blocks.append(Field(COMPLETION, completion_text(ctx), key=COMPLETION_KEY))
    return blocks


def _public_activities(ctx: BuildContext) -> list[Activity]:
    """The project's activities marked 列入公示 that overlap the period."""
    req = ctx.req
    rows = ctx.session.exec(select(Activity).where(
        Activity.project_id == ctx.project.id, Activity.deleted == False, Activity.public == True,  # noqa: E712
        Activity.end_date >= req.date_from, Activity.start_date <= req.date_to))
    return list(rows)


def effects_part(ctx: BuildContext, blocks: list, *, suffix: str) -> None:
    """What the project did: the public activities by site (a heading each, `suffix` after the site's name),
    numbered items in the order chosen for the notice."""
    activities = sorted(_public_activities(ctx), key=lambda a: (a.public_order, a.start_date, a.created_at))
    if not activities:
        blocks.append(Paragraph(PARAGRAPHS[NO_ACTIVITIES_KEY] + "。", key=NO_ACTIVITIES_KEY))
        return
    for name, group, site_key in ctx.by_site(activities, lambda a: a.site_id):
        blocks.append(Heading(f"{name}{suffix}" if name != "项目整体" else "项目整体情况", level=2,
                              key=f"heading:site:{site_key}"))
        for i, a in enumerate(group, 1):
            blocks.append(Item(f"（{chinese_numeral(i)}）", as_sentence(a.title), effect_text(ctx, a), key=f"item:{a.id}"))


def effect_text(ctx: BuildContext, activity: Activity) -> str:
    """An item's text: the activity's summary, and for a needs survey it carried out, the survey's result from
    the responses (seed 004's "共收集250份有效调查问卷，需求排在前四位的是：…"): a typed count of valid forms that the
    responses do not bear out is rewritten (and noted), and a summary that states none gets the sentence."""
    summary = activity.summary.strip()
    if not activity.survey_id:
        return summary
    try:
        results = survey_results(ctx.session, activity.survey_id)
    except UserError:  # the survey was deleted: the typed text stands
        return summary
    if not results.valid:
        return summary
    stated = VALID_FORMS.search(summary)
    if stated is None:
        return f"{summary}{'' if not summary or summary.endswith('。') else '。'}{results.sentence}。"
    if int(stated.group(1)) == results.valid:
        return summary
    shown = f"共收集{results.valid}份有效调查问卷"
    ctx.privacy.record(stated.group(0), shown, "有效问卷数与需求调查的数据不符，已按调查结果改写")
    return summary[:stated.start()] + shown + summary[stated.end():]


def spaces_part(ctx: BuildContext, blocks: list) -> None:
    """慈善阵地建设进度: each of the project's charity spaces with its latest milestone up to the period's end."""
    spaces = list_spaces(ctx.session, ctx.project.id)
    if not spaces:
        return
    rows = []
    for space in spaces:
        done = [m for m in milestones(ctx.session, space.id) if m.milestone_date <= ctx.req.date_to]
        latest = done[-1] if done else None
        rows.append([space.name, f"{latest.percent if latest else 0}%",
                     f"{latest.milestone_date.isoformat()} {latest.note}".strip() if latest else "尚未开工"])
    blocks.append(make_table([("慈善阵地", 3.2, "left"), ("建设进度", 1.3, "right"), ("最近进展", 4, "left")], rows,
                             caption="慈善阵地建设进度"))
