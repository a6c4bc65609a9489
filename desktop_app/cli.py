"""`charity-ledger`: with no subcommand it opens the window; subcommands run headless over the core.

Human text by default, JSON with --json (amounts as strings like "1234.50"). A failing command
prints a Chinese message on stderr, exits non-zero and changes nothing.
"""

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from desktop_app import __version__
from desktop_app.core.errors import NeedsOverride, UserError, WorkspaceDamaged
from desktop_app.core.models import FUND_STATUSES, PROJECT_STATUSES
from desktop_app.core.money import capital_yuan, fen_to_str, format_yuan, parse_amount
from desktop_app.core.validation import parse_date, parse_month

_ARGPARSE_ZH = [
    ("the following arguments are required", "缺少必填参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("expected one argument", "需要一个参数值"),
    ("argument", "参数"),
    ("choose from", "可选"),
]


def os_error_text(exc: OSError) -> str:
    import errno

    known = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "只读的磁盘或 U 盘",
             errno.ENOSPC: "磁盘空间不足", errno.ENOENT: "找不到文件或文件夹", errno.EEXIST: "已存在同名文件",
             errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹"}
    return known.get(exc.errno, exc.strerror or str(exc))


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, chinese in _ARGPARSE_ZH:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"命令参数有误：{message}\n请用 --help 查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="charity-ledger", description="社区慈善台账：社区基金收支、活动、公示与数据同步。"
                              "不带子命令时打开程序窗口。")
    p.add_argument("--workspace", type=Path, help="工作区文件夹（便携模式，例如 U 盘上的文件夹）")
    p.add_argument("--demo", action="store_true", help="打开演示工作区（四川万源试点，首次使用时自动生成）")
    p.add_argument("--version", action="version", version=f"charity-ledger {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=ChineseArgumentParser)

    s = sub.add_parser("init", help="创建工作区并登记本单位")
    s.add_argument("--office", required=True, help="本单位名称")
    s.add_argument("--division-code", required=True, help="12 位统计用区划代码")
    s.add_argument("--association", required=True, help="所属慈善会名称")
    s.add_argument("--level", choices=["乡镇/街道", "村/社区", "县级慈善会"])
    s.add_argument("--code-year", type=int, default=2024, help="区划代码表年份")

    sub.add_parser("demo", help="在 --workspace 指定的新文件夹中生成演示数据")

    proj = sub.add_parser("project", help="试点项目").add_subparsers(dest="action", required=True,
                                                                 parser_class=ChineseArgumentParser)
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

    fund = sub.add_parser("fund", help="社区基金").add_subparsers(dest="action", required=True,
                                                             parser_class=ChineseArgumentParser)
    s = fund.add_parser("add")
    s.add_argument("--name", required=True)
    s.add_argument("--project")
    s.add_argument("--purpose", default="")
    s = fund.add_parser("list")
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

    entry = sub.add_parser("entry", help="收支分录").add_subparsers(dest="action", required=True,
                                                              parser_class=ChineseArgumentParser)
    s = entry.add_parser("add")
    s.add_argument("--fund", required=True)
    s.add_argument("--date", required=True)
    s.add_argument("--type", required=True, choices=["donation", "allocation", "expense"])
    s.add_argument("--amount", required=True)
    s.add_argument("--category", required=True)
    s.add_argument("--summary", required=True)
    s.add_argument("--counterparty", default="")
    s.add_argument("--counterparty-kind", default="", choices=["", "个人", "企业", "社会组织", "政府机关", "村(社区)"])
    s.add_argument("--anonymous", action="store_true")
    s.add_argument("--consent", action="store_true", help="对方同意公开姓名/名称")
    s.add_argument("--restricted", default="", help="限定用途（捐赠人指定的用途；支出时为所用的限定资金）")
    s.add_argument("--expense-class", default="", choices=["", "慈善活动支出", "管理费用", "筹资费用", "其他"])
    s.add_argument("--payment-method", default="")
    s.add_argument("--receipt-code", default="")
    s.add_argument("--receipt-no", default="")
    s.add_argument("--attach", action="append", default=[], type=Path)
    s.add_argument("--post", action="store_true", help="保存后立即记账")
    s.add_argument("--override", default="", help="超额说明（余额不足或动用限定资金时必须填写）")
    s.add_argument("--json", action="store_true")
    s = entry.add_parser("list")
    s.add_argument("--fund")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--search", default="")
    s.add_argument("--limit", type=int, default=0)
    s.add_argument("--json", action="store_true")
    s = entry.add_parser("post")
    s.add_argument("id")
    s.add_argument("--override", default="")
    s = entry.add_parser("reverse")
    s.add_argument("id")
    s.add_argument("--reason", required=True)
    s.add_argument("--date")
    s.add_argument("--override", default="")
    s = entry.add_parser("delete", help="删除草稿（已记账的分录不能删除）")
    s.add_argument("id")

    cat = sub.add_parser("category", help="业务类别").add_subparsers(dest="action", required=True,
                                                                 parser_class=ChineseArgumentParser)
    s = cat.add_parser("list")
    s.add_argument("--json", action="store_true")
    s = cat.add_parser("add")
    s.add_argument("--name", required=True)
    s.add_argument("--kind", choices=["expense", "income", "activity_type", "beneficiary_group"], default="expense")

    s = sub.add_parser("verify", help="校验已记账分录的哈希链")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("report", help="查看报表")
    s.add_argument("kind", choices=["balances", "categories", "months", "budget", "donors"])
    s.add_argument("--fund")
    s.add_argument("--project")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="导出 Excel")
    s.add_argument("kind", choices=["ledger", "balances", "categories", "months", "budget", "donors"])
    s.add_argument("--fund")
    s.add_argument("--project")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--out", required=True, type=Path)

    s = sub.add_parser("backup", help="备份与恢复")
    s.add_argument("action", choices=["create", "list", "restore"])
    s.add_argument("file", nargs="?")
    s.add_argument("--json", action="store_true")
    return p


def _workspace_dir(args) -> Path:
    from desktop_app.core.paths import default_workspace_dir, demo_workspace_dir

    if args.workspace:
        return args.workspace
    return demo_workspace_dir() if args.demo else default_workspace_dir()


def _safe_streams() -> None:
    """Output redirected on a Chinese Windows PC is encoded as GBK, which has no “¥”: never let an
    unencodable character fail a command after its work was committed."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _safe_streams()
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _open_gui(args)
        return _run(args)
    except NeedsOverride as exc:
        print(f"错误：{exc}\n（命令行中请用 --override \"说明\" 填写超额说明。）", file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"“{exc.filename}”" if exc.filename else ""
        print(f"错误：文件操作失败{where}（{os_error_text(exc)}）。请检查路径、权限和磁盘空间后重试。", file=sys.stderr)
        return 1


def _open_gui(args) -> int:
    from desktop_app.core.paths import DB_NAME

    folder = _workspace_dir(args)
    if args.demo and not (folder / DB_NAME).exists():
        from desktop_app.core.demo import build_demo

        print(f"正在生成演示工作区：{folder}")
        build_demo(folder)
    from desktop_app.gui.startup import run

    return run(folder)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _run(args) -> int:
    from desktop_app.core.workspace import Workspace

    folder = _workspace_dir(args)
    if args.command == "demo":
        from desktop_app.core.demo import build_demo
        from desktop_app.core.workspace import DB_NAME

        if (folder / DB_NAME).exists():
            raise UserError(f"“{folder}”已经是一个工作区，演示数据只能生成到新的文件夹。请换一个文件夹。")
        build_demo(folder)
        print(f"演示工作区已生成：{folder}")
        return 0
    if args.command == "init":
        from desktop_app.core.services import office
        from desktop_app.core.workspace import DB_NAME

        if (folder / DB_NAME).exists():
            with Workspace.open(folder, auto_backup=False) as ws:
                if ws.has_office():
                    raise UserError("这个工作区已经初始化过了。要修改本单位信息，请到“设置 › 本单位”。")
        # refuse bad input before creating anything on disk
        office.check_office_input(args.office, args.division_code, args.association, args.level, args.code_year)
        ws = Workspace.open(folder, create=True, auto_backup=False)
        try:
            created = office.init_office(ws, name=args.office, division_code=args.division_code,
                                         association=args.association, level=args.level, code_year=args.code_year)
        finally:
            ws.close(backup=False)
        print(f"工作区已创建：{folder}\n本单位：{created.name}（{created.level}，区划代码 {created.division_code}）")
        return 0
    try:
        ws = Workspace.open(folder)
    except WorkspaceDamaged:
        if args.command == "backup" and args.action in ("list", "restore"):
            return cmd_backup_damaged(folder, args)
        raise
    try:
        ws.local_office()
        return COMMANDS[args.command](ws, args)
    finally:
        # CLI calls are short and scripted by the hundred: back up on open when the last backup is
        # older than a day (done by Workspace.open), not after every call.
        ws.close(backup=False)


# ---------------------------------------------------------------------------- commands


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
        rows = projects.list_projects(s)
        data = [{"id": p.id, "name": p.name, "start": p.start_date.isoformat(), "end": p.end_date.isoformat(),
                 "budget": fen_to_str(p.budget_fen), "status": p.status,
                 "leaders": [{"name": ld.name, "role": ld.role, "phone": ld.phone}
                             for ld in projects.project_leaders(s, p.id)],
                 "sites": [{"name": st.name, "division_code": st.division_code} for st in projects.project_sites(s, p.id)]}
                for p in rows]
    if args.json:
        _print_json(data)
    else:
        for p in rows:
            print(f"{p.id}  {p.name}  {p.start_date} 至 {p.end_date}  预算 {format_yuan(p.budget_fen)}")
        if not data:
            print("还没有项目。用 project add 添加。")
    return 0


def cmd_fund(ws, args) -> int:
    from desktop_app.core import reports
    from desktop_app.core.services import ledger, projects

    if args.action == "add":
        project_id = None
        if args.project:
            with ws.reading() as s:
                project_id = projects.resolve_project(s, args.project).id
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
            fund = projects.resolve_fund(s, args.fund)
        ledger.close_month(ws, fund.id, month)
        print(f"“{fund.name}”的 {month} 已结账，之后不能再记入这个月。")
        return 0
    with ws.reading() as s:
        summaries = reports.fund_summaries(s)
    data = [{"id": f.fund_id, "name": f.name, "project": f.project_name, "income": fen_to_str(f.income_fen),
             "expense": fen_to_str(f.expense_fen), "balance": fen_to_str(f.balance_fen),
             "restricted": fen_to_str(f.restricted_fen), "unrestricted": fen_to_str(f.unrestricted_fen),
             "drafts": f.drafts} for f in summaries]
    if args.json:
        _print_json(data)
    else:
        for f in summaries:
            print(f"{f.fund_id}  {f.name}  余额 {format_yuan(f.balance_fen)}"
                  f"（限定性 {format_yuan(f.restricted_fen)}，非限定性 {format_yuan(f.unrestricted_fen)}）")
        if not summaries:
            print("还没有社区基金。用 fund add 添加。")
    return 0


def project_edit(ws, args) -> int:
    """Load the project into its input, replace only what was given, save in one operation."""
    from desktop_app.core.services import projects

    with ws.reading() as s:
        project = projects.resolve_project(s, args.project)
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
        fund = projects.resolve_fund(s, args.fund)
        data = projects.fund_input(s, fund)
        if args.project is not None:
            data.project_id = projects.resolve_project(s, args.project).id if args.project.strip() else None
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


def _entry_json(row) -> dict:
    return {"id": row.id, "fund": row.fund_name, "voucher": row.voucher or None, "date": row.entry_date,
            "type": row.entry_type, "flow": row.flow, "amount": fen_to_str(row.amount_fen), "summary": row.summary,
            "category": row.category, "expense_class": row.expense_class, "restriction": row.restriction,
            "counterparty": row.counterparty_name, "status": row.status, "attachments": row.attachments,
            "reversed_by": row.reversed_by}


def cmd_entry(ws, args) -> int:
    from desktop_app.core import ledger_query
    from desktop_app.core.services import ledger, projects

    if args.action == "add":
        amount = parse_amount(args.amount)
        day = parse_date(args.date)
        with ws.reading() as s:
            fund = projects.resolve_fund(s, args.fund)
        data = ledger.EntryInput(
            fund_id=fund.id, entry_date=day, entry_type=args.type, amount=amount, summary=args.summary,
            category=args.category, expense_class=args.expense_class, restriction=args.restricted,
            counterparty_name=args.counterparty, counterparty_kind=args.counterparty_kind, anonymous=args.anonymous,
            publish_consent=args.consent, payment_method=args.payment_method, receipt_code=args.receipt_code,
            receipt_no=args.receipt_no, attachments=list(args.attach))
        entry = ledger.add_entry(ws, data, post=args.post, override_reason=args.override)
        voucher = ledger.voucher_text(entry)
        if args.json:
            _print_json({"id": entry.id, "voucher": voucher or None, "status": entry.status,
                         "amount": fen_to_str(entry.amount_fen)})
        elif voucher:
            print(f"{entry.id}  已记账，凭证号 {voucher}，金额 {format_yuan(entry.amount_fen)}（{capital_yuan(entry.amount_fen)}）")
        else:
            print(f"{entry.id}  已保存为草稿，金额 {format_yuan(entry.amount_fen)}")
        return 0
    if args.action == "post":
        entry = ledger.post_entry(ws, args.id, override_reason=args.override)
        print(f"{entry.id}  已记账，凭证号 {ledger.voucher_text(entry)}")
        return 0
    if args.action == "reverse":
        day = parse_date(args.date, what="冲销日期") if args.date else None
        reversal = ledger.reverse_entry(ws, args.id, args.reason, on_date=day, override_reason=args.override)
        print(f"{reversal.id}  已红字冲销，冲销凭证号 {ledger.voucher_text(reversal)}，金额 {format_yuan(reversal.amount_fen)}")
        return 0
    if args.action == "delete":
        ledger.delete_draft(ws, args.id)
        print(f"{args.id}  草稿已删除")
        return 0
    fund_id = None
    if args.fund:
        with ws.reading() as s:
            fund_id = projects.resolve_fund(s, args.fund).id
    filt = ledger_query.LedgerFilter(
        fund_id=fund_id, text=args.search,
        date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
        date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None)
    conn = ws.raw_reader()
    try:
        rows = list(ledger_query.iterate(conn, filt, sort="date", descending=False))
    finally:
        conn.close()
    if args.limit:
        rows = rows[-args.limit:]
    if args.json:
        _print_json([_entry_json(r) for r in rows])
    else:
        for r in rows:
            status = "已记账" if r.status == "posted" else "草稿"
            print(f"{r.id}  {r.voucher or '(草稿)':>9}  {r.entry_date}  {ledger.entry_type_label(r.entry_type)}  "
                  f"{format_yuan(r.amount_fen):>14}  {r.summary}  [{status}]")
        print(f"共 {len(rows)} 条")
    return 0


def cmd_category(ws, args) -> int:
    from desktop_app.core.models import CATEGORY_KINDS
    from desktop_app.core.services import office

    if args.action == "add":
        cat = office.add_category(ws, args.name, args.kind)
        print(f"已添加类别“{cat.name}”")
        return 0
    with ws.reading() as s:
        cats = office.list_categories(s)
    if args.json:
        _print_json([{"name": c.name, "kind": c.kind} for c in cats])
    else:
        for kind, label in CATEGORY_KINDS.items():
            print(f"{label}：" + "、".join(c.name for c in cats if c.kind == kind))
    return 0


def cmd_verify(ws, args) -> int:
    from desktop_app.core import chain

    report = chain.verify_workspace(ws)
    if args.json:
        _print_json({"ok": report.ok, "funds": report.funds, "entries": report.entries,
                     "problems": [asdict(p) for p in report.problems]})
    elif report.ok:
        print(f"哈希链完好：{report.funds} 个基金，{report.entries} 条已记账分录，均未被改动。")
    if not report.ok:
        print(f"发现 {len(report.problems)} 处数据在程序之外被改动：", file=sys.stderr)
        for p in report.problems:
            print("  " + p.describe(), file=sys.stderr)
        print("请从改动之前的备份恢复（backup list / backup restore），并查明是谁改动了数据库文件。", file=sys.stderr)
        return 3
    return 0


def _report_rows(ws, args) -> tuple[list[str], list[list]]:
    from desktop_app.core import reports
    from desktop_app.core.services import projects

    with ws.reading() as s:
        fund_id = projects.resolve_fund(s, args.fund).id if args.fund else None
        if args.kind == "balances":
            rows = reports.fund_summaries(s)
            return ["基金", "收入", "支出", "余额", "限定性", "非限定性"], [
                [r.name, r.income_fen, r.expense_fen, r.balance_fen, r.restricted_fen, r.unrestricted_fen] for r in rows]
        if args.kind == "categories":
            return ["收/支", "类别", "支出性质", "金额", "笔数"], [
                ["收入" if r.flow == "in" else "支出", r.category, r.expense_class, r.amount_fen, r.count]
                for r in reports.by_category(s, fund_id)]
        if args.kind == "months":
            return ["月份", "收入", "支出"], [[r.month, r.income_fen, r.expense_fen] for r in reports.by_month(s, fund_id)]
        if args.kind == "budget":
            if not args.project:
                raise UserError("预算执行报表需要指定项目：请加上 --project 项目名称。")
            project = projects.resolve_project(s, args.project)
            return ["类别", "预算", "实际", "差额", "使用率%"], [
                [r.category, r.budget_fen, r.actual_fen, r.difference_fen, r.used_percent]
                for r in reports.budget_vs_actual(s, project.id)]
        return ["捐赠人", "类型", "笔数", "金额"], [[r.name, r.kind, r.count, r.total_fen]
                                                for r in reports.donor_list(s, fund_id, public=True)]


_MONEY_COLUMNS = {"收入", "支出", "余额", "限定性", "非限定性", "金额", "预算", "实际", "差额"}
_JSON_KEYS = {"基金": "fund", "收入": "income", "支出": "expense", "余额": "balance", "限定性": "restricted",
              "非限定性": "unrestricted", "收/支": "flow", "类别": "category", "支出性质": "expense_class",
              "金额": "amount", "笔数": "count", "月份": "month", "预算": "budget", "实际": "actual",
              "差额": "difference", "使用率%": "used_percent", "捐赠人": "donor", "类型": "kind"}


def _json_value(header: str, value):
    if header in _MONEY_COLUMNS:
        return fen_to_str(value)
    if header == "使用率%":
        return None if value is None else f"{value:.1f}"  # a ratio, as a string like the amounts
    if header == "收/支":
        return "in" if value == "收入" else "out"
    return value


def cmd_report(ws, args) -> int:
    headers, rows = _report_rows(ws, args)
    if args.json:
        _print_json([{_JSON_KEYS[h]: _json_value(h, v) for h, v in zip(headers, row, strict=True)} for row in rows])
        return 0
    print("\t".join(headers))
    for row in rows:
        print("\t".join(format_yuan(v) if h in _MONEY_COLUMNS else ("" if v is None else str(v))
                        for h, v in zip(headers, row, strict=True)))
    return 0


def cmd_export(ws, args) -> int:
    from desktop_app.core import ledger_query, xlsx_export
    from desktop_app.core.services import projects

    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{args.out}”应以 .xlsx 结尾。")
    if not args.out.parent.exists():
        raise UserError(f"文件夹“{args.out.parent}”不存在。请先创建它，或换一个保存位置。")
    with ws.reading() as s:
        fund_id = projects.resolve_fund(s, args.fund).id if args.fund else None
        project_id = projects.resolve_project(s, args.project).id if args.project else None
    if args.kind == "ledger":
        filt = ledger_query.LedgerFilter(
            fund_id=fund_id,
            date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
            date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None)
        count = xlsx_export.export_ledger(ws, args.out, filt)
    else:
        count = xlsx_export.export_report(ws, args.kind, args.out, fund_id=fund_id, project_id=project_id)
    print(f"已导出 {count} 行到 {args.out}")
    return 0


def cmd_backup(ws, args) -> int:
    if args.action == "create":
        info = ws.create_backup("manual")
        print(f"已备份并校验：{info.path}")
        return 0
    if args.action == "restore":
        if not args.file:
            raise UserError("请指定要恢复的备份文件，可用 backup list 查看。")
        safety = ws.restore_backup(args.file)
        print(f"已恢复备份 {args.file}。恢复前的数据已另存为 {safety.path.name}。")
        return 0
    backups = ws.list_backups()
    if args.json:
        _print_json([{"file": b.path.name, "path": str(b.path), "taken_at": b.taken_at.isoformat(),
                      "reason": b.reason, "size": b.size} for b in backups])
    else:
        for b in backups:
            print(f"{b.path.name}  {b.taken_at.astimezone():%Y-%m-%d %H:%M}  {b.reason_label}  {b.size // 1024} KB")
        if not backups:
            print("还没有备份。用 backup create 立即备份。")
    return 0


def cmd_backup_damaged(folder: Path, args) -> int:
    """A workspace that fails its integrity check can still list its backups and restore one."""
    from desktop_app.core import backup as backups
    from desktop_app.core.workspace import Workspace

    if args.action == "list":
        for b in backups.list_backups(folder / "backups"):
            state = "完好" if backups.integrity_ok(b.path) else "已损坏"
            print(f"{b.path.name}  {b.taken_at.astimezone():%Y-%m-%d %H:%M}  {b.reason_label}  {state}")
        return 0
    if not args.file:
        raise UserError("请指定要恢复的备份文件，可用 backup list 查看。")
    aside = Workspace.restore_damaged(folder, args.file)
    print(f"已用备份 {args.file} 替换损坏的数据库。损坏的文件已移到 {aside}，没有删除。")
    return 0


COMMANDS = {"project": cmd_project, "fund": cmd_fund, "entry": cmd_entry, "category": cmd_category,
            "verify": cmd_verify, "report": cmd_report, "export": cmd_export, "backup": cmd_backup}
