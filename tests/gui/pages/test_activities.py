"""活动记录 page: filters, timeline, statistics charts, delete + undo, Excel exports."""

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QLineSeries

from desktop_app.core.services import activities
from desktop_app.gui import activity_charts
from desktop_app.gui.pages.activities import ID_ROLE, ActivitiesPage
from desktop_app.gui.pages.activity_rows import dates_text
from tests.core.activity_helpers import attach_project, concert, posted_expense
from tests.gui.conftest import wait_idle


@pytest.fixture
def data(ctx, voucher_file):
    """Four activities at two sites and one for the whole project; two trainings."""
    ws = ctx.ws
    project, (qinghua, batai) = attach_project(ws)
    expense = posted_expense(ws, voucher_file, amount="1200", summary="培训讲师劳务费")
    made = {
        "concert": activities.add_activity(ws, concert(project, batai, public=True, volunteers=20,
                                                       volunteer_hours="100", beneficiaries={"社区居民": 150})),
        "training": activities.add_activity(ws, concert(
            project, batai, activity_type="培训", title="社区赋能培训", start_date=date(2024, 11, 5),
            end_date=date(2024, 11, 6), participants=45, volunteer_hours="7.5", expense_ids=[expense.id],
            beneficiaries={"妇女": 15, "社区居民": 30}, summary="社区骨干培训")),
        "meeting": activities.add_activity(ws, concert(
            project, qinghua, activity_type="工作会议", title="青花试点工作讨论会", start_date=date(2024, 3, 12),
            participants=18, public=True, summary="专题会议")),
        "survey": activities.add_activity(ws, concert(
            project, qinghua, activity_type="需求调研", title="青花前期调研", start_date=date(2024, 4, 8),
            participants=250, beneficiaries={"老年人": 80}, summary="发放问卷 250 份")),
        "backbone": activities.add_activity(ws, concert(
            project, None, activity_type="培训", title="试点项目骨干培训", start_date=date(2024, 9, 10),
            participants=30, summary="骨干培训")),
    }
    return project, (qinghua, batai), made


@pytest.fixture
def page(qtbot, ctx, data):
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    wait_idle(qtbot, ctx.runner)
    yield page
    page.shutdown()


def titles(page) -> list[str]:
    return [page.model.index(r, 2).data() for r in range(page.model.rowCount())]


def choose(box, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, f"{text!r} not in {[box.itemText(i) for i in range(box.count())]}"
    box.setCurrentIndex(index)


def test_the_list_shows_every_activity_newest_first_with_totals(page):
    assert titles(page) == ["八台慈善音乐会", "社区赋能培训", "试点项目骨干培训", "青花前期调研", "青花试点工作讨论会"]
    assert [page.model.index(1, c).data() for c in (0, 1, 3, 5, 6, 7, 9)] == [
        "2024-11-05～06", "培训", "八台镇天池村", "45", "45", "0人/7.5小时", "¥1,200.00"]
    assert page.model.index(2, 3).data() == "项目整体"
    assert page.model.index(0, 10).data() == "1"  # 公示序号
    assert page.totals.text() == "共 5 个活动，参与 493 人次，受益 275 人次，志愿服务 107.5 小时，费用 ¥1,200.00"


def test_filters_narrow_the_list(qtbot, ctx, page):
    choose(page.type_filter, "培训")
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["社区赋能培训", "试点项目骨干培训"]
    choose(page.type_filter, "全部类型")
    choose(page.project_filter, "四川省慈善事业高质量发展试点工作")
    choose(page.site_filter, "项目整体")
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["试点项目骨干培训"]
    choose(page.site_filter, "青花镇立信社区")
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["青花前期调研", "青花试点工作讨论会"]
    assert page.view.isColumnHidden(3)  # one site chosen: the site column would repeat it
    choose(page.site_filter, "全部试点")
    page.public_only.setChecked(True)
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["八台慈善音乐会", "青花试点工作讨论会"]
    page.public_only.setChecked(False)
    page.date_from.check.setChecked(True)
    page.date_from.edit.setDate(date(2024, 11, 6))  # the two-day training still counts
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["八台慈善音乐会", "社区赋能培训"]
    page.date_from.check.setChecked(False)
    page.search.setText("问卷")
    page.apply_filter()  # what the search timer does after 250 ms
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == ["青花前期调研"]
    page.search.setText("没有这个活动")
    page.apply_filter()
    wait_idle(qtbot, ctx.runner)
    assert titles(page) == [] and page.totals.text() == "没有符合条件的活动。"


def test_timeline_groups_by_site_and_month_and_opens_the_editor(qtbot, ctx, page, data):
    page.tabs.setCurrentIndex(1)
    model = page.timeline_model
    sites = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert sites == ["项目整体（1 个活动）", "青花镇立信社区（2 个活动）", "八台镇天池村（2 个活动）"]
    batai = model.index(2, 0)
    months = [model.index(r, 0, batai).data() for r in range(model.rowCount(batai))]
    assert months == ["2024年11月　1 个", "2024年12月　1 个"]
    november = model.index(0, 0, batai)
    cells = [model.index(0, c, november).data() for c in range(5)]
    assert cells == ["11月5日—6日", "培训", "社区赋能培训", "45 人次", ""]

    dialog = page._timeline_clicked(model.index(0, 2, november)) or page.dialog
    wait_idle(qtbot, ctx.runner)
    assert dialog.isVisible() and dialog.title_edit.text() == "社区赋能培训"
    assert model.index(0, 0, november).data(ID_ROLE) == data[2]["training"].id
    dialog.reject()


def test_statistics_tab_charts_the_filtered_activities(qtbot, ctx, page):
    page.tabs.setCurrentIndex(3)
    by_type, by_month, groups, hours, cost = page.charts()
    assert activity_charts.bar_values(by_type) == {
        "培训": 2, "工作会议": 1, "需求调研": 1, "慈善活动/募捐活动": 1}  # largest first
    month_axis = next(a for a in by_month.axes() if isinstance(a, QBarCategoryAxis))
    assert month_axis.categories() == [f"{m}月" for m in range(3, 13)]  # March to December, quiet months too
    assert month_axis.titleText() == "2024年3月—2024年12月"
    months = activity_charts.bar_values(by_month)
    assert months["3月"] == 1 and months["5月"] == 0 and months["12月"] == 1
    line = next(s for s in by_month.series() if isinstance(s, QLineSeries))
    assert [p.y() for p in line.points()][:2] == [18, 250]
    assert activity_charts.bar_values(groups) == {"社区居民": 180, "老年人": 80, "妇女": 15}
    assert activity_charts.bar_values(hours) == {"慈善活动/募捐活动": 100, "培训": 7.5}
    assert activity_charts.bar_values(cost) == {"培训": 1200}
    totals = dict((page.totals_model.index(r, 0).data(), page.totals_model.index(r, 1).data())
                  for r in range(page.totals_model.rowCount()))
    assert totals["活动次数"] == "5 次" and totals["志愿服务时长"] == "107.5 小时"
    assert totals["活动费用（关联支出）"] == "¥1,200.00"
    # Chinese must render: the chart fonts are the application's, with its CJK fallback
    assert by_type.titleFont().families() == activity_charts.chart_font().families()
    assert month_axis.labelsFont().families() == activity_charts.chart_font().families()

    choose(page.type_filter, "培训")  # the charts follow the filters
    wait_idle(qtbot, ctx.runner)
    assert activity_charts.bar_values(page.charts()[0]) == {"培训": 2}


def test_empty_statistics_say_so(qtbot, ctx, page):
    page.search.setText("没有这个活动")
    page.apply_filter()
    wait_idle(qtbot, ctx.runner)
    page.tabs.setCurrentIndex(3)
    assert all("没有数据" in chart.title() for chart in page.charts())


def test_delete_and_undo(qtbot, ctx, page, data):
    assert page.select_activity(data[2]["survey"].id)
    page.delete_button.click()
    wait_idle(qtbot, ctx.runner)
    assert "青花前期调研" not in titles(page)
    assert page.undo_button.isEnabled()
    page.undo_button.click()
    wait_idle(qtbot, ctx.runner)
    assert "青花前期调研" in titles(page)
    with ctx.ws.reading() as s:  # restored whole, with its beneficiary counts
        assert activities.activity_input(s, data[2]["survey"].id).beneficiaries == {"老年人": 80}


def test_new_activity_starts_in_the_filtered_project(qtbot, ctx, page, data):
    from desktop_app.core.changes import Changes
    from desktop_app.core.services import projects

    other = projects.add_project(ctx.ws, projects.ProjectInput(
        name="青花镇慈善社区试点", start_date=date(2024, 3, 1), end_date=date(2024, 12, 31), budget=Decimal(0)))
    ctx.runner.changed.emit(Changes(projects=True))  # as the 项目 page's save does
    wait_idle(qtbot, ctx.runner)
    choose(page.project_filter, "青花镇慈善社区试点")
    wait_idle(qtbot, ctx.runner)
    assert [page.site_filter.itemText(i) for i in range(page.site_filter.count())] == ["全部试点", "项目整体"]
    dialog = page.add_activity()
    wait_idle(qtbot, ctx.runner)
    assert dialog.project.currentData() == other.id
    dialog.reject()


def test_multi_day_dates_are_short_in_the_list():
    from desktop_app.core.queries.activities import ActivityRow

    def row(start, end):
        return ActivityRow("x", "p", "项目", None, "", "培训", "t", start, end, "", "", "", 0, 0, 0, 0, 0, 0,
                           False, 0, "")

    assert dates_text(row(date(2024, 8, 1), date(2024, 10, 15))) == "2024-08-01～10-15"
    assert dates_text(row(date(2024, 12, 30), date(2025, 1, 2))) == "2024-12-30～2025-01-02"


@pytest.mark.parametrize("button, sheet", [("export_list_button", "活动登记表"), ("export_stats_button", "活动统计")])
def test_exports_write_the_filtered_workbook(qtbot, ctx, page, tmp_path, monkeypatch, button, sheet):
    out = tmp_path / f"{sheet}.xlsx"
    told = []
    monkeypatch.setattr("desktop_app.gui.prompts.save_excel", lambda _p, _t, name, _f=None: out)
    monkeypatch.setattr("desktop_app.gui.prompts.offer_open_folder",
                        lambda _p, message, _t="", details="": told.append((message, details)))
    choose(page.type_filter, "培训")
    wait_idle(qtbot, ctx.runner)
    getattr(page, button).click()
    wait_idle(qtbot, ctx.runner)
    assert out.is_file() and told and out.name in told[0][0] and str(out) in told[0][1]  # the full path: 详细信息


def test_photos_tab_shows_the_project_gallery_and_opens_the_activity(qtbot, ctx, page, data, tmp_path):
    from PIL import Image

    from desktop_app.core.services import photos

    files = []
    for i in range(3):
        files.append(tmp_path / f"音乐会{i}.jpg")
        Image.new("RGB", (60, 40), (60 * i, 90, 120)).save(files[-1], "JPEG")
    photos.add_photos(ctx.ws, files[:2], activity_id=data[2]["concert"].id)
    photos.add_photos(ctx.ws, files[2:], activity_id=data[2]["meeting"].id)
    page.tabs.setCurrentIndex(2)  # the only project is shown without choosing it
    assert page.gallery_model.rowCount() == 3
    assert "共 3 张照片" in page.photos_note.text()

    page.open_photo_activity(page.gallery_model.tile(2).id)
    wait_idle(qtbot, ctx.runner)
    assert page.dialog.isVisible() and page.dialog.title_edit.text() == "青花试点工作讨论会"
    page.dialog.reject()

    page.apply_filter()  # a reload (e.g. after a change) re-reads the open gallery
    wait_idle(qtbot, ctx.runner)
    assert page.gallery_model.rowCount() == 3
    assert page.model.index(0, 8).data() == "2"  # the list counts the concert's photos


def test_in_the_main_window(qtbot, window, data):
    page = window.activities
    window.go_to(page)
    wait_idle(qtbot, window.ctx.runner)
    assert page.model.rowCount() == 5
    dialog = page.add_activity()
    wait_idle(qtbot, window.ctx.runner)
    dialog.activity_type.setCurrentText("宣传")
    dialog.title_edit.setText("复刊青花钢铁报")
    dialog.save()
    wait_idle(qtbot, window.ctx.runner)
    assert not dialog.isVisible() and page.model.rowCount() == 6
