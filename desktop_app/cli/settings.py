"""The `setting` command: list the workspace settings and change one."""

from desktop_app.cli.output import print_json
from desktop_app.core import settings as setting_registry
from desktop_app.core.queries.settings import local_setting


def add_parsers(sub) -> None:
    st = sub.add_parser("setting", help="工作区设置（记账规则、公示期天数、监督电话）").add_subparsers(dest="action", required=True)
    s = st.add_parser("list", help="查看全部设置")
    s.add_argument("--json", action="store_true")
    s = st.add_parser("set", help="修改一项设置，例如 setting set notice.association_phone 0818-8621234")
    s.add_argument("key", help="设置名，见 setting list")
    s.add_argument("value", help="新的值（电话可留空：\"\"）")


def cmd_setting(ws, args) -> int:
    from desktop_app.core.services import settings

    if args.action == "set":
        settings.set_setting(ws, args.key, args.value)
    with ws.reading() as s:
        values = {key: local_setting(s, key) for key in setting_registry.DEFAULTS}
    if args.action == "set":
        print(f"已保存：{setting_registry.LABELS[args.key]} = {_setting_text(values[args.key])}")
    elif args.json:
        print_json(values)
    else:
        for key, value in values.items():
            print(f"{key:<28} {setting_registry.LABELS[key]}：{_setting_text(value)}")
    return 0


def _setting_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if value != "" else "（未填）"
