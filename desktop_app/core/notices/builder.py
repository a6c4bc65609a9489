"""The notice builders: a project's data → a NoticeDocument that is already public.

Three templates (TEMPLATES): the fund-usage notice of seed 004 (经费使用情况公示) with the parts a sound
notice needs beyond the seed (经费收支, 物资, 照片, 公示期与监督), the quarterly progress notice
(项目进展公示, 慈善法 第79条) and the donations notice (捐赠公示).

Privacy is applied here, never in the PDF writer (个人信息保护法 第25、28、29条; 慈善法 第82条):
- a donor's name only with recorded consent, else 爱心人士; a person's name, even with consent, masked
  (张*明); organisations with consent in full;
- names of the people behind the project's records (donors without consent, individual payees, named
  beneficiaries) are replaced wherever they turn up in free text (summaries, titles, notes);
- 11-digit mobile numbers, landlines with their area code (0818-8621234, (0818)8621234), 7–8 digit local
  numbers right after 电话/手机/联系方式/Tel, and 15–19-digit ID or account numbers (also written in
  groups: 511781 19900101 1234) are redacted to "***" everywhere except the leaders' official phones
  and the supervision phones (both public by rule); `privacy_for` gives the same pass to a text written
  outside a notice (a correction);
every change is listed in `NoticeDocument.masked` for the builder to show.

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
- Edits (`NoticeRequest.edits`, keys and parts in notices.document): applied after assembling and before
  the privacy pass, so what is typed into an edit is cleaned like any other text. An edit of 项目完成情况
  keeps the ledger's 拨付 figure (restored at the start when missing, a sentence stating another figure
  dropped — as for the project's own text). An edit whose block is no longer in the notice (the activity
  was taken off the notice, a site has no item left, another template) is kept in the request but not
  used, and said in `NoticeDocument.notes` ("有 1 处修改已不适用：……"); notes are not printed, so they do
  not change the verification code.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.documents.model import (
    Column,
    Field,
    Heading,
    Item,
    MaskedName,
    NoticeDocument,
    Paragraph,
    PhotoGrid,
    SignOff,
    Table,
    check_edits,
    chinese_date,
)
from desktop_app.core.documents.model import EditableText as EditableText  # re-exported for the draft editor
from desktop_app.core.documents.model import Photo as NoticePhoto
from desktop_app.core.documents.model import editable_texts as editable_texts
from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    EXPENSE_CLASSES,
    Activity,
    BudgetLine,
    CharitySpace,
    Fund,
    GoodsMovement,
    LedgerEntry,
    NamedBeneficiary,
    Office,
    Photo,
    Project,
    ProjectLeader,
    Site,
)
from desktop_app.core.money import capital_yuan, format_yuan
from desktop_app.core.privacy import ANONYMOUS_DONOR, mask_name
from desktop_app.core.quantities import quantity_of
from desktop_app.core.queries.settings import get_setting
from desktop_app.core.storage import photo_files

TEMPLATES = {"fund-usage": "经费使用情况公示", "progress": "项目进展公示", "donations": "捐赠公示"}

# 公示期: no national rule fixes its length; 7 days is the usual local minimum (domain-rules §5 "Notice
# conventions", "无异议后拨付" practice). A workspace may set "notice.days".
NOTICE_DAYS = 7
# Settings read with these defaults (no settings UI yet): blank phones print as a line to fill in by hand.
SETTING_DEFAULTS = {
    "notice.days": NOTICE_DAYS,
    "notice.association_phone": "",
    "notice.civil_affairs_name": "属地乡镇（街道）民政办",
    "notice.civil_affairs_phone": "",
}
BLANK = "______"
HOTLINE = ("政务服务便民热线", "12345")
PROGRESS_MONTHS = 3  # 慈善法 第79条: progress of a project longer than 6 months at least every 3 months
REDACTED = "***"
NUMERALS = "一二三四五六七八九十"
COMPLETION = "项目完成情况"
# Keys of the editable blocks (stable across rebuilds of the same data; see notices.document).
COMPLETION_KEY = f"field:{COMPLETION}"
GOALS_KEY = "field:项目主要内容和绩效目标"
OBJECTIONS_KEY = "field:意见反馈"
NO_ACTIVITIES_KEY = "para:no-activities"
PARAGRAPHS = {NO_ACTIVITIES_KEY: "本期没有列入公示的活动"}  # para keys → what the note calls them


# ---------------------------------------------------------------------------------------------- request


@dataclass
class NoticeRequest:
    project_id: str
    template: str = "fund-usage"
    date_from: date | None = None  # default: the project's start (progress: the last 3 months)
    date_to: date | None = None  # default: min(the project's end, today)
    notice_start: date | None = None  # 公示期 start; default written_on
    notice_end: date | None = None  # default notice_start + 6 days (7 days in all)
    written_on: date | None = None  # 成文日期; default today
    supervision: list[tuple[str, str]] | None = None  # (label, phone); default association, 民政办, 12345
    objections_text: str | None = None  # 意见反馈; default a sentence naming the association
    exclude_drafts: bool = False  # leave the period's unposted entries out (and say so in the notice)
    year_label: str | None = None  # fund-usage title, e.g. "2024" or "2024—2025"; default computed
    show_receipt_no: bool = True  # donations: print the association's receipt number
    today: date | None = None  # for the defaults; tests pin it
    # The draft's wording edits, {key: {part: text}} (a plain string: the main part), e.g.
    # {"item:<activity id>": {"lead": "…", "body": "…"}, "field:项目完成情况": {"text": "…"}}. JSON as it is,
    # stored with the request so that verification rebuilds the edited document. See notices.document.
    edits: dict[str, str | dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftLine:
    entry_id: str
    fund_name: str
    entry_date: date
    summary: str
    amount_fen: int

    def describe(self) -> str:
        return f"{self.entry_date.isoformat()} {self.summary or '（无摘要）'} {format_yuan(self.amount_fen)}（{self.fund_name}）"


class DraftsInPeriod(UserError):
    """Unposted entries fall in the notice's period: post them (记账) or build with exclude_drafts=True."""

    def __init__(self, message: str, drafts: list[DraftLine]):
        super().__init__(message, details=[d.describe() for d in drafts])
        self.drafts = drafts


# ---------------------------------------------------------------------------------------------- helpers


def wan_yuan(fen: int) -> str:
    """An amount the way notices write it: 90万元, 31.6万元, 0.5万元 — exact. An amount with 角/分 would
    need six decimals in 万, so it is written in 元 instead: 1,234.56元."""
    if fen % 100:
        return format_yuan(fen, symbol=False) + "元"
    wan = (Decimal(fen) / 1_000_000).normalize()
    return f"{wan:f}万元"


def _capital(fen: int) -> str:
    return capital_yuan(fen, prefix="人民币")


def _money(fen: int) -> str:
    return f"{format_yuan(fen)}（{_capital(fen)}）"


def _month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _period_text(a: date, b: date) -> str:
    return f"{chinese_date(a)}至{chinese_date(b)}"


def _number(index: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (enough for sections and items)."""
    if index <= 10:
        return NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def _quantity(milli: int, unit: str) -> str:
    return f"{quantity_of(milli).normalize():f}{unit}"


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。.；;，,")
    return text + "。" if text else ""


def _setting(session: Session, key: str):
    try:
        value = get_setting(session, key)
    except KeyError:  # not (yet) in setting_registry.DEFAULTS
        return SETTING_DEFAULTS[key]
    return SETTING_DEFAULTS[key] if value in (None, "") else value


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _quarter_start(date_to: date) -> date:
    """The first day of the three months ending on `date_to`: whole months when it is a month end
    (2025-02-28 → 2024-12-01), else the day after the same day three months before."""
    if (date_to + timedelta(days=1)).day == 1:
        return _add_months(date_to.replace(day=1), 1 - PROGRESS_MONTHS)
    return _add_months(date_to, -PROGRESS_MONTHS) + timedelta(days=1)


# ---------------------------------------------------------------------------------------------- defaults


def _project(session: Session, project_id: str) -> Project:
    project = session.get(Project, project_id) if project_id else None
    if project is None or project.deleted:
        raise UserError("找不到要公示的项目（可能已被删除）。请在“项目”页确认项目后重新选择。")
    return project


def resolve_request(session: Session, request: NoticeRequest) -> NoticeRequest:
    """The request with every default filled in (what the builder uses, the GUI shows and the publishing
    service records). Raises UserError for an unknown template or project, or when there is no period."""
    if request.template not in TEMPLATES:
        raise UserError(f"没有“{request.template}”这种公示模板。可选：" + "、".join(
            f"{k}（{v}）" for k, v in TEMPLATES.items()) + "。")
    project = _project(session, request.project_id)
    today = request.today or date.today()
    start, end = project.start_date, project.end_date
    # by default through the last complete month: publishing closes the months the notice covers
    last_complete = today.replace(day=1) - timedelta(days=1)
    date_to = request.date_to or ((end if end <= last_complete else last_complete) if end else None)
    if request.date_from:
        date_from = request.date_from
    elif request.template == "progress" and date_to:
        date_from = _quarter_start(date_to)
        date_from = max(start, date_from) if start else None
    else:
        date_from = start
    if not date_from or not date_to:
        raise UserError(f"项目“{project.name}”没有填写项目周期，无法确定公示的期间。请先在“项目”页填写开始和结束日期，"
                        "或在生成公示时选择起止日期。")
    if date_from > date_to:
        if not request.date_from and not request.date_to and start and start > today:
            raise UserError(f"项目“{project.name}”{chinese_date(start)}才开始，还没有可以公示的期间。"
                            "请在项目开始后再生成公示，或选择公示的起止日期。")
        if not request.date_from and not request.date_to and start and date_to < start:
            raise UserError(f"项目“{project.name}”{chinese_date(start)}开始，到上月底还没有完整的月份可以公示"
                            "（公示发布时要按整月结账）。请在本月结束后再生成，或自己选择起止日期预览。")
        raise UserError(f"公示期间的开始日期（{chinese_date(date_from)}）晚于结束日期（{chinese_date(date_to)}）。"
                        "请重新选择起止日期。")
    written_on = request.written_on or today
    notice_start = request.notice_start or written_on
    days = max(1, int(_setting(session, "notice.days")))
    notice_end = request.notice_end or notice_start + timedelta(days=days - 1)
    if notice_end < notice_start:
        raise UserError(f"公示期的结束日期（{chinese_date(notice_end)}）早于开始日期（{chinese_date(notice_start)}）。"
                        "请重新选择公示期。")
    supervision = request.supervision
    if supervision is None:
        supervision = [(_association(session, project), str(_setting(session, "notice.association_phone"))),
                       (str(_setting(session, "notice.civil_affairs_name")),
                        str(_setting(session, "notice.civil_affairs_phone"))),
                       HOTLINE]
    return replace(request, date_from=date_from, date_to=date_to, written_on=written_on, notice_start=notice_start,
                   notice_end=notice_end, supervision=[(label, phone) for label, phone in supervision], today=today,
                   edits=check_edits(request.edits))


def _local_office(session: Session) -> Office | None:
    offices = list(session.exec(select(Office).where(Office.deleted == False)))  # noqa: E712
    return next((o for o in offices if o.is_local), offices[0] if offices else None)


def _association(session: Session, project: Project) -> str:
    office = _local_office(session)
    if office and office.association_name:
        return office.association_name
    fund = next(iter(_funds(session, project.id)), None)
    return (fund.association_name if fund else "") or "慈善会"


def _funds(session: Session, project_id: str) -> list[Fund]:
    return list(session.exec(select(Fund).where(Fund.project_id == project_id, Fund.deleted == False)  # noqa: E712
                             .order_by(Fund.created_at)))


def covered_entries(session: Session, request: NoticeRequest) -> list[LedgerEntry]:
    """The posted entries a notice covers: those of the project's funds dated in its period (for the
    donations notice only donations and their reversals), by fund then voucher order."""
    req = resolve_request(session, request)
    funds = _funds(session, req.project_id)
    if not funds:
        return []
    order = {f.id: i for i, f in enumerate(funds)}
    entries = list(session.exec(select(LedgerEntry).where(
        LedgerEntry.fund_id.in_(list(order)), LedgerEntry.status == "posted", LedgerEntry.deleted == False,  # noqa: E712
        LedgerEntry.entry_date >= req.date_from, LedgerEntry.entry_date <= req.date_to)))
    if req.template == "donations":
        kinds = _effective_types(session, entries)
        entries = [e for e in entries if kinds[e.id] == "donation"]
    return sorted(entries, key=lambda e: (order[e.fund_id], e.voucher_year or 0, e.voucher_seq or 0, e.entry_date))


def _effective_types(session: Session, entries: list[LedgerEntry]) -> dict[str, str]:
    """entry id → its type, a reversal counting as the type of the entry it reverses."""
    originals = {e.reverses_id for e in entries if e.entry_type == "reversal" and e.reverses_id}
    known = {e.id: e.entry_type for e in entries}
    missing = [i for i in originals if i not in known]
    if missing:
        for e in session.exec(select(LedgerEntry).where(LedgerEntry.id.in_(missing))):
            known[e.id] = e.entry_type
    return {e.id: (known.get(e.reverses_id or "", "reversal") if e.entry_type == "reversal" else e.entry_type)
            for e in entries}


# ---------------------------------------------------------------------------------------------- privacy

_ORG_WORDS = ("公司", "会", "社", "村", "局", "厂", "店", "部", "中心", "站", "院", "校", "所", "团", "队", "委", "办",
              "集团", "银行", "协会", "组织", "政府", "学", "馆", "行", "室")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{14,18}[0-9Xx](?![0-9A-Za-z])")
# ID or bank-card numbers written in groups, one separator throughout (so "2024-0014 2024-0015" and the
# association's receipt numbers "51010124 0003518" are not taken): 身份证 6-8-4 or 6-4-4-4, and groups of
# four with a short last group (4-4-4-4-2 for an ID, 4-4-4-4[-1..3] for a bank card).
_GROUPED_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9]{6}([- ])[0-9]{8}\1[0-9]{3}[0-9Xx]|[0-9]{6}([- ])[0-9]{4}\2[0-9]{4}\2[0-9]{3}[0-9Xx]"
    r"|[0-9]{4}([- ])[0-9]{4}\3[0-9]{4}\3[0-9]{4}(?:\3[0-9]{0,2}[0-9Xx])?)(?![0-9A-Za-z])")
# Landlines with their area code (010, 02x, 0xxx): 0818-8621234, 0818 8621234, (0818)8621234, 08188621234.
_LANDLINE = re.compile(r"(?<![0-9])(?:[(（](?P<a1>0[1-9][0-9]{1,2})[)）][-－— ]?|(?P<a2>0[1-9][0-9]{1,2})[-－— ]?)"
                       r"(?P<local>[2-9][0-9]{6,7})(?![0-9])")
# A 7–8 digit local number only right after a word saying it is a phone (电话：8621234, Tel 8621234):
# elsewhere such digits are amounts, voucher or receipt numbers.
_LOCAL_PHONE = re.compile(r"(?P<lead>(?:电话|手机|座机|固话|联系方式|联系号码|(?i:tel|phone))(?:号码|号)?[：:.\s]*(?:是|为)?[：:\s]*)"
                          r"(?P<local>[2-9][0-9]{6,7})(?![0-9])")


def _is_person(name: str, kind: str) -> bool:
    if kind:
        return kind == "个人"
    return len(name) <= 4 and not any(w in name for w in _ORG_WORDS)


class _Privacy:
    """Decides what each name becomes, remembers why, and cleans every printed text at the end."""

    def __init__(self, public_names: set[str], allowed_numbers: set[str]):
        self.public_names = public_names  # the leaders: official and public
        self.allowed = {_digits(n) for n in allowed_numbers if _digits(n)}
        self.masked: dict[tuple[str, str], MaskedName] = {}
        self.replace: dict[str, tuple[str, str]] = {}  # name → (shown, reason) for free text

    def _note(self, original: str, shown: str, reason: str) -> None:
        self.masked.setdefault((original, shown), MaskedName(original, shown, reason))

    def donor(self, name: str, kind: str, anonymous: bool, consent: bool, *, note: bool = True) -> str:
        """What a donor list may show (and, with note, record the change for the builder)."""
        name = (name or "").strip()
        if anonymous or not name:
            if note:
                self._note(name or "（匿名捐赠）", ANONYMOUS_DONOR, "匿名捐赠")
            return ANONYMOUS_DONOR
        if not consent:
            if note:
                self._note(name, ANONYMOUS_DONOR, "未记录公开同意")
            return ANONYMOUS_DONOR
        if _is_person(name, kind):
            shown = mask_name(name)
            if note:
                self._note(name, shown, "个人姓名，已同意公开，按规定打码")
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
        for name in sorted(self.replace, key=len, reverse=True):
            if name in text:
                shown, reason = self.replace[name]
                text = text.replace(name, shown)
                self._note(name, shown, reason)
        text = _GROUPED_NUMBER.sub(self._long_number, text)  # before the phones: an ID may hold a phone-like run
        text = _LONG_NUMBER.sub(self._long_number, text)
        text = _MOBILE.sub(self._phone, text)
        text = _LANDLINE.sub(self._landline, text)
        return _LOCAL_PHONE.sub(self._local_phone, text)

    def _phone(self, match: re.Match) -> str:
        digits = _digits(match.group(0))[-11:]
        if digits in self.allowed:
            return match.group(0)
        self._note(f"{digits[:3]}****{digits[-4:]}", REDACTED, "私人电话已隐去")
        return REDACTED

    def _landline(self, match: re.Match) -> str:
        area, local = match.group("a1") or match.group("a2"), match.group("local")
        if area + local in self.allowed:
            return match.group(0)
        self._note(f"{area}-{'*' * (len(local) - 4)}{local[-4:]}", REDACTED, "私人电话已隐去")
        return REDACTED

    def _local_phone(self, match: re.Match) -> str:
        local = match.group("local")
        if local in self.allowed or any(n.endswith(local) and n[:-len(local)].startswith("0")
                                        and 3 <= len(n) - len(local) <= 4 for n in self.allowed):
            return match.group(0)  # an allowed landline written without its area code
        self._note(f"{'*' * (len(local) - 4)}{local[-4:]}", REDACTED, "私人电话已隐去")
        return match.group("lead") + REDACTED

    def _long_number(self, match: re.Match) -> str:
        raw = match.group(0)
        digits = _digits(raw)
        if digits in self.allowed:
            return raw
        self._note(f"{digits[:6]}{'*' * (len(digits) - 10)}{digits[-4:]}", REDACTED, "身份证号或账号已隐去")
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


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx")


# ---------------------------------------------------------------------------------------------- context


@dataclass
class _Context:
    session: Session
    root: Path
    req: NoticeRequest
    project: Project
    funds: list[Fund]
    leaders: list[ProjectLeader]
    sites: list[Site]
    privacy: _Privacy
    entries: list[LedgerEntry] = field(default_factory=list)  # posted, in the period, all funds
    kinds: dict[str, str] = field(default_factory=dict)  # entry id → effective type
    drafts: list[DraftLine] = field(default_factory=list)  # excluded drafts (exclude_drafts=True)

    @property
    def fund_names(self) -> dict[str, str]:
        return {f.id: f.name for f in self.funds}


def _context(session: Session, root: Path | str, request: NoticeRequest) -> _Context:
    req = resolve_request(session, request)
    project = _project(session, req.project_id)
    leaders = list(session.exec(select(ProjectLeader).where(
        ProjectLeader.project_id == project.id, ProjectLeader.deleted == False)  # noqa: E712
        .order_by(ProjectLeader.position)))
    if req.template in ("fund-usage", "progress"):
        if not leaders:
            raise UserError(f"项目“{project.name}”还没有项目负责人。请先在“项目”页填写项目负责人和联系电话。")
        without = [ld.name for ld in leaders if not ld.phone.strip()]
        if without:
            raise UserError(f"项目负责人“{'、'.join(without)}”没有联系电话。请先在“项目”页填写项目负责人和联系电话。")
    sites = list(session.exec(select(Site).where(Site.project_id == project.id, Site.deleted == False)  # noqa: E712
                              .order_by(Site.position)))
    funds = _funds(session, project.id)
    ctx = _Context(session, Path(root), req, project, funds, leaders, sites, _new_privacy(leaders, req))
    _check_drafts(ctx)
    ctx.entries = covered_entries(session, replace(req, template="fund-usage"))
    ctx.kinds = _effective_types(session, ctx.entries)
    _watch_names(session, ctx.privacy, project.id, list(ctx.fund_names))
    return ctx


def _new_privacy(leaders: list[ProjectLeader], req: NoticeRequest) -> _Privacy:
    """The leaders' names and phones and the supervision phones are public by rule."""
    allowed = {ld.phone for ld in leaders} | {phone for _label, phone in req.supervision or []}
    return _Privacy({ld.name for ld in leaders}, allowed)


def privacy_for(session: Session, request: NoticeRequest, *, also=()) -> _Privacy:
    """The privacy pass of the notice `request` describes, for text printed outside the notice's own blocks
    (a 更正说明): `.clean(text)` gives what may be printed, `.masked` records what was replaced and why.
    `also`: further ledger rows (objects with the entry's fields, e.g. the journal's earlier values of a
    changed entry) whose names are watched like the project's entries."""
    req = resolve_request(session, request)
    leaders = list(session.exec(select(ProjectLeader).where(
        ProjectLeader.project_id == req.project_id, ProjectLeader.deleted == False)))  # noqa: E712
    privacy = _new_privacy(leaders, req)
    _watch_names(session, privacy, req.project_id, [f.id for f in _funds(session, req.project_id)], also=also)
    return privacy


def _check_drafts(ctx: _Context) -> None:
    if not ctx.funds:
        return
    names = ctx.fund_names
    drafts = [DraftLine(e.id, names[e.fund_id], e.entry_date, e.summary, e.amount_fen)
              for e in ctx.session.exec(select(LedgerEntry).where(
                  LedgerEntry.fund_id.in_(list(names)), LedgerEntry.status == "draft",
                  LedgerEntry.deleted == False,  # noqa: E712
                  LedgerEntry.entry_date >= ctx.req.date_from, LedgerEntry.entry_date <= ctx.req.date_to)
                  .order_by(LedgerEntry.entry_date, LedgerEntry.created_at))]
    if ctx.req.template == "donations":
        drafts = [d for d in drafts if ctx.session.get(LedgerEntry, d.entry_id).entry_type == "donation"]
    if not drafts:
        return
    if ctx.req.exclude_drafts:
        ctx.drafts = drafts
        return
    raise DraftsInPeriod(
        f"公示期间（{_period_text(ctx.req.date_from, ctx.req.date_to)}）还有 {len(drafts)} 笔草稿没有记账，"
        "公示的数字会不完整。请先到“收支台账”核对后记账；或选择“不计入草稿”生成公示（草稿不列入公示，公示中会注明）。",
        drafts)


def _watch_names(s: Session, p: _Privacy, project_id: str, fund_ids: list[str], *, also=()) -> None:
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
                if _is_person(name, kind) or name not in consented:
                    p.watch(name, ANONYMOUS_DONOR, "匿名捐赠" if anonymous else "未记录公开同意")
            elif _is_person(name, kind):
                p.watch(name, mask_name(name), "个人姓名，已同意公开，按规定打码")
        for e in rows:  # individual payees and other counterparties
            if e.entry_type != "donation" and e.counterparty_name and _is_person(e.counterparty_name,
                                                                                  e.counterparty_kind):
                p.watch(e.counterparty_name, mask_name(e.counterparty_name.strip()), "个人姓名，按规定打码")
    for b in s.exec(select(NamedBeneficiary).join(Activity, Activity.id == NamedBeneficiary.activity_id)
                    .where(Activity.project_id == project_id)):
        p.watch(b.name, mask_name(b.name.strip()), "受益人姓名，按规定打码")


# ---------------------------------------------------------------------------------------------- parts


class _Sections:
    """Numbers the 一、二、三 sections as they are added (a part without content is left out)."""

    def __init__(self, blocks: list):
        self.blocks = blocks
        self.count = 0

    def add(self, title: str) -> None:
        self.count += 1
        self.blocks.append(Heading(f"{_number(self.count)}、{title}"))


def _leaders_text(ctx: _Context) -> tuple[str, str]:
    names = "、".join(f"{ld.role.strip()}{ld.name.strip()}" for ld in ctx.leaders)
    phones = "、".join(ld.phone.strip() for ld in ctx.leaders if ld.phone.strip())
    return names, phones


def _project_cycle(project: Project) -> str:
    a, b = project.start_date, project.end_date
    if (a.year, a.month) == (b.year, b.month):
        return _month(a)
    return f"{_month(a)}至{_month(b)}"


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


def _in_amount(ctx: _Context, kind: str, fund_id: str | None = None) -> int:
    return sum(e.amount_fen for e in ctx.entries
               if e.flow == "in" and ctx.kinds[e.id] == kind and (fund_id is None or e.fund_id == fund_id))


def _expense_by(ctx: _Context, attr: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in ctx.entries:
        if e.flow == "out":
            out[getattr(e, attr) or ("（未分类）" if attr == "category" else "其他")] += e.amount_fen
    return dict(out)


def _completion(ctx: _Context, own: str | None = None) -> str:
    """项目完成情况: the allocations of the period (exact, from the ledger) and what they went to; the
    project's own text (or `own`, an edit of the draft) is used when it already states the same figure,
    and kept after it otherwise (minus any sentence that states a different 拨付 figure, which would
    contradict the ledger)."""
    allocated = _in_amount(ctx, "allocation")
    figure = wan_yuan(allocated)
    spent = sorted(((v, k) for k, v in _expense_by(ctx, "category").items() if v > 0), reverse=True)
    uses = "、".join(k for _v, k in spent[:2]) + ("等" if len(spent) > 2 else "")
    computed = f"现拨付资金共{figure}" + (f"，用于{uses}。" if uses else "。")
    own = (ctx.project.completion if own is None else own).strip()
    if not own:
        return computed
    kept, states_figure = [], False
    for sentence in re.split(r"(?<=。)", own):
        stated = re.search(r"拨付资金共?([0-9.,]+)万元", sentence)
        if stated and _wan_fen(stated.group(1)) != allocated:
            ctx.privacy._note(sentence.strip(), computed, "项目完成情况中的拨付金额与台账不符，已按台账数字改写")
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


def _project_fields(ctx: _Context, *, full: bool) -> list:
    project = ctx.project
    names, phones = _leaders_text(ctx)
    blocks = [Field("项目名称", project.name)]
    if full and project.goals.strip():
        blocks.append(Field("项目主要内容和绩效目标", project.goals.strip(), key=GOALS_KEY))
    blocks += [Field("项目周期", _project_cycle(project)), Field("资金额度", wan_yuan(project.budget_fen)),
               Field("项目负责人", names), Field("联系方式", phones)]
    if full:
        blocks.append(Field(COMPLETION, _completion(ctx), key=COMPLETION_KEY))
    return blocks


def _public_activities(ctx: _Context) -> list[Activity]:
    req = ctx.req
    rows = ctx.session.exec(select(Activity).where(
        Activity.project_id == ctx.project.id, Activity.deleted == False, Activity.public == True,  # noqa: E712
        Activity.end_date >= req.date_from, Activity.start_date <= req.date_to))
    return list(rows)


def _by_site(ctx: _Context, records, site_of) -> list[tuple[str, list, str]]:
    """Group records by site in the project's order; project-wide ones last as 项目整体. Each group comes
    with its site's name and a stable key part (the site's id, "project" for 项目整体)."""
    groups: dict[str | None, list] = defaultdict(list)
    for r in records:
        groups[site_of(r)].append(r)
    out = [(site.name, groups.pop(site.id), site.id) for site in ctx.sites if site.id in groups]
    rest = [r for key in list(groups) for r in groups.pop(key)]  # no site, or a site no longer live
    if rest:
        out.append(("项目整体", rest, "project"))
    return out


def _effects(ctx: _Context, blocks: list, *, suffix: str) -> None:
    activities = sorted(_public_activities(ctx), key=lambda a: (a.public_order, a.start_date, a.created_at))
    if not activities:
        blocks.append(Paragraph(PARAGRAPHS[NO_ACTIVITIES_KEY] + "。", key=NO_ACTIVITIES_KEY))
        return
    for name, group, site_key in _by_site(ctx, activities, lambda a: a.site_id):
        blocks.append(Heading(f"{name}{suffix}" if name != "项目整体" else "项目整体情况", level=2,
                              key=f"heading:site:{site_key}"))
        for i, a in enumerate(group, 1):
            blocks.append(Item(f"（{_number(i)}）", _sentence(a.title), a.summary.strip(), key=f"item:{a.id}"))


def _table(columns: list[tuple[str, float, str]], rows, totals=(), caption: str = "") -> Table:
    return Table(tuple(Column(t, w, al) for t, w, al in columns), tuple(tuple(r) for r in rows),
                 tuple(tuple(r) for r in totals), caption)


def _balances(ctx: _Context) -> dict[str, dict]:
    """Per fund: opening balance, period income/expense, closing balance and restricted closing balances."""
    req = ctx.req
    out = {}
    for fund in ctx.funds:
        rows = ctx.session.exec(select(LedgerEntry).where(
            LedgerEntry.fund_id == fund.id, LedgerEntry.status == "posted", LedgerEntry.deleted == False,  # noqa: E712
            LedgerEntry.entry_date <= req.date_to))
        opening = 0
        restricted: dict[str, int] = defaultdict(int)
        for e in rows:
            sign = 1 if e.flow == "in" else -1
            if e.entry_date < req.date_from:
                opening += sign * e.amount_fen
            if e.restriction:
                restricted[e.restriction] += sign * e.amount_fen
        income = sum(e.amount_fen for e in ctx.entries if e.fund_id == fund.id and e.flow == "in")
        expense = sum(e.amount_fen for e in ctx.entries if e.fund_id == fund.id and e.flow == "out")
        out[fund.id] = {"opening": opening, "allocation": _in_amount(ctx, "allocation", fund.id),
                        "donation": _in_amount(ctx, "donation", fund.id), "income": income, "expense": expense,
                        "closing": opening + income - expense,
                        "restricted": {k: v for k, v in restricted.items() if v}}
    return out


def _summary_part(ctx: _Context, blocks: list, sub: list[int]) -> dict[str, dict]:
    balances = _balances(ctx)
    total = {k: sum(b[k] for b in balances.values())
             for k in ("opening", "allocation", "donation", "income", "expense", "closing")}
    restricted = sum(sum(b["restricted"].values()) for b in balances.values())
    other_in = total["income"] - total["allocation"] - total["donation"]
    blocks.append(_sub_heading(sub, "收支总体情况"))
    if ctx.project.budget_fen:
        blocks.append(Field("项目预算", _money(ctx.project.budget_fen)))
    if total["opening"]:
        blocks.append(Field("期初结余", _money(total["opening"])))
    blocks.append(Field("本期拨入资金", _money(total["allocation"])))
    blocks.append(Field("本期捐赠收入", _money(total["donation"])))
    if other_in:
        blocks.append(Field("本期其他收入", _money(other_in)))
    blocks.append(Field("本期支出", _money(total["expense"])))
    blocks.append(Field("期末结余", _money(total["closing"]) + (f"，其中限定性结余{format_yuan(restricted)}"
                                                              if restricted else "")))
    if len(ctx.funds) > 1:
        labels = [("期初结余", "opening"), ("本期拨入", "allocation"), ("本期捐赠收入", "donation"),
                  ("本期收入合计", "income"), ("本期支出", "expense"), ("期末结余", "closing")]
        columns = [("项目", 2.2, "left")] + [(f.name, 2.6, "right") for f in ctx.funds] + [("合计", 2.2, "right")]
        rows = [[label] + [format_yuan(balances[f.id][key]) for f in ctx.funds] + [format_yuan(total[key])]
                for label, key in labels]
        rows.append(["其中：限定性结余"] + [format_yuan(sum(balances[f.id]["restricted"].values())) for f in ctx.funds]
                    + [format_yuan(restricted)])
        blocks.append(_table(columns, rows, caption="各基金收支及结余"))
    purposes = [f"{purpose}{format_yuan(v)}（{fund.name}）" for fund in ctx.funds
                for purpose, v in sorted(balances[fund.id]["restricted"].items())]
    if purposes:
        blocks.append(Paragraph("限定性结余按捐赠人限定用途专款专用：" + "；".join(purposes) + "。"))
    return balances


def _sub_heading(sub: list[int], text: str) -> Heading:
    sub[0] += 1
    return Heading(f"（{_number(sub[0])}）{text}", level=2)


def _spending_part(ctx: _Context, blocks: list, sub: list[int], *, budget: bool) -> None:
    by_category = _expense_by(ctx, "category")
    total = sum(by_category.values())
    blocks.append(_sub_heading(sub, "支出情况"))
    if budget:
        lines: dict[str, int] = defaultdict(int)
        for line in ctx.session.exec(select(BudgetLine).where(
                BudgetLine.project_id == ctx.project.id, BudgetLine.deleted == False)  # noqa: E712
                .order_by(BudgetLine.created_at)):
            lines[line.category] += line.amount_fen
        cumulative: dict[str, int] = defaultdict(int)
        if ctx.funds:
            for e in ctx.session.exec(select(LedgerEntry).where(
                    LedgerEntry.fund_id.in_(list(ctx.fund_names)), LedgerEntry.status == "posted",
                    LedgerEntry.deleted == False, LedgerEntry.flow == "out",  # noqa: E712
                    LedgerEntry.entry_date <= ctx.req.date_to)):
                cumulative[e.category or "（未分类）"] += e.amount_fen
        order = list(lines) + sorted((c for c in set(by_category) | set(cumulative) if c not in lines),
                                     key=lambda c: -cumulative.get(c, 0))
        rows = [[c, format_yuan(lines[c]) if c in lines else "—", format_yuan(by_category.get(c, 0)),
                 format_yuan(cumulative.get(c, 0))] for c in order]
        totals = [["合计", format_yuan(sum(lines.values())), format_yuan(total), format_yuan(sum(cumulative.values()))]]
        blocks.append(_table([("支出类别", 2.4, "left"), ("预算金额", 2.2, "right"), ("本期支出", 2.2, "right"),
                              ("累计支出", 2.2, "right")], rows, totals, caption="按支出类别"))
    else:
        rows = [[c, format_yuan(v)] for c, v in sorted(by_category.items(), key=lambda kv: -kv[1])]
        blocks.append(_table([("支出类别", 3, "left"), ("本期支出", 2.4, "right")], rows,
                             [["合计", format_yuan(total)]], caption="按支出类别"))
    by_class = _expense_by(ctx, "expense_class")
    classes = [c for c in EXPENSE_CLASSES if c in by_class] + [c for c in by_class if c not in EXPENSE_CLASSES]
    rows = [[c, format_yuan(by_class[c]), _percent(by_class[c], total)] for c in classes]
    blocks.append(_table([("支出性质", 3, "left"), ("本期支出", 2.4, "right"), ("占本期支出", 1.6, "right")], rows,
                         [["合计", format_yuan(total), "100.0%" if total else "—"]], caption="按支出性质"))


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return f"{value}%"


def _donation_rows(ctx: _Context) -> list[tuple[LedgerEntry, int, str, str]]:
    """The period's donations net of their reversals: (entry, net amount, shown donor, restriction);
    a reversal whose donation lies outside the period stays as its own (negative) row."""
    donations = [e for e in ctx.entries if ctx.kinds[e.id] == "donation"]
    net = {e.id: e.amount_fen for e in donations if e.entry_type != "reversal"}
    out_of_period = []
    for e in donations:
        if e.entry_type == "reversal":
            if e.reverses_id in net:
                net[e.reverses_id] += e.amount_fen
            else:
                out_of_period.append(e)
    rows = []
    for e in donations:
        if e.entry_type != "reversal" and net[e.id]:
            shown = ctx.privacy.donor(e.counterparty_name, e.counterparty_kind, e.anonymous, e.publish_consent)
            rows.append((e, net[e.id], shown, e.restriction))
    for e in out_of_period:
        original = ctx.session.get(LedgerEntry, e.reverses_id) if e.reverses_id else None
        source = original or e
        shown = ctx.privacy.donor(source.counterparty_name, source.counterparty_kind, source.anonymous,
                                  source.publish_consent)
        rows.append((e, e.amount_fen, shown, "（冲销）" + (source.restriction or "")))
    return rows


def _donor_part(ctx: _Context, blocks: list, sub: list[int]) -> None:
    rows = _donation_rows(ctx)
    blocks.append(_sub_heading(sub, "捐赠收入"))
    if not rows:
        blocks.append(Paragraph("本期没有收到资金捐赠。"))
        return
    merged: dict[tuple[str, str], list[int]] = {}
    for _e, amount, shown, restriction in rows:
        acc = merged.setdefault((shown, restriction or "非限定"), [0, 0])
        acc[0] += 1
        acc[1] += amount
    table_rows = [[shown, str(n), format_yuan(v), purpose]
                  for (shown, purpose), (n, v) in sorted(merged.items(), key=lambda kv: -kv[1][1])]
    total = sum(v for _n, v in merged.values())
    blocks.append(_table([("捐赠方", 3.2, "left"), ("笔数", 0.9, "right"), ("金额", 2.2, "right"),
                          ("限定用途", 2.6, "left")], table_rows,
                         [["合计", str(sum(n for n, _v in merged.values())), format_yuan(total), ""]]))
    blocks.append(Paragraph(f"本期捐赠收入合计{_money(total)}。未记录公开同意的捐赠人及匿名捐赠人统一列为“爱心人士”，"
                            "个人捐赠人的姓名部分隐去。"))


def _detail_part(ctx: _Context, blocks: list, sub: list[int]) -> None:
    blocks.append(_sub_heading(sub, "收支明细"))
    columns = [("凭证号", 1.5, "center"), ("日期", 1.7, "center"), ("摘要", 4.2, "left"),
               ("收入", 1.9, "right"), ("支出", 1.9, "right")]
    grand_in = grand_out = 0
    shown_tables = 0
    for fund in ctx.funds:
        entries = [e for e in ctx.entries if e.fund_id == fund.id]
        if not entries:
            continue
        income = sum(e.amount_fen for e in entries if e.flow == "in")
        expense = sum(e.amount_fen for e in entries if e.flow == "out")
        grand_in += income
        grand_out += expense
        rows = [[_voucher(e), e.entry_date.isoformat(), e.summary or ("红字冲销" if e.entry_type == "reversal" else ""),
                 format_yuan(e.amount_fen) if e.flow == "in" else "", format_yuan(e.amount_fen) if e.flow == "out" else ""]
                for e in entries]
        totals = [["合计", "", f"{len(entries)}笔", format_yuan(income), format_yuan(expense)],
                  [f"大写：收入{_capital(income)}；支出{_capital(expense)}"]]  # one row across the table
        blocks.append(_table(columns, rows, totals, caption=fund.name))
        shown_tables += 1
    if not shown_tables:
        blocks.append(Paragraph("本期没有已记账的收支。"))
    elif shown_tables > 1:
        blocks.append(Paragraph(f"各基金本期收入合计{_money(grand_in)}，支出合计{_money(grand_out)}。"))
    _drafts_note(ctx, blocks)


def _voucher(e: LedgerEntry) -> str:
    return "" if e.voucher_seq is None else f"{e.voucher_year}-{e.voucher_seq:04d}"


def _goods(ctx: _Context) -> tuple[list[GoodsMovement], list[GoodsMovement]]:
    if not ctx.funds:
        return [], []
    rows = list(ctx.session.exec(select(GoodsMovement).where(
        GoodsMovement.fund_id.in_(list(ctx.fund_names)), GoodsMovement.deleted == False,  # noqa: E712
        GoodsMovement.movement_date >= ctx.req.date_from, GoodsMovement.movement_date <= ctx.req.date_to)
        .order_by(GoodsMovement.movement_date, GoodsMovement.created_at)))
    return [g for g in rows if g.direction == "in"], [g for g in rows if g.direction == "out"]


def _goods_source(ctx: _Context, g: GoodsMovement) -> str:
    if g.source in ("", "捐赠"):
        return ctx.privacy.donor(g.donor_name, g.donor_kind, g.anonymous, g.publish_consent)
    return g.source  # 购买 | 调拨


def _goods_value(g: GoodsMovement) -> str:
    return format_yuan(g.value_fen) if g.valuation != "未估值" else "—"


def _goods_received_table(ctx: _Context, received: list[GoodsMovement], *, donated_only: bool = False) -> Table:
    rows = [[g.movement_date.isoformat(), _goods_source(ctx, g), g.item, _quantity(g.quantity_milli, g.unit),
             g.valuation or "—", _goods_value(g)]
            for g in received if not donated_only or g.source in ("", "捐赠")]
    valued = sum(g.value_fen for g in received if (not donated_only or g.source in ("", "捐赠"))
                 and g.valuation != "未估值")
    return _table([("日期", 1.7, "center"), ("来源/捐赠方", 3, "left"), ("物品", 2.4, "left"), ("数量", 1.3, "right"),
                   ("估值依据", 1.5, "center"), ("价值", 1.8, "right")], rows,
                  [["合计", "", "", "", "", format_yuan(valued)]],
                  caption="物资接收（“—”为未估值，只登记数量）")


def _goods_part(ctx: _Context, blocks: list) -> None:
    received, issued = _goods(ctx)
    if not received and not issued:
        blocks.append(Paragraph("本期没有物资收发。"))
        return
    if received:
        blocks.append(_goods_received_table(ctx, received))
    if issued:
        titles = {a.id: a.title for a in ctx.session.exec(select(Activity).where(
            Activity.id.in_([g.activity_id for g in issued if g.activity_id])))}
        rows = [[g.movement_date.isoformat(), titles.get(g.activity_id or "", "") or g.note or "—", g.item,
                 _quantity(g.quantity_milli, g.unit), g.beneficiary_group or "—", str(g.recipients) if g.recipients else "—"]
                for g in issued]
        blocks.append(_table([("日期", 1.7, "center"), ("发放活动", 3.4, "left"), ("物品", 2.2, "left"),
                              ("数量", 1.3, "right"), ("受益群体", 1.8, "left"), ("人数", 1, "right")], rows,
                             [["合计", "", "", "", "", str(sum(g.recipients for g in issued))]], caption="物资发放"))


def _photos(ctx: _Context) -> list[NoticePhoto]:
    """The photos marked 用于公示 of the project's (live) activities in the period, by site, in gallery order."""
    req = ctx.req
    found = ctx.session.exec(select(Photo, Activity).join(Activity, Activity.id == Photo.activity_id).where(
        Activity.project_id == ctx.project.id, Activity.deleted == False, Photo.deleted == False,  # noqa: E712
        Photo.in_notice == True, Activity.end_date >= req.date_from, Activity.start_date <= req.date_to)  # noqa: E712
        .order_by(Photo.position, Photo.created_at)).all()
    spaces = ctx.session.exec(select(Photo, CharitySpace).join(CharitySpace, CharitySpace.id == Photo.space_id).where(
        CharitySpace.project_id == ctx.project.id, CharitySpace.deleted == False, Photo.deleted == False,  # noqa: E712
        Photo.activity_id.is_(None), Photo.in_notice == True)  # noqa: E712
        .order_by(Photo.position, Photo.created_at)).all()
    pairs = [(p, a.site_id, a.title) for p, a in found] + [(p, c.site_id, c.name) for p, c in spaces]
    out = []
    for _site, group, _key in _by_site(ctx, pairs, lambda r: r[1]):
        for photo, _site_id, owner in group:
            out.append(NoticePhoto(_display_copy(ctx, photo, owner), photo.caption.strip() or owner))
    return out


def _display_copy(ctx: _Context, photo: Photo, owner: str) -> Path:
    display = photo_files.display_path(ctx.root, photo.sha256)
    if display.is_file() and display.stat().st_size > 0:
        return display
    original = ctx.root / "attachments" / photo.sha256[:2] / photo.sha256  # Workspace.attachment_path
    name = photo.caption.strip() or photo.original_name or "（无说明）"
    if not original.is_file():
        raise UserError(f"公示要用的照片“{name}”（{owner}）的原图在工作区里找不到了，无法放进公示。"
                        f"请到“活动记录”打开“{owner}”，删除这张照片后重新添加，或取消它的“用于公示”。")
    photo_files.ensure_derived(ctx.root, photo.sha256, original)
    return display


def _notice_part(ctx: _Context, blocks: list) -> None:
    req = ctx.req
    association = _association(ctx.session, ctx.project)
    phones = "；".join(f"{label}：{phone.strip() or BLANK}" for label, phone in req.supervision or [])
    objections = req.objections_text or (
        f"对公示内容有异议的，请在公示期内以书面形式或拨打上述监督电话向{association}反映，"
        "我们将及时核实并答复。")
    blocks += [Field("公示期", _period_text(req.notice_start, req.notice_end)), Field("监督电话", phones),
               Field("意见反馈", objections, key=OBJECTIONS_KEY)]


def _drafts_note(ctx: _Context, blocks: list) -> None:
    """The drafts left out of the notice (exclude_drafts), said under the money."""
    if ctx.drafts:
        total = sum(d.amount_fen for d in ctx.drafts)
        blocks.append(Paragraph(f"注：本期另有{len(ctx.drafts)}笔尚未记账的草稿（合计{format_yuan(total)}）未列入本公示。"))


def _closing(ctx: _Context, blocks: list, sections: "_Sections", *, photos: bool) -> None:
    """What every notice ends with: the captioned photos (when wanted and any), 公示期与监督, the sign-off."""
    grid = _photos(ctx) if photos else []
    if grid:
        sections.add("活动照片")
        blocks.append(PhotoGrid(tuple(grid)))
    sections.add("公示期与监督")
    _notice_part(ctx, blocks)
    blocks.append(_sign_off(ctx))


def _sign_off(ctx: _Context) -> SignOff:
    office = _local_office(ctx.session)
    names = [office.name if office else "", _association(ctx.session, ctx.project)]
    unique = tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    return SignOff(unique, ctx.req.written_on)


# ---------------------------------------------------------------------------------------------- templates


def build_notice(session: Session, root: Path | str, request: NoticeRequest) -> NoticeDocument:
    """Assemble the notice of `request` from the workspace at `root` (for the photos' display copies).

    Raises UserError (Chinese, says what to do) for a missing project, leaders, period or photo file, and
    DraftsInPeriod when unposted entries fall in the period and exclude_drafts is False."""
    ctx = _context(session, root, request)
    builder = {"fund-usage": _fund_usage, "progress": _progress, "donations": _donations}[ctx.req.template]
    doc = builder(ctx)
    if ctx.drafts:  # publishing closes the months, and a closed month can hold no draft
        doc.advice.append(f"未计入的 {len(ctx.drafts)} 笔草稿在公示期间内：这份公示可以打印核对，但发布前须先把它们"
                         f"记账、删除或把日期改到 {ctx.req.date_to} 所在月份之后，再重新导出。")
    blank = [label for label, phone in ctx.req.supervision or [] if not phone.strip()]
    if blank:  # printed as ______ to be written in by hand; say so, since most offices want them printed
        doc.advice.append(f"监督电话未填写：{'、'.join(blank)}。公示上印为横线，可张贴前手写；"
                         "要印上号码，请在“设置 › 信息公示”填写（命令行：setting set notice.association_phone 号码）。")
    _apply_edits(ctx, doc)  # before the privacy pass: what is typed into an edit is cleaned too
    return ctx.privacy.apply(doc)


def _apply_edits(ctx: _Context, doc: NoticeDocument) -> None:
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


def _edited_completion(ctx: _Context, doc: NoticeDocument, text: str) -> str:
    """An edit of 项目完成情况 keeps the ledger's 拨付 figure (see _completion)."""
    before = len(ctx.privacy.masked)
    result = _completion(ctx, text)
    if result != text:
        figure = wan_yuan(_in_amount(ctx, "allocation"))
        dropped = len(ctx.privacy.masked) > before
        doc.notes.append(f"修改后的“{COMPLETION}”须与台账一致（本期拨付资金共{figure}）："
                         + ("其中与台账不符的拨付金额已删去，" if dropped else "")
                         + "已按台账写明拨付金额。")
    return result


def _stale_text(ctx: _Context, key: str) -> str:
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


def _fund_usage(ctx: _Context) -> NoticeDocument:
    doc = NoticeDocument("fund-usage", [ctx.project.name, f"{_year_label(ctx.req)}年经费使用情况公示"])
    blocks = doc.blocks
    sections = _Sections(blocks)
    sections.add("项目信息")
    blocks += _project_fields(ctx, full=True)
    sections.add("项目效果")
    _effects(ctx, blocks, suffix="慈善试点情况")
    sections.add("经费收支情况")
    sub = [0]
    _summary_part(ctx, blocks, sub)
    _spending_part(ctx, blocks, sub, budget=True)
    _donor_part(ctx, blocks, sub)
    _detail_part(ctx, blocks, sub)
    sections.add("物资收发情况")
    _goods_part(ctx, blocks)
    _closing(ctx, blocks, sections, photos=True)
    return doc


def _progress(ctx: _Context) -> NoticeDocument:
    req = ctx.req
    doc = NoticeDocument("progress", [ctx.project.name, "项目进展公示", f"（{_period_text(req.date_from, req.date_to)}）"])
    blocks = doc.blocks
    sections = _Sections(blocks)
    sections.add("项目信息")
    blocks += _project_fields(ctx, full=False)
    sections.add("本期进展")
    _effects(ctx, blocks, suffix="")
    spaces = list(ctx.session.exec(select(CharitySpace).where(
        CharitySpace.project_id == ctx.project.id, CharitySpace.deleted == False)  # noqa: E712
        .order_by(CharitySpace.created_at)))
    if spaces:
        from desktop_app.core.queries.spaces import milestones

        rows = []
        for space in spaces:
            done = [m for m in milestones(ctx.session, space.id) if m.milestone_date <= req.date_to]
            latest = done[-1] if done else None
            rows.append([space.name, f"{latest.percent if latest else 0}%",
                         f"{latest.milestone_date.isoformat()} {latest.note}".strip() if latest else "尚未开工"])
        blocks.append(_table([("慈善阵地", 3.2, "left"), ("建设进度", 1.3, "right"), ("最近进展", 4, "left")], rows,
                             caption="慈善阵地建设进度"))
    sections.add("本期经费收支")
    sub = [0]
    balances = _balances(ctx)
    income = sum(b["income"] for b in balances.values())
    expense = sum(b["expense"] for b in balances.values())
    closing = sum(b["closing"] for b in balances.values())
    restricted = sum(sum(b["restricted"].values()) for b in balances.values())
    blocks += [Field("本期收入", _money(income)), Field("本期支出", _money(expense)),
               Field("期末结余", _money(closing) + (f"，其中限定性结余{format_yuan(restricted)}" if restricted else ""))]
    by_in: dict[str, int] = defaultdict(int)
    for e in ctx.entries:
        if e.flow == "in":
            by_in[e.category or "（未分类）"] += e.amount_fen
    rows = [[c, format_yuan(v)] for c, v in sorted(by_in.items(), key=lambda kv: -kv[1])]
    blocks.append(_sub_heading(sub, "收入情况"))
    blocks.append(_table([("收入类别", 3, "left"), ("本期收入", 2.4, "right")], rows, [["合计", format_yuan(income)]],
                         caption="按收入类别"))
    _spending_part(ctx, blocks, sub, budget=False)
    _drafts_note(ctx, blocks)
    _closing(ctx, blocks, sections, photos=True)
    return doc


def _donations(ctx: _Context) -> NoticeDocument:
    req = ctx.req
    first = ctx.funds[0].name if len(ctx.funds) == 1 else ctx.project.name
    doc = NoticeDocument("donations", [first, "捐赠公示", f"（{_period_text(req.date_from, req.date_to)}）"])
    blocks = doc.blocks
    sections = _Sections(blocks)
    sections.add("资金捐赠")
    rows = _donation_rows(ctx)
    grand = 0
    for fund in ctx.funds:
        mine = [r for r in rows if r[0].fund_id == fund.id]
        if not mine:
            continue
        columns = [("日期", 1.7, "center"), ("捐赠方", 3, "left"), ("金额", 2, "right"), ("限定用途", 2.4, "left")]
        if req.show_receipt_no:
            columns.append(("捐赠票据号", 2.2, "center"))
        table_rows = []
        for e, amount, shown, restriction in mine:
            row = [e.entry_date.isoformat(), shown, format_yuan(amount), restriction or "非限定"]
            if req.show_receipt_no:
                row.append(" ".join(x for x in (e.receipt_code, e.receipt_no) if x) or "—")
            table_rows.append(row)
        total = sum(r[1] for r in mine)
        grand += total
        pad = [""] if req.show_receipt_no else []
        blocks.append(_table(columns, table_rows, [["合计", f"{len(mine)}笔", format_yuan(total), "", *pad],
                                                   [f"大写：{_capital(total)}"]],
                             caption=fund.name if len(ctx.funds) > 1 else ""))
    if not rows:
        blocks.append(Paragraph("本期没有收到资金捐赠。"))
    else:
        blocks.append(Paragraph(f"本期资金捐赠合计{_money(grand)}。未记录公开同意的捐赠人及匿名捐赠人统一列为“爱心人士”；"
                                "个人捐赠人的姓名按规定部分隐去。"))
    if ctx.drafts:
        blocks.append(Paragraph(f"注：另有{len(ctx.drafts)}笔捐赠尚未记账，未列入本公示。"))
    received, _issued = _goods(ctx)
    donated = [g for g in received if g.source in ("", "捐赠")]
    sections.add("物资捐赠")
    if donated:
        blocks.append(_goods_received_table(ctx, donated, donated_only=True))
    else:
        blocks.append(Paragraph("本期没有收到物资捐赠。"))
    _closing(ctx, blocks, sections, photos=False)
    return doc
