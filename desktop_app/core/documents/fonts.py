"""The two bundled TrueType faces of printed documents, registered with reportlab, and the glyph check.

- heading face: Droid Sans Fallback (`DroidSansFallbackFull.ttf`, Apache-2.0), a sans face that reads
  as 黑体: title, 一、二、三 headings, field labels, item leads, table headers and totals;
- body face: AR PL UMing CN (`UMingCN.ttf`, Arphic Public License), a 宋/明体 face for running text,
  derived from Debian's uming.ttc by `tools/make_fonts.py` (outlines only, no bitmaps).

Both are glyf-outline TrueType (reportlab embeds nothing else) with fsType 0, so reportlab embeds and
subsets them. Headings differ from the body by a real second face, never by faked bold.

A character missing from the face a text is set in is drawn in the other face (`runs`); a character
in neither is reported before anything is written (`unprintable`). reportlab itself would print such
a character as a blank without a word.

Core code: no Qt, no database.
"""

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.core.errors import UserError
from desktop_app.core.storage.resources import RESOURCES

FONT_DIR = RESOURCES / "fonts"
HEADING_FONT_FILE = FONT_DIR / "DroidSansFallbackFull.ttf"
BODY_FONT_FILE = FONT_DIR / "UMingCN.ttf"
HEADING = "DocumentHei"  # reportlab names of the registered faces
BODY = "DocumentSong"

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

    def has(self, face: str, ch: str) -> bool:
        return ord(ch) in self.charmaps[face]

    def other(self, face: str) -> str:
        return self.body if face == self.heading else self.heading

    def printable(self, ch: str) -> bool:
        return ch in _LAYOUT or is_invisible(ch) or any(ord(ch) in cm for cm in self.charmaps.values())

    def runs(self, text: str, face: str) -> list[tuple[str, str]]:
        """Split `text` into (face, chunk) runs: characters `face` lacks go to the other face.
        Invisible characters are dropped. Every character must be printable (check first)."""
        out: list[tuple[str, str]] = []
        other = self.other(face)
        for ch in text:
            if ch in _LAYOUT:
                use = face
            elif is_invisible(ch):
                continue
            else:
                use = face if ord(ch) in self.charmaps[face] else other
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + ch)
            else:
                out.append((use, ch))
        return out


_lock = threading.Lock()
_fonts: Fonts | None = None


def register_fonts(noun: str = "文档") -> Fonts:
    """Register both faces with reportlab once per process (thread-safe) and return them. `noun` is what
    a message calls the document the faces are wanted for ("公示", "报告")."""
    global _fonts
    with _lock:
        if _fonts is not None:
            return _fonts
        files = {HEADING: HEADING_FONT_FILE, BODY: BODY_FONT_FILE}
        charmaps = {}
        for name, path in files.items():
            if not path.is_file():
                raise UserError(f"找不到{noun}用的字体文件 {path}，无法生成 PDF。请重新安装本软件（安装包里带有这个字体）。")
            try:
                font = TTFont(name, str(path))
            except Exception as exc:  # a damaged or replaced file
                raise UserError(f"{noun}用的字体文件 {path} 已损坏，无法读取（{exc}）。请重新安装本软件。") from exc
            pdfmetrics.registerFont(font)
            charmaps[name] = frozenset(font.face.charToGlyph)
        _fonts = Fonts(heading=HEADING, body=BODY, files=files, charmaps=charmaps)
        return _fonts


def unprintable(texts, fonts: Fonts | None = None) -> dict[str, str]:
    """Characters in neither face, in order of first appearance -> the first text containing them."""
    fonts = fonts or register_fonts()
    found: dict[str, str] = {}
    for text in texts:
        for ch in text:
            if ch not in found and not fonts.printable(ch):
                found[ch] = text
    return found
