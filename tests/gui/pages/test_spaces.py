"""慈善阵地 page: adding a space with milestones and six-haves evidence, refusals, editing, deleting."""

from datetime import date

import pytest
from PySide6.QtCore import QDate
from sqlmodel import select

from desktop_app.core.models import CharitySpace
from desktop_app.core.queries import spaces as space_queries
from desktop_app.core.services import activities, spaces
from desktop_app.core.services.spaces import HaveInput, MilestoneInput, SpaceInput
from desktop_app.gui.pages.spaces import SpacesPage
from tests.core.activity_helpers import attach_project, concert, posted_expense
from tests.gui.conftest import close_discarding, wait_idle


@pytest.fixture
def page(qtbot, ctx):
    widget = SpacesPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, ctx.runner)
    yield widget
    widget.shutdown()


def live_spaces(ws) -> list[CharitySpace]:
    with ws.reading() as s:
        return list(s.exec(select(CharitySpace).where(CharitySpace.deleted == False)))  # noqa: E712


def fill_basics(dialog, name="八台镇天池村慈善阵地"):
    dialog.name.setText(name)
    dialog.kind.setEditText("村(社区)活动室")
    dialog.address.setText("八台镇天池村村委会一楼")


def test_add_space_with_milestones_and_haves(qtbot, page, monkeypatch):
    ws = page.ctx.ws
    project, sites = attach_project(ws)
    activity = activities.add_activity(ws, concert(project, sites[1]))
    dialog = page.add_space()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.project.currentData() == project.id  # the only project is chosen
    dialog.site.setCurrentIndex(dialog.site.findData(sites[1].id))
    fill_basics(dialog)
    dialog.has_opened.setChecked(True)
    dialog.opened.setDate(QDate(2024, 10, 1))
    dialog.add_milestone_row(date(2024, 5, 10), 30, "完成选址和设计")
    dialog.add_milestone_row(date(2024, 8, 20), 70, "主体改造完成")
    dialog.haves["有场所"].met.setChecked(True)
    dialog.haves["有场所"].note_edit.setText("村委会一楼 80 平方米")
    offered = []
    monkeypatch.setattr("desktop_app.gui.prompts.choose_many",
                        lambda _p, _t, _l, items: offered.extend(items) or [0])
    dialog.haves["有活动"].add_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert offered == ["活动：2024-12-27 八台慈善音乐会"]
    assert dialog.haves["有活动"].met.isChecked()  # evidence added: the have is ticked
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()

    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row == ["八台镇天池村慈善阵地", "村(社区)活动室", "八台镇天池村", "八台镇天池村村委会一楼", "2024-10-01",
                   "70%", "2/6"]
    assert page.milestones_model.rowCount() == 2 and page.milestones_model.index(1, 1).data() == "70%"
    haves = {page.haves_model.index(r, 0).data(): [page.haves_model.index(r, c).data() for c in (1, 2, 3)]
             for r in range(page.haves_model.rowCount())}
    assert haves["有场所"] == ["✓ 已具备", "村委会一楼 80 平方米", ""]
    assert haves["有活动"] == ["✓ 已具备", "", "活动：2024-12-27 八台慈善音乐会"]
    assert haves["有资金"][0] == "✗ 未具备"
    space_id = live_spaces(ws)[0].id
    with ws.reading() as s:
        assert space_queries.haves_met(s, space_id) == ["有场所", "有活动"]
        assert spaces.space_input(s, space_id).haves["有活动"].evidence == [("activity", activity.id)]


def test_milestone_over_100_percent_shows_the_message_and_writes_nothing(qtbot, page):
    dialog = page.add_space()
    wait_idle(qtbot, page.ctx.runner)
    fill_basics(dialog)
    dialog.add_milestone_row(date(2024, 5, 10), 120, "")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.isVisible()
    assert dialog.message.text() == "2024-05-10 的建设进度 120% 不对。请填写 0 到 100 之间的整数。"
    assert dialog.name.text() == "八台镇天池村慈善阵地" and dialog.milestones.rowCount() == 1
    assert live_spaces(page.ctx.ws) == []
    close_discarding(dialog)  # typed: closing asks


def test_a_bad_milestone_date_is_explained(qtbot, page):
    dialog = page.add_space()
    wait_idle(qtbot, page.ctx.runner)
    fill_basics(dialog)
    dialog.add_milestone_row(date(2024, 5, 10), 30)
    dialog.milestones.item(0, 0).setText("2024-02-30")
    dialog.save()
    assert "建设进度第 1 行的日期“2024-02-30”不存在" in dialog.message.text()
    dialog.milestones.item(0, 0).setText("2024-02-03")
    dialog.milestones.item(0, 1).setText("50%")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert page.model.index(0, 5).data() == "50%"


def test_evidence_needs_a_project(qtbot, page, messages):
    dialog = page.add_space()
    wait_idle(qtbot, page.ctx.runner)
    dialog.haves["有人员"].add_button.click()
    assert "请先选择“所属项目”" in messages[-1]
    dialog.reject()


def test_edit_keeps_evidence_and_adds_an_expense(qtbot, page, monkeypatch, voucher_file):
    ws = page.ctx.ws
    project, sites = attach_project(ws)
    activity = activities.add_activity(ws, concert(project, sites[0]))
    expense = posted_expense(ws, voucher_file, summary="阵地桌椅购置")
    spaces.add_space(ws, SpaceInput(
        name="Ai青花慈善服务阵地", project_id=project.id, site_id=sites[0].id, kind="集装箱服务站",
        milestones=[MilestoneInput(date(2024, 4, 1), 100, "建成")],
        haves={"有活动": HaveInput(True, "", [("activity", activity.id)])}))
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    assert page.model.index(0, 5).data() == "100%" and page.model.index(0, 6).data() == "1/6"
    dialog = page.edit_space()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.name.text() == "Ai青花慈善服务阵地" and dialog.site.currentData() == sites[0].id
    assert dialog.haves["有活动"].evidence.item(0).text() == "活动：2024-12-27 八台慈善音乐会"
    monkeypatch.setattr("desktop_app.gui.prompts.choose_many",
                        lambda _p, _t, _l, items: [items.index(next(i for i in items if "阵地桌椅购置" in i))])
    dialog.haves["有资金"].add_button.click()
    wait_idle(qtbot, page.ctx.runner)
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible(), dialog.message.text()
    assert page.model.index(0, 6).data() == "2/6"
    space_id = live_spaces(ws)[0].id
    with ws.reading() as s:
        haves = spaces.space_input(s, space_id).haves
    assert haves["有活动"].evidence == [("activity", activity.id)]
    assert haves["有资金"].evidence == [("entry", expense.id)]


def test_delete_asks_first(qtbot, page, monkeypatch):
    ws = page.ctx.ws
    spaces.add_space(ws, SpaceInput(name="Ai青花慈善服务阵地"))
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: False)
    page.delete_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert len(live_spaces(ws)) == 1
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    page.delete_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert live_spaces(ws) == [] and page.model.rowCount() == 0
    assert "还没有慈善阵地" in page.info.text() and not page.edit_button.isEnabled()


def test_photos_of_a_space_are_added_shown_and_offered_as_evidence(qtbot, page, monkeypatch, tmp_path, messages):
    from PIL import Image

    ws = page.ctx.ws
    project, sites = attach_project(ws)
    spaces.add_space(ws, SpaceInput(name="Ai青花慈善服务阵地", project_id=project.id, site_id=sites[0].id))
    picture = tmp_path / "阵地揭牌.jpg"
    Image.new("RGB", (640, 480), (40, 120, 180)).save(picture)
    (tmp_path / "说明.txt").write_text("不是照片")
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    monkeypatch.setattr("desktop_app.gui.prompts.open_photos", lambda *_a: [picture, tmp_path / "说明.txt"])
    page.add_photos_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert "已添加 1 张照片" in messages[-1] and "说明.txt" in messages[-1]
    assert page.photos.rowCount() == 1

    photo_id = page.photos.photo_ids()[0]
    monkeypatch.setattr("desktop_app.gui.prompts.ask_text", lambda *_a: "阵地揭牌仪式")
    page.edit_caption(photo_id)
    wait_idle(qtbot, page.ctx.runner)
    assert page.photos.tile(0).caption == "阵地揭牌仪式"

    dialog = page.edit_space()
    wait_idle(qtbot, page.ctx.runner)
    offered = []
    monkeypatch.setattr("desktop_app.gui.prompts.choose_many", lambda _p, _t, _l, items: offered.extend(items) or [])
    dialog.haves["有场景"].add_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert offered == ["照片：阵地揭牌仪式"]
    assert not dialog.haves["有场景"].met.isChecked()  # nothing chosen: nothing changes
    dialog.reject()

    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    page.remove_photo(photo_id)
    wait_idle(qtbot, page.ctx.runner)
    assert page.photos.rowCount() == 0
