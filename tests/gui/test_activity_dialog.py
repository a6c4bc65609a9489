"""The activity editor driven end to end: fill, save, edit, undo; bad input keeps the form open."""

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from desktop_app.core.queries import activities as activity_queries
from desktop_app.core.queries.activities import list_activities
from desktop_app.core.services import activities
from desktop_app.core.services.activities import NamedInput
from desktop_app.gui.pages.activities import ActivitiesPage
from tests.core.activity_helpers import attach_project, concert, posted_expense
from tests.gui.conftest import close_discarding, wait_idle


@pytest.fixture
def project(ctx):
    return attach_project(ctx.ws)


@pytest.fixture
def page(qtbot, ctx, project):
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    wait_idle(qtbot, ctx.runner)
    yield page
    page.shutdown()


def count_activities(ws) -> int:
    with ws.reading() as s:
        return len(list_activities(s))


def fill_training(dialog, site_name="八台镇天池村"):
    dialog.site.setCurrentIndex(dialog.site.findText(site_name))
    dialog.activity_type.setCurrentText("培训")
    dialog.title_edit.setText("社区赋能培训")
    dialog.start.setDate(QDate(2024, 11, 5))
    dialog.multi_day.setChecked(True)
    dialog.end.setDate(QDate(2024, 11, 6))
    dialog.place.setText("天池村党群服务中心")
    dialog.organisers.setText("八台社区社会组织联合会")
    dialog.participants.setValue(45)
    dialog.volunteers.setValue(6)
    dialog.hours.setText("７.５")
    dialog.summary.setPlainText("为社区骨干、志愿者开展社区治理和社区慈善培训。")


def test_new_activity_saved_with_groups_named_and_expense(qtbot, ctx, page, voucher_file):
    expense = posted_expense(ctx.ws, voucher_file, amount="800", summary="培训讲师劳务费")
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    assert dialog.save_button.isEnabled()
    assert dialog.project.currentText() == "四川省慈善事业高质量发展试点工作"
    fill_training(dialog)
    assert not dialog.named_section.body.isVisible()  # the sensitive list starts closed
    box, spin = dialog.groups.rows()[0]  # a new form offers one group row
    box.setCurrentText("社区居民")
    spin.setValue(40)
    dialog.add_group("妇女", 12)
    dialog.named_section.set_open(True)
    dialog.add_named(NamedInput("张三明", "老年人", "独居", "13800000000", False))
    assert dialog.expense_pick.count() == 1
    dialog.link_expense(expense.id)
    assert "¥800.00" in dialog.cost_label.text()
    dialog.public.setChecked(True)
    dialog.save()
    wait_idle(qtbot, ctx.runner)

    assert not dialog.isVisible()
    row = page.rows[0]
    assert (row.title, row.site_name, row.participants, row.beneficiaries, row.cost_fen) == (
        "社区赋能培训", "八台镇天池村", 45, 52, 80000)
    with ctx.ws.reading() as s:
        saved = activities.activity_input(s, row.id)
    assert saved.start_date == date(2024, 11, 5) and saved.end_date == date(2024, 11, 6)
    assert saved.volunteer_hours == Decimal("7.5") and saved.volunteers == 6
    assert saved.beneficiaries == {"社区居民": 40, "妇女": 12}
    assert saved.named == [NamedInput("张三明", "老年人", "独居", "13800000000", False)]
    assert saved.expense_ids == [expense.id]
    assert saved.public and saved.public_order == 1
    assert page.model.index(0, 2).data() == "社区赋能培训"
    assert page.model.index(0, 7).data() == "6人/7.5小时"

    ctx.undo.undo()  # 新增 is one undo step
    wait_idle(qtbot, ctx.runner)
    assert count_activities(ctx.ws) == 0 and page.model.rowCount() == 0


def test_edit_changes_the_activity_and_undo_restores_it(qtbot, ctx, page, project):
    proj, sites = project
    activity = activities.add_activity(ctx.ws, concert(proj, sites[1], volunteers=20, volunteer_hours="100",
                                                       beneficiaries={"社区居民": 150}))
    page.refresh()
    wait_idle(qtbot, ctx.runner)
    assert page.select_activity(activity.id)
    dialog = page.edit_activity()
    wait_idle(qtbot, ctx.runner)
    assert dialog.title_edit.text() == "八台慈善音乐会"
    assert dialog.site.currentText() == "八台镇天池村"
    assert dialog.hours.text() == "100"  # not "1E+2"
    assert [(b.currentText(), s.value()) for b, s in dialog.groups.rows()] == [("社区居民", 150)]
    dialog.title_edit.setText("尚善红城·爱聚万源迎新慈善音乐会")
    dialog.participants.setValue(160)
    dialog.save()
    wait_idle(qtbot, ctx.runner)
    assert not dialog.isVisible()
    with ctx.ws.reading() as s:
        assert activity_queries.activity_detail(s, activity.id).activity.participants == 160
    assert page.model.index(0, 2).data() == "尚善红城·爱聚万源迎新慈善音乐会"

    ctx.undo.undo()
    wait_idle(qtbot, ctx.runner)
    with ctx.ws.reading() as s:
        again = activities.activity_input(s, activity.id)
    assert (again.title, again.participants, again.beneficiaries) == ("八台慈善音乐会", 150, {"社区居民": 150})


def test_end_before_start_is_refused_and_the_form_is_kept(qtbot, ctx, page):
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    fill_training(dialog)
    dialog.end.setDate(QDate(2024, 11, 1))
    dialog.save()
    wait_idle(qtbot, ctx.runner)
    assert dialog.isVisible()
    assert "早于开始日期" in dialog.message.text()
    assert dialog.title_edit.text() == "社区赋能培训" and dialog.participants.value() == 45
    assert count_activities(ctx.ws) == 0

    dialog.end.setDate(QDate(2024, 11, 6))
    dialog.hours.setText("半天")
    dialog.save()
    wait_idle(qtbot, ctx.runner)
    assert "不是数字" in dialog.message.text() and count_activities(ctx.ws) == 0
    close_discarding(dialog)


def test_the_same_group_twice_and_a_nameless_beneficiary_are_explained(qtbot, ctx, page):
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    fill_training(dialog)
    dialog.groups.clear()
    dialog.add_group("儿童", 10)
    dialog.add_group("儿童", 5)
    dialog.save()
    assert "填了两行" in dialog.message.text()
    dialog.groups.remove_row(dialog.groups._rows[1])
    dialog.add_named(NamedInput("", "儿童", "困境儿童"))
    dialog.save()
    wait_idle(qtbot, ctx.runner)
    assert "缺少姓名" in dialog.message.text() and count_activities(ctx.ws) == 0
    close_discarding(dialog)


def test_changing_project_drops_expenses_of_the_old_project(qtbot, ctx, page, voucher_file):
    from desktop_app.core.services import projects

    expense = posted_expense(ctx.ws, voucher_file)
    projects.add_project(ctx.ws, projects.ProjectInput(name="青花镇慈善社区试点", start_date=date(2024, 3, 1),
                                                       end_date=date(2024, 12, 31), budget=Decimal(0)))
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    dialog.link_expense(expense.id)
    assert dialog.expense_model.rowCount() == 1
    dialog.project.setCurrentIndex(dialog.project.findText("青花镇慈善社区试点"))
    wait_idle(qtbot, ctx.runner)
    assert dialog.expense_model.rowCount() == 0
    assert "已取消关联" in dialog.message.text()
    assert not dialog.expense_pick.isEnabled()  # the new project has no posted expenses
    close_discarding(dialog)  # another project chosen: that is a change


# ---------------------------------------------------------------- photos


def jpeg(path, color=(200, 60, 50), size=(64, 48)):
    from PIL import Image

    Image.new("RGB", size, color).save(path, "JPEG")
    return path


@pytest.fixture
def concert_dialog(qtbot, ctx, page, project):
    proj, sites = project
    activity = activities.add_activity(ctx.ws, concert(proj, sites[1]))
    dialog = page.edit_activity(activity.id)
    wait_idle(qtbot, ctx.runner)
    yield dialog
    dialog.reject()


def strip_captions(dialog) -> list[str]:
    model = dialog.photos.photo_model
    return [model.tile(r).caption for r in range(model.rowCount())]


def test_photos_from_files_appear_in_the_strip_and_refusals_are_explained(qtbot, ctx, concert_dialog, tmp_path,
                                                                         monkeypatch, messages):
    dialog = concert_dialog
    good = [jpeg(tmp_path / f"音乐会{i}.jpg", (40 * i, 80, 120)) for i in range(1, 4)]
    fake = tmp_path / "说明.jpg"
    fake.write_text("这不是照片", encoding="utf-8")
    again = tmp_path / "音乐会1-副本.jpg"
    again.write_bytes(good[0].read_bytes())
    picked = []
    monkeypatch.setattr("desktop_app.gui.prompts.open_photos", lambda *_a: picked.append(1) or [*good, fake, again])
    dialog.photos.add_photos_button.click()
    wait_idle(qtbot, ctx.runner)

    assert picked and dialog.photos.photo_model.rowCount() == 3
    assert dialog.photos.photo_count.text() == "（3 张）"
    report = messages[-1]
    assert report.startswith("已添加 3 张照片")
    assert "无法添加：" in report and "· 说明.jpg：" in report  # each refused file with its reason
    assert "重复，未再添加：" in report and "音乐会1-副本.jpg" in report
    assert "已添加 3 张照片" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.photos.photo_model.loader.idle)
    assert dialog.photos.photo_model.thumb_state(0) == "ready"  # thumbnails were read off the GUI thread


def test_caption_notice_reorder_and_remove(qtbot, ctx, concert_dialog, tmp_path, monkeypatch):
    dialog = concert_dialog
    files = [jpeg(tmp_path / f"p{i}.jpg", (30 * i, 90, 90)) for i in range(1, 4)]
    dialog.photos.import_photos(files)
    wait_idle(qtbot, ctx.runner)
    model = dialog.photos.photo_model
    first, second, third = model.photo_ids()

    dialog.photos.strip.setCurrentIndex(model.index(0))
    assert dialog.photos.caption.isEnabled()
    dialog.photos.caption.setText("八台慈善音乐会现场")
    qtbot.keyClick(dialog.photos.caption, Qt.Key.Key_Return)  # Enter saves the caption, not the whole form
    assert dialog.isVisible()
    dialog.photos.in_notice.click()
    wait_idle(qtbot, ctx.runner)
    tile = model.tile(0)
    assert (tile.caption, tile.in_notice) == ("八台慈善音乐会现场", True)
    assert dialog.photos.caption.text() == "八台慈善音乐会现场"  # the selection survived the reload

    dialog.photos.strip.reordered.emit([third, first, second])  # what a drag in the strip reports
    wait_idle(qtbot, ctx.runner)
    assert model.photo_ids() == [third, first, second]

    dialog.photos.strip.setCurrentIndex(model.index(0))
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: True)
    dialog.photos.remove_photo_button.click()
    wait_idle(qtbot, ctx.runner)
    assert model.photo_ids() == [first, second]
    ctx.undo.undo()
    wait_idle(qtbot, ctx.runner)
    assert model.photo_ids() == [third, first, second]


def test_a_folder_adds_its_photos(qtbot, ctx, concert_dialog, tmp_path, monkeypatch):
    folder = tmp_path / "八台音乐会照片"
    folder.mkdir()
    for i in range(2):
        jpeg(folder / f"IMG_{i}.jpg", (10, 50 * i, 90))
    (folder / "readme.txt").write_text("x")
    monkeypatch.setattr("desktop_app.gui.prompts.choose_folder", lambda *_a: folder)
    concert_dialog.photos.add_folder_button.click()
    wait_idle(qtbot, ctx.runner)
    assert concert_dialog.photos.photo_model.rowCount() == 2

    empty = tmp_path / "空文件夹"
    empty.mkdir()
    concert_dialog.photos.import_photos([empty])
    wait_idle(qtbot, ctx.runner)
    assert "里没有照片" in concert_dialog.message.text()


def test_photos_for_a_new_activity_save_it_first(qtbot, ctx, page, tmp_path, monkeypatch):
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    fill_training(dialog)
    assert "先保存这个活动" in dialog.photos.photo_hint.text()
    asked = []
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda _p, title, _m: asked.append(title) or True)
    monkeypatch.setattr("desktop_app.gui.prompts.open_photos", lambda *_a: [jpeg(tmp_path / "培训.jpg")])
    dialog.photos.strip.files_dropped.emit([jpeg(tmp_path / "拖进来的.jpg", (1, 2, 3))])  # a drop on the strip
    wait_idle(qtbot, ctx.runner)
    assert asked == ["先保存活动"]
    assert dialog.isVisible() and dialog.activity_id and dialog.windowTitle() == "修改活动记录"
    assert dialog.photos.photo_model.rowCount() == 1
    assert count_activities(ctx.ws) == 1

    dialog.photos.add_photos_button.click()  # saved now: no question
    wait_idle(qtbot, ctx.runner)
    assert asked == ["先保存活动"] and dialog.photos.photo_model.rowCount() == 2
    dialog.title_edit.setText("社区赋能培训（第一期）")
    dialog.save()  # the second save edits the same activity
    wait_idle(qtbot, ctx.runner)
    assert not dialog.isVisible() and count_activities(ctx.ws) == 1
    assert page.model.index(0, 2).data() == "社区赋能培训（第一期）"
    assert page.model.index(0, 8).data() == "2"  # 照片


def test_declining_to_save_first_adds_nothing(qtbot, ctx, page, tmp_path, monkeypatch):
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    fill_training(dialog)
    monkeypatch.setattr("desktop_app.gui.prompts.confirm", lambda *_a: False)
    dialog.photos.add_photos_button.click()
    wait_idle(qtbot, ctx.runner)
    assert dialog.activity_id is None and count_activities(ctx.ws) == 0
    close_discarding(dialog)


def test_without_a_project_the_form_says_what_to_do_first(qtbot, ctx):
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx.runner)
    assert page.totals.text() == "没有符合条件的活动。"
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    assert "请先到“项目”页新增项目" in dialog.message.text()
    assert not dialog.save_button.isEnabled()
    dialog.reject()
    page.shutdown()


def test_an_activity_names_the_needs_survey_it_carried_out(qtbot, ctx, page, project):
    from desktop_app.core.services import surveys

    survey = surveys.create_from_template(ctx.ws, project[0].id, "天池村需求调查")
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    fill_training(dialog)
    assert dialog.survey.itemText(0) == "（不是需求调查）"
    dialog.survey.setCurrentIndex(dialog.survey.findData(survey.id))
    dialog.save()
    wait_idle(qtbot, ctx.runner)
    with ctx.ws.reading() as s:
        saved = next(a for a in list_activities(s) if a.title == "社区赋能培训")
        assert activities.activity_input(s, saved.id).survey_id == survey.id
