"""Derive the bundled body face `resources/fonts/UMingCN.ttf` from Debian's AR PL UMing collection.

    apt-get install fonts-arphic-uming
    .venv/bin/pip install fonttools        # a tool dependency only: the app never imports fontTools
    .venv/bin/python tools/make_fonts.py [--source /usr/share/fonts/truetype/arphic/uming.ttc]

What it does to `uming.ttc` (21 MB, four faces sharing one outline table):
  1. takes face 0, "AR PL UMing CN" (the mainland 宋/明体 face);
  2. drops the embedded bitmap strikes (EBDT/EBLC/EBSC and FontForge's BDF and FFTM tables): the PDF
     writer embeds outlines only and Qt draws outlines at every size we use;
  3. drops glyphs no character of this face reaches (glyphs of the HK/TW faces), keeping every mapped
     character and all layout features (vertical forms), and stores no glyph names (post format 3);
  4. writes the modification notice the Arphic Public License §2a asks for into the name table.
Result: ~17 MB, 24 232 characters (GB 2312 complete, CJK Ext-A, much of Ext-B), TrueType outlines,
fsType 0 (embedding allowed), so reportlab embeds and subsets it.

The output is checked before it replaces the bundled file: reportlab loads it, every character of the
rare-name test is mapped, and no bitmap table is left. The license text `ARPHICPL.TXT` must stay next to
the font, unaltered (Arphic Public License §1).
"""

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
DEFAULT_OUT = ROOT / "resources" / "fonts" / "UMingCN.ttf"
RARE_NAMES = "䶮㛃堃喆镕赟珺彧旻昇玥琇琦垚瑄秾甦犇淼焱燚鑫"
BITMAP_TABLES = ("EBDT", "EBLC", "EBSC", "BDF ", "FFTM")
DESCRIPTION_ID = 10  # name table: Description


def derive(source: Path, out: Path, *, modified_on: str) -> None:
    try:
        from fontTools import subset
        from fontTools.ttLib import TTCollection
    except ImportError:
        sys.exit("需要 fontTools：.venv/bin/pip install fonttools")

    collection = TTCollection(str(source))
    font = collection.fonts[0]
    family = font["name"].getDebugName(1)
    if family != "AR PL UMing CN":
        sys.exit(f"{source} 的第 0 个字体是 {family!r}，不是 AR PL UMing CN")
    for tag in BITMAP_TABLES:
        if tag in font:
            del font[tag]

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = False
    options.hinting = True
    options.drop_tables = [*options.drop_tables, *BITMAP_TABLES]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)

    notice = (f"Modified on {modified_on} for charity-ledger by tools/make_fonts.py: face 0 (AR PL UMing CN) "
              f"extracted from {source.name} (Debian fonts-arphic-uming), embedded bitmap tables "
              f"({', '.join(t.strip() for t in BITMAP_TABLES)}) removed, glyphs not reached by this face's "
              "character map removed, glyph names dropped. Outlines unchanged. Distributed under the "
              "ARPHIC PUBLIC LICENSE (ARPHICPL.TXT).")
    font["name"].setName(notice, DESCRIPTION_ID, 3, 1, 0x409)
    font["name"].setName(notice, DESCRIPTION_ID, 1, 0, 0)

    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".ttf.tmp")
    os.close(fd)
    try:
        font.save(tmp)
        check(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check(path: Path) -> None:
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.pdfbase.ttfonts import TTFont

    ft = FTFont(str(path))
    left = [t for t in BITMAP_TABLES if t in ft]
    assert not left, f"bitmap tables left: {left}"
    assert "glyf" in ft and ft["OS/2"].fsType == 0
    rl = TTFont("UMingCheck", str(path))
    missing = [c for c in RARE_NAMES if ord(c) not in rl.face.charToGlyph]
    assert not missing, f"rare-name characters missing: {missing}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--date", default=date.today().isoformat(), help="modification date in the notice")
    args = parser.parse_args()
    if not args.source.is_file():
        sys.exit(f"找不到 {args.source}：先运行 apt-get install fonts-arphic-uming")
    derive(args.source, args.out, modified_on=args.date)
    size = args.out.stat().st_size
    print(f"{args.out}  {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
