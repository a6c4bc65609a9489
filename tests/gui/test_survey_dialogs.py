"""需求调查 dialogs and page under a hostile user: Enter pressed twice, answers corrected out of order, codes that
are not numbers, surveys switched while results load. Each checks what the user reads and that nothing typed is
lost or saved twice."""

import json

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from desktop_app.core.models import SurveyResponse
from desktop_app.core.queries.surveys import current_version
from desktop_app.core.services import survey_entry, surveys
from desktop_app.core.services.survey_entry import FIRST, SECOND, PaperForm
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire
from desktop_app.gui import prompts
from desktop_app.gui.pages.surveys import NO_GROUPS, SurveysPage
from tests.core.activity_helpers import attach_project
from tests.core.surveys.samples import WJX_209
from tests.gui.conftest import wait_idle
from tests.helpers import table_rows

FULL = {"Q2": {"t": "一组"}, "Q4": {"c": [2]}, "Q5": {"c": [1]}, "Q6": {"c": [1, 3]}}
UP_TO_Q6 = ("LX-001", "一组", "3", "2", "14")


@pytest.fixture
def page(qtbot, ctx):
    attach_project(ctx.ws)
    widget = SurveysPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, ctx.runner)
    return widget


@pytest.fixture
def survey(page, qtbot, monkeypatch) -> str:
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: "甲村需求调查")
    page.new_button.click()
    wait_idle(qtbot, page.ctx.runner)
    return page.rows[0].id


def _open(page, qtbot, opener):
    dialog = opener()
    wait_idle(qtbot, page.ctx.runner)
    return dialog


def _key(qtbot, dialog, *typed):
    for text in typed:
        dialog.keys.setText(text)
        qtbot.keyClick(dialog.keys, Qt.Key.Key_Return)


def _responses(ws) -> list[SurveyResponse]:
    with ws.reading() as s:
        return list(s.exec(select(SurveyResponse)))


# ---------------------------------------------------------------- paper entry

def test_enter_pressed_twice_after_the_last_question_saves_the_form_once(qtbot, page, survey):
    dialog = _open(page, qtbot, page.paper_entry)
    _key(qtbot, dialog, *UP_TO_Q6, "13", "3124", "1", "2", "4", "4453", "多办活动")
    assert dialog.current is None
    _key(qtbot, dialog, "", "")  # the second Enter comes while the first save is still in the worker
    wait_idle(qtbot, page.ctx.runner)
    assert len(_responses(page.ctx.ws)) == 1
    assert dialog.message.text() == "" and dialog.count.text() == "本次已录入 1 份" and dialog.form_no.text() == "002"


def test_the_other_text_is_kept_when_going_back_or_clicking_away(qtbot, page, survey):
    dialog = _open(page, qtbot, page.paper_entry)
    _key(qtbot, dialog, *UP_TO_Q6, "1 11")
    dialog.other.setText("儿童托管")
    dialog.go_to(0)  # a click on the list before Enter in the other-text field
    assert dialog.answers["Q6"] == {"c": [1, 11], "t": "儿童托管"}
    dialog.go_to(5)
    qtbot.keyClick(dialog.keys, Qt.Key.Key_Return)  # Q6 keyed again as it was
    assert dialog.other.text() == "儿童托管"
    qtbot.keyClick(dialog.other, Qt.Key.Key_Return)
    assert dialog.answers["Q6"] == {"c": [1, 11], "t": "儿童托管"} and dialog.current.code == "Q8"


def test_keys_typed_but_not_entered_ask_before_closing(qtbot, page, survey, monkeypatch):
    dialog = _open(page, qtbot, page.paper_entry)
    assert not dialog.has_unsaved_changes()
    dialog.keys.setText("LX-001")
    asked = []
    monkeypatch.setattr(prompts, "ask_discard", lambda _p: asked.append(True) or False)
    dialog.reject()
    assert asked and dialog.isVisible() and dialog.keys.text() == "LX-001"


def test_a_question_skipped_by_its_condition_refuses_keys_instead_of_dropping_them(qtbot, page, survey):
    dialog = _open(page, qtbot, page.paper_entry)
    _key(qtbot, dialog, *UP_TO_Q6, "13")  # no 养老服务: Q7 is skipped
    dialog.go_to(6)  # the person clicks Q7 anyway
    _key(qtbot, dialog, "12")
    assert "第 7 题只在第 6 题选了 2 时才问" in dialog.message.text() and "请先改第 6 题的答案" in dialog.message.text()
    assert dialog.current.code == "Q7" and dialog.keys.text() == "12" and dialog.answers["Q7"] == {"x": "skip"}
    _key(qtbot, dialog, "")  # Enter with nothing typed just goes on
    assert dialog.current.code == "Q8"


def test_a_survey_without_questions_cannot_be_keyed(qtbot, page, survey):
    with page.ctx.ws.transaction("test") as s:  # a version written before empty questionnaires were refused
        current_version(s, survey).definition = Questionnaire("空问卷").to_json()
    dialog = _open(page, qtbot, page.paper_entry)
    before = table_rows(page.ctx.ws.db_path)
    _key(qtbot, dialog, "")
    wait_idle(qtbot, page.ctx.runner)
    assert "还没有题目，不能录入" in dialog.message.text() and "设计问卷" in dialog.message.text()
    assert table_rows(page.ctx.ws.db_path) == before


# ---------------------------------------------------------------- designer

def _definition(page, survey) -> str:
    with page.ctx.ws.reading() as s:
        return current_version(s, survey).definition


def test_the_designer_refuses_deleting_every_question(qtbot, page, survey):
    dialog = _open(page, qtbot, page.design)
    before = _definition(page, survey)
    while dialog.list_model.rowCount():
        dialog.list_view.selectRow(0)
        dialog.delete_button.click()
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert "问卷还没有题目：请至少新增一道题" in dialog.message.text() and dialog.isVisible()
    assert _definition(page, survey) == before


def test_an_option_code_that_is_not_a_number_is_kept_and_refused(qtbot, page, survey):
    dialog = _open(page, qtbot, page.design)
    before = _definition(page, survey)
    dialog.list_view.selectRow(8)  # Q9 愿意/视时间而定/不愿意
    dialog.options.item(0, 0).setText("A")
    dialog.list_view.selectRow(9)
    dialog.list_view.selectRow(8)  # back: the option is still there, with what was typed
    assert dialog.options.rowCount() == 3 and dialog.options.item(2, 0).text() == "A"
    assert dialog.options.item(2, 1).text() == "愿意"
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert "第 9 题的“愿意”（代码“A”）的选项代码要填数字" in dialog.message.text() and dialog.isVisible()
    assert _definition(page, survey) == before
    dialog.options.item(2, 0).setText("4")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert not dialog.isVisible()
    assert Questionnaire.from_json(_definition(page, survey)).question("Q9").option(4).label == "愿意"


def test_a_question_moved_above_its_condition_keeps_it_and_is_refused(qtbot, page, survey):
    dialog = _open(page, qtbot, page.design)
    before = _definition(page, survey)
    dialog.list_view.selectRow(6)  # Q7: asked when Q6 chose 养老服务
    dialog.up_button.click()
    assert dialog.show_question.currentData() == "Q6" and dialog.show_codes.text() == "2"
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert "显示条件引用的题目 Q6 不在它前面。请把这道题移到那道题后面" in dialog.message.text() and dialog.isVisible()
    assert _definition(page, survey) == before


# ---------------------------------------------------------------- settling, importing, the page

def test_settle_clicked_twice_settles_once_without_an_error(qtbot, page, survey):
    ws = page.ctx.ws
    for number in ("001", "002"):
        survey_entry.save_paper_form(ws, survey, PaperForm(number, dict(FULL), entry_pass=FIRST))
        survey_entry.save_paper_form(ws, survey, PaperForm(number, FULL | {"Q4": {"c": [3]}}, entry_pass=SECOND))
    dialog = _open(page, qtbot, page.settle)
    dialog.decision.setCurrentIndex(1)
    dialog.decide()
    dialog.view.selectRow(0)
    dialog.settle_button.click()
    dialog.settle_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.message.text() == "" and dialog.settle_button.isEnabled()
    assert len([r for r in _responses(ws) if r.entry_pass == 0]) == 1 and dialog.model.rowCount() == 1


def test_a_dry_run_for_an_earlier_target_is_not_shown(qtbot, page, survey, monkeypatch):
    monkeypatch.setattr(prompts, "open_survey_file", lambda _p, *a: WJX_209)
    dialog = page.import_file()  # into 甲村需求调查: another questionnaire, refused
    dialog.as_new.setChecked(True)  # changed before that dry run came back
    with qtbot.waitSignal(page.ctx.runner.finished):
        pass
    assert dialog.result.text() == "正在试导入…" and not dialog.import_button.isEnabled()
    wait_idle(qtbot, page.ctx.runner)
    assert "新答卷 208 份" in dialog.result.text() and dialog.import_button.isEnabled()


def test_switching_surveys_never_shows_the_other_surveys_results(qtbot, page, survey, messages):
    ws = page.ctx.ws
    survey_entry.save_paper_batch(ws, survey, [PaperForm(f"{n:05d}", dict(FULL)) for n in range(1, 10_001)])
    form = Questionnaire("乙", [Question("Q1", "性别", "single", [Option(1, "男"), Option(2, "女")])])
    surveys.create_survey_for(ws, None, "乙村调查", form, origin="设计")
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    names = [r.name for r in page.rows]
    page.view.selectRow(names.index("甲村需求调查"))
    wait_idle(qtbot, page.ctx.runner)
    page.group_by.setCurrentIndex(page.group_by.findData("Q4"))  # 乙 has no Q4
    page.load_results()
    wait_idle(qtbot, page.ctx.runner)
    assert page.results.valid == 10_000
    page.view.selectRow(names.index("乙村调查"))
    page.view.selectRow(names.index("甲村需求调查"))  # quickly back and forth while the results load
    page.view.selectRow(names.index("乙村调查"))
    for _load in range(3):  # 乙, 甲 (selected no longer), 乙
        with qtbot.waitSignal(page.ctx.runner.finished):
            pass
        assert "<b>乙村调查</b>" in page.summary.text()
    assert page.results.survey.name == "乙村调查" and not messages
    assert page.group_by.currentText() == NO_GROUPS and page.questions_model.rowCount() == 1


def test_answers_keyed_in_the_dialog_are_saved_as_shown(qtbot, page, survey):
    dialog = _open(page, qtbot, page.paper_entry)
    _key(qtbot, dialog, *UP_TO_Q6, "1 11")
    dialog.other.setText("儿童托管")
    qtbot.keyClick(dialog.other, Qt.Key.Key_Return)
    dialog.save_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert json.loads(_responses(page.ctx.ws)[0].answers)["Q6"] == {"c": [1, 11], "t": "儿童托管"}
