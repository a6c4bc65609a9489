"""File dialogs: Qt's own dialog (what a Linux desktop without a native one shows) is wholly Chinese, and
every dialog starts in 文档, then in the folder last used for the same kind of file."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QFileDialog, QLabel, QTreeView

from desktop_app.gui import file_dialogs, screen_fit
from desktop_app.gui.application import make_application

ENGLISH = ("Look in", "Files of type", "File name", "KiB", "MiB", "Size", "Folder", "Open", "Cancel", "Choose",
           "Date Modified", "Computer")


@pytest.fixture
def home(monkeypatch, tmp_path) -> Path:
    """A home folder with 文档 (Documents) in it, and settings that remember nothing yet."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))  # no user-dirs.dirs: 文档 is ~/Documents
    (tmp_path / "Documents").mkdir()
    path = str(tmp_path / "settings.ini")
    QSettings(path, QSettings.Format.IniFormat).clear()
    monkeypatch.setattr(screen_fit, "settings", lambda: QSettings(path, QSettings.Format.IniFormat))
    make_application()  # the Chinese texts for Qt's own widgets
    return tmp_path


def texts_of(dialog: QFileDialog) -> list[str]:
    """Every text the dialog shows: labels, buttons and their tips, lists to pick from."""
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    texts += [t for b in dialog.findChildren(QAbstractButton) for t in (b.text(), b.toolTip())]
    texts += [c.itemText(i) for c in dialog.findChildren(QComboBox) for i in range(c.count())]
    return texts


def test_qt_dialog_is_in_chinese_with_sizes_in_kb(qtbot, home):
    folder = home / "Documents" / "凭证"
    folder.mkdir()
    (folder / "发票.pdf").write_bytes(b"%PDF-" + b"0" * 5000)  # 4.9 KB
    dialog = file_dialogs.file_dialog(None, "选择附件", file_dialogs.VOUCHERS, QFileDialog.FileMode.ExistingFiles,
                                      file_dialogs.VOUCHER_FILTER, start=folder, native=False)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView)
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 1)
    row = [model.index(0, c, view.rootIndex()).data() for c in range(model.columnCount(view.rootIndex()))]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(row))]
    assert headers == ["名称", "大小", "类型", "修改日期"]
    assert row[:2] == ["发票.pdf", "4.9 KB"] and re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d\d:\d\d", row[3])
    texts = texts_of(dialog)
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts and "文件名称(&N)：" in texts
    shown = [*texts, *headers, *[str(x) for x in row]]
    assert not [t for t in shown if any(word in t for word in ENGLISH)]


def test_folder_picker_is_in_chinese(qtbot, home):
    dialog = file_dialogs.file_dialog(None, "选择照片所在的文件夹", file_dialogs.PHOTOS, QFileDialog.FileMode.Directory,
                                      native=False)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = texts_of(dialog)
    assert "选择(&C)" in texts and "文件夹：" in texts
    assert not [t for t in texts if any(word in t for word in ENGLISH)]


def test_sizes_read_as_in_the_explorer():
    assert [file_dialogs.size_text(n) for n in (0, 900, 5000, 1_500_000, 3 * 1024 ** 3)] == \
        ["0 字节", "900 字节", "4.9 KB", "1.4 MB", "3.0 GB"]


def test_dialogs_start_in_documents_then_where_that_kind_was_last_chosen(home, monkeypatch):
    documents, stick = home / "Documents", home / "U盘"
    (stick / "照片").mkdir(parents=True)
    started: list[Path] = []
    answers: list[list[Path]] = [[stick / "照片" / "活动.jpg"], [], [], [stick], [], []]
    monkeypatch.setattr(file_dialogs, "run_dialog",
                        lambda d: started.append(Path(d.directory().absolutePath())) or answers.pop(0))
    assert file_dialogs.open_photos(None) == [stick / "照片" / "活动.jpg"]
    assert file_dialogs.open_photos(None) == []  # the photos' folder, remembered
    assert file_dialogs.open_files(None) == []  # vouchers: another kind, 文档 still
    assert file_dialogs.choose_backup_folder(None) == stick
    assert file_dialogs.open_backup_file(None) is None  # in the backup folder itself
    (stick / "照片").rmdir()  # the USB stick is gone: 文档 again
    assert file_dialogs.choose_folder(None) is None
    assert started == [documents, stick / "照片", documents, documents, stick, documents]
    assert Path.cwd() not in started  # never the program's folder


def test_a_save_dialog_suggests_the_name_in_the_last_export_folder(home, monkeypatch):
    out = home / "导出"
    out.mkdir()
    asked: list[str] = []
    answers = [[out / "台账"], []]
    monkeypatch.setattr(file_dialogs, "run_dialog", lambda d: asked.append(d.selectedFiles()[0]) or answers.pop(0))
    assert file_dialogs.save_excel(None, "导出收支台账", "收支台账.xlsx") == out / "台账.xlsx"
    assert file_dialogs.save_pdf(None, "导出公示", "公示.pdf") is None
    assert asked == [str(home / "Documents" / "收支台账.xlsx"), str(out / "公示.pdf")]
