"""Analysis as survey readers expect it: bases, percents of respondents and of mentions, 问卷星's ranking score,
the needs ranking and seed 004's sentence, cross-tabs; validity rules."""

from desktop_app.core.surveys.analysis import (
    analyse,
    analyse_question,
    group_label,
    needs_ranking,
    needs_sentence,
)
from desktop_app.core.surveys.importing import plan_rows
from desktop_app.core.surveys.infer import infer_questionnaire
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire
from desktop_app.core.surveys.read_table import read_table
from desktop_app.core.surveys.sources import parse_export
from desktop_app.core.surveys.validity import (
    INCOMPLETE,
    SAME_ANSWERS,
    SAME_HOUSEHOLD,
    TOO_FAST,
    Candidate,
    Rules,
    exclusions,
)
from tests.core.surveys.samples import WJX_209, WJX_2016_CODES, WJX_2016_TEXT

NEEDS = ["亲子教育", "养老服务", "就业", "环境卫生", "照护", "都不需要"]


def _results(path):
    export = parse_export(read_table(path), path)
    form = infer_questionnaire(export, "t")
    plan = plan_rows(export, list(zip(export.groups, form.questions, strict=True)))
    return form, analyse(form, [r.answers for r in plan.responses])


def test_the_text_and_code_twins_give_the_same_counts():
    _form, by_text = _results(WJX_2016_TEXT)
    _form, by_code = _results(WJX_2016_CODES)
    assert len(by_text) == len(by_code)
    for t, c in zip(by_text, by_code, strict=True):
        assert t.base == c.base, t.question.text
        assert sorted(o.count for o in t.options if o.count) == sorted(o.count for o in c.options if o.count), t.question.text
        assert [(label, base) for label, base, _m, _o in t.rows] == [(label, base) for label, base, _m, _o in c.rows]


def test_base_excludes_skipped_and_multiple_choice_gives_both_percents():
    form, results = _results(WJX_209)
    q7 = next(r for r in results if r.question.code == "Q7")
    assert q7.base == 149  # 59 answered 否 to Q6 and were skipped
    q5 = next(r for r in results if r.question.code == "Q5")
    family = q5.options[0]
    assert (family.label, family.count, family.percent) == ("家庭供给", 165, "79.3")
    mentions = sum(o.count for o in q5.options)
    assert family.mentions_percent == f"{165 * 100 / mentions:.1f}"
    assert sum(float(o.percent) for o in q5.options) > 100


def test_ranking_score_is_wjx_average_composite_score():
    q = Question("Q1", "排序", "ranking", options=[Option(1, "甲"), Option(2, "乙"), Option(3, "丙")])
    result = analyse_question(q, [{"Q1": {"c": [1, 2, 3]}}, {"Q1": {"c": [2, 1]}}, {"Q1": {"x": "skip"}}])
    scores = {o.label: o.score for o in result.options}
    # 甲: (1×3 + 1×2) / 2 = 2.50; 乙: (1×2 + 1×3) / 2 = 2.50; 丙: 1×1 / 2 = 0.50
    assert result.base == 2 and scores == {"甲": "2.50", "乙": "2.50", "丙": "0.50"}


def _needs_form() -> Questionnaire:
    need = Question("Q2", "您家最需要哪些服务？（可多选）", "multiple", need=True,
                    options=[Option(i + 1, label, exclusive=label == "都不需要") for i, label in enumerate(NEEDS)])
    return Questionnaire("t", [Question("Q1", "所在村", "single", options=[Option(1, "青花"), Option(2, "八台")]), need])


def test_needs_ranking_gives_seed_004s_sentence():
    form = _needs_form()
    picks = [[1, 2, 3, 4]] * 5 + [[1, 2, 3]] * 3 + [[1, 2]] * 2 + [[1]] + [[6]] * 4
    answers = [{"Q1": {"c": [1]}, "Q2": {"c": p}} for p in picks]
    ranking = needs_ranking(analyse(form, answers))
    assert [label for label, _n in ranking] == ["亲子教育", "养老服务", "就业", "环境卫生"]  # 都不需要 is not a need
    assert needs_sentence(250, ranking) == "共收集250份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生"
    assert needs_sentence(0, ranking) == ""


def test_cross_tab_by_a_single_choice_question():
    form = _needs_form()
    answers = [{"Q1": {"c": [1]}, "Q2": {"c": [1]}}, {"Q1": {"c": [2]}, "Q2": {"c": [2]}},
               {"Q1": {"c": [2]}, "Q2": {"c": [1, 2]}}, {"Q1": {"x": "empty"}, "Q2": {"c": [3]}}]
    results = analyse(form, answers, groups=[group_label(form.questions[0], a) for a in answers])
    by = results[1].by
    assert set(by) == {"青花", "八台"} and by["八台"].base == 2
    assert [o.count for o in by["八台"].options[:2]] == [1, 2] and by["八台"].options[1].percent == "100.0"


def test_validity_rules_each_keep_their_reason():
    q = Question("Q1", "户号", "text", required=True)
    form = Questionnaire("t", [q, Question("Q2", "需要", "single", options=[Option(1, "是")])])
    rows = [Candidate("问卷星", {"Q1": {"t": "1-01"}, "Q2": {"c": [1]}}, seconds=200, submitted_at="2024-05-01 08:00:00"),
            Candidate("问卷星", {"Q1": {"t": "1-02"}}, seconds=5, submitted_at="2024-05-01 08:01:00"),
            Candidate("纸质", {"Q1": {"t": "1-01"}}),
            Candidate("纸质", {"Q2": {"c": [1]}}),
            Candidate("问卷星", {"Q1": {"t": "1-01"}, "Q2": {"c": [1]}}, seconds=90, submitted_at="2024-05-01 08:05:00")]
    rules = Rules(min_seconds=30, household_question="Q1")
    assert exclusions(form, rows, rules) == ["", TOO_FAST, SAME_HOUSEHOLD, INCOMPLETE, SAME_HOUSEHOLD]
    assert exclusions(form, rows, Rules())[4] == SAME_ANSWERS
    assert Rules.from_json(rules.to_json()) == rules
