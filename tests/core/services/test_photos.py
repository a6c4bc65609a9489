"""Photos: checking image files, EXIF orientation, derived copies, duplicates, bad files refused with a
Chinese message and nothing written, cancel, captions, order, tombstones and the gallery queries."""

import json
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text
from sqlmodel import func, select

from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.models import Activity, Attachment, ChangeJournal, CharitySpace, Photo
from desktop_app.core.queries import photos as photo_queries
from desktop_app.core.services import photos as photo_service
from desktop_app.core.services.projects import ProjectInput, add_project
from desktop_app.core.storage import photo_files
from tests.core import photo_files as pf

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def project(workspace):
    return add_project(workspace, ProjectInput(name="八台镇慈善试点", start_date=date(2024, 1, 1),
                                               end_date=date(2025, 12, 31), budget=Decimal("100000")))


def make_activity(ws, project, title="八台慈善音乐会", day=date(2024, 9, 1)) -> Activity:
    with ws.transaction("test.setup") as s:
        activity = Activity(project_id=project.id, activity_type="慈善服务", title=title, start_date=day, end_date=day)
        s.add(activity)
    return activity


@pytest.fixture
def activity(workspace, project):
    return make_activity(workspace, project)


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    return folder


def counts(ws) -> tuple[int, int]:
    with ws.reading() as s:
        return (s.exec(select(func.count()).select_from(Photo)).one(),
                s.exec(select(func.count()).select_from(Attachment)).one())


def live_photos(ws, **owner) -> list[Photo]:
    with ws.reading() as s:
        return photo_queries.owner_photos(s, **owner)


# ---------------------------------------------------------------- orientation and derived copies


def test_exif_orientation_is_applied_to_the_copies_and_the_stored_size(workspace, activity, files):
    source = pf.jpeg(files / "IMG_0001.jpg", (400, 200), orientation=6, taken_at="2024:09:01 09:30:00")
    result = photo_service.add_photos(workspace, [source], activity_id=activity.id)
    photo = result.added[0]
    assert (photo.width, photo.height, photo.taken_at) == (200, 400, "2024-09-01T09:30:00")
    assert (photo.project_id, photo.original_name, photo.caption) == (activity.project_id, "IMG_0001.jpg", "")
    with Image.open(photo_files.display_path(workspace.root, photo.sha256)) as display:
        assert display.size == (200, 400)
        # rotated 90° clockwise: the red left half of the stored picture is now on top
        red_top, blue_bottom = display.getpixel((100, 40)), display.getpixel((100, 360))
        assert red_top[0] > 200 and red_top[2] < 60 and blue_bottom[2] > 200 and blue_bottom[0] < 60
    with Image.open(photo_files.thumb_path(workspace.root, photo.sha256)) as thumb:
        assert thumb.size == (128, 256)
    # the original is kept byte for byte
    assert workspace.attachment_path(photo.sha256).read_bytes() == source.read_bytes()


def test_display_copy_and_thumbnail_are_bounded_and_never_upscaled(tmp_path, files):
    big = pf.jpeg(files / "big.jpg", (3000, 2000))
    display, thumb = photo_files.make_derived(big, tmp_path, "a" * 64)
    with Image.open(display) as d, Image.open(thumb) as t:
        assert d.size == (1600, 1067) and d.format == "JPEG" and d.mode == "RGB"
        assert t.size == (256, 171)
    small = pf.png(files / "small.png", (300, 200), transparent=True)
    display, thumb = photo_files.make_derived(small, tmp_path, "b" * 64)
    with Image.open(display) as d, Image.open(thumb) as t:
        assert d.size == (300, 200) and d.mode == "RGB"
        assert d.getpixel((10, 100)) == (255, 255, 255)  # transparency flattened on white
        assert t.size == (256, 171)
    assert not list(tmp_path.rglob("*.tmp"))  # written atomically, no temporary left


def test_check_image_reports_size_format_and_date(files):
    info = photo_files.check_image(pf.jpeg(files / "a.jpg", (640, 480), taken_at="2024:05:01 08:00:00"))
    assert info == photo_files.ImageInfo(640, 480, "JPEG", "2024-05-01T08:00:00")
    assert photo_files.check_image(pf.jpeg(files / "b.jpg", taken_at="0000:00:00 00:00:00")).taken_at == ""
    assert photo_files.check_image(pf.png(files / "c.png")).format == "PNG"


def test_ensure_derived_rebuilds_a_missing_thumbnail(workspace, activity, files):
    photo = photo_service.add_photos(workspace, [pf.jpeg(files / "a.jpg")], activity_id=activity.id).added[0]
    thumb = photo_files.thumb_path(workspace.root, photo.sha256)
    thumb.unlink()
    display, rebuilt = photo_files.ensure_derived(workspace.root, photo.sha256, workspace.attachment_path(photo.sha256))
    assert rebuilt == thumb and thumb.stat().st_size > 0 and display.exists()
    with pytest.raises(UserError, match="找不到了"):
        photo_files.ensure_derived(workspace.root, "f" * 64, workspace.attachment_path("f" * 64))


# ---------------------------------------------------------------- duplicates


def test_the_same_picture_is_added_once_per_activity(workspace, activity, files):
    first = pf.jpeg(files / "a.jpg", seed=1)
    photo_service.add_photos(workspace, [first], activity_id=activity.id)
    renamed = files / "a的副本.jpg"
    shutil.copyfile(first, renamed)
    other = pf.jpeg(files / "c.jpg", seed=2)
    result = photo_service.add_photos(workspace, [first, renamed, other, other], activity_id=activity.id)
    assert [p.original_name for p in result.added] == ["c.jpg"]
    assert [name for name, _ in result.duplicates] == ["a.jpg", "a的副本.jpg", "c.jpg"]
    assert "已在本活动中" in result.duplicates[0][1] and "a.jpg" in result.duplicates[1][1]
    assert "与本次选择的“c.jpg”是同一张照片" in result.duplicates[2][1]
    assert counts(workspace) == (2, 2)
    assert "已添加 1 张照片" in result.summary() and "3 张重复" in result.summary()


def test_a_picture_used_by_another_activity_is_added_and_reported(workspace, project, activity, files):
    shared = pf.jpeg(files / "合影.jpg", seed=3)
    photo_service.add_photos(workspace, [shared], activity_id=activity.id)
    training = make_activity(workspace, project, "志愿者培训", date(2024, 10, 8))
    result = photo_service.add_photos(workspace, [shared], activity_id=training.id)
    assert len(result.added) == 1 and not result.duplicates
    assert result.also_elsewhere == [("合影.jpg", "也在活动“八台慈善音乐会”（2024-09-01）中")]
    assert counts(workspace) == (2, 1)  # one attachment, two photos
    assert result.added[0].width == 400  # taken over from the photo already stored


# ---------------------------------------------------------------- bad files


def make_bad(kind: str, folder: Path) -> Path:
    if kind == "text":
        path = folder / "说明.txt"
        path.write_text("这不是照片", encoding="utf-8")
    elif kind == "pdf":
        path = folder / "通知.jpg"
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n")
    elif kind == "truncated":
        path = pf.truncated_jpeg(folder / "传了一半.jpg")
    elif kind == "heic":
        path = pf.heic(folder / "IMG_2024.HEIC")
    elif kind == "heic-renamed":
        path = pf.heic(folder / "IMG_2025.jpg")
    elif kind == "empty":
        path = folder / "空.jpg"
        path.write_bytes(b"")
    elif kind == "huge-png":
        path = pf.big_png(folder / "海报.png")
    elif kind == "missing":
        path = folder / "不存在.jpg"
    elif kind == "folder":
        path = folder / "子文件夹"
        path.mkdir()
    elif kind == "unsupported":
        path = folder / "图标.ico"
        Image.new("RGB", (32, 32), "red").save(path)
    elif kind == "raw":
        path = folder / "DSC_0001.NEF"
        path.write_bytes(b"II*\x00" + b"\x00" * 100)
    return path


BAD = [
    ("text", ["不是图片文件"]),
    ("pdf", ["是 PDF 文档，不是照片"]),
    ("truncated", ["不完整", "重新复制原图"]),
    ("heic", ["HEIC", "兼容性最佳", "JPEG"]),
    ("heic-renamed", ["HEIC", "兼容性最佳"]),
    ("empty", ["空文件"]),
    ("huge-png", ["太大", "10000×10000", "1 亿像素", "6000 万像素", "缩小"]),
    ("missing", ["找不到照片"]),
    ("unsupported", ["ICO 格式，本程序不支持", "JPEG、PNG、WebP、BMP、GIF、TIFF"]),
    ("raw", ["RAW", "导出为 JPEG"]),
]


@pytest.mark.parametrize(("kind", "phrases"), BAD, ids=[k for k, _ in BAD])
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_written(workspace, activity, files, kind, phrases):
    good = pf.jpeg(files / "好照片.jpg")
    bad = make_bad(kind, files)
    with workspace.reading() as s:
        journal_before = s.exec(select(func.count()).select_from(ChangeJournal)).one()
    with pytest.raises(UserError) as caught:
        photo_service.add_photos(workspace, [good, bad], activity_id=activity.id, strict=True)
    message = caught.value.message
    assert bad.name in message
    for phrase in phrases:
        assert phrase in message
    assert counts(workspace) == (0, 0)
    with workspace.reading() as s:
        assert s.exec(select(func.count()).select_from(ChangeJournal)).one() == journal_before
    assert not (workspace.root / "attachments").exists() or not any((workspace.root / "attachments").rglob("*"))


def test_without_strict_the_good_files_are_added_and_the_bad_listed(workspace, activity, files):
    bad = [make_bad(kind, files) for kind, _ in BAD]
    good = [pf.jpeg(files / f"good{i}.jpg", seed=i) for i in range(2)]
    result = photo_service.add_photos(workspace, [good[0], *bad, good[1]], activity_id=activity.id)
    assert [p.original_name for p in result.added] == ["good0.jpg", "good1.jpg"]
    assert [name for name, _ in result.refused] == [p.name for p in bad]
    assert all(reason.startswith(("照片“", "“", "找不到")) for _, reason in result.refused)
    assert counts(workspace) == (2, 2)
    assert f"{len(bad)} 张无法添加" in result.summary()


def test_a_file_that_vanishes_before_it_is_stored_is_refused(workspace, activity, files, monkeypatch):
    sources = [pf.jpeg(files / f"{i}.jpg", seed=i) for i in range(3)]
    real = photo_files.check_and_derive

    def derive_then_vanish(source, root, sha):
        info = real(source, root, sha)
        if Path(source).name == "1.jpg":
            Path(source).unlink()  # e.g. the phone was unplugged
        return info

    monkeypatch.setattr(photo_files, "check_and_derive", derive_then_vanish)
    result = photo_service.add_photos(workspace, sources, activity_id=activity.id)
    assert [p.original_name for p in result.added] == ["0.jpg", "2.jpg"]
    assert result.refused == [("1.jpg", result.refused[0][1])] and "找不到" in result.refused[0][1]
    assert counts(workspace) == (2, 2)


def test_a_100_megapixel_jpeg_is_accepted_at_reduced_scale(workspace, activity, files):
    big = pf.big_jpeg(files / "一亿像素.jpg")
    photo = photo_service.add_photos(workspace, [big], activity_id=activity.id, strict=True).added[0]
    assert (photo.width, photo.height) == (10_000, 10_000)
    with Image.open(photo_files.display_path(workspace.root, photo.sha256)) as display:
        assert display.size == (1600, 1600)


@pytest.mark.skipif(sys.platform == "win32", reason="peak RSS is read with the resource module")
def test_a_100_megapixel_jpeg_needs_little_memory(tmp_path):
    """Decoding and deriving in a fresh interpreter: its peak RSS (VmHWM on Linux, which restarts at exec,
    unlike ru_maxrss, inherited from pytest) is the cost of this one picture plus the interpreter."""
    big = pf.big_jpeg(tmp_path / "big.jpg")
    script = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from desktop_app.core.storage import photo_files\n"
        "info = photo_files.check_and_derive(Path(sys.argv[1]), Path(sys.argv[2]), 'c' * 64)\n"
        "status = Path('/proc/self/status')\n"
        "hwm = [l for l in status.read_text().splitlines() if l.startswith('VmHWM:')] if status.exists() else []\n"
        "peak = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'width': info.width, 'peak_mb': peak / (1024 * 1024 if sys.platform == 'darwin' else 1024)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(big), str(tmp_path / "root")], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    measured = json.loads(done.stdout)
    assert measured["width"] == 10_000
    assert measured["peak_mb"] < 400  # a full-size decode alone would be 400 MB; measured ~70 MB


def test_our_pixel_limit_applies_to_progressive_jpegs(files, monkeypatch):
    monkeypatch.setattr(photo_files, "FULL_DECODE_MAX_PIXELS", 50_000)
    with pytest.raises(UserError, match="渐进式 JPEG"):
        photo_files.check_image(pf.jpeg(files / "p.jpg", (400, 200), progressive=True))
    assert photo_files.check_image(pf.jpeg(files / "b.jpg", (400, 200))).width == 400  # baseline: scaled decode


def test_pillows_decompression_bomb_error_becomes_a_message(files, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(UserError, match="太大.*缩小"):
        photo_files.check_image(pf.png(files / "a.png", (100, 100)))


# ---------------------------------------------------------------- cancel and owners


def test_cancel_during_import_writes_nothing(workspace, activity, files):
    sources = [pf.jpeg(files / f"{i}.jpg", seed=i) for i in range(4)]
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done == 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        photo_service.add_photos(workspace, sources, activity_id=activity.id, progress=progress)
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert counts(workspace) == (0, 0)


def test_exactly_one_owner_and_a_live_one(workspace, project, activity, files):
    source = pf.jpeg(files / "a.jpg")
    with pytest.raises(UserError, match="活动或慈善阵地"):
        photo_service.add_photos(workspace, [source])
    with pytest.raises(UserError, match="活动或慈善阵地"):
        photo_service.add_photos(workspace, [source], activity_id=activity.id, space_id="x")
    with pytest.raises(UserError, match="没有选择照片"):
        photo_service.add_photos(workspace, [], activity_id=activity.id)
    with workspace.transaction("test.setup") as s:
        s.get(Activity, activity.id).deleted = True
    with pytest.raises(UserError, match="找不到要修改的活动"):
        photo_service.add_photos(workspace, [source], activity_id=activity.id)
    assert counts(workspace) == (0, 0)


def test_space_photos_take_the_space_project(workspace, project, files):
    with workspace.transaction("test.setup") as s:
        space = CharitySpace(project_id=project.id, name="天池村慈善阵地")
        s.add(space)
    result = photo_service.add_photos(workspace, [pf.jpeg(files / "阵地.jpg")], space_id=space.id,
                                      captions={"阵地.jpg": "改造后的活动室"})
    photo = result.added[0]
    assert (photo.space_id, photo.activity_id, photo.project_id) == (space.id, None, project.id)
    assert photo.caption == "改造后的活动室"
    again = photo_service.add_photos(workspace, [files / "阵地.jpg"], space_id=space.id)
    assert "已在本阵地中" in again.duplicates[0][1]


# ---------------------------------------------------------------- editing


def test_captions_and_notice_flag(workspace, activity, files):
    source = pf.jpeg(files / "a.jpg")
    photo = photo_service.add_photos(workspace, [source], activity_id=activity.id,
                                     captions={str(source): "  开场合唱  "}).added[0]
    assert photo.caption == "开场合唱"
    updated = photo_service.update_photo(workspace, photo.id, caption="志愿者合影", in_notice=True)
    assert (updated.caption, updated.in_notice, updated.version) == ("志愿者合影", True, 2)
    with pytest.raises(UserError, match="照片说明太长"):
        photo_service.update_photo(workspace, photo.id, caption="长" * 201)
    with pytest.raises(UserError, match="说明太长"):
        photo_service.add_photos(workspace, [source], activity_id=activity.id, captions={"a.jpg": "长" * 201})


def test_remove_tombstones_and_keeps_the_original(workspace, activity, files):
    added = photo_service.add_photos(workspace, [pf.jpeg(files / f"{i}.jpg", seed=i) for i in range(3)],
                                     activity_id=activity.id).added
    photo_service.remove_photo(workspace, added[1].id)
    with workspace.reading() as s:
        assert s.get(Photo, added[1].id).deleted
        assert photo_queries.count_photos(s, activity_id=activity.id) == 2
    assert workspace.attachment_path(added[1].sha256).exists()
    assert counts(workspace) == (3, 3)  # rows are never deleted
    photo_service.restore_photo(workspace, added[1].id)
    assert [p.id for p in live_photos(workspace, activity_id=activity.id)] == [p.id for p in added]
    # removing a picture lets it be added again
    photo_service.remove_photo(workspace, added[0].id)
    again = photo_service.add_photos(workspace, [files / "0.jpg"], activity_id=activity.id)
    assert len(again.added) == 1


def test_reorder_and_move_within_an_activity(workspace, activity, files):
    added = photo_service.add_photos(workspace, [pf.jpeg(files / f"{i}.jpg", seed=i) for i in range(4)],
                                     activity_id=activity.id).added
    ids = [p.id for p in added]
    photo_service.reorder_photos(workspace, [ids[2], ids[0], ids[3], ids[1]])
    assert [p.id for p in live_photos(workspace, activity_id=activity.id)] == [ids[2], ids[0], ids[3], ids[1]]
    photo_service.move_photo(workspace, ids[1], 0)
    assert [p.id for p in live_photos(workspace, activity_id=activity.id)] == [ids[1], ids[2], ids[0], ids[3]]
    with pytest.raises(UserError, match="刷新照片列表"):
        photo_service.reorder_photos(workspace, ids[:3])


# ---------------------------------------------------------------- gallery queries


def test_count_and_page_for_project_activity_and_space(workspace, project, files):
    concert = make_activity(workspace, project, "八台慈善音乐会", date(2024, 9, 1))
    training = make_activity(workspace, project, "志愿者培训", date(2024, 10, 8))
    photo_service.add_photos(workspace, [pf.jpeg(files / f"c{i}.jpg", seed=i) for i in range(3)],
                             activity_id=concert.id)
    photo_service.add_photos(workspace, [pf.jpeg(files / f"t{i}.jpg", seed=10 + i) for i in range(2)],
                             activity_id=training.id, captions={"t0.jpg": "培训现场"})
    with workspace.reading() as s:
        assert photo_queries.count_photos(s, project_id=project.id) == 5
        assert photo_queries.count_photos(s, activity_id=training.id) == 2
        assert photo_queries.count_photos(s) == 5
        page = photo_queries.photo_page(s, project_id=project.id, offset=2, limit=2)
        assert [(r.original_name, r.activity_title, r.date) for r in page] == [
            ("c2.jpg", "八台慈善音乐会", "2024-09-01"), ("t0.jpg", "志愿者培训", "2024-10-08")]
        assert page[1].caption == "培训现场" and page[1].in_notice is False and page[1].width == 400
        rows = photo_queries.photo_page(s, activity_id=training.id, offset=0, limit=50)
        assert [r.original_name for r in rows] == ["t0.jpg", "t1.jpg"]
        assert len(photo_queries.photo_page(s, offset=0, limit=50)) == 5


@pytest.mark.parametrize("owner", ["project", "all"])
def test_a_gallery_page_is_read_from_the_index_without_sorting_the_photos(workspace, project, owner):
    """The page's rows are chosen from ix_photo_gallery in index order (no sort of a project's 50,000
    photos per page); only the page itself (≤ limit rows) is sorted after the joins."""
    sql, params = photo_queries.page_query(project.id if owner == "project" else None, None, None)
    with workspace.reading() as s:
        plan = s.connection().execute(text("EXPLAIN QUERY PLAN " + sql.text),
                                      params | {"limit": 200, "offset": 40000}).fetchall()
    materialize = next(row[0] for row in plan if row[-1].startswith("MATERIALIZE"))
    inner = [row[-1] for row in plan if row[1] == materialize]
    assert inner and all("COVERING INDEX ix_photo_gallery" in step for step in inner), plan
    assert not any("TEMP B-TREE" in step for step in inner), plan


# ---------------------------------------------------------------- folders


def test_images_in_folder(files):
    for name in ["IMG_10.JPG", "IMG_2.jpeg", "IMG_1.png", ".hidden.jpg", "notes.txt", "IMG_3.HEIC", "clip.mp4"]:
        (files / name).write_bytes(b"x")
    (files / "sub").mkdir()
    (files / "sub" / "IMG_0.jpg").write_bytes(b"x")
    assert [p.name for p in photo_files.images_in_folder(files)] == ["IMG_1.png", "IMG_2.jpeg", "IMG_3.HEIC", "IMG_10.JPG"]
    with pytest.raises(UserError, match="找不到文件夹"):
        photo_files.images_in_folder(files / "nope")


def test_a_whole_folder_is_added_and_an_empty_one_is_explained(workspace, activity, tmp_path):
    folder = tmp_path / "相册"
    folder.mkdir()
    pf.jpeg(folder / "IMG_2.jpg")
    pf.png(folder / "IMG_10.png")
    (folder / "说明.txt").write_text("不是照片", encoding="utf-8")
    result = photo_service.add_photos(workspace, [folder], activity_id=activity.id)
    assert [p.original_name for p in result.added] == ["IMG_2.jpg", "IMG_10.png"]
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    with pytest.raises(UserError, match="里没有照片"):
        photo_service.add_photos(workspace, [empty], activity_id=activity.id)
