"""Each question's result as blocks of the A4 document model: its tables and, for choice questions, a bar
chart; a cross-tabulation as the same table per group with column percents.

Only counts, percents, scores and means are printed, and the text answers of questions not marked private
(already masked of phone and ID numbers by `surveys.analysis`): never who answered."""

import re
import unicodedata
from collections import Counter

from desktop_app.core import typefaces
from desktop_app.core.documents.model import BarChart, Block, Column, Paragraph, Table
from desktop_app.core.surveys.analysis import QuestionResult, percent
from desktop_app.core.surveys.questionnaire import TYPE_NAMES, Question

MAX_TEXTS = 30  # distinct text answers printed per question; the rest are in the data export
SHORT_TEXT = 10  # answers no longer than this are printed five to a row
GROUPS_PER_TABLE = 4  # a cross-tab wider than this is split into several tables
NOT_GIVEN = "未注明"
# a table row must fit on one page (the writer cannot split a cell): longer answers are cut, the whole text
# is in the data export
TEXT_CHARS, LABEL_CHARS = 300, 60


def pct(text: str) -> str:
    return f"{text}%"


def printable_answer(text: str, limit: int = LABEL_CHARS) -> str:
    """A respondent's words, cut at `limit` characters, with each run of characters no bundled face has (an
    emoji, a rare symbol) shown as □: they cannot be corrected before printing, and one emoji must not stop
    the whole report."""
    if len(text) > limit:
        text = f"{text[:limit]}…（共{len(text)}字，全文见导出的答卷数据）"
    covered = typefaces.coverage()
    if covered is None:  # a font file is missing: the PDF writer names it
        return text
    if all(ord(ch) < 0x2000 or ord(ch) in covered for ch in text):  # the usual answer: nothing to change
        return text
    return re.sub("\x00+", "□", "".join(ch if _printable(ch, covered) else "\x00" for ch in text))


def _printable(ch: str, covered) -> bool:
    """As the PDF writer decides it (documents.fonts): in a face, or a layout or invisible character."""
    cp = ord(ch)
    return (cp in covered or ch in "\n\r\t " or unicodedata.category(ch) in ("Cc", "Cf")
            or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF)


def question_blocks(res: QuestionResult) -> list[Block]:
    """The tables (and chart) of one question's overall result."""
    q = res.question
    if not res.base:
        return [Paragraph("本题没有有效回答。")]
    match q.type:
        case "single" | "scale":
            return [_choice_table(res), _percent_chart(res)]
        case "multiple":
            return [_multiple_table(res), _percent_chart(res)]
        case "ranking":
            return _ranking_blocks(res)
        case "matrix":
            return _matrix_blocks(res)
        case "number":
            return []  # the mean is in the line under the heading
        case "region":
            return _region_blocks(res)
        case "text":
            return _text_blocks(res)
    return []


def summary(res: QuestionResult) -> str:
    """The line under a question's heading: its type, its base and how to read its percents."""
    q = res.question
    line = f"{TYPE_NAMES.get(q.type, q.type)}题，答题{res.base}人"
    if q.show_if is not None:
        line += "（只问符合条件的人）"
    match q.type:
        case "multiple":
            line += "。百分比为占答题人数百分比，各项相加可超过100%；另列占选择总次数的百分比"
        case "ranking":
            line += "。平均综合得分 = Σ（排某位的次数 × 该位权重）÷ 答题人数，排第一位权重最大，得分越高越靠前"
        case "scale" if res.mean:
            line += f"，平均{res.mean}分"
        case "number" if res.mean:
            line += f"，平均值{res.mean}"
        case "matrix":
            line += "。表中为各行选择每个分值的人数占该行答题人数的百分比"
    return line + "。"


def _choice_table(res: QuestionResult) -> Table:
    rows = tuple((oc.label, str(oc.count), pct(oc.percent)) for oc in res.options)
    return Table((Column("选项", 6), Column("人数", 2, "right"), Column("百分比", 2, "right")), rows,
                 totals=(("合计（答题人数）", str(res.base), "100.0%"),))


def _multiple_table(res: QuestionResult) -> Table:
    rows = tuple((oc.label, str(oc.count), pct(oc.percent), pct(oc.mentions_percent)) for oc in res.options)
    mentions = sum(oc.count for oc in res.options)
    return Table((Column("选项", 5), Column("人数", 1.6, "right"), Column("占答题人数百分比", 2.4, "right"),
                  Column("占选择次数百分比", 2.4, "right")), rows,
                 totals=(("答题人数", str(res.base), "", ""), ("选择总次数", str(mentions), "", "")))


def _percent_chart(res: QuestionResult) -> BarChart:
    return BarChart(tuple(oc.label for oc in res.options), tuple(float(oc.percent) for oc in res.options),
                    tuple(pct(oc.percent) for oc in res.options), maximum=100, unit="%")


def _ranking_blocks(res: QuestionResult) -> list[Block]:
    rows = tuple((str(i), oc.label, oc.score, str(oc.count)) for i, oc in enumerate(res.options, start=1))
    table = Table((Column("名次", 1.2, "center"), Column("选项", 5), Column("平均综合得分", 2.2, "right"),
                   Column("参与排序人数", 2.2, "right")), rows)
    chart = BarChart(tuple(oc.label for oc in res.options), tuple(float(oc.score) for oc in res.options),
                     tuple(oc.score for oc in res.options), maximum=len(res.question.options))
    return [table, chart]


def _matrix_blocks(res: QuestionResult) -> list[Block]:
    q = res.question
    columns = (Column("项目", 3), *(Column(o.label, 1.6, "right") for o in q.options),
               Column("平均分", 1.4, "right"), Column("答题人数", 1.4, "right"))
    rows = tuple((label, *(pct(o.percent) for o in options), mean or "—", str(base))
                 for label, base, mean, options in res.rows)
    top = max((o.code for o in q.options), default=0)
    means = [(label, mean) for label, _base, mean, _options in res.rows if mean]
    blocks: list[Block] = [Table(columns, rows)]
    if means:
        blocks.append(BarChart(tuple(label for label, _m in means), tuple(float(m) for _l, m in means),
                               tuple(f"{m}分" for _l, m in means), maximum=top, caption=""))
    return blocks


def _region_counts(res: QuestionResult) -> list[tuple[str, int]]:
    counts = Counter(text.strip() or NOT_GIVEN for text in res.texts)
    return sorted(counts.items(), key=lambda kv: -kv[1])


def _region_blocks(res: QuestionResult) -> list[Block]:
    if res.question.private:
        return [Paragraph("本题涉及个人信息，不列出回答。")]
    counts = _region_counts(res)
    rows = tuple((printable_answer(label), str(n), pct(percent(n, res.base))) for label, n in counts)
    table = Table((Column("回答", 6), Column("人数", 2, "right"), Column("百分比", 2, "right")), rows,
                  totals=(("合计", str(res.base), "100.0%"),))
    shown = counts[:12]
    chart = BarChart(tuple(printable_answer(label) for label, _n in shown), tuple(float(percent(n, res.base)) for _l, n in shown),
                     tuple(pct(percent(n, res.base)) for _l, n in shown), maximum=100, unit="%")
    return [table, chart]


def _text_blocks(res: QuestionResult) -> list[Block]:
    if res.question.private:
        return [Paragraph("本题涉及个人信息，不列出回答。")]
    counts = Counter(printable_answer(text.strip(), TEXT_CHARS) for text in res.texts if text.strip())
    ordered = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: equal counts keep the order given
    shown = ordered[:MAX_TEXTS]
    if max(len(text) for text, _n in shown) <= SHORT_TEXT:
        # short answers (household numbers, a word): five to a row, the count after a repeated one
        cells = [text if n == 1 else f"{text}（{n}份）" for text, n in shown]
        rows = tuple(tuple(cells[i:i + 5]) + ("",) * (5 - len(cells[i:i + 5])) for i in range(0, len(cells), 5))
        blocks: list[Block] = [Table(tuple(Column("", 1, "center") for _ in range(5)), rows, header=False)]
    else:
        rows = tuple((str(i), text, str(n)) for i, (text, n) in enumerate(shown, start=1))
        blocks = [Table((Column("序号", 1, "center"), Column("回答（电话、证件号码已隐去）", 8),
                         Column("份数", 1.2, "right")), rows)]
    if len(ordered) > MAX_TEXTS:
        rest = sum(n for _t, n in ordered[MAX_TEXTS:])
        blocks.append(Paragraph(f"另有{len(ordered) - MAX_TEXTS}种回答（共{rest}份）未列出，"
                                "可在软件中导出答卷数据查看。"))
    return blocks


# ------------------------------------------------------------------------------------------- cross-tabs

def cross_blocks(res: QuestionResult, by_label: str, order: list[str]) -> list[Block]:
    """The question's table per group (column percents), a few groups to a table, with 全部 in each."""
    q = res.question
    if not res.by or q.type in ("text",):
        return []
    groups = [g for g in order if g in res.by] + [g for g in res.by if g not in order]
    chunks = [groups[i:i + GROUPS_PER_TABLE] for i in range(0, len(groups), GROUPS_PER_TABLE)]
    blocks: list[Block] = []
    for n, chunk in enumerate(chunks, start=1):
        part = f"（{n}/{len(chunks)}）" if len(chunks) > 1 else ""
        caption = f"按“{by_label}”分组{part}"
        table = _cross_table(q, res, chunk, caption)
        if table is not None:
            blocks.append(table)
    return blocks


def _cross_table(q: Question, res: QuestionResult, groups: list[str], caption: str) -> Table | None:
    subs = [res.by[g] for g in groups] + [res]
    names = [*(printable_answer(g) for g in groups), "全部"]  # a group by region is a typed answer
    columns = (Column("选项" if q.type != "matrix" else "项目", 4),
               *(Column(name, 2.2, "right") for name in names))
    bases = ("答题人数", *(str(sub.base) for sub in subs))
    match q.type:
        case "single" | "multiple" | "scale":
            rows = [(oc.label, *(_count_pct(sub, i) for sub in subs)) for i, oc in enumerate(res.options)]
        case "ranking":
            labels = [oc.label for oc in res.options]
            rows = [(label, *(_score_of(sub, label) for sub in subs)) for label in labels]
            caption += "，表中为平均综合得分"
        case "matrix":
            rows = [(row[0], *(_row_mean(sub, i) for sub in subs)) for i, row in enumerate(res.rows)]
            caption += "，表中为平均分"
        case "number":
            rows = [("平均值", *(sub.mean or "—" for sub in subs))]
        case "region":
            labels = [label for label, _n in _region_counts(res)]
            rows = [(printable_answer(label), *(_region_cell(sub, label) for sub in subs)) for label in labels]
        case _:
            return None
    if q.type in ("single", "multiple", "scale", "region"):
        caption += "，列百分比"
    return Table(columns, (bases, *(tuple(r) for r in rows)), caption=caption)


def _count_pct(sub: QuestionResult, i: int) -> str:
    if i >= len(sub.options):
        return "—"
    oc = sub.options[i]
    return f"{oc.count} ({oc.percent}%)"


def _score_of(sub: QuestionResult, label: str) -> str:
    return next((oc.score for oc in sub.options if oc.label == label), "—")


def _row_mean(sub: QuestionResult, i: int) -> str:
    return (sub.rows[i][2] or "—") if i < len(sub.rows) else "—"


def _region_cell(sub: QuestionResult, label: str) -> str:
    n = sum(1 for text in sub.texts if (text.strip() or NOT_GIVEN) == label)
    return f"{n} ({percent(n, sub.base)}%)"


def group_order(res_by_label: str, questions: list[QuestionResult]) -> list[str]:
    """The groups in the order of the grouping question's options (when it has them), 未注明 last."""
    for r in questions:
        if r.question.text == res_by_label and r.question.options:
            return [o.label for o in r.question.options]
    labels: set[str] = set()
    for r in questions:
        labels.update(r.by)
    return sorted(labels, key=lambda g: (g == NOT_GIVEN, g))


def needs_table(needs: list[tuple[str, int]], valid: int) -> Table:
    rows = tuple((str(i), label, str(n), pct(percent(n, valid))) for i, (label, n) in enumerate(needs, start=1))
    return Table((Column("排序", 1.2, "center"), Column("需求", 6), Column("选择人次", 2, "right"),
                  Column("占有效问卷", 2, "right")), rows)


def needs_chart(needs: list[tuple[str, int]], valid: int) -> BarChart:
    shown = needs[:10]
    values = tuple(float(percent(n, valid)) for _l, n in shown)
    return BarChart(tuple(label for label, _n in shown), values, tuple(f"{v:.1f}%" for v in values),
                    maximum=100, unit="%", caption="需求排序（占有效问卷百分比）")
