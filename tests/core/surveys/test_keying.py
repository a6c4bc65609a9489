"""Paper entry keys: one keystroke per code, skips by show-if, wrong codes and too many choices refused."""

import pytest

from desktop_app.core.surveys.keying import KeyProblem, keystrokes, next_question, read_keys
from desktop_app.core.surveys.questionnaire import check_questionnaire
from desktop_app.core.surveys.template import community_needs_template


@pytest.fixture
def form():
    return community_needs_template()


def test_the_template_is_a_valid_questionnaire_with_seed_004s_needs(form):
    check_questionnaire(form)
    needs = form.question("Q6")
    assert needs.need and needs.max_choices == 4
    assert [o.label for o in needs.options[:4]] == ["亲子教育", "养老服务", "就业", "环境卫生"]
    assert needs.options[-1].exclusive and needs.options[-2].other
    assert not any(q.private for q in form.questions)  # it asks no name, phone or address


def test_codes_are_keyed_as_digits(form):
    assert read_keys(form.question("Q4"), "2") == {"c": [2]}
    assert read_keys(form.question("Q6"), "1234") == {"c": [1, 2, 3, 4]}
    assert read_keys(form.question("Q6"), "1 2 11") == {"c": [1, 2, 11]}
    assert read_keys(form.question("Q6"), "１３") == {"c": [1, 3]}  # 全角 digits from a Chinese input method
    assert read_keys(form.question("Q8"), "3124") == {"c": [3, 1, 2, 4]}
    assert read_keys(form.question("Q12"), "4352") == {"m": {"1": 4, "2": 3, "3": 5, "4": 2}}
    assert read_keys(form.question("Q3"), "4") == {"n": "4"}
    assert read_keys(form.question("Q4"), "") == {"x": "empty"}


@pytest.mark.parametrize(("code", "typed", "message"), [
    ("Q4", "7", "没有选项 7"), ("Q4", "12", "只能选一项"), ("Q6", "12345", "最多选 4 项"),
    ("Q6", "1 12", "只能单独选择"), ("Q6", "11", "输入了两次"), ("Q12", "435", "请每行输入一个分值"),
    ("Q3", "三口人", "要输入数字"), ("Q4", "a", "请输入选项代码")])
def test_wrong_keys_are_refused_with_what_to_key(form, code, typed, message):
    with pytest.raises(KeyProblem, match=message):
        read_keys(form.question(code), typed)


def test_questions_whose_condition_is_not_met_are_skipped_without_a_keystroke(form):
    answers = {"Q6": {"c": [1, 3]}}
    assert next_question(form, answers, "Q6").code == "Q8"
    assert answers["Q7"] == {"x": "skip"}
    answers = {"Q6": {"c": [2]}}
    assert next_question(form, answers, "Q6").code == "Q7"


def test_a_typical_form_takes_few_keystrokes(form):
    answers = {"Q1": {"t": "LX-001"}, "Q2": {"t": "一组"}, "Q3": {"n": "3"}, "Q4": {"c": [2]}, "Q5": {"c": [1, 4]},
               "Q6": {"c": [1, 2, 3, 4]}, "Q7": {"c": [1]}, "Q8": {"c": [1, 2, 3, 4]}, "Q9": {"c": [1]},
               "Q10": {"c": [2]}, "Q11": {"c": [4]}, "Q12": {"m": {"1": 4, "2": 4, "3": 3, "4": 5}}}
    assert keystrokes(form, answers) == 12 + 6 + 2 + 1 + 1 + 2 + 4 + 1 + 4 + 1 + 1 + 1 + 4
