"""What the valid responses say, question by question, as people who read survey reports expect it:

- a question's base is the respondents who were asked it and answered it; percents are of the base;
- multiple choice: percent of respondents (sums over 100%) and percent of mentions, said which;
- ranking: 问卷星's 平均综合得分 = Σ(times at a place × weight) / respondents, weight = options − place + 1;
- the needs ranking across the need questions: the options most mentioned, which gives seed 004's sentence
  "共收集250份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生";
- a cross-tabulation by any single-choice question (or the site): the same tables per group, column percents.

Numbers are exact (Decimal); percents are text with one decimal, rounded half up."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.core.privacy import redact_private_numbers
from desktop_app.core.surveys.answers import answered, codes, number_value
from desktop_app.core.surveys.questionnaire import Question, Questionnaire

TOP_NEEDS = 4


@dataclass
class OptionCount:
    code: int
    label: str
    count: int
    percent: str  # of the base (respondents)
    mentions_percent: str = ""  # multiple choice: of all mentions
    score: str = ""  # ranking: 平均综合得分


@dataclass
class QuestionResult:
    question: Question
    base: int
    options: list[OptionCount] = field(default_factory=list)
    rows: list[tuple[str, int, str, list[OptionCount]]] = field(default_factory=list)  # matrix: label, base, mean
    texts: list[str] = field(default_factory=list)  # text and region answers (never of a private question)
    mean: str = ""  # number and scale questions
    by: dict[str, "QuestionResult"] = field(default_factory=dict)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0.0"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _two(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def analyse_question(q: Question, answer_sets: list[dict]) -> QuestionResult:
    code = q.code
    given = [a for a in (s.get(code) for s in answer_sets) if a and "x" not in a]  # answered: the base
    result = QuestionResult(q, base=len(given))
    if q.type in ("single", "multiple", "ranking", "scale"):
        counts: Counter = Counter()
        for a in given:  # the hot loop of a 10,000-response analysis: no calls per answer beyond update
            counts.update(a.get("c", ()))
        mentions = sum(counts.values())
        for o in q.options:
            oc = OptionCount(o.code, o.label, counts[o.code], percent(counts[o.code], result.base))
            if q.type == "multiple":
                oc.mentions_percent = percent(counts[o.code], mentions)
            result.options.append(oc)
        if q.type == "ranking":
            _ranking_scores(q, given, result)
        if q.type == "scale" and given:
            total = sum(point * n for point, n in counts.items())  # one point per answer
            result.mean = _two(Decimal(total) / len(given))
    elif q.type == "matrix":
        for row in q.rows:
            points = [a["m"][str(row.code)] for a in given if str(row.code) in a.get("m", {})]
            counts = Counter(points)
            options = [OptionCount(o.code, o.label, counts[o.code], percent(counts[o.code], len(points)))
                       for o in q.options]
            mean = _two(sum(Decimal(p) for p in points) / len(points)) if points else ""
            result.rows.append((row.label, len(points), mean, options))
    elif q.type == "number":
        values = [v for a in given if (v := number_value(a.get("n", ""))) is not None]  # older data may hold NaN
        if values:
            result.mean = _two(sum(values) / len(values))
    elif not q.private:
        # a report is public: a phone or ID number typed into an answer never reaches it
        result.texts = [redact_private_numbers(a["t"]) for a in given if a.get("t")]
    return result


def _ranking_scores(q: Question, given: list[dict], result: QuestionResult) -> None:
    n = len(q.options)
    weights: Counter = Counter()
    for a in given:
        for place, code in enumerate(codes(a), start=1):
            weights[code] += max(n - place + 1, 0)
    for oc in result.options:
        oc.score = _two(Decimal(weights[oc.code]) / result.base) if result.base else "0.00"
    result.options.sort(key=lambda oc: Decimal(oc.score), reverse=True)


def analyse(form: Questionnaire, answer_sets: list[dict], *, groups: list[str | None] | None = None
            ) -> list[QuestionResult]:
    """Every question's result; with `groups` (a label per answer set, None for none), each also by group."""
    results = [analyse_question(q, answer_sets) for q in form.questions]
    if groups is not None:
        members: dict[str, list[dict]] = {}
        for answers, label in zip(answer_sets, groups, strict=True):
            if label is not None:
                members.setdefault(label, []).append(answers)
        for r in results:
            r.by = {label: analyse_question(r.question, sets) for label, sets in members.items()}
    return results


def group_label(q: Question, a: dict) -> str | None:
    """The group a respondent falls in by a single-choice (or scale, or region) question: the answer's label."""
    answer = a.get(q.code)
    if not answered(answer):
        return None
    if q.type == "region":  # typed text, printed as a group's name: masked like every printed answer
        return redact_private_numbers(answer.get("t", ""))
    chosen = codes(answer)
    option = q.option(chosen[0]) if chosen else None
    return option.label if option else None


def needs_ranking(results: list[QuestionResult]) -> list[tuple[str, int]]:
    """The needs most mentioned across the need questions (其他 and 都不需要 left out), most first."""
    totals: Counter = Counter()
    order: dict[str, int] = {}
    for r in results:
        if not r.question.need:
            continue
        for oc in r.options:
            option = r.question.option(oc.code)
            if option is None or option.other or option.exclusive or not oc.count:
                continue
            totals[oc.label] += oc.count
            order.setdefault(oc.label, len(order))
    return sorted(totals.items(), key=lambda item: (-item[1], order[item[0]]))


def needs_sentence(valid: int, ranking: list[tuple[str, int]]) -> str:
    """Seed 004's sentence: "共收集250份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生"."""
    if not valid:
        return ""
    if not ranking:
        return f"共收集{valid}份有效调查问卷。"
    top = [label for label, _count in ranking[:TOP_NEEDS]]
    place = "前四位" if len(top) == 4 else f"前{'一二三'[len(top) - 1]}位" if len(top) > 1 else "第一位"
    return f"共收集{valid}份有效调查问卷，需求排在{place}的是：{'、'.join(top)}"
