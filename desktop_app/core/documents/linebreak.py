"""Chinese line breaking (禁则) and justification for reportlab paragraphs: `ChineseParagraph`.

A line never starts with ，。、；：！？）》」』】”’…— and the like, never ends with （《「『【“‘ or ¥, and never
splits a number or a Latin word when it can be avoided. A punctuation mark that overflows a long line
hangs and the line is squeezed back into the measure by character spacing (the way Word sets Chinese);
every other full line is justified by character spacing too.

reportlab's own CJK splitter (used by plain Paragraphs) is patched on import to know the same marks.
"""

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rlparagraph
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.paragraph import FragLine
from reportlab.rl_config import _FUZZ

CANNOT_START = frozenset(
    _textsplit.ALL_CANNOT_START + "，。、；：！？）》」』】〕〉〗｝］”’…—–·％‰℃～!),.:;?]}%"
)
CANNOT_END = frozenset("（《「『【〔〈〖｛［“‘([{¥￥$＄£€#＃@＠")
HANGABLE = frozenset("，。、；：！？,.")  # may hang over the measure (then squeezed back)
_EXTRA_CANNOT_START = "，；：！？》”’…—·"


def _patch_reportlab_kinsoku() -> None:
    """reportlab's own CJK splitter (used by any plain Paragraph) misses the fullwidth marks above;
    both module globals are read (textsplit by single-fragment paragraphs). Idempotent."""
    for module in (_textsplit, _rlparagraph):
        missing = "".join(c for c in _EXTRA_CANNOT_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


_patch_reportlab_kinsoku()


def _wordch(ch: str) -> bool:
    """Part of a number or a Latin word, which should not be split across lines."""
    return ch.isascii() and (ch.isalnum() or ch in ".,:/%-_@+'")


def _can_break(units, b: int, *, words: bool = True) -> bool:
    """May a line end before units[b]?"""
    if b >= len(units):
        return True
    before, after = units[b - 1], units[b]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (words and _wordch(before) and _wordch(after))


def _choose_break(units, start: int, k: int) -> int:
    """units[start:k] is the longest run that fits; return where the line really ends."""
    if _can_break(units, k):
        return k
    if units[k] in HANGABLE and k - start >= 10 and _can_break(units, k + 1):
        return k + 1  # hang the mark; justification squeezes the line back into the measure
    half = start + max(1, (k - start) // 2)
    for b in range(k - 1, half, -1):
        if _can_break(units, b):
            return b
    for b in range(k - 1, start, -1):  # a very long number or word: split it, but keep the 禁则
        if _can_break(units, b, words=False):
            return b
    return k


_widths: dict[tuple[str, float], dict[str, float]] = {}  # (font, size) -> character -> width


def _units(frags) -> list:
    """One reportlab cjkU (a str carrying its frag and width) per character; widths cached."""
    units = []
    for frag in frags:
        text = frag.text
        if not text or hasattr(frag, "cbDefn"):
            units.append(_rlparagraph.cjkU(text or "", frag, "utf8"))
            continue
        key = (frag.fontName, frag.fontSize)
        widths = _widths.get(key)
        if widths is None:
            widths = _widths[key] = {}
        for ch in text:
            width = widths.get(ch)
            if width is None:
                width = widths[ch] = stringWidth(ch, frag.fontName, frag.fontSize)
            unit = str.__new__(_rlparagraph.cjkU, ch)
            unit._frag = frag
            unit._width = width
            units.append(unit)
    return units


def _make_line(units, max_width: float, used: float, forced: bool, calc_bounds: bool):
    """reportlab's makeCJKParaLine, grouping by frag object instead of comparing every character's
    frag attributes (the hot spot of long tables)."""
    if calc_bounds or any(hasattr(u.frag, "cbDefn") for u in units):
        return _rlparagraph.makeCJKParaLine(units, max_width, used, max_width - used, forced, calc_bounds)
    words = []
    max_size = max_ascent = min_descent = 0
    run_frag, run = None, []
    for unit in units:
        frag = unit.frag
        if frag is not run_frag:
            if run:
                words.append(run_frag.clone(text="".join(run)))
            run_frag, run = frag, []
            ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
            max_size = max(max_size, frag.fontSize)
            max_ascent = max(max_ascent, ascent)
            min_descent = min(min_descent, descent)
        run.append(unit)
    if run:
        words.append(run_frag.clone(text="".join(run)))
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
                    lineBreak=forced)


def _kinsoku_lines(frags, max_widths, calc_bounds):
    units = _units(frags)
    lines = []
    n = len(units)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        width = 0.0
        k = start
        forced = False
        while k < n:
            unit = units[k]
            if hasattr(unit.frag, "lineBreak"):
                k += 1
                forced = True
                break
            if width + unit.width > max_width + _FUZZ and k > start:
                break
            width += unit.width
            k += 1
        end = k if forced or k >= n else _choose_break(units, start, k)
        line = units[start:end]
        while line and line[-1] == " ":
            line = line[:-1]
        used = sum(u.width for u in line)
        frag_line = _make_line(line, max_width, used, forced, calc_bounds)
        # Justification spreads extraSpace over wordCount-1 gaps: every character is a "word" here.
        frag_line.wordCount = max(1, sum(1 for u in line if u))
        lines.append(frag_line)
        start = end
        if not forced:
            while start < n and units[start] == " ":
                start += 1
    return _rlparagraph.ParaLines(kind=1, lines=lines)


def _split_lines(bl_para, start: int, stop: int) -> list:
    """The fragments of lines[start:stop], copied, with nothing added between lines."""
    return [word.clone() for line in bl_para.lines[start:stop] for word in line.words]


class _CharSpacedText(PDFTextObject):
    """Justifies Chinese by character spacing: reportlab asks for word spacing, which has no effect
    on text without spaces."""

    def setWordSpace(self, wordSpace):
        self.setCharSpace(wordSpace)


class ChineseParagraph(RLParagraph):
    """A reportlab Paragraph with Chinese line breaking and character-spacing justification."""

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        style = self.style
        if not self.frags:
            return _rlparagraph.ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                                          textColor=style.textColor, lines=[], ascent=style.fontSize,
                                          descent=-0.2 * style.fontSize)
        # a table wraps each cell several times (row heights, page split, drawing) at the same width
        key = tuple(maxWidths)
        cached = getattr(self, "_lines_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        lines = _kinsoku_lines(self.frags, maxWidths, auto_leading not in ("", "off"))
        self._lines_cache = (key, lines)
        return lines

    def _get_split_blParaFunc(self):
        # reportlab's splitter for kind-1 lines appends a space to every line's last fragment (in
        # place): right for Latin text, a stray gap in Chinese once the rest of the paragraph re-wraps
        return _split_lines

    def beginText(self, x, y):
        text = super().beginText(x, y)
        text.__class__ = _CharSpacedText
        return text

