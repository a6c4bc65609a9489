"""The photo gallery: a lazy model over thousands of photos, thumbnails loaded off the GUI thread (missing
ones rebuilt, unreadable ones shown as such), the gallery view and the activity editor's photo strip."""

import gc
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import QApplication

from desktop_app.core.models import Activity, new_id
from desktop_app.core.services import projects
from desktop_app.core.storage import db, photo_files
from desktop_app.gui import photo_gallery
from desktop_app.gui.application import make_application
from desktop_app.gui.photo_gallery import PAGE_SIZE, PHOTO_ROLE, THUMB_STATE_ROLE, PhotoGalleryModel
from desktop_app.gui.photo_strip import PhotoStrip
from desktop_app.gui.photo_views import PhotoGalleryView
from desktop_app.gui.thumbnails import FAILED, IMAGE_BOX, LOADING, READY

COLOURS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#f39c12"]


def sha_of(tag: str) -> str:
    return hashlib.sha256(tag.encode()).hexdigest()


def write_jpeg(path, size=(256, 192), colour="#2980b9"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG", quality=80)


class Album:
    """A project with one activity and photos written straight into the tables."""

    def __init__(self, ws):
        self.ws = ws
        self.office_id = ws.local_office().id
        self.project = projects.add_project(ws, projects.ProjectInput(
            name="四川省慈善事业高质量发展试点工作", start_date=date(2024, 2, 1), end_date=date(2025, 2, 28),
            budget=Decimal(900000)))
        self.activity = self.add_activity("八台慈善音乐会", date(2024, 12, 27))

    def add_activity(self, title, day):
        activity = Activity(office_id=self.office_id, project_id=self.project.id, activity_type="慈善活动/募捐活动",
                            title=title, start_date=day, end_date=day)
        with self.ws.transaction("test.setup") as s:
            s.add(activity)
        return activity

    def add_photos(self, count, *, activity=None, tag="p", thumbs=0, caption=lambda i: f"第{i}张 音乐会现场"):
        """`count` photos (position = their number); the first `thumbs` get a thumbnail file."""
        activity = activity or self.activity
        now = "2025-01-01T00:00:00.000000Z"
        attachments, rows = [], []
        for i in range(count):
            sha = sha_of(f"{tag}{i}")
            attachment_id, photo_id = new_id(), new_id()
            attachments.append((attachment_id, self.office_id, now, now, sha, f"IMG_{i}.jpg", 1000))
            rows.append((photo_id, self.office_id, now, now, attachment_id, sha, self.project.id, activity.id,
                         caption(i), i, int(i % 7 == 0), f"IMG_{i}.jpg"))
            if i < thumbs:
                write_jpeg(photo_files.thumb_path(self.ws.root, sha), colour=COLOURS[i % len(COLOURS)])
        conn = db.connect_raw(self.ws.db_path)
        try:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO attachment (id, office_id, created_at, updated_at, version, deleted, sha256, "
                             "original_name, size) VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?)", attachments)
            conn.executemany(
                "INSERT INTO photo (id, office_id, created_at, updated_at, version, deleted, attachment_id, sha256, "
                "project_id, activity_id, space_id, caption, position, in_notice, width, height, taken_at, "
                "original_name) VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?, ?, NULL, ?, ?, ?, 256, 192, '', ?)", rows)
            conn.execute("COMMIT")
        finally:
            conn.close()
        return [(r[0], r[5]) for r in rows]  # (photo id, sha)


@pytest.fixture
def album(qapp, workspace):
    make_application()  # the CJK font, and garbage collection kept on the GUI thread
    yield Album(workspace)
    gc.collect()


@pytest.fixture
def models(album):
    made: list[PhotoGalleryModel] = []

    def make(**kwargs) -> PhotoGalleryModel:
        model = PhotoGalleryModel(album.ws, **kwargs)
        made.append(model)
        return model

    yield make
    for model in made:
        model.close()


def shown(qtbot, view, model, size=(820, 600)):
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def wait_thumbnails(qtbot, view, model, state=READY):
    def all_there():
        rows = view.visible_rows()
        return len(rows) > 0 and all(model.index(r).data(THUMB_STATE_ROLE) == state for r in rows)

    qtbot.waitUntil(all_there, timeout=10000)


# ---------------------------------------------------------------- the model


def test_counts_without_reading_every_row_and_reads_windows_when_asked(qtbot, album, models):
    album.add_photos(5000)
    model = models()
    model.set_scope(project_id=album.project.id)
    assert model.rowCount() == 5000
    assert list(model._pages) == [0]  # one count and the first window, nothing more
    assert model.index(4999).data() == "…"  # not read yet: asked of the reader thread
    qtbot.waitUntil(lambda: model.index(4999).data() == "第4999张 音乐会现场")
    assert sorted(model._pages) == [0, 4999 // PAGE_SIZE]
    assert model.tile(2345).sha256 == sha_of("p2345")  # windows follow the order of position
    assert len(model._pages) == 3
    ids = {model.tile(r).id for r in range(0, 5000, 97)}
    assert len(ids) == len(range(0, 5000, 97))


def test_roles_caption_tooltip_and_photo(album, models):
    album.add_photos(3, caption=lambda i: "" if i == 1 else f"第{i}张")
    model = models(background=False)
    model.set_scope(activity_id=album.activity.id)
    assert [model.index(r).data() for r in range(3)] == ["第0张", "八台慈善音乐会", "第2张"]
    tip = model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "第0张" in tip and "八台慈善音乐会" in tip and "2024-12-27" in tip and "用于公示" in tip
    photo_id, sha = model.index(2).data(PHOTO_ROLE)
    assert sha == sha_of("p2") and model.tile(2).id == photo_id
    assert model.photo_ids()[2] == photo_id


def test_scopes(album, models):
    album.add_photos(4)
    other = album.add_activity("儿童关爱活动", date(2024, 6, 1))
    album.add_photos(2, activity=other, tag="o")
    model = models()
    assert model.rowCount() == 0
    model.set_scope(project_id=album.project.id)
    assert model.rowCount() == 6
    model.set_scope(activity_id=other.id)
    assert model.rowCount() == 2 and model.index(0).data() == "第0张 音乐会现场"
    assert "儿童关爱活动" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    model.reconnect()
    assert model.rowCount() == 2
    model.set_scope()
    assert model.rowCount() == 0
    with pytest.raises(ValueError):
        model.set_scope(project_id=album.project.id, activity_id=other.id)


# ---------------------------------------------------------------- thumbnails


def test_thumbnails_arrive_through_the_loader(qtbot, album, models):
    album.add_photos(300, thumbs=300)
    model = models()
    model.set_scope(project_id=album.project.id)
    view = shown(qtbot, PhotoGalleryView(), model)
    first = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(first, QPixmap)  # a placeholder until the worker has read it
    wait_thumbnails(qtbot, view, model)
    picture = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert picture.width() == IMAGE_BOX.width() and picture.height() == IMAGE_BOX.height()  # 256×192 fitted
    assert model.loader.cached >= len(view.visible_rows())
    assert view.visible_rows()[-1] < 60  # only what is on screen was read
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    wait_thumbnails(qtbot, view, model)
    assert 299 in view.visible_rows()


def test_missing_thumbnails_are_rebuilt_or_shown_as_unreadable(qtbot, album, models, monkeypatch):
    made = album.add_photos(4, thumbs=0)
    rebuilt, lost, damaged, refused = (sha for _id, sha in made)
    write_jpeg(album.ws.attachment_path(rebuilt), size=(1200, 900), colour="#27ae60")  # the original is there
    photo_files.thumb_path(album.ws.root, damaged).parent.mkdir(parents=True, exist_ok=True)
    photo_files.thumb_path(album.ws.root, damaged).write_bytes(b"\xff\xd8 not a picture")
    real = photo_files.ensure_derived

    def ensure_derived(root, sha, original):
        if sha == refused:
            raise OSError("磁盘已满")
        return real(root, sha, original)

    monkeypatch.setattr(photo_files, "ensure_derived", ensure_derived)
    model = models()
    model.set_scope(activity_id=album.activity.id)
    view = shown(qtbot, PhotoGalleryView(), model)
    qtbot.waitUntil(lambda: all(model.index(r).data(THUMB_STATE_ROLE) != LOADING for r in range(4)), timeout=10000)
    assert [model.index(r).data(THUMB_STATE_ROLE) for r in range(4)] == [READY, FAILED, FAILED, FAILED]
    assert photo_files.thumb_path(album.ws.root, rebuilt).is_file()
    failed = model.index(1).data(Qt.ItemDataRole.DecorationRole)
    assert failed.cacheKey() == model.loader.placeholder(True).cacheKey()
    view.grab()  # painting failed tiles is fine
    assert view.isVisible()


# ---------------------------------------------------------------- the views


def test_gallery_double_click_activates_a_photo(qtbot, album, models):
    made = album.add_photos(10, thumbs=10)
    model = models()
    model.set_scope(project_id=album.project.id)
    view = shown(qtbot, PhotoGalleryView(), model)
    center = view.visualRect(model.index(3)).center()
    with qtbot.waitSignal(view.photo_activated) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)  # QTest's double click
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)  # lacks the first press
    assert signal.args == [made[3][0]]
    view.setCurrentIndex(model.index(5))
    with qtbot.waitSignal(view.photo_activated) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [made[5][0]]
    view.selectAll()
    assert view.selected_ids() == [photo_id for photo_id, _sha in made]


def drop(strip, mime, pos):
    """A drag from outside entering the strip and dropped at `pos` (Qt delivers a drop only to the widget
    that accepted the drag's entry). Returns the drop event, or the refused entry event."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, modifiers)
    QApplication.sendEvent(strip.viewport(), enter)
    if not enter.isAccepted():
        return enter
    QApplication.sendEvent(strip.viewport(), QDragMoveEvent(pos, actions, mime, buttons, modifiers))
    event = QDropEvent(QPointF(pos), actions, mime, buttons, modifiers)
    QApplication.sendEvent(strip.viewport(), event)
    return event


@pytest.fixture
def strip(qtbot, album, models):
    made = album.add_photos(4, thumbs=4)
    model = models()
    model.set_scope(activity_id=album.activity.id)
    view = shown(qtbot, PhotoStrip(), model, size=(900, 200))
    view.made = [photo_id for photo_id, _sha in made]
    return view


def test_strip_files_dropped_from_the_file_manager(qtbot, strip, tmp_path):
    folder = tmp_path / "活动照片"
    folder.mkdir()
    picture = tmp_path / "合影.jpg"
    write_jpeg(picture)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(picture)), QUrl.fromLocalFile(str(folder))])
    with qtbot.waitSignal(strip.files_dropped) as signal:
        event = drop(strip, mime, QPoint(20, 20))
    assert signal.args == [[picture, folder]]
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    web = QMimeData()
    web.setUrls([QUrl("https://example.com/a.jpg")])
    with qtbot.assertNotEmitted(strip.files_dropped):
        assert not drop(strip, web, QPoint(20, 20)).isAccepted()


def test_strip_internal_drag_emits_the_new_order(qtbot, strip):
    model = strip.model()
    p0, p1, p2, p3 = strip.made
    right_of_2 = strip.visualRect(model.index(2)).center() + QPoint(10, 0)
    with qtbot.waitSignal(strip.reordered) as signal:
        drop(strip, model.mimeData([model.index(0)]), right_of_2)
    assert signal.args == [[p1, p2, p0, p3]]
    left_of_0 = strip.visualRect(model.index(0)).center() - QPoint(10, 0)
    with qtbot.waitSignal(strip.reordered) as signal:
        drop(strip, model.mimeData([model.index(3)]), left_of_0)
    assert signal.args == [[p3, p0, p1, p2]]
    with qtbot.assertNotEmitted(strip.reordered):  # dropped where it already is
        drop(strip, model.mimeData([model.index(1)]), strip.visualRect(model.index(1)).center())
    stranger = QMimeData()
    stranger.setData(photo_gallery.PHOTO_IDS_MIME, b'["not-a-photo-of-this-activity"]')
    with qtbot.assertNotEmitted(strip.reordered):
        assert not drop(strip, stranger, left_of_0).isAccepted()


def test_strip_delete_key_asks_to_remove_the_current_photo(qtbot, strip):
    strip.setCurrentIndex(strip.model().index(1))
    strip.setFocus()
    with qtbot.waitSignal(strip.remove_requested) as signal:
        qtbot.keyClick(strip, Qt.Key.Key_Delete)
    assert signal.args == [strip.made[1]]
