"""A questionnaire version as one document: questions, their options and rules.

A version is stored as the JSON this module writes and is never changed once answers exist (a change makes a
new version), as ODK Central refuses to reuse a form version: answers to two versions never mix silently.
Option codes are stable numbers, printed beside each option on the paper form and typed in paper entry."""

import json
from dataclasses import asdict, dataclass, field

from desktop_app.core.errors import UserError

QUESTION_TYPES = ("single", "multiple", "ranking", "scale", "matrix", "text", "number", "region")
TYPE_NAMES = {"single": "单选", "multiple": "多选", "ranking": "排序", "scale": "评分", "matrix": "矩阵",
              "text": "填空", "number": "数字", "region": "地区/村"}
CHOICE_TYPES = ("single", "multiple", "ranking")  # answered with option codes
SCALED_TYPES = ("scale", "matrix")  # answered with a point on the scale (per row for a matrix)
# an option is printed in one table cell of the paper form and the report, which cannot break across pages
OPTION_CHARS = 200


@dataclass
class Option:
    code: int
    label: str
    other: bool = False  # 其他（请注明）: the typed text is kept beside the code
    exclusive: bool = False  # 都不需要: chosen alone


@dataclass
class ShowIf:
    """Asked only when the earlier question `question` was answered with one of `codes`."""

    question: str
    codes: list[int]


@dataclass
class Question:
    code: str  # Q1, Q2 … stable within the questionnaire; answers are keyed by it
    text: str
    type: str
    options: list[Option] = field(default_factory=list)  # choice types; a scale's points for scale/matrix
    rows: list[Option] = field(default_factory=list)  # matrix rows (codes and labels)
    required: bool = False
    min_choices: int = 0
    max_choices: int = 0  # 0: no limit
    show_if: ShowIf | None = None
    need: bool = False  # counted in the needs ranking (需求排序)
    private: bool = False  # names, phones, addresses: never listed or printed
    number: str = ""  # the number the source printed (问卷星 "22、"), kept for the paper form and exports

    def option(self, code: int) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def row(self, code: int) -> Option | None:
        return next((r for r in self.rows if r.code == code), None)


@dataclass
class Questionnaire:
    title: str
    questions: list[Question] = field(default_factory=list)
    intro: str = ""

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Questionnaire":
        data = json.loads(text)
        questions = []
        for q in data.get("questions", []):
            show_if = q.get("show_if")
            questions.append(Question(
                **{k: v for k, v in q.items() if k not in ("options", "rows", "show_if")},
                options=[Option(**o) for o in q.get("options", [])],
                rows=[Option(**r) for r in q.get("rows", [])],
                show_if=ShowIf(**show_if) if show_if else None))
        return cls(title=data.get("title", ""), questions=questions, intro=data.get("intro", ""))


def check_questionnaire(form: Questionnaire) -> None:
    """Refuse a questionnaire that paper entry, imports or analysis could not use, naming what to fix."""
    problems: list[str] = [] if form.questions else ["问卷还没有题目：请至少新增一道题"]
    seen: set[str] = set()
    for q in form.questions:
        where = f"第 {q.number or q.code} 题"
        if q.code in seen:
            problems.append(f"{where}：题目编号 {q.code} 重复")
        seen.add(q.code)
        if q.type not in QUESTION_TYPES:
            problems.append(f"{where}：题型“{q.type}”不认识")
            continue
        if not q.text.strip():
            problems.append(f"{where}：没有题干")
        if q.type in CHOICE_TYPES + SCALED_TYPES and not q.options:
            problems.append(f"{where}：{TYPE_NAMES[q.type]}题至少要有一个选项")
        codes = [o.code for o in q.options]
        if len(set(codes)) != len(codes):
            problems.append(f"{where}：选项代码有重复")
        if any(c < 0 for c in codes):
            problems.append(f"{where}：选项代码要用 0 或正整数")
        long = [o.label for o in (*q.options, *q.rows) if len(o.label) > OPTION_CHARS]
        if long:
            problems.append(f"{where}：选项“{long[0][:20]}…”有 {len(long[0])} 字，选项和矩阵行最多 {OPTION_CHARS} 字")
        if q.type == "matrix" and not q.rows:
            problems.append(f"{where}：矩阵题至少要有一行")
        if q.max_choices and q.min_choices > q.max_choices:
            problems.append(f"{where}：最少选择数大于最多选择数")
        if q.show_if is not None:
            earlier = {p.code: p for p in form.questions[:form.questions.index(q)]}
            parent = earlier.get(q.show_if.question)
            if parent is None:
                problems.append(f"{where}：显示条件引用的题目 {q.show_if.question} 不在它前面。"
                                "请把这道题移到那道题后面，或改它的显示条件")
            elif any(parent.option(c) is None for c in q.show_if.codes):
                problems.append(f"{where}：显示条件里的选项代码在题目 {parent.code} 中没有")
    if problems:
        raise UserError("问卷还不能使用，请先改正：", details=problems)
