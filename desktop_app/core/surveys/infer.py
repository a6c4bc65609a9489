"""A questionnaire guessed from an export's headers and answers, for the user to confirm before importing.

The guesses: ┋ in any answer or 多选 in the header → multiple choice; → → ranking; several columns of one
number → matrix; "4分" → scale; 省-市 answers under a header that asks for a place → region; numbers only →
number; many different answers → short text; anything else → single choice, its options in the order a person
expects (by their leading number when they have one: 18-20岁, 21-23岁 …; otherwise as they first appear, with
其他 last)."""

import re
from collections import Counter

from desktop_app.core.privacy import find_private_numbers
from desktop_app.core.surveys.answers import number_value
from desktop_app.core.surveys.cells import (
    EMPTY_TEXT,
    SKIPPED_TEXT,
    label_key,
    piece_label,
    point_of,
    split_choices,
)
from desktop_app.core.surveys.questionnaire import OPTION_CHARS, Option, Question, Questionnaire
from desktop_app.core.surveys.sources import BY_CODE, SKIP_CODES, TXWJ, Export, Group

PRIVATE_WORDS = ("姓名", "名字", "电话", "手机号", "联系方式", "地址", "住址", "门牌", "身份证", "微信号", "QQ号")
NEED = re.compile(r"需求|(?<!不)需要")
TEXT_WORDS = ("填空", "建议", "意见", "请具体", "请说明", "想法")
# answers of a scale worded in words, from most to least: sorted this way when every label has a degree
DEGREES = (("非常不", 1), ("完全不", 1), ("极不", 1), ("不太", 2), ("比较不", 2), ("一般", 3), ("无所谓", 3),
           ("说不清", 3), ("比较", 4), ("较", 4), ("非常", 5), ("十分", 5), ("很", 5))
NONE_LABELS = {"都不需要", "以上都不需要", "都没有", "以上都没有", "以上都不是", "无", "没有", "都不需要。"}
REGION_WORDS = ("省份", "城市", "地区", "所在地", "村", "社区", "地址")


def infer_questionnaire(export: Export, title: str, types: dict[str, str] | None = None) -> Questionnaire:
    """The questionnaire an export implies; `types` (question code → type) are the user's corrections."""
    types = types or {}
    return Questionnaire(title=title, questions=[infer_question(export, g, n, types.get(f"Q{n}"))
                                                 for n, g in enumerate(export.groups, start=1)])


def infer_question(export: Export, group: Group, position: int, forced: str | None = None) -> Question:
    text = group.text.strip() or f"第{position}题"
    q = Question(code=f"Q{position}", text=text, type="single", number=group.number or str(position))
    counts = Counter(row[i].strip() for row in export.rows for i in group.columns)
    # each different answer once, in the order they first appear (10,000 rows hold a few hundred)
    answered = [v for v in counts if v not in SKIPPED_TEXT and v not in EMPTY_TEXT
                and not (export.layout == BY_CODE and v in SKIP_CODES)]
    total = sum(counts[v] for v in answered)
    if group.per_option:
        ranks = any((point_of(v) or 0) > 1 for v in answered) and export.source != TXWJ
        q.type = "ranking" if ranks or "排序" in text else "multiple"
        q.options = _options(group.subs, multiple=True)
    elif group.matrix:
        q.type = "matrix"
        q.rows = [Option(code=n, label=sub) for n, sub in enumerate(group.subs, start=1)]
        q.options = _scale(answered, text) or _options(_distinct(answered), multiple=False)
    else:
        _single_column(q, answered, total, export.layout)
        if forced and forced != q.type and forced in FORCEABLE:
            _force(q, forced, answered)
    q.private = q.type == "text" and any(w in text for w in PRIVATE_WORDS)
    q.need = q.type in ("single", "multiple", "ranking") and bool(NEED.search(text))
    if "必答" in text or "*必答" in text:
        q.required = True
    return q


def _single_column(q: Question, answered: list[str], total: int, layout: str) -> None:
    """`answered`: the different answers given, `total` how many gave one."""
    text = q.text
    if layout == BY_CODE:
        numbers = [point_of(v) for v in answered]
        if answered and all(n is not None for n in numbers) and "填空" not in text:
            q.options = [Option(code=c, label=f"选项{c}") for c in sorted(set(numbers))]  # 按序号 keeps no labels
            return
    if any("┋" in v for v in answered):
        labels = _distinct([p for v in answered for p in split_choices(v)])
        q.type, q.options = ("text", []) if _private(labels) or _long(labels) else ("multiple", _options(labels, multiple=True))
        return
    if any("→" in v for v in answered):
        labels = _distinct([p for v in answered for p in split_choices(v, "→")])
        q.type, q.options = ("text", []) if _private(labels) or _long(labels) else ("ranking", _options(labels, multiple=False))
        return
    if answered and all(v.endswith("分") and point_of(v) is not None for v in answered):
        q.type, q.options = "scale", _scale(answered, text)
        return
    if answered and any(w in text for w in REGION_WORDS) and all(re.fullmatch(r"[^-\s]+(-[^-\s]+)+", v) for v in answered):
        q.type = "region"
        return
    if any(w in text for w in TEXT_WORDS + PRIVATE_WORDS):
        q.type = "text"
        return
    if answered and all(_is_number(v) for v in answered):
        if _private(answered):  # phone numbers are numbers too: kept as text, which every output masks
            q.type = "text"
            return
        points = {point_of(v) for v in answered}
        if None not in points and len(points) <= 11 and any(w in text for w in ("分", "满意", "评价", "程度")):
            q.type, q.options = "scale", _scale(answered, text)
        else:
            q.type = "number"
        return
    distinct = _distinct([piece_label(v)[0] for v in answered])
    if (len(distinct) > 20 or (len(distinct) > 8 and len(distinct) > total * 0.5)
            or (total >= 3 and len(distinct) == total) or _private(distinct) or _long(distinct)):
        q.type = "text"
        return
    if "多选" in text:
        q.type = "multiple"
    q.options = _options(distinct, multiple=q.type == "multiple")


def _private(labels: list[str]) -> bool:
    """Whether an answer that would become an option label (or a number) holds a phone or ID number: its
    question is then typed text, which reports and exports print masked, never as an option's label."""
    return any(len(label) >= 7 and find_private_numbers(label) for label in labels)


def _long(labels: list[str]) -> bool:
    """Whether an answer is too long for an option (a paragraph typed into the cell): then it is a text answer."""
    return any(len(label) > OPTION_CHARS for label in labels)


FORCEABLE = ("single", "multiple", "ranking", "scale", "text", "number", "region")


def _force(q: Question, kind: str, answered: list[str]) -> None:
    """The user's correction of a guessed type: the options read again from the answers for that type."""
    q.type = kind
    if kind in ("text", "number", "region"):
        q.options = []
    elif kind == "multiple":
        q.options = _options(_distinct([p for v in answered for p in split_choices(v)]), multiple=True)
    elif kind == "ranking":
        q.options = _options(_distinct([p for v in answered for p in split_choices(v, "→")]), multiple=False)
    elif kind == "scale":
        q.options = _scale(answered, q.text) or _options(_distinct(answered), multiple=False)
    else:
        q.options = _options(_distinct(answered), multiple=False)


def _distinct(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        label = piece_label(v)[0]
        seen.setdefault(label_key(label), label)
    return list(seen.values())


def _options(labels: list[str], *, multiple: bool) -> list[Option]:
    labels = _distinct(labels)
    if labels and all(_leading_number(x) is not None for x in labels):
        labels.sort(key=_leading_number)
    elif len(labels) > 1 and all(_degree(x) for x in labels):
        labels.sort(key=_degree, reverse=True)
    else:
        labels.sort(key=lambda x: (_is_other(x), x in NONE_LABELS))  # stable: first appearance otherwise
    return [Option(code=n, label=label, other=_is_other(label), exclusive=multiple and label in NONE_LABELS)
            for n, label in enumerate(labels, start=1)]


def _scale(answered: list[str], header: str) -> list[Option]:
    """The points of a scale: those seen, widened to what the header names ("1分表示…，5分表示…", "0-10分")."""
    points = {point_of(v) for v in answered}
    if not answered or None in points:
        return []
    named = [int(n) for n in re.findall(r"(\d+)\s*分", header)]
    named += [int(n) for pair in re.findall(r"(\d+)\s*[-~～到至]\s*(\d+)\s*分", header) for n in pair]
    low, high = min(points | set(named)), max(points | set(named))
    low = min(low, 1) if low >= 0 else low
    return [Option(code=p, label=f"{p}分") for p in range(low, high + 1)]


def _is_other(label: str) -> bool:
    return label.startswith("其他") or "请注明" in label


def _leading_number(label: str) -> float | None:
    m = re.match(r"^\s*([＜<≤]|[＞>≥]|小于|大于|低于|高于)?\s*(\d+)", label)
    if not m:
        return None
    below = m.group(1) in ("＜", "<", "≤", "小于", "低于") or "以下" in label
    above = m.group(1) in ("＞", ">", "≥", "大于", "高于") or "以上" in label
    return int(m.group(2)) - (0.5 if below else 0) + (0.5 if above else 0)


def _degree(label: str) -> int:
    """How strongly a worded scale point agrees (5 most, 1 least), 0 when the label has no degree word."""
    return next((score for word, score in DEGREES if label.startswith(word)), 0)


def _is_number(text: str) -> bool:
    return number_value(text) is not None


def unseen_options(export: Export, pairs: list[tuple[Group, Question]]) -> dict[str, list[str]]:
    """Option labels a later export brings that the questionnaire (guessed from an earlier one) has not seen yet:
    question code → new labels, in the order they appear."""
    found: dict[str, list[str]] = {}
    for group, q in pairs:
        if q.type not in ("single", "multiple", "ranking") or group.matrix or export.layout == BY_CODE and not group.per_option:
            continue
        known = {label_key(o.label) for o in q.options}
        if group.per_option:
            labels = list(group.subs)
        else:
            sep = "┋" if q.type == "multiple" else "→" if q.type == "ranking" else None
            labels = [piece_label(p)[0] for row in export.rows for v in (row[group.columns[0]].strip(),)
                      if v not in SKIPPED_TEXT and v not in EMPTY_TEXT
                      for p in (split_choices(v, sep) if sep else [v])]
        for label in labels:
            if label_key(label) not in known and not _private([label]) and not _long([label]):  # its rows are refused
                known.add(label_key(label))
                found.setdefault(q.code, []).append(label)
    return found


def with_options(form: Questionnaire, additions: dict[str, list[str]]) -> Questionnaire:
    """A copy of `form` with `additions` appended to their questions (new codes after the highest)."""
    copy = Questionnaire.from_json(form.to_json())
    for code, labels in additions.items():
        q = copy.question(code)
        for label in labels:
            q.options.append(Option(code=max((o.code for o in q.options), default=0) + 1, label=label,
                                    other=_is_other(label), exclusive=q.type == "multiple" and label in NONE_LABELS))
    return copy
