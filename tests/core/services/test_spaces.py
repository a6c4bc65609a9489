from datetime import date

import pytest
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import SIX_HAVES, CharitySpace
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.services import activities, spaces
from desktop_app.core.services.spaces import HaveInput, MilestoneInput, SpaceInput
from tests.core.activity_helpers import attach_project, concert


def container_station(project, site, **extra) -> SpaceInput:
    values = dict(name="Ai青花慈善服务阵地", project_id=project.id, site_id=site.id, kind="集装箱服务站",
                  address="青花镇立信社区", opened_on=date(2024, 10, 1),
                  milestones=[MilestoneInput(date(2024, 6, 1), 30, "方案设计"), MilestoneInput(date(2024, 9, 1), 100, "建成")])
    values.update(extra)
    return SpaceInput(**values)


def test_space_progress_haves_and_evidence(workspace):
    project, sites = attach_project(workspace)
    meeting = activities.add_activity(workspace, concert(project, sites[0], title="青花慈善阵地揭牌"))
    space = spaces.add_space(workspace, container_station(project, sites[0], haves={
        "有场所": HaveInput(True, "集装箱两个"), "有活动": HaveInput(True, evidence=[("activity", meeting.id)])}))
    assert space.progress == 100
    with workspace.reading() as s:
        assert space_queries.haves_met(s, space.id) == ["有场所", "有活动"]
        data = spaces.space_input(s, space.id)
        assert set(data.haves) == set(SIX_HAVES)
        assert data.haves["有活动"].evidence == [("activity", meeting.id)]
        assert space_queries.describe_evidence(s, "activity", meeting.id) == "活动：2024-12-27 青花慈善阵地揭牌"
    data.milestones.append(MilestoneInput(date(2024, 12, 1), 100, "验收"))
    data.haves["有活动"].evidence = []
    spaces.update_space(workspace, space.id, data)
    with workspace.reading() as s:
        assert spaces.space_input(s, space.id).haves["有活动"].evidence == []
        assert len(space_queries.milestones(s, space.id)) == 3


@pytest.mark.parametrize(("change", "message"), [
    ({"milestones": [MilestoneInput(date(2024, 6, 1), 120)]}, "0 到 100"),
    ({"milestones": [MilestoneInput(date(2024, 6, 1), 70), MilestoneInput(date(2024, 7, 1), 40)]}, "进度只能增加"),
    ({"name": ""}, "请填写阵地名称"),
    ({"haves": {"有钱": HaveInput(True)}}, "不是“六有”之一"),
])
def test_bad_space_input_is_refused(workspace, change, message):
    project, sites = attach_project(workspace)
    with pytest.raises(UserError, match=message):
        spaces.add_space(workspace, container_station(project, sites[0], **change))
    with workspace.reading() as s:
        assert list(s.exec(select(CharitySpace))) == []


def test_a_space_in_use_by_activities_is_not_deleted(workspace):
    project, sites = attach_project(workspace)
    space = spaces.add_space(workspace, container_station(project, sites[0]))
    activities.add_activity(workspace, concert(project, sites[0], space_id=space.id))
    with pytest.raises(UserError, match="还有活动记录在用"):
        spaces.delete_space(workspace, space.id)
