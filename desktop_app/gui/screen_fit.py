"""Windows that fit the screen: every window and dialog is sized to what the screen has room for (the
taskbar excluded), long forms scroll while their buttons stay in view, and a window comes back where
the user left it on that screen.

`available_area(widget)` is the one place the GUI asks the screen for its room; tests monkeypatch it to
play a 1366×728 laptop or a 1920×1080 screen at 150 %. Only QtCore/QtWidgets classes are used, so the
start-up window can use it before the core loads.
"""

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QWidget

from desktop_app.core.storage.paths import portable_dir

# The title bar and borders the window system adds around a window (Windows 10/11 at 100 %; at 150 % the
# logical size is the same). Before a window is shown Qt does not know them, so they are reserved here.
FRAME = QMargins(8, 32, 8, 8)
MAIN_SIZE = QSize(1280, 800)  # the main window's size on a screen with room for it


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (else the primary screen) that windows may cover, in logical pixels."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 690)


def settings() -> QSettings:
    """Where window places and recent workspaces are kept (tests and the screenshot tool point this at a scratch
    file): the user's Qt settings, or a portable copy's settings.ini beside the program, so a USB stick
    carries them and leaves nothing on the office PC."""
    portable = portable_dir()
    if portable is not None:
        return QSettings(str(portable / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings()


def room(widget: QWidget) -> QRect:
    """The largest client rectangle a window may have on the widget's screen: its frame included, it fits."""
    return available_area(widget).marginsRemoved(FRAME)


def _screen_key(widget: QWidget, area: QRect) -> str:
    screen = widget.screen()
    name = (screen.name() if screen is not None else "") or "screen"
    name = name.replace("/", "_").replace("\\", "_")
    return f"{name}-{area.width()}x{area.height()}"


def _centred(size: QSize, over: QRect, limits: QRect) -> QPoint:
    """The top-left corner of a window of client `size` centred over `over` and kept inside `limits`."""
    x = over.center().x() - size.width() // 2
    y = over.center().y() - size.height() // 2
    x = max(limits.left(), min(x, limits.right() + 1 - size.width()))
    y = max(limits.top(), min(y, limits.bottom() + 1 - size.height()))
    return QPoint(x, y)


def fit_window(window: QWidget, width: int = 0, height: int = 0, *, key: str | None = None,
               keep: bool = True) -> bool:
    """Size `window` to min(its preferred size, the room on its screen) and centre it (over its parent
    window, else on the screen). `width`/`height` 0 mean the layout's own size hint. With a `key`, the
    place the user left the window on this screen is restored when it still fits, and (`keep`) the place
    is remembered when the window is hidden. Returns True when the window should open maximised."""
    limits = room(window)
    restored = restore_place(window, key) if key else None
    if key and keep:
        PlaceKeeper.install(window, key)
    if restored is not None:
        return restored
    hint = window.sizeHint()
    wanted = QSize(width or hint.width(), height or hint.height())
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    size = wanted.expandedTo(minimum).boundedTo(limits.size())
    if not height and window.hasHeightForWidth():
        # Wrapped text: the size hint's height is for the hint's width; at this width it may need more lines.
        size.setHeight(min(max(size.height(), window.heightForWidth(size.width())), limits.height()))
    parent = window.parentWidget()
    over = parent.window().geometry() if parent is not None and parent.window().isVisible() else limits
    window.setGeometry(QRect(_centred(size, over, limits), size))  # the client area: the frame goes around it
    return False


def fit_main_window(window: QWidget, *, keep: bool = True) -> bool:
    """The main window: 1280×800 where there is room for it, else the whole room and opened maximised (so
    its status bar is on screen) — unless the user left it elsewhere on this screen, where it goes back.
    Returns True when the window should be shown maximised."""
    restored = restore_place(window, "main")
    if keep:
        PlaceKeeper.install(window, "main")
    if restored is not None:
        return restored
    fit_window(window, MAIN_SIZE.width(), MAIN_SIZE.height())
    limits = room(window)
    return limits.width() < MAIN_SIZE.width() or limits.height() < MAIN_SIZE.height()


def grow_within(window: QWidget, height: int) -> None:
    """Grow a window to `height` (a message appeared) without growing past the room on its screen."""
    limits = room(window)
    height = min(height, limits.height())
    if height <= window.height():
        return
    place = QRect(window.geometry().topLeft(), QSize(window.width(), height))
    if window.isVisible() and place.bottom() > limits.bottom():
        place.moveTop(max(limits.top(), limits.bottom() + 1 - height))
    if window.isVisible():
        window.setGeometry(place)
    else:
        window.resize(place.size())


def restore_place(window: QWidget, key: str) -> bool | None:
    """Put `window` where it was last left on this screen, when that still fits: True/False = whether it was
    maximised; None when nothing fitting was kept."""
    area = available_area(window)
    store = settings()
    base = f"windows/{key}/{_screen_key(window, area)}"
    rect = store.value(f"{base}/geometry")
    if not isinstance(rect, QRect) or rect.isEmpty():
        return None
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    if not area.contains(rect.marginsAdded(FRAME)) or rect.width() < minimum.width() or rect.height() < minimum.height():
        return None
    window.setGeometry(rect)
    return str(store.value(f"{base}/maximised", "false")).lower() == "true"


def save_place(window: QWidget, key: str) -> None:
    """Remember where `window` is on its screen (its normal place when maximised)."""
    area = available_area(window)
    store = settings()
    base = f"windows/{key}/{_screen_key(window, area)}"
    maximised = window.isMaximized()
    rect = window.normalGeometry() if maximised else window.geometry()
    if rect.isEmpty():
        return
    store.setValue(f"{base}/geometry", rect)
    store.setValue(f"{base}/maximised", "true" if maximised else "false")
    store.sync()


class PlaceKeeper(QObject):
    """Saves a window's place each time it is hidden (closed, accepted or rejected)."""

    def __init__(self, window: QWidget, key: str):
        super().__init__(window)
        self.key = key

    @classmethod
    def install(cls, window: QWidget, key: str) -> None:
        if window.findChild(PlaceKeeper) is None:
            window.installEventFilter(cls(window, key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) and watched.isWindow():
            save_place(watched, self.key)
        return False


class FormScroll(QScrollArea):
    """A scroll area for a long form that asks for the whole form's size (so a dialog on a big screen shows
    it all) but makes do with little (so a dialog on a small screen scrolls it, its buttons left in view)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        inner = self.widget().sizeHint() if self.widget() is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), inner.height() + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        inner = self.widget().minimumSizeHint() if self.widget() is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(inner.height(), 160))


def scrolled(content: QWidget | QLayout, *, margins: int | None = 0) -> FormScroll:
    """`content` (a widget, or a layout put in one) in a frameless vertical scroll area."""
    from PySide6.QtCore import Qt

    if isinstance(content, QLayout):
        holder = QWidget()
        holder.setLayout(content)
        if margins is not None:
            content.setContentsMargins(margins, margins, margins, margins)
        content = holder
    scroll = FormScroll()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


def scrolling_layout(dialog: QWidget, body: QWidget | QLayout, *below: QWidget | QLayout) -> None:
    """Lay `dialog` out as `body` in a scroll area and, under it and always in view, `below` (the message
    and the button row)."""
    from PySide6.QtWidgets import QVBoxLayout

    layout = QVBoxLayout(dialog)
    layout.addWidget(scrolled(body), 1)
    for item in below:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)


class FirstPartFirst(QObject):
    """Gives the first part of a vertical splitter its whole height (as far as the second part's minimum
    leaves room) the first time the splitter is laid out; after that the user's dragging counts."""

    def __init__(self, split):
        super().__init__(split)
        self.split = split
        split.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and self.split.height() > 0 and self.split.count() == 2:
            first, second = self.split.widget(0), self.split.widget(1)
            total = self.split.height() - self.split.handleWidth()
            top = min(first.sizeHint().height(), max(total - second.minimumSizeHint().height(), 0))
            self.split.setSizes([top, total - top])
            self.split.removeEventFilter(self)
        return False
