"""需求调查: the surveys with their counts, and the selected survey's results — valid forms and why others were
excluded, the needs ranking with seed 004's sentence, each question's table and chart, cross-tabs.

Results are computed in the worker (10,000 responses take well under a second there), never on the GUI
thread; the commands that change data open their own dialogs (import, paper entry, settling, rules)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout

from desktop_app.core.changes import SURVEYS
from desktop_app.core.errors import UserError
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries import surveys as survey_queries
from desktop_app.core.queries.survey_results import SITE_WORDS, SurveyResults, survey_results
from desktop_app.core.services import surveys
from desktop_app.core.surveys.analysis import QuestionResult
from desktop_app.core.surveys.questionnaire import TYPE_NAMES
from desktop_app.core.surveys.template import TEMPLATE_NAME
from desktop_app.gui import prompts
from desktop_app.gui.activity_charts import bar_chart, chart_view
from desktop_app.gui.county_views import (
    OFFICE_COLUMN,
    OfficeFilter,
    OfficeScope,
    load_office_scope,
    refuse_buttons,
)
from desktop_app.gui.pages.base import Page
from desktop_app.gui.survey_charts import group_chart
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    STRETCH,
    current_of,
    heading,
    note,
    pane,
    reselect,
    row_of,
    splitter,
    table,
)

NO_GROUPS = "不分组"
CHOICE_TYPES = ("single", "multiple", "ranking", "scale")


class SurveysPage(Page):
    title = "需求调查"
    watches = ("surveys", "projects")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.rows: list[survey_queries.SurveyRow] = []
        self.results: SurveyResults | None = None
        self.scope = OfficeScope()
        self.office_filter = OfficeFilter()
        self.model = RowsModel(["调查", "所属项目", "答卷", "问卷版本", OFFICE_COLUMN], right=[2, 3])
        self.view = table(self.model, stretch=0)
        self.view.horizontalHeader().moveSection(4, 0)  # a county's office column leads
        self.view.setColumnHidden(4, True)
        rows = self.view.verticalHeader().defaultSectionSize()
        self.view.setMinimumHeight(self.view.horizontalHeader().sizeHint().height() + 2 * rows + 4)
        self.new_button = QPushButton("用模板新建…")
        self.import_button = QPushButton("导入问卷星/腾讯问卷…")
        self.entry_button = QPushButton("纸质问卷录入…")
        self.settle_button = QPushButton("核对两遍录入…")
        self.design_button = QPushButton("设计问卷…")
        self.rules_button = QPushButton("有效问卷规则…")
        self.form_button = QPushButton("打印纸质问卷…")
        self.export_button = QPushButton("导出数据…")
        self.report_button = QPushButton("调查报告…")
        top = pane(row_of(heading("需求调查"), STRETCH, self.office_filter),
                   note("纸质问卷用“纸质问卷录入”逐份键入（每个选项按它的代码）；网上收集的答卷从问卷星或腾讯问卷"
                        "“下载答卷数据”后导入，同一文件导入两次不会重复。统计只用有效问卷。"),
                   (self.view, 1),
                   # two rows: one row of nine would make the page wider than a window of 1,100 pixels
                   row_of(self.new_button, self.import_button, self.entry_button, self.settle_button, STRETCH),
                   row_of(self.design_button, self.rules_button, self.form_button, self.export_button,
                          self.report_button, STRETCH))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.questions_model = RowsModel(["题号", "题目", "题型", "回答人数"], right=[3])
        self.questions_view = table(self.questions_model, stretch=1)
        self.group_by = QComboBox()
        self.group_by.setMinimumContentsLength(18)
        self.options_model = RowsModel(["选项", "人数", "百分比"], right=[1, 2])
        self.options_view = table(self.options_model, stretch=0)
        self.chart = chart_view()
        self.detail_note = QLabel()
        self.detail_note.setWordWrap(True)
        detail = pane(row_of(QLabel("交叉分析："), self.group_by, STRETCH), self.detail_note,
                      (splitter(self.options_view, self.chart, sizes=[360, 440]), 1))
        results = splitter(pane(heading("题目"), (self.questions_view, 1)), detail, sizes=[420, 620])
        bottom = pane(heading("调查结果"), self.summary, (results, 1))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(top, bottom, sizes=[150, 610], vertical=True))
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self.load_results())
        self.questions_view.selectionModel().currentRowChanged.connect(lambda c, _p: self.show_question(c.row()))
        self.group_by.activated.connect(lambda _i: self.load_results())
        self.office_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(self.new_from_template)
        self.import_button.clicked.connect(self.import_file)
        self.entry_button.clicked.connect(self.paper_entry)
        self.settle_button.clicked.connect(self.settle)
        self.design_button.clicked.connect(self.design)
        self.rules_button.clicked.connect(self.edit_rules)
        self.form_button.clicked.connect(self.print_form)
        self.export_button.clicked.connect(self.export_data)
        self.report_button.clicked.connect(self.write_report)

    # ---------------------------------------------------------------- reading

    def refresh(self) -> None:
        ws, office = self.ctx.ws, self.office_filter.office_id()

        def load():
            with ws.reading() as s:
                return survey_queries.list_surveys(s, office)
        self.ctx.runner.query(lambda: load_office_scope(ws), self._set_scope)
        self.ctx.runner.query(load, self.show_surveys)

    def _set_scope(self, scope: OfficeScope) -> None:
        self.scope = scope
        self.office_filter.set_scope(scope)
        self.view.setColumnHidden(4, not scope.county)

    def current(self) -> survey_queries.SurveyRow | None:
        return current_of(self.view, self.rows)

    def show_surveys(self, rows: list[survey_queries.SurveyRow]) -> None:
        previous = self.current()
        self.rows = rows
        self.model.set_rows([(r.name, r.project, f"{r.responses:,}", f"第 {r.versions} 版", self.scope.name(r.office_id))
                             for r in rows], keys=[r.id for r in rows])
        row = reselect(self.view, [r.id for r in rows], previous.id if previous else None)
        for button in (self.entry_button, self.settle_button, self.design_button, self.rules_button, self.form_button,
                       self.export_button, self.report_button):
            button.setEnabled(row >= 0)
        self._refuse_foreign()
        if row < 0:
            self.results = None
            self.summary.setText("还没有需求调查。点“用模板新建…”从《社区居民需求调查》开始，"
                                 "或点“导入问卷星/腾讯问卷…”导入网上收集的答卷。")
            self.questions_model.set_rows([])
            self.show_question(-1)
            return
        self.load_results()

    def _refuse_foreign(self) -> None:
        """At the county, a township's survey is read (results, report, export), never changed; and no survey
        is made or imported while the filter shows a township."""
        row = self.current()
        for button in (self.entry_button, self.settle_button, self.design_button, self.rules_button):
            button.setEnabled(row is not None)
        refuse_buttons(self.scope.foreign_note(row.office_id if row else None), self.entry_button,
                       self.settle_button, self.design_button, self.rules_button)
        for button in (self.new_button, self.import_button):
            button.setEnabled(True)
        refuse_buttons(self.office_filter.add_note(), self.new_button)
        refuse_buttons(self.office_filter.add_note() or self.scope.foreign_note(row.office_id if row else None),
                       self.import_button)

    def load_results(self) -> None:
        self._refuse_foreign()
        row = self.current()
        if row is None:
            return
        # the grouping belongs to the survey shown: another survey may have no such question
        same = self.results is not None and self.results.survey.id == row.id
        ws, by = self.ctx.ws, self.group_by.currentData() if same else None

        def load():
            with ws.reading() as s:
                try:
                    return survey_results(s, row.id, by=by)
                except UserError:
                    if not by:
                        raise
                    return survey_results(s, row.id)  # the question grouped by was changed: not grouped
        self.ctx.runner.query(load, self.show_results)

    def show_results(self, results: SurveyResults) -> None:
        row = self.current()
        if row is None or results.survey.id != row.id:  # another survey was selected meanwhile
            return
        previous = self.questions_view.currentIndex().row()
        self.results = results
        excluded = "；".join(f"{why} {n} 份" for why, n in results.excluded) or "无"
        sources = "，".join(f"{src} {n} 份" for src, n in results.sources)
        text = (f"<b>{results.survey.name}</b>　答卷 {results.responses:,} 份，有效 {results.valid:,} 份"
                f"{f'（{sources}）' if sources else ''}；无效：{excluded}")
        if results.sentence:
            text += f"<br>{results.sentence}"
        elif not results.valid:
            text += "<br>还没有有效问卷：录入纸质问卷或导入网上答卷后，这里显示需求排序和每道题的统计。"
        self.summary.setText(text)
        self._fill_groups(results)
        self.questions_model.set_rows([(q.question.number or q.question.code, q.question.text,
                                        TYPE_NAMES[q.question.type], f"{q.base:,}") for q in results.questions])
        if results.questions:
            self.questions_view.selectRow(min(max(previous, 0), len(results.questions) - 1))
        self.show_question(self.questions_view.currentIndex().row())

    def _fill_groups(self, results: SurveyResults) -> None:
        chosen = self.group_by.currentData() if results.by_label else None  # the grouping these results have
        self.group_by.clear()
        self.group_by.addItem(NO_GROUPS, None)
        self.group_by.addItem("按试点村(社区)", SITE_WORDS[0])
        for q in results.form.questions:
            if q.type in ("single", "region", "scale"):
                self.group_by.addItem(f"按 {q.number or q.code} {q.text[:14]}", q.code)
        index = self.group_by.findData(chosen)
        self.group_by.setCurrentIndex(max(index, 0))

    def show_question(self, row: int) -> None:
        results = self.results
        if results is None or not 0 <= row < len(results.questions):
            self.options_model.set_rows([])
            self.detail_note.setText("")
            self.chart.setChart(bar_chart("", {}, "人数"))
            return
        res = results.questions[row]
        self.options_model.set_rows(self._option_rows(res))
        self.detail_note.setText(self._question_note(res, results))
        self.chart.setChart(self._chart(res))

    @staticmethod
    def _option_rows(res: QuestionResult) -> list[tuple]:
        q = res.question
        if res.by:
            return [(f"{label}：{oc.label}", f"{oc.count:,}", f"{oc.percent}%")
                    for label, sub in res.by.items() for oc in sub.options]
        if q.type == "matrix":
            return [(label, f"{base:,}", f"平均 {mean or '—'}") for label, base, mean, _o in res.rows]
        if q.type in ("text", "region"):
            if q.private:
                return [("（隐私题目：不列出回答）", f"{res.base:,}", "")]
            return [(text, "", "") for text in res.texts]
        rows = [(oc.label, f"{oc.count:,}", f"{oc.percent}%" + (f"  得分 {oc.score}" if oc.score else ""))
                for oc in res.options]
        if res.mean:
            rows.append(("平均", res.mean, ""))
        return rows

    @staticmethod
    def _question_note(res: QuestionResult, results: SurveyResults) -> str:
        q = res.question
        text = f"第 {q.number or q.code} 题（{TYPE_NAMES[q.type]}）：回答 {res.base:,} 人，有效问卷 {results.valid:,} 份。"
        if q.type == "multiple":
            text += "　百分比为占回答人数的比例，多选合计会超过 100%。"
        if q.type == "ranking":
            text += "　平均综合得分 = Σ(名次权重 × 次数) ÷ 回答人数，排第一的权重最大。"
        if res.by:
            text += f"　按“{results.by_label}”分组，百分比为组内比例。"
        return text

    @staticmethod
    def _chart(res: QuestionResult):
        q = res.question
        if q.type == "matrix":
            values = {label: float(mean) for label, _b, mean, _o in res.rows if mean}
            return bar_chart("", values, "平均分", whole=False, horizontal=True)
        if res.by and q.type in CHOICE_TYPES:
            return group_chart({label: {oc.label: float(oc.percent) for oc in sub.options}
                                for label, sub in res.by.items()}, [o.label for o in q.options])
        if q.type not in CHOICE_TYPES or res.by:
            return bar_chart("", {}, "人数")
        if q.type == "ranking":
            return bar_chart("", {oc.label: float(oc.score) for oc in res.options}, "平均综合得分", whole=False,
                             horizontal=True)
        return bar_chart("", {oc.label: oc.count for oc in res.options}, "人数", horizontal=True)

    # ---------------------------------------------------------------- commands

    def _project(self) -> str | None:
        with self.ctx.ws.reading() as s:
            choices = project_queries.project_choices(s)
        if not choices:
            prompts.show_error(self, "需求调查要属于一个试点项目，但还没有项目。请先在“项目”页新增项目。")
            return None
        if len(choices) == 1:
            return choices[0][0]
        index = prompts.choose(self, "选择项目", "这份调查属于哪个项目？", [name for _id, name in choices])
        return None if index is None else choices[index][0]

    def new_from_template(self) -> None:
        project = self._project()
        if project is None:
            return
        name = prompts.ask_text(self, "用模板新建", "调查名称（如“青花镇立信社区居民需求调查”）：", TEMPLATE_NAME)
        if not name:
            return
        ws = self.ctx.ws
        self.ctx.runner.run(lambda: surveys.create_from_template(ws, project, name),
                            lambda sv: self.ctx.runner.message.emit(f"已新建需求调查：{sv.name}"),
                            changes=SURVEYS, parent=self)

    def import_file(self):
        from desktop_app.gui.survey_import_dialog import SurveyImportDialog

        dialog = SurveyImportDialog(self.ctx, self, survey_id=self.current().id if self.current() else None)
        if not dialog.choose_file():
            return None
        dialog.open()
        return dialog

    def _open(self, dialog_class):
        """A dialog of the selected survey, loaded in the worker and shown (None when none is selected)."""
        row = self.current()
        if row is None:
            return None
        dialog = dialog_class(self.ctx, self, survey_id=row.id)
        dialog.load()
        dialog.open()
        return dialog

    def paper_entry(self):
        from desktop_app.gui.survey_entry_dialog import SurveyEntryDialog

        return self._open(SurveyEntryDialog)

    def settle(self):
        from desktop_app.gui.survey_settle_dialog import SurveySettleDialog

        return self._open(SurveySettleDialog)

    def design(self):
        from desktop_app.gui.survey_designer import SurveyDesigner

        return self._open(SurveyDesigner)

    def edit_rules(self):
        from desktop_app.gui.survey_rules_dialog import SurveyRulesDialog

        return self._open(SurveyRulesDialog)

    def print_form(self) -> None:
        from desktop_app.gui import survey_files

        survey_files.save_paper_form(self, self.current())

    def export_data(self) -> None:
        from desktop_app.gui import survey_files

        survey_files.save_data(self, self.current())

    def write_report(self) -> None:
        from desktop_app.gui import survey_files

        survey_files.save_report(self, self.current(), self.group_by.currentData())
