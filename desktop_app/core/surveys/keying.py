"""Paper entry: what a person keys for each question, read as an answer, and which question comes next.

One keystroke per option code: single choice `2`, multiple choice `135` (each digit a code; a code of 10 or
more is keyed with a separator: `1 3 11` or `11,`), ranking in order `312`, a scale point `4`, a matrix one point per row
`4352`, a number `3`, text as typed. An empty entry leaves the question empty. Questions whose show-if
condition is not met are skipped without a keystroke (EpiData and LimeSurvey's data-entry screens do the same)."""

import re
import unicodedata

from desktop_app.core.surveys.answers import EMPTY, SKIP, answer_problems, number_value, shown
from desktop_app.core.surveys.questionnaire import Question, Questionnaire


class KeyProblem(ValueError):
    """What was keyed does not fit the question; the message says what to key instead."""


def read_keys(question: Question, typed: str) -> dict:
    text = unicodedata.normalize("NFKC", typed).strip()
    if not text:
        return {"x": EMPTY}
    kind = question.type
    if kind in ("text", "region"):
        return {"t": typed.strip()}
    if kind == "number":
        value = number_value(text)
        if value is None:
            raise KeyProblem(f"第 {question.number or question.code} 题要输入数字，例如 3（不超过 15 位）")
        return {"n": str(value)}
    if kind == "matrix":
        points = _codes(question, text, per_row=True)
        if len(points) != len(question.rows):
            raise KeyProblem(f"第 {question.number or question.code} 题有 {len(question.rows)} 行，"
                             f"请每行输入一个分值（共 {len(question.rows)} 个数字），输入了 {len(points)} 个")
        answer = {"m": {str(row.code): p for row, p in zip(question.rows, points, strict=True)}}
    else:
        answer = {"c": _codes(question, text)}
    problems = answer_problems(question, answer)
    if problems:
        raise KeyProblem(problems[0])
    return answer


def _codes(question: Question, text: str, per_row: bool = False) -> list[int]:
    if re.search(r"[\s,，、;；.]", text):
        parts = [p for p in re.split(r"[\s,，、;；.]+", text) if p]  # "1 3 11", "11,": codes of two digits
    elif not per_row and question.type in ("single", "scale") and text.isdigit() and question.option(int(text)):
        parts = [text]
    else:
        parts = list(text)  # one keystroke per code
    try:
        return [int(p) for p in parts]
    except ValueError:
        where = f"第 {question.number or question.code} 题"
        raise KeyProblem(f"{where}请输入选项代码（数字），例如 {question.options[0].code if question.options else 1}"
                         + ("；多选时连着输入，如 135" if question.type == "multiple" else "")) from None


def next_question(form: Questionnaire, answers: dict, after: str | None) -> Question | None:
    """The next question to key after `after` (None: the first), marking the ones skipped by their show-if
    condition as not asked in `answers`."""
    start = 0 if after is None else next(i for i, q in enumerate(form.questions) if q.code == after) + 1
    for q in form.questions[start:]:
        if shown(q, answers):
            return q
        answers[q.code] = {"x": SKIP}
    return None


def keystrokes(form: Questionnaire, answers: dict) -> int:
    """The keys one form takes: each code digit or point, one Enter per question asked (the measure the issue
    asks for: 250 forms of 20 questions in an afternoon)."""
    keys = 0
    for q in form.questions:
        a = answers.get(q.code)
        if not a or a.get("x") == SKIP:
            continue
        keys += 1  # Enter
        if "c" in a:
            keys += sum(len(str(c)) for c in a["c"]) + (len(a["c"]) - 1 if any(c >= 10 for c in a["c"]) else 0)
        elif "m" in a:
            keys += len(a["m"])
        elif "n" in a:
            keys += len(a["n"])
        elif "t" in a:
            keys += len(a["t"])
    return keys
