"""Every file dialog: native where the platform has one (Windows, macOS, a Linux desktop whose theme
provides it), else Qt's own in Chinese; each starts in the folder last used for its kind of file
(凭证、照片、导出、备份、工作区), else in 文档 — never in the program's folder.

`prompts` re-exports the public functions (callers and tests use `prompts.open_files` …); `run_dialog` is
the one place a file dialog is shown, which the GUI tests patch.
"""

from pathlib import Path

from PySide6.QtCore import (
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtWidgets import QDialog, QFileDialog, QFileSystemModel, QSplitter, QWidget

from desktop_app.gui import screen_fit

# Kinds of file, each with its own remembered folder.
VOUCHERS, PHOTOS, EXPORTS, BACKUPS, WORKSPACES = "vouchers", "photos", "exports", "backups", "workspaces"
SURVEYS = "surveys"
SYNC = "sync"  # 同步包, 回执, 单位公钥文件: usually a USB stick or a shared folder

VOUCHER_FILTER = "凭证文件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff);;所有文件 (*)"
PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff *.JPG *.JPEG *.PNG);;所有文件 (*)"
EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf *.PDF)"
SURVEY_FILTER = "问卷星、腾讯问卷导出的答卷 (*.xlsx *.xls *.csv *.XLSX *.XLS *.CSV);;所有文件 (*)"
BACKUP_FILTER = "台账备份文件 (*.zip *.db *.ZIP *.DB);;所有文件 (*)"
SYNC_FILTER = "同步包、回执、单位公钥文件 (*.zip *.ZIP);;所有文件 (*)"


def documents_dir() -> Path:
    """The user's 文档 folder (falls back to the home folder)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def _key(kind: str) -> str:
    return f"folders/{kind}"


def last_folder(kind: str) -> Path:
    """The folder last used for `kind` while it still exists (a USB stick may be gone), else 文档."""
    value = screen_fit.settings().value(_key(kind), "")
    folder = Path(value) if isinstance(value, str) and value else None
    return folder if folder is not None and folder.is_dir() else documents_dir()


def remember(kind: str, folder: Path) -> None:
    store = screen_fit.settings()
    store.setValue(_key(kind), str(folder))
    store.sync()


def size_text(size: int) -> str:
    """“4.9 KB”, as the Windows Explorer says it (Qt writes “4.88 KiB”, which puzzles users)."""
    if size < 1024:
        return f"{size} 字节"
    amount = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        amount /= 1024
        if amount < 1024 or unit == "TB":
            break
    return f"{QLocale().toString(amount, 'f', 1)} {unit}"


class ChineseColumns(QIdentityProxyModel):
    """The size and date columns of Qt's own dialog in Chinese: QFileSystemModel formats them with the
    system locale (“4.88 KiB”, English dates on a C or en_US system), not the app's zh_CN locale."""

    SIZE, DATE = 1, 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        source = self.sourceModel()
        if role == Qt.ItemDataRole.DisplayRole and isinstance(source, QFileSystemModel) and \
                index.column() in (self.SIZE, self.DATE):
            item = self.mapToSource(index)
            if index.column() == self.SIZE:
                return "" if source.isDir(item) else size_text(source.size(item))
            return QLocale().toString(source.lastModified(item), "yyyy/M/d HH:mm")
        return super().data(index, role)


def _places() -> list[QUrl]:
    """The side bar of Qt's own dialog: 文档, 桌面, the home folder and the computer (drives, USB sticks)."""
    kinds = (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.DesktopLocation,
             QStandardPaths.StandardLocation.HomeLocation)
    folders = dict.fromkeys(QStandardPaths.writableLocation(k) for k in kinds)
    return [QUrl.fromLocalFile(f) for f in folders if f and Path(f).is_dir()] + [QUrl("file:")]


def file_dialog(parent: QWidget | None, title: str, kind: str, mode: QFileDialog.FileMode, filters: str = "", *,
                start: Path | None = None, name: str = "", save: bool = False, native: bool = True) -> QFileDialog:
    """A file dialog, not shown: in `start` (else the folder last used for `kind`, else 文档), `name`
    suggested, saving when `save`. `native` False forces Qt's own dialog (the tests look into it)."""
    dialog = QFileDialog(parent, title)
    if not native:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if filters:
        dialog.setNameFilters(filters.split(";;"))
    dialog.setDirectory(str(start if start is not None and start.is_dir() else last_folder(kind)))
    if name:
        dialog.selectFile(name)
    # Only Qt's own dialog has these (a native one ignores them): room for the columns and the side bar.
    dialog.setSidebarUrls(_places())
    dialog.setProxyModel(ChineseColumns(dialog))
    screen_fit.fit_window(dialog, 820, 520)
    split = dialog.findChild(QSplitter)
    if split is not None:
        split.setSizes([170, 650])
    dialog.setProperty("kind", kind)
    return dialog


def run_dialog(dialog: QFileDialog) -> list[Path]:
    """Show `dialog` and wait: the paths chosen, [] when cancelled (the GUI tests patch this)."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return [Path(n) for n in dialog.selectedFiles() if n.strip()]


def _ask(dialog: QFileDialog) -> list[Path]:
    """Run `dialog`; remember the folder of what was chosen (a folder chosen: itself) for its kind."""
    chosen = run_dialog(dialog)
    if chosen:
        folder = chosen[0] if dialog.fileMode() == QFileDialog.FileMode.Directory else chosen[0].parent
        remember(str(dialog.property("kind")), folder)
    dialog.deleteLater()
    return chosen


def _one(paths: list[Path]) -> Path | None:
    return paths[0] if paths else None


def open_files(parent: QWidget | None, title: str = "选择附件") -> list[Path]:
    """Voucher files to attach (several at once), or [] when cancelled."""
    return _ask(file_dialog(parent, title, VOUCHERS, QFileDialog.FileMode.ExistingFiles, VOUCHER_FILTER))


def open_photos(parent: QWidget | None, title: str = "选择照片") -> list[Path]:
    """Photo files to add (several at once), or [] when cancelled."""
    return _ask(file_dialog(parent, title, PHOTOS, QFileDialog.FileMode.ExistingFiles, PHOTO_FILTER))


def choose_folder(parent: QWidget | None, title: str = "选择照片所在的文件夹", kind: str = PHOTOS) -> Path | None:
    """A folder (by default of photos, all of which are added), or None when cancelled."""
    return _one(_ask(file_dialog(parent, title, kind, QFileDialog.FileMode.Directory)))


def with_suffix(name: str, suffix: str = ".xlsx") -> Path:
    """The path the user typed, with `suffix` appended when they left it out."""
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def _save_file(parent: QWidget | None, title: str, file_name: str, folder: Path | None, kinds: str,
               suffix: str) -> Path | None:
    """Where to save a file of `kinds` (suggesting `file_name` in `folder`, else the last export folder, else
    文档; `suffix` added when the user leaves it out), or None when cancelled."""
    dialog = file_dialog(parent, title, EXPORTS, QFileDialog.FileMode.AnyFile, kinds, start=folder, name=file_name,
                         save=True)
    chosen = _one(_ask(dialog))
    return with_suffix(str(chosen), suffix) if chosen is not None else None


def save_excel(parent: QWidget | None, title: str, file_name: str, folder: Path | None = None) -> Path | None:
    """Where to save an Excel file (suggesting `file_name`), or None when cancelled."""
    return _save_file(parent, title, file_name, folder, EXCEL_FILTER, ".xlsx")


def save_pdf(parent: QWidget | None, title: str, file_name: str, folder: Path | None = None) -> Path | None:
    """Where to save a PDF (suggesting `file_name`), or None when cancelled."""
    return _save_file(parent, title, file_name, folder, PDF_FILTER, ".pdf")


def open_survey_file(parent: QWidget | None, title: str = "选择问卷星或腾讯问卷导出的答卷数据") -> Path | None:
    """A 问卷星 / 腾讯问卷 export to import (.xlsx, .xls, .csv), or None when cancelled."""
    return _one(_ask(file_dialog(parent, title, SURVEYS, QFileDialog.FileMode.ExistingFile, SURVEY_FILTER)))


def open_pdf(parent: QWidget | None, title: str = "选择公示 PDF 文件") -> Path | None:
    """A notice PDF to check (looked for where the exports go), or None when cancelled."""
    return _one(_ask(file_dialog(parent, title, EXPORTS, QFileDialog.FileMode.ExistingFile,
                                 PDF_FILTER + ";;所有文件 (*)")))


def choose_backup_folder(parent: QWidget | None) -> Path | None:
    """The folder (a USB stick) to write a one-file backup to, or None when cancelled."""
    return choose_folder(parent, "选择备份保存到哪里（例如 U 盘）", BACKUPS)


def open_backup_file(parent: QWidget | None, folder: Path | None = None) -> Path | None:
    """A backup to restore: a one-file backup (.zip) or a database backup (.db), or None when cancelled."""
    return _one(_ask(file_dialog(parent, "选择要恢复的备份文件", BACKUPS, QFileDialog.FileMode.ExistingFile,
                                 BACKUP_FILTER, start=folder)))


def choose_sync_folder(parent: QWidget | None, title: str = "选择同步包保存到哪里（例如 U 盘）") -> Path | None:
    """A folder (a USB stick, a shared folder) to write a package, a receipt or a key file to, or to import
    every package in; None when cancelled."""
    return choose_folder(parent, title, SYNC)


def open_sync_files(parent: QWidget | None, title: str = "选择同步包") -> list[Path]:
    """Sync files (同步包, 回执, 单位公钥文件: .zip) to read, several at once; [] when cancelled."""
    return _ask(file_dialog(parent, title, SYNC, QFileDialog.FileMode.ExistingFiles, SYNC_FILTER))


def open_sync_file(parent: QWidget | None, title: str) -> Path | None:
    """One sync file (a receipt, a package or key file to enrol from), or None when cancelled."""
    return _one(_ask(file_dialog(parent, title, SYNC, QFileDialog.FileMode.ExistingFile, SYNC_FILTER)))
