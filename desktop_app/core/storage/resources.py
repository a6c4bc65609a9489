"""Where the bundled resources live: kept here for the modules that import it from storage; the one
definition is `desktop_app.core.resources` (values layer), which the text check can reach too."""

from desktop_app.core.resources import CJK_FONT, FONT_DIR, RARE_FONT, RESOURCES

__all__ = ["CJK_FONT", "FONT_DIR", "RARE_FONT", "RESOURCES"]
