"""What a notice is built from: the request (project, template, period, 公示期, supervision phones, wording
edits), its defaults, the posted entries it covers, and its stored form (JSON, recorded with every notice
so that verification rebuilds it exactly).

Decisions (see the tests):
- By default a notice runs through the last complete month: publishing closes the months it covers.
- The progress notice covers the three months before its end: whole months when it ends on a month end.
- Unposted entries in the period stop the build (DraftsInPeriod) unless the request leaves them out.
"""

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.documents.model import chinese_date
from desktop_app.core.errors import UserError
from desktop_app.core.models import LedgerEntry, Office, Project
from desktop_app.core.money import format_yuan
from desktop_app.core.months import add_months, is_month_end, previous_month_end
from desktop_app.core.notices.wording import check_edits
from desktop_app.core.queries.projects import project_funds
from desktop_app.core.queries.settings import local_setting, office_setting
from desktop_app.core.settings import DEFAULTS
from desktop_app.core.storage.identity import local_office

TEMPLATES = {"fund-usage": "经费使用情况公示", "progress": "项目进展公示", "donations": "捐赠公示"}
HOTLINE = ("政务服务便民热线", "12345")
PROGRESS_MONTHS = 3  # 慈善法 第79条: progress of a project longer than 6 months at least every 3 months


@dataclass
class NoticeRequest:
    """What notice to build: every field but the project may be left to its default (`resolve_request`)."""

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
    # stored with the request so that verification rebuilds the edited document. See notices.wording.
    edits: dict[str, str | dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftLine:
    """An unposted entry in a notice's period, as the builder lists it."""

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


def _setting(session: Session, key: str, project: Project | None = None):
    """The setting of the office the notice is of (its project's: a county rebuilding a township's notice
    uses the township's); blank phones print as a line to fill in by hand."""
    office = signing_office(session, project)
    value = office_setting(session, office.id, key) if office else local_setting(session, key)
    return DEFAULTS[key] if value in (None, "") else value


def _quarter_start(date_to: date) -> date:
    """The first day of the three months ending on `date_to`: whole months when it is a month end
    (2025-02-28 → 2024-12-01), else the day after the same day three months before."""
    if is_month_end(date_to):
        return add_months(date_to.replace(day=1), 1 - PROGRESS_MONTHS)
    return add_months(date_to, -PROGRESS_MONTHS) + timedelta(days=1)


def live_project(session: Session, project_id: str) -> Project:
    """The project a notice is about; UserError when it is gone."""
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
    project = live_project(session, request.project_id)
    today = request.today or date.today()
    start, end = project.start_date, project.end_date
    # by default through the last complete month: publishing closes the months the notice covers
    last_complete = previous_month_end(today)
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
    days = max(1, int(_setting(session, "notice.days", project)))
    notice_end = request.notice_end or notice_start + timedelta(days=days - 1)
    if notice_end < notice_start:
        raise UserError(f"公示期的结束日期（{chinese_date(notice_end)}）早于开始日期（{chinese_date(notice_start)}）。"
                        "请重新选择公示期。")
    supervision = request.supervision
    if supervision is None:
        supervision = [(association_name(session, project),
                        str(_setting(session, "notice.association_phone", project))),
                       (str(_setting(session, "notice.civil_affairs_name", project)),
                        str(_setting(session, "notice.civil_affairs_phone", project))),
                       HOTLINE]
    return replace(request, date_from=date_from, date_to=date_to, written_on=written_on, notice_start=notice_start,
                   notice_end=notice_end, supervision=[(label, phone) for label, phone in supervision], today=today,
                   edits=check_edits(request.edits))


def signing_office(session: Session, project: Project | None = None) -> Office | None:
    """The office that publishes notices of `project`: the one that owns it (in a county's workspace, a
    township's), else this workspace's office (before init, any office the data holds)."""
    owner = session.get(Office, project.office_id) if project is not None and project.office_id else None
    return owner or local_office(session) or session.exec(select(Office).where(Office.deleted == False)).first()  # noqa: E712


def association_name(session: Session, project: Project) -> str:
    """The 慈善会 that supervises the notice: this office's, else the one named on the project's fund."""
    office = signing_office(session, project)
    if office and office.association_name:
        return office.association_name
    fund = next(iter(project_funds(session, project.id)), None)
    return (fund.association_name if fund else "") or "慈善会"


def covered_entries(session: Session, request: NoticeRequest) -> list[LedgerEntry]:
    """The posted entries a notice covers: those of the project's funds dated in its period (for the
    donations notice only donations and their reversals), by fund then voucher order."""
    req = resolve_request(session, request)
    funds = project_funds(session, req.project_id)
    if not funds:
        return []
    order = {f.id: i for i, f in enumerate(funds)}
    entries = list(session.exec(select(LedgerEntry).where(
        LedgerEntry.fund_id.in_(list(order)), LedgerEntry.status == "posted", LedgerEntry.deleted == False,  # noqa: E712
        LedgerEntry.entry_date >= req.date_from, LedgerEntry.entry_date <= req.date_to)))
    if req.template == "donations":
        kinds = effective_types(session, entries)
        entries = [e for e in entries if kinds[e.id] == "donation"]
    return sorted(entries, key=lambda e: (order[e.fund_id], e.voucher_year or 0, e.voucher_seq or 0, e.entry_date))


def effective_types(session: Session, entries: list[LedgerEntry]) -> dict[str, str]:
    """entry id → its type, a reversal counting as the type of the entry it reverses."""
    originals = {e.reverses_id for e in entries if e.entry_type == "reversal" and e.reverses_id}
    known = {e.id: e.entry_type for e in entries}
    missing = [i for i in originals if i not in known]
    if missing:
        for e in session.exec(select(LedgerEntry).where(LedgerEntry.id.in_(missing))):
            known[e.id] = e.entry_type
    return {e.id: (known.get(e.reverses_id or "", "reversal") if e.entry_type == "reversal" else e.entry_type)
            for e in entries}


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return str(value)
    return str(value)


def request_to_json(request: NoticeRequest) -> str:
    """The request as recorded with a notice (sorted keys, dates as ISO text)."""
    data = {f.name: getattr(request, f.name) for f in dataclasses.fields(request)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_json_default)


def _revive(value, hint):
    """A JSON value back into the type a dataclass field declares (dates, tuples, nested dataclasses)."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if arg is type(None):
                continue
            try:
                return _revive(value, arg)
            except (TypeError, ValueError):
                continue
        return value
    if hint is date and isinstance(value, str):
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        hints = typing.get_type_hints(hint)
        return hint(**{k: _revive(v, hints.get(k, typing.Any)) for k, v in value.items()})
    if origin is tuple and isinstance(value, list):
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_revive(v, args[0]) for v in value)
        if args and len(args) == len(value):
            return tuple(_revive(v, a) for v, a in zip(value, args, strict=True))
        return tuple(value)
    if origin is list and isinstance(value, list):
        args = typing.get_args(hint)
        return [_revive(v, args[0] if args else typing.Any) for v in value]
    if hint is tuple and isinstance(value, list):
        return tuple(value)
    return value


def request_from_json(text: str) -> NoticeRequest:
    """A recorded request back, its fields typed again; keys it no longer has (older records) are left out."""
    data = json.loads(text)
    hints = typing.get_type_hints(NoticeRequest)
    known = {f.name for f in dataclasses.fields(NoticeRequest)}
    return NoticeRequest(**{k: _revive(v, hints.get(k, typing.Any)) for k, v in data.items() if k in known})
