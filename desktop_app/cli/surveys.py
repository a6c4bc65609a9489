"""The `survey` commands: new (template or XLSForm), import 问卷星 / 腾讯问卷 exports (with a dry run), list, show a
questionnaire, report (text, JSON or PDF), export the data to Excel, write the paper form or the XLSForm."""

from pathlib import Path

from desktop_app.cli.output import clip, print_json, print_table
from desktop_app.core.surveys.questionnaire import TYPE_NAMES


def add_parsers(sub) -> None:
    survey = sub.add_parser("survey", help="需求调查").add_subparsers(dest="action", required=True)
    s = survey.add_parser("new", help="新建需求调查：从内置模板，或从 XLSForm 问卷表（KoBo/ODK）")
    source = s.add_mutually_exclusive_group(required=True)
    source.add_argument("--template", choices=["社区居民需求调查"], help="内置模板")
    source.add_argument("--from", dest="from_file", help="XLSForm 问卷表（.xlsx，含 survey、choices、settings 工作表）")
    s.add_argument("--project", help="所属项目（名称或编号）；只有一个项目时可不写")
    s.add_argument("--name", help="调查名称（默认用模板或问卷表的标题）")
    s.add_argument("--json", action="store_true")
    s = survey.add_parser("import", help="导入问卷星或腾讯问卷导出的答卷数据（.xlsx、.xls、.csv）")
    s.add_argument("file", help="导出的文件")
    s.add_argument("--survey", help="导入到已有的调查（名称或编号）；不写则按这份文件新建一份调查")
    s.add_argument("--project", help="新建调查所属的项目（名称或编号）")
    s.add_argument("--site", help="这批答卷来自的试点村(社区)")
    s.add_argument("--name", help="新建调查的名称（默认用文件里的问卷标题）")
    s.add_argument("--dry-run", action="store_true", help="只检查并报告会导入多少，不写入")
    s.add_argument("--json", action="store_true")
    s = survey.add_parser("list", help="列出需求调查和答卷数")
    s.add_argument("--json", action="store_true")
    s = survey.add_parser("show", help="显示调查的问卷（题目、题型、选项代码）")
    s.add_argument("survey", help="调查名称或编号")
    s.add_argument("--json", action="store_true")
    s = survey.add_parser("report", help="调查结果：有效问卷、每题统计、需求排序")
    s.add_argument("survey", help="调查名称或编号")
    s.add_argument("--by", help="按这道题（如 Q3）或 site（试点村）交叉分析")
    s.add_argument("--json", action="store_true")
    s.add_argument("--out", help="写成调查报告 PDF（A4，可打印）")
    s = survey.add_parser("export", help="把答卷数据导出为 Excel")
    s.add_argument("survey", help="调查名称或编号")
    s.add_argument("--out", required=True, help="导出的 .xlsx 文件")
    s.add_argument("--codes", action="store_true", help="写选项代码而不是选项文字")
    s.add_argument("--wide", action="store_true", help="多选题每个选项一列（1/0），如 KoBo 的导出")
    s = survey.add_parser("form", help="写出问卷：纸质问卷 PDF（选项旁印代码），或 XLSForm 问卷表（.xlsx）")
    s.add_argument("survey", help="调查名称或编号")
    s.add_argument("--out", required=True, help="FILE.pdf 或 FILE.xlsx")


def cmd_survey(ws, args) -> int:
    if args.action in ("new", "export", "form"):
        from desktop_app.cli import survey_files

        return getattr(survey_files, f"cmd_{args.action}")(ws, args)
    if args.action == "import":
        return _import(ws, args)
    if args.action == "list":
        return _list(ws, args)
    if args.action == "show":
        return _show(ws, args)
    return _report(ws, args)


def _import(ws, args) -> int:
    from desktop_app.core.services import surveys

    summary = surveys.import_file(ws, Path(args.file), survey=args.survey, project=args.project, site=args.site,
                                  name=args.name, dry_run=args.dry_run)
    if args.json:
        print_json(summary.as_json())
        return 0
    what = "试导入（没有写入）" if summary.dry_run else "导入完成"
    made = "，按文件新建了调查" if summary.created and not summary.dry_run else ""
    print(f"{what}：{summary.source}，调查“{summary.survey_name}”{made}。")
    print(f"  新答卷 {summary.new} 份，已导入过 {summary.existing} 份，拒收 {len(summary.refused)} 份。")
    for number, labels in summary.added.items():
        print(f"  第 {number} 题出现了新选项：{'、'.join(labels)}（已加入问卷，现为第 {summary.version} 版）")
    for row, reason in summary.refused:
        print(f"  第 {row} 行：{reason}")
    if summary.created:
        print("程序按表头推断的题型（请核对；有误可在“需求调查”页修改问卷）：")
        for q in summary.questionnaire.questions:
            print(f"  {q.code}  {TYPE_NAMES[q.type]}  {clip(q.text, 60)}")
    return 0


def _list(ws, args) -> int:
    from desktop_app.core.queries.surveys import list_surveys

    with ws.reading() as s:
        rows = list_surveys(s)
    if args.json:
        print_json([{"id": r.id, "name": r.name, "project": r.project, "versions": r.versions,
                     "responses": r.responses} for r in rows])
    elif rows:
        print_table(["编号", "调查", "项目", "答卷"], [[r.id, clip(r.name, 40), clip(r.project, 30), r.responses]
                                                 for r in rows], right={3})
    else:
        print("还没有需求调查。用 survey import 导入问卷星、腾讯问卷的答卷，或在“需求调查”页新建。")
    return 0


def _show(ws, args) -> int:
    from desktop_app.core.queries.surveys import current_version, resolve_survey
    from desktop_app.core.surveys.questionnaire import Questionnaire

    with ws.reading() as s:
        survey = resolve_survey(s, args.survey)
        version = current_version(s, survey.id)
    form = Questionnaire.from_json(version.definition)
    if args.json:
        import json

        print_json({"survey": survey.id, "name": survey.name, "version": version.number, "origin": version.origin,
                    "questionnaire": json.loads(form.to_json())})
        return 0
    print(f"{survey.name}（第 {version.number} 版，{len(form.questions)} 题）")
    for q in form.questions:
        flags = "".join(f"［{w}］" for w, on in (("必答", q.required), ("需求", q.need), ("隐私", q.private)) if on)
        print(f"{q.code}  {TYPE_NAMES[q.type]}  {q.text}{flags}")
        for row in q.rows:
            print(f"      行 {row.code}. {row.label}")
        for o in q.options:
            print(f"      {o.code}. {o.label}{'（可填写）' if o.other else ''}{'（单独选择）' if o.exclusive else ''}")
    return 0


def _report(ws, args) -> int:
    from desktop_app.core.queries.survey_results import results_json, survey_results

    with ws.reading() as s:
        results = survey_results(s, args.survey, by=args.by)
    if args.out:
        from desktop_app.cli import survey_files

        return survey_files.write_report(ws, results, args)
    if args.json:
        print_json(results_json(results))
        return 0
    print(f"{results.survey.name}：答卷 {results.responses} 份，有效 {results.valid} 份。")
    for why, n in results.excluded:
        print(f"  无效 {n} 份：{why}")
    if results.sentence:
        print(results.sentence)
    for res in results.questions:
        q = res.question
        print(f"\n{q.code} {q.text}（{TYPE_NAMES[q.type]}，回答 {res.base} 人）")
        for oc in res.options:
            extra = f"  得分 {oc.score}" if oc.score else ""
            print(f"  {clip(oc.label, 40)}  {oc.count}  {oc.percent}%{extra}")
        for label, base, mean, _opts in res.rows:
            print(f"  {clip(label, 40)}  回答 {base}  平均 {mean}")
        if res.mean and not res.rows:
            print(f"  平均 {res.mean}")
        if q.type in ("text", "region") and not q.private:
            print(f"  （{len(res.texts)} 条文字回答，用 --json 查看全部）")
    return 0
