"""The `sync` commands (数据同步): in a township, its key, exporting packages, importing the county's receipt
and its review notes; in the county, enrolling offices, importing packages, writing receipts and notes."""

from desktop_app.cli.output import print_json


def add_parsers(sub) -> None:
    p = sub.add_parser("sync", help="数据同步：乡镇导出同步包、县级慈善会导入并回执")
    actions = p.add_subparsers(dest="action", required=True)
    s = actions.add_parser("key", help="本单位的公钥指纹（电话核对用）")
    s.add_argument("--renew", action="store_true", help="停用现在的密钥，换一个新的（县里需要重新登记）")
    s.add_argument("--out", help="同时把单位公钥文件写到这个文件夹（供县里登记）")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("export", help="导出同步包：自上次以来的全部改动")
    s.add_argument("--out", required=True, help="写到哪个文件夹（例如 U 盘）")
    s.add_argument("--full", action="store_true", help="全量包：本单位的全部数据（县里要求重发时用）")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("enrol", help="（县级）登记一个单位：用它的同步包或单位公钥文件")
    s.add_argument("file")
    s.add_argument("--fingerprint", help="电话核对过的公钥指纹")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("import", help="（县级）导入同步包（文件或文件夹）")
    s.add_argument("files", nargs="+")
    s.add_argument("--dry-run", action="store_true", help="只检查、算出会导入什么，不做任何改动")
    s.add_argument("--accept-rewind", action="store_true",
                   help="乡镇从旧备份恢复过、与县里核对后：以它的全量包为准重新建立基准")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("status", help="同步情况：乡镇看已发出的包，县级看每个单位")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("receipt", help="（县级）给一个单位写回执")
    s.add_argument("--office", required=True, help="单位名称或区划代码")
    s.add_argument("--out", required=True, help="写到哪个文件夹")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("import-receipt", help="导入县级慈善会的回执")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("note", help="（县级）给单位写审核意见，随下一份回执发出")
    s.add_argument("--office", required=True)
    s.add_argument("--text", required=True, help="例如：凭证不清晰，请补扫")
    s.add_argument("--record", default="", help="针对的记录编号（分录、活动等，可省略）")
    s.add_argument("--table", default="", help="记录所在的表（ledger_entry、activity …，可省略）")
    s = actions.add_parser("notes", help="县级慈善会的审核意见（待办）")
    s.add_argument("--json", action="store_true")
    s = actions.add_parser("note-done", help="把一条县级意见标为已处理")
    s.add_argument("id")
    s.add_argument("--undo", action="store_true", help="改回未处理")


def cmd_sync(ws, args) -> int:
    return _ACTIONS[args.action](ws, args)


def _key(ws, args) -> int:
    from desktop_app.core.services import sync

    info = sync.office_key(ws, renew=args.renew)
    written = sync.export_key_file(ws, args.out) if args.out else None
    if args.json:
        print_json({"office": info.office, "key_id": info.key_id, "fingerprint": info.fingerprint,
                    "created_at": info.created_at, "key_file": str(written) if written else None})
        return 0
    if info.renewed:
        print("已换用新的密钥：请把新的单位公钥文件或下一个同步包交给县级慈善会，电话核对指纹后重新登记。")
    print(f"{info.office} 的公钥指纹：{info.fingerprint}")
    if written:
        print(f"单位公钥文件：{written}")
    return 0


def _export(ws, args) -> int:
    from desktop_app.core.services import sync

    made = sync.export_package(ws, args.out, full=args.full)
    if args.json:
        print_json({"path": str(made.path), "number": made.number, "full": made.full, "records": made.records,
                    "files": made.files, "first_seq": made.first_seq, "last_seq": made.last_seq})
    else:
        print(str(made.path))
        kind = "全量包" if made.full else "同步包"
        print(f"第 {made.number} 号{kind}：{made.records} 条记录、{made.files} 个文件。请交给县级慈善会导入。")
    return 0


def _enrol(ws, args) -> int:
    from desktop_app.core.services import county_sync

    done = county_sync.enrol(ws, args.file, args.fingerprint)
    if args.json:
        print_json({"office": done.office, "fingerprint": done.fingerprint, "status": done.status})
    else:
        words = {"enrolled": "已登记", "rekeyed": "已更换公钥（旧公钥停用，以前签的包仍可核验）",
                 "already": "早已登记过，没有改动"}[done.status]
        print(f"{done.office}：{words}。公钥指纹 {done.fingerprint}")
    return 0


def _import(ws, args) -> int:
    from desktop_app.core.services import county_sync

    results = county_sync.import_packages(ws, args.files, dry_run=args.dry_run, accept_rewind=args.accept_rewind)
    if args.json:
        print_json({"dry_run": args.dry_run, "packages": [r.as_json() for r in results]})
    else:
        words = {"applied": "将导入" if args.dry_run else "已导入", "unchanged": "无改动", "held": "暂存",
                 "refused": "拒收"}
        for r in results:
            head = f"{r.file}：{words[r.status]}"
            if r.office:
                head += f"（{r.office} 第 {r.number} 号）"
            if r.status == "applied":
                head += f" 新增 {r.new}、更新 {r.updated}、未变 {r.unchanged}、冲突 {len(r.conflicts)}"
            print(head)
            for line in ([r.reason] if r.reason else []) + ([r.rewind] if r.rewind and r.rewind != r.reason else []) \
                    + r.conflicts:
                print(f"  {line}")
        if args.dry_run:
            print("（试导入：什么也没有改动。确认无误后去掉 --dry-run 再导入。）")
    return 1 if results and all(r.status == "refused" for r in results) else 0


def _status(ws, args) -> int:
    from desktop_app.core.queries.sync import TownshipSync, sync_status

    with ws.reading() as s:
        status = sync_status(s)
    if isinstance(status, TownshipSync):
        if args.json:
            print_json({"mode": "township", "key_id": status.key_id, "fingerprint": status.fingerprint,
                        "county": status.county, "receipt_made_at": status.receipt_made_at,
                        "sent": [vars(p) for p in status.sent],
                        "notes": [{"id": n.id, "label": n.label, "text": n.text, "done": bool(n.done_at)}
                                  for n in status.notes]})
            return 0
        print(f"公钥指纹：{status.fingerprint or '（还没有）'}")
        for p in status.sent:
            seen = "县里已收到" if p.acknowledged else "县里未回执"
            print(f"第 {p.number} 号{'（全量）' if p.full else ''}  {p.made_at[:10]}  {p.records} 条记录  {seen}  {p.file_name}")
        if not status.sent:
            print("还没有导出过同步包。")
        open_notes = [n for n in status.notes if not n.done_at]
        if open_notes:
            print(f"县级意见（{len(open_notes)} 条待处理）：")
            for n in open_notes:
                print(f"  {n.id[:8]}  {n.label}  {n.text}")
        return 0
    if args.json:
        print_json({"mode": "county", "offices": [vars(o) for o in status]})
        return 0
    if not status:
        print("还没有登记任何单位。请用 sync enrol 登记乡镇（街道）。")
    for o in status:
        last = f"第 {o.last_number} 号（{o.last_received_at[:10]}）" if o.last_number else "还没有导入"
        extra = f"，缺第 {'、'.join(map(str, o.missing))} 号" if o.missing else ""
        extra += f"，暂存 {len(o.held)} 个" if o.held else ""
        extra += f"，冲突 {o.conflicts} 条" if o.conflicts else ""
        print(f"{o.name}  最新：{last}{extra}  指纹 {o.fingerprint}")
    return 0


def _receipt(ws, args) -> int:
    from desktop_app.core.services import county_sync

    path = county_sync.write_receipt(ws, args.office, args.out)
    if args.json:
        print_json({"path": str(path)})
    else:
        print(str(path))
        print("请把回执交给该单位，在“数据同步”页导入。")
    return 0


def _import_receipt(ws, args) -> int:
    from desktop_app.core.services import sync

    got = sync.import_receipt(ws, args.file)
    if args.json:
        print_json({"county": got.county, "packages": got.packages, "new_notes": got.new_notes, "heads": got.heads})
    else:
        numbers = "、".join(str(n) for n, status in got.packages if status == "applied") or "（无）"
        print(f"已导入{got.county}的回执：县里已导入第 {numbers} 号包；新的审核意见 {got.new_notes} 条。")
        if got.new_notes:
            print("请用 sync notes 查看并处理。")
    return 0


def _note(ws, args) -> int:
    from desktop_app.core.services import county_sync

    note = county_sync.add_review_note(ws, args.office, args.text, table=args.table, record_id=args.record)
    print(f"{note.id}  已记下，将随下一份回执发给该单位。")
    return 0


def _notes(ws, args) -> int:
    from desktop_app.core.queries.sync import township_status

    with ws.reading() as s:
        notes = township_status(s).notes
    if args.json:
        print_json([{"id": n.id, "label": n.label, "text": n.text, "written_at": n.written_at,
                     "done": bool(n.done_at)} for n in notes])
        return 0
    for n in notes:
        print(f"{n.id[:8]}  {'已处理' if n.done_at else '待处理'}  {n.label}  {n.text}")
    if not notes:
        print("没有县级意见。")
    return 0


def _note_done(ws, args) -> int:
    from desktop_app.core.errors import UserError
    from desktop_app.core.queries.sync import township_status
    from desktop_app.core.services import sync

    with ws.reading() as s:
        found = [n for n in township_status(s).notes if n.id.startswith(args.id)]
    if len(found) != 1:
        raise UserError(f"找不到编号以“{args.id}”开头的县级意见。请用 sync notes 查看编号。")
    sync.mark_note_done(ws, found[0].id, done=not args.undo)
    print("已改为未处理。" if args.undo else "已标为已处理。")
    return 0


_ACTIONS = {"key": _key, "export": _export, "enrol": _enrol, "import": _import, "status": _status,
            "receipt": _receipt, "import-receipt": _import_receipt, "note": _note, "notes": _notes,
            "note-done": _note_done}
