"""The user guide (docs/user-guide): every screenshot and page it links exists, and the menu paths and
buttons it names (bold, with › or …) are labels the GUI really has."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "user-guide"
PAGES = sorted(GUIDE.glob("*.md"))
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def test_the_guide_has_its_pages():
    names = {p.name for p in PAGES}
    assert "index.md" in names and len(names) >= 10


def test_every_image_and_page_link_exists():
    images = 0
    for page in PAGES:
        for bang, target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.is_file(), f"{page.name}: {target} does not exist"
            if bang:
                images += 1
                assert path.suffix == ".png" and path.parent == ROOT / "docs" / "screenshots" / "1366x728"
    assert images >= 10


def test_menu_paths_and_buttons_named_in_the_guide_exist_in_the_gui():
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "desktop_app" / "gui").rglob("*.py"))
    for page in PAGES:
        for bold in re.findall(r"\*\*(.+?)\*\*", page.read_text(encoding="utf-8")):
            if "›" not in bold and "…" not in bold and "(Ctrl" not in bold:
                continue  # emphasis, not a label
            for label in (part.strip() for part in bold.split("›")):
                assert label in source, f"{page.name}: “{label}” is not a label of the GUI"
