"""Photos on paper: checked before anything is written, reduced to print copies, drawn in their boxes.

A photo prints at most 76 mm wide (two to a row), so a display copy (1600 px, 150–250 KB) is reduced to
a 640 px print copy (~50 KB) on worker threads while the text is laid out — passing 40 display copies
through would make a 6–10 MB document; a JPEG already that small is embedded byte for byte. Either way
reportlab embeds the JPEG file as it is (DCTDecode, given a .jpg path); the writer switches off
reportlab's ASCII85 wrapping of binary streams (`rl_config.useA85 = 0`), which would add 25 %.
"""

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.platypus import Flowable

from desktop_app.core.documents.layout import (
    BODY_LEADING,
    CAPTION_LEADING,
    FRAME_W,
    PHOTO_BOX_RATIO,
    PHOTO_GAP,
)
from desktop_app.core.documents.model import PhotoGrid, Printable
from desktop_app.core.errors import UserError

# Photos print 76 mm wide at most: 640 px is 213 dpi there, more than an office laser printer shows.
# A display copy (1600 px, ~150–250 KB) is reduced to a print copy of ~50 KB, so a document with 40 photos
# stays under 2.5 MB; a JPEG no larger than PASS_THROUGH_EDGE is embedded byte for byte.
PRINT_EDGE = 640
PRINT_QUALITY = 78
PASS_THROUGH_EDGE = 760


@dataclass(frozen=True)
class PrintPhoto:
    """A photo as it is drawn: its own file, or a print copy being made."""

    source: Path
    label: str  # 照片“caption”, for messages
    size: tuple[int, int]  # pixels
    passes: bool  # a JPEG small enough to embed as it is
    embed: Path  # the file drawn: the source, or its print copy
    made: Future | None = None  # the print copy being made


def check_photos(doc: Printable) -> dict[Path, PrintPhoto]:
    """Every photo exists and can be read (nothing is written otherwise)."""
    found: dict[Path, PrintPhoto] = {}
    for block in doc.blocks:
        if not isinstance(block, PhotoGrid):
            continue
        for photo in block.photos:
            path = Path(photo.path)
            if path in found:
                continue
            label = f"照片“{photo.caption}”" if photo.caption else "一张照片"
            if not path.is_file():
                raise UserError(f"{label}的图片文件不见了，没有生成 PDF。请在活动里重新添加这张照片"
                                f"（或从{doc.noun}草稿中去掉它），然后重新导出。", technical=f"完整位置：{path}")
            try:
                with PILImage.open(path) as img:
                    size, fmt, mode = img.size, img.format, img.mode
            except (UnidentifiedImageError, OSError) as exc:
                raise _damaged_photo(label, path, exc) from exc
            passes = (fmt == "JPEG" and mode in ("RGB", "L") and max(size) <= PASS_THROUGH_EDGE
                      and path.suffix.lower() in (".jpg", ".jpeg"))
            found[path] = PrintPhoto(path, label, size, passes, path)
    return found


def _damaged_photo(label: str, path: Path, exc: Exception) -> UserError:
    return UserError(f"{label}的图片文件已损坏，无法读取，没有生成 PDF。请在活动里删除并重新添加这张照片，然后重新导出。",
                     technical=f"完整位置：{path}\n原因：{exc}")


def _print_copy(photo: PrintPhoto, target: Path, size: tuple[int, int]) -> None:
    """A JPEG of `size` (PRINT_EDGE on the long edge): 213 dpi at the printed width, a fraction of the
    display copy's bytes. A baseline JPEG is decoded at reduced scale (DCT scaling)."""
    try:
        with PILImage.open(photo.source) as img:
            img.draft("RGB", size)
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                picture = PILImage.new("RGB", rgba.size, "white")
                picture.paste(rgba, mask=rgba.getchannel("A"))
            else:
                picture = img.convert("RGB")
        if picture.size != size:
            picture = picture.resize(size, PILImage.Resampling.BICUBIC, reducing_gap=2.0)
        picture.save(target, "JPEG", quality=PRINT_QUALITY)
    except (UnidentifiedImageError, OSError) as exc:
        raise _damaged_photo(photo.label, photo.source, exc) from exc


def _fit(size: tuple[int, int], edge: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, edge / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _start_print_copies(photos: dict[Path, PrintPhoto], workdir: Path, pool: ThreadPoolExecutor):
    """Print copies are made on worker threads while the text is laid out (Pillow releases the GIL while
    decoding and encoding); a photo waits for its copy only when it is drawn."""
    out = {}
    for i, photo in enumerate(photos.values()):
        if photo.passes:
            out[photo.source] = photo
            continue
        target, size = workdir / f"{i}.jpg", _fit(photo.size, PRINT_EDGE)
        made = pool.submit(_print_copy, photo, target, size)
        out[photo.source] = PrintPhoto(photo.source, photo.label, size, False, target, made)
    return out

@contextmanager
def print_ready(photos: dict[Path, PrintPhoto]) -> Iterator[dict[Path, PrintPhoto]]:
    """The photos as they are drawn. Print copies are made on worker threads while the block runs (the
    text is laid out meanwhile); when it ends they are deleted, and a copy not yet started is not made."""
    if all(p.passes for p in photos.values()):
        yield photos
        return
    with tempfile.TemporaryDirectory(prefix="print-photos-") as workdir, \
            ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        try:
            yield _start_print_copies(photos, Path(workdir), pool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def cell_size() -> tuple[float, float]:
    """The width of a photo's half of the text block and the height of the box it is fitted into."""
    cell_w = (FRAME_W - PHOTO_GAP) / 2
    return cell_w, cell_w * PHOTO_BOX_RATIO


def photo_row_height() -> float:
    """The height of one row of the photo grid with its captions (the space before it included)."""
    return BODY_LEADING / 2 + 4 + cell_size()[1] + CAPTION_LEADING + 8


class PhotoBox(Flowable):
    """A photo fitted into a fixed box (keeping its aspect ratio), centred; embedded from its file."""

    def __init__(self, photo: PrintPhoto, box_w: float, box_h: float):
        super().__init__()
        self.path = photo.embed
        self.made = photo.made
        pw, ph = photo.size
        scale = min(box_w / pw, box_h / ph)
        self.img_w, self.img_h = pw * scale, ph * scale
        self.box_w, self.box_h = box_w, box_h

    def wrap(self, availWidth, availHeight):
        return self.box_w, self.box_h

    def draw(self):
        if self.made is not None:
            self.made.result()  # the print copy is written (or its UserError is raised here)
        x = (self.box_w - self.img_w) / 2
        y = (self.box_h - self.img_h) / 2
        # a file name ending in .jpg: reportlab embeds the JPEG bytes as they are (DCTDecode)
        self.canv.drawImage(str(self.path), x, y, self.img_w, self.img_h)
