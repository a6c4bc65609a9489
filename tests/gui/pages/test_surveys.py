"""需求调查 page: new from the template, importing with a dry run, keyboard paper entry, double entry settled,
validity rules, and the results with their charts and cross-tabs."""

import json

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from desktop_app.core.models import SurveyResponse
from desktop_app.core.services import survey_entry
from desktop_app.core.services.survey_entry import FIRST, SECOND, PaperForm
from desktop_app.gui import prompts
from desktop_app.gui.activity_charts import bar_values
from desktop_app.gui.pages.surveys import SurveysPage
from tests.core.activity_helpers import attach_project
from tests.core.surveys.samples import WJX_206, WJX_209
from tests.gui.conftest import wait_idle
from tests.helpers import table_rows

FULL = {"Q2": {"t": "一组"}, "Q4": {"c": [2]}, "Q5": {"c": [1]}, "Q6": {"c": [1, 3]}}


@pytest.fixture
def page(qtbot, ctx):
    attach_project(ctx.ws)
    widget = SurveysPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    wait_idle(qtbot, ctx.runner)
    return widget


def _template_survey(page, qtbot, monkeypatch, name="青花镇居民需求调查") -> str:
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: name)
    page.new_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert page.rows and page.rows[0].name == name
    return page.rows[0].id


def _responses(ws) -> list[SurveyResponse]:
    with ws.reading() as s:
        return list(s.exec(select(SurveyResponse)))


def test_an_empty_page_says_how_to_start(page):
    assert "用模板新建" in page.summary.text() and not page.entry_button.isEnabled()


def test_import_shows_a_dry_run_then_imports(qtbot, page, monkeypatch):
    monkeypatch.setattr(prompts, "open_survey_file", lambda _p, *a: WJX_209)
    dialog = page.import_file()
    wait_idle(qtbot, page.ctx.runner)
    assert "新答卷 208 份" in dialog.result.text() and dialog.import_button.isEnabled()
    assert not _responses(page.ctx.ws)  # a dry run writes nothing
    assert dialog.types_model.rowCount() == 32
    dialog.types_view.selectRow(30)  # Q31, a free-text question: the user makes it single choice
    dialog.type_box.setCurrentIndex(dialog.type_box.findData("single"))
    dialog.change_type()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.types_model.index(30, 2).data() == "单选"
    dialog.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert len(_responses(page.ctx.ws)) == 208 and page.rows[0].responses == 208
    assert "共收集208份有效调查问卷" in page.summary.text()


def test_a_file_of_another_questionnaire_is_refused_in_the_dialog(qtbot, page, monkeypatch):
    monkeypatch.setattr(prompts, "open_survey_file", lambda _p, *a: WJX_209)
    dialog = page.import_file()
    wait_idle(qtbot, page.ctx.runner)
    dialog.import_button.click()
    wait_idle(qtbot, page.ctx.runner)
    before = table_rows(page.ctx.ws.db_path)
    monkeypatch.setattr(prompts, "open_survey_file", lambda _p, *a: WJX_206)
    dialog = page.import_file()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.into.isChecked() and "对不上" in dialog.result.text()
    assert not dialog.import_button.isEnabled()
    assert table_rows(page.ctx.ws.db_path) == before


def test_paper_forms_are_keyed_with_the_keyboard(qtbot, page, monkeypatch):
    _template_survey(page, qtbot, monkeypatch)
    dialog = page.paper_entry()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.form_no.text() == "001" and dialog.current.code == "Q1"

    def key(text):
        dialog.keys.setText(text)
        qtbot.keyClick(dialog.keys, Qt.Key.Key_Return)

    for typed in ("LX-001", "一组", "3", "2", "14"):
        key(typed)
    assert dialog.current.code == "Q6"
    key("12345")  # five needs: at most four
    assert "最多选 4 项" in dialog.message.text() and dialog.current.code == "Q6"
    key("13")  # no 养老服务: Q7 is skipped without a keystroke
    assert dialog.current.code == "Q8"
    qtbot.keyClick(dialog.keys, Qt.Key.Key_Up)
    assert dialog.current.code == "Q6"
    key("1 3 11")  # 11: 其他（请注明）
    assert dialog.other.isVisible()
    dialog.other.setText("儿童托管")
    qtbot.keyClick(dialog.other, Qt.Key.Key_Return)
    for typed in ("3124", "1", "2", "4", "4453", "多办活动"):
        key(typed)
    assert dialog.current is None
    key("")  # Enter after the last question saves the form
    wait_idle(qtbot, page.ctx.runner)
    saved = _responses(page.ctx.ws)
    assert len(saved) == 1 and dialog.count.text() == "本次已录入 1 份" and dialog.form_no.text() == "002"
    answers = json.loads(saved[0].answers)
    assert answers["Q6"] == {"c": [1, 3, 11], "t": "儿童托管"} and answers["Q7"] == {"x": "skip"}
    assert answers["Q12"] == {"m": {"1": 4, "2": 4, "3": 5, "4": 3}}
    assert dialog.current.code == "Q1" and not dialog.has_unsaved_changes()


def test_a_required_question_left_out_is_saved_only_when_the_user_says_so(qtbot, page, monkeypatch):
    _template_survey(page, qtbot, monkeypatch)
    dialog = page.paper_entry()
    wait_idle(qtbot, page.ctx.runner)
    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _t, message: asked.append(message) or False)
    dialog.save()
    assert "第 2 题、第 4 题、第 5 题、第 6 题是必答题" in asked[0] and dialog.current.code == "Q2"
    assert not _responses(page.ctx.ws)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: True)
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    saved = _responses(page.ctx.ws)
    assert len(saved) == 1 and not saved[0].complete


def test_double_entry_disagreements_are_settled(qtbot, page, monkeypatch):
    sid = _template_survey(page, qtbot, monkeypatch)
    ws = page.ctx.ws
    survey_entry.save_paper_form(ws, sid, PaperForm("001", dict(FULL), entry_pass=FIRST))
    survey_entry.save_paper_form(ws, sid, PaperForm("001", FULL | {"Q4": {"c": [3]}}, entry_pass=SECOND))
    dialog = page.settle()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.model.rowCount() == 1 and dialog.model.index(0, 2).data() == "2 36—59岁"
    dialog.decision.setCurrentIndex(1)  # 第2遍对
    dialog.decide()
    dialog.view.selectRow(0)
    dialog.settle_button.click()
    wait_idle(qtbot, page.ctx.runner)
    finals = [r for r in _responses(ws) if r.entry_pass == 0]
    assert len(finals) == 1 and json.loads(finals[0].answers)["Q4"] == {"c": [3]}
    assert dialog.model.rowCount() == 0


def test_rules_are_saved_and_results_follow_them(qtbot, page, monkeypatch):
    sid = _template_survey(page, qtbot, monkeypatch)
    ws = page.ctx.ws
    survey_entry.save_paper_batch(ws, sid, [PaperForm("001", FULL | {"Q1": {"t": "LX-1"}}),
                                            PaperForm("002", FULL | {"Q1": {"t": "LX-1"}})])
    wait_idle(qtbot, page.ctx.runner)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    assert page.results.valid == 2
    dialog = page.edit_rules()
    wait_idle(qtbot, page.ctx.runner)
    dialog.household.setCurrentIndex(dialog.household.findData("Q1"))
    dialog.method.setPlainText("入户走访")
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert page.results.valid == 1 and "同一户重复填写 1 份" in page.summary.text()


def test_results_show_each_question_with_a_chart_and_cross_tabs(qtbot, page, monkeypatch):
    sid = _template_survey(page, qtbot, monkeypatch)
    surveys_made = [PaperForm(f"{n:03d}", FULL | {"Q4": {"c": [1 + n % 2]}, "Q6": {"c": [1] if n % 3 else [1, 2]}})
                    for n in range(1, 7)]
    survey_entry.save_paper_batch(page.ctx.ws, sid, surveys_made)
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    page.questions_view.selectRow(5)  # Q6, the needs
    values = bar_values(page.chart.chart())
    assert values["亲子教育"] == 6 and values["养老服务"] == 2
    assert "多选合计会超过 100%" in page.detail_note.text()
    page.group_by.setCurrentIndex(page.group_by.findData("Q4"))
    page.load_results()
    wait_idle(qtbot, page.ctx.runner)
    assert set(page.results.questions[5].by) == {"18—35岁", "36—59岁"}
    assert page.options_model.index(0, 0).data() == "18—35岁：亲子教育"  # groups in the age question's order
    bars = page.chart.chart().series()[0].barSets()
    assert [b.label() for b in bars] == ["18—35岁", "36—59岁"]  # one colour per group, named in the legend
    assert "按“您的年龄段”分组" in page.detail_note.text()


def test_the_designer_adds_a_question_and_refuses_what_would_orphan_answers(qtbot, page, monkeypatch):
    sid = _template_survey(page, qtbot, monkeypatch)
    dialog = page.design()
    wait_idle(qtbot, page.ctx.runner)
    assert dialog.list_model.rowCount() == 13
    dialog.add_button.click()
    dialog.text.setText("您家有几位老人？")
    dialog.kind.setCurrentIndex(dialog.kind.findData("number"))
    dialog.list_view.selectRow(5)  # Q6 the needs: one more option
    dialog.add_option_button.click()
    dialog.options.item(dialog.options.rowCount() - 1, 1).setText("心理疏导")
    assert dialog.has_unsaved_changes()
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    from desktop_app.core.queries.surveys import current_version
    from desktop_app.core.surveys.questionnaire import Questionnaire
    with page.ctx.ws.reading() as s:
        version = current_version(s, sid)
    form = Questionnaire.from_json(version.definition)
    assert version.number == 1 and form.questions[-1].text == "您家有几位老人？" and form.questions[-1].type == "number"
    assert form.question("Q6").options[-1].label == "心理疏导" and form.question("Q6").options[-1].code == 13
    survey_entry.save_paper_form(page.ctx.ws, sid, PaperForm("001", dict(FULL)))
    dialog = page.design()
    wait_idle(qtbot, page.ctx.runner)
    dialog.list_view.selectRow(3)  # Q4 answered as single choice
    dialog.kind.setCurrentIndex(dialog.kind.findData("multiple"))
    before = table_rows(page.ctx.ws.db_path)
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert "不能从单选改成多选" in dialog.message.text() and dialog.isVisible()
    assert table_rows(page.ctx.ws.db_path) == before
    dialog.kind.setCurrentIndex(dialog.kind.findData("single"))
    dialog.list_view.selectRow(4)  # Q5 answered: deleting it asks first
    dialog.delete_button.click()
    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _t, message: asked.append(message) or True)
    dialog.save()
    wait_idle(qtbot, page.ctx.runner)
    assert "第 5 题已有答卷" in asked[0] and not dialog.isVisible()
    with page.ctx.ws.reading() as s:
        version = current_version(s, sid)
    assert version.number == 2 and Questionnaire.from_json(version.definition).question("Q5") is None


def test_paper_form_data_and_report_are_written_where_the_user_says(qtbot, page, monkeypatch, tmp_path):
    sid = _template_survey(page, qtbot, monkeypatch)
    survey_entry.save_paper_batch(page.ctx.ws, sid, [PaperForm(f"{n:03d}", dict(FULL)) for n in range(1, 4)])
    page.reload()
    wait_idle(qtbot, page.ctx.runner)
    offered = []
    monkeypatch.setattr(prompts, "offer_open_folder", lambda _p, message, *_a, **_k: offered.append(message) or False)
    monkeypatch.setattr(prompts, "save_pdf", lambda _p, _t, name, *_a: tmp_path / name)
    monkeypatch.setattr(prompts, "save_excel", lambda _p, _t, name, *_a: tmp_path / name)
    monkeypatch.setattr(prompts, "choose", lambda *_a: 1)  # option codes
    page.form_button.click()
    wait_idle(qtbot, page.ctx.runner)
    page.export_button.click()
    wait_idle(qtbot, page.ctx.runner)
    page.report_button.click()
    wait_idle(qtbot, page.ctx.runner)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert any(n.startswith("青花镇居民需求调查-纸质问卷") and n.endswith(".pdf") for n in written)
    assert any(n.startswith("青花镇居民需求调查-答卷数据") and n.endswith(".xlsx") for n in written)
    assert any(n.startswith("青花镇居民需求调查-调查报告") and n.endswith(".pdf") for n in written)
    assert [m.split("到文件夹")[0] for m in offered] == ["已导出纸质问卷", "已导出答卷数据", "已导出调查报告"]


def test_a_report_of_a_survey_without_valid_forms_is_refused_in_chinese(qtbot, page, monkeypatch, tmp_path, messages):
    _template_survey(page, qtbot, monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(prompts, "save_pdf", lambda _p, _t, name, *_a: out / name)
    page.report_button.click()
    wait_idle(qtbot, page.ctx.runner)
    assert messages and "还没有答卷，无法生成调查报告" in messages[-1] and not list(out.iterdir())
