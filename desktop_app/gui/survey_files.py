"""需求调查 › 打印纸质问卷 / 导出数据 / 调查报告: ask where to save, write in the worker, offer the folder."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop_app.core.queries.surveys import current_version, resolve_survey
from desktop_app.core.surveys.questionnaire import Questionnaire
from desktop_app.gui import prompts
from desktop_app.gui.exports import ask_path, exported, file_name, pdf_file_name


def _write(page: QWidget, row, what: str, name: str, write: Callable[[Path], Path], *, pdf: bool) -> None:
    """Ask where to save `what` (suggesting `name`), then `write(out)` in the worker; offer the folder."""
    out = ask_path(page.ctx, page, what, name, pdf=pdf)
    if out is None:
        return
    page.ctx.runner.run(lambda _progress: write(out), lambda path: exported(page, path, 0, what),
                        progress_title=f"正在生成{what}…", parent=page)


def save_paper_form(page: QWidget, row) -> None:
    """The A4 paper questionnaire, its option codes printed beside each option for keying."""
    if row is None:
        return
    ws = page.ctx.ws

    def write(out: Path) -> Path:
        from desktop_app.core.survey_report.paper_form import write_paper_form

        with ws.reading() as s:
            survey = resolve_survey(s, row.id)
            form = Questionnaire.from_json(current_version(s, survey.id).definition)
        return write_paper_form(survey.name, form, out)
    _write(page, row, "纸质问卷", pdf_file_name(f"{row.name}-纸质问卷"), write, pdf=True)


def save_data(page: QWidget, row) -> None:
    """The valid responses as an Excel workbook (option labels or codes; one column per question)."""
    if row is None:
        return
    codes = prompts.choose(page, "导出数据", "选项写成：", ["选项文字（便于阅读）", "选项代码（便于统计软件）"])
    if codes is None:
        return
    ws = page.ctx.ws

    def write(out: Path) -> Path:
        from desktop_app.core.exports.survey_data import export_survey_data

        with ws.reading() as s:
            return export_survey_data(s, row.id, out, codes=codes == 1, wide=False)
    _write(page, row, "答卷数据", file_name(f"{row.name}-答卷数据"), write, pdf=False)


def save_report(page: QWidget, row, by: str | None) -> None:
    """The survey report PDF (with the cross-tab the page shows, if any)."""
    if row is None:
        return
    ws = page.ctx.ws

    def write(out: Path) -> Path:
        from desktop_app.core.queries.survey_results import survey_results
        from desktop_app.core.survey_report.report import write_survey_report

        with ws.reading() as s:
            return write_survey_report(s, survey_results(s, row.id, by=by), out)
    _write(page, row, "调查报告", pdf_file_name(f"{row.name}-调查报告"), write, pdf=True)
