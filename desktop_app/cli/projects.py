"""The `project` and `fund` commands: add, list and edit projects and community funds, close a fund's month."""

from desktop_app.cli.office_view import add_office_option, office_view
from desktop_app.cli.output import print_json
from desktop_app.core.models import FUND_STATUSES, PROJECT_STATUSES
from desktop_app.core.money import fen_to_str, format_yuan, parse_amount
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.validation import parse_date, parse_month


def add_parsers(sub) -> None:
    proj = sub.add_parser("project", help="试点项目").add_subparsers(dest="action", required=True)
    s = proj.add_parser("add")
    s.add_argument("--name", required=True)
    s.add_argument("--start", required=True)
    s.add_argument("--end", required=True)
    s.add_argument("--budget", required=True)
    s.add_argument("--goals", default="")
    s = proj.add_parser("list")
    s.add_argument("--json", action="store_true")
    s = proj.add_parser("edit", help="修改项目（未给出的选项保持原值）")
    s.add_argument("project", help="项目名称或编号")
    s.add_argument("--name", help="新的项目名称")
    s.add_argument("--start", help="开始日期 YYYY-MM-DD")
    s.add_argument("--end", help="结束日期 YYYY-MM-DD")
    s.add_argument("--budget", help="总预算（元）")
    s.add_argument("--goals", help="主要内容和绩效目标")
    s.add_argument("--completion", help="项目完成情况")
    s.add_argument("--status", choices=PROJECT_STATUSES)

    fund = sub.add_parser("fund", help="社区基金").add_subparsers(dest="action", required=True)
    s = fund.add_parser("add")
    s.add_argument("--name", required=True)
    s.add_argument("--project")
    s.add_argument("--purpose", default="")
    s = fund.add_parser("list")
    add_office_option(s)
    s.add_argument("--json", action="store_true")
    s = fund.add_parser("edit", help="修改社区基金（未给出的选项保持原值）")
    s.add_argument("fund", help="基金名称或编号")
    s.add_argument("--name", help="新的基金名称")
    s.add_argument("--project", help="所属项目名称或编号；写 \"\" 表示不属于试点项目")
    s.add_argument("--purpose", help="用途")
    s.add_argument("--agreement-no", help="设立协议编号")
    s.add_argument("--agreement-date", help="设立协议日期 YYYY-MM-DD；写 \"\" 表示清空")
    s.add_argument("--status", choices=FUND_STATUSES)
    s = fund.add_parser("close-month", help="结账：之后不能再记入这个月")
    s.add_argument("--fund", required=True)
    s.add_argument("--month", required=True, help="YYYY-MM")


def cmd_project(ws, args) -> int:
    from desktop_app.core.services import projects

    if args.action == "add":
        start, end = parse_date(args.start, what="开始日期"), parse_date(args.end, what="结束日期")
        budget = parse_amount(args.budget, allow_zero=True)
        project = projects.add_project(ws, projects.ProjectInput(name=args.name, start_date=start, end_date=end,
                                                                 budget=budget, goals=args.goals))
        print(f"{project.id}  已添加项目“{project.name}”")
        return 0
    if args.action == "edit":
        return project_edit(ws, args)
    with ws.reading() as s:
        rows = project_queries.list_projects(s)
        data = [{"id": p.id, "name": p.name, "start": p.start_date.isoformat(), "end": p.end_date.isoformat(),
                 "budget": fen_to_str(p.budget_fen), "status": p.status,
                 "leaders": [{"name": ld.name, "role": ld.role, "phone": ld.phone}
                             for ld in project_queries.project_leaders(s, p.id)],
                 "sites": [{"name": st.name, "division_code": st.division_code} for st in project_queries.project_sites(s, p.id)]}
                for p in rows]
    if args.json:
        print_json(data)
    else:
        for p in rows:
            print(f"{p.id}  {p.name}  {p.start_date} 至 {p.end_date}  预算 {format_yuan(p.budget_fen)}")
        if not data:
            print("还没有项目。用 project add 添加。")
    return 0


def cmd_fund(ws, args) -> int:
    from desktop_app.core.queries import reports
    from desktop_app.core.services import ledger, projects

    if args.action == "add":
        project_id = None
        if args.project:
            with ws.reading() as s:
                project_id = project_queries.resolve_project(s, args.project).id
        fund, check = projects.add_fund(ws, projects.FundInput(name=args.name, project_id=project_id, purpose=args.purpose))
        print(f"{fund.id}  已添加社区基金“{fund.name}”")
        if not check.ok:
            print(f"提示：{check.explanation}")
        return 0
    if args.action == "edit":
        return fund_edit(ws, args)
    if args.action == "close-month":
        month = parse_month(args.month)
        with ws.reading() as s:
            fund = project_queries.resolve_fund(s, args.fund)
        ledger.close_month(ws, fund.id, month)
        print(f"“{fund.name}”的 {month} 已结账，之后不能再记入这个月。")
        return 0
    with ws.reading() as s:
        view = office_view(s, args)
        summaries = reports.fund_summaries(s, view.office_id)
    office = {f.fund_id: {"office": view.name(f.office_id)} if view.county else {} for f in summaries}
    data = [{"id": f.fund_id, **office[f.fund_id], "name": f.name, "project": f.project_name,
             "income": fen_to_str(f.income_fen), "expense": fen_to_str(f.expense_fen),
             "balance": fen_to_str(f.balance_fen), "restricted": fen_to_str(f.restricted_fen),
             "unrestricted": fen_to_str(f.unrestricted_fen), "drafts": f.drafts} for f in summaries]
    if args.json:
        print_json(data)
    else:
        for f in summaries:
            who = f"{view.name(f.office_id)}  " if view.county else ""
            print(f"{f.fund_id}  {who}{f.name}  余额 {format_yuan(f.balance_fen)}"
                  f"（限定性 {format_yuan(f.restricted_fen)}，非限定性 {format_yuan(f.unrestricted_fen)}）")
        if not summaries:
            print("这个单位还没有社区基金。" if view.office_id else "还没有社区基金。用 fund add 添加。")
    return 0


def project_edit(ws, args) -> int:
    """Load the project into its input, replace only what was given, save in one operation."""
    from desktop_app.core.services import projects

    with ws.reading() as s:
        project = project_queries.resolve_project(s, args.project)
        data = projects.project_input(s, project)
    if args.name is not None:
        data.name = args.name
    if args.start is not None:
        data.start_date = parse_date(args.start, what="开始日期")
    if args.end is not None:
        data.end_date = parse_date(args.end, what="结束日期")
    if args.budget is not None:
        data.budget = parse_amount(args.budget, allow_zero=True)
    if args.goals is not None:
        data.goals = args.goals
    if args.completion is not None:
        data.completion = args.completion
    updated = projects.update_project(ws, project.id, data, status=args.status)
    print(f"{updated.id}  已修改项目“{updated.name}”（{updated.start_date} 至 {updated.end_date}，"
          f"预算 {format_yuan(updated.budget_fen)}，{updated.status}）")
    return 0


def fund_edit(ws, args) -> int:
    """Load the fund into its input, replace only what was given, save in one operation."""
    from desktop_app.core.services import projects

    with ws.reading() as s:
        fund = project_queries.resolve_fund(s, args.fund)
        data = projects.fund_input(s, fund)
        if args.project is not None:
            data.project_id = project_queries.resolve_project(s, args.project).id if args.project.strip() else None
    if args.name is not None:
        data.name = args.name
    if args.purpose is not None:
        data.purpose = args.purpose
    if args.agreement_no is not None:
        data.agreement_no = args.agreement_no
    if args.agreement_date is not None:
        data.agreement_date = (parse_date(args.agreement_date, what="设立协议日期")
                               if args.agreement_date.strip() else None)
    updated, check = projects.update_fund(ws, fund.id, data, status=args.status)
    print(f"{updated.id}  已修改社区基金“{updated.name}”（{updated.status}）")
    if args.name is not None and not check.ok:
        print(f"提示：{check.explanation}")
    return 0
