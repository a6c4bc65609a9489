"""A draft's wording edits (`NoticeRequest.edits`, keys and parts as in the editable blocks) put into the
assembled notice, before the privacy pass so that what is typed into an edit is cleaned like any other
text. An edit of 项目完成情况 keeps the ledger's 拨付 figure (restored at the start when missing, a sentence
stating another figure dropped — as for the project's own text). An edit whose block is no longer in the
notice (the activity was taken off the notice, a site has no item left, another template) is kept in the
request but not used, and said in `NoticeDocument.notes` ("有 1 处修改已不适用：……"); notes are not
printed, so they do not change the verification code."""

from dataclasses import replace

from desktop_app.core.documents.model import Field, Item
from desktop_app.core.models import Activity, Site
from desktop_app.core.notices.context import BuildContext
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.formats import wan_yuan
from desktop_app.core.notices.request import TEMPLATES
from desktop_app.core.notices.sections.project import COMPLETION, COMPLETION_KEY, PARAGRAPHS, completion_text


def apply_edits(ctx: BuildContext, doc: NoticeDocument) -> None:
    """Put the request's edits into the blocks with their keys; say which edits found no block."""
    edits = ctx.req.edits or {}
    if not edits:
        return
    used: set[str] = set()
    blocks = []
    for block in doc.blocks:
        key = getattr(block, "key", "")
        change = edits.get(key) if key else None
        if change:
            used.add(key)
            if isinstance(block, Item):
                parts = {p: t for p, t in change.items() if p in ("lead", "body")}
            else:
                parts = {"text": change["text"]} if "text" in change else {}
            if isinstance(block, Field) and key == COMPLETION_KEY and "text" in parts:
                parts["text"] = _edited_completion(ctx, doc, parts["text"])
            block = replace(block, **parts)
            doc.edited += [(key, part) for part in parts]
        blocks.append(block)
    doc.blocks = blocks
    stale = [key for key in edits if key not in used]
    if stale:
        doc.notes.append(f"有 {len(stale)} 处修改已不适用：" + "；".join(_stale_text(ctx, key) for key in stale)
                         + "。这些修改仍保存在草稿里，但没有用在公示中。")


def _edited_completion(ctx: BuildContext, doc: NoticeDocument, text: str) -> str:
    """An edit of 项目完成情况 keeps the ledger's 拨付 figure (see completion_text)."""
    before = len(ctx.privacy.masked)
    result = completion_text(ctx, text)
    if result != text:
        figure = wan_yuan(ctx.income_of("allocation"))
        dropped = len(ctx.privacy.masked) > before
        doc.notes.append(f"修改后的“{COMPLETION}”须与台账一致（本期拨付资金共{figure}）："
                         + ("其中与台账不符的拨付金额已删去，" if dropped else "")
                         + "已按台账写明拨付金额。")
    return result


def _stale_text(ctx: BuildContext, key: str) -> str:
    """What an edit that found no block was for, and why it no longer applies."""
    kind, _sep, rest = key.partition(":")
    if kind == "item":
        activity = ctx.session.get(Activity, rest)
        what = f"活动“{activity.title}”" if activity is not None else "一项已删除的活动"
        return f"{what}已不在本公示中（可能已取消“列入公示”、被删除或不在公示期间内）"
    if kind == "heading":
        site = ctx.session.get(Site, rest.removeprefix("site:")) if rest.startswith("site:") else None
        name = site.name if site is not None else ("项目整体" if rest == "site:project" else rest)
        return f"“{name}”部分的小标题（本期已没有列入公示的活动）"
    if kind == "field":
        return f"“{rest}”一项（{TEMPLATES[ctx.req.template]}中没有这一项）"
    if kind == "para":
        return f"段落“{PARAGRAPHS.get(key, rest)}”（本公示中已没有这一段）"
    return f"“{key}”"
