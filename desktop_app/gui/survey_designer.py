"""设计问卷: the questions of a survey, each with its type, options (numeric codes), rows, limits and show-if.

Edits apply to a copy; 保存 hands it to `surveys.save_questionnaire`, which keeps it as the current version (a
new version once answers exist) or refuses an edit that answers already given would no longer fit. Leaving out
a question that has answers is saved only after the person confirms."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.core.changes import SURVEYS
from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.services import surveys
from desktop_app.core.surveys.questionnaire import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    SCALED_TYPES,
    TYPE_NAMES,
    Option,
    Question,
    Questionnaire,
    ShowIf,
)
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    AsksBeforeClosing,
    form_rows,
    heading,
    note,
    pane,
    row_of,
    save_cancel_buttons,
    show_result,
    splitter,
    table,
    text_box,
    wrapped_label,
)

OPTION_COLUMNS = ("代码", "选项文字", "可填写（其他）", "单独选择")


class SurveyDesigner(AsksBeforeClosing, QDialog):
    def __init__(self, ctx, parent=None, *, survey_id: str):
        super().__init__(parent)
        self.setWindowTitle("设计问卷")
        self.ctx = ctx
        self.survey_id = survey_id
        self.form = Questionnaire("")
        self.editing: Question | None = None
        self.bad_options: dict[str, list[tuple]] = {}  # question code → option rows whose code is not a number
        self.version_text = wrapped_label()
        self.list_model = RowsModel(["题号", "题目", "题型"])
        self.list_view = table(self.list_model, stretch=1)
        self.add_button = QPushButton("新增题目")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.delete_button = QPushButton("删除题目")
        self.text = QLineEdit()
        self.kind = QComboBox()
        for kind in QUESTION_TYPES:
            self.kind.addItem(TYPE_NAMES[kind], kind)
        self.required = QCheckBox("必答")
        self.need = QCheckBox("需求题（计入需求排序）")
        self.private = QCheckBox("隐私（不列出回答）")
        self.min_choices = QSpinBox()
        self.max_choices = QSpinBox()
        self.max_choices.setSpecialValueText("不限")
        self.show_question = QComboBox()
        self.show_question.setMinimumContentsLength(14)
        self.show_codes = QLineEdit()
        self.show_codes.setPlaceholderText("选了哪些代码才问，如 2 或 1,3")
        self.options = QTableWidget(0, len(OPTION_COLUMNS))
        self.options.setHorizontalHeaderLabels(OPTION_COLUMNS)
        self.options.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.options.verticalHeader().setVisible(False)  # the code column numbers the options
        self.options.horizontalHeaderItem(3).setToolTip("如“都不需要”“以上都没有”：选了它就不能再选别的")
        self.add_option_button = QPushButton("添加选项")
        self.remove_option_button = QPushButton("删除所选选项")
        self.rows = text_box(4, "矩阵题的各行，每行一项，如：活动场地")
        self.message = wrapped_label()
        editor = pane(heading("题目内容"), form_rows(
            QFormLayout(), ("题干", self.text), ("题型", self.kind), row_of(self.required, self.need, self.private, STRETCH),
            ("多选：最少/最多", row_of(self.min_choices, self.max_choices, STRETCH)),
            ("显示条件", row_of(self.show_question, self.show_codes)),
        ), note("选项代码是录入时按的数字，也印在纸质问卷上；已有答卷选过的代码不能删除或改动。"),
            (self.options, 1), row_of(self.add_option_button, self.remove_option_button, STRETCH),
            heading("矩阵题的行"), self.rows)
        questions = pane(heading("题目"), (self.list_view, 1),
                         row_of(self.add_button, self.up_button, self.down_button, self.delete_button))
        self.buttons, self.save_button = save_cancel_buttons(self, self.save, enabled=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version_text)
        layout.addWidget(splitter(questions, editor, sizes=[380, 620]), 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.list_view.selectionModel().currentRowChanged.connect(lambda c, _p: self.edit(c.row()))
        self.add_button.clicked.connect(self.add_question)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.delete_button.clicked.connect(self.delete_question)
        self.add_option_button.clicked.connect(lambda: self.add_option_row(None))
        self.remove_option_button.clicked.connect(self.remove_option_row)
        self.kind.activated.connect(lambda _i: self._enable())
        fit_window(self, 1040, 680)

    def load(self) -> None:
        ws, survey_id = self.ctx.ws, self.survey_id

        def read():
            with ws.reading() as s:
                survey = resolve_survey(s, survey_id)
                version = current_version(s, survey.id)
                return survey.name, version.number, Questionnaire.from_json(version.definition)
        self.ctx.runner.query(read, self.fill)

    def fill(self, loaded) -> None:
        name, number, form = loaded
        self.form = form
        self.version_text.setText(f"<b>{name}</b>：问卷第 {number} 版。已有答卷时，保存会生成第 {number + 1} 版，"
                                  "已录入的答卷仍按原来的版本保存和统计。")
        self.refresh_list(0)
        self.save_button.setEnabled(True)
        self.mark_clean()

    def typed_state(self) -> tuple:
        self.commit()
        return (self.form.to_json(), str(sorted(self.bad_options.items())))

    # ---------------------------------------------------------------- the question list

    def refresh_list(self, row: int) -> None:
        self.list_model.set_rows([(q.number or q.code, q.text, TYPE_NAMES[q.type]) for q in self.form.questions])
        self.editing = None
        if self.form.questions:
            self.list_view.selectRow(max(0, min(row, len(self.form.questions) - 1)))
            self.edit(self.list_view.currentIndex().row())

    def add_question(self) -> None:
        self.commit()
        used = {q.code for q in self.form.questions}
        n = len(self.form.questions) + 1
        while f"Q{n}" in used:
            n += 1
        self.form.questions.append(Question(f"Q{n}", "新题目", "single", [Option(1, "是"), Option(2, "否")],
                                            number=str(len(self.form.questions) + 1)))
        self.refresh_list(len(self.form.questions) - 1)
        self.text.setFocus()
        self.text.selectAll()

    def move(self, step: int) -> None:
        self.commit()
        row = self.list_view.currentIndex().row()
        target = row + step
        if not (0 <= row < len(self.form.questions) and 0 <= target < len(self.form.questions)):
            return
        qs = self.form.questions
        qs[row], qs[target] = qs[target], qs[row]
        self.refresh_list(target)

    def delete_question(self) -> None:
        row = self.list_view.currentIndex().row()
        if not 0 <= row < len(self.form.questions):
            return
        gone = self.form.questions.pop(row)
        self.bad_options.pop(gone.code, None)
        for q in self.form.questions:  # a condition on the deleted question would point nowhere
            if q.show_if and q.show_if.question == gone.code:
                q.show_if = None
        self.editing = None
        self.refresh_list(row)

    # ---------------------------------------------------------------- the editor

    def edit(self, row: int) -> None:
        self.commit()
        if not 0 <= row < len(self.form.questions):
            return
        q = self.form.questions[row]
        self.editing = None  # while the widgets are filled, nothing is written back
        self.text.setText(q.text)
        self.kind.setCurrentIndex(self.kind.findData(q.type))
        self.required.setChecked(q.required)
        self.need.setChecked(q.need)
        self.private.setChecked(q.private)
        self.min_choices.setValue(q.min_choices)
        self.max_choices.setValue(q.max_choices)
        self.show_question.clear()
        self.show_question.addItem("（总是问）", "")
        for earlier in self.form.questions[:row]:
            if earlier.type in CHOICE_TYPES:
                self.show_question.addItem(f"{earlier.number or earlier.code}. {earlier.text[:16]} 选了", earlier.code)
        if q.show_if and self.show_question.findData(q.show_if.question) < 0:  # moved above it: kept, refused at 保存
            self.show_question.addItem(f"{q.show_if.question}（在本题后面）选了", q.show_if.question)
        self.show_question.setCurrentIndex(max(self.show_question.findData(q.show_if.question if q.show_if else ""), 0))
        self.show_codes.setText(",".join(map(str, q.show_if.codes)) if q.show_if else "")
        self.options.setRowCount(0)
        for o in q.options:
            self.add_option_row(o)
        for code, label, other, exclusive in self.bad_options.get(q.code, []):
            self.add_option_row(Option(0, label, other, exclusive))
            self.options.item(self.options.rowCount() - 1, 0).setText(code)
        self.rows.setPlainText("\n".join(r.label for r in q.rows))
        self.editing = q
        self._enable()

    def add_option_row(self, option: Option | None) -> None:
        row = self.options.rowCount()
        if option is None:
            codes = [self._code(r) for r in range(row)]
            option = Option(max([c for c in codes if c is not None], default=0) + 1, "")
        self.options.insertRow(row)
        self.options.setItem(row, 0, QTableWidgetItem(str(option.code)))
        self.options.setItem(row, 1, QTableWidgetItem(option.label))
        for col, on in ((2, option.other), (3, option.exclusive)):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.options.setItem(row, col, item)
        if self.editing is not None:
            self.options.setCurrentCell(row, 1)
            self.options.editItem(self.options.item(row, 1))

    def remove_option_row(self) -> None:
        row = self.options.currentRow()
        if row >= 0:
            self.options.removeRow(row)

    def _code(self, row: int) -> int | None:
        item = self.options.item(row, 0)
        text = item.text().strip() if item else ""
        return int(text) if text.isdecimal() else None  # isdigit takes “²”, which int() refuses

    def _enable(self) -> None:
        kind = self.kind.currentData()
        for widget in (self.options, self.add_option_button, self.remove_option_button):
            widget.setEnabled(kind in CHOICE_TYPES + SCALED_TYPES)
        self.rows.setEnabled(kind == "matrix")
        for widget in (self.min_choices, self.max_choices):
            widget.setEnabled(kind == "multiple")

    def commit(self) -> None:
        """Write the editor's widgets back into the question being edited (codes that are not numbers stay
        unsaved and are reported by `collect`)."""
        q = self.editing
        if q is None:
            return
        q.text = self.text.text().strip()
        q.type = self.kind.currentData()
        q.required, q.need, q.private = self.required.isChecked(), self.need.isChecked(), self.private.isChecked()
        q.min_choices, q.max_choices = self.min_choices.value(), self.max_choices.value()
        parent = self.show_question.currentData()
        codes = [int(c) for c in self.show_codes.text().replace("，", ",").replace(" ", ",").split(",") if c.isdigit()]
        q.show_if = ShowIf(parent, codes) if parent and codes else None
        options, bad = [], []
        for row in range(self.options.rowCount()):
            label = self.options.item(row, 1).text().strip() if self.options.item(row, 1) else ""
            code = self._code(row)
            other = self.options.item(row, 2).checkState() == Qt.CheckState.Checked
            exclusive = self.options.item(row, 3).checkState() == Qt.CheckState.Checked
            if label and code is None:  # kept aside, shown again and refused at 保存: never dropped silently
                bad.append((self.options.item(row, 0).text().strip(), label, other, exclusive))
            if code is None or not label:
                continue
            options.append(Option(code, label, other=other, exclusive=exclusive))
        q.options = options if q.type in CHOICE_TYPES + SCALED_TYPES else []
        if bad and q.options is options:
            self.bad_options[q.code] = bad
        else:
            self.bad_options.pop(q.code, None)
        labels = [line.strip() for line in self.rows.toPlainText().splitlines() if line.strip()]
        q.rows = [Option(n, label) for n, label in enumerate(labels, start=1)] if q.type == "matrix" else []

    # ---------------------------------------------------------------- saving

    def show_message(self, text: str) -> None:
        show_result(self.message, text, error=True)

    def save(self, drop_answered: bool = False) -> None:
        self.commit()
        if self.bad_options:
            self.show_message(self._bad_codes())
            return
        ws, survey_id, form = self.ctx.ws, self.survey_id, Questionnaire.from_json(self.form.to_json())
        self.save_button.setEnabled(False)

        def saved(version) -> None:
            self.ctx.runner.message.emit(f"已保存问卷（第 {version.number} 版）")
            self.accept()

        def refused(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            if isinstance(exc, surveys.DropsAnswers) and prompts.confirm(self, "删除有答卷的题目", str(exc)):
                self.save(drop_answered=True)
                return
            self.show_message(str(exc))
        self.ctx.runner.run(lambda: surveys.save_questionnaire(ws, survey_id, form, drop_answered=drop_answered),
                            saved, refused, changes=SURVEYS, parent=self)

    def _bad_codes(self) -> str:
        where = []
        for q in self.form.questions:
            for code, label, _o, _e in self.bad_options.get(q.code, []):
                where.append(f"第 {q.number or q.code} 题的“{label}”（{f'代码“{code}”' if code else '没填代码'}）")
        return ("没有保存：" + "、".join(where) + "的选项代码要填数字（0 或正整数，如 1、2、3），"
                "它是录入时按的键。请改好代码后再保存。")
