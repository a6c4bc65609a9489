"""Photos of an activity or a charity space: adding a batch, captions, order, removal. The gallery's reads
are core/queries/photos.py; the image work itself (checking, orientation, display copy, thumbnail) is
core/storage/photo_files.py.

Adding is done in two steps. The slow part — hashing, decoding, writing the display copy and thumbnail —
runs file by file outside any transaction, reporting progress (and can be cancelled: nothing is written
to the database then; derived files left behind are caches, harmless). Then one transaction copies the
originals into the attachment store and writes every Photo row, or none.

Duplicates (see `PhotoImport`): the same picture (same SHA-256, whatever the file is called) is attached
to one activity or space only once — a second copy is skipped and reported. The same picture may belong
to several activities or spaces (a group photo of a joint event, a space photo reused in an activity):
it is added, and the import says where else it already is, so an accidental double entry is visible.

Order. `position` is one sequence per project (per space for a space outside any project): every new
photo goes after all the project's photo_files. The project gallery therefore reads in the order photos were
added, straight from the index ix_photo_gallery (project_id, deleted, position, created_at) — no sort
of 50,000 rows per page. An activity's or space's own list orders by the same column, so reordering
within it (`reorder_photos`) just shares out that list's position values again, and the project gallery
follows the new order too.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Activity, CharitySpace, Photo
from desktop_app.core.queries.photos import owner_photos
from desktop_app.core.storage import photo_files
from desktop_app.core.storage.files import sha256_of, where
from desktop_app.core.storage.records import live
from desktop_app.core.validation import check_text

CAPTION_MAX = 200
Progress = Callable[[int, int], None]


@dataclass
class PhotoImport:
    """What `add_photos` did, file by file (names are the files' own names)."""

    added: list[Photo] = field(default_factory=list)
    # (file name, where the picture already is): not added again
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # (file name, why it cannot be used and what to do): not added
    refused: list[tuple[str, str]] = field(default_factory=list)
    # (file name, the other activities/spaces that have the same picture): added all the same
    also_elsewhere: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a status bar or the CLI, e.g. "已添加 3 张照片；1 张重复，未再添加；1 张无法添加。"."""
        parts = [f"已添加 {len(self.added)} 张照片"]
        if self.also_elsewhere:
            parts.append(f"其中 {len(self.also_elsewhere)} 张也用在其他活动或阵地")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} 张重复，未再添加")
        if self.refused:
            parts.append(f"{len(self.refused)} 张无法添加（原因见下）")
        return "；".join(parts) + "。"


@dataclass
class _Prepared:
    path: Path
    sha256: str
    info: photo_files.ImageInfo


# ------------------------------------------------------------------ adding


def add_photos(ws, files: Iterable[Path | str], *, activity_id: str | None = None, space_id: str | None = None,
               captions: dict[str, str] | None = None, strict: bool = False,
               progress: Progress | None = None) -> PhotoImport:
    """Attach photos to one activity or one charity space (exactly one of the two).

    A folder among `files` stands for the photos directly inside it (a whole folder added or dropped).
    `captions` maps a file's name (or its full path) to its caption; others get "". With `strict` (the
    CLI), the first file that cannot be used raises UserError and nothing is added. `progress(done,
    total)` is called once per file and may raise Cancelled: nothing is written then.
    """
    if (activity_id is None) == (space_id is None):
        raise UserError("请选择照片所属的活动或慈善阵地（只选其中一个）。")
    paths = _expand_folders([Path(f) for f in files])
    if not paths:
        raise UserError(f"没有选择照片。请选择要添加的照片文件（{photo_files.SUPPORTED_TEXT}）。")
    wanted_captions = _check_captions(captions or {})
    with ws.reading() as s:
        _owner(ws, s, activity_id, space_id)  # fail now, not after minutes of decoding
        owned = _owned_shas(s, activity_id, space_id)
    result = PhotoImport()
    prepared: list[_Prepared] = []
    first_name: dict[str, str] = {}
    total = len(paths)
    if progress:
        progress(0, total)
    for done, path in enumerate(paths, 1):
        try:
            sha = _file_sha256(path)
            if sha in owned:
                result.duplicates.append((path.name, _already_here(activity_id, owned[sha])))
            elif sha in first_name:
                result.duplicates.append((path.name, f"与本次选择的“{first_name[sha]}”是同一张照片，只添加一次"))
            else:
                prepared.append(_Prepared(path, sha, _prepare(ws, path, sha)))
                first_name[sha] = path.name
        except UserError as exc:
            if strict:
                raise
            result.refused.append((path.name, exc.message))
        if progress:
            progress(done, total)  # may raise Cancelled: nothing has been written to the database
    if not prepared:
        return result
    with ws.transaction("photo.add") as s:
        owner = _owner(ws, s, activity_id, space_id)
        owned = _owned_shas(s, activity_id, space_id)  # again: another window may have added meanwhile
        elsewhere = _elsewhere(s, [p.sha256 for p in prepared], activity_id, space_id)
        position = _next_position(s, owner.project_id, space_id)
        for item in prepared:
            name = item.path.name
            if item.sha256 in owned:
                result.duplicates.append((name, _already_here(activity_id, owned[item.sha256])))
                continue
            try:
                attachment = ws.store_attachment(s, item.path)
            except UserError as exc:  # the file went away since it was checked
                if strict:
                    raise
                result.refused.append((name, exc.message))
                continue
            except OSError as exc:
                raise UserError(f"无法把照片“{name}”复制到工作区的附件文件夹：{photo_files.os_error_reason(exc)}。本次没有添加任何照片；"
                                "请检查磁盘空间和写入权限后重试。") from exc
            if attachment.sha256 != item.sha256:
                raise UserError(f"照片“{name}”在添加过程中被改动了（可能正被其他程序编辑或仍在复制）。"
                                "本次没有添加任何照片；请等文件保存完毕后重新添加。")
            photo = Photo(attachment_id=attachment.id, sha256=item.sha256, project_id=owner.project_id,
                          activity_id=activity_id, space_id=space_id, position=position,
                          caption=wanted_captions.get(str(item.path), wanted_captions.get(name, "")),
                          width=item.info.width, height=item.info.height, taken_at=item.info.taken_at,
                          original_name=name)
            s.add(photo)
            position += 1
            result.added.append(photo)
            if item.sha256 in elsewhere:
                result.also_elsewhere.append((name, elsewhere[item.sha256]))
    return result


def _expand_folders(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = photo_files.images_in_folder(path)
        if not found and len(paths) == 1:
            raise UserError(f"文件夹“{path.name}”里没有照片（支持 {photo_files.SUPPORTED_TEXT}；子文件夹里的照片不会一起添加）。"
                            "请选择存放照片的文件夹。")
        files += found
    return files


def _prepare(ws, path: Path, sha: str) -> photo_files.ImageInfo:
    """Check and derive one photo. A picture already in the workspace (used by another activity) with its
    derived files in place is not decoded again: its stored size and date are reused."""
    if (photo_files.display_path(ws.root, sha).is_file() and photo_files.thumb_path(ws.root, sha).is_file()
            and ws.attachment_path(sha).is_file()):
        with ws.reading() as s:
            known = s.exec(select(Photo).where(Photo.sha256 == sha, Photo.deleted == False)).first()  # noqa: E712
        if known is not None and known.width and known.height:
            return photo_files.ImageInfo(known.width, known.height, "", known.taken_at)
    return photo_files.check_and_derive(path, ws.root, sha)


def _check_captions(captions: dict[str, str]) -> dict[str, str]:
    checked = {}
    for key, caption in captions.items():
        checked[str(key)] = check_text(f"照片“{Path(str(key)).name}”的说明", caption, CAPTION_MAX)
    return checked


def _file_sha256(path: Path) -> str:
    try:
        return sha256_of(path)
    except IsADirectoryError:
        raise UserError(f"“{path.name}”是一个文件夹，不是照片。请选择文件夹里的照片，或用“添加整个文件夹”。") from None
    except FileNotFoundError:
        raise UserError(f"找不到照片“{path.name}”。请检查文件是否还在、路径是否写对。", technical=where(path)) from None
    except OSError as exc:
        if path.is_dir():
            raise UserError(f"“{path.name}”是一个文件夹，不是照片。请选择文件夹里的照片，或用“添加整个文件夹”。") from None
        raise UserError(f"无法读取“{path.name}”：{photo_files.os_error_reason(exc)}。请确认文件没有被其他程序占用并且有读取权限，然后重试。") from exc


def _owner(ws, s: Session, activity_id: str | None, space_id: str | None) -> Activity | CharitySpace:
    if activity_id is not None:
        owner = live(s, Activity, activity_id, "活动", "activity list")
    else:
        owner = live(s, CharitySpace, space_id, "慈善阵地", "space list")
    ws.refuse_foreign(s, owner)  # now, not after minutes of decoding (the journal would refuse at the end)
    return owner


def _owned_shas(s: Session, activity_id: str | None, space_id: str | None) -> dict[str, str]:
    """sha256 → original file name of the live photos of the activity or space."""
    query = select(Photo.sha256, Photo.original_name).where(Photo.deleted == False)  # noqa: E712
    query = query.where(Photo.activity_id == activity_id) if activity_id else query.where(Photo.space_id == space_id)
    return {sha: name for sha, name in s.exec(query)}


def _already_here(activity_id: str | None, stored_name: str) -> str:
    where = "已在本活动中" if activity_id else "已在本阵地中"
    return f"{where}（添加时的文件名“{stored_name}”），未重复添加" if stored_name else f"{where}，未重复添加"


def _elsewhere(s: Session, shas: list[str], activity_id: str | None, space_id: str | None) -> dict[str, str]:
    """sha256 → "也在活动“…”（日期）中" for the pictures that other live activities or spaces already have."""
    places: dict[str, list[str]] = {}
    for start in range(0, len(shas), 500):
        rows = s.exec(select(Photo.sha256, Photo.activity_id, Photo.space_id, Activity.title, Activity.start_date,
                             CharitySpace.name)
                      .outerjoin(Activity, Activity.id == Photo.activity_id)
                      .outerjoin(CharitySpace, CharitySpace.id == Photo.space_id)
                      .where(Photo.sha256.in_(shas[start:start + 500]), Photo.deleted == False)  # noqa: E712
                      .order_by(Photo.created_at))
        for sha, other_activity, other_space, title, start_date, space_name in rows:
            if (activity_id and other_activity == activity_id) or (space_id and other_space == space_id):
                continue
            if title is not None:
                place = f"活动“{title}”（{start_date}）"
            elif space_name is not None:
                place = f"慈善阵地“{space_name}”"
            else:
                continue
            if place not in places.setdefault(sha, []):
                places[sha].append(place)
    return {sha: "也在" + "、".join(found[:3]) + (f"等 {len(found)} 处" if len(found) > 3 else "") + "中"
            for sha, found in places.items()}


def _next_position(s: Session, project_id: str | None, space_id: str | None) -> int:
    """After every photo of the project (or of the space, outside any project), tombstones included, so a
    position is never handed out twice."""
    if project_id is not None:
        highest = s.exec(select(func.max(Photo.position)).where(Photo.project_id == project_id)).one()
    else:
        highest = s.exec(select(func.max(Photo.position))
                         .where(Photo.project_id.is_(None), Photo.space_id == space_id)).one()
    return 0 if highest is None else highest + 1


# ------------------------------------------------------------------ editing


def update_photo(ws, photo_id: str, *, caption: str | None = None, in_notice: bool | None = None) -> Photo:
    """Change a photo's caption and/or whether it is used in notices (用于公示)."""
    with ws.transaction("photo.update") as s:
        photo = live(s, Photo, photo_id, "照片", "photo list")
        if caption is not None:
            value = check_text("照片说明", caption, CAPTION_MAX)
            if value != photo.caption:
                photo.caption = value
        if in_notice is not None and bool(in_notice) != photo.in_notice:
            photo.in_notice = bool(in_notice)
    return photo


def remove_photo(ws, photo_id: str) -> None:
    """Tombstone a photo. Its original stays in the attachment store: other photos (or a restore) may
    use the same file, and the store is content-addressed."""
    _set_deleted(ws, photo_id, True, "photo.remove")


def restore_photo(ws, photo_id: str) -> None:
    """Undo of `remove_photo` (it returns to its old place in the order)."""
    _set_deleted(ws, photo_id, False, "photo.restore")


def _set_deleted(ws, photo_id: str, deleted: bool, op: str) -> None:
    with ws.transaction(op) as s:
        photo = s.get(Photo, photo_id)
        if photo is None:
            raise UserError("找不到这张照片，它可能已被删除。请刷新照片列表后重试。")
        if photo.deleted != deleted:
            photo.deleted = deleted


def reorder_photos(ws, photo_ids: list[str]) -> None:
    """Put all the photos of one activity (or one space) in the given order."""
    with ws.transaction("photo.reorder") as s:
        _reorder(ws, s, photo_ids)


def move_photo(ws, photo_id: str, new_index: int) -> None:
    """Move a photo to place `new_index` (0 = first) of its activity's or space's list."""
    with ws.transaction("photo.move") as s:
        photo = live(s, Photo, photo_id, "照片", "photo list")
        siblings = owner_photos(s, activity_id=photo.activity_id, space_id=photo.space_id)
        order = [p.id for p in siblings if p.id != photo.id]
        order.insert(max(0, min(new_index, len(order))), photo.id)
        _reorder(ws, s, order)


def _reorder(ws, s: Session, photo_ids: list[str]) -> None:
    if not photo_ids:
        return
    first = live(s, Photo, photo_ids[0], "照片", "photo list")
    siblings = owner_photos(s, activity_id=first.activity_id, space_id=first.space_id)
    if sorted(photo_ids) != sorted(p.id for p in siblings):
        raise UserError("照片列表已经变化（可能刚添加或删除了照片）。请刷新照片列表后重新排序。")
    by_id = {p.id: p for p in siblings}
    # the list's own position values, shared out again in the new order (kept strictly increasing)
    values = sorted(p.position for p in siblings)
    for i in range(1, len(values)):
        values[i] = max(values[i], values[i - 1] + 1)
    for photo_id, value in zip(photo_ids, values, strict=True):
        if by_id[photo_id].position != value:
            by_id[photo_id].position = value
