"""One response's answers, as stored: a dict from question code to a small dict (compact, because a county
holds tens of thousands of responses and every one travels in sync packages).

    {"c": [2]}                 single choice, code 2
    {"c": [1, 3], "t": "…"}    multiple choice; "t" the text typed beside an 其他（请注明） option
    {"c": [3, 1, 2]}           ranking, first place first
    {"c": [4]}                 a point of a scale (its option code)
    {"m": {"1": 4, "2": 3}}    matrix: row code → point
    {"t": "…"}                 short text, region/village
    {"n": "12.5"}              number (text of a Decimal: never a float)
    {"x": "skip"}              not asked: its show-if condition was not met (问卷星 "(跳过)", 按序号 -3)
    {"x": "empty"}             asked and left empty (问卷星 "(空)")

A question missing from the dict was not entered at all. Neither "skip" nor "empty" is an answer; a question's
base counts only answered ones."""

import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.core.surveys.questionnaire import Question, Questionnaire

SKIP = "skip"
EMPTY = "empty"
# Decimal also reads Infinity, NaN and 1E+999999, which no count or amount is and which break every mean
NUMBER_LIMIT = Decimal(10) ** 15
NUMBER_ADVICE = "请填写普通的数字，如 3 或 12.5（不超过 15 位）"


def number_value(text: str) -> Decimal | None:
    """`text` (全角 digits too) as a number a report can add up, or None."""
    try:
        value = Decimal(unicodedata.normalize("NFKC", text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < NUMBER_LIMIT else None


def answered(answer: dict | None) -> bool:
    return bool(answer) and "x" not in answer


def codes(answer: dict | None) -> list[int]:
    return list(answer.get("c", [])) if answer else []


def shown(question: Question, answers: dict) -> bool:
    """Whether `question` is asked, given the earlier answers (its show-if condition)."""
    cond = question.show_if
    if cond is None:
        return True
    return bool(set(codes(answers.get(cond.question))) & set(cond.codes))


def answer_problems(question: Question, answer: dict) -> list[str]:
    """What is wrong with `answer` to `question`, in words for the person entering it (empty when fine)."""
    if not answered(answer):
        return []
    where = f"第 {question.number or question.code} 题"
    chosen = codes(answer)
    if question.type in ("single", "multiple", "ranking", "scale"):
        unknown = [c for c in chosen if question.option(c) is None]
        if unknown:
            have = "、".join(str(o.code) for o in question.options)
            return [f"{where}没有选项 {'、'.join(map(str, unknown))}（可选：{have}）"]
        if len(set(chosen)) != len(chosen):
            return [f"{where}同一个选项输入了两次"]
        if question.type in ("single", "scale") and len(chosen) > 1:
            return [f"{where}是单选题，只能选一项"]
        limit = question.max_choices
        if limit and len(chosen) > limit:
            return [f"{where}最多选 {limit} 项，输入了 {len(chosen)} 项"]
        if question.min_choices and len(chosen) < question.min_choices:
            return [f"{where}至少选 {question.min_choices} 项"]
        exclusive = [c for c in chosen if question.option(c).exclusive]
        if exclusive and len(chosen) > 1:
            return [f"{where}的“{question.option(exclusive[0]).label}”只能单独选择"]
    if question.type == "number" and number_value(str(answer.get("n", ""))) is None:
        return [f"{where}的“{answer.get('n', '')}”不是可以统计的数字，{NUMBER_ADVICE}"]
    if question.type == "matrix":
        for row, point in answer.get("m", {}).items():
            if question.row(int(row)) is None:
                return [f"{where}没有第 {row} 行"]
            if question.option(point) is None:
                return [f"{where}没有分值 {point}"]
    return []


def missing_required(form: Questionnaire, answers: dict) -> list[Question]:
    """Required questions that were asked (show-if met) and not answered."""
    return [q for q in form.questions
            if q.required and shown(q, answers) and not answered(answers.get(q.code))]
