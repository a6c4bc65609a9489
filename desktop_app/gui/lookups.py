"""The short lists the forms offer: funds, categories and restricted purposes (read in one go), and the
projects."""

from dataclasses import dataclass, field

from sqlalchemy import text

from desktop_app.core.queries.categories import local_categories
from desktop_app.core.queries.projects import list_funds, project_choices
from desktop_app.core.storage import identity
from desktop_app.core.storage.workspace import Workspace


@dataclass(frozen=True)
class Lookups:
    funds: list[tuple[str, str]] = field(default_factory=list)  # (id, name) of the funds this office keeps
    income_categories: list[str] = field(default_factory=list)
    expense_categories: list[str] = field(default_factory=list)
    restrictions: dict[str, list[str]] = field(default_factory=dict)  # fund id → purposes used so far
    # every fund shown, as (id, name, office id): at the county its townships' too (read, never written)
    shown_funds: list[tuple[str, str, str]] = field(default_factory=list)

    def categories(self, entry_type: str) -> list[str]:
        return self.expense_categories if entry_type == "expense" else self.income_categories

    def categories_for(self, entry_type: str) -> list[str]:
        """The categories that fit an entry type: a donation is not a 拨款 (项目拨款, 慈善会拨付), an allocation
        not a 捐赠; categories that say neither fit both."""
        if entry_type == "expense":
            return list(self.expense_categories)
        unfit = "拨" if entry_type == "donation" else "捐"
        return [c for c in self.income_categories if unfit not in c] or list(self.income_categories)

    def default_category(self, entry_type: str, counterparty_kind: str = "") -> str:
        """What the entry dialog proposes: 项目拨款 for an allocation, 个人捐赠 or 企业捐赠 (by who gives) for a
        donation, the first expense category for an expense; the first that fits when those are not listed."""
        choices = self.categories_for(entry_type)
        if entry_type == "allocation":
            wanted = ["项目拨款"] + [c for c in choices if "拨" in c]
        elif entry_type == "donation":
            giver = "个人捐赠" if counterparty_kind in ("", "个人") else "企业捐赠"
            wanted = [giver] + [c for c in choices if "捐" in c]
        else:
            wanted = []
        return next((c for c in wanted if c in choices), choices[0] if choices else "")

    @property
    def all_categories(self) -> list[str]:
        return list(dict.fromkeys(self.income_categories + self.expense_categories))


def load_lookups(ws: Workspace) -> Lookups:
    with ws.reading() as s:
        shown = [(f.id, f.name, f.office_id) for f in list_funds(s)]
        own = identity.local_office_id(s) if identity.is_county(s) else None  # the forms write in its funds only
        funds = [(fid, name) for fid, name, office in shown if own is None or office == own]
        income = [c.name for c in local_categories(s, "income")]
        expense = [c.name for c in local_categories(s, "expense")]
        restrictions: dict[str, list[str]] = {}
        rows = s.execute(text("SELECT DISTINCT fund_id, restriction FROM ledger_entry "
                              "WHERE restriction != '' AND deleted = 0 ORDER BY restriction"))
        for fund_id, purpose in rows:
            restrictions.setdefault(fund_id, []).append(purpose)
    return Lookups(funds, income, expense, restrictions, shown_funds=shown)


def load_project_choices(ws: Workspace) -> list[tuple[str, str]]:
    """Every project as (id, name), for a project combo or a choice list."""
    with ws.reading() as s:
        return project_choices(s)
