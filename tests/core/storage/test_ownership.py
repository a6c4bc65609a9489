"""Only the office that owns a record changes it: every service, tried against another office's records,
is refused by the journal with the same Chinese message, and nothing changes."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core.models import Category, Notice, Office, Record
from desktop_app.core.services import (
    activities,
    categories,
    goods,
    ledger,
    notices,
    photos,
    projects,
    settings,
    spaces,
)
from desktop_app.core.services.goods import GoodsReceiptInput
from desktop_app.core.storage.journal import NotOwner
from tests.core.activity_helpers import attach_project, concert, posted_expense
from tests.core.photo_files import jpeg
from tests.helpers import FUND_NAME, make_entry, table_rows

REFUSED = "由其他单位（万源市慈善会）登记，只有登记它的单位可以修改。请联系该单位修改，改好后通过数据同步传来。"


def all_rows(ws) -> dict:
    """Every table's rows, the journal included: equal means nothing changed."""
    return table_rows(ws.db_path)


@pytest.fixture
def county_owned(workspace, voucher_file, tmp_path):
    """Every record of the workspace handed to the county association, as a sync import would hold it."""
    project, sites = attach_project(workspace)
    expense = posted_expense(workspace, voucher_file)
    draft = ledger.add_entry(workspace, make_entry(workspace, "donation", "50", category="个人捐赠"))
    activity = activities.add_activity(workspace, concert(project, sites[0]))
    photo = photos.add_photos(workspace, [jpeg(tmp_path / "音乐会.jpg")], activity_id=activity.id).added[0]
    movement = goods.receive_goods(workspace, GoodsReceiptInput(
        fund_id=workspace.fund.id, movement_date=date(2024, 3, 2), item="大米", unit="袋", quantity="10", anonymous=True))
    space = spaces.add_space(workspace, spaces.SpaceInput(name="天池村慈善阵地", project_id=project.id))
    settings.set_setting(workspace, "notice.days", 10)
    county = Office(name="万源市慈善会", level="县级慈善会", division_code="511781000000", code_year=2024,
                    association_name="万源市慈善会")
    county.office_id = county.id
    local = workspace.local_office().id
    with workspace.sync_import_transaction() as s:
        s.add(county)
        s.add(Category(name="县级统筹", kind="expense", office_id=county.id))
        draft_notice = Notice(project_id=project.id, template="fund-usage", date_from=date(2024, 2, 1),
                              date_to=date(2024, 3, 31), title="县里导出的公示", office_id=county.id)
        published = Notice(project_id=project.id, template="fund-usage", date_from=date(2024, 2, 1),
                           date_to=date(2024, 2, 29), status="published", number="2024-001", number_year=2024,
                           number_seq=1, title="县里发布的公示", verification_code="ABCDE-FGHJK", office_id=county.id)
        s.add(draft_notice)
        s.add(published)
        for model in Record.__subclasses__():
            if hasattr(model, "__table__") and model not in (Office, Category):  # the lists stay this office's
                for row in s.exec(select(model).where(model.office_id == local)):
                    row.office_id = county.id
    return dict(project=project, sites=sites, expense=expense, draft=draft, activity=activity, photo=photo,
                movement=movement, space=space, tmp=tmp_path, voucher=voucher_file, county=county.id,
                draft_notice=draft_notice.id, published=published.id)


def attempts(ws, r):
    """Each user command, pointed at a record the county owns."""
    fund = ws.fund.id
    yield "project.update", lambda: projects.update_project(ws, r["project"].id, projects.ProjectInput(
        name="改名的项目", start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=Decimal(1)))
    yield "fund.update", lambda: projects.update_fund(ws, fund, projects.FundInput(name=FUND_NAME, purpose="县里改"))
    yield "fund.add under the county's project", lambda: projects.add_fund(
        ws, projects.FundInput(name="万源市慈善会青花镇立信社区基金", project_id=r["project"].id))
    yield "entry.add", lambda: ledger.add_entry(ws, make_entry(ws, "donation", "10", category="个人捐赠"))
    yield "entry.add_and_post", lambda: ledger.add_entry(ws, make_entry(ws, "allocation", "10"), post=True)
    yield "entry.import_drafts", lambda: ledger.import_drafts(ws, [make_entry(ws, "allocation", "10")])
    yield "entry.update", lambda: ledger.update_draft(ws, r["draft"].id, make_entry(ws, "donation", "60",
                                                                                     category="个人捐赠"))
    yield "entry.post", lambda: ledger.post_entry(ws, r["draft"].id)
    yield "entry.delete", lambda: ledger.delete_draft(ws, r["draft"].id)
    yield "entry.reverse", lambda: ledger.reverse_entry(ws, r["expense"].id, "金额录错")
    yield "fund.close_month", lambda: ledger.close_month(ws, fund, "2024-02", today=date(2024, 5, 1))
    yield "activity.add", lambda: activities.add_activity(ws, concert(r["project"], r["sites"][1], title="新活动"))
    yield "activity.update", lambda: activities.update_activity(ws, r["activity"].id,
                                                                concert(r["project"], r["sites"][0], title="改"))
    yield "activity.delete", lambda: activities.delete_activity(ws, r["activity"].id)
    yield "photo.add", lambda: photos.add_photos(ws, [jpeg(r["tmp"] / "另一张.jpg", seed=3)],
                                                 activity_id=r["activity"].id)
    yield "photo.update", lambda: photos.update_photo(ws, r["photo"].id, caption="县里写的说明")
    yield "photo.remove", lambda: photos.remove_photo(ws, r["photo"].id)
    yield "goods.receive", lambda: goods.receive_goods(ws, GoodsReceiptInput(
        fund_id=fund, movement_date=date(2024, 3, 5), item="食用油", unit="桶", quantity="5", anonymous=True))
    yield "goods.remove", lambda: goods.remove_movement(ws, r["movement"].id)
    yield "space.update", lambda: spaces.update_space(ws, r["space"].id, spaces.SpaceInput(name="改名的阵地"))
    yield "space.delete", lambda: spaces.delete_space(ws, r["space"].id)
    yield "category.set_active", lambda: categories.set_category_active(ws, category_id(ws), False)
    yield "entry.post_batch", lambda: ledger.post_batch(ws, "慈善一日捐", [make_entry(ws, "donation", "10", category="个人捐赠")],
                                                        1, Decimal(10))
    yield "notice.publish", lambda: notices.publish_notice(ws, r["draft_notice"], published_on=date(2024, 4, 2))
    yield "notice.correct", lambda: notices.publish_correction(ws, r["published"], "更正金额", published_on=date(2024, 4, 2))


def category_id(ws) -> str:
    with ws.reading() as s:
        return s.exec(select(Category).where(Category.name == "县级统筹")).one().id


def test_every_command_on_another_offices_record_is_refused_and_changes_nothing(workspace, county_owned):
    for name, attempt in attempts(workspace, county_owned):
        before = all_rows(workspace)
        with pytest.raises(NotOwner) as refused:
            attempt()
        assert REFUSED in str(refused.value), name
        assert all_rows(workspace) == before, name


def test_the_message_names_the_record(workspace, county_owned):
    with pytest.raises(NotOwner, match="^活动“八台慈善音乐会”由其他单位（万源市慈善会）登记"):
        activities.delete_activity(workspace, county_owned["activity"].id)


def test_a_record_can_be_neither_given_away_nor_taken_over(workspace, county_owned):
    mine = projects.add_project(workspace, projects.ProjectInput(
        name="本镇项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal(100)))
    county_id = county_owned["county"]
    with pytest.raises(NotOwner):
        with workspace.transaction("test.give_away") as s:
            s.get(type(mine), mine.id).office_id = county_id
    with pytest.raises(NotOwner):
        with workspace.transaction("test.take_over") as s:
            s.get(type(mine), county_owned["project"].id).office_id = workspace.local_office().id


def test_settings_belong_to_their_office(workspace, county_owned):
    """The county's copy of a setting is its own; this office's setting is a row of its own."""
    from desktop_app.core.queries.settings import local_setting, office_setting

    settings.set_setting(workspace, "notice.days", 15)
    with workspace.reading() as s:
        assert local_setting(s, "notice.days") == 15
        assert office_setting(s, county_owned["county"], "notice.days") == 10
