"""An export's rows turned into responses of a questionnaire, before anything is written: which columns answer
which question (matched by number and text, never by position), each row's answers, and each refused row
with its reason. The service then keeps what is new (keyed by source and the source's own number)."""

import json
import re
from dataclasses import dataclass, field

from desktop_app.core.errors import UserError
from desktop_app.core.surveys.answers import answer_problems
from desktop_app.core.surveys.cells import CellProblem, label_key, read_answer
from desktop_app.core.surveys.questionnaire import Question, Questionnaire
from desktop_app.core.surveys.sources import BY_CODE, Export, Group, Meta


@dataclass
class PlannedResponse:
    meta: Meta
    answers: dict
    text: str  # `answers` as stored: json.dumps(answers, ensure_ascii=False, sort_keys=True)


@dataclass
class Plan:
    responses: list[PlannedResponse] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row in the file, reason)


def match_questions(export: Export, form: Questionnaire, origin: str = "") -> list[tuple[Group, Question]]:
    """Each column group with its question; refused (naming the questions) when the file belongs to another
    questionnaire. A 按序号 file maps single-choice codes, so only onto a questionnaire whose codes came from
    问卷星's own numbering."""
    pairs, unmatched = [], []
    free = list(form.questions)
    for group in export.groups:
        question = _find(group, free)
        if question is None:
            unmatched.append(f"第 {group.number or '?'} 题“{_short(group.text)}”")
            continue
        free.remove(question)
        pairs.append((group, question))
    if unmatched:
        raise UserError(f"这份文件的题目和问卷“{form.title}”对不上，可能是另一份问卷的数据。没有导入任何答卷。"
                        "请选对问卷，或不选问卷、让程序按这份文件新建一份。对不上的题目：", details=unmatched[:10]
                        + ([f"…… 共 {len(unmatched)} 题"] if len(unmatched) > 10 else []))
    coded = [q for g, q in pairs if not g.per_option and not g.matrix and q.type in ("single", "multiple", "ranking")]
    if export.layout == BY_CODE and coded and not origin.endswith(BY_CODE):
        raise UserError(f"这是问卷星“按序号”导出的文件，其中的选项代码和问卷“{form.title}”的选项代码对不上"
                        "（这份问卷不是从按序号文件建立的）。没有导入任何答卷。请改用问卷星“按文本”导出的文件导入。")
    return pairs


def plan_rows(export: Export, pairs: list[tuple[Group, Question]]) -> Plan:
    plan = Plan()
    seen_numbers: set[str] = set()
    read: dict = {}  # (question, cells) → answer or problem: 10,000 rows repeat a few hundred cell texts
    for meta, row in zip(export.meta, export.rows, strict=True):
        if meta.source_no and meta.source_no in seen_numbers:
            plan.refused.append((meta.row, f"答卷编号 {meta.source_no} 在文件里出现了两次，只导入第一次出现的那份"))
            continue
        try:
            answers, text = _row_answers(row, pairs, export, read)
        except CellProblem as problem:
            plan.refused.append((meta.row, str(problem)))
            continue
        if not meta.source_no:
            plan.refused.append((meta.row, "这一行没有答卷编号（序号），无法判断是否已导入过"))
            continue
        seen_numbers.add(meta.source_no)
        plan.responses.append(PlannedResponse(meta, answers, text))
    return plan


def _row_answers(row: list[str], pairs: list[tuple[Group, Question]], export: Export,
                 read: dict) -> tuple[dict, str]:
    """The row's answers, and the same as stored JSON, assembled from each answer's JSON (made once per
    different cell text) in the order json.dumps(sort_keys=True) writes the keys."""
    answers, parts = {}, {}
    for n, (group, question) in enumerate(pairs):
        columns = group.columns
        key = (n, row[columns[0]]) if len(columns) == 1 else (n, *(row[i] for i in columns))
        if key not in read:
            read[key] = _answer(question, group, row, export)
        found = read[key]
        if isinstance(found, CellProblem):
            raise found
        if found is not None:
            answer, part = found
            answers[question.code] = answer  # shared between rows with the same cells: never changed after
            parts[question.code] = part
    return answers, "{" + ", ".join(parts[code] for code in sorted(parts)) + "}"


def _answer(question: Question, group: Group, row: list[str],
            export: Export) -> tuple[dict, str] | CellProblem | None:
    """The cell's answer with its `"code": {…}` part of the stored JSON, or the problem, or None."""
    try:
        answer = read_answer(question, group, row, export.layout, export.source)
    except CellProblem as problem:
        return problem
    if answer is None:
        return None
    problems = answer_problems(question, answer)
    if problems:
        return CellProblem(problems[0])
    part = json.dumps({question.code: answer}, ensure_ascii=False, sort_keys=True)[1:-1]
    return answer, part


def _find(group: Group, questions: list[Question]) -> Question | None:
    key = _text_key(group.text)
    for q in questions:
        same_number = group.number and q.number == group.number
        if same_number and (not key or _similar(key, _text_key(q.text))):
            return q
    return next((q for q in questions if key and _text_key(q.text) == key), None)


def _similar(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 2 and (a in b or b in a))


def _text_key(text: str) -> str:
    """Question text without its tool's suffixes ("(单选题 *必答)", "（可多选）") and punctuation."""
    text = re.sub(r"[(（](?:[^()（）]*题[^()（）]*|可多选|多选|单选|必答)[)）]", "", text)
    return re.sub(r"[\s?？:：。.,，!！*]", "", label_key(text))


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:23] + "…"
