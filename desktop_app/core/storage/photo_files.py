"""Photos of activities and charity spaces: checking an image file, applying its EXIF orientation and
deriving a display copy and a thumbnail from the original.

The original stays byte-for-byte in the content-addressed attachment store. The derived files live
under `derived/` in the workspace, named by the original's SHA-256; they are caches and can always be
rebuilt from the original (`ensure_derived`).

Memory. A photo is decoded once, already reduced: a baseline JPEG is decoded by libjpeg at 1/2, 1/4 or
1/8 scale (`Image.draft`, DCT scaling), so a 100-megapixel phone or camera JPEG costs ~40 MB, not
400 MB. Other formats (PNG, WebP, BMP, GIF, TIFF) and progressive JPEGs cannot be decoded at reduced
scale: they are refused above `FULL_DECODE_MAX_PIXELS`, with what to do instead. The display copy is
made from the reduced picture and the thumbnail from the display copy.

Pillow's own decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`) is left as it is, as a second line
of defence: above twice that limit Pillow refuses to open a file and we turn its error into a Chinese
message. Its warning between one and two times the limit is silenced only around our own `Image.open`
call, because by then our limits (below) have decided what gets decoded and at what scale. (Two threads
in `catch_warnings` at once may leave that one "ignore" filter in place: harmless, for the same reason.)

Core code: no Qt here. Safe to call from a worker thread (the gallery rebuilds missing thumbnails off
the GUI thread).
"""

import io
import os
import re
import stat
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

from desktop_app.core.errors import UserError
from desktop_app.core.storage.files import os_error_text, shown_name, where

DISPLAY_EDGE = 1600  # long edge of the display copy (notices, the editor's large view)
THUMB_EDGE = 256  # long edge of the thumbnail (galleries, photo strips)
DISPLAY_QUALITY = 82
THUMB_QUALITY = 80

# A picture that must be decoded at full size (anything but a baseline JPEG) is refused above 60 MP.
# Pillow keeps RGB(A) at 4 bytes a pixel, so 60 MP is ~240 MB while decoding (a progressive JPEG needs
# libjpeg's whole-image coefficient buffer: 3–6 bytes a pixel, the same order). That is as much as an
# office PC with 4 GB can spare beside the app, and far above what these files really are: phone and
# camera photos are JPEG (50 MP at most), screenshots and scans as PNG/TIFF are under 40 MP.
FULL_DECODE_MAX_PIXELS = 60_000_000
# A baseline JPEG is decoded at up to 1/8 scale. Our own ceiling matches Pillow's default hard limit
# (2 × MAX_IMAGE_PIXELS ≈ 179 MP), so it holds even if some other code raised or removed Pillow's.
JPEG_MAX_PIXELS = 180_000_000

SUPPORTED_TEXT = "JPEG、PNG、WebP、BMP、GIF、TIFF"
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "DIB", "GIF", "TIFF")  # the JPEG opener also returns MPO files
# Suffixes of the formats above (file dialogs, folder import).
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".bmp", ".dib", ".gif",
                            ".tif", ".tiff"})
# Photo formats we refuse with advice; a folder import lists them too so the user is told, not left
# wondering why the iPhone photos in the folder were skipped.
UNSUPPORTED_PHOTO_SUFFIXES = frozenset({".heic", ".heif", ".hif", ".avif", ".dng", ".cr2", ".cr3", ".nef",
                                        ".nrw", ".arw", ".orf", ".rw2", ".raf", ".pef", ".srw"})
_RAW_SUFFIXES = UNSUPPORTED_PHOTO_SUFFIXES - {".heic", ".heif", ".hif", ".avif"}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1",
                b"mif2", b"miaf"}
_AVIF_BRANDS = {b"avif", b"avis"}

# The EXIF orientations and how to undo them: the same table as ImageOps.exif_transpose, applied to
# the already reduced picture (exif_transpose on the full-size file would copy it at full size).
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270,
              7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}
_ORIENTATION, _EXIF_IFD, _DATETIME_ORIGINAL = 0x0112, 0x8769, 0x9003

_CONVERT_HINT = "请用画图、看图软件或手机相册把它另存为 JPEG 后再添加"


@dataclass(frozen=True)
class ImageInfo:
    width: int  # full size, after EXIF orientation
    height: int
    format: str  # JPEG, PNG, WEBP, BMP, GIF, TIFF
    taken_at: str = ""  # EXIF DateTimeOriginal as YYYY-MM-DDTHH:MM:SS, or ""


def display_path(root: Path, sha256: str) -> Path:
    return Path(root) / "derived" / "display" / sha256[:2] / f"{sha256}.jpg"


def thumb_path(root: Path, sha256: str) -> Path:
    return Path(root) / "derived" / "thumbs" / sha256[:2] / f"{sha256}.jpg"


# ---------------------------------------------------------------------------- public API


def check_image(path: Path | str) -> ImageInfo:
    """Check that `path` is a photo we can use: decode it completely (at reduced scale), so a damaged or
    truncated file is found now, not when a notice is printed. Raises UserError naming the file."""
    with _decoded(Path(path)) as (_picture, info):
        return info


def check_and_derive(source: Path | str, root: Path, sha256: str) -> ImageInfo:
    """`check_image` and `make_derived` with a single decode (what photo import uses)."""
    with _decoded(Path(source)) as (picture, info):
        _write_derived(picture, Path(root), sha256)
    return info


def make_derived(source: Path | str, root: Path, sha256: str) -> tuple[Path, Path]:
    """Write the display copy (long edge ≤ DISPLAY_EDGE) and the thumbnail (≤ THUMB_EDGE) of `source`,
    upright and in RGB, each atomically. Never upscales. Returns (display, thumb)."""
    check_and_derive(source, root, sha256)
    return display_path(root, sha256), thumb_path(root, sha256)


def ensure_derived(root: Path, sha256: str, original_path: Path | str) -> tuple[Path, Path]:
    """The derived files of a stored original, rebuilt if missing (or left empty by a power cut)."""
    display, thumb = display_path(root, sha256), thumb_path(root, sha256)
    if _usable(display) and _usable(thumb):
        return display, thumb
    original = Path(original_path)
    if not original.is_file():
        raise UserError(f"照片原图“{original.name}”在工作区的附件文件夹里找不到了，无法生成缩略图。"
                        "请从备份恢复工作区，或删除这张照片后重新添加。")
    return make_derived(original, root, sha256)


def images_in_folder(folder: Path | str) -> list[Path]:
    """The photos of a folder added at once: files with an image suffix (any case), not in subfolders,
    not hidden, in the order a file manager shows them (IMG_2 before IMG_10). HEIC and camera RAW files
    are included so that the import tells the user what to do with them."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"找不到文件夹“{shown_name(folder)}”。请重新选择存放照片的文件夹。", technical=where(folder))
    wanted = IMAGE_SUFFIXES | UNSUPPORTED_PHOTO_SUFFIXES
    try:
        found = [p for p in folder.iterdir()
                 if p.suffix.lower() in wanted and not _hidden(p) and p.is_file()]
    except OSError as exc:
        raise UserError(f"无法读取文件夹“{shown_name(folder)}”：{os_error_reason(exc)}。请确认有读取权限后重试。",
                        technical=where(folder)) from exc
    return sorted(found, key=_natural_key)


# ---------------------------------------------------------------------------- decoding


class _decoded:
    """Context manager: (upright RGB picture reduced to at most ~2×DISPLAY_EDGE, ImageInfo)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> tuple[Image.Image, ImageInfo]:
        self.picture, info = _decode(self.path)
        return self.picture, info

    def __exit__(self, *exc) -> None:
        self.picture.close()


def _decode(path: Path) -> tuple[Image.Image, ImageInfo]:
    name = path.name
    head = _read_head(path)
    _refuse_by_content(name, path.suffix.lower(), head)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our limits decide, below
            image = Image.open(path, formats=_OPEN_FORMATS)
    except Image.DecompressionBombError as exc:
        raise UserError(_too_big(name, _pixels_in(str(exc)), _format_by_magic(head))) from None
    except UnidentifiedImageError:
        raise UserError(_unidentified(path, head)) from None
    except OSError as exc:
        raise UserError(f"无法读取“{name}”：{os_error_reason(exc)}。请确认文件没有被其他程序占用并且有读取权限，然后重试。") from exc
    except (SyntaxError, ValueError, TypeError, EOFError, IndexError) as exc:  # a header Pillow chokes on
        raise UserError(_damaged(name, _format_by_magic(head))) from exc
    with image:
        return _decode_open(image, name)


def _decode_open(image: Image.Image, name: str) -> tuple[Image.Image, ImageInfo]:
    fmt = "JPEG" if image.format == "MPO" else (image.format or "")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise UserError(_damaged(name, fmt))
    progressive = fmt == "JPEG" and bool(image.info.get("progressive") or image.info.get("progression"))
    scalable = fmt == "JPEG" and not progressive
    if width * height > (JPEG_MAX_PIXELS if scalable else FULL_DECODE_MAX_PIXELS):
        raise UserError(_too_big(name, width * height, fmt, (width, height), progressive))
    orientation, taken_at = _exif_facts(image)
    try:
        if scalable and max(width, height) > DISPLAY_EDGE:
            image.draft("RGB", _fit((width, height), DISPLAY_EDGE))  # libjpeg decodes at 1/2, 1/4 or 1/8
        image.load()  # decodes everything: a truncated or damaged file fails here, not later
        picture = _reduce(image)
        picture = _to_rgb(picture, image.info.get("icc_profile"))
    except Image.DecompressionBombError:
        raise UserError(_too_big(name, width * height, fmt, (width, height))) from None
    except MemoryError:
        raise UserError(f"照片“{name}”（{width}×{height}）太大，电脑内存不够处理它。{_SHRINK_HINT}") from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError, ZeroDivisionError) as exc:
        if "truncated" in str(exc) or isinstance(exc, EOFError):
            raise UserError(f"照片“{name}”不完整（文件在中途被截断），可能没有复制或下载完。"
                            "请从手机或相机重新复制原图后再添加。") from None
        raise UserError(_damaged(name, fmt)) from None
    if orientation in _TRANSPOSE:
        picture = picture.transpose(_TRANSPOSE[orientation])
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return picture, ImageInfo(width, height, fmt, taken_at)


def _reduce(image: Image.Image) -> Image.Image:
    """A copy no larger than needed for the display copy (box-filter reduce: cheap, no big temporaries)."""
    picture: Image.Image = image
    if picture.mode in ("1", "P", "PA"):
        picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    factor = max(picture.size) // DISPLAY_EDGE
    if factor >= 2:
        try:
            picture = picture.reduce(factor)
        except ValueError:  # a mode `reduce` does not handle (16-bit and the like)
            picture = _to_rgb(picture, None).reduce(factor)
    return picture if picture is not image else image.copy()


def _to_rgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB, transparency flattened on white (JPEG has no alpha; notices print on white paper). A CMYK
    picture with a profile is converted through it; an RGB picture keeps its profile in
    `info["icc_profile"]`, applied after resizing (`_in_srgb`), where it costs a tenth as much."""
    if picture.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        picture = picture.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif picture.mode == "F":
        picture = picture.convert("L")
    if picture.mode == "CMYK" and icc_profile:
        converted = _in_srgb(picture, icc_profile)
        if converted is not picture:
            return converted
    if picture.has_transparency_data:
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        picture = flat
    rgb = picture if picture.mode == "RGB" else picture.convert("RGB")
    rgb.info = {"icc_profile": icc_profile} if icc_profile and picture.mode == "RGB" else {}
    return rgb


def _in_srgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """`picture` converted from its ICC profile to sRGB (phone photos in Display P3 would look dull with
    the profile dropped); unchanged when there is no profile or it is broken."""
    if not icc_profile:
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(picture, source, _srgb(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture


_SRGB: list = []


def _srgb():
    if not _SRGB:
        _SRGB.append(ImageCms.createProfile("sRGB"))
    return _SRGB[0]


def _exif_facts(image: Image.Image) -> tuple[int, str]:
    """(orientation, taken_at) from EXIF; a broken EXIF block is ignored, never a reason to refuse."""
    try:
        exif = image.getexif()
        orientation = exif.get(_ORIENTATION, 1)
        taken = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL, "")
    except Exception:  # noqa: BLE001 (EXIF parsing raises whatever a malformed tag makes it raise)
        return 1, ""
    return (orientation if isinstance(orientation, int) else 1), _parse_taken(taken)


def _parse_taken(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    text = str(value or "").strip().rstrip("\x00").strip()
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00", empty or garbage
        return ""


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """`size` scaled down so the long edge is `edge` (aspect kept, never up, at least 1×1)."""
    width, height = size
    long = max(width, height)
    if long <= edge:
        return width, height
    return max(1, round(width * edge / long)), max(1, round(height * edge / long))


# ---------------------------------------------------------------------------- writing


def _write_derived(picture: Image.Image, root: Path, sha256: str) -> None:
    display = picture
    if max(picture.size) > DISPLAY_EDGE:
        display = picture.resize(_fit(picture.size, DISPLAY_EDGE), Image.Resampling.LANCZOS)
    display = _in_srgb(display, picture.info.get("icc_profile"))
    # optimize (Huffman tables) saves ~3% for ~8 ms; progressive would save 2% more for ~20 ms a photo
    _save_atomically(display, display_path(root, sha256), quality=DISPLAY_QUALITY, optimize=True)
    thumb = display.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)  # never upscales
    _save_atomically(thumb, thumb_path(root, sha256), quality=THUMB_QUALITY)


def _save_atomically(picture: Image.Image, target: Path, **options) -> None:
    """Write next to `target` under a unique temporary name, then os.replace: a reader (the gallery's
    worker, another import of the same photo) never sees half a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=target.stem[:8] + ".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                picture.save(out, format="JPEG", **options)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(f"无法在工作区写入照片的预览图：{os_error_reason(exc)}。"
                        "请检查磁盘空间和写入权限后重试。", technical=where(target)) from exc


def _usable(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


# ---------------------------------------------------------------------------- recognising files


def _read_head(path: Path) -> bytes:
    name = path.name
    try:
        if path.is_dir():
            raise UserError(f"“{name}”是一个文件夹，不是照片。请选择文件夹里的照片，或用“添加整个文件夹”。")
        with open(path, "rb") as handle:
            head = handle.read(64)
    except FileNotFoundError:
        raise UserError(f"找不到照片“{path.name}”。请检查文件是否还在、路径是否写对。", technical=where(path)) from None
    except OSError as exc:
        raise UserError(f"无法读取“{name}”：{os_error_reason(exc)}。请确认文件没有被其他程序占用并且有读取权限，然后重试。") from exc
    if not head:
        raise UserError(f"“{name}”是空文件（0 字节），可能没有下载或复制完整。请从手机或相机重新复制这张照片。")
    return head


def _refuse_by_content(name: str, suffix: str, head: bytes) -> None:
    """Files we recognise and refuse with specific advice, whatever their suffix says."""
    if suffix in _RAW_SUFFIXES:
        raise UserError(f"照片“{name}”是相机 RAW 格式（{suffix[1:].upper()}），本程序不支持。"
                        f"请在相机或电脑的修图软件中导出为 JPEG 后再添加（支持 {SUPPORTED_TEXT}）。")
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(len(head), 32), 4)}
        if brands & _AVIF_BRANDS and head[8:12] in _AVIF_BRANDS | {b"mif1", b"miaf"}:
            raise UserError(f"照片“{name}”是 AVIF 格式，本程序不支持。{_CONVERT_HINT}（支持 {SUPPORTED_TEXT}）。")
        if brands & _HEIF_BRANDS:
            raise UserError(
                f"照片“{name}”是苹果手机常用的 HEIC（HEIF）格式，本程序不支持。请把它转成 JPEG 后再添加：可在手机相册中"
                "“导出为 JPEG”，或用微信把照片以“原图”发送到电脑后另存；以后拍照可在苹果手机“设置 → 相机 → 格式”"
                "中选“兼容性最佳”，照片就直接是 JPEG。")
        raise UserError(f"“{name}”是视频或其他媒体文件，不是照片。请选择照片文件（{SUPPORTED_TEXT}）；"
                        "需要时可从视频中截一张图保存为 JPEG。")
    if head.startswith(b"%PDF"):
        raise UserError(f"“{name}”是 PDF 文档，不是照片。请选择照片文件（{SUPPORTED_TEXT}）；"
                        "PDF 可作为附件添加到分录，或截图后保存为 JPEG 再添加。")


def _unidentified(path: Path, head: bytes) -> str:
    """Why Pillow could not open one of the formats we accept: damaged, another image format, or no image."""
    name = path.name
    fmt = _format_by_magic(head)
    if fmt:
        return _damaged(name, fmt)
    try:  # another image format Pillow knows: name it (opening reads the header only)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as other:
                fmt = other.format
    except Exception:  # noqa: BLE001 (any failure means: not an image we can name)
        fmt = None
    if fmt and Image.registered_extensions().get(path.suffix.lower()) == fmt:  # header and suffix agree
        return f"照片“{name}”是 {fmt} 格式，本程序不支持。{_CONVERT_HINT}（支持 {SUPPORTED_TEXT}）。"
    return (f"“{name}”不是图片文件，或者已损坏无法识别。请选择照片文件（{SUPPORTED_TEXT}）；"
            "如果它在看图软件里能打开，请另存为 JPEG 后再添加。")


def _format_by_magic(head: bytes) -> str:
    """Which of the formats we accept the first bytes announce ("" when none)."""
    for magic, fmt in ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"), (b"BM", "BMP"),
                       (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF")):
        if head.startswith(magic):
            return fmt
    return "WebP" if head.startswith(b"RIFF") and head[8:12] == b"WEBP" else ""


def _damaged(name: str, fmt: str) -> str:
    kind = f"{fmt} " if fmt else ""
    return (f"照片“{name}”已损坏，无法读出{kind}图像内容。请从手机或相机重新复制原图；"
            "如果它在看图软件里能正常打开，请另存为 JPEG 后再添加。")


_SHRINK_HINT = "请先用画图、美图秀秀等软件缩小（例如长边不超过 6000 像素）或另存为 JPEG，然后再添加。"


def _too_big(name: str, pixels: int | None, fmt: str, size: tuple[int, int] | None = None,
             progressive: bool = False) -> str:
    shown = f"{size[0]}×{size[1]}，" if size else ""
    amount = f"约 {_amount(pixels)}" if pixels else "像素过多"
    if fmt == "JPEG" and not progressive:
        limit, kind = JPEG_MAX_PIXELS, "对 JPEG 照片"
    else:
        limit = FULL_DECODE_MAX_PIXELS
        kind = "对渐进式 JPEG 照片" if progressive else (f"对 {fmt} 图片" if fmt else "对图片")
    return (f"照片“{name}”太大（{shown}{amount}），超过本程序{kind}的上限 {_amount(limit)}，"
            f"处理它可能耗尽电脑内存。{_SHRINK_HINT}")


def _amount(pixels: int) -> str:
    """60_000_000 → "6000 万像素", 100_000_000 → "1 亿像素"."""
    if pixels >= 100_000_000:
        return f"{pixels / 100_000_000:.1f}".removesuffix(".0") + " 亿像素"
    return f"{max(1, round(pixels / 10_000))} 万像素"


def _pixels_in(message: str) -> int | None:
    found = re.search(r"\((\d+) pixels\)", message)
    return int(found.group(1)) if found else None


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in words a user understands."""
    return os_error_text(exc)


def _hidden(path: Path) -> bool:
    if path.name.startswith("."):
        return True
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)  # Windows only
    except OSError:
        return True
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _natural_key(path: Path) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", path.name) if part]
