"""XLSForm (xlsform.org): the questionnaire as the workbook KoBo and ODK read, and such a workbook read back.

Written: a `survey` sheet (type, name, label, hint, required, relevant, constraint, appearance), a `choices` sheet
(list_name, name = the option's numeric code, label) and `settings` (form_title, form_id, version). Our types map
as follows (and are read back the same way):

    single    select_one LIST                 multiple  select_multiple LIST (+ count-selected constraints)
    ranking   rank LIST                       scale     select_one LIST, appearance likert
    matrix    begin_group, appearance table-list, one select_one row per matrix row (name CODE_ROW), one list
    text      text                            number    decimal (integer is read as number too)
    region    text, ledger_type = region: XLSForm has no village type, and our region answers are typed text

show_if becomes `relevant = selected(${Q6}, '2') or selected(${Q6}, '5')`. An exclusive option becomes the constraint
`not(selected(., '12') and count-selected(.) > 1)`; an `other` option an extra text question `Q6_other` relevant when
that code is chosen, as ODK's or_other makes. XLSForm has no place for the need and private flags, so they travel in
the extra columns ledger_need and ledger_private (pyxform, KoBo and ODK ignore columns they do not know).

Read: our own workbook, and a hand-made or KoBo one: labels in `label` or `label::Chinese (zh)` style columns
(Chinese preferred), groups other than table-list are flattened, metadata rows (start, end, calculate …) ignored,
dates and times kept as text. A question's name becomes its code, so KoBo's own data columns still match. Options
keep integer names as codes; a list with any other name (yes, no, other …) is coded 1..n in the choices sheet's
order, and those names are not kept (an option has no field for them; writing back gives numeric names). Anything
not understood is refused, naming the sheet and row, before a survey is made."""

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from desktop_app.core.errors import UserError
from desktop_app.core.surveys.questionnaire import (
    CHOICE_TYPES,
    Option,
    Question,
    Questionnaire,
    ShowIf,
    check_questionnaire,
)
from desktop_app.core.surveys.read_table import cell_text

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message",
                  "appearance", "ledger_type", "ledger_need", "ledger_private")
CHOICE_COLUMNS = ("list_name", "name", "label")
YES = {"yes", "true", "true()", "1", "y", "是"}
# rows that are no question: form metadata KoBo and ODK add, and computed values
IGNORED_TYPES = {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber",
                 "email", "audit", "calculate", "hidden", "start-geopoint", "background-audio", "xml-external",
                 "csv-external", "note"}
UNSUPPORTED_TYPES = {"geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "acknowledge",
                     "trigger", "select_one_from_file", "select_multiple_from_file", "select_one_external",
                     "begin_repeat", "end_repeat"}
TEXT_TYPES = {"text": "text", "date": "text", "time": "text", "datetime": "text", "integer": "number",
              "decimal": "number", "range": "number"}
SELECT_TYPES = {"select_one": "single", "select_multiple": "multiple", "rank": "ranking"}
KNOWN_TYPES = "text、integer、decimal、select_one、select_multiple、rank、begin_group/end_group、note"
SELECTED = re.compile(r"selected\(\s*\$\{([^}]+)\}\s*,\s*['\"]([^'\"]*)['\"]\s*\)")
EQUALS = re.compile(r"\$\{([^}]+)\}\s*=\s*['\"]([^'\"]*)['\"]")
EXCLUSIVE = re.compile(r"not\s*\(\s*selected\(\s*\.\s*,\s*['\"]([^'\"]+)['\"]\s*\)\s*and\s*"
                       r"count-selected\(\s*\.\s*\)\s*>\s*1\s*\)")
AT_MOST = re.compile(r"count-selected\(\s*\.\s*\)\s*(<=|<)\s*(\d+)")
AT_LEAST = re.compile(r"count-selected\(\s*\.\s*\)\s*(>=|>)\s*(\d+)")
FIX = "请在 Excel 里改正后再导入（xlsform.org 有格式说明）。"


# ------------------------------------------------------------------------------------------------ writing


def write_xlsform(form: Questionnaire, out: Path, *, form_id: str, version: int) -> Path:
    """Write `form` as an XLSForm workbook at `out` (whole or not at all) and return the path."""
    out = Path(out).expanduser()
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"XLSForm 问卷表要保存为 .xlsx 文件，例如“{out.stem or '问卷'}.xlsx”。请修改文件名后重试。")
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    choices = book.create_sheet("choices")
    settings = book.create_sheet("settings")
    _append(survey, SURVEY_COLUMNS)
    _append(choices, CHOICE_COLUMNS)
    for row in _survey_rows(form):
        _append(survey, [row.get(col, "") for col in SURVEY_COLUMNS])
    for q in form.questions:
        for o in q.options:
            _append(choices, [_list_name(q), str(o.code), o.label])
    _append(settings, ("form_title", "form_id", "version"))
    _append(settings, (form.title, form_id, str(version)))  # ODK Central compares versions as text
    for sheet, widths in ((survey, (22, 14, 50, 24, 9, 40, 40, 30, 12, 12, 12, 14)), (choices, (14, 8, 50)),
                          (settings, (40, 40, 10))):
        for cell, width in zip(sheet[1], widths, strict=False):
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = "A2"
    return _save(book, out)


def _append(sheet, values) -> None:
    """A row of text: characters a workbook cannot hold dropped, and text starting with = kept as text."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _list_name(q: Question) -> str:
    return f"{q.code}_opts"


def _relevant(q: Question) -> str:
    cond = q.show_if
    if cond is None:
        return ""
    return " or ".join(f"selected(${{{cond.question}}}, '{code}')" for code in cond.codes)


def _survey_rows(form: Questionnaire) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    names = {q.code for q in form.questions}
    if form.intro:
        rows.append({"type": "note", "name": _free("intro", names), "label": form.intro})
    for q in form.questions:
        common = {"name": q.code, "label": q.text, "relevant": _relevant(q), "required": "yes" if q.required else "",
                  "ledger_need": "yes" if q.need else "", "ledger_private": "yes" if q.private else ""}
        if q.type == "matrix":
            rows.append({**common, "type": "begin_group", "appearance": "table-list", "required": ""})
            for r in q.rows:
                rows.append({"type": f"select_one {_list_name(q)}", "name": f"{q.code}_{r.code}", "label": r.label,
                             "required": common["required"]})
            rows.append({"type": "end_group"})
            continue
        row = {**common, "type": {"single": "select_one", "scale": "select_one", "multiple": "select_multiple",
                                  "ranking": "rank", "number": "decimal"}.get(q.type, "text")}
        if row["type"] in ("select_one", "select_multiple", "rank"):
            row["type"] += f" {_list_name(q)}"
        if q.type == "scale":
            row["appearance"] = "likert"
        if q.type == "region":
            row.update(ledger_type="region", hint="请填写村（社区）名称")
        if q.type == "multiple":
            row.update(_choice_limits(q))
        rows.append(row)
        for o in q.options:
            if o.other and q.type in CHOICE_TYPES:
                rows.append({"type": "text", "name": _free(f"{q.code}_other", names), "label": f"{o.label}：请填写",
                             "relevant": f"selected(${{{q.code}}}, '{o.code}')"})
    return rows


def _choice_limits(q: Question) -> dict[str, str]:
    rules, words = [], []
    if q.min_choices:
        rules.append(f"count-selected(.) >= {q.min_choices}")
        words.append(f"至少选 {q.min_choices} 项")
    if q.max_choices:
        rules.append(f"count-selected(.) <= {q.max_choices}")
        words.append(f"最多选 {q.max_choices} 项")
    for o in q.options:
        if o.exclusive:
            rules.append(f"not(selected(., '{o.code}') and count-selected(.) > 1)")
            words.append(f"“{o.label}”只能单独选择")
    return {"constraint": " and ".join(rules), "constraint_message": "；".join(words)} if rules else {}


def _free(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _save(book: Workbook, out: Path) -> Path:
    """Save beside the target and move into place, so a failed save never leaves half a file."""
    if not out.parent.is_dir():
        raise UserError(f"保存位置“{out.parent}”不存在。请先创建这个文件夹，或另选保存位置。")
    if out.is_dir():
        raise UserError(f"“{out.name}”是一个文件夹。请另起一个以 .xlsx 结尾的文件名。")
    partial = None
    try:
        handle, name = tempfile.mkstemp(prefix=f"~{out.stem}.", suffix=".xlsx.part", dir=out.parent)
        os.close(handle)
        partial = Path(name)
        book.save(partial)
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, out)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        if isinstance(exc, PermissionError):
            raise UserError(f"无法写入“{out.name}”：文件可能正在 Excel 或 WPS 中打开，或文件夹是只读的。"
                            "请关闭文件或换一个保存位置后重试。", technical=f"{out}: {exc}") from exc
        raise UserError(f"无法保存“{out.name}”，请检查保存位置和磁盘空间后重试。", technical=f"{out}: {exc}") from exc
    return out


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class _Row:
    number: int  # the row number Excel shows
    cells: dict[str, str]
    label: str = ""

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Choices:
    options: list[Option]
    codes: dict[str, int]  # choice name → code


@dataclass
class _Matrix:
    group: _Row
    rows: list[_Row] = field(default_factory=list)


def read_xlsform(path: Path) -> Questionnaire:
    """The questionnaire of the XLSForm workbook at `path`; a UserError naming every row to fix otherwise."""
    path = Path(path)
    sheets = _read_sheets(path)
    if "survey" not in sheets:
        raise UserError(f"“{path.name}”里没有名为 survey 的工作表，不是 XLSForm 问卷表。XLSForm 要有 survey（题目）"
                        f"和 choices（选项）两个工作表。{FIX}")
    problems: list[str] = []
    lists = _read_choices(sheets.get("choices"), problems)
    entries = _read_survey(sheets["survey"], problems)
    form = _build(entries, lists, "choices" in sheets, problems)
    if problems:
        raise UserError(f"XLSForm 问卷表“{path.name}”有以下问题，没有新建调查。{FIX}", details=problems)
    settings = _table(sheets.get("settings") or [])
    form.title = next((r.get("form_title") for r in settings[1] if r.get("form_title")), "") or path.stem
    check_questionnaire(form)
    return form


def _read_sheets(path: Path) -> dict[str, list[list[str]]]:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UserError(f"打不开文件“{path.name}”：它可能已被移走，或正被别的程序占用。请关掉 Excel 等程序后重试。",
                        technical=f"{path}: {exc}") from exc
    if not head:
        raise UserError(f"文件“{path.name}”是空的（0 字节）。请重新保存或下载 XLSForm 问卷表（.xlsx）后再导入。")
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets: dict[str, list[list[str]]] = {}
        for name in book.sheet_names:
            key = name.strip().lower()
            if key in ("survey", "choices", "settings") and key not in sheets:
                raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets[key] = [[cell_text(v) for v in row] for row in raw]
    except python_calamine.PasswordError as exc:
        raise UserError(f"“{path.name}”设置了打开密码，程序读不了。请在 Excel 里删除密码并保存后再导入。") from exc
    except Exception as exc:  # noqa: BLE001 — calamine's errors (zip, xml, format) all mean "not a workbook"
        raise UserError(f"“{path.name}”不是 Excel 工作簿，或文件不完整。XLSForm 问卷表应是 .xlsx 文件（含 survey、"
                        "choices 工作表），请重新保存或下载后再导入。",
                        technical=f"{path}: {type(exc).__name__}: {exc}") from exc
    return sheets


def _table(rows: list[list[str]]) -> tuple[list[str], list[_Row]]:
    """Header names (lower case, `label::中文` kept) and the non-empty rows under them, as dicts."""
    start = next((i for i, r in enumerate(rows) if any(r)), None)
    if start is None:
        return [], []
    header = [" ".join(h.split()).lower().replace("list name", "list_name") for h in rows[start]]
    header = [re.sub(r"\s*::\s*", "::", h) for h in header]
    labels = _label_columns(header)
    out = []
    for i, raw in enumerate(rows[start + 1:], start=start + 2):
        cells: dict[str, str] = {}
        for h, v in zip(header, raw, strict=False):
            if h and v and h not in cells:  # a repeated header keeps its first column
                cells[h] = v
        if not cells:
            continue
        row = _Row(i, cells)
        row.label = next((cells[c] for c in labels if cells.get(c)), "")
        out.append(row)
    return header, out


def _label_columns(header: list[str]) -> list[str]:
    """Columns holding labels, best first: `label`, then Chinese ones (label::Chinese (zh), label::中文), the rest."""
    columns = [h for h in header if h == "label" or h.startswith("label::")]
    chinese = ("zh", "chinese", "中文", "汉语", "简体")
    return sorted(columns, key=lambda h: (h != "label", not any(w in h for w in chinese)))


def _read_choices(rows: list[list[str]] | None, problems: list[str]) -> dict[str, _Choices]:
    header, table = _table(rows or [])
    if rows is not None and table and ("list_name" not in header or "name" not in header):
        problems.append("choices 表第 1 行要有 list_name 和 name 两列（选项列表名、选项代码）")
        return {}
    found: dict[str, list[tuple[_Row, str]]] = {}
    for row in table:
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name or not name:
            problems.append(f"choices 表第 {row.number} 行：list_name 和 name 都要填写")
            continue
        entries = found.setdefault(list_name, [])
        if any(name == n for _r, n in entries):
            problems.append(f"choices 表第 {row.number} 行：列表“{list_name}”里的选项 name“{name}”重复")
            continue
        entries.append((row, name))
    lists = {}
    for list_name, entries in found.items():
        numeric = all(n.isdigit() for _r, n in entries) and len({int(n) for _r, n in entries}) == len(entries)
        codes = {n: int(n) if numeric else i for i, (_r, n) in enumerate(entries, start=1)}
        lists[list_name] = _Choices([Option(codes[n], r.label or n) for r, n in entries], codes)
    return lists


def _kind(row: _Row) -> tuple[str, list[str]]:
    """The row's type word and what follows it (a list name, or_other): `select one x` is `select_one x`."""
    words = row.get("type").split()
    if len(words) >= 2 and words[0].lower() in ("select", "begin", "end") and words[1].lower() in (
            "one", "multiple", "group", "repeat"):
        words = [f"{words[0]}_{words[1]}", *words[2:]]
    return (words[0].lower() if words else ""), words[1:]


def _read_survey(rows: list[list[str]], problems: list[str]) -> list[_Row | _Matrix]:
    """The question rows in order, groups flattened (their relevant passed down), table-list groups as matrices."""
    header, table = _table(rows)
    if "type" not in header or "name" not in header:
        raise UserError(f"survey 表第 1 行要有 type、name、label 等列名，程序没有找到 type 或 name 列。{FIX}")
    entries: list[_Row | _Matrix] = []
    groups: list[_Row] = []
    matrix: _Matrix | None = None
    names: dict[str, int] = {}
    for row in table:
        kind, rest = _kind(row)
        name = row.get("name")
        if kind == "end_group":
            if matrix is not None:
                entries.append(matrix)
                matrix = None
            elif groups:
                groups.pop()
            else:
                problems.append(f"survey 表第 {row.number} 行：end_group 前面没有对应的 begin_group")
            continue
        if not kind:
            problems.append(f"survey 表第 {row.number} 行：没有填写题型（type）")
            continue
        if not name:
            problems.append(f"survey 表第 {row.number} 行：没有填写 name（题目编号）")
            continue
        if name in names:
            problems.append(f"survey 表第 {row.number} 行：name“{name}”与第 {names[name]} 行重复，每道题的 name 要不同")
            continue
        names[name] = row.number
        if kind in UNSUPPORTED_TYPES:
            problems.append(f"survey 表第 {row.number} 行：题型“{row.get('type')}”程序不支持（定位、照片、重复组等），"
                            "请删掉这一行或改成文字题（text）")
            continue
        if kind not in TEXT_TYPES and kind not in SELECT_TYPES and kind not in IGNORED_TYPES and kind != "begin_group":
            problems.append(f"survey 表第 {row.number} 行：题型“{row.get('type')}”不认识，可用的题型有 {KNOWN_TYPES}")
            continue
        if kind in SELECT_TYPES and not rest:
            problems.append(f"survey 表第 {row.number} 行：{kind} 后面要写选项列表名，例如“{kind} yesno”")
            continue
        if matrix is not None:
            if kind == "select_one":
                if "label" not in row.get("appearance").split():  # the header row of the older table convention
                    matrix.rows.append(row)
            elif kind not in IGNORED_TYPES:
                problems.append(f"survey 表第 {row.number} 行：表格题组（table-list）里只能放单选题（select_one）")
            continue
        relevant = row.get("relevant")
        inherited = groups[-1].get("relevant") if groups else ""  # an inner group already holds the outer's
        if inherited and relevant:
            problems.append(f"survey 表第 {row.number} 行：题组和题目都有显示条件（relevant），请合并写在题目上")
        row.cells["relevant"] = relevant or inherited
        if kind == "begin_group":
            if "table-list" in row.get("appearance").split():
                matrix = _Matrix(row)
            else:
                groups.append(row)
            continue
        entries.append(row)
    if matrix is not None or groups:
        opened = matrix.group if matrix is not None else groups[-1]
        problems.append(f"survey 表第 {opened.number} 行：begin_group 没有对应的 end_group")
    return entries


def _build(entries: list[_Row | _Matrix], lists: dict[str, _Choices], have_choices: bool,
           problems: list[str]) -> Questionnaire:
    form = Questionnaire(title="")
    codes: dict[str, dict[str, int]] = {}  # question code → its options' names → codes
    for entry in entries:
        if isinstance(entry, _Matrix):
            q = _matrix(entry, lists, have_choices, problems)
            if q is not None:
                codes[q.code] = {}
                _add(form, q, entry.group, codes, problems)
            continue
        row = entry
        kind, rest = _kind(row)
        if kind == "note" and not form.questions and not form.intro:
            form.intro = row.label
        if kind in IGNORED_TYPES:
            continue
        if kind == "text" and _other_text(form, row, codes):
            continue
        q = Question(code=row.get("name"), text=row.label, type=TEXT_TYPES.get(kind) or SELECT_TYPES[kind],
                     required=row.get("required").lower() in YES)
        if q.type == "text" and row.get("ledger_type").lower() == "region":
            q.type = "region"
        if kind in SELECT_TYPES:
            choices = _list(row, rest[0], lists, have_choices, problems)
            if choices is None:
                continue
            q.options = [Option(o.code, o.label) for o in choices.options]
            codes[q.code] = dict(choices.codes)
            if "or_other" in rest[1:]:
                code = max((o.code for o in q.options), default=0) + 1
                q.options.append(Option(code, "其他（请注明）", other=True))
                codes[q.code]["other"] = code
            if q.type == "single" and "likert" in row.get("appearance").split():
                q.type = "scale"
            if q.type == "multiple":
                _limits(q, row, codes[q.code])
        _add(form, q, row, codes, problems)
    if not form.questions and not problems:
        problems.append("survey 表里没有题目：请至少写一道题（type、name、label 三列）")
    return form


def _add(form: Questionnaire, q: Question, row: _Row, codes: dict[str, dict[str, int]], problems: list[str]) -> None:
    if not q.text:
        problems.append(f"survey 表第 {row.number} 行：题目“{q.code}”没有题干文字（label）")
    q.need = row.get("ledger_need").lower() in YES
    q.private = row.get("ledger_private").lower() in YES
    q.show_if = _show_if(row, form, codes, problems)
    q.number = str(len(form.questions) + 1)  # XLSForm has no printed number: the position on the form
    form.questions.append(q)


def _list(row: _Row, list_name: str, lists: dict[str, _Choices], have_choices: bool,
          problems: list[str]) -> _Choices | None:
    choices = lists.get(list_name)
    if choices is None:
        where = "choices 表里没有" if have_choices else "文件里没有 choices 工作表，找不到"
        problems.append(f"survey 表第 {row.number} 行：{where}选项列表“{list_name}”，请在 choices 表补上这个列表的选项")
    return choices


def _matrix(m: _Matrix, lists: dict[str, _Choices], have_choices: bool, problems: list[str]) -> Question | None:
    group = m.group
    if not m.rows:
        problems.append(f"survey 表第 {group.number} 行：表格题组（table-list）里没有题目")
        return None
    list_names = {_kind(r)[1][0] for r in m.rows}
    if len(list_names) > 1:
        problems.append(f"survey 表第 {group.number} 行：表格题组（table-list）里的各行要用同一个选项列表")
        return None
    choices = _list(m.rows[0], list_names.pop(), lists, have_choices, problems)
    if choices is None:
        return None
    prefix = f"{group.get('name')}_"
    suffixes = [r.get("name")[len(prefix):] if r.get("name").startswith(prefix) else "" for r in m.rows]
    numeric = all(s.isdigit() for s in suffixes) and len({int(s) for s in suffixes}) == len(suffixes)
    rows = [Option(int(s) if numeric else i, r.label or r.get("name"))
            for i, (s, r) in enumerate(zip(suffixes, m.rows, strict=True), start=1)]
    return Question(code=group.get("name"), text=group.label, type="matrix",
                    options=[Option(o.code, o.label) for o in choices.options], rows=rows,
                    required=all(r.get("required").lower() in YES for r in m.rows))


def _limits(q: Question, row: _Row, names: dict[str, int]) -> None:
    """Min/max choices and exclusive options, from the constraint patterns this module writes."""
    constraint = row.get("constraint")
    for name in EXCLUSIVE.findall(constraint):
        option = q.option(names[name]) if name in names else None
        if option is not None:
            option.exclusive = True
    rest = EXCLUSIVE.sub("", constraint)
    for op, n in AT_MOST.findall(rest):
        q.max_choices = int(n) - (op == "<")
    for op, n in AT_LEAST.findall(rest):
        q.min_choices = int(n) + (op == ">")


def _conditions(relevant: str) -> list[tuple[str, str]] | None:
    """`selected(${q}, 'v') or ${q} = 'v' …` as (question, value) pairs; None for anything else."""
    pairs = []
    for part in re.split(r"\s+or\s+", relevant.strip()):
        part = part.strip()
        while part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        hit = SELECTED.fullmatch(part) or EQUALS.fullmatch(part)
        if hit is None:
            return None
        pairs.append((hit.group(1).strip(), hit.group(2).strip()))
    return pairs


def _show_if(row: _Row, form: Questionnaire, codes: dict[str, dict[str, int]], problems: list[str]) -> ShowIf | None:
    relevant = row.get("relevant")
    if not relevant:
        return None
    where = f"survey 表第 {row.number} 行"
    pairs = _conditions(relevant)
    if not pairs or len({q for q, _v in pairs}) > 1:
        problems.append(f"{where}：显示条件“{relevant}”太复杂。程序只认同一道前面选择题的“选了某些选项”，"
                        "例如 selected(${Q6}, '2') or selected(${Q6}, '5')")
        return None
    parent = form.question(pairs[0][0])
    if parent is None or parent.type not in CHOICE_TYPES + ("scale",):
        problems.append(f"{where}：显示条件引用的“{pairs[0][0]}”不是这道题前面的选择题")
        return None
    names = codes.get(parent.code, {})
    unknown = [v for _q, v in pairs if v not in names]
    if unknown:
        problems.append(f"{where}：显示条件里的选项“{'、'.join(unknown)}”在题目“{parent.code}”的选项列表里没有")
        return None
    return ShowIf(parent.code, [names[v] for _q, v in pairs])


def _other_text(form: Questionnaire, row: _Row, codes: dict[str, dict[str, int]]) -> bool:
    """A `Q6_other` text row shown for one option of the choice question Q6: that option takes typed text."""
    pairs = _conditions(row.get("relevant")) if row.get("relevant") else None
    if not pairs or len(pairs) != 1:
        return False
    parent = form.question(pairs[0][0])
    if parent is None or parent.type not in CHOICE_TYPES or not row.get("name").startswith(f"{parent.code}_other"):
        return False
    option = parent.option(codes[parent.code].get(pairs[0][1], -1))
    if option is None:
        return False
    option.other = True
    return True
