"""Reads back the printed text of a PDF the writer made, page by page, so a caller can tell whether a
file still says what its document said (`says`).

The text is extracted with pypdf (a well-kept pure-Python PDF library) in drawing order; reportlab's
TrueType subsets carry ToUnicode maps, so CJK text comes back as written. A file with form fields or
annotations (which can show text over the page) is not vouched for, nor one pypdf cannot read.

Text only: pictures and vector drawings are not compared (`render` compares what pages show). What is
compared is the text as printed: characters the writer does not draw (`fonts.is_invisible`) are left out
on both sides, so a text holding a zero-width space or a control character still matches its print.
"""

import logging
import re
from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024


def page_texts(path: Path | str) -> list[str] | None:
    """The text drawn on each page, in drawing order, or None when the file is not a PDF that can be
    read back with confidence."""
    from pypdf import PdfReader

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is said once, by our caller
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted or "/AcroForm" in reader.trailer["/Root"]:
            return None
        if any("/Annots" in page for page in reader.pages):
            return None
        return [page.extract_text() or "" for page in reader.pages]
    except Exception:  # noqa: BLE001 — a file pypdf cannot follow is not one this program can vouch for
        return None


# ---------------------------------------------------------------------------------------------- comparing

# What the PDF writer prints besides the document's texts: "：" after a field's label, the brackets
# around a photo caption, "本期无记录" in an empty table. (Page labels "— 1 —" and the header row
# a table repeats on each page are handled apart.)
_DECORATION = re.compile(r"：|（|）|本期无记录")
MAX_DECORATIONS = 4  # between two texts
MAX_HEADER_RUN = 20  # cells of a repeated table header


def squash(text: str) -> str:
    """Text as printed, without any whitespace: line breaks, justification and the PDF's spacing do not
    count, and characters the writer does not draw (zero-width spaces, soft hyphens, direction marks,
    control characters: `fonts.is_invisible`) are not there."""
    from desktop_app.core.documents.fonts import is_invisible  # loaded with reportlab: only when comparing

    return "".join(ch for ch in "".join(text.split()) if not is_invisible(ch))


def _flatten(pages: list[str]) -> tuple[str, set[int]]:
    """The pages' text squashed and joined without their page labels ("— 1 —"), and where pages start."""
    flat = ""
    starts: set[int] = set()
    for number, page in enumerate(pages, 1):
        page = squash(page)
        label = f"—{number}—"
        if page.startswith(label):
            page = page[len(label):]
        starts.add(len(flat))
        flat += page
    return flat, starts


def flatten(pages: list[str]) -> str:
    return _flatten(pages)[0]


def says(pages: list[str], texts: list[str], *, inserts: tuple[str, ...] = (), tail: str = "") -> bool:
    """Whether the pages print exactly `texts` in order (each printed whole, with only the writer's own
    decorations between them), then exactly `tail` (as `flatten` gives it). Each of `inserts` (e.g. the
    number stamp of the archived version) may appear once between two texts."""
    flat, starts = _flatten(pages)
    expected = [t for t in (squash(t) for t in texts) if t]
    pending = [squash(t) for t in inserts if squash(t)]
    cursor = 0
    for i, text in enumerate(expected):
        found = _advance(flat, cursor, text, pending)
        if found is None and cursor in starts:
            found = _after_header(flat, cursor, expected, i, pending)
        if found is None:
            return False
        cursor = found
    return flat[cursor:] == squash(tail)


def _advance(flat: str, cursor: int, text: str, pending: list[str]) -> int | None:
    for _ in range(MAX_DECORATIONS + 1):
        if flat.startswith(text, cursor):
            return cursor + len(text)
        insert = next((t for t in pending if flat.startswith(t, cursor)), None)
        if insert is not None:
            pending.remove(insert)
            cursor += len(insert)
            continue
        gap = _DECORATION.match(flat, cursor)
        if gap is None:
            return None
        cursor = gap.end()
    return None


def _after_header(flat: str, cursor: int, expected: list[str], i: int, pending: list[str]) -> int | None:
    """A table continued on a new page repeats its header row: a run of texts printed before."""
    for j in range(i - 1, -1, -1):
        if not flat.startswith(expected[j], cursor):
            continue
        at = cursor
        for k in range(j, min(i, j + MAX_HEADER_RUN)):
            if not flat.startswith(expected[k], at):
                break
            at += len(expected[k])
            found = _advance(flat, at, expected[i], pending)
            if found is not None:
                return found
    return None
