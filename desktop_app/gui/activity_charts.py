"""Charts of the 活动记录 statistics: pure functions from `ActivityStats` to a `QChart`.

Qt Charts themes set their own fonts (Arial), which have no Chinese: every title, legend, axis and bar
label gets the application font (with its CJK fallback, see gui/application.py) explicitly, after the
series and axes exist, so no label ever shows empty boxes.

Chart values are doubles: money is turned into yuan only here, for drawing; the labels the user reads
come from the integer fen through `format_yuan` in the totals table.
"""

import math
from decimal import Decimal

from PySide6.QtCharts import (  # QtCharts comes with PySide6-Addons
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

from desktop_app.core.money import format_yuan
from desktop_app.core.months import month_after, month_key
from desktop_app.core.quantities import hours_text
from desktop_app.core.queries.activities import ActivityStats

BAR_COLOR = QColor("#2e86c1")
LINE_COLOR = QColor("#e67e22")
LABEL_COLOR = QColor("#2c3e50")
MAX_CATEGORY_CHARS = 10  # longer names are shortened on the axis (the totals table shows them whole)


def chart_font(point_size: float | None = None, *, bold: bool = False) -> QFont:
    """The application font (whose family list ends with the bundled CJK font) at the given size."""
    font = QFont(QApplication.font())
    if point_size:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def short_label(text: str, limit: int = MAX_CATEGORY_CHARS) -> str:
    """“慈善活动/募捐活动” stays; longer names end in “…” so the axis does not overlap."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def month_labels(months: list[str]) -> tuple[list[str], str]:
    """Axis labels and axis title for consecutive months: "3月" … "1月" titled "2024年3月—2025年1月"
    while they fit in a year; over a longer span "24年3月" with the year on each label."""
    if not months:
        return [], ""
    span = f"{_month_text(months[0])}—{_month_text(months[-1])}" if len(months) > 1 else _month_text(months[0])
    if len(months) <= 12:
        return [f"{int(m[5:])}月" for m in months], span
    return [f"{m[2:4]}年{int(m[5:])}月" for m in months], span


def _month_text(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last of `months` (YYYY-MM), so quiet months show as gaps."""
    if not months:
        return []
    month, last = min(months), max(months)
    out = []
    while month <= last:
        out.append(month)
        month = month_key(month_after(month))
    return out


def nice_step(maximum: float, ticks: int = 5, *, whole: bool = True) -> float:
    """A tick interval of 1, 2 or 5 × 10ⁿ giving about `ticks` intervals up to `maximum` (at least 1
    for whole numbers, so a count axis never shows 0.5 people)."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if raw <= f * magnitude * (1 + 1e-9))
    return max(step, 1) if whole else step


def value_axis(maximum: float, title: str, *, whole: bool = True, headroom: float = 1.15) -> QValueAxis:
    axis = QValueAxis()
    step = nice_step(maximum, whole=whole)
    top = step * math.ceil(maximum * headroom / step) if maximum > 0 else step * 5  # room for the bar labels
    axis.setRange(0, top)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d" if whole or step >= 1 else "%.1f")
    axis.setTitleText(title)
    axis.setGridLineColor(QColor("#e5e8e8"))
    return axis


def new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    chart.legend().setVisible(False)
    return chart


def finish_chart(chart: QChart) -> QChart:
    """Fonts last: adding series and axes re-applies the theme's fonts."""
    chart.setTitleFont(chart_font(11, bold=True))
    chart.setTitleBrush(LABEL_COLOR)
    chart.legend().setFont(chart_font(9))
    for axis in chart.axes():
        axis.setLabelsFont(chart_font(9))
        axis.setTitleFont(chart_font(9))
        axis.setLabelsColor(LABEL_COLOR)
    for series in chart.series():
        if isinstance(series, QAbstractBarSeries):
            for bar_set in series.barSets():
                bar_set.setLabelFont(chart_font(9))
                bar_set.setLabelColor(LABEL_COLOR)
    if not chart.series():
        chart.setTitle(chart.title() + "（当前筛选下没有数据）")
    return chart


def bar_chart(title: str, values: dict[str, float], value_title: str, *, whole: bool = True,
              horizontal: bool = False, label_format: str = "@value", color: QColor = BAR_COLOR) -> QChart:
    """One bar per key of `values` (in its order; for horizontal bars the first is drawn on top)."""
    chart = new_chart(title)
    if not values:
        return finish_chart(chart)
    keys = list(values)
    if horizontal:
        keys.reverse()  # horizontal bar categories run bottom to top
    bar_set = QBarSet(value_title)
    bar_set.append([float(values[k]) for k in keys])
    bar_set.setColor(color)
    bar_set.setBorderColor(color)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsFormat(label_format)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setBarWidth(0.6)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([short_label(k) for k in keys])
    categories.setTruncateLabels(False)  # Qt cut every type name to "…" in the narrow column at 1366×728
    values_axis = value_axis(max(float(v) for v in values.values()), value_title, whole=whole,
                              headroom=1.3 if horizontal else 1.15)  # a label beside the longest bar
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(values_axis)
    return finish_chart(chart)


def _largest_first(values: dict[str, float]) -> dict[str, float]:
    return dict(sorted(values.items(), key=lambda item: -item[1]))


def type_chart(stats: ActivityStats) -> QChart:
    return bar_chart("各类型活动次数", _largest_first(stats.by_type), "活动次数", horizontal=True)


def month_chart(stats: ActivityStats) -> QChart:
    """Activities per month (bars, left axis) and participants per month (line, right axis)."""
    chart = new_chart("每月活动次数与参与人次")
    months = month_range(list(stats.by_month))
    if not months:
        return finish_chart(chart)
    activities = QBarSet("活动次数")
    activities.append([float(stats.by_month.get(m, 0)) for m in months])
    activities.setColor(BAR_COLOR)
    activities.setBorderColor(BAR_COLOR)
    bars = QBarSeries()
    bars.append(activities)
    bars.setLabelsVisible(True)
    bars.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    bars.setBarWidth(0.6)
    people = QLineSeries()
    people.setName("参与人次")
    for i, m in enumerate(months):
        people.append(i, float(stats.participants_by_month.get(m, 0)))
    people.setColor(LINE_COLOR)
    people.setPointsVisible(True)
    pen = people.pen()
    pen.setWidth(2)
    people.setPen(pen)
    chart.addSeries(bars)
    chart.addSeries(people)
    axis_x = QBarCategoryAxis()
    labels, span = month_labels(months)
    axis_x.append(labels)
    axis_x.setTitleText(span)
    axis_x.setTruncateLabels(False)  # "3月" is short; Qt would cut it to "…" in a narrow chart
    if len(months) > 12:  # "24年3月" labels: upright they would overlap
        axis_x.setLabelsAngle(-90)
    left = value_axis(max(stats.by_month.values()), "活动次数")
    right = value_axis(max(stats.participants_by_month.values(), default=0), "参与人次")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
    bars.attachAxis(axis_x)
    bars.attachAxis(left)
    people.attachAxis(axis_x)
    people.attachAxis(right)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return finish_chart(chart)


def beneficiary_chart(stats: ActivityStats) -> QChart:
    return bar_chart("各受益群体受益人次", _largest_first(stats.beneficiaries), "受益人次", horizontal=True,
                     color=QColor("#27ae60"))


def hours_chart(stats: ActivityStats) -> QChart:
    hours = {t: minutes / 60 for t, minutes in stats.hours_by_type.items() if minutes}
    return bar_chart("各类型志愿服务时长（小时）", _largest_first(hours), "小时", whole=False, horizontal=True,
                     color=QColor("#8e44ad"))


def cost_chart(stats: ActivityStats) -> QChart:
    """Spending per type in yuan, or in 万元 once a type reaches ¥10,000 (axis labels stay short)."""
    fen = {t: f for t, f in stats.cost_by_type.items() if f}
    if fen and max(fen.values()) >= 1_000_000:
        values = {t: float((Decimal(f) / 1_000_000).quantize(Decimal("0.01"))) for t, f in fen.items()}
        return bar_chart("各类型活动费用（万元）", _largest_first(values), "万元", whole=False, horizontal=True,
                         label_format="@value万", color=QColor("#c0392b"))
    values = {t: float(Decimal(f) / 100) for t, f in fen.items()}
    return bar_chart("各类型活动费用（元）", _largest_first(values), "元", whole=False, horizontal=True,
                     label_format="¥@value", color=QColor("#c0392b"))


CHARTS = (type_chart, month_chart, beneficiary_chart, hours_chart, cost_chart)


def totals(stats: ActivityStats) -> list[tuple[str, str]]:
    """The small totals table beside the charts."""
    rows = [("活动次数", f"{stats.activities:,} 次"), ("参与人次", f"{stats.participants:,} 人次"),
            ("受益人次（按群体）", f"{sum(stats.beneficiaries.values()):,} 人次"),
            ("志愿者", f"{stats.volunteers:,} 人次"), ("志愿服务时长", f"{hours_text(stats.volunteer_minutes)} 小时"),
            ("活动费用（关联支出）", format_yuan(stats.cost_fen))]
    rows += [(f"　{site}", f"{count:,} 次") for site, count in stats.by_site.items()]
    return rows


def chart_view(chart: QChart | None = None) -> QChartView:
    view = QChartView(chart) if chart is not None else QChartView()
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(280, 180)  # two rows of charts leave the page room on a 1366×768 laptop
    return view


def bar_values(chart: QChart) -> dict[str, float]:
    """Category → value of a chart's first bar set (for tests and the screen reader text)."""
    for series in chart.series():
        if isinstance(series, QAbstractBarSeries) and series.barSets():
            bar_set = series.barSets()[0]
            axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
            return {axis.at(i): bar_set.at(i) for i in range(bar_set.count())}
    return {}
