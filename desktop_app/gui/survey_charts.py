"""The chart of a cross-tab: for each option a bar per group (percent of the group), groups told apart by
colour and named in the legend. Built on activity_charts' helpers, so every label has the app's CJK font."""

from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QBarSet, QChart, QHorizontalBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop_app.gui.activity_charts import finish_chart, new_chart, short_label, value_axis

GROUP_COLORS = ("#2e86c1", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d")
MAX_GROUPS = len(GROUP_COLORS)  # more groups than colours cannot be told apart: the table lists them all


def group_chart(groups: dict[str, dict[str, float]], options: list[str]) -> QChart:
    """`groups`: group label → option label → percent; options drawn top to bottom in `options` order."""
    chart = new_chart("")
    shown = list(groups)[:MAX_GROUPS]
    if not shown or not options:
        return finish_chart(chart)
    series = QHorizontalBarSeries()
    for n, label in enumerate(shown):
        bar_set = QBarSet(short_label(label, 12))
        bar_set.append([groups[label].get(o, 0.0) for o in reversed(options)])
        bar_set.setColor(QColor(GROUP_COLORS[n]))
        bar_set.setBorderColor(QColor(GROUP_COLORS[n]))
        series.append(bar_set)
    series.setBarWidth(0.8)
    series.setLabelsVisible(False)  # a label per bar would crowd: the table beside gives the figures
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([short_label(o) for o in reversed(options)])
    categories.setTruncateLabels(False)
    top = max((v for g in shown for v in groups[g].values()), default=0)
    values = value_axis(max(top, 1.0), "组内百分比", whole=True, headroom=1.05)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return finish_chart(chart)
