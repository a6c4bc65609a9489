"""A bar chart block (`model.BarChart`) as a reportlab drawing: horizontal bars, first label at the top,
every label set in the bundled CJK faces.

reportlab's axis labels are drawn in one face each, with no fallback within a label as paragraphs have: a
village named with 𠮷 needs the rare face for one character and the body face for the rest. So the category
labels are drawn here as strings, run by run in the face that has each character (`fonts.Fonts.runs`),
right-aligned beside their bars; the value axis and the bar labels (figures) are the chart's own, in the body
face. Long labels are wrapped to at most three lines; the bars' rows grow to fit them.
"""

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop_app.core.documents.fonts import Fonts
from desktop_app.core.documents.layout import CHART_LEADING, CHART_SIZE
from desktop_app.core.documents.model import BarChart

BAR_COLOUR = colors.Color(0.29, 0.45, 0.66)  # prints as a mid grey in black and white
GRID_COLOUR = colors.Color(0.82, 0.82, 0.82)
MAX_LABEL_LINES = 3
VALUE_ROOM = 40  # room right of the longest bar for its value label


def bar_chart(block: BarChart, fonts: Fonts, width: float) -> tuple[Drawing, set[str]]:
    """The chart `width` points wide, and the faces its labels are drawn in (the writer lists them)."""
    n = len(block.labels)
    label_w = min(max(_width(fonts, label) for label in block.labels), width * 0.36)
    wrapped = [_wrap(fonts, label, label_w) for label in block.labels]
    lines = max(len(parts) for parts in wrapped)
    pitch = max(16.0, lines * CHART_LEADING + 5)
    axis_room, top = 16, 4
    height = n * pitch + axis_room + top

    chart = HorizontalBarChart()
    chart.x = label_w + 8
    chart.y = axis_room
    chart.width = width - chart.x - VALUE_ROOM
    chart.height = n * pitch
    values = [float(v) for v in block.values]
    chart.data = [list(reversed(values))]  # reportlab puts the first category at the bottom
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barWidth = 1
    chart.groupSpacing = 0.6 if lines == 1 else 0.9

    axis = chart.categoryAxis
    axis.categoryNames = ["\n".join(parts) for parts in reversed(wrapped)]
    axis.visibleLabels = 0  # drawn below, face by face
    axis.labels.fontName = fonts.body
    axis.strokeColor = colors.black
    axis.strokeWidth = 0.5
    axis.tickLeft = 0

    top_value = block.maximum or _nice_top(max(values, default=0))
    scale = chart.valueAxis
    scale.valueMin = 0
    scale.valueMax = top_value
    scale.valueStep = _step(top_value)
    scale.labels.fontName = fonts.body
    scale.labels.fontSize = CHART_SIZE - 1
    scale.labelTextFormat = (lambda v: f"{v:g}{block.unit}")
    scale.strokeWidth = 0.5
    scale.visibleGrid = True
    scale.gridStrokeColor = GRID_COLOUR
    scale.gridStrokeWidth = 0.4

    if block.value_labels:
        chart.barLabelFormat = "values"
        chart.barLabelArray = [list(reversed(block.value_labels))]
        chart.barLabels.fontName = fonts.body
        chart.barLabels.fontSize = CHART_SIZE - 1
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3

    drawing = Drawing(width, height, initialFontName=fonts.body)  # else an unembedded Helvetica is listed
    drawing.add(chart)
    faces = {fonts.body}
    for i, parts in enumerate(wrapped):
        middle = chart.y + chart.height - (i + 0.5) * pitch
        first = middle + (len(parts) - 1) * CHART_LEADING / 2 - CHART_SIZE * 0.35  # the first line's baseline
        for k, line in enumerate(parts):
            faces |= _draw_right(drawing, fonts, line, chart.x - 4, first - k * CHART_LEADING)
    drawing.hAlign = "CENTER"
    return drawing, faces


def _draw_right(drawing: Drawing, fonts: Fonts, text: str, right: float, baseline: float) -> set[str]:
    """`text` ending at `right`, each run in the face that has its characters; the faces used."""
    runs = fonts.runs(text, fonts.body)
    x = right - sum(stringWidth(chunk, face, CHART_SIZE) for face, chunk in runs)
    for face, chunk in runs:
        drawing.add(String(x, baseline, chunk, fontName=face, fontSize=CHART_SIZE, fillColor=colors.black))
        x += stringWidth(chunk, face, CHART_SIZE)
    return {face for face, _chunk in runs}


def _width(fonts: Fonts, text: str) -> float:
    return sum(stringWidth(chunk, face, CHART_SIZE) for face, chunk in fonts.runs(text, fonts.body))


def _wrap(fonts: Fonts, text: str, avail: float) -> list[str]:
    """`text` broken into lines of at most `avail` points (at most MAX_LABEL_LINES, the last cut with …)."""
    lines, line = [], ""
    for ch in text.replace("\n", " "):
        if line and _width(fonts, line + ch) > avail:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    if len(lines) > MAX_LABEL_LINES:
        lines = [*lines[:MAX_LABEL_LINES - 1], lines[MAX_LABEL_LINES - 1][:-1] + "…"]
    return [part.strip() for part in lines]


def _nice_top(value: float) -> float:
    """The axis end above `value`: 1, 2 or 5 times a power of ten (a chart of zeros still has an axis)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _step(top: float) -> float:
    """About five gridlines."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
