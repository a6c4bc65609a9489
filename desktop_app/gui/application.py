"""The QApplication: Chinese texts for Qt's own buttons, the bundled CJK fonts, the app style.

Only Qt is imported here, so the first window can appear before the core (SQLAlchemy, SQLModel) loads.
"""

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from desktop_app.core.errors import UserError
from desktop_app.core.resources import CJK_FONT, ICON_SIZES, RARE_FONT, icon_png
from desktop_app.gui.input_method import apply_input_method_fallback


class MainThreadGarbageCollector(QObject):
    """Python's cyclic collector runs in whichever thread happens to allocate; run in the worker it would
    destroy unreachable Qt widgets off the GUI thread, which crashes. So automatic collection is off and
    this timer collects on the GUI thread instead (as Anki does).

    While the worker is busy it waits (up to MAX_DEFER_S): a pass then would walk every object the worker holds
    — 200,000 answer dicts while a survey of 10,000 responses is analysed, 60–90 ms of a frozen window — and
    once the worker is done reference counting has freed most of them anyway."""

    MAX_DEFER_S = 10.0

    def __init__(self, parent: QObject, interval_ms: int = 1000):
        super().__init__(parent)
        gc.disable()
        self._thresholds = gc.get_threshold()
        self._busy: list[Callable[[], bool]] = []
        self._deferred_since: float | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(interval_ms)

    def defer_while(self, busy: Callable[[], bool]) -> None:
        self._busy.append(busy)

    def collect_if_due(self) -> None:
        if any(busy() for busy in self._busy):
            self._deferred_since = self._deferred_since or time.monotonic()
            if time.monotonic() - self._deferred_since < self.MAX_DEFER_S:
                return
        self._deferred_since = None
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


class QtChinese(QTranslator):
    """Qt's own Chinese texts (qtbase_zh_CN), mended. Qt 6 added mnemonics to some labels ("&Look in:",
    "Files of &type:" in the file dialog, "Page &order:" in the print dialog) but the catalog still has them
    without, so those showed in English: such a text is looked up without its "&" and given "(&L)" back.
    A few texts the catalog lacks or words oddly are in FIXES."""

    FIXES = {
        ("QFileSystemModel", "Size"): "大小",  # the catalog says 体积 (volume)
        ("QFileDialog", "Directory:"): "文件夹：",  # 目录 is a programmer's word; Windows says 文件夹
        ("QFileDialog", "Directories"): "文件夹",
        ("QAbstractFileIconProvider", "Folder"): "文件夹",
        ("QAbstractFileIconProvider", "Drive"): "驱动器",
        ("QAbstractFileIconProvider", "File"): "文件",
        ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
        ("QAbstractFileIconProvider", "Unknown"): "未知",
    }

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.catalog = QTranslator(self)
        self.loaded = self.catalog.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None, not "", when there is nothing: Qt takes "" as the translation and would show an empty text.
        fixed = self.FIXES.get((context, source))
        if fixed is not None:
            return fixed
        found = self.catalog.translate(context, source, disambiguation, n)
        if found:
            return found
        at = source.find("&")
        if at < 0 or at + 1 >= len(source) or source[at + 1] == "&":
            return None
        plain = self.catalog.translate(context, source.replace("&", "", 1), disambiguation, n)
        if not plain or "&" in plain:
            return None
        body = plain.rstrip("：:…")
        return f"{body}(&{source[at + 1].upper()}){plain[len(body):]}"  # 查找范围(&L)：, as the catalog writes them

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.loaded


FONT_POINT_SIZE = 10.5

STYLE = """
QListWidget#nav { background: #2c3e50; color: #ecf0f1; border: none; outline: 0; font-size: 11.5pt; padding-top: 8px; }
QListWidget#nav::item { padding: 9px 14px; }
QListWidget#nav::item:selected { background: #1abc9c; color: white; border: none; }
QLabel#heading { font-size: 13pt; font-weight: bold; color: #2c3e50; padding: 6px 0 2px 0; }
QLabel#note { color: #566573; }
QFrame#card { background: #f4f6f7; border: 1px solid #d5dbdb; border-radius: 6px; }
QLabel#cardTitle { color: #566573; }
QLabel#cardValue { font-size: 16pt; font-weight: bold; color: #1a5276; }
QLabel#alertWarning { color: #a04000; }
QLabel#alertInfo { color: #566573; }
"""


def _add_font(path) -> list[str]:
    """Register a bundled font file with Qt; its family names ([] when the file is missing or unreadable)."""
    if not path.is_file():
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def install_cjk_font(app: QApplication) -> str | None:
    """Register the bundled CJK fonts and make them the fallbacks of the app font, so Chinese text never
    shows as empty boxes (UOS/Kylin minimal installs and offscreen test runs have no CJK font): Droid Sans
    Fallback for common characters, then HanaMinB for the rare name characters of CJK Extensions B–F
    (𠮷), which few systems have. They are also substitutes of the app's own family, so a widget whose
    style sheet names only that family falls back to them too.
    Returns the family name of the CJK font, or None when its file is missing and the system has a CJK font."""
    system_has_cjk = bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    families = _add_font(CJK_FONT)
    rare = _add_font(RARE_FONT)
    if not families and not system_has_cjk:
        print(f"警告：找不到中文字体 {CJK_FONT}，界面中的汉字可能显示为方框。", file=sys.stderr)
    if not rare:
        print(f"警告：找不到生僻字字体 {RARE_FONT}，姓名中的生僻字（如“𠮷”）可能显示为方框。", file=sys.stderr)
    fallbacks = [*families, *rare]
    if not fallbacks:
        return None
    font = QFont(app.font())
    base = font.families() or [font.family()]
    font.setFamilies([*base, *[f for f in fallbacks if f not in base]])
    for family in base:
        QFont.insertSubstitutions(family, [f for f in fallbacks if f != family])
    font.setPointSizeF(FONT_POINT_SIZE)
    app.setFont(font)
    return families[0] if families else None


def app_icon() -> QIcon:
    """The application icon from its bundled PNG sizes (title bars, the taskbar, Alt+Tab); a null icon when
    none of the files is there, so a damaged install starts without an icon rather than not at all."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_png(size)
        if path.is_file():
            icon.addFile(str(path))
    return icon


NO_SCREEN = ("找不到图形桌面（DISPLAY 与 WAYLAND_DISPLAY 都没有设置），程序窗口无法显示。请在 UOS、麒麟的桌面上双击"
             "“社区慈善台账”打开，或在桌面里的终端运行；远程登录请用 ssh -X。命令行功能（例如 notice export、verify）"
             "不需要桌面，可以照常使用。")


def screen_missing(environ=os.environ, platform: str = sys.platform) -> bool:
    """A Linux start with no desktop to show a window on: Qt would abort in English (exit code 134)."""
    return platform.startswith("linux") and not any(
        environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"))


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Chinese texts for Qt's own buttons, the CJK font and the app style."""
    app = QApplication.instance()
    if app is None:
        if screen_missing():
            raise UserError(NO_SCREEN)
        # before the QApplication: Qt picks its input method once, at start-up (fcitx → ibus on UOS/Kylin)
        apply_input_method_fallback(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts")
        app = QApplication(argv if argv is not None else sys.argv[:1])
    if getattr(app, "_charity_ready", False):
        return app
    app.setApplicationName("社区慈善台账")
    app.setOrganizationName("charity-ledger")
    app.setStyle("Fusion")
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QtChinese(app)
    if translator.loaded:
        app.installTranslator(translator)
        app._charity_translator = translator  # the Python object must live as long as Qt calls it
    else:  # a bundle that lost Qt's translations (installer/charity-ledger.spec keeps only the Chinese ones)
        print("警告：找不到 Qt 的中文翻译 qtbase_zh_CN.qm，打开文件、打印等对话框里的按钮会显示英文。"
              "请重新安装程序。", file=sys.stderr)
    install_cjk_font(app)
    app.setStyleSheet(STYLE)
    app._charity_gc = MainThreadGarbageCollector(app)
    app._charity_ready = True
    return app


