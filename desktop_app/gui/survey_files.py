"""需求调查 › 打印纸质问卷 / 导出数据 / 调查报告: ask where to save, write in the worker, offer the folder."""

from PySide6.QtWidgets import QWidget

from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.gui import prompts
from desktop_app.gui.exports import ask_path, exported, file_name, pdf_file_name


def save_paper_form(page: QWidget, row) -> None:
    """The A4 paper questionnaire, its option codes printed beside each option for keying."""
    if row is None:
        return
    ctx = page.ctx
    out = ask_path(ctx, page, "打印纸质问卷", pdf_file_name(f"{row.name}-纸质问卷"), pdf=True)
    if out is None:
        return
    ws = ctx.ws

    def write(_progress):
        from desktop_app.core.survey_report.paper_form import write_paper_form

        with ws.reading() as s:
            survey = resolve_survey(s, row.id)
            form = Questionnaire.from_json(current_version(s, survey.id).definition)
        return write_paper_form(survey.name, form, out)
    ctx.runner.run(write, lambda path: exported(page, path, 0, "纸质问卷"), progress_title="正在生成纸质问卷…",
                   parent=page)


def save_data(page: QWidget, row) -> None:
    """The valid responses as an Excel workbook (option labels; one column per question)."""
    if row is None:
        return
    ctx = page.ctx
    codes = prompts.choose(page, "导出数据", "选项写成：", ["选项文字（便于阅读）", "选项代码（便于统计软件）"])
    if codes is None:
        return
    out = ask_path(ctx, page, "导出答卷数据", file_name(f"{row.name}-答卷数据"))
    if out is None:
        return
    ws = ctx.ws

    def write(_progress):
        from desktop_app.core.exports.survey_data import export_survey_data

        with ws.reading() as s:
            return export_survey_data(s, row.id, out, codes=codes == 1, wide=False)
    ctx.runner.run(write, lambda path: exported(page, path, 0, "答卷数据"), progress_title="正在导出答卷数据…",
                   parent=page)


def save_report(page: QWidget, row, by: str | None) -> None:
    """The survey report PDF (with the cross-tab the page shows, if any)."""
    if row is None:
        return
    ctx = page.ctx
    out = ask_path(ctx, page, "调查报告", pdf_file_name(f"{row.name}-调查报告"), pdf=True)
    if out is None:
        return
    ws = ctx.ws

    def write(_progress):
        from desktop_app.core.queries.survey_results import survey_results
        from desktop_app.core.survey_report.report import write_survey_report

        with ws.reading() as s:
            return write_survey_report(s, survey_results(s, row.id, by=by), out)
    ctx.runner.run(write, lambda path: exported(page, path, 0, "调查报告"), progress_title="正在生成调查报告…",
                   parent=page)
