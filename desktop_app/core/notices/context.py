"""What every part of a notice reads: the resolved request, the project with its leaders, sites and funds,
the posted entries of the period (each with its effective type), the drafts left out, and the privacy
pass that every printed text goes through."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund, LedgerEntry, Project, ProjectLeader, Site
from desktop_app.core.notices.formats import period_text
from desktop_app.core.notices.redaction import PrivacyPass, new_privacy_pass, watch_names
from desktop_app.core.notices.request import (
    DraftLine,
    DraftsInPeriod,
    NoticeRequest,
    covered_entries,
    effective_types,
    live_project,
    resolve_request,
)
from desktop_app.core.queries.projects import project_funds, project_leaders, project_sites


@dataclass
class BuildContext:
    """One notice being built: what its parts read, and the privacy pass its texts go through."""

    session: Session
    root: Path
    req: NoticeRequest
    project: Project
    funds: list[Fund]
    leaders: list[ProjectLeader]
    sites: list[Site]
    privacy: PrivacyPass
    entries: list[LedgerEntry] = field(default_factory=list)  # posted, in the period, all funds
    kinds: dict[str, str] = field(default_factory=dict)  # entry id → effective type
    drafts: list[DraftLine] = field(default_factory=list)  # excluded drafts (exclude_drafts=True)

    @property
    def fund_names(self) -> dict[str, str]:
        return {f.id: f.name for f in self.funds}

    def income_of(self, kind: str, fund_id: str | None = None) -> int:
        """The period's income of one effective type (allocation, donation …), of one fund or of all."""
        return sum(e.amount_fen for e in self.entries
                   if e.flow == "in" and self.kinds[e.id] == kind and (fund_id is None or e.fund_id == fund_id))

    def expense_by(self, attr: str) -> dict[str, int]:
        """The period's expenses summed by an entry attribute (category, expense_class)."""
        out: dict[str, int] = defaultdict(int)
        for e in self.entries:
            if e.flow == "out":
                out[getattr(e, attr) or ("（未分类）" if attr == "category" else "其他")] += e.amount_fen
        return dict(out)

    def by_site(self, records, site_of) -> list[tuple[str, list, str]]:
        """Group records by site in the project's order; project-wide ones last as 项目整体. Each group comes
        with its site's name and a stable key part (the site's id, "project" for 项目整体)."""
        groups: dict[str | None, list] = defaultdict(list)
        for r in records:
            groups[site_of(r)].append(r)
        out = [(site.name, groups.pop(site.id), site.id) for site in self.sites if site.id in groups]
        rest = [r for key in list(groups) for r in groups.pop(key)]  # no site, or a site no longer live
        if rest:
            out.append(("项目整体", rest, "project"))
        return out


def build_context(session: Session, root: Path | str, request: NoticeRequest) -> BuildContext:
    """Everything a notice of `request` is built from; UserError when the project has no leaders (or a
    leader no phone) for a notice that names them, DraftsInPeriod when drafts fall in the period."""
    req = resolve_request(session, request)
    project = live_project(session, req.project_id)
    leaders = project_leaders(session, project.id)
    if req.template in ("fund-usage", "progress"):
        if not leaders:
            raise UserError(f"项目“{project.name}”还没有项目负责人。请先在“项目”页填写项目负责人和联系电话。")
        without = [ld.name for ld in leaders if not ld.phone.strip()]
        if without:
            raise UserError(f"项目负责人“{'、'.join(without)}”没有联系电话。请先在“项目”页填写项目负责人和联系电话。")
    sites = project_sites(session, project.id)
    funds = project_funds(session, project.id)
    ctx = BuildContext(session, Path(root), req, project, funds, leaders, sites, new_privacy_pass(leaders, req))
    _check_drafts(ctx)
    ctx.entries = covered_entries(session, replace(req, template="fund-usage"))
    ctx.kinds = effective_types(session, ctx.entries)
    watch_names(session, ctx.privacy, project.id, list(ctx.fund_names))
    return ctx


def _check_drafts(ctx: BuildContext) -> None:
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
        f"公示期间（{period_text(ctx.req.date_from, ctx.req.date_to)}）还有 {len(drafts)} 笔草稿没有记账，"
        "公示的数字会不完整。请先到“收支台账”核对后记账；或选择“不计入草稿”生成公示（草稿不列入公示，公示中会注明）。",
        drafts)
