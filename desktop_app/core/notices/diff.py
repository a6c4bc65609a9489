"""What changed since a notice was sealed, in words: the entries first (each named), then the printed texts
that changed with them. The texts are compared table-aware: a table row is one unit, its cells joined, so a
row added, removed or changed is one line, not one per cell."""

import difflib
import json
from dataclasses import dataclass

from sqlmodel import Session

from desktop_app.core.documents.model import Table
from desktop_app.core.models import Notice
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.entries import MAX_LISTED_CHANGES, entry_changes
from desktop_app.core.notices.sealing import Sealed

MAX_TEXT_CHANGES = 8  # printed texts listed besides the entries that changed them
CLIP_CONTEXT = 20  # characters shown before the first difference of a changed text


def differences(s: Session, notice: Notice, sealed: Sealed, *, drafts_pending: bool = False) -> list[str]:
    """Entries first (each named), then the printed texts that changed with them (the same change
    counted once, the list kept short when entries already explain it)."""
    changes = entry_changes(s, notice, sealed.entries)
    old = json.loads(notice.document_json or "[]")
    new = sealed.texts
    tables = _tables(sealed.doc, new)
    if drafts_pending:  # the note "另有 N 笔草稿未列入" of a rebuild without the new drafts
        known = set(old)
        kept = [i for i, t in enumerate(new) if t in known or "草稿" not in t]
        new = [new[i] for i in kept]
        tables = _Tables([tables.rows[i] for i in kept], tables.starts) if tables else None
    counted: dict[str, int] = {}
    for line in _text_changes(old, new, tables):
        counted[line] = counted.get(line, 0) + 1
    texts = [f"{line}（{n} 处）" if n > 1 else line for line, n in counted.items()]
    limit = MAX_TEXT_CHANGES if changes else MAX_LISTED_CHANGES
    if len(texts) > limit:
        texts = texts[:limit] + [f"……公示内容另有 {len(texts) - limit} 处随之变化"]
    changes += texts
    if len(changes) > MAX_LISTED_CHANGES:
        changes = changes[:MAX_LISTED_CHANGES] + [f"……另有 {len(changes) - MAX_LISTED_CHANGES} 处变化未列出"]
    return changes


def _text_changes(old: list[str], new: list[str], tables: "_Tables | None" = None) -> list[str]:
    """The printed texts that differ. With `tables` (the new document's tables, from `_tables`), a table
    row is one unit, its cells joined: a row added, removed or changed is one line, not one per cell."""
    tables = tables if tables is not None and len(tables.rows) == len(new) else _Tables([None] * len(new), {})
    old_units, old_tables = _old_units(old, new, tables)
    new_units, new_tables = _new_units(new, tables)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_units, b=new_units, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = _pairs(old_units, old_tables, range(a1, a2), new_units, new_tables, range(b1, b2))
        paired_old, paired_new = {a for a, _ in pairs}, {b for _, b in pairs}
        for a, b in pairs:
            at = _first_difference(old_units[a], new_units[b])
            out.append(f"公示内容：“{_clip(old_units[a], at=at)}”变为“{_clip(new_units[b], at=at)}”")
        for a in range(a1, a2):
            if a not in paired_old:
                out.append(f"公示内容删去一行（{old_tables[a][0]}）：“{_clip(old_units[a], 120)}”" if old_tables[a]
                           else f"公示内容删去：“{_clip(old_units[a])}”")
        for b in range(b1, b2):
            if b not in paired_new:
                out.append(f"公示内容新增一行（{new_tables[b][0]}）：“{_clip(new_units[b], 120)}”" if new_tables[b]
                           else f"公示内容新增：“{_clip(new_units[b])}”")
    return out


@dataclass
class _Tables:
    rows: list  # per text: (table name, block number, row number) in a table (row -1: caption, header), or None
    starts: dict  # (table name, block number) → {shape of a row's first cell (digits as 9): most cells}


def _shape(text: str) -> str:
    return "".join("9" if ch.isdigit() else ch for ch in text)


def _tables(doc: NoticeDocument, texts: list[str]) -> "_Tables | None":
    """Where the tables are among `texts` (the document's texts as sealed); None when the texts do not
    line up with the document."""

    rows: list = [None] * len([t for t in doc.title_lines if t])
    starts: dict = {}
    for n, block in enumerate(doc.blocks):
        if isinstance(block, Table):
            name = block.caption.split("（")[0].strip() or "表格"
            rows += [(name, n, -1)] * len([t for t in (block.caption, *(c.title for c in block.columns)) if t])
            for r, row in enumerate((*block.rows, *block.totals)):
                cells = [cell for cell in row if cell]
                rows += [(name, n, r)] * len(cells)
                if cells:
                    shapes = starts.setdefault((name, n), {})
                    shapes[_shape(cells[0])] = max(shapes.get(_shape(cells[0]), 0), len(cells))
        else:
            rows += [None] * len(NoticeDocument(doc.template, [], [block]).texts())
    return _Tables(rows, starts) if len(rows) == len(texts) else None


def _new_units(new: list[str], tables: _Tables) -> tuple[list[str], list]:
    units: list[str] = []
    labels: list = []
    i = 0
    while i < len(new):
        row = tables.rows[i]
        if row is None or row[2] < 0:  # not in a table, or its caption or header: each text alone
            units.append(new[i])
            labels.append(None)
            i += 1
            continue
        j = i
        while j < len(new) and tables.rows[j] == row:
            j += 1
        units.append("｜".join(new[i:j]))
        labels.append(row[:2])
        i = j
    return units, labels


def _old_units(old: list[str], new: list[str], tables: _Tables) -> tuple[list[str], list]:
    """The old texts cut into the same kind of units. Their rows were not recorded: the texts that begin
    something in the new document (a text outside tables, a table's caption or header, a row's first
    cell) are matched first, each row found again takes its unchanged cells with it, and the texts left
    over in a table start a row when they look like the first cell of that table's rows (a date, a
    voucher number, 合计), else continue the row before them up to its width."""
    anchors = [i for i, row in enumerate(tables.rows)
               if row is None or row[2] < 0 or i == 0 or tables.rows[i - 1] != row]
    known = {new[i] for i in anchors}
    candidates = [k for k, text in enumerate(old) if text in known]
    at: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(a=[old[k] for k in candidates], b=[new[i] for i in anchors], autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        at.update((candidates[a + d], anchors[b + d]) for d in range(size))
    for k, b in sorted(at.items()):  # a row found again: its cells that follow unchanged
        row = tables.rows[b]
        d = 1
        while (row is not None and row[2] >= 0 and k + d < len(old) and b + d < len(new) and k + d not in at
               and tables.rows[b + d] == row and old[k + d] == new[b + d]):
            at[k + d] = b + d
            d += 1
    units: list[str] = []
    labels: list = []
    current: list[str] = []
    width = 0
    table = None  # the table of the row being collected, or of the last text found again
    for k, text in enumerate(old):
        row = tables.rows[at[k]] if k in at else None
        if k in at and (row is None or row[2] < 0):  # outside tables, or a caption or header
            units.extend(["｜".join(current)] if current else [])
            current = []
            units.append(text)
            labels.append(None)
            table = row[:2] if row is not None else None
            continue
        if row is not None:
            table = row[:2]
            if current and tables.rows[at[k] - 1] == row:  # the next cell of the row being collected
                current.append(text)
                continue
        shapes = tables.starts.get(table, {}) if table is not None else {}
        if row is not None or _shape(text) in shapes:  # a row begins
            units.extend(["｜".join(current)] if current else [])
            current, width = [text], shapes.get(_shape(text), 0)
            labels.append(table)
        elif current and len(current) < width:
            current.append(text)
        else:
            units.extend(["｜".join(current)] if current else [])
            current = []
            units.append(text)
            labels.append(None)
    units.extend(["｜".join(current)] if current else [])
    return units, labels


def _pairs(old_units, old_tables, olds: range, new_units, new_tables, news: range) -> list[tuple[int, int]]:
    """Which of the units replaced are the same thing changed: a table row with the same first cell in
    the same table (e.g. 合计), then in order the rows of a table left over on both sides in equal
    numbers, and the other texts when equally many; the rest were removed or added."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for a in olds:
        if old_tables[a] is None:
            continue
        first = old_units[a].split("｜")[0]
        for b in news:
            if b not in taken and new_tables[b] == old_tables[a] and new_units[b].split("｜")[0] == first:
                pairs.append((a, b))
                taken.add(b)
                break
    paired = {a for a, _ in pairs}
    groups = {t for t in (*(old_tables[a] for a in olds), *(new_tables[b] for b in news))}
    for group in groups:
        left = [a for a in olds if a not in paired and old_tables[a] == group]
        right = [b for b in news if b not in taken and new_tables[b] == group]
        if len(left) == len(right):
            pairs += zip(left, right, strict=True)
    return sorted(pairs)


def _first_difference(a: str, b: str) -> int:
    """Where two texts (as `_clip` shows them) first differ."""
    a, b = " ".join(a.split()), " ".join(b.split())
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _clip(text: str, limit: int = 60, *, at: int = 0) -> str:
    """At most `limit` characters of `text`, showing position `at` (the first difference) with some of
    what precedes it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    start = max(0, min(at, len(text)) - CLIP_CONTEXT)  # the same for both sides of a change
    head = "…" if start else ""
    room = limit - len(head)
    body = text[start:start + room]
    return head + (body if start + room >= len(text) else body[:-1] + "…")
