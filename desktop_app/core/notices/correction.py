"""The 更正说明 (correction notice) as a document: built from the spec `publish_correction` records, so that
it can be rebuilt exactly, and that spec put through the privacy pass of the corrected notice."""

import types
from datetime import date

from sqlmodel import Session

from desktop_app.core.documents.model import Heading, Item, Paragraph, SignOff, chinese_date
from desktop_app.core.models import Notice
from desktop_app.core.notices.document import MaskedName, NoticeDocument
from desktop_app.core.notices.entries import disclosed_entries
from desktop_app.core.notices.formats import chinese_numeral
from desktop_app.core.notices.redaction import privacy_for
from desktop_app.core.notices.request import NoticeRequest
from desktop_app.core.storage import chain


def correction_document(spec: dict) -> NoticeDocument:
    """The 更正说明, from what `publish_correction` recorded (so it can be rebuilt exactly). The recorded
    text, change lines and names are already through the privacy pass (`printable_spec`), and "masked"
    lists what it replaced (corrections published before it have none)."""
    title = spec["original_title"]
    published = chinese_date(date.fromisoformat(spec["original_published_on"]))
    blocks = [Paragraph(f"我们于{published}发布的《{title}》（公示编号 {spec['original_number']}，"
                        f"核验码 {spec['original_code']}）需要更正，现说明如下：")]
    blocks += [Paragraph(line.strip()) for line in spec["text"].splitlines() if line.strip()]
    if spec["changes"]:
        blocks.append(Heading("核验发现的数据变化", level=2))
        # the change as body text (a lead would set it all in the heading face); the hash is the same
        blocks += [Item(number=f"（{chinese_numeral(i)}）", lead="", body=change)
                   for i, change in enumerate(spec["changes"], 1)]
    blocks.append(Paragraph("原公示的其余内容不变。特此更正。"))
    blocks.append(SignOff(names=tuple(spec["names"]), written_on=date.fromisoformat(spec["written_on"])))
    return NoticeDocument(template="correction", title_lines=[f"关于《{title}》的更正说明"], blocks=blocks,
                          masked=[MaskedName(*m) for m in spec.get("masked", [])])


def printable_spec(s: Session, original: Notice, request: NoticeRequest, spec: dict) -> dict:
    """The spec with its free text, change lines and names through the privacy pass of the original's
    notice (watched names, private phones and ID numbers; the leaders' and supervision phones kept), and
    what was replaced. The journal's earlier values of the disclosed entries are watched too: a change
    line names the counterparty an entry had when it was published."""
    earlier = [types.SimpleNamespace(**{k: before.get(k) for k in (
        "entry_type", "counterparty_name", "counterparty_kind", "anonymous", "publish_consent")})
        for before in (chain.posted_snapshot(s, entry_id) for entry_id in disclosed_entries(s, original)) if before]
    privacy = privacy_for(s, request, also=earlier)
    clean = privacy.clean
    printed = dict(spec, original_title=clean(spec["original_title"]),
                   text="\n".join(clean(line) for line in spec["text"].splitlines()),
                   changes=[clean(c) for c in spec["changes"]], names=[clean(n) for n in spec["names"]])
    printed["masked"] = [[m.original, m.shown, m.reason] for m in privacy.masked.values()]
    return printed
