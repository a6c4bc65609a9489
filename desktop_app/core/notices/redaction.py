"""The privacy pass of a notice: what a name becomes and why, and every printed text cleaned at the end
(个人信息保护法 第25、28、29条; 慈善法 第82条). Privacy is applied here, never in the PDF writer:
- a donor's name only with recorded consent, else 爱心人士; a person's name, even with consent, masked
  (张*明); organisations with consent in full;
- names of the people behind the project's records (donors without consent, individual payees, named
  beneficiaries) are replaced wherever they turn up in free text (summaries, titles, notes), however they
  are spaced (赵 大山, 赵·大山, invisible characters between the characters: `privacy.find_name`);
- private numbers — mobiles, landlines with their area code, 7–8 digit local numbers right after
  电话/手机/拨打/致电/联系/热线/微信/Tel, ID and bank-card or account numbers — are found by
  `privacy.find_private_numbers` however they are written (全角 digits, Chinese numerals, invisible
  characters and marks, any separators: 138.1234.5678, 139，1234，5678, 139一1234一5678,
  一三九一二三四五六七八, 510101.19900101.123X, 0818 862 1234, +86 818 8631234) and redacted to "***"
  everywhere except the leaders' official phones and the supervision phones (both public by rule, compared
  by their digits in any of those forms);
  the rest of the text prints as it was; `privacy_for` gives the same pass to a text written outside a
  notice (a correction);
every change is listed in `NoticeDocument.masked` for the builder to show.
"""

from dataclasses import replace

from sqlmodel import Session, select

from desktop_app.core.documents.model import Field, Heading, Item, Paragraph, PhotoGrid, SignOff, Table
from desktop_app.core.models import Activity, GoodsMovement, LedgerEntry, NamedBeneficiary, ProjectLeader
from desktop_app.core.notices.document import MaskedName, NoticeDocument
from desktop_app.core.notices.request import NoticeRequest, resolve_request
from desktop_app.core.privacy import (
    ANONYMOUS_DONOR,
    PrivateNumber,
    digits_of,
    find_private_numbers,
    is_individual,
    mask_name,
    replace_name,
    squeeze,
)
from desktop_app.core.queries.projects import project_funds, project_leaders

REDACTED = "***"


def _official_digits(numbers) -> set[str]:
    """The digits the official phones are recognised by, in every form a number is found in: as typed, and
    as `find_private_numbers` reports them (+86 818 8622345 → 08188622345, 0086 135… → 135…)."""
    allowed: set[str] = set()
    for number in numbers:
        if digits_of(number):
            allowed.add(digits_of(number))
        for hit in find_private_numbers(number):
            allowed.add(hit.digits[-11:] if hit.kind == "mobile" else hit.digits)
    return allowed


class PrivacyPass:
    """Decides what each name becomes, remembers why, and cleans every printed text at the end."""

    def __init__(self, public_names: set[str], allowed_numbers: set[str]):
        self.public_names = public_names  # the leaders: official and public
        self.allowed = _official_digits(allowed_numbers)
        self.masked: dict[tuple[str, str], MaskedName] = {}
        self.replace: dict[str, tuple[str, str]] = {}  # name → (shown, reason) for free text
        self._keys: dict[str, str] = {}  # name → how it is looked for (privacy.squeeze)

    def record(self, original: str, shown: str, reason: str) -> None:
        self.masked.setdefault((original, shown), MaskedName(original, shown, reason))

    def donor(self, name: str, kind: str, anonymous: bool, consent: bool, *, note: bool = True) -> str:
        """What a donor list may show (and, with note, record the change for the builder)."""
        name = (name or "").strip()
        if anonymous or not name:
            if note:
                self.record(name or "（匿名捐赠）", ANONYMOUS_DONOR, "匿名捐赠")
            return ANONYMOUS_DONOR
        if not consent:
            if note:
                self.record(name, ANONYMOUS_DONOR, "未记录公开同意")
            return ANONYMOUS_DONOR
        if is_individual(kind):
            shown = mask_name(name)
            if note:
                self.record(name, shown, "个人姓名，已同意公开，按规定打码")
            return shown
        return name

    def watch(self, name: str, shown: str, reason: str) -> None:
        """A name that must not appear in free text: replaced by `shown` if it does. The most protective
        form wins when one name turns up in several records."""
        name = (name or "").strip()
        if len(name) < 2 or name in self.public_names or name == shown:
            return
        current = self.replace.get(name)
        if current is None or (current[0] != ANONYMOUS_DONOR and shown == ANONYMOUS_DONOR):
            self.replace[name] = (shown, reason)

    def clean(self, text: str) -> str:
        if not text:
            return text
        squeezed = squeeze(text)
        for name in sorted(self.replace, key=len, reverse=True):
            key = self._keys.get(name)
            if key is None:
                key = self._keys[name] = squeeze(name)
            if len(key) >= 2 and key in squeezed:  # however it is spaced: 赵 大山, 赵·大山, 赵\u200b大山
                shown, reason = self.replace[name]
                text = replace_name(text, name, shown)
                squeezed = squeeze(text)
                self.record(name, shown, reason)
        return self._numbers(text)

    def _numbers(self, text: str) -> str:
        """Each private number → ***, the rest of the text as it was."""
        out, at = [], 0
        for hit in find_private_numbers(text):
            out += [text[at:hit.start], text[hit.start:hit.end] if self._public(hit) else self._redact(hit)]
            at = hit.end
        return "".join(out) + text[at:] if out else text

    def _public(self, hit: PrivateNumber) -> bool:
        d = hit.digits
        if hit.kind == "mobile":
            return d[-11:] in self.allowed
        if hit.kind == "local":  # also an allowed landline written without its area code
            return d in self.allowed or any(n.endswith(d) and n[:-len(d)].startswith("0")
                                            and 3 <= len(n) - len(d) <= 4 for n in self.allowed)
        return d in self.allowed

    def _redact(self, hit: PrivateNumber) -> str:
        d = hit.digits
        if hit.kind == "mobile":
            self.record(f"{d[-11:-8]}****{d[-4:]}", REDACTED, "私人电话已隐去")
        elif hit.kind == "landline":
            local = d[len(hit.area):]
            self.record(f"{hit.area}-{'*' * (len(local) - 4)}{local[-4:]}", REDACTED, "私人电话已隐去")
        elif hit.kind == "local":
            self.record(f"{'*' * (len(d) - 4)}{d[-4:]}", REDACTED, "私人电话已隐去")
        else:
            self.record(f"{d[:6]}{'*' * (len(d) - 10)}{d[-4:]}", REDACTED, "身份证号或账号已隐去")
        return REDACTED

    def apply(self, doc: NoticeDocument) -> NoticeDocument:
        """Clean every text of the document (the last step of every builder)."""
        c = self.clean
        blocks = []
        for block in doc.blocks:
            match block:
                case Heading() | Paragraph():
                    block = replace(block, text=c(block.text))
                case Field():
                    block = replace(block, label=c(block.label), text=c(block.text))
                case Item():
                    block = replace(block, lead=c(block.lead), body=c(block.body))
                case Table():
                    block = replace(block, caption=c(block.caption),
                                    columns=tuple(replace(col, title=c(col.title)) for col in block.columns),
                                    rows=tuple(tuple(c(x) for x in row) for row in block.rows),
                                    totals=tuple(tuple(c(x) for x in row) for row in block.totals))
                case PhotoGrid():
                    block = replace(block, photos=tuple(replace(p, caption=c(p.caption)) for p in block.photos))
                case SignOff():
                    block = replace(block, names=tuple(c(n) for n in block.names))
            blocks.append(block)
        doc.title_lines = [c(t) for t in doc.title_lines]
        doc.blocks = blocks
        doc.masked = list(self.masked.values())
        return doc


def new_privacy_pass(leaders: list[ProjectLeader], req: NoticeRequest) -> PrivacyPass:
    """The leaders' names and phones and the supervision phones are public by rule."""
    allowed = {ld.phone for ld in leaders} | {phone for _label, phone in req.supervision or []}
    return PrivacyPass({ld.name for ld in leaders}, allowed)


def privacy_for(session: Session, request: NoticeRequest, *, also=()) -> PrivacyPass:
    """The privacy pass of the notice `request` describes, for text printed outside the notice's own blocks
    (a 更正说明): `.clean(text)` gives what may be printed, `.masked` records what was replaced and why.
    `also`: further ledger rows (objects with the entry's fields, e.g. the journal's earlier values of a
    changed entry) whose names are watched like the project's entries."""
    req = resolve_request(session, request)
    privacy = new_privacy_pass(project_leaders(session, req.project_id), req)
    watch_names(session, privacy, req.project_id, [f.id for f in project_funds(session, req.project_id)], also=also)
    return privacy


def watch_names(s: Session, p: PrivacyPass, project_id: str, fund_ids: list[str], *, also=()) -> None:
    """Every person or non-consenting donor behind the project's records, so free text cannot leak them."""
    if fund_ids:
        consented: set[str] = set()
        rows = list(s.exec(select(LedgerEntry).where(LedgerEntry.fund_id.in_(fund_ids)))) + list(also)
        goods = list(s.exec(select(GoodsMovement).where(GoodsMovement.fund_id.in_(fund_ids))))
        donors = [(e.counterparty_name, e.counterparty_kind, e.anonymous, e.publish_consent)
                  for e in rows if e.entry_type == "donation"]
        donors += [(g.donor_name, g.donor_kind, g.anonymous, g.publish_consent) for g in goods if g.direction == "in"]
        for name, _kind, anonymous, consent in donors:
            if name and consent and not anonymous:
                consented.add(name.strip())
        for name, kind, anonymous, consent in donors:
            name = (name or "").strip()
            if not name:
                continue
            if anonymous or not consent:
                if is_individual(kind) or name not in consented:
                    p.watch(name, ANONYMOUS_DONOR, "匿名捐赠" if anonymous else "未记录公开同意")
            elif is_individual(kind):
                p.watch(name, mask_name(name), "个人姓名，已同意公开，按规定打码")
        for e in rows:  # individual payees and other counterparties
            if e.entry_type != "donation" and e.counterparty_name and is_individual(e.counterparty_kind):
                p.watch(e.counterparty_name, mask_name(e.counterparty_name.strip()), "个人姓名，按规定打码")
    for b in s.exec(select(NamedBeneficiary).join(Activity, Activity.id == NamedBeneficiary.activity_id)
                    .where(Activity.project_id == project_id)):
        p.watch(b.name, mask_name(b.name.strip()), "受益人姓名，按规定打码")
