"""纸质问卷录入: a keyboard-only screen for stacks of paper forms.

Each question shows its options with their codes; the person keys the codes (multiple choice as digits, `135`)
and presses Enter for the next question. Questions whose condition is not met are skipped. After the last
question Enter saves the form and the next one starts, its number one higher; ↑ goes back a question, and a
click on the list jumps to any question to correct it. A required question left out is saved only when the
person says the paper form really has no answer (then the form does not count as valid). In double entry
each person keys the same forms as 第1遍 or 第2遍; where they disagree, 核对两遍录入 settles it."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop_app.core.changes import SURVEYS
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.services import survey_entry
from desktop_app.core.services.survey_entry import FINAL, FIRST, SECOND, PaperForm
from desktop_app.core.surveys.answers import SKIP, answered, missing_required, shown
from desktop_app.core.surveys.keying import KeyProblem, next_question, read_keys
from desktop_app.core.surveys.questionnaire import Question, Questionnaire
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    AsksBeforeClosing,
    heading,
    note,
    pane,
    row_of,
    show_result,
    splitter,
    table,
)

PASSES = (("一次录入", FINAL), ("两遍录入：第1遍", FIRST), ("两遍录入：第2遍", SECOND))


def answer_text(q: Question, answer: dict | None) -> str:
    """How an answer reads in the list: the codes with their labels."""
    if not answer:
        return ""
    if answer.get("x") == SKIP:
        return "（跳过）"
    if not answered(answer):
        return "（空）"
    if "c" in answer:
        text = "、".join(f"{c} {q.option(c).label if q.option(c) else '?'}" for c in answer["c"])
        return text + (f"：{answer['t']}" if answer.get("t") else "")
    if "m" in answer:
        return " ".join(str(p) for p in answer["m"].values())
    return str(answer.get("n") or answer.get("t") or "")


class SurveyEntryDialog(AsksBeforeClosing, QDialog):
    def __init__(self, ctx, parent=None, *, survey_id: str):
        super().__init__(parent)
        self.setWindowTitle("纸质问卷录入")
        self.ctx = ctx
        self.survey_id = survey_id
        self.form: Questionnaire | None = None
        self.answers: dict = {}
        self.current: Question | None = None
        self.entered = 0
        self.saving = False  # a form is being saved: Enter, ↑ and clicks wait, so nothing is saved twice or lost
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.form_no = QLineEdit()
        self.form_no.setMaximumWidth(120)
        self.site = QComboBox()
        self.site.setMinimumContentsLength(10)
        self.entry_pass = QComboBox()
        for label, value in PASSES:
            self.entry_pass.addItem(label, value)
        self.count = QLabel("本次已录入 0 份")
        self.list_model = RowsModel(["题号", "题目", "录入的答案"])
        self.list_view = table(self.list_model, stretch=1)
        self.question = QLabel()
        self.question.setWordWrap(True)
        big = QFont(self.question.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.question.setFont(big)
        self.options = QLabel()
        self.options.setWordWrap(True)
        self.options.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys = QLineEdit()
        self.keys.setFont(big)
        self.other = QLineEdit()
        self.other.setPlaceholderText("“其他”的具体内容（没有就直接按回车）")
        self.message = QLabel()
        self.message.setWordWrap(True)
        hint = note("按选项代码录入，回车到下一题；多选连着输入（如 135），代码 10 以上用空格隔开（如 1 3 11）；"
                    "不填直接回车；↑ 回到上一题；最后一题回车即保存这份问卷、开始下一份。")
        panel = pane(heading("当前题目"), self.question, self.options, self.keys, self.other, self.message, hint,
                     (QLabel(), 1))
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存这份问卷", QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        for button in self.buttons.buttons():  # Enter belongs to the keys field, never to a button
            button.setAutoDefault(False)
            button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row_of(QLabel("问卷编号"), self.form_no, QLabel("试点村(社区)"), self.site,
                                QLabel("录入方式"), self.entry_pass, (self.count, 1)))
        layout.addWidget(splitter(self.list_view, panel, sizes=[460, 520]), 1)
        layout.addWidget(self.buttons)
        self.keys.returnPressed.connect(self.enter)
        self.other.returnPressed.connect(self.enter_other)
        self.other.textChanged.connect(self.keep_other)  # kept at once: a click elsewhere must not lose it
        self.keys.installEventFilter(self)
        self.list_view.clicked.connect(lambda index: self.go_to(index.row()))
        self.save_button.clicked.connect(lambda: self.save())
        self.buttons.rejected.connect(self.reject)
        fit_window(self, 1020, 640)

    # ---------------------------------------------------------------- loading

    def load(self) -> None:
        ws, survey_id = self.ctx.ws, self.survey_id

        def read():
            with ws.reading() as s:
                survey = resolve_survey(s, survey_id)
                version = current_version(s, survey.id)
                sites = [(site.id, site.name) for site in project_queries.project_sites(s, survey.project_id)]
                numbers = [r for r in s.exec(_paper_numbers(survey.id))]
            return survey.name, version.number, Questionnaire.from_json(version.definition), sites, numbers
        self.ctx.runner.query(read, self.fill)

    def fill(self, loaded) -> None:
        name, version, form, sites, numbers = loaded
        self.form = form
        self.title.setText(f"<b>{name}</b>（问卷第 {version} 版，{len(form.questions)} 题）")
        self.site.clear()
        self.site.addItem("（不注明）", None)
        for site_id, site_name in sites:
            self.site.addItem(site_name, site_id)
        self.form_no.setText(_next_number(numbers))
        self.start_form()

    def typed_state(self) -> tuple:  # keys typed but not yet entered count too: closing must ask
        return (tuple(sorted((k, str(v)) for k, v in self.answers.items())), self.keys.text().strip())

    # ---------------------------------------------------------------- keying

    def start_form(self) -> None:
        self.answers = {}
        self.show_question(next_question(self.form, self.answers, None))
        self.refresh_list()
        self.mark_clean()

    def show_question(self, q: Question | None) -> None:
        self.other.setVisible(False)  # hidden first: clearing it must not clear the other-text kept in the answer
        self.other.clear()
        self.current = q
        show_result(self.message, "", error=False)
        if q is None:
            self.question.setText("这份问卷已录完。核对左边的答案后，按回车（或点“保存这份问卷”）保存。")
            self.options.setText("")
            self.keys.clear()
            self.keys.setFocus()
            return
        multiple = "" if "多选" in q.text else f"（多选{f'，最多 {q.max_choices} 项' if q.max_choices else ''}）"
        hint = {"multiple": multiple, "ranking": "（按顺序输入代码）",
                "matrix": f"（每行一个分值，共 {len(q.rows)} 个数字）", "number": "（输入数字）",
                "text": "（输入文字）", "region": "（输入村/社区名称）"}.get(q.type, "")
        self.question.setText(f"{q.number or q.code}. {q.text}{hint}{'　*必答' if q.required else ''}")
        lines = [f"{o.code}　{o.label}" for o in q.options]
        if q.type == "matrix":
            lines = [f"行 {r.code}：{r.label}" for r in q.rows] + ["分值：" + "　".join(f"{o.code}={o.label}"
                                                                                   for o in q.options)]
        self.options.setText("\n".join(lines))
        self.keys.setText(_keys_of(q, self.answers.get(q.code)))
        self.keys.selectAll()
        self.keys.setFocus()
        row = self.form.questions.index(q)
        self.list_view.selectRow(row)

    def enter(self) -> None:
        q = self.current
        if self.saving:
            return
        if q is None:
            self.save()
            return
        if not shown(q, self.answers) and self.keys.text().strip():
            self.refuse_hidden(q)  # reached by a click: saving would drop this answer
            return
        try:
            answer = read_keys(q, self.keys.text())
        except KeyProblem as problem:
            show_result(self.message, str(problem), error=True)
            self.keys.selectAll()
            return
        earlier = (self.answers.get(q.code) or {}).get("t", "")
        self.answers[q.code] = answer
        if any(q.option(c) and q.option(c).other for c in answer.get("c", [])):
            self.other.setVisible(True)
            self.other.setText(earlier)  # the text typed before, when going back to this question
            self.other.selectAll()
            self.other.setFocus()
            return
        self.advance()

    def refuse_hidden(self, q: Question) -> None:
        parent = self.form.question(q.show_if.question)
        where = f"第 {parent.number or parent.code} 题" if parent else q.show_if.question
        show_result(self.message, f"第 {q.number or q.code} 题只在{where}选了 {'、'.join(map(str, q.show_if.codes))} "
                                  f"时才问，这份问卷不用填。要录入它，请先改{where}的答案。", error=True)
        self.keys.selectAll()

    def keep_other(self, text: str) -> None:
        answer = self.answers.get(self.current.code) if self.current is not None else None
        if self.other.isHidden() or answer is None:
            return
        if text.strip():
            answer["t"] = text.strip()
        else:
            answer.pop("t", None)

    def enter_other(self) -> None:
        if self.current is not None:
            self.advance()

    def advance(self) -> None:
        q = self.current
        for later in self.form.questions[self.form.questions.index(q) + 1:]:  # conditions may read differently now
            if self.answers.get(later.code, {}).get("x") == SKIP:
                del self.answers[later.code]
        self.show_question(next_question(self.form, self.answers, q.code))
        self.refresh_list()

    def back(self) -> None:
        if self.form is None or self.saving:
            return
        index = len(self.form.questions) if self.current is None else self.form.questions.index(self.current)
        for q in reversed(self.form.questions[:index]):
            if self.answers.get(q.code, {}).get("x") != SKIP:
                self.show_question(q)
                return

    def go_to(self, row: int) -> None:
        if self.form is not None and not self.saving and 0 <= row < len(self.form.questions):
            self.show_question(self.form.questions[row])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.keys and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Up:
                self.back()
                return True
        return super().eventFilter(watched, event)

    def refresh_list(self) -> None:
        if self.form is None:
            return
        self.list_model.set_rows([(q.number or q.code, q.text, answer_text(q, self.answers.get(q.code)))
                                  for q in self.form.questions])
        if self.current is not None:
            self.list_view.selectRow(self.form.questions.index(self.current))

    # ---------------------------------------------------------------- saving

    def save(self) -> None:
        if self.form is None or self.saving:
            return
        complete = True
        missing = missing_required(self.form, self.answers)
        if missing:
            listed = "、".join(f"第 {q.number or q.code} 题" for q in missing)
            if not prompts.confirm(self, "必答题没有填", f"{listed}是必答题，还没有录入。\n\n纸质问卷上确实没有填吗？"
                                   "选“是”保存为未答完（这份问卷不计入有效问卷）；选“否”回去补录。"):
                self.show_question(missing[0])
                return
            complete = False
        paper = PaperForm(self.form_no.text(), dict(self.answers), site_id=self.site.currentData(),
                          complete=complete, entry_pass=self.entry_pass.currentData())
        ws, survey_id = self.ctx.ws, self.survey_id
        self.saving = True
        self.save_button.setEnabled(False)
        number = paper.form_no.strip()  # the number saved, not one edited while saving
        self.ctx.runner.run(lambda: survey_entry.save_paper_form(ws, survey_id, paper),
                            lambda result: self.saved(result, number), self.refused, changes=SURVEYS, parent=self)

    def saved(self, result: survey_entry.SavedForm, number: str) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.entered += 1
        self.count.setText(f"本次已录入 {self.entered} 份")
        if result.disagreements:
            prompts.show_info(self, f"第 {number} 号问卷两遍录入有 {len(result.disagreements)} 处不一致。"
                              "已保存这一遍；请在“核对两遍录入”里对照纸质问卷逐处裁定。", "两遍录入不一致")
        self.ctx.runner.message.emit(f"已保存第 {number} 号问卷" + ("" if result.final else "（等待另一遍录入或核对）"))
        self.form_no.setText(_next_number([number]))
        self.start_form()

    def refused(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        show_result(self.message, str(exc), error=True)


def _paper_numbers(survey_id: str):
    from sqlmodel import select

    from desktop_app.core.models import SurveyResponse

    return select(SurveyResponse.source_no).where(SurveyResponse.survey_id == survey_id,
                                                  SurveyResponse.source == survey_entry.PAPER,
                                                  SurveyResponse.deleted == False)  # noqa: E712


def _next_number(numbers: list[str]) -> str:
    """One more than the highest form number keyed so far, as wide as it (“007” → “008”); “001” to start."""
    best, width = 0, 3
    for number in numbers:
        if number.isdigit() and int(number) >= best:
            best, width = int(number), max(width, len(number))
    return f"{best + 1:0{width}d}"


def _keys_of(q: Question, answer: dict | None) -> str:
    """What was keyed for an answer, to correct it in place."""
    if not answered(answer):
        return ""
    if "c" in answer:
        codes = answer["c"]
        return (" " if any(c >= 10 for c in codes) else "").join(str(c) for c in codes)
    if "m" in answer:
        return "".join(str(answer["m"].get(str(r.code), "")) for r in q.rows)
    return str(answer.get("n") or answer.get("t") or "")
