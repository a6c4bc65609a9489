"""换电脑: a workspace made in a new (or empty) folder on another PC from a one-file backup (`*.zip`, see
`backup_file`). The backup is verified whole first (like a restore: a truncated, altered or foreign file changes
nothing), then its attachments and archived notices are put in place and its database staged and moved in, as a
new epoch ("restore") of the office's history. A failure leaves the folder as it was."""

import os
import shutil
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.storage import backup_file as backup_file_module
from desktop_app.core.storage.files import where
from desktop_app.core.storage.paths import DB_NAME
from desktop_app.core.storage.workspace import RESTORING, Workspace

IGNORABLE = frozenset({"desktop.ini", "Thumbs.db", ".DS_Store"})  # what Windows and macOS put in any folder


def is_empty_folder(folder: Path) -> bool:
    """No such folder yet, or one holding nothing but what the system puts everywhere."""
    return not folder.exists() or (folder.is_dir() and all(p.name in IGNORABLE for p in folder.iterdir()))


def create_from_backup(root: Path | str, backup_file: Path | str, progress=None) -> Path:
    """Make the workspace `root` from the one-file backup `backup_file`; returns the workspace folder (open it
    with `Workspace.open`). Raises a UserError saying what to do when the folder is not new or the file is not
    a whole backup."""
    path = Path(backup_file)
    if not backup_file_module.is_file_backup(path):
        raise UserError(f"“{path.name}”不是一个备份文件。换电脑时请选择用“备份到…”（或 backup create --out）做的"
                        f"“{backup_file_module.NAME_PREFIX}-….zip”文件。")
    ws = Workspace(Path(root).expanduser().resolve())
    if (ws.root / DB_NAME).exists():
        raise UserError(f"“{ws.name}”已经是一个工作区，这次什么都没有改动。要用备份替换它的数据，请打开这个工作区，"
                        "再用“文件 › 从备份文件恢复…”；要换电脑恢复，请选一个新的空文件夹。", technical=where(ws.root))
    if ws.root.exists() and not ws.root.is_dir():
        raise UserError(f"“{ws.name}”是一个文件，不是文件夹。请选一个新的空文件夹来放恢复出的工作区。",
                        technical=where(ws.root))
    if not is_empty_folder(ws.root):
        raise UserError(f"“{ws.name}”里已经有别的文件，恢复只能放进新的（或空的）文件夹，这次什么都没有改动。"
                        "请新建一个空文件夹（例如“慈善台账”）再选它。", technical=where(ws.root))
    before = {p.name for p in ws.root.iterdir()} if ws.root.is_dir() else None
    ws._check_folder(create=True)
    ws._acquire_lock()
    placed: list[Path] = []
    extracted = None
    try:
        manifest, extracted = backup_file_module.verify(path, ws.backups_dir, keep_database=True, progress=progress)
        backup_file_module.place_files(path, manifest, ws.root, placed)
        staging = ws._stage_restore(extracted, "", 0, restored_from=path.name)  # the source's last seq is unknown
        os.replace(staging, ws.db_path)
    except BaseException as exc:
        backup_file_module.remove_database(extracted)
        extracted = None
        backup_file_module.remove_database(ws.root / RESTORING)  # a staging file left half-made
        ws._release()
        _undo(ws.root, before)
        said = backup_file_module.restore_error(exc)
        if said is exc:
            raise
        raise said from exc
    finally:
        backup_file_module.remove_database(extracted)
        ws._release()
    return ws.root


def _undo(root: Path, before: set[str] | None) -> None:
    """After a failure: remove what was made (the folder itself, when it was made here)."""
    if before is None:
        shutil.rmtree(root, ignore_errors=True)
        return
    for child in root.iterdir() if root.is_dir() else []:
        if child.name in before:
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
