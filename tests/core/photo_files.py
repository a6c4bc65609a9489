"""Image files for the photo tests: small real pictures, and huge ones written without ever holding their
pixels in memory (a 100-megapixel JPEG and PNG in well under a second)."""

import struct
import zlib
from pathlib import Path

from PIL import Image

ORIENTATION, EXIF_IFD, DATETIME_ORIGINAL = 0x0112, 0x8769, 0x9003


def jpeg(path: Path, size=(400, 200), *, orientation: int | None = None, taken_at: str | None = None,
         seed: int = 0, progressive: bool = False) -> Path:
    """A JPEG whose left half is red and right half blue (so a rotation can be seen), with a small
    seed-dependent mark so that different seeds give different files."""
    width, height = size
    picture = Image.new("RGB", size, (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, width // 2, height))
    picture.paste((seed * 37 % 256, seed * 91 % 256, 0), (0, 0, max(1, width // 20), max(1, height // 20)))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if taken_at is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken_at
    picture.save(path, "JPEG", quality=90, exif=exif.tobytes(), progressive=progressive)
    return path


def png(path: Path, size=(300, 200), *, transparent: bool = False) -> Path:
    """A PNG; with `transparent`, its left half is fully transparent and its right half green."""
    picture = Image.new("RGBA", size, (0, 160, 0, 255))
    if transparent:
        picture.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    picture.save(path, "PNG")
    return path


def truncated_jpeg(path: Path) -> Path:
    """A real, detailed JPEG cut in half (as an interrupted copy from a phone leaves it)."""
    picture = Image.radial_gradient("L").resize((800, 600)).convert("RGB")
    picture.save(path, "JPEG", quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def heic(path: Path) -> Path:
    """The start of an iPhone HEIC file: an `ftyp` box with brand heic, then a `meta` box."""
    ftyp = struct.pack(">I4s4sI4s4s4s", 28, b"ftyp", b"heic", 0, b"mif1", b"heic", b"miaf")
    meta = struct.pack(">I4s", 40, b"meta") + b"\x00" * 32
    path.write_bytes(ftyp + meta + bytes(range(256)) * 8)
    return path


def big_jpeg(path: Path, width: int = 10_000, height: int = 10_000) -> Path:
    """A valid baseline YCbCr 4:2:0 JPEG of a flat grey picture, written directly: Huffman tables with a
    single one-bit code each make every 8×8 block two zero bits (DC difference 0, end of block)."""
    mcus = -(-width // 16) * -(-height // 16)
    bits = mcus * 6 * 2  # 4 Y + Cb + Cr blocks of 2 bits
    data = bytearray(bits // 8)
    if bits % 8:
        data.append((1 << (8 - bits % 8)) - 1)  # pad the last byte with one-bits
    segments = [
        b"\xff\xd8",
        b"\xff\xdb" + struct.pack(">HB", 67, 0) + b"\x01" * 64,  # quantisation table 0: all ones
        b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3)
        + bytes([1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]),
        b"\xff\xc4" + struct.pack(">H", 38)
        + bytes([0x00, 1] + [0] * 15 + [0x00])  # DC table 0: one code, category 0
        + bytes([0x10, 1] + [0] * 15 + [0x00]),  # AC table 0: one code, end of block
        b"\xff\xda" + struct.pack(">HB", 12, 3) + bytes([1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
        bytes(data),
        b"\xff\xd9",
    ]
    path.write_bytes(b"".join(segments))
    return path


def big_png(path: Path, width: int = 10_000, height: int = 10_000) -> Path:
    """A valid 8-bit greyscale PNG of a black picture, compressed row by row."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte 0, then the pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path
