"""The `survey` commands that read or write files other than exports: new (template, XLSForm), export (Excel
data), form (paper form PDF, XLSForm) and report --out (the report PDF)."""

from pathlib import Path

from desktop_app.cli.output import print_json
from desktop_app.core.errors import UserError


def cmd_new(ws, args) -> int:
    from desktop_app.core.services import surveys

    if args.template:
        survey = surveys.create_from_template(ws, args.project, args.name)
    else:
        from desktop_app.core.surveys.xlsform import read_xlsform

        form = read_xlsform(Path(args.from_file))
        survey = surveys.create_survey_for(ws, args.project, args.name or form.title, form, origin="XLSForm")
    if args.json:
        print_json({"survey": survey.id, "name": survey.name})
    else:
        print(f"{survey.id}  已新建需求调查“{survey.name}”。用 survey form 打印纸质问卷，或在“需求调查”页录入。")
    return 0


def cmd_export(ws, args) -> int:
    from desktop_app.core.exports.survey_data import export_survey_data

    out = _target(args.out, ".xlsx")
    with ws.reading() as s:
        written = export_survey_data(s, args.survey, out, codes=args.codes, wide=args.wide)
    print(f"已导出答卷数据：{written}")
    return 0


def cmd_form(ws, args) -> int:
    from desktop_app.core.queries.surveys import current_version, resolve_survey
    from desktop_app.core.surveys.questionnaire import Questionnaire

    out = Path(args.out)
    with ws.reading() as s:
        survey = resolve_survey(s, args.survey)
        version = current_version(s, survey.id)
    form = Questionnaire.from_json(version.definition)
    if out.suffix.lower() == ".pdf":
        from desktop_app.core.survey_report.paper_form import write_paper_form

        written = write_paper_form(survey.name, form, out)
        print(f"已生成纸质问卷：{written}（选项旁印有录入代码）")
    elif out.suffix.lower() == ".xlsx":
        from desktop_app.core.surveys.xlsform import write_xlsform

        written = write_xlsform(form, out, form_id=survey.id, version=version.number)
        print(f"已写出 XLSForm 问卷表：{written}（可在 KoBo、ODK 中使用）")
    else:
        raise UserError("请用 .pdf（纸质问卷）或 .xlsx（XLSForm 问卷表）作为 --out 的文件名。")
    return 0


def write_report(ws, results, args) -> int:
    from desktop_app.core.survey_report.report import write_survey_report

    out = _target(args.out, ".pdf")
    with ws.reading() as s:
        written = write_survey_report(s, results, out)
    print(f"已生成调查报告：{written}")
    return 0


def _target(path: str, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise UserError(f"请用 {suffix} 作为 --out 的文件名后缀，例如 调查结果{suffix}。")
    return out
