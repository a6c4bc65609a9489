from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core import quantities
from desktop_app.core.errors import UserError
from desktop_app.core.models import Activity, BeneficiaryCount, ChangeJournal
from desktop_app.core.queries import activities as activity_queries
from desktop_app.core.queries import photos as photo_queries
from desktop_app.core.queries.activities import ActivityFilter, activity_stats, list_activities
from desktop_app.core.services import activities, categories
from desktop_app.core.services.activities import NamedInput
from tests.core.activity_helpers import attach_project, concert, posted_expense


@pytest.fixture
def pilot(workspace):
    project, sites = attach_project(workspace)
    return workspace, project, sites


def _count(ws, model=Activity):
    with ws.reading() as s:
        return len(list(s.exec(select(model).where(model.deleted == False))))  # noqa: E712


def _journal_rows(ws):
    with ws.reading() as s:
        return len(list(s.exec(select(ChangeJournal))))


def test_add_activity_with_groups_named_people_and_cost(pilot, voucher_file):
    ws, project, sites = pilot
    expense = posted_expense(ws, voucher_file, "1200.50")
    data = concert(project, sites[1], beneficiaries={"老年人": "40", "儿童": 60}, volunteers="12", volunteer_hours="7.5",
                   named=[NamedInput("张小明", "儿童", "困境儿童", "13900000000", False)], expense_ids=[expense.id],
                   public=True)
    activity = activities.add_activity(ws, data)
    with ws.reading() as s:
        detail = activity_queries.activity_detail(s, activity.id)
        rows = list_activities(s)
    assert detail.beneficiaries == {"老年人": 40, "儿童": 60}
    assert detail.cost_fen == 120050
    assert activity.volunteer_minutes == 450 and activity.public_order == 1
    assert rows[0].cost_fen == 120050 and rows[0].beneficiaries == 100 and rows[0].site_name == "八台镇天池村"
    assert rows[0].volunteer_hours == Decimal("7.5")


def test_edit_round_trips_and_tombstones_removed_groups(pilot):
    ws, project, sites = pilot
    activity = activities.add_activity(ws, concert(project, sites[1], beneficiaries={"老年人": 40, "儿童": 60}))
    with ws.reading() as s:
        data = activities.activity_input(s, activity.id)
    data.beneficiaries = {"老年人": 45}
    data.end_date = date(2024, 12, 28)
    activities.update_activity(ws, activity.id, data)
    with ws.reading() as s:
        detail = activity_queries.activity_detail(s, activity.id)
        dead = list(s.exec(select(BeneficiaryCount).where(BeneficiaryCount.deleted == True)))  # noqa: E712
    assert detail.beneficiaries == {"老年人": 45} and detail.activity.end_date == date(2024, 12, 28)
    assert [d.group_name for d in dead] == ["儿童"]


def test_public_order_is_kept_per_project(pilot):
    ws, project, sites = pilot
    first = activities.add_activity(ws, concert(project, sites[0], title="青花试点工作讨论会", public=True))
    second = activities.add_activity(ws, concert(project, sites[1], public=True))
    hidden = activities.add_activity(ws, concert(project, sites[1], title="内部碰头会"))
    assert (first.public_order, second.public_order, hidden.public_order) == (1, 2, 0)
    with ws.reading() as s:
        shown = list_activities(s, ActivityFilter(project_id=project.id, public_only=True), order="notice")
    assert [r.title for r in shown] == ["青花试点工作讨论会", "八台慈善音乐会"]


@pytest.mark.parametrize(("change", "message"), [
    ({"participants": -5}, "参与人数不能是负数"),
    ({"participants": "12.5"}, "参与人数“12.5”不是整数"),
    ({"volunteers": "三个"}, "志愿者人数“三个”不是整数"),
    ({"volunteer_hours": "-2"}, "志愿服务时长不能是负数"),
    ({"beneficiaries": {"儿童": -3}}, "不能是负数"),
    ({"beneficiaries": {"外星人": 3}}, "受益群体“外星人”不在群体表里"),
    ({"end_date": date(2024, 12, 1)}, "早于开始日期"),
    ({"title": "  "}, "请填写活动名称"),
    ({"activity_type": "聚餐"}, "活动类型“聚餐”不在类型表里"),
    ({"title": "音乐会\n第二行"}, "控制字符"),
])
def test_bad_activity_input_is_refused_and_nothing_written(pilot, change, message):
    ws, project, sites = pilot
    before = _journal_rows(ws)
    with pytest.raises(UserError, match=message):
        activities.add_activity(ws, concert(project, sites[1], **change))
    assert _count(ws) == 0 and _journal_rows(ws) == before


def test_expense_from_another_project_is_refused(pilot, voucher_file):
    ws, project, sites = pilot
    expense = posted_expense(ws, voucher_file)
    other, _ = attach_project(ws, name="另一个试点项目")  # moves the fund (and its expense) to the other project
    before = _journal_rows(ws)
    with pytest.raises(UserError, match="属于其他项目的基金"):
        activities.add_activity(ws, concert(project, sites[1], expense_ids=[expense.id]))
    assert _count(ws) == 0 and _journal_rows(ws) == before
    assert other.id != project.id


def test_site_of_another_project_is_refused(pilot):
    ws, project, sites = pilot
    other, other_sites = attach_project(ws, name="另一个试点项目")
    with pytest.raises(UserError, match="不属于项目"):
        activities.add_activity(ws, concert(project, other_sites[0]))


def test_delete_and_restore_keep_the_activity_whole(pilot):
    ws, project, sites = pilot
    activity = activities.add_activity(ws, concert(project, sites[1], beneficiaries={"儿童": 60}))
    activities.delete_activity(ws, activity.id)
    with ws.reading() as s:
        assert list_activities(s) == []
        assert activity_stats(s).beneficiaries == {}
    activities.restore_activity(ws, activity.id)
    with ws.reading() as s:
        assert activity_stats(s).beneficiaries == {"儿童": 60}


def test_statistics_by_type_month_site_group_and_spending(pilot, voucher_file):
    ws, project, sites = pilot
    expense = posted_expense(ws, voucher_file, "800")
    activities.add_activity(ws, concert(project, sites[1], beneficiaries={"儿童": 60}, expense_ids=[expense.id],
                                        volunteer_hours=3))
    activities.add_activity(ws, concert(project, sites[0], title="社区赋能培训", activity_type="培训",
                                        start_date=date(2024, 11, 5), participants=30, beneficiaries={"妇女": 20}))
    activities.add_activity(ws, concert(project, None, title="项目启动会", activity_type="工作会议",
                                        start_date=date(2024, 3, 2), participants=25))
    with ws.reading() as s:
        stats = activity_stats(s, ActivityFilter(project_id=project.id))
        december = activity_stats(s, ActivityFilter(date_from=date(2024, 12, 1), date_to=date(2024, 12, 31)))
        found = list_activities(s, ActivityFilter(text="赋能"))
    assert stats.activities == 3 and stats.participants == 205
    assert stats.by_type == {"工作会议": 1, "培训": 1, "慈善活动/募捐活动": 1}
    assert stats.by_month == {"2024-03": 1, "2024-11": 1, "2024-12": 1}
    assert stats.by_site == {"项目整体": 1, "青花镇立信社区": 1, "八台镇天池村": 1}
    assert stats.beneficiaries == {"儿童": 60, "妇女": 20}
    assert stats.cost_by_type["慈善活动/募捐活动"] == 80000 and stats.volunteer_hours == 3
    assert december.activities == 1 and [r.title for r in found] == ["社区赋能培训"]


def test_activity_types_are_data(pilot):
    ws, project, sites = pilot
    categories.add_category(ws, "助学", "activity_type")
    activity = activities.add_activity(ws, concert(project, sites[0], activity_type="助学"))
    assert activity.activity_type == "助学"


@pytest.mark.parametrize(("minutes", "text"), [(450, "7.5"), (600, "10"), (6000, "100"), (20, "0.33"), (0, "0")])
def test_hours_are_written_the_way_people_write_them(minutes, text):
    assert quantities.hours_text(minutes) == text


def test_an_activity_moved_to_another_project_takes_its_photos_along(pilot, tmp_path):
    from PIL import Image

    from desktop_app.core.services import photos

    ws, project, sites = pilot
    activity = activities.add_activity(ws, concert(project, sites[1]))
    picture = tmp_path / "concert.jpg"
    Image.new("RGB", (64, 48), "red").save(picture)
    photos.add_photos(ws, [picture], activity_id=activity.id)
    other, _ = attach_project(ws, name="另一个试点项目")
    with ws.reading() as s:
        data = activities.activity_input(s, activity.id)
    data.project_id, data.site_id = other.id, None
    activities.update_activity(ws, activity.id, data)
    with ws.reading() as s:
        assert photo_queries.count_photos(s, project_id=other.id) == 1
        assert photo_queries.count_photos(s, project_id=project.id) == 0
