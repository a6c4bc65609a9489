"""The county's indicators per township (seeds 000 and 003): two townships copied into a county."""

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.models import SIX_HAVES, Notice
from desktop_app.core.notices.clock import office_disclosure
from desktop_app.core.queries import county as county_queries
from desktop_app.core.queries.projects import fund_balance, list_projects
from desktop_app.core.services import activities, projects, spaces
from desktop_app.core.services.activities import ActivityInput
from tests.county_helpers import copy_into_county, county, township

PERIOD = (date(2024, 1, 1), date(2024, 6, 30))


def add_pilot(ws, name: str, *, haves: int, volunteers: int = 3) -> None:
    """A project holding the township's fund, an activity with beneficiaries and a charity space."""
    project = projects.add_project(ws, projects.ProjectInput(
        name=name, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("2000")))
    fund = ws.fund
    projects.update_fund(ws, fund.id, projects.FundInput(name=fund.name, project_id=project.id))
    activities.add_activity(ws, ActivityInput(
        project_id=project.id, activity_type="慈善活动/募捐活动", title=f"{name}助老活动", start_date=date(2024, 4, 2),
        participants=40, volunteers=volunteers, volunteer_hours=Decimal("7.5"),
        beneficiaries={"老年人": 12, "儿童": 5}))
    spaces.add_space(ws, spaces.SpaceInput(name=f"{name}慈善驿站", project_id=project.id, haves={
        have: spaces.HaveInput(met=i < haves) for i, have in enumerate(SIX_HAVES)}))


def county_with_two_pilots(tmp_path):
    """Two townships with a pilot each (八台镇: 1,000.00 in, 250.50 out; 青花镇: 3,000.00 in, 200.25 out) and the
    county they sent their records to; all three left open."""
    a = township(tmp_path / "a")
    add_pilot(a, "八台镇试点", haves=6)
    b = township(tmp_path / "b", name="青花镇社工站", code="511781104000", fund="青花镇立信社区基金",
                 amounts=("3000", "120", "80.25"))
    add_pilot(b, "青花镇试点", haves=4, volunteers=2)
    cws = county(tmp_path / "county")
    copy_into_county(a, cws)
    copy_into_county(b, cws)
    return a, b, cws


@pytest.fixture
def two_townships(tmp_path):
    a, b, cws = county_with_two_pilots(tmp_path)
    yield a, b, cws
    for ws in (a, b, cws):
        ws.close(backup=False)


def test_balances_by_fund_equal_each_townships_own_and_totals_add_up(two_townships):
    a, b, cws = two_townships
    with cws.reading() as s:
        figures = county_queries.county_indicators(s, *PERIOD, today=date(2024, 7, 1), sync={},
                                                   disclosure=office_disclosure)
    assert figures.county == "万源市慈善会"
    by_name = {r.name: r for r in figures.offices}
    assert [r.name for r in figures.offices][0] == "万源市慈善会" and figures.offices[0].local
    for ws in (a, b):
        with ws.reading() as s:
            own = fund_balance(s, ws.fund.id)
        row = by_name[ws.local_office().name]
        assert row.balance_fen == own.balance_fen
        assert row.income_fen == own.income_fen and row.expense_fen == own.expense_fen
        assert [f.balance_fen for f in figures.funds if f.name == ws.fund.name] == [own.balance_fen]
    assert by_name["八台镇社工站"].balance_yuan == Decimal("749.50")
    assert by_name["青花镇社工站"].balance_yuan == Decimal("2799.75")
    assert isinstance(figures.total.balance_yuan, Decimal)
    assert figures.total.balance_yuan == Decimal("3549.25")
    for name in ("funds", "income_fen", "expense_fen", "balance_fen", "budget_fen", "spent_fen", "activities",
                 "volunteers", "volunteer_minutes", "surveys", "notices"):
        assert getattr(figures.total, name) == sum(getattr(r, name) for r in figures.offices), name
    assert figures.total.beneficiaries == {"老年人": 24, "儿童": 10}
    assert figures.groups == ["老年人", "儿童"]
    assert figures.total.volunteers == 5 and figures.total.volunteer_hours == Decimal("15")
    assert by_name["八台镇社工站"].spent_percent == Decimal("12.5")  # 250.50 of 2000
    assert sorted(s.haves for s in figures.total.spaces) == [4, 6]
    assert figures.total.spaces_complete == 1 and figures.spaces_short == 3
    assert by_name["八台镇社工站"].last_package == "—" and by_name["八台镇社工站"].missing_packages == "—"


def test_period_narrows_money_and_activities_not_the_balance(two_townships):
    _, _, cws = two_townships
    with cws.reading() as s:
        later = county_queries.county_indicators(s, date(2024, 7, 1), date(2024, 12, 31), sync={})
    assert later.total.income_fen == 0 and later.total.activities == 0
    assert later.total.balance_yuan == Decimal("3549.25")  # balances at the period's end


def test_overdue_notices_per_township(two_townships):
    _, _, cws = two_townships
    with cws.reading() as s:  # the projects started 2024-01-01: the June report was due by 30 June
        figures = county_queries.county_indicators(s, date(2024, 1, 1), date(2024, 8, 31),
                                                   today=date(2024, 9, 1), disclosure=office_disclosure)
    by_name = {r.name: r for r in figures.offices}
    assert by_name["八台镇社工站"].overdue and by_name["青花镇社工站"].overdue
    assert not by_name["万源市慈善会"].overdue
    assert len(figures.total.overdue) == len(by_name["八台镇社工站"].overdue) + len(by_name["青花镇社工站"].overdue)


def test_sync_hook_fills_the_package_columns(two_townships):
    a, _, cws = two_townships
    office_id = a.local_office().id
    with cws.reading() as s:
        figures = county_queries.county_indicators(s, *PERIOD, sync={
            office_id: county_queries.SyncState(3, "2024-06-02", (4, 5))})
    row = next(r for r in figures.offices if r.office_id == office_id)
    assert row.last_package == "第 3 号（2024-06-02）" and row.missing_packages == "第 4 号、第 5 号"


def test_refused_outside_county_mode_and_for_a_bad_period(two_townships):
    a, _, cws = two_townships
    with a.reading() as s, pytest.raises(UserError, match="不是县级慈善会"):
        county_queries.county_indicators(s, *PERIOD)
    with cws.reading() as s, pytest.raises(UserError, match="起始日期"):
        county_queries.county_indicators(s, date(2024, 6, 1), date(2024, 1, 1))


def test_a_notice_published_after_its_project_fell_overdue_counts_late(two_townships):
    a, _, cws = two_townships
    office_id = a.local_office().id
    with cws.reading() as s:
        project = next(p for p in list_projects(s) if p.office_id == office_id)
        on_time = Notice(project_id=project.id, template="progress", date_from=date(2024, 1, 1),
                         date_to=date(2024, 2, 29), status="published", published_on=date(2024, 3, 15),
                         office_id=office_id)
        late = Notice(project_id=project.id, template="progress", date_from=date(2024, 1, 1),
                      date_to=date(2024, 3, 31), status="published", published_on=date(2024, 5, 2),
                      office_id=office_id)  # the first quarter's was due by 1 April
        count, overdue = office_disclosure(s, office_id, [on_time, late], date(2024, 3, 20))
    assert count == 1 and overdue == []
