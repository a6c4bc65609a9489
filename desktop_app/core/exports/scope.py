"""What an export covers, in the words of its title: the funds a report covers (one fund, a project's
funds or all of them), a period, and the bracketed list that follows a title, e.g. “（某基金，2024-04-01 至
2024-04-30）”."""

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from desktop_app.core.errors import UserError
from desktop_app.core.models import Fund, Project
from desktop_app.core.queries.projects import list_funds


def period_text(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f"{date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}"
    if date_from:
        return f"{date_from:%Y-%m-%d} 起"
    if date_to:
        return f"截至 {date_to:%Y-%m-%d}"
    return ""


def in_brackets(parts: Iterable[str]) -> str:
    words = "，".join(p for p in parts if p)
    return f"（{words}）" if words else ""


def fund_scope(session: Session, fund_id: str | None, project_id: str | None) -> tuple[list[str | None], str]:
    """The funds a report covers (None = every fund) and words for the title."""
    project = None
    if project_id:
        project = session.get(Project, project_id)
        if project is None or project.deleted:
            raise UserError("找不到所选的项目，它可能已被删除。请重新选择项目后再导出。")
    if fund_id:
        fund = session.get(Fund, fund_id)
        if fund is None or fund.deleted:
            raise UserError("找不到所选的社区基金，它可能已被删除。请重新选择基金后再导出。")
        if project is not None and fund.project_id != project.id:
            raise UserError(f"社区基金“{fund.name}”不属于项目“{project.name}”。请只选基金或只选项目，或选择该项目下的基金。")
        return [fund.id], fund.name
    if project is not None:
        funds = [f.id for f in list_funds(session) if f.project_id == project.id]
        return funds, project.name
    return [None], ""
