"""Sealing a notice: built from its request with the entries it covers, then given its hashes and its
verification code (the code goes into the document; what it seals is the printed texts without it).
Also the published form (number and date under the title, outside the sealed texts) and the rebuild of a
recorded notice that verification and corrections compare with."""

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session

from desktop_app.core.documents.model import Paragraph, chinese_date
from desktop_app.core.models import LedgerEntry, Notice
from desktop_app.core.notices.codes import content_hash, derive_code, entries_hash
from desktop_app.core.notices.correction import correction_document
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.request import DraftsInPeriod, NoticeRequest, covered_entries, request_from_json
from desktop_app.core.notices.templates import build_notice


@dataclass
class Sealed:
    """A notice with its code: the document, the entries it covers, its printed texts and their hashes."""

    doc: NoticeDocument
    entries: list[LedgerEntry]
    texts: list[str]
    content_hash: str
    entries_hash: str
    code: str

    @property
    def pairs(self) -> list[list[str]]:
        return sorted([e.id, e.chain_hash or ""] for e in self.entries)

    @property
    def title(self) -> str:
        return "".join(line.strip() for line in self.doc.title_lines)


def seal(doc: NoticeDocument, entries: list[LedgerEntry]) -> Sealed:
    """Hash the printed texts (without a code) and the entries, and put the code they give into `doc`."""
    doc.verification_code = ""
    texts = doc.texts()
    c_hash = content_hash(texts)
    e_hash = entries_hash((e.id, e.chain_hash or "") for e in entries)
    code = derive_code(c_hash, e_hash)
    doc.verification_code = code
    return Sealed(doc, entries, texts, c_hash, e_hash, code)


def build_with_entries(session: Session, root: Path,
                       request: NoticeRequest) -> tuple[NoticeDocument, list[LedgerEntry]]:
    """The notice of `request` and the posted entries it covers (what its code seals)."""
    doc = build_notice(session, root, request)
    return doc, list(covered_entries(session, request))


def numbered(doc: NoticeDocument, number: str, published_on: date) -> NoticeDocument:
    """The published document: the sealed one with its number and date under the title (not part of the
    content hash, which was fixed at export)."""
    stamp = Paragraph(f"公示编号：{number}　发布日期：{chinese_date(published_on)}")
    return dataclasses.replace(doc, blocks=[stamp, *doc.blocks])


@dataclass
class Rebuilt:
    """A recorded notice built again from today's data, to compare with what was sealed."""

    doc: NoticeDocument
    entries: list[LedgerEntry]
    drafts: list = field(default_factory=list)  # unposted entries now in the period (not disclosed data)


def rebuild(s: Session, root: Path, notice: Notice, request: NoticeRequest | None = None) -> Rebuilt:
    """Rebuild what a notice was built from. Drafts typed in since are not disclosed data: a period that
    now holds drafts is rebuilt without them (and their note in the notice is not counted as a change)."""
    if notice.template == "correction" and request is None:
        spec = json.loads(notice.request_json)
        return Rebuilt(correction_document(spec), list(covered_entries(s, request_from_json(spec["request"]))))
    request = request if request is not None else request_from_json(notice.request_json)
    try:
        return Rebuilt(*build_with_entries(s, root, request))
    except DraftsInPeriod as exc:
        without_drafts = dataclasses.replace(request, exclude_drafts=True)
        return Rebuilt(*build_with_entries(s, root, without_drafts), drafts=exc.drafts)
