"""核对两遍录入: every field where the two passes of a paper form disagree, and the third decision for each.

The person holding the paper form picks, per field, which pass is right (or types the right keys); 定稿 saves
the final form, which then counts in the results."""

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from desktop_app.core.changes import SURVEYS
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.services import survey_entry
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.survey_entry_dialog import answer_text
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import note, row_of, show_result, table, wrapped_label

FIRST_RIGHT, SECOND_RIGHT = "第1遍对", "第2遍对"


class SurveySettleDialog(QDialog):
    def __init__(self, ctx, parent=None, *, survey_id: str):
        super().__init__(parent)
        self.setWindowTitle("核对两遍录入")
        self.ctx = ctx
        self.survey_id = survey_id
        self.form: Questionnaire | None = None
        self.found: list[survey_entry.Disagreement] = []
        self.choices: dict[tuple[str, str], str] = {}
        self.model = RowsModel(["问卷编号", "题目", "第1遍", "第2遍", "裁定"])
        self.view = table(self.model, stretch=1)
        self.decision = QComboBox()
        self.decision.addItems([FIRST_RIGHT, SECOND_RIGHT])
        self.message = wrapped_label()
        self.buttons = QDialogButtonBox()
        self.settle_button = self.buttons.addButton("定稿所选问卷", QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note("两个人分别录入同一批纸质问卷后，这里列出两遍不一致的每一处。请拿出那份纸质问卷，"
                              "逐处选定哪一遍是对的，再点“定稿所选问卷”。定稿后这份问卷才计入统计。"))
        layout.addWidget(self.view, 1)
        layout.addLayout(row_of(QLabel("所选这一处："), self.decision, (QLabel(), 1)))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.decision.activated.connect(self.decide)
        self.settle_button.clicked.connect(self.settle)
        self.buttons.rejected.connect(self.reject)
        fit_window(self, 860, 520)

    def load(self) -> None:
        ws, survey_id = self.ctx.ws, self.survey_id

        def read():
            with ws.reading() as s:
                survey = resolve_survey(s, survey_id)
                form = Questionnaire.from_json(current_version(s, survey.id).definition)
                return form, survey_entry.disagreements(s, survey.id)
        self.ctx.runner.query(read, self.fill)

    def fill(self, loaded) -> None:
        self.form, self.found = loaded
        self.choices = {k: v for k, v in self.choices.items() if any(k == (d.form_no, d.question) for d in self.found)}
        rows = []
        for d in self.found:
            q = self.form.question(d.question)
            label = f"{q.number or q.code}. {q.text}" if q else "试点村(社区)"
            first, second = (answer_text(q, d.first), answer_text(q, d.second)) if q else (
                (d.first or {}).get("t", ""), (d.second or {}).get("t", ""))
            rows.append((d.form_no, label, first or "（未录）", second or "（未录）",
                         self.choices.get((d.form_no, d.question), "未裁定")))
        self.model.set_rows(rows)
        self.settle_button.setEnabled(bool(self.found))
        if not self.found:
            show_result(self.message, "没有需要核对的问卷：两遍录入一致的问卷已自动定稿。", error=False)
        elif self.view.currentIndex().row() < 0:
            self.view.selectRow(0)

    def selected(self) -> survey_entry.Disagreement | None:
        row = self.view.currentIndex().row()
        return self.found[row] if 0 <= row < len(self.found) else None

    def decide(self) -> None:
        d = self.selected()
        if d is None:
            return
        self.choices[(d.form_no, d.question)] = self.decision.currentText()
        row = self.view.currentIndex().row()
        self.fill((self.form, self.found))
        self.view.selectRow(min(row + 1, len(self.found) - 1))

    def settle(self) -> None:
        d = self.selected()
        if d is None or not self.settle_button.isEnabled():
            return
        number = d.form_no
        decisions = {}
        for item in self.found:
            if item.form_no == number and (number, item.question) in self.choices:
                right = self.choices[(number, item.question)]
                decisions[item.question] = item.first if right == FIRST_RIGHT else item.second
        ws, survey_id = self.ctx.ws, self.survey_id
        self.settle_button.setEnabled(False)  # a second click would settle the same form again: refused, in red

        def done(_final) -> None:
            self.ctx.runner.message.emit(f"第 {number} 号问卷已定稿")
            self.load()  # its fill enables 定稿 again while forms are left

        def refused(exc: BaseException) -> None:
            self.settle_button.setEnabled(True)
            show_result(self.message, str(exc), error=True)
        self.ctx.runner.run(lambda: survey_entry.settle(ws, survey_id, number, decisions), done, refused,
                            changes=SURVEYS, parent=self)
