"""Where the bundled resources (fonts, icons, templates) live: `resources/` beside the package."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CJK_FONT = RESOURCES / "fonts" / "DroidSansFallbackFull.ttf"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)
