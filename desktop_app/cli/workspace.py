"""The commands about the workspace as a whole: `init` and `demo` create one, `verify` checks its hash chains,
`backup` creates, lists and restores backups (list and restore work on a damaged workspace too)."""

import sys
from dataclasses import asdict
from pathlib import Path

from desktop_app.cli.output import print_json
from desktop_app.core.errors import UserError


def add_setup_parsers(sub) -> None:
    s = sub.add_parser("init", help="创建工作区并登记本单位")
    s.add_argument("--office", required=True, help="本单位名称")
    s.add_argument("--division-code", required=True, help="12 位统计用区划代码")
    s.add_argument("--association", required=True, help="所属慈善会名称")
    s.add_argument("--level", choices=["乡镇/街道", "村/社区", "县级慈善会"])
    s.add_argument("--code-year", type=int, default=2024, help="区划代码表年份")

    s = sub.add_parser("demo", help="在 --workspace 指定的新文件夹中生成演示数据")
    s.add_argument("--county", action="store_true",
                   help="县级演示：万源市慈善会，并收到青花镇、八台镇两个乡镇的同步包（县级模式）")


def add_verify_parser(sub) -> None:
    s = sub.add_parser("verify", help="校验已记账分录的哈希链")
    s.add_argument("--json", action="store_true")


def add_backup_parser(sub) -> None:
    s = sub.add_parser("backup", help="备份与恢复")
    s.add_argument("action", choices=["create", "list", "restore"])
    s.add_argument("file", nargs="?", help="restore：要恢复的备份（backups 里的文件名，或任意位置的 .db / .zip 备份文件）")
    s.add_argument("--out", help="create：把数据库、全部附件和公示存档备份成一个 .zip 文件，写到这个文件夹（如 U 盘）"
                                 "或这个 .zip 路径")
    s.add_argument("--json", action="store_true")


def cmd_demo(folder: Path, county: bool = False) -> int:
    """Built beside `folder` and moved into place when complete: a killed `demo` leaves nothing there, and
    running it again works (build_demo refuses a folder that already holds something)."""
    from desktop_app.core.demo.build import build_demo

    build_demo(folder, townships=county)
    print(f"{'县级' if county else ''}演示工作区已生成：{folder}")
    return 0


def cmd_init(folder: Path, args) -> int:
    from desktop_app.core.services import office
    from desktop_app.core.storage.workspace import DB_NAME, Workspace

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


def cmd_verify(ws, args) -> int:
    from desktop_app.core.services import verify as integrity

    report = integrity.verify_workspace(ws)
    if args.json:
        print_json({"ok": report.ok, "funds": report.funds, "entries": report.entries,
                    "witnesses": report.witnesses, "notes": report.notes,
                    "problems": [asdict(p) | {"message": p.describe()} for p in report.problems]})
    elif report.ok:
        print(f"数据完好：{report.funds} 个基金，{report.entries} 条已记账分录，与所有见证一致，记账后没有被改动。")
        print(f"比对依据：{report.witnesses_text()}。")
        for note in report.notes:
            print(f"说明：{note}")
    if not report.ok:
        print(f"发现 {len(report.problems)} 处数据在程序之外被改动（比对依据：{report.witnesses_text()}）：",
              file=sys.stderr)
        for p in report.problems:
            print("  " + p.describe(), file=sys.stderr)
            for line in p.technical.splitlines():  # where the file is, its hashes: the command line keeps them
                print("      " + line, file=sys.stderr)
        print("请从改动之前的备份恢复（backup list / backup restore），并查明是谁改动了数据库文件。", file=sys.stderr)
        return 3
    return 0


def cmd_backup(ws, args) -> int:
    if args.action == "create" and args.out:
        made = ws.create_file_backup(args.out)
        if args.json:
            print_json({"path": str(made.path), "size": made.size, "members": made.members,
                        "attachments": made.attachments, "notices": made.notices})
        else:
            print(f"已备份到：{made.path}\n大小 {made.size / (1 << 20):.1f} MB，共 {made.members} 个文件"
                  f"（台账数据库 1 个、附件 {made.attachments} 个、公示存档 {made.notices} 个），写完后已逐个校验，完好。\n"
                  "请在系统里“安全弹出”U 盘后再拔下。")
        return 0
    if args.action == "create":
        info = ws.create_backup("manual")
        print(f"已备份并校验：{info.path}")
        return 0
    if args.action == "restore":
        if not args.file:
            raise UserError("请指定要恢复的备份文件，可用 backup list 查看。")
        safety = ws.restore_backup(args.file)
        print(f"已恢复备份 {Path(args.file).name}。恢复前的数据已另存为 {safety.path.name}。")
        return 0
    backups = ws.list_backups()
    if args.json:
        print_json([{"file": b.path.name, "path": str(b.path), "taken_at": b.taken_at.isoformat(),
                     "reason": b.reason, "size": b.size, "future": b.future} for b in backups])
    else:
        for b in backups:
            print(f"{b.path.name}  {b.taken_at.astimezone():%Y-%m-%d %H:%M}{b.future_mark}  {b.reason_label}  "
                  f"{b.size // 1024} KB")
        if not backups:
            print("还没有备份。用 backup create 立即备份。")
    return 0


def cmd_restore_new(folder: Path, args) -> int:
    """换电脑: `backup restore FILE.zip` on a folder that is not a workspace yet makes one from the backup."""
    from desktop_app.core.services.verify import verify_workspace
    from desktop_app.core.storage.new_from_backup import create_from_backup
    from desktop_app.core.storage.workspace import Workspace

    if not args.file:
        raise UserError(f"“{folder}”还不是工作区。要在这里从备份恢复（换电脑），请写上备份文件，例如："
                        f"backup restore E:\\社区慈善台账备份-….zip；要新建单位，请用 init。")
    root = create_from_backup(folder, args.file)
    with Workspace.open(root, auto_backup=False) as ws:
        office = ws.local_office().name
        report = verify_workspace(ws)
    if not report.ok:
        print(f"警告：恢复出的工作区“{root}”核验发现问题：", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem.describe()}", file=sys.stderr)
        print("请保留原来的备份文件，并联系县慈善会或技术支持。", file=sys.stderr)
        return 3
    print(f"已从备份文件 {Path(args.file).name} 在“{root}”新建工作区（{office}），台账数据、附件和公示存档都已恢复，"
          f"核验完好。\n以后请用 --workspace \"{root}\" 打开它（程序窗口里用“文件 › 打开工作区…”）。")
    return 0


def cmd_backup_damaged(folder: Path, args) -> int:
    """A workspace that fails its integrity check can still list its backups and restore one."""
    from desktop_app.core.storage import backup as backups
    from desktop_app.core.storage.workspace import Workspace

    if args.action == "list":
        for b in backups.list_backups(folder / "backups"):
            state = "完好" if backups.integrity_ok(b.path) else "已损坏"
            print(f"{b.path.name}  {b.taken_at.astimezone():%Y-%m-%d %H:%M}{b.future_mark}  {b.reason_label}  {state}")
        return 0
    if not args.file:
        raise UserError("请指定要恢复的备份文件，可用 backup list 查看。")
    if args.file.lower().endswith(".zip"):
        raise UserError("工作区的数据库已损坏，不能直接从 .zip 备份文件恢复。请先用 backup list 列出的数据库备份恢复"
                        "（backup restore 文件名），再恢复这个 .zip 备份文件。")
    aside = Workspace.restore_damaged(folder, args.file)
    print(f"已用备份 {args.file} 替换损坏的数据库。损坏的文件已移到 {aside}，没有删除。")
    return 0
