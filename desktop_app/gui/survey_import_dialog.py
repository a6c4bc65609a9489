"""导入问卷星/腾讯问卷: a dry run first, then the import.

The dialog runs the import as a dry run as soon as it opens and whenever the target changes, and shows what
the real import would do: how many responses are new, already imported or refused (each refused row with its
reason), and, for a new survey, the question types read from the file — each can be corrected before
importing. 导入 is enabled only after a dry run that refused nothing essential; it writes in one transaction."""

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from desktop_app.core.changes import SURVEYS
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import surveys as survey_queries
from desktop_app.core.services import surveys
from desktop_app.core.surveys.infer import FORCEABLE
from desktop_app.core.surveys.questionnaire import TYPE_NAMES
from desktop_app.gui import prompts
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import form_rows, heading, note, row_of, show_result, table, wrapped_label


class SurveyImportDialog(QDialog):
    def __init__(self, ctx, parent=None, *, survey_id: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入问卷星/腾讯问卷的答卷")
        self.ctx = ctx
        self.path: Path | None = None
        self.summary: surveys.ImportSummary | None = None
        self.types: dict[str, str] = {}
        self.runs = 0  # dry runs started: only the last one's result is shown (the target may change meanwhile)
        self.file_label = wrapped_label()
        self.as_new = QRadioButton("新建一份调查（按文件里的题目）")
        self.into = QRadioButton("导入到已有的调查")
        group = QButtonGroup(self)
        group.addButton(self.as_new)
        group.addButton(self.into)
        self.project = QComboBox()
        self.name = QLineEdit()
        self.name.setPlaceholderText("默认用文件里的问卷标题")
        self.survey = QComboBox()
        with ctx.ws.reading() as s:
            for pid, pname in project_queries.project_choices(s):
                self.project.addItem(pname, pid)
            for row in survey_queries.list_surveys(s):
                self.survey.addItem(f"{row.name}（{row.responses} 份）", row.id)
        if survey_id and self.survey.findData(survey_id) >= 0:
            self.survey.setCurrentIndex(self.survey.findData(survey_id))
        (self.into if survey_id else self.as_new).setChecked(True)
        self.into.setEnabled(self.survey.count() > 0)
        form = form_rows(QFormLayout(), ("文件", self.file_label), self.as_new, ("所属项目", self.project),
                         ("调查名称", self.name), self.into, ("调查", self.survey))
        self.result = wrapped_label()
        self.refused_model = RowsModel(["行", "没有导入的原因"], right=[0])
        self.refused_view = table(self.refused_model, stretch=1)
        self.types_model = RowsModel(["题号", "题目", "题型（读出来的）"])
        self.types_view = table(self.types_model, stretch=1)
        self.type_box = QComboBox()
        for kind in FORCEABLE:
            self.type_box.addItem(TYPE_NAMES[kind], kind)
        self.type_row = row_of(QLabel("所选题目的题型改为："), self.type_box, (note("改了题型会重新试导入。"), 1))
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        for button in self.buttons.buttons():  # Enter in the name field runs a dry run, not the import
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(heading("试导入的结果"))
        layout.addWidget(self.result)
        layout.addWidget(self.refused_view, 1)
        layout.addWidget(heading("题目和题型"))
        layout.addWidget(self.types_view, 2)
        layout.addLayout(self.type_row)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.as_new, self.into):
            widget.toggled.connect(lambda on: on and self.dry_run())
        self.project.activated.connect(lambda _i: self.dry_run())
        self.survey.activated.connect(lambda _i: self.dry_run())
        self.name.editingFinished.connect(self.dry_run)
        self.type_box.activated.connect(self.change_type)
        fit_window(self, 900, 680)

    def choose_file(self, path: Path | None = None) -> bool:
        """Ask for the file (or take `path`) and start the dry run; False when the user cancelled."""
        path = path or prompts.open_survey_file(self)
        if path is None:
            return False
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self.dry_run()
        return True

    def _target(self) -> dict:
        if self.into.isChecked():
            return {"survey": self.survey.currentData()}
        return {"project": self.project.currentData(), "name": self.name.text().strip() or None,
                "types": dict(self.types)}

    def dry_run(self) -> None:
        if self.path is None:
            return
        self.import_button.setEnabled(False)
        self.summary = None
        show_result(self.result, "正在试导入…", error=False)
        ws, path, target = self.ctx.ws, self.path, self._target()
        self.runs += 1
        run = self.runs

        def latest(show):
            return lambda result: run == self.runs and show(result)
        self.ctx.runner.run(lambda: surveys.import_file(ws, path, dry_run=True, **target), latest(self.show_summary),
                            latest(self.show_refusal), parent=self)

    def show_summary(self, summary: surveys.ImportSummary) -> None:
        self.summary = summary
        where = "新建调查" if summary.created else f"调查“{summary.survey_name}”"
        text = (f"{summary.source}：新答卷 {summary.new} 份，已导入过 {summary.existing} 份，"
                f"不能导入 {len(summary.refused)} 份（见下表）。点“导入”写入{where}。")
        for number, labels in summary.added.items():
            text += f"\n第 {number} 题有新选项：{'、'.join(labels)}（导入后问卷升为第 {summary.version} 版）。"
        show_result(self.result, text, error=False)
        self.refused_model.set_rows([(row, reason) for row, reason in summary.refused])
        self.types_model.set_rows([(q.number or q.code, q.text, TYPE_NAMES[q.type])
                                   for q in summary.questionnaire.questions],
                                  keys=[q.code for q in summary.questionnaire.questions])
        editable = summary.created
        for widget in (self.type_box, self.types_view):
            widget.setEnabled(editable)
        self.import_button.setEnabled(summary.new > 0 or summary.created)

    def show_refusal(self, exc: BaseException) -> None:
        self.summary = None
        self.refused_model.set_rows([])
        self.types_model.set_rows([])
        show_result(self.result, str(exc), error=True)

    def change_type(self) -> None:
        code = self.types_model.key(self.types_view.currentIndex().row())
        if code is None:
            return
        self.types[code] = self.type_box.currentData()
        self.dry_run()

    def do_import(self) -> None:
        if self.path is None or self.summary is None:
            return
        self.import_button.setEnabled(False)
        ws, path, target = self.ctx.ws, self.path, self._target()

        def done(summary: surveys.ImportSummary) -> None:
            self.ctx.runner.message.emit(f"已导入“{summary.survey_name}”：新答卷 {summary.new} 份，"
                                         f"已导入过 {summary.existing} 份，不能导入 {len(summary.refused)} 份。")
            self.accept()
        self.ctx.runner.run(lambda: surveys.import_file(ws, path, **target), done, self.show_refusal,
                            changes=SURVEYS, parent=self)
