"""A photo in the activity editor's strip opens full size with its caption on double-click; 上一张/下一张 walk
the activity's photos."""

from PySide6.QtCore import Qt

from desktop_app.gui.photo_viewer import PhotoViewer
from tests.gui.conftest import wait_idle
from tests.gui.test_activity_dialog import concert_dialog, jpeg, page, project  # noqa: F401 (fixtures)


def test_double_click_opens_the_photo_full_size_with_its_caption(qtbot, ctx, concert_dialog, tmp_path):  # noqa: F811
    dialog = concert_dialog
    files = [jpeg(tmp_path / f"音乐会{i}.jpg", (60 * i, 90, 90)) for i in (1, 2)]
    dialog.photos.import_photos(files)
    wait_idle(qtbot, ctx.runner)
    model, strip = dialog.photos.photo_model, dialog.photos.strip
    strip.setCurrentIndex(model.index(0))
    dialog.photos.caption.setText("八台慈善音乐会现场")
    qtbot.keyClick(dialog.photos.caption, Qt.Key.Key_Return)
    wait_idle(qtbot, ctx.runner)

    strip.scrollTo(model.index(0))
    center = strip.visualRect(model.index(0)).center()
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=center)  # QTest's double click
    qtbot.mouseDClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=center)  # lacks the first press
    viewer = dialog.photos.viewer
    assert isinstance(viewer, PhotoViewer) and viewer.isVisible()
    assert viewer.caption.text() == "八台慈善音乐会现场"
    assert viewer.position.text().startswith("第 1 / 2 张") and "音乐会1.jpg" in viewer.position.text()
    assert not viewer.image.isNull() and not viewer.picture.pixmap().isNull()
    assert not viewer.previous_button.isEnabled()

    viewer.next_button.click()
    assert viewer.position.text().startswith("第 2 / 2 张") and viewer.caption.text() == "（这张照片还没有说明）"
    assert not viewer.next_button.isEnabled() and not viewer.image.isNull()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.index == 0
    viewer.accept()
