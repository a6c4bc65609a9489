"""Chinese typing on UOS and Kylin, whose input methods (Sogou, 五笔, 拼音) run on fcitx.

The PySide6 wheels ship only the compose and ibus input-context plugins, so a Qt program told to use fcitx
(QT_IM_MODULE=fcitx, set by those desktops) finds no plugin and takes no Chinese at all. fcitx5 also
answers the ibus protocol, so when the desktop asks for fcitx and no fcitx plugin is present, the program
asks Qt for ibus instead. A system that does ship a matching fcitx plugin keeps it.
"""

import os
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

FCITX = ("fcitx", "fcitx5")


def wanted_input_method(env: Mapping[str, str]) -> str:
    """The input method the desktop asks for: QT_IM_MODULE, else what XMODIFIERS/GTK_IM_MODULE name."""
    module = env.get("QT_IM_MODULE", "").strip().lower()
    if module:
        return module
    if "fcitx" in env.get("XMODIFIERS", "").lower() or env.get("GTK_IM_MODULE", "").strip().lower() in FCITX:
        return "fcitx"
    return ""


def input_method_fallback(env: Mapping[str, str], plugin_dir: Path, platform: str | None = None) -> str | None:
    """The QT_IM_MODULE to use instead of the desktop's choice, or None to leave things as they are."""
    if not (platform or sys.platform).startswith("linux") or wanted_input_method(env) not in FCITX:
        return None
    try:
        plugins = [p.name.lower() for p in plugin_dir.iterdir()]
    except OSError:
        plugins = []
    if any("fcitx" in name for name in plugins):
        return None
    return "ibus"


def apply_input_method_fallback(plugin_dir: Path, env: MutableMapping[str, str] = os.environ) -> str | None:
    """Set QT_IM_MODULE before the QApplication exists (Qt reads it once, at start-up); the module set, or None."""
    module = input_method_fallback(env, plugin_dir)
    if module:
        env["QT_IM_MODULE"] = module
    return module
