"""The bundled TrueType faces of printed documents (`core/typefaces.py`), registered with reportlab, and
the glyph check.

- heading face: Droid Sans Fallback, a sans face that reads as 黑体: title, 一、二、三 headings, field
  labels, item leads, table headers and totals;
- body face: AR PL UMing CN, a 宋/明体 face for running text, derived from Debian's uming.ttc by
  `tools/make_fonts.py` (outlines only, no bitmaps);
- rare face: HanaMinB (花園明朝B), CJK Extensions B–F, for the rare name characters (𠮷) neither of the
  others has.

All are glyf-outline TrueType (reportlab embeds nothing else) with fsType 0, so reportlab embeds and
subsets them; a face no character of a document needs is not embedded. Headings differ from the body by
a real second face, never by faked bold.

A character missing from the face a text is set in is drawn in the other of heading and body, else in
the rare face (`runs`); a character in none is reported before anything is written (`unprintable`).
reportlab itself would print such a character as a blank without a word. Which characters a face has
comes from `typefaces.face_cmap`, the same answer the text check at entry uses.

reportlab writes a subset's ToUnicode map with 4 hex digits per character, which is wrong beyond the BMP
(<20BB7>): patched on import to write UTF-16 (<D842DFB7>), so 𠮷 reads back from the PDF as 𠮷.

Core code: no Qt, no database.
"""

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import reportlab.pdfbase.ttfonts as _ttfonts
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.core import typefaces
from desktop_app.core.errors import UserError

FONT_DIR = typefaces.FONT_DIR
HEADING_FONT_FILE = typefaces.HEADING.path
BODY_FONT_FILE = typefaces.BODY.path
RARE_FONT_FILE = typefaces.RARE.path
HEADING, BODY, RARE = typefaces.HEADING.name, typefaces.BODY.name, typefaces.RARE.name  # reportlab names

# Characters that are not drawn and need no glyph: line breaks and tabs (turned into spaces/breaks by
# the layout), and invisible format characters (zero-width space, BOM, variation selectors) that come
# in with pasted text — they are dropped instead of stopping an export for something nobody sees.
_LAYOUT = frozenset("\n\r\t ")


def is_invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf"):
        return True
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


@dataclass(frozen=True)
class Fonts:
    heading: str  # reportlab font names
    body: str
    files: dict[str, Path]  # name -> file
    charmaps: dict[str, frozenset[int]]  # name -> code points the face has a glyph for
    rare: str = ""  # the last fallback, for what neither heading nor body has ("" when there is none)

    def has(self, face: str, ch: str) -> bool:
        return ord(ch) in self.charmaps[face]

    def other(self, face: str) -> str:
        return self.body if face == self.heading else self.heading

    def fallbacks(self, face: str) -> tuple[str, ...]:
        """The faces tried for a text set in `face`, in order."""
        return (face, self.other(face), self.rare) if self.rare else (face, self.other(face))

    def printable(self, ch: str) -> bool:
        return ch in _LAYOUT or is_invisible(ch) or any(ord(ch) in cm for cm in self.charmaps.values())

    def runs(self, text: str, face: str) -> list[tuple[str, str]]:
        """Split `text` into (face, chunk) runs: a character is drawn in the first of `fallbacks(face)`
        that has it. Invisible characters are dropped. Every character must be printable (check first)."""
        out: list[tuple[str, str]] = []
        order = [(name, self.charmaps[name]) for name in self.fallbacks(face)]
        own = order[0][1]
        for ch in text:
            if ch in _LAYOUT:
                use = face
            elif is_invisible(ch):
                continue
            elif ord(ch) in own:
                use = face
            else:
                use = next((name for name, cm in order[1:] if ord(ch) in cm), order[1][0])
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + ch)
            else:
                out.append((use, ch))
        return out


_lock = threading.Lock()
_fonts: Fonts | None = None


def register_fonts(noun: str = "文档") -> Fonts:
    """Register the faces with reportlab once per process (thread-safe) and return them. `noun` is what
    a message calls the document the faces are wanted for ("公示", "报告")."""
    global _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        files = {face.name: face.path for face in typefaces.FACES}
        charmaps = {}
        for face in typefaces.FACES:
            path = face.path
            if not path.is_file():
                raise UserError(f"找不到{noun}用的字体文件 {path}，无法生成 PDF。请重新安装本软件（安装包里带有这个字体）。")
            try:
                font = TTFont(face.name, str(path))
                charmaps[face.name] = typefaces.face_cmap(face)
            except Exception as exc:  # a damaged or replaced file
                raise UserError(f"{noun}用的字体文件 {path} 已损坏，无法读取（{exc}）。请重新安装本软件。") from exc
            pdfmetrics.registerFont(font)
        _fonts = Fonts(heading=HEADING, body=BODY, files=files, charmaps=charmaps, rare=RARE)
        return _fonts


def unprintable(texts, fonts: Fonts | None = None) -> dict[str, str]:
    """Characters in no face, in order of first appearance -> the first text containing them."""
    fonts = fonts or register_fonts()
    found: dict[str, str] = {}
    for text in texts:
        for ch in text:
            if ch not in found and not fonts.printable(ch):
                found[ch] = text
    return found


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's makeToUnicodeCMap, with a character beyond the BMP written as its UTF-16 pair."""
    def utf16(code: int) -> str:
        return f"{code:04X}" if code <= 0xFFFF else (chr(code).encode("utf-16-be").hex().upper())

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap
