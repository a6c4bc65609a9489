"""What a built bundle holds: where its size goes, and the newest glibc any of its binaries needs (the oldest
Linux it can run on: UOS 20 has glibc 2.28, Kylin V10 2.28–2.31)."""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_GLIBC = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")
ELF_MAGIC = b"\x7fELF"

# Where the space goes, by part: the first prefix (a path under _internal/) that matches names the part.
PARTS = [
    ("字体（界面与公示用的中文字体）", ("share/charity-ledger/fonts",)),
    ("ICU 数据（Qt 的文字处理，Linux 版）", ("PySide6/Qt/lib/libicu",)),
    ("Qt 库与插件", ("PySide6/Qt", "PySide6/", "shiboken6")),
    ("Python 运行时", ("libpython", "python3", "base_library.zip", "lib-dynload")),
    ("加密库（同步包签名）", ("cryptography", "libcrypto", "libssl")),
    ("PDF 渲染（pdfium，公示核验）", ("pypdfium2",)),
    ("图片处理（Pillow）", ("PIL", "pillow.libs")),
    ("Excel 读写（openpyxl、lxml、calamine）", ("lxml", "openpyxl", "python_calamine")),
    ("数据库层（SQLAlchemy、pydantic）", ("sqlalchemy", "pydantic", "sqlmodel")),
    ("使用说明与截图", ("share/charity-ledger/user-guide", "share/charity-ledger/screenshots")),
]


@dataclass
class SizeLine:
    part: str
    size: int


def size_by_part(bundle: Path) -> list[SizeLine]:
    """The bundle's bytes by part, largest first; the program files (executables, PYZ) and the rest as 其他."""
    totals: dict[str, int] = {}
    internal = bundle / "_internal"
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(internal).as_posix() if path.is_relative_to(internal) else "program:" + path.name
        part = next((name for name, prefixes in PARTS if rel.startswith(prefixes)), "程序本身与其他")
        totals[part] = totals.get(part, 0) + path.stat().st_size
    return sorted((SizeLine(p, s) for p, s in totals.items()), key=lambda line: -line.size)


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def glibc_versions(objdump_output: bytes) -> set[tuple[int, ...]]:
    """The GLIBC_x.y[.z] versions named in `objdump -p` output (its 'Version References')."""
    return {tuple(int(g) for g in m.groups() if g is not None) for m in _GLIBC.finditer(objdump_output)}


def newest_glibc(bundle: Path, skip=lambda relative: False) -> tuple[str, list[str]]:
    """The newest glibc symbol version any binary in the bundle needs (but those `skip` names by their path
    below _internal/), and the files that need it."""
    best: tuple[int, ...] = ()
    needers: list[str] = []
    internal = bundle / "_internal"
    for path in elf_files(bundle):
        if path.is_relative_to(internal) and skip(path.relative_to(internal).as_posix()):
            continue
        out = subprocess.run(["objdump", "-p", str(path)], capture_output=True).stdout
        versions = glibc_versions(out)
        if not versions:
            continue
        top = max(versions)
        if top > best:
            best, needers = top, []
        if top == best:
            needers.append(path.relative_to(bundle).as_posix())
    return ".".join(map(str, best)), needers


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
