"""One question's answer read from one row of an export.

按文本 cells: options by label, multiple choice joined by ┋ (split only outside 〖…〗: the typed text may itself
contain ┋), a ranking by →, "其他〖typed text〗", "(跳过)" (not asked) and "(空)" (left empty), scale points
"4分". 按序号 cells: option codes, 1/0 per option column, rank positions, -3 / -2 for not asked / not ranked."""

import re
import unicodedata
from functools import lru_cache

from desktop_app.core.surveys.answers import EMPTY, NUMBER_ADVICE, SKIP, number_value
from desktop_app.core.surveys.questionnaire import Option, Question
from desktop_app.core.surveys.sources import BY_CODE, SKIP_CODES, TXWJ, Group

SKIPPED_TEXT = {"(跳过)", "（跳过）"}
EMPTY_TEXT = {"", "(空)", "（空）"}
OTHER_TEXT = re.compile(r"^(.*?)〖(.*)〗$", re.S)
POINT = re.compile(r"^(-?\d+)\s*分?$")


class CellProblem(ValueError):
    """A cell that does not fit its question; the message names the question and the value."""


@lru_cache(maxsize=65536)  # an import compares the same few hundred labels hundreds of thousands of times
def label_key(label: str) -> str:
    """Option labels compared as a person reads them: 全角/半角 and spaces do not matter."""
    kept = "".join(ch for ch in label if unicodedata.category(ch) != "Cf")  # zero-width spaces, BOMs: unseen
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", kept))


def split_choices(text: str, sep: str = "┋") -> list[str]:
    """`text` split at `sep` outside 〖…〗."""
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch == "〖":
            depth += 1
        elif ch == "〗":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current).strip())
    return [p for p in pieces if p]


def piece_label(piece: str) -> tuple[str, str]:
    """"其他〖网络上〗" → ("其他", "网络上"); a plain label → (label, "")."""
    m = OTHER_TEXT.match(piece)
    return (m.group(1).strip(), m.group(2).strip()) if m else (piece.strip(), "")


def point_of(text: str) -> int | None:
    m = POINT.match(text.strip())
    return int(m.group(1)) if m else None


def read_answer(question: Question, group: Group, row: list[str], layout: str, source: str) -> dict | None:
    """The answer in `row`, or None when the export holds nothing for it. Raises CellProblem."""
    if group.per_option:
        return _per_option(question, group, row, source)
    if group.matrix:
        return _matrix(question, group, row, layout)
    return read_cell(question, row[group.columns[0]], layout)


def read_cell(question: Question, text: str, layout: str) -> dict:
    text = text.strip()
    if text in SKIPPED_TEXT or (layout == BY_CODE and text in SKIP_CODES):
        return {"x": SKIP}
    if text in EMPTY_TEXT:
        return {"x": EMPTY}
    kind = question.type
    if kind in ("text", "region"):
        return {"t": text}
    if kind == "number":
        value = number_value(text)
        if value is None:
            raise CellProblem(f"{_where(question)}要填数字，这里是“{text}”；{NUMBER_ADVICE}")
        return {"n": str(value)}
    if layout == BY_CODE:
        code = point_of(text)
        if code is None or question.option(code) is None:
            raise CellProblem(f"{_where(question)}没有选项代码“{text}”")
        return {"c": [code]}
    if kind == "scale":
        point = point_of(text)
        option = question.option(point) if point is not None else _by_label(question, text)
        if option is None:
            raise CellProblem(f"{_where(question)}没有分值“{text}”")
        return {"c": [option.code]}
    pieces = split_choices(text, "→" if kind == "ranking" else "┋") if kind != "single" else [text]
    chosen, typed = [], []
    for piece in pieces:
        label, other = piece_label(piece)
        option = _by_label(question, label)
        if option is None:
            raise CellProblem(f"{_where(question)}的答案“{label}”不是问卷里的选项")
        chosen.append(option.code)
        if other:
            typed.append(other)
    answer: dict = {"c": chosen}
    if typed:
        answer["t"] = "；".join(typed)
    return answer


def _per_option(question: Question, group: Group, row: list[str], source: str) -> dict:
    cells = [row[i].strip() for i in group.columns]
    if all(c in SKIP_CODES or c in SKIPPED_TEXT for c in cells):
        return {"x": SKIP}
    ranked, chosen, typed = [], [], []
    for sub, cell in zip(group.subs, cells, strict=True):
        option = _by_label(question, sub)
        if option is None:
            raise CellProblem(f"{_where(question)}的选项“{sub}”不在问卷里")
        if source == TXWJ:
            if cell:
                chosen.append(option.code)
                if option.other and cell not in ("1", sub):
                    typed.append(cell)
            continue
        if cell in SKIP_CODES or cell in ("", "0"):
            continue
        position = point_of(cell)
        if position is None:
            raise CellProblem(f"{_where(question)}的“{sub}”一列里是“{cell}”，应为 0、1 或名次")
        (ranked if question.type == "ranking" else chosen).append((position, option.code) if question.type == "ranking"
                                                                  else option.code)
    if question.type == "ranking":
        chosen = [code for _pos, code in sorted(ranked)]
    if not chosen:
        return {"x": EMPTY}
    answer: dict = {"c": chosen}
    if typed:
        answer["t"] = "；".join(typed)
    return answer


def _matrix(question: Question, group: Group, row: list[str], layout: str) -> dict:
    points: dict[str, int] = {}
    skipped = True
    for sub, i in zip(group.subs, group.columns, strict=True):
        cell = row[i].strip()
        if cell in SKIPPED_TEXT or (layout == BY_CODE and cell in SKIP_CODES):
            continue
        skipped = False
        if cell in EMPTY_TEXT:
            continue
        matrix_row = _by_label(question, sub, rows=True)
        if matrix_row is None:
            raise CellProblem(f"{_where(question)}没有“{sub}”这一行")
        point = point_of(cell)
        option = question.option(point) if point is not None else _by_label(question, cell)
        if option is None:
            raise CellProblem(f"{_where(question)}“{sub}”一行没有分值“{cell}”")
        points[str(matrix_row.code)] = option.code
    if skipped:
        return {"x": SKIP}
    return {"m": points} if points else {"x": EMPTY}


def _by_label(question: Question, label: str, rows: bool = False) -> Option | None:
    key = label_key(label)
    return next((o for o in (question.rows if rows else question.options) if label_key(o.label) == key), None)


def _where(question: Question) -> str:
    return f"第 {question.number or question.code} 题"
