"""The bundled typefaces and which characters they can print: one answer for the document writer and
for the text check at entry.

- heading: Droid Sans Fallback (`DroidSansFallbackFull.ttf`, Apache-2.0), a sans face that reads as 黑体;
- body: AR PL UMing CN (`UMingCN.ttf`, Arphic Public License), a 宋/明体 face for running text;
- rare: HanaMinB, 花園明朝B (`HanaMinB.ttf`, Hanazono Font License or SIL OFL 1.1, bundled unmodified):
  the 60,317 ideographs of CJK Extensions B–F, such as 𠮷 (U+20BB7) of rare surnames — the fallback for
  a character neither of the others has, in documents and on screen.

Which code points a face covers is read from its own cmap table: only the table directory and the cmap
are read (a few hundred kilobytes of a 30 MB file), once per process, without reportlab or Qt. The PDF
writer (`documents/fonts.py`) draws a character in the first face of its fallback order that covers it;
`validation.clean_text` refuses at entry what no face covers, with the words the export uses
(`missing_glyphs`), so that a character typed today cannot stop a notice later.
"""

import bisect
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.resources import CJK_FONT, FONT_DIR, RARE_FONT


@dataclass(frozen=True)
class Face:
    name: str  # the name the PDF writer registers it under
    path: Path


HEADING = Face("DocumentHei", CJK_FONT)
BODY = Face("DocumentSong", FONT_DIR / "UMingCN.ttf")
RARE = Face("DocumentRare", RARE_FONT)
FACES = (HEADING, BODY, RARE)

# What to do about a character no face has: the advice of the export's message and of the entry check.
GLYPH_ADVICE = ("改为常用字或同音字，或写成拼音（如姓名中的生僻字写作“王yan”），"
                "也可能是从别处粘贴进来的特殊符号，删去即可")


class FontFileError(Exception):
    """A bundled font file that is missing or cannot be read as TrueType (`missing` tells which)."""

    def __init__(self, path: Path, reason: str, *, missing: bool = False):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.missing = path, reason, missing


def missing_glyphs(where: str, chars: Iterable[str], positions: dict[str, int] | None = None) -> str:
    """“摘要里有 1 个字在内置字体中没有字形，印出来会是空白：“X”。” — the first sentence of the
    export's message and of the entry check's; `positions` (character → 1-based place) adds where."""
    chars = list(chars)
    if positions:
        listed = "、".join(f"“{c}”（U+{ord(c):04X}，第 {positions[c]} 个字符）" for c in chars)
    else:
        listed = "、".join(f"“{c}”" for c in chars)
    return f"{where}里有 {len(chars)} 个字在内置字体中没有字形，印出来会是空白：{listed}。"


Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive (first, last) code point runs


class Coverage:
    """The code points some bundled face prints, kept as runs (233 for 91,075 characters): small to keep,
    quick to ask (`cp in coverage`)."""

    def __init__(self, ranges: Ranges):
        self.ranges = ranges
        self._starts = [first for first, _last in ranges]

    def __contains__(self, cp: int) -> bool:
        i = bisect.bisect_right(self._starts, cp) - 1
        return i >= 0 and cp <= self.ranges[i][1]


_lock = threading.Lock()
_ranges: dict[Path, Ranges] = {}
_coverage: Coverage | None = None


def face_ranges(face: Face) -> Ranges:
    """The code points `face` has a glyph for, as runs (cached). Raises FontFileError."""
    with _lock:
        found = _ranges.get(face.path)
        if found is None:
            found = _ranges[face.path] = to_ranges(read_cmap(face.path))
        return found


def face_cmap(face: Face) -> frozenset[int]:
    """The code points `face` has a glyph for, as a set (for the PDF writer, which asks per character)."""
    return frozenset(cp for first, last in face_ranges(face) for cp in range(first, last + 1))


def coverage() -> Coverage | None:
    """The code points some bundled face can print, or None when a font file is missing or damaged (then
    the export names the file; typing is not blocked for it)."""
    global _coverage
    if _coverage is None:
        try:
            runs = [run for face in FACES for run in face_ranges(face)]
        except FontFileError:
            return None
        _coverage = Coverage(merge(runs))
    return _coverage


def to_ranges(codes) -> Ranges:
    """Code points as sorted runs."""
    return merge((cp, cp) for cp in codes)


def merge(runs) -> Ranges:
    """Runs (first, last) merged where they touch or overlap, sorted."""
    out: list[list[int]] = []
    for first, last in sorted(runs):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return tuple((first, last) for first, last in out)


def read_cmap(path: Path) -> set[int]:
    """The code points the TrueType file maps to a real glyph (not glyph 0), from its Unicode cmap
    subtable: format 12 (full repertoire) when there is one, else format 4 (BMP). A space maps
    no-break space too (reportlab sets U+00A0 as a space)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                raise FontFileError(path, "不是 TrueType 字体文件")
            (tables,) = struct.unpack(">H", head[4:6])
            directory = f.read(16 * tables)
            for i in range(tables):
                tag, _checksum, offset, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
                if tag == b"cmap":
                    f.seek(offset)
                    data = f.read(length)
                    break
            else:
                raise FontFileError(path, "没有字符映射表（cmap）")
    except FileNotFoundError:
        raise FontFileError(path, "找不到文件", missing=True) from None
    except (OSError, struct.error) as exc:
        raise FontFileError(path, f"无法读取（{exc}）") from exc
    try:
        codes = _parse_cmap(data)
    except (struct.error, IndexError) as exc:
        raise FontFileError(path, f"字符映射表已损坏（{exc}）") from exc
    if codes is None:
        raise FontFileError(path, "没有 Unicode 字符映射表")
    if 0x20 in codes:
        codes.add(0xA0)
    return codes


_PREFERENCE = {(3, 10): 0, (0, 6): 1, (0, 4): 2, (3, 1): 3, (0, 3): 4, (0, 2): 5, (0, 1): 6, (0, 0): 7}


def _parse_cmap(data: bytes) -> set[int] | None:
    _version, count = struct.unpack_from(">HH", data, 0)
    best = None
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, offset)
        rank = _PREFERENCE.get((platform, encoding))
        if rank is None or fmt not in (4, 12):
            continue
        rank = rank if fmt == 12 else rank + 10  # a full-repertoire table first
        if best is None or rank < best[0]:
            best = (rank, fmt, offset)
    if best is None:
        return None
    _rank, fmt, offset = best
    return _format12(data, offset) if fmt == 12 else _format4(data, offset)


def _format12(data: bytes, offset: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, offset + 12)
    codes: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, offset + 16 + 12 * i)
        codes.update(range(start + (glyph == 0), end + 1))  # a run starting at glyph 0: its first is notdef
    return codes


def _format4(data: bytes, offset: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", data, offset + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", data, offset + 14)
    starts = struct.unpack_from(f">{segs}H", data, offset + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", data, offset + 16 + 2 * seg_x2)
    range_at = offset + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{segs}H", data, range_at)
    codes: set[int] = set()
    for n in range(segs):
        start, end, delta, ro = starts[n], ends[n], deltas[n], range_offsets[n]
        for code in range(start, end + 1):
            if ro == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = range_at + 2 * n + ro + 2 * (code - start)
                if at + 2 > len(data):
                    continue
                (glyph,) = struct.unpack_from(">H", data, at)
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                codes.add(code)
    return codes
