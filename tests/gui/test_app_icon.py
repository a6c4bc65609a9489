"""The application icon: the running app shows it in every size it is drawn at, and a missing icon file
does not stop the app from starting."""

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop_app.gui import application
from desktop_app.gui.application import app_icon, make_application


def test_the_app_has_its_window_icon_in_the_small_and_large_sizes(qapp):
    make_application()
    icon = QApplication.windowIcon()
    assert not icon.isNull()
    sizes = icon.availableSizes()
    assert QSize(16, 16) in sizes
    assert QSize(256, 256) in sizes


def test_missing_icon_files_give_no_icon_instead_of_an_error(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(application, "icon_png", lambda size: tmp_path / f"missing-{size}.png")
    assert app_icon().isNull()
