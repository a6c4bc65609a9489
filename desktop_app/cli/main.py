"""`charity-ledger`: with no subcommand it opens the window; subcommands run headless over the core.

Human text by default, JSON with --json (amounts as strings like "1234.50"); notices of invisible characters
removed from typed text (`validation.text_notices`) go to stderr after a command that succeeded. A failing command
prints a Chinese message on stderr, exits non-zero and changes nothing — a full disk and arguments that are
not UTF-8 included. A workspace that cannot be written (a write-protected USB stick) is opened read-only:
lists, reports and exports to another folder work, writes are refused with a message.

This module holds the root parser and its global options, opens the workspace and dispatches to the command
groups (one module each in this package, holding both the group's arguments and its handlers).
"""

import argparse
import sys
from pathlib import Path

from desktop_app import __version__
from desktop_app.cli import (
    activities,
    county,
    goods,
    ledger,
    notices,
    projects,
    reports,
    settings,
    surveys,
    sync,
    workspace,
)
from desktop_app.cli.output import os_error_text, safe_streams
from desktop_app.core.errors import NeedsOverride, UserError, WorkspaceDamaged
from desktop_app.core.validation import text_notices

_ARGPARSE_ZH = [
    ("the following arguments are required", "缺少必填参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("expected one argument", "需要一个参数值"),
    ("argument", "参数"),
    ("choose from", "可选"),
]

# argparse's own words in --help: headings and the help of -h and --version
_HELP_ZH = [
    ("usage: ", "用法："),
    ("\npositional arguments:\n", "\n子命令与参数：\n"),
    ("\noptions:\n", "\n选项：\n"),
    ("show this help message and exit", "显示本帮助后退出"),
    ("show program's version number and exit", "显示版本号后退出"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    """Argument mistakes answered in Chinese. Every subcommand's parser, and its own actions' parsers, are of
    this class too: argparse gives a sub-parser its parent's class unless told otherwise."""

    def error(self, message: str):
        message = _in_chinese(message, _ARGPARSE_ZH)
        self.print_usage(sys.stderr)
        self.exit(2, f"命令参数有误：{message}\n请用 --help 查看用法。\n")

    def format_usage(self) -> str:
        return _in_chinese(super().format_usage(), _HELP_ZH)

    def format_help(self) -> str:
        return _in_chinese(super().format_help(), _HELP_ZH)


def _in_chinese(text: str, words: list[tuple[str, str]]) -> str:
    for english, chinese in words:
        text = text.replace(english, chinese)
    return text


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="charity-ledger", description="社区慈善台账：社区基金收支、活动、公示与数据同步。"
                              "不带子命令时打开程序窗口。")
    p.add_argument("--workspace", help="工作区文件夹（便携模式，例如 U 盘上的文件夹）")
    p.add_argument("--demo", action="store_true", help="打开演示工作区（四川万源试点，首次使用时自动生成）")
    p.add_argument("--version", action="version", version=f"charity-ledger {__version__}")
    p.add_argument("--screenshot", metavar="FILE.png", type=Path,
                   help="打开窗口，显示后把窗口截图存为 FILE.png 并退出（检查安装好的程序能否正常打开）")
    sub = p.add_subparsers(dest="command", parser_class=ChineseArgumentParser)
    # the order here is the order `--help` lists the subcommands in
    workspace.add_setup_parsers(sub)  # init, demo
    projects.add_parsers(sub)  # project, fund
    ledger.add_parsers(sub)  # entry, category
    settings.add_parsers(sub)  # setting
    activities.add_parsers(sub)  # activity
    goods.add_parsers(sub)  # goods
    surveys.add_parsers(sub)  # survey
    notices.add_parsers(sub)  # notice
    workspace.add_verify_parser(sub)  # verify
    reports.add_parsers(sub)  # report, export
    workspace.add_backup_parser(sub)  # backup
    sync.add_parsers(sub)  # sync
    county.add_parsers(sub)  # county report
    return p


# The subcommands that run on an open workspace; `init` and `demo` make one instead (see _run).
COMMANDS = {"project": projects.cmd_project, "fund": projects.cmd_fund, "entry": ledger.cmd_entry,
            "category": ledger.cmd_category, "setting": settings.cmd_setting, "activity": activities.cmd_activity,
            "goods": goods.cmd_goods, "survey": surveys.cmd_survey, "notice": notices.cmd_notice, "verify": workspace.cmd_verify,
            "report": reports.cmd_report, "export": reports.cmd_export, "backup": workspace.cmd_backup,
            "sync": sync.cmd_sync, "county": county.cmd_county}


def _workspace_dir(args) -> Path:
    from desktop_app.core.storage.paths import default_workspace_dir, demo_workspace_dir

    if args.workspace is not None:
        if not args.workspace.strip():  # Path("") is the current folder: never make a workspace there unasked
            raise UserError("请写明工作区文件夹：--workspace 后面是空的，什么都没有做。例如 --workspace D:\\慈善台账；"
                            "要用默认的工作区，就不要写 --workspace。")
        return Path(args.workspace)
    return demo_workspace_dir() if args.demo else default_workspace_dir()


def _not_utf8(argv: list[str]) -> str | None:
    """The option whose value is not UTF-8, or None. On Linux and macOS, bytes that are not UTF-8 (Chinese
    typed in a GBK-encoded script) reach Python as lone surrogates ("\\udcd5\\udcc5"), which no text can hold."""
    for i, arg in enumerate(argv):
        if any("\ud800" <= c <= "\udfff" for c in arg):
            if arg.startswith("--") and "=" in arg:
                return arg.split("=", 1)[0]
            if i and argv[i - 1].startswith("-") and not any("\ud800" <= c <= "\udfff" for c in argv[i - 1]):
                return argv[i - 1]
            return f"第 {i + 1} 个参数"
    return None


def main(argv: list[str] | None = None) -> int:
    safe_streams()
    where = _not_utf8(list(sys.argv[1:] if argv is None else argv))
    if where:
        print(f"错误：{where} 的文字不是 UTF-8 编码（例如用 GBK 编码保存的脚本或批处理传来的中文），程序读不懂，"
              "什么都没有改动。请用 UTF-8 编码保存脚本（或把终端的编码设为 UTF-8）后重试。", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _open_gui(args)
        with text_notices() as cleaned:  # invisible characters taken out of what was typed (pasted from Word)
            code = _run(args)
        if code == 0:  # said only when the command went through: a refused one stored nothing
            for notice in cleaned:
                print(f"提示：{notice}", file=sys.stderr)
        return code
    except NeedsOverride as exc:
        print(f"错误：{exc}\n（命令行中请用 --override \"说明\" 填写超额说明。）", file=sys.stderr)
        return 1
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if exc.technical:  # the full paths and hashes the GUI keeps under 详细信息: scripts need them
            print(f"详细信息：{exc.technical}", file=sys.stderr)
        return 1
    except Exception as exc:
        from desktop_app.core.storage.files import DISK_FULL, is_disk_full

        if is_disk_full(exc):  # from SQLite ("database or disk is full") or the OS (ENOSPC)
            print(f"错误：{DISK_FULL}", file=sys.stderr)
            return 1
        if not isinstance(exc, OSError):
            raise
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

    return run(folder, snapshot=args.screenshot)


def _warn_network_share(folder: Path) -> None:
    """Said once, on stderr, before the workspace opens: SQLite's WAL is not safe on a network share."""
    from desktop_app.core.storage.paths import network_share_warning

    warning = network_share_warning(folder)
    if warning:
        print(f"警告：{warning}", file=sys.stderr)


def _run(args) -> int:
    from desktop_app.core.storage.paths import DB_NAME
    from desktop_app.core.storage.workspace import Workspace

    folder = _workspace_dir(args)
    if args.command == "demo":
        return workspace.cmd_demo(folder, county=getattr(args, "county", False))
    if args.command == "init":
        return workspace.cmd_init(folder, args)
    if args.command == "backup" and args.action == "restore" and not (folder / DB_NAME).exists():
        return workspace.cmd_restore_new(folder, args)  # 换电脑: a new folder made from a one-file backup
    _warn_network_share(folder)
    try:
        ws = Workspace.open(folder, read_only_ok=True)  # a write-protected stick: read-only, writes refused
    except WorkspaceDamaged:
        if args.command == "backup" and args.action in ("list", "restore"):
            return workspace.cmd_backup_damaged(folder, args)
        raise
    try:
        ws.local_office()
        return COMMANDS[args.command](ws, args)
    finally:
        # CLI calls are short and scripted by the hundred: back up on open when the last backup is
        # older than a day (done by Workspace.open), not after every call.
        ws.close(backup=False)
