"""`charity-ledger`: with no subcommand it opens the window; subcommands run headless over the core.

Human text by default, JSON with --json (amounts as strings like "1234.50"). A failing command
prints a Chinese message on stderr, exits non-zero and changes nothing.
"""

import argparse
import json
import sys
import unicodedata
from dataclasses import asdict
from pathlib import Path

from desktop_app import __version__
from desktop_app.core import quantities
from desktop_app.core import settings as setting_registry
from desktop_app.core.errors import NeedsOverride, UserError, WorkspaceDamaged
from desktop_app.core.models import FUND_STATUSES, PROJECT_STATUSES
from desktop_app.core.money import capital_yuan, fen_to_str, format_yuan, parse_amount
from desktop_app.core.queries import goods as goods_queries
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.queries.categories import list_categories
from desktop_app.core.queries.settings import get_setting
from desktop_app.core.validation import parse_count, parse_date, parse_month

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

    st = sub.add_parser("setting", help="工作区设置（记账规则、公示期天数、监督电话）").add_subparsers(
        dest="action", required=True, parser_class=ChineseArgumentParser)
    s = st.add_parser("list", help="查看全部设置")
    s.add_argument("--json", action="store_true")
    s = st.add_parser("set", help="修改一项设置，例如 setting set notice.association_phone 0818-8621234")
    s.add_argument("key", help="设置名，见 setting list")
    s.add_argument("value", help="新的值（电话可留空：\"\"）")

    _activity_parsers(sub)
    _goods_parsers(sub)

    _notice_parsers(sub)

    s = sub.add_parser("verify", help="校验已记账分录的哈希链")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("report", help="查看报表")
    s.add_argument("kind", choices=["balances", "categories", "months", "budget", "donors"])
    s.add_argument("--fund")
    s.add_argument("--project")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="导出 Excel")
    s.add_argument("kind", choices=["ledger", "balances", "categories", "months", "budget", "donors", *_ACTIVITY_EXPORTS])
    s.add_argument("--fund", help="只导出这个基金（物资台账、收支台账和报表）")
    s.add_argument("--project", help="只导出这个项目（活动登记表、活动统计和报表）")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--out", required=True, type=Path)

    s = sub.add_parser("backup", help="备份与恢复")
    s.add_argument("action", choices=["create", "list", "restore"])
    s.add_argument("file", nargs="?")
    s.add_argument("--json", action="store_true")
    return p


class _PhotoAction(argparse.Action):
    """--photo FILE [--caption TEXT] …: each caption belongs to the photo given just before it."""

    def __call__(self, parser, namespace, value, option_string=None):
        photos = list(getattr(namespace, self.dest, None) or [])
        if option_string == "--photo":
            photos.append((Path(value), None))
        elif not photos or photos[-1][1] is not None:
            raise argparse.ArgumentError(self, "--caption 要紧跟在它所说明的 --photo 之后，每张照片最多一条说明")
        else:
            photos[-1] = (photos[-1][0], value)
        setattr(namespace, self.dest, photos)


def _activity_parsers(sub) -> None:
    act = sub.add_parser("activity", help="活动记录").add_subparsers(dest="action", required=True,
                                                                 parser_class=ChineseArgumentParser)
    s = act.add_parser("add", help="登记一项活动（可附照片）")
    s.add_argument("--project", required=True, help="所属项目名称或编号")
    s.add_argument("--site", help="试点村（社区）；不填表示整个项目的活动")
    s.add_argument("--type", required=True, help="活动类型，例如 培训、慈善服务（见 category list）")
    s.add_argument("--title", required=True, help="活动名称")
    s.add_argument("--date", required=True, help="活动日期（多日活动为开始日期）YYYY-MM-DD")
    s.add_argument("--end-date", help="多日活动的结束日期 YYYY-MM-DD")
    s.add_argument("--place", default="", help="活动地点")
    s.add_argument("--organisers", default="", help="组织单位")
    s.add_argument("--partners", default="", help="合作单位")
    s.add_argument("--participants", default="0", help="参与人数")
    s.add_argument("--volunteers", default="0", help="志愿者人数")
    s.add_argument("--volunteer-hours", default="0", help="志愿服务时长（小时），例如 7.5")
    s.add_argument("--beneficiaries", nargs="+", action="extend", default=[], metavar="群体=人数",
                   help="受益群体及人次，例如 老年人=40 儿童=60")
    s.add_argument("--expense", nargs="+", action="extend", default=[], metavar="分录编号",
                   help="这次活动的已记账支出（本项目基金的支出分录编号）")
    s.add_argument("--summary", default="", help="活动简介")
    s.add_argument("--photo", dest="photos", action=_PhotoAction, default=[], metavar="照片文件",
                   help="活动照片，可重复")
    s.add_argument("--caption", dest="photos", action=_PhotoAction, metavar="说明", help="前一张照片的说明")
    s.add_argument("--public", action="store_true", help="列入公示")
    s.add_argument("--order", help="在公示中的顺序（与 --public 一起用；不填排在最后）")
    s.add_argument("--json", action="store_true")
    s = act.add_parser("list", help="查看活动")
    s.add_argument("--project", help="项目名称或编号")
    s.add_argument("--site", help="试点村（社区）；写“项目整体”只看不属于某个试点的活动")
    s.add_argument("--type", help="活动类型")
    s.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD")
    s.add_argument("--text", default="", help="名称、简介、地点或单位中含有的文字")
    s.add_argument("--public", action="store_true", help="只看列入公示的活动")
    s.add_argument("--json", action="store_true")
    s = act.add_parser("show", help="查看一项活动的详情、照片和费用")
    s.add_argument("activity", help="活动名称或编号")
    s.add_argument("--json", action="store_true")


def _goods_parsers(sub) -> None:
    from desktop_app.core.models import COUNTERPARTY_KINDS, GOODS_SOURCES, GOODS_VALUATIONS

    goods = sub.add_parser("goods", help="物资台账").add_subparsers(dest="action", required=True,
                                                               parser_class=ChineseArgumentParser)
    s = _movement_parser(goods, "receive", "收到")
    s.add_argument("--source", choices=GOODS_SOURCES, default="捐赠")
    s.add_argument("--donor", default="", help="捐赠方名称")
    s.add_argument("--donor-kind", choices=COUNTERPARTY_KINDS)
    s.add_argument("--anonymous", action="store_true", help="捐赠方要求匿名")
    s.add_argument("--consent", action="store_true", help="捐赠方同意公开名称")
    s.add_argument("--valuation", choices=GOODS_VALUATIONS, help="估值依据（默认 未估值）")
    s.add_argument("--value", help="物资总价值（元），估值时必填")
    s.add_argument("--entry", help="购买这批物资的已记账支出分录编号（来源为 购买 时）")
    s.add_argument("--note", default="")
    s.add_argument("--json", action="store_true")
    s = _movement_parser(goods, "issue", "发出")
    s.add_argument("--activity", help="发放物资的活动（名称或编号）")
    s.add_argument("--group", default="", help="受益群体")
    s.add_argument("--recipients", default="0", help="受益人数")
    s.add_argument("--note", default="")
    s.add_argument("--json", action="store_true")
    for action, text in (("stock", "查看库存"), ("list", "查看收发记录")):
        s = goods.add_parser(action, help=text)
        s.add_argument("--fund", help="社区基金名称或编号")
        s.add_argument("--json", action="store_true")


def _notice_parsers(sub) -> None:
    notice = sub.add_parser("notice", help="信息公示：导出、发布、更正、核验").add_subparsers(
        dest="action", required=True, parser_class=ChineseArgumentParser)
    s = notice.add_parser("export", help="生成公示 PDF（记为草稿，可反复导出）")
    s.add_argument("--project", required=True, help="项目名称或编号")
    s.add_argument("--template", choices=["fund-usage", "progress", "donations"], default="fund-usage",
                   help="fund-usage 经费使用情况公示（默认）、progress 项目进展公示、donations 捐赠公示")
    s.add_argument("--from", dest="date_from", help="公示期间起始日期 YYYY-MM-DD（默认项目开始日期；进展公示为最近三个月）")
    s.add_argument("--to", dest="date_to", help="公示期间截止日期 YYYY-MM-DD（默认项目结束日期与今天中较早的一天）")
    s.add_argument("--exclude-drafts", action="store_true", help="期间内尚未记账的草稿不列入公示（公示中会注明）")
    s.add_argument("--written-on", help="落款日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--notice-start", help="公示期开始日期（默认落款日期）")
    s.add_argument("--notice-end", help="公示期结束日期（默认开始后第 7 天）")
    s.add_argument("--edits", type=Path, help="文字修改（JSON 文件：{\"item:活动编号\": {\"lead\": …, \"body\": …}, "
                   "\"field:项目完成情况\": \"…\"}）")
    s.add_argument("--out", required=True, type=Path, help="保存的 PDF 文件")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("publish", help="发布公示：编号、存档、结账，之后不能再改动")
    s.add_argument("notice", help="草稿编号、公示核验码，或导出的 PDF 文件")
    s.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("correct", help="对已发布的公示发布更正说明")
    s.add_argument("notice", help="要更正的公示编号（如 2025-001）")
    s.add_argument("--text", required=True, help="更正内容")
    s.add_argument("--date", help="发布日期 YYYY-MM-DD（默认今天）")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("list", help="查看公示（草稿和已发布）")
    s.add_argument("--project", help="只看这个项目")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("verify", help="核验公示：数据是否与公示时一致（一致返回 0，有变化返回 3；"
                                         "给出的 PDF 文件与该核验码的公示内容不符、可能被改动过时返回 4）")
    s.add_argument("code", help="公示上的核验码，或公示 PDF 文件")
    s.add_argument("--json", action="store_true")
    s = notice.add_parser("due", help="应当公示的事项（公示时限）")
    s.add_argument("--date", help="按这一天计算（默认今天）")
    s.add_argument("--json", action="store_true")


def _movement_parser(goods, action: str, verb: str):
    s = goods.add_parser(action, help=f"登记{verb}的物资")
    s.add_argument("--fund", required=True, help="社区基金名称或编号")
    s.add_argument("--date", required=True, help=f"{verb}日期 YYYY-MM-DD")
    s.add_argument("--item", required=True, help="物资名称")
    s.add_argument("--unit", required=True, help="计量单位，例如 份、箱、千克")
    s.add_argument("--quantity", required=True, help="数量")
    return s


def _workspace_dir(args) -> Path:
    from desktop_app.core.storage.paths import default_workspace_dir, demo_workspace_dir

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
    from desktop_app.core.storage.paths import DB_NAME

    folder = _workspace_dir(args)
    if args.demo and not (folder / DB_NAME).exists():
        from desktop_app.core.demo.build import build_demo

        print(f"正在生成演示工作区：{folder}")
        build_demo(folder)
    from desktop_app.gui.startup import run

    return run(folder)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _run(args) -> int:
    from desktop_app.core.storage.workspace import Workspace

    folder = _workspace_dir(args)
    if args.command == "demo":
        from desktop_app.core.demo.build import build_demo
        from desktop_app.core.storage.workspace import DB_NAME

        if (folder / DB_NAME).exists():
            raise UserError(f"“{folder}”已经是一个工作区，演示数据只能生成到新的文件夹。请换一个文件夹。")
        build_demo(folder)
        print(f"演示工作区已生成：{folder}")
        return 0
    if args.command == "init":
        from desktop_app.core.services import office
        from desktop_app.core.storage.workspace import DB_NAME

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
        rows = project_queries.list_projects(s)
        data = [{"id": p.id, "name": p.name, "start": p.start_date.isoformat(), "end": p.end_date.isoformat(),
                 "budget": fen_to_str(p.budget_fen), "status": p.status,
                 "leaders": [{"name": ld.name, "role": ld.role, "phone": ld.phone}
                             for ld in project_queries.project_leaders(s, p.id)],
                 "sites": [{"name": st.name, "division_code": st.division_code} for st in project_queries.project_sites(s, p.id)]}
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


def _entry_json(row) -> dict:
    return {"id": row.id, "fund": row.fund_name, "voucher": row.voucher or None, "date": row.entry_date,
            "type": row.entry_type, "flow": row.flow, "amount": fen_to_str(row.amount_fen), "summary": row.summary,
            "category": row.category, "expense_class": row.expense_class, "restriction": row.restriction,
            "counterparty": row.counterparty_name, "status": row.status, "attachments": row.attachments,
            "reversed_by": row.reversed_by}


def cmd_entry(ws, args) -> int:
    from desktop_app.core.queries import ledger as ledger_query
    from desktop_app.core.services import ledger

    if args.action == "add":
        amount = parse_amount(args.amount)
        day = parse_date(args.date)
        with ws.reading() as s:
            fund = project_queries.resolve_fund(s, args.fund)
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
            fund_id = project_queries.resolve_fund(s, args.fund).id
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
        cats = list_categories(s)
    if args.json:
        _print_json([{"name": c.name, "kind": c.kind} for c in cats])
    else:
        for kind, label in CATEGORY_KINDS.items():
            print(f"{label}：" + "、".join(c.name for c in cats if c.kind == kind))
    return 0


def cmd_setting(ws, args) -> int:
    from desktop_app.core.services import settings

    if args.action == "set":
        settings.set_setting(ws, args.key, args.value)
    with ws.reading() as s:
        values = {key: get_setting(s, key) for key in setting_registry.DEFAULTS}
    if args.action == "set":
        print(f"已保存：{setting_registry.LABELS[args.key]} = {_setting_text(values[args.key])}")
    elif args.json:
        _print_json(values)
    else:
        for key, value in values.items():
            print(f"{key:<28} {setting_registry.LABELS[key]}：{_setting_text(value)}")
    return 0


def _setting_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if value != "" else "（未填）"


# ---------------------------------------------------------------------------- tables


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    """One line of at most `width` display columns, “…” where cut."""
    text = " ".join((text or "").split())
    if _display_width(text) <= width:
        return text
    while _display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _print_table(headers: list[str], rows: list[list], *, right: set[int] = frozenset()) -> None:
    """An aligned plain-text table (Chinese characters count two columns); `right` lists right-aligned columns."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max(_display_width(v) for v in column) for column in zip(headers, *cells, strict=True)]
    for row in [headers, *cells]:
        padded = []
        for i, (value, width) in enumerate(zip(row, widths, strict=True)):
            room = " " * (width - _display_width(value))
            padded.append(room + value if i in right else value + room)
        print("  ".join(padded).rstrip())


# ---------------------------------------------------------------------------- activities


def _activity_json(row) -> dict:
    from desktop_app.core.quantities import hours_text

    return {"id": row.id, "project": row.project_name, "site": row.site_name or None, "type": row.activity_type,
            "title": row.title, "start_date": row.start_date.isoformat(), "end_date": row.end_date.isoformat(),
            "place": row.place, "organisers": row.organisers, "partners": row.partners,
            "participants": row.participants, "volunteers": row.volunteers,
            "volunteer_hours": hours_text(row.volunteer_minutes), "beneficiaries_total": row.beneficiaries,
            "photos": row.photos, "cost": fen_to_str(row.cost_fen), "public": row.public,
            "public_order": row.public_order if row.public else None, "summary": row.summary}


def _parse_groups(pairs: list[str]) -> dict[str, str]:
    """["老年人=40", "儿童=60"] → {"老年人": "40", "儿童": "60"}; the counts are checked by the core."""
    groups: dict[str, str] = {}
    for pair in pairs:
        group, sep, count = unicodedata.normalize("NFKC", pair).partition("=")
        group = group.strip()
        if not sep or not group:
            raise UserError(f"受益群体“{pair}”的写法不对。请写成 群体=人数，例如 --beneficiaries 老年人=40 儿童=60。")
        if group in groups:
            raise UserError(f"受益群体“{group}”写了两次。请把人数合在一起写一次。")
        groups[group] = count
    return groups


def _resolve_site_filter(s, project, key: str | None) -> str | None:
    """--site for a list: a site of the project (or of any project when it is unique), or 项目整体 ("")."""
    from sqlmodel import select

    from desktop_app.core.models import Site
    from desktop_app.core.services import activities

    if key is None:
        return None
    if key.strip() == "项目整体":
        return ""
    if project is not None:
        return activities.resolve_site(s, project, key).id
    found = [site for site in s.exec(select(Site).where(Site.deleted == False))  # noqa: E712
             if key in (site.id, site.name)]
    if not found:
        raise UserError(f"找不到试点村（社区）“{key}”。请用 project list 查看各项目的试点。")
    if len(found) > 1:
        raise UserError(f"有 {len(found)} 个项目都有试点“{key}”。请加上 --project 指明是哪个项目的。")
    return found[0].id


def _activity_filter(s, args):
    from desktop_app.core.queries.activities import ActivityFilter

    project = project_queries.resolve_project(s, args.project) if args.project else None
    return ActivityFilter(
        project_id=project.id if project else None, site_id=_resolve_site_filter(s, project, getattr(args, "site", None)),
        activity_type=getattr(args, "type", None) or None,
        date_from=parse_date(args.date_from, what="起始日期") if args.date_from else None,
        date_to=parse_date(args.date_to, what="截止日期") if args.date_to else None,
        text=getattr(args, "text", "") or "", public_only=getattr(args, "public", False))


def cmd_activity(ws, args) -> int:
    from desktop_app.core.quantities import hours_text

    if args.action == "add":
        return activity_add(ws, args)
    if args.action == "show":
        return activity_show(ws, args)
    from desktop_app.core.queries.activities import list_activities

    with ws.reading() as s:
        rows = list_activities(s, _activity_filter(s, args))
    if args.json:
        _print_json([_activity_json(r) for r in rows])
        return 0
    if not rows:
        print("没有符合条件的活动。用 activity add 登记活动。")
        return 0
    _print_table(["日期", "类型", "活动名称", "试点村(社区)", "参与人数", "受益人次", "志愿时长", "照片", "费用", "公示", "编号"],
                 [[r.dates, r.activity_type, _clip(r.title, 30), _clip(r.site_name or "项目整体", 16), r.participants,
                   r.beneficiaries, hours_text(r.volunteer_minutes), r.photos, format_yuan(r.cost_fen),
                   "是" if r.public else "", r.id] for r in rows], right={4, 5, 6, 7, 8})
    print(f"共 {len(rows)} 项活动，参与 {sum(r.participants for r in rows)} 人次，"
          f"志愿服务 {hours_text(sum(r.volunteer_minutes for r in rows))} 小时，"
          f"活动费用 {format_yuan(sum(r.cost_fen for r in rows))}")
    return 0


def activity_add(ws, args) -> int:
    """Check everything (dates, counts, photos) before writing; then the activity and its photos."""
    from desktop_app.core.quantities import hours_text
    from desktop_app.core.services import activities

    start = parse_date(args.date, what="活动日期")
    end = parse_date(args.end_date, what="结束日期") if args.end_date else None
    if args.order is not None and not args.public:
        raise UserError("--order 是活动在公示中的顺序，只能和 --public 一起使用。")
    order = parse_count(args.order, "公示顺序") if args.order is not None else None
    groups = _parse_groups(args.beneficiaries)
    photos = _checked_photos(args.photos)
    with ws.reading() as s:
        project = project_queries.resolve_project(s, args.project)
        site = activities.resolve_site(s, project, args.site)
    data = activities.ActivityInput(
        project_id=project.id, activity_type=args.type, title=args.title, start_date=start, end_date=end,
        site_id=site.id if site else None, place=args.place, organisers=args.organisers, partners=args.partners,
        participants=args.participants, volunteers=args.volunteers, volunteer_hours=args.volunteer_hours,
        summary=args.summary, public=args.public, public_order=order, beneficiaries=groups,
        expense_ids=list(args.expense))
    activity = activities.add_activity(ws, data)
    added = _add_activity_photos(ws, activity, photos)
    with ws.reading() as s:
        detail = activities.activity_detail(s, activity.id)
    if args.json:
        _print_json({"id": activity.id, "title": activity.title, "project": project.name,
                     "site": site.name if site else None, "start_date": activity.start_date.isoformat(),
                     "end_date": activity.end_date.isoformat(), "participants": activity.participants,
                     "volunteer_hours": hours_text(activity.volunteer_minutes), "beneficiaries": detail.beneficiaries,
                     "cost": fen_to_str(detail.cost_fen), "public": activity.public,
                     "public_order": activity.public_order if activity.public else None, "photos": added})
        return 0
    where = site.name if site else "项目整体"
    dates = activity.start_date.isoformat() + (f" 至 {activity.end_date}" if activity.end_date != activity.start_date else "")
    print(f"{activity.id}  已登记活动“{activity.title}”（{dates}，{where}，{activity.activity_type}）")
    extras = [f"照片 {len(added)} 张" if added else "", f"费用 {format_yuan(detail.cost_fen)}" if detail.expenses else "",
              f"列入公示，第 {activity.public_order} 项" if activity.public else ""]
    if any(extras):
        print("，".join(x for x in extras if x))
    return 0


def activity_show(ws, args) -> int:
    from desktop_app.core import privacy
    from desktop_app.core.quantities import hours_text
    from desktop_app.core.queries.projects import resolve_project
    from desktop_app.core.services import activities, ledger

    with ws.reading() as s:
        activity = activities.resolve_activity(s, args.activity)
        detail = activities.activity_detail(s, activity.id)
        project = resolve_project(s, activity.project_id)
        site = activities.resolve_site(s, project, activity.site_id)
        photos = _activity_photos(s, activity.id)
        handed = goods_queries.list_movements(s, direction="out", activity_id=activity.id)
    a = detail.activity
    # names stay masked even here: a terminal's output is easily pasted or redirected out of the office
    named = [{"name": privacy.mask_name(p.name), "group": p.group_name, "consent": p.publish_consent}
             for p in detail.named]
    expenses = [{"id": e.id, "voucher": ledger.voucher_text(e) or None, "date": e.entry_date.isoformat(),
                 "amount": fen_to_str(e.amount_fen), "summary": e.summary} for e in detail.expenses]
    goods_out = [{"date": m.movement_date.isoformat(), "item": m.item, "quantity": str(quantities.quantity_of(m.quantity_milli)),
                  "unit": m.unit, "group": m.beneficiary_group, "recipients": m.recipients} for m in handed]
    if args.json:
        _print_json({"id": a.id, "project": project.name, "site": site.name if site else None, "type": a.activity_type,
                     "title": a.title, "start_date": a.start_date.isoformat(), "end_date": a.end_date.isoformat(),
                     "place": a.place, "organisers": a.organisers, "partners": a.partners,
                     "participants": a.participants, "volunteers": a.volunteers,
                     "volunteer_hours": hours_text(a.volunteer_minutes), "beneficiaries": detail.beneficiaries,
                     "named_beneficiaries": named, "expenses": expenses, "cost": fen_to_str(detail.cost_fen),
                     "goods": goods_out, "photos": photos, "public": a.public,
                     "public_order": a.public_order if a.public else None, "summary": a.summary})
        return 0
    dates = a.start_date.isoformat() + (f" 至 {a.end_date}" if a.end_date != a.start_date else "")
    lines = [("编号", a.id), ("活动名称", a.title), ("项目", project.name), ("试点村(社区)", site.name if site else "项目整体"),
             ("类型", a.activity_type), ("日期", dates), ("地点", a.place), ("组织单位", a.organisers),
             ("合作单位", a.partners), ("参与人数", a.participants), ("志愿者", f"{a.volunteers} 人，{hours_text(a.volunteer_minutes)} 小时"),
             ("受益群体", "、".join(f"{g}{n}" for g, n in detail.beneficiaries.items())),
             ("登记的受益人", f"{len(named)} 人（姓名已遮蔽）：" + "、".join(p["name"] for p in named) if named else ""),
             ("公示", f"列入公示，第 {a.public_order} 项" if a.public else "不列入公示"),
             ("活动费用", format_yuan(detail.cost_fen))]
    for label, value in lines:
        if value not in ("", None):
            print(f"{label}：{value}")
    for e in detail.expenses:
        print(f"  支出 {ledger.voucher_text(e)}  {e.entry_date}  {format_yuan(e.amount_fen):>12}  {e.summary}")
    for m in goods_out:
        print(f"  发放物资 {m['date']}  {m['item']} {m['quantity']}{m['unit']}  {m['group']} {m['recipients'] or ''}".rstrip())
    print(f"照片：{len(photos)} 张")
    for photo in photos:
        print(f"  {photo['file']}" + (f"  {photo['caption']}" if photo["caption"] else ""))
    if a.summary:
        print(f"活动简介：\n{a.summary}")
    return 0


def _checked_photos(photos: list[tuple[Path, str | None]]) -> list[tuple[Path, str]]:
    """Every photo must be a usable image before anything is written (add_photos, run after the activity is
    added, would otherwise find a bad file only then)."""
    from desktop_app.core.storage.photo_files import check_image

    for path, _caption in photos:
        if not path.is_file():
            raise UserError(f"找不到照片“{path}”。请检查文件是否存在、路径是否写对。活动没有登记。")
        try:
            check_image(path)
        except UserError as exc:
            raise UserError(f"{exc}\n活动没有登记。请换掉这张照片后重新运行。") from exc
    return [(path, caption or "") for path, caption in photos]


def _add_activity_photos(ws, activity, photos: list[tuple[Path, str]]) -> list[dict]:
    """Attach the checked photos; should that still fail (a file changed or vanished meanwhile), the new
    activity is taken back (tombstoned, like a delete) so no activity without its photos is left behind."""
    from desktop_app.core.services import activities
    from desktop_app.core.services.photos import add_photos

    if not photos:
        return []
    try:
        result = add_photos(ws, [path for path, _ in photos], activity_id=activity.id, strict=True,
                            captions={str(path): caption for path, caption in photos if caption})
    except (UserError, OSError) as exc:
        activities.delete_activity(ws, activity.id)
        why = exc if isinstance(exc, UserError) else f"文件操作失败（{os_error_text(exc)}）"
        raise UserError(f"{why}\n活动“{activity.title}”因此没有登记（已撤回）。请处理好照片后重新登记。") from exc
    for name, where in result.duplicates:
        print(f"提示：照片“{name}”{where}。", file=sys.stderr)
    return [_photo_json(p) for p in result.added]


def _photo_json(photo) -> dict:
    return {"id": photo.id, "file": photo.original_name, "caption": photo.caption, "in_notice": photo.in_notice,
            "width": photo.width, "height": photo.height, "taken_at": photo.taken_at or None}


def _activity_photos(s, activity_id: str) -> list[dict]:
    from desktop_app.core.services.photos import owner_photos

    return [_photo_json(p) for p in owner_photos(s, activity_id=activity_id)]


# ---------------------------------------------------------------------------- goods


def cmd_goods(ws, args) -> int:

    with ws.reading() as s:
        fund = project_queries.resolve_fund(s, args.fund) if args.fund else None
    if args.action == "receive":
        return goods_receive(ws, args, fund)
    if args.action == "issue":
        return goods_issue(ws, args, fund)
    with ws.reading() as s:
        if args.action == "stock":
            rows = goods_queries.stock(s, fund.id if fund else None)
        else:
            movements = goods_queries.list_movements(s, fund.id if fund else None)
            titles = _activity_titles(s, {m.activity_id for m in movements if m.activity_id})
            funds = {f.id: f.name for f in project_queries.list_funds(s)}
    if args.action == "stock":
        if args.json:
            _print_json([{"fund": r.fund_name, "fund_id": r.fund_id, "item": r.item, "unit": r.unit,
                          "received": str(quantities.quantity_of(r.received_milli)),
                          "issued": str(quantities.quantity_of(r.issued_milli)), "stock": str(quantities.quantity_of(r.stock_milli)),
                          "valued": r.valued, "value": fen_to_str(r.value_fen) if r.valued else None} for r in rows])
        elif rows:
            _print_table(["基金", "物资", "单位", "收入", "发出", "结存", "估值"],
                         [[_clip(r.fund_name, 30), r.item, r.unit, quantities.quantity_of(r.received_milli),
                           quantities.quantity_of(r.issued_milli), quantities.quantity_of(r.stock_milli),
                           format_yuan(r.value_fen) if r.valued else "未估值"] for r in rows], right={3, 4, 5, 6})
        else:
            print("还没有物资。用 goods receive 登记收到的物资。")
        return 0
    if args.json:
        _print_json([_movement_json(m, funds, titles) for m in movements])
    elif movements:
        _print_table(["日期", "收/发", "基金", "物资", "数量", "来源或发放活动", "捐赠方或受益群体", "价值", "编号"],
                     [[m.movement_date, "收" if m.direction == "in" else "发", _clip(funds.get(m.fund_id, ""), 20), m.item,
                       f"{quantities.quantity_of(m.quantity_milli)}{m.unit}",
                       m.source if m.direction == "in" else _clip(titles.get(m.activity_id or "", ""), 20),
                       _donor_label(m) if m.direction == "in" else f"{m.beneficiary_group} {m.recipients or ''}".strip(),
                       format_yuan(m.value_fen) if m.valuation not in ("", "未估值") else "未估值", m.id]
                      for m in movements], right={7})
        print(f"共 {len(movements)} 条")
    else:
        print("还没有物资收发记录。用 goods receive / goods issue 登记。")
    return 0


def _activity_titles(s, ids: set[str]) -> dict[str, str]:
    from sqlmodel import select

    from desktop_app.core.models import Activity

    return {a.id: a.title for a in s.exec(select(Activity).where(Activity.id.in_(ids)))} if ids else {}


def _donor_label(m) -> str:
    """Internal listing: the donor's name, marked when the donor asked to stay anonymous."""
    name = m.donor_name or ""
    return f"{name}（匿名）" if m.anonymous else name


def _movement_json(m, funds: dict[str, str], titles: dict[str, str]) -> dict:
    from desktop_app.core.quantities import quantity_of

    received = m.direction == "in"
    return {"id": m.id, "fund": funds.get(m.fund_id, ""), "date": m.movement_date.isoformat(), "direction": m.direction,
            "item": m.item, "unit": m.unit, "quantity": str(quantity_of(m.quantity_milli)),
            "source": m.source if received else None, "donor": m.donor_name if received else None,
            "donor_kind": m.donor_kind if received else None, "anonymous": m.anonymous if received else None,
            "consent": m.publish_consent if received else None, "valuation": m.valuation,
            "value": fen_to_str(m.value_fen) if m.valuation not in ("", "未估值") else None,
            "activity_id": m.activity_id, "activity": titles.get(m.activity_id or "") if m.activity_id else None,
            "group": m.beneficiary_group if not received else None, "recipients": m.recipients if not received else None,
            "note": m.note}


def goods_receive(ws, args, fund) -> int:
    from desktop_app.core.services import goods

    if args.value is not None and args.valuation in (None, goods_queries.UNVALUED):
        raise UserError("填写了 --value 却没有估值依据。请加上 --valuation 捐赠方凭据 或 --valuation 公允价值；"
                        "无法估值时不要填 --value。")
    data = goods.GoodsReceiptInput(
        fund_id=fund.id, movement_date=parse_date(args.date, what="收到日期"), item=args.item, unit=args.unit,
        quantity=args.quantity, source=args.source, donor_name=args.donor, donor_kind=args.donor_kind or "",
        anonymous=args.anonymous, publish_consent=args.consent, valuation=args.valuation or goods_queries.UNVALUED,
        value=args.value or "0", entry_id=args.entry or None, note=args.note)
    m = goods.receive_goods(ws, data)
    return _print_movement(ws, args, m, fund, f"已登记收到“{m.item}”")


def goods_issue(ws, args, fund) -> int:
    from desktop_app.core.services import activities, goods

    day = parse_date(args.date, what="发放日期")
    activity = None
    if args.activity:
        with ws.reading() as s:
            activity = activities.resolve_activity(s, args.activity)
    data = goods.GoodsIssueInput(fund_id=fund.id, movement_date=day, item=args.item, unit=args.unit,
                                 quantity=args.quantity, activity_id=activity.id if activity else None,
                                 beneficiary_group=args.group, recipients=args.recipients, note=args.note)
    m = goods.issue_goods(ws, data)
    where = f"；发放活动：{activity.title}" if activity else ""
    return _print_movement(ws, args, m, fund, f"已登记发出“{m.item}”", where)


def _print_movement(ws, args, m, fund, done: str, after: str = "") -> int:

    with ws.reading() as s:
        row = next(r for r in goods_queries.stock(s, fund.id) if (r.item, r.unit) == (m.item, m.unit))
    left = f"{quantities.quantity_of(row.stock_milli)}{m.unit}"
    if args.json:
        _print_json({"id": m.id, "fund": fund.name, "direction": m.direction, "item": m.item, "unit": m.unit,
                     "quantity": str(quantities.quantity_of(m.quantity_milli)), "valuation": m.valuation,
                     "value": fen_to_str(m.value_fen) if m.valuation != goods_queries.UNVALUED else None,
                     "stock": str(quantities.quantity_of(row.stock_milli))})
        return 0
    value = f"，价值 {format_yuan(m.value_fen)}（{m.valuation}）" if m.valuation != goods_queries.UNVALUED else "，未估值"
    print(f"{m.id}  {done} {quantities.quantity_of(m.quantity_milli)}{m.unit}{value}；现有库存 {left}{after}")
    return 0


# ---------------------------------------------------------------------------- notices


def cmd_notice(ws, args) -> int:
    return {"export": notice_export, "publish": notice_publish, "correct": notice_correct, "list": notice_list,
            "verify": notice_verify, "due": notice_due}[args.action](ws, args)


def _notice_json(n, *, corrections: list | None = None, numbers: dict | None = None) -> dict:
    return {"id": n.id, "number": n.number or None, "status": n.status, "template": n.template, "title": n.title,
            "from": n.date_from.isoformat(), "to": n.date_to.isoformat(), "code": n.verification_code,
            "entries": n.entry_count, "written_on": n.written_on.isoformat() if n.written_on else None,
            "published_on": n.published_on.isoformat() if n.published_on else None,
            "pdf": f"notices/{n.pdf_name}" if n.pdf_name else None, "pdf_sha256": n.pdf_sha256 or None,
            "corrects": (numbers or {}).get(n.corrects_id) if n.corrects_id else None,
            "corrected_by": [c.number for c in corrections or []]}


def notice_export(ws, args) -> int:
    from desktop_app.core.notices.builder import DraftsInPeriod, NoticeRequest
    from desktop_app.core.services import notices

    dates = {name: parse_date(getattr(args, name), what=what) if getattr(args, name) else None
             for name, what in (("date_from", "起始日期"), ("date_to", "截止日期"), ("written_on", "落款日期"),
                                ("notice_start", "公示期开始日期"), ("notice_end", "公示期结束日期"))}
    with ws.reading() as s:
        project = project_queries.resolve_project(s, args.project)
    request = NoticeRequest(project_id=project.id, template=args.template, exclude_drafts=args.exclude_drafts,
                            edits=_read_edits(args.edits) if args.edits else {}, **dates)
    try:
        result = notices.export_notice(ws, request, args.out)
    except DraftsInPeriod as exc:
        lines = "\n".join(f"  · {d.entry_id}  {d.describe()}" for d in exc.drafts)
        raise UserError(f"{exc.message}\n{lines}\n命令行：用 entry post 编号 逐笔记账后重新导出，"
                        "或加上 --exclude-drafts 生成不计入草稿的公示（公示中会注明）。") from None
    n, info = result.notice, result.info
    if args.json:
        data = _notice_json(n)
        data.update(file=str(args.out), pages=info.pages, size=info.size, reprint=result.reprint,
                    masked=[{"original": m.original, "shown": m.shown, "reason": m.reason} for m in result.masked],
                    notes=list(result.notes))
        data.pop("pdf_sha256")
        _print_json(data)
        return 0
    print(f"已导出{notices.template_label(n.template)}：{args.out}（{info.pages} 页，{max(1, info.size // 1024)} KB）")
    print(f"《{n.title}》 期间 {n.date_from} 至 {n.date_to}，涵盖 {n.entry_count} 笔已记账分录")
    print(f"核验码：{n.verification_code}")
    if result.masked:
        print(f"隐私保护：{len(result.masked)} 处姓名或号码已打码或隐去（用 --json 查看明细）。")
    for note in result.notes:
        print(f"注意：{note}")
    if result.reprint:
        print(f"内容与已发布的公示 {n.number} 完全一致，这份文件是它的重印件，没有另记草稿。")
    else:
        print(f"草稿编号：{n.id}\n核对无误后发布：notice publish {n.id}")
    return 0


def _read_edits(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError:
        raise UserError(f"读不到文字修改文件“{path}”。请检查路径是否写对。") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"文字修改文件“{path.name}”不是有效的 JSON（{exc}）。请用 UTF-8 保存，格式如 "
                        "{\"field:项目完成情况\": \"修改后的文字\"}。") from None


def notice_publish(ws, args) -> int:
    from desktop_app.core.services import notices

    day = parse_date(args.date, what="发布日期") if args.date else None
    n = notices.publish_notice(ws, args.notice, published_on=day)
    if args.json:
        _print_json(_notice_json(n))
        return 0
    print(f"已发布公示 {n.number}《{n.title}》，发布日期 {n.published_on}。")
    print(f"存档文件：{ws.root / notices.NOTICES_DIR / n.pdf_name}（SHA-256 {n.pdf_sha256}）")
    print(f"公示期间 {n.date_from} 至 {n.date_to} 的 {n.entry_count} 笔分录已记为已公示，项目各基金已结账至 "
          f"{n.date_to:%Y-%m}。核验码：{n.verification_code}")
    return 0


def notice_correct(ws, args) -> int:
    from desktop_app.core.services import notices

    day = parse_date(args.date, what="发布日期") if args.date else None
    n = notices.publish_correction(ws, args.notice, args.text, published_on=day)
    if args.json:
        data = _notice_json(n)
        data["corrects"] = args.notice
        _print_json(data)
        return 0
    print(f"已发布更正说明 {n.number}《{n.title}》。")
    print(f"存档文件：{ws.root / notices.NOTICES_DIR / n.pdf_name}（SHA-256 {n.pdf_sha256}）\n核验码：{n.verification_code}")
    return 0


def notice_list(ws, args) -> int:
    from desktop_app.core.services import notices

    with ws.reading() as s:
        project_id = project_queries.resolve_project(s, args.project).id if args.project else None
        rows = notices.list_notices(s, project_id)
        numbers = {n.id: n.number for n in rows}
        corrections = {n.id: notices.corrections_of(s, n.id) for n in rows if n.status == "published"}
    if args.json:
        _print_json([_notice_json(n, corrections=corrections.get(n.id), numbers=numbers) for n in rows])
        return 0
    if not rows:
        print("还没有公示。用 notice export 生成。")
        return 0
    table = []
    for n in rows:
        state = notices.STATUS_LABELS.get(n.status, n.status)
        if corrections.get(n.id):
            state += "，已更正（" + "、".join(c.number for c in corrections[n.id]) + "）"
        table.append([n.number or "草稿", n.published_on or "", notices.template_label(n.template),
                      _clip(n.title, 40), f"{n.date_from} 至 {n.date_to}", n.verification_code, state,
                      n.id if n.status == "draft" else ""])
    _print_table(["编号", "发布日期", "类型", "标题", "期间", "核验码", "状态", "草稿编号"], table)
    return 0


def notice_verify(ws, args) -> int:
    from desktop_app.core.services import notices

    result = notices.verify_notice(ws, args.code)
    n = result.notice
    failed = 4 if result.file_problem else 3  # 4: the file given is not the notice with its code
    if args.json:
        data = _notice_json(n)
        data.update(ok=result.ok, changes=result.changes, notes=result.notes, file_problem=result.file_problem)
        _print_json(data)
        return 0 if result.ok else failed
    if result.ok:
        print(result.summary)
        for note in result.notes:
            print(f"提示：{note}")
        return 0
    print(result.summary, file=sys.stderr)
    for change in result.changes:
        print(f"  · {change}", file=sys.stderr)
    for note in result.notes:
        print(f"提示：{note}", file=sys.stderr)
    if not result.changes:
        return failed
    if n.status == "published":
        print(f"已发布的公示不能修改。如公示有误，请发布更正说明（notice correct {n.number} --text \"更正内容\"）；"
              "如数据是在程序之外被改动的，请用 verify 查明并从备份恢复。", file=sys.stderr)
    else:
        print("请重新导出公示，核对后再发布。", file=sys.stderr)
    return failed


def notice_due(ws, args) -> int:
    from datetime import date

    from desktop_app.core.services import notices

    today = parse_date(args.date, what="日期") if args.date else date.today()
    with ws.reading() as s:
        due = notices.due_notices(s, today)
    if args.json:
        _print_json([{"project": d.project_name, "project_id": d.project_id, "rule": d.rule, "template": d.template,
                      "title": d.title, "from": d.period_from.isoformat(), "to": d.period_to.isoformat(),
                      "due": d.due_date.isoformat(), "overdue": d.overdue, "basis": d.basis} for d in due])
        return 0
    if not due:
        print(f"截至 {today}，没有到期或即将到期的公示。")
        return 0
    for d in due:
        when = (f"已逾期 {(today - d.due_date).days} 天" if d.overdue else
                f"还有 {(d.due_date - today).days} 天")
        print(f"{d.due_date}（{when}）  {d.project_name}：{d.title}，期间 {d.period_from} 至 {d.period_to}\n"
              f"    生成：notice export --project \"{d.project_name}\" --template {d.template} "
              f"--from {d.period_from} --to {d.period_to} --out 公示.pdf\n    依据：{d.basis}")
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
    from desktop_app.core.queries import reports

    with ws.reading() as s:
        fund_id = project_queries.resolve_fund(s, args.fund).id if args.fund else None
        if args.kind == "balances":
            rows = reports.fund_summaries(s)
            return ["基金", "收入", "支出", "余额", "限定性", "非限定性", "物资捐赠(估值)"], [
                [r.name, r.income_fen, r.expense_fen, r.balance_fen, r.restricted_fen, r.unrestricted_fen,
                 r.goods_donated_fen] for r in rows]
        if args.kind == "categories":
            return ["收/支", "类别", "支出性质", "金额", "笔数"], [
                ["收入" if r.flow == "in" else "支出", r.category, r.expense_class, r.amount_fen, r.count]
                for r in reports.by_category(s, fund_id)]
        if args.kind == "months":
            return ["月份", "收入", "支出"], [[r.month, r.income_fen, r.expense_fen] for r in reports.by_month(s, fund_id)]
        if args.kind == "budget":
            if not args.project:
                raise UserError("预算执行报表需要指定项目：请加上 --project 项目名称。")
            project = project_queries.resolve_project(s, args.project)
            return ["类别", "预算", "实际", "差额", "使用率%"], [
                [r.category, r.budget_fen, r.actual_fen, r.difference_fen, r.used_percent]
                for r in reports.budget_vs_actual(s, project.id)]
        return ["捐赠人", "类型", "笔数", "金额", "其中物资捐赠(估值)"], [
            [r.name, r.kind, r.count, r.total_fen, r.goods_fen] for r in reports.donor_list(s, fund_id, public=True)]


_MONEY_COLUMNS = {"收入", "支出", "余额", "限定性", "非限定性", "金额", "预算", "实际", "差额", "物资捐赠(估值)",
                  "其中物资捐赠(估值)"}
_JSON_KEYS = {"基金": "fund", "收入": "income", "支出": "expense", "余额": "balance", "限定性": "restricted",
              "非限定性": "unrestricted", "收/支": "flow", "类别": "category", "支出性质": "expense_class",
              "金额": "amount", "笔数": "count", "月份": "month", "预算": "budget", "实际": "actual",
              "差额": "difference", "使用率%": "used_percent", "捐赠人": "donor", "类型": "kind",
              "物资捐赠(估值)": "goods_donated", "其中物资捐赠(估值)": "goods"}


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
    from desktop_app.core.exports import xlsx_export
    from desktop_app.core.queries import ledger as ledger_query

    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{args.out}”应以 .xlsx 结尾。")
    if not args.out.parent.exists():
        raise UserError(f"文件夹“{args.out.parent}”不存在。请先创建它，或换一个保存位置。")
    with ws.reading() as s:
        fund_id = project_queries.resolve_fund(s, args.fund).id if args.fund else None
        project_id = project_queries.resolve_project(s, args.project).id if args.project else None
    if args.kind in _ACTIVITY_EXPORTS:
        return _export_activities(ws, args, fund_id)
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


_ACTIVITY_EXPORTS = {"activities": "活动登记表", "goods": "物资台账", "activity-stats": "活动统计"}


def _export_activities(ws, args, fund_id: str | None) -> int:
    from desktop_app.core.exports import xlsx_export

    what = _ACTIVITY_EXPORTS[args.kind]
    if args.kind == "goods":
        if args.project or args.date_from or args.date_to:
            raise UserError("物资台账按基金导出：请只用 --fund 基金名称（不填则导出全部基金），不要加 --project、--from 或 --to。")
        count = xlsx_export.export_goods(ws, args.out, fund_id)
        print(f"已导出{what}（{count} 条收发记录）到 {args.out}")
        return 0
    if args.fund:
        raise UserError(f"{what}按项目导出：请用 --project 项目名称（可加 --from、--to），不要加 --fund。")
    with ws.reading() as s:
        filt = _activity_filter(s, args)
    if args.kind == "activities":
        count = xlsx_export.export_activities(ws, args.out, filt)
    else:
        count = xlsx_export.export_activity_stats(ws, args.out, filt)
    print(f"已导出{what}（{count} 项活动）到 {args.out}")
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
    from desktop_app.core.storage import backup as backups
    from desktop_app.core.storage.workspace import Workspace

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
            "setting": cmd_setting, "activity": cmd_activity, "goods": cmd_goods, "notice": cmd_notice, "verify": cmd_verify, "report": cmd_report, "export": cmd_export, "backup": cmd_backup}
