"""有效问卷规则: what makes a response count — a minimum time for online answers, the household-number question
whose repeats are duplicates, the window for identical online submissions — and how the survey was collected
(printed in the report's method section). Required questions always count: a form missing one is invalid."""

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QSpinBox, QVBoxLayout

from desktop_app.core.changes import SURVEYS
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.services import surveys
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.core.surveys.validity import Rules
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.widgets import (
    AsksBeforeClosing,
    form_rows,
    note,
    save_cancel_buttons,
    show_result,
    submit,
    text_box,
    wrapped_label,
)


class SurveyRulesDialog(AsksBeforeClosing, QDialog):
    def __init__(self, ctx, parent=None, *, survey_id: str):
        super().__init__(parent)
        self.setWindowTitle("有效问卷规则")
        self.ctx = ctx
        self.survey_id = survey_id
        self.min_seconds = QSpinBox()
        self.min_seconds.setRange(0, 3600)
        self.min_seconds.setSuffix(" 秒")
        self.min_seconds.setSpecialValueText("不限")
        self.household = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 1440)
        self.minutes.setSuffix(" 分钟内")
        self.minutes.setSpecialValueText("不检查")
        self.method = text_box(3, "如：入户走访、网络征集；发放问卷200份，收回186份")
        self.message = wrapped_label()
        self.buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=False)
        layout = QVBoxLayout(self)
        layout.addWidget(note("必答题没答完的问卷一律不计入有效问卷。下面的规则只对本调查有效，改了以后统计和报告立即按新规则计算。"))
        layout.addLayout(form_rows(QFormLayout(), ("网上答卷最短用时", self.min_seconds),
                                   ("同一户只算一份，按这道题判断", self.household),
                                   ("同一来源相同答案重复提交", self.minutes), ("调查方式（印在报告里）", self.method)))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_window(self, 620, 420)

    def load(self) -> None:
        ws, survey_id = self.ctx.ws, self.survey_id

        def read():
            with ws.reading() as s:
                survey = resolve_survey(s, survey_id)
                form = Questionnaire.from_json(current_version(s, survey.id).definition)
                return Rules.from_json(survey.rules), survey.method, form
        self.ctx.runner.query(read, self.fill)

    def fill(self, loaded) -> None:
        rules, method, form = loaded
        self.household.clear()
        self.household.addItem("（不按户判断）", "")
        for q in form.questions:
            if q.type in ("text", "number"):
                self.household.addItem(f"{q.number or q.code}. {q.text[:24]}", q.code)
        self.min_seconds.setValue(rules.min_seconds)
        self.household.setCurrentIndex(max(self.household.findData(rules.household_question), 0))
        self.minutes.setValue(rules.duplicate_minutes)
        self.method.setPlainText(method)
        self.save_button.setEnabled(True)
        self.mark_clean()

    def show_message(self, text: str) -> None:
        show_result(self.message, text, error=True)

    def save(self) -> None:
        rules = Rules(min_seconds=self.min_seconds.value(), household_question=self.household.currentData() or "",
                      duplicate_minutes=self.minutes.value())
        ws, survey_id, method = self.ctx.ws, self.survey_id, self.method.toPlainText()
        submit(self, lambda: surveys.set_rules(ws, survey_id, rules, method), SURVEYS,
               lambda survey: f"已保存“{survey.name}”的有效问卷规则")
