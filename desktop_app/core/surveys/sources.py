"""Which online tool wrote an export, and how its columns group into questions.

Metadata columns are matched by name, never by position: their order changed between versions of 问卷星, and
some exports have none of 来源/来自IP but add 总分. Question headers are numbered (问卷星 "N、题干", 腾讯问卷
"N.题干"); a question may span several columns: a matrix (问卷星 "22、题干—子题1" then "22、子题2" or bare row
labels), one column per option (问卷星 按序号 "第3题(选项)", 腾讯问卷 "3.题干:选项")."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop_app.core.errors import UserError

WJX, TXWJ = "问卷星", "腾讯问卷"
BY_TEXT, BY_CODE = "按文本", "按序号"
WJX_META = {"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "总分", "答题序号", "用户ID", "微信昵称",
            "作答人", "填写人", "IP", "IP地址"}
TXWJ_META = {"编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市",
             "自定义字段", "用户类型", "用户标识", "昵称", "IP", "UA", "Referrer", "清洗数据结果",
             "智能清洗数据无效概率", "语言"}
SKIP_CODES = {"-3", "-2"}  # 按序号: skipped by logic / not shown or not ranked
NUMBERED = re.compile(r"^(\d+)\s*[、.．]\s*(.*)$", re.S)
SPACED = re.compile(r"^(\d+)\s+(\D.*)$", re.S)
PER_OPTION = re.compile(r"^(?:第(\d+)题|(\d+))\s*[(（](.*)[)）]$", re.S)
MATRIX_DASH = "—"


@dataclass
class Group:
    """The columns of one question: `subs` are the option labels (per-option layouts) or matrix rows."""

    number: str
    text: str
    columns: list[int] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    per_option: bool = False  # one column per option (按序号 multiple/ranking, 腾讯问卷 multiple)

    @property
    def matrix(self) -> bool:
        return len(self.columns) > 1 and not self.per_option


@dataclass
class Meta:
    row: int  # the row in the file as Excel numbers it (header is row 1)
    source_no: str
    submitted_at: str  # ISO "YYYY-MM-DD HH:MM:SS", or "" when the export has none
    seconds: int | None


@dataclass
class Export:
    source: str  # 问卷星 | 腾讯问卷
    layout: str  # 按文本 | 按序号 (腾讯问卷: 按文本)
    groups: list[Group]
    meta: list[Meta]
    rows: list[list[str]]  # data rows, aligned with meta
    title: str = ""  # from the file name when the tool put it there


def parse_export(table: list[list[str]], path: Path) -> Export:
    if not table or not any(table[0]):
        raise UserError(f"“{path.name}”是空表格，没有答卷。请确认下载的是答卷数据，不是空白模板。")
    headers = [h.strip() for h in table[0]]
    names = set(headers)
    if "提交答卷时间" in names or {"序号", "所用时间"} <= names:
        source, meta_names = WJX, WJX_META
    elif "编号" in names and names & {"开始答题时间", "结束答题时间", "答题时长"}:
        source, meta_names = TXWJ, TXWJ_META
    else:
        raise UserError(f"“{path.name}”不是问卷星或腾讯问卷导出的答卷数据：第一行没有“序号、提交答卷时间”或"
                        "“编号、开始答题时间”这些列。请从问卷网站的“下载答卷数据”重新导出后再导入。")
    if "序号" not in names and source == WJX:  # without it no row can be told apart from one imported before
        raise UserError(f"“{path.name}”第一行没有“序号”列（问卷星给每份答卷的编号），程序无法判断哪些答卷已经导入过，"
                        "没有导入。请在问卷星重新下载答卷数据，不要删去“序号”列。")
    questions = [i for i, h in enumerate(headers) if h and h not in meta_names]
    if not questions:
        raise UserError(f"“{path.name}”里只有编号、时间这些列，没有题目。请导出包含全部题目的答卷数据。")
    rows = [r for r in table[1:] if any(r)]
    if not rows:
        raise UserError(f"“{path.name}”里还没有答卷（只有表头）。等有人填写后再导出导入。")
    groups = _wjx_groups(headers, questions) if source == WJX else _txwj_groups(headers, questions)
    layout = BY_TEXT
    if source == WJX and (any(g.per_option for g in groups) or _all_codes(rows, groups)):
        layout = BY_CODE
    meta_of = _meta_reader(headers, source)
    meta = [meta_of(i + 2, row) for i, row in enumerate(table[1:]) if any(row)]
    return Export(source, layout, groups, meta, rows, title=_title_from_name(path))


def _wjx_groups(headers: list[str], columns: list[int]) -> list[Group]:
    groups: list[Group] = []
    for i in columns:
        h = headers[i]
        last = groups[-1] if groups else None
        if m := PER_OPTION.match(h):
            number = m.group(1) or m.group(2)
            if last and last.number == number:
                if not last.per_option:  # "N 题干(选项1)" then "N(选项2)": the first column was an option too
                    last.text, _, first = last.text.rpartition("(")
                    last.subs, last.per_option = [first.rstrip(")")], True
                last.columns.append(i)
                last.subs.append(m.group(3))
                continue
            if m.group(1):  # 第3题(选项) starts a per-option question
                groups.append(Group(number, "", [i], [m.group(3)], per_option=True))
                continue
        if m := NUMBERED.match(h) or SPACED.match(h):
            number, text = m.group(1), m.group(2).strip()
            if last and last.number == number:  # "22、子题2": the next row of a matrix
                _as_matrix(last)
                last.columns.append(i)
                last.subs.append(text)
                continue
            groups.append(Group(number, text, [i]))
        elif last and not last.per_option and (last.matrix or MATRIX_DASH in last.text):  # bare row label after "13、…—外观"
            _as_matrix(last)
            last.columns.append(i)
            last.subs.append(h)
        else:
            groups.append(Group("", h, [i]))
    for g in groups:
        if g.per_option and not g.text:
            g.text = f"第{g.number}题"
    return groups


def _as_matrix(group: Group) -> None:
    """The first column of a matrix holds "题干—第一行": split it once, when the second row shows up."""
    if not group.subs:
        text, _, row = group.text.rpartition(MATRIX_DASH)
        group.text, group.subs = (text, [row]) if text else (group.text, [group.text])


def _txwj_groups(headers: list[str], columns: list[int]) -> list[Group]:
    groups: list[Group] = []
    for i in columns:
        h = headers[i]
        m = NUMBERED.match(h)
        number, text = (m.group(1), m.group(2).strip()) if m else ("", h)
        last = groups[-1] if groups else None
        if number and last and last.number == number:
            if not last.per_option:
                last.text, last.subs, last.per_option = _option_split(last.text)[0], [_option_split(last.text)[1]], True
            last.columns.append(i)
            last.subs.append(_option_split(text)[1])
            continue
        groups.append(Group(number, text, [i]))
    return groups


def _option_split(text: str) -> tuple[str, str]:
    """腾讯问卷 "题干:选项文本" (or a fill-in "题干_填空1")."""
    for sep in (":", "：", "_"):
        if sep in text:
            head, _, tail = text.rpartition(sep)
            return head.strip(), tail.strip()
    return text, text


def _all_codes(rows: list[list[str]], groups: list[Group]) -> bool:
    """Whether every choice-like cell is a number (按序号 without per-option columns): no 按文本 marks at all."""
    seen_number = False
    for row in rows:
        for g in groups:
            for i in g.columns:
                v = row[i]
                if v in ("(跳过)", "(空)") or "┋" in v or "→" in v:
                    return False
                if re.fullmatch(r"-?\d+", v):
                    seen_number = True
    return seen_number and any(v in SKIP_CODES for r in rows for g in groups for v in (r[c] for c in g.columns))


def _meta_reader(headers: list[str], source: str):
    """A function reading a row's Meta, its columns found once by name."""
    def column(*names: str) -> int | None:
        return next((headers.index(n) for n in names if n in headers), None)

    number = column("序号" if source == WJX else "编号")
    when = [c for c in ((column("提交答卷时间"),) if source == WJX else
                        (column("结束答题时间"), column("开始答题时间"))) if c is not None]
    took = column("所用时间" if source == WJX else "答题时长")

    def read(row_no: int, row: list[str]) -> Meta:
        submitted = next((row[c].strip() for c in when if row[c].strip()), "")
        return Meta(row_no, row[number].strip() if number is not None else "", _when(submitted),
                    _seconds(row[took]) if took is not None else None)
    return read


WHEN = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")


def _when(text: str) -> str:
    """"2025/7/13 18:41:00" (问卷星), "02-Feb-2021 20:28:09" (腾讯问卷) → "2025-07-13 18:41:00"; "" if unreadable."""
    if m := WHEN.match(text):
        y, mo, d, h, mi, sec = (int(x or 0) for x in m.groups())
        try:
            return datetime(y, mo, d, h, mi, sec).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return ""
    try:
        return datetime.strptime(text, "%d-%b-%Y %H:%M:%S").strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ""


def _seconds(text: str) -> int | None:
    """问卷星 "185秒" (also "2分5秒"), 腾讯问卷 "31" (seconds)."""
    text = text.replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    m = re.fullmatch(r"(?:(\d+)(?:小时|时))?(?:(\d+)分(?:钟)?)?(?:(\d+)秒)?", text)
    if m and any(m.groups()):
        h, mi, s = (int(x or 0) for x in m.groups())
        return h * 3600 + mi * 60 + s
    return None


def _title_from_name(path: Path) -> str:
    """问卷星 names files "{问卷ID}_按文本_{标题}_{总数}_{有效数}.xlsx"."""
    parts = path.stem.split("_")
    if len(parts) >= 3 and parts[1] in (BY_TEXT, BY_CODE) and parts[0].isdigit():
        return "_".join(parts[2:-2] if len(parts) >= 5 else parts[2:])
    return ""
