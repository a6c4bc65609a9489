"""Files written whole or not at all, and their SHA-256.

A file appears under its name only when it is complete and on disk: it is written beside the target under
a temporary name, flushed (fsync), then renamed over the target (os.replace is atomic on Windows and Linux).
A power cut or a killed process leaves the old file or the new one, never half of one.
"""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path | str) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks (photos and scans can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_file(path: Path | str) -> None:
    """Put a written file's content on disk before it is renamed into place."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def partial_path(target: Path, *, prefix: str = ".", suffix: str = ".partial") -> Path:
    """A fresh, unique temporary file beside `target` (same folder, so the final rename cannot cross disks)."""
    handle, name = tempfile.mkstemp(prefix=f"{prefix}{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(handle)
    return Path(name)


@contextmanager
def atomic_write(target: Path, partial: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; when the block ends normally the file is fsynced
    and moved onto `target`, otherwise it is removed. Either way no temporary file is left behind."""
    partial = partial or partial_path(target)
    try:
        yield partial
        fsync_file(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def copy_atomically(source: Path, target: Path, partial: Path | None = None) -> None:
    """Copy `source` to `target` byte for byte, whole or not at all."""
    with atomic_write(target, partial) as temporary:
        shutil.copyfile(source, temporary)
