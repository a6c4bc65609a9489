"""Paper entry through the service, single and double: refusals change nothing, agreeing passes make the form
final, disagreements are listed and settled; and the demo's two surveys give seed 004's four needs."""

import json

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.queries.survey_results import survey_results
from desktop_app.core.services import survey_entry, surveys
from desktop_app.core.services.survey_entry import FIRST, SECOND, PaperForm
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import PROJECT, data_state, ok

FULL = {"Q2": {"t": "一组"}, "Q4": {"c": [2]}, "Q5": {"c": [1]}, "Q6": {"c": [1, 3]}}


@pytest.fixture
def survey_ws(pilot):
    folder, _e, _o = pilot
    with Workspace.open(folder, auto_backup=False) as ws:
        survey = surveys.create_from_template(ws, PROJECT)
    return folder, survey.id


def _refused(folder, action, message):
    before = data_state(folder)
    with Workspace.open(folder, auto_backup=False) as ws, pytest.raises(UserError, match=message):
        action(ws)
    assert data_state(folder) == before


def test_single_entry_saves_a_final_form_and_refuses_bad_ones(survey_ws):
    folder, sid = survey_ws
    with Workspace.open(folder, auto_backup=False) as ws:
        saved = survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL)))
        assert saved.final and json.loads(saved.response.answers)["Q7"] == {"x": "skip"}  # 养老服务 not chosen
    _refused(folder, lambda ws: survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL))), "已经录入过了")
    missing = {k: v for k, v in FULL.items() if k != "Q4"}
    _refused(folder, lambda ws: survey_entry.save_paper_form(ws, sid, PaperForm("002", missing)), "第 4 题.*保存为未答完")
    _refused(folder, lambda ws: survey_entry.save_paper_form(ws, sid, PaperForm("002", FULL | {"Q4": {"c": [9]}})),
             "没有选项 9")
    _refused(folder, lambda ws: survey_entry.save_paper_form(ws, sid, PaperForm("", dict(FULL))), "请填写问卷编号")
    with Workspace.open(folder, auto_backup=False) as ws:
        survey_entry.save_paper_form(ws, sid, PaperForm("002", missing, complete=False))
        with ws.reading() as s:
            results = survey_results(s, sid)
    assert (results.responses, results.valid, results.excluded) == (2, 1, [("必答题未答完", 1)])


def test_double_entry_lists_disagreements_and_a_third_decision_settles_them(survey_ws):
    folder, sid = survey_ws
    with Workspace.open(folder, auto_backup=False) as ws:
        assert not survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL), entry_pass=FIRST)).final
        assert survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL), entry_pass=SECOND)).final
        survey_entry.save_paper_form(ws, sid, PaperForm("002", dict(FULL), entry_pass=FIRST))
        saved = survey_entry.save_paper_form(ws, sid, PaperForm("002", FULL | {"Q4": {"c": [3]}}, entry_pass=SECOND))
        assert not saved.final and [(d.question, d.first, d.second) for d in saved.disagreements] == [
            ("Q4", {"c": [2]}, {"c": [3]})]
        with ws.reading() as s:
            assert survey_results(s, sid).responses == 1  # an unsettled form does not count yet
            assert [d.form_no for d in survey_entry.disagreements(s, sid)] == ["002"]
    _refused(folder, lambda ws: survey_entry.settle(ws, sid, "002", {}), "还没有裁定")
    _refused(folder, lambda ws: survey_entry.save_paper_form(ws, sid, PaperForm("002", dict(FULL), entry_pass=FIRST)),
             "第 1 遍已经录入过了")
    with Workspace.open(folder, auto_backup=False) as ws:
        final = survey_entry.settle(ws, sid, "002", {"Q4": {"c": [3]}})
        assert json.loads(final.answers)["Q4"] == {"c": [3]}
        with ws.reading() as s:
            assert survey_results(s, sid).responses == 2 and not survey_entry.disagreements(s, sid)


def test_the_demo_surveys_give_seed_004s_four_needs(demo, capsys):
    for name, total, valid in (("青花镇立信社区居民需求调查", 262, 250), ("八台镇天池村村民需求调查", 186, 180)):
        report = json.loads(ok(demo, capsys, "survey", "report", name, "--json"))
        assert (report["responses"], report["valid"]) == (total, valid)
        assert report["needs_ranking"][:4] == ["亲子教育", "养老服务", "就业", "环境卫生"]
    assert report["sentence"] == "共收集180份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生"
    texts = [a for q in report["questions"] if q["code"] == "Q13" for a in q["answers"]]
    assert texts and not any("1234" in t for t in texts)  # the phone typed into a suggestion is masked


def test_a_questionnaire_edit_that_would_orphan_answers_is_refused_and_changes_nothing(survey_ws):
    from desktop_app.core.queries.surveys import current_version
    from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire

    folder, sid = survey_ws
    with Workspace.open(folder, auto_backup=False) as ws:
        survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL)))
        with ws.reading() as s:
            form = Questionnaire.from_json(current_version(s, sid).definition)

    def edited(change) -> Questionnaire:
        copy = Questionnaire.from_json(form.to_json())
        change(copy)
        return copy

    def drop_option(f):  # 就业 (code 3) was chosen on form 001
        f.question("Q6").options = [o for o in f.question("Q6").options if o.code != 3]

    def retype(f):
        f.question("Q4").type = "multiple"

    def drop_question(f):
        f.questions = [q for q in f.questions if q.code != "Q5"]

    _refused(folder, lambda ws: surveys.save_questionnaire(ws, sid, edited(drop_option)), "选项代码 3 已被选过")
    _refused(folder, lambda ws: surveys.save_questionnaire(ws, sid, edited(retype)), "不能从单选改成多选")
    _refused(folder, lambda ws: surveys.save_questionnaire(ws, sid, edited(drop_question)), "第 5 题已有答卷")

    def add_option(f):
        f.question("Q6").options.insert(3, Option(20, "心理疏导"))
        f.questions.append(Question("Q14", "您家有几位老人？", "number", number="14"))
    with Workspace.open(folder, auto_backup=False) as ws:
        version = surveys.save_questionnaire(ws, sid, edited(add_option))
        assert version.number == 2  # answers exist: the edit is the next version
        version = surveys.save_questionnaire(ws, sid, edited(add_option), drop_answered=False)
        assert version.number == 2  # no answers to version 2 yet: changed in place
        with ws.reading() as s:
            results = survey_results(s, sid)
    assert results.valid == 1 and results.questions[5].options[3].label == "心理疏导"
