"""The `county` commands of a county association's workspace (county mode): `county report`, the progress
report of seed 003 for any period, as an Excel workbook or a PDF."""

from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.validation import parse_date


def add_parsers(sub) -> None:
    s = sub.add_parser("county", help="县级慈善会：全县社区慈善工作进展报告")
    actions = s.add_subparsers(dest="action", required=True)
    r = actions.add_parser("report", help="生成社区慈善工作进展情况报告（Excel 或 PDF）")
    r.add_argument("--from", dest="date_from", required=True, help="起始日期 YYYY-MM-DD，例如 2026-01-01")
    r.add_argument("--to", dest="date_to", required=True, help="截止日期 YYYY-MM-DD，例如 2026-06-30")
    r.add_argument("--out", required=True, type=Path, help="保存为 .xlsx（Excel）或 .pdf")


def cmd_county(ws, args) -> int:
    from desktop_app.core.exports.county_report import check_out, write_county_report

    out = check_out(args.out)
    date_from = parse_date(args.date_from, what="起始日期")
    date_to = parse_date(args.date_to, what="截止日期")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在。请先创建它，或换一个保存位置。")
    write_county_report(ws, date_from, date_to, out)
    print(f"已生成社区慈善工作进展情况报告：{out}")
    return 0
