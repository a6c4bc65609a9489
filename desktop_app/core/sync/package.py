"""The files sync writes: a package (同步包, township → county), a receipt (同步回执, county → township) and a
key file (单位公钥文件, for enrolment). Each is one ZIP holding:

- `manifest.json` — format and version, kind, the signing office and key, what the file is about, and the
  path, size and SHA-256 of every other member;
- `manifest.sig` — the Ed25519 signature of manifest.json's bytes: the manifest binds every member, so the
  signature covers the whole file;
- a package's `records.jsonl` (one record a line: {"t": table, "p": payload}, deflated) and `files/<sha256>`
  (attachments and published notices' PDFs, content-addressed, stored as they are).

Reading checks the structure before anything is unpacked: only the names this format writes, no password or
other compression, no member larger than the manifest declares (a zip bomb declares its size there), the
manifest within a size bound. The signature is checked by the caller against the key it trusts; each
member's hash as it is read.
"""

import glob
import hashlib
import json
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app import __version__
from desktop_app.core.errors import UserError
from desktop_app.core.models import SyncKey, utc_now
from desktop_app.core.storage import files
from desktop_app.core.sync import keys

FORMAT = "charity-ledger-sync"
FORMAT_VERSION = 1
MANIFEST, SIGNATURE, RECORDS, FILES = "manifest.json", "manifest.sig", "records.jsonl", "files"
KINDS = {"package": "同步包", "receipt": "同步回执", "key": "单位公钥文件"}
SUFFIX = ".zip"
MAX_MANIFEST_BYTES = 64 << 20
MAX_LINE_BYTES = 64 << 20  # one record: a survey response or a notice's texts, far below this
_SHA = re.compile(r"[0-9a-f]{64}")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MEMBER_OVERHEAD = 256  # a member's local and central headers, ZIP64 extras and data descriptor (≈ 150 bytes)
_ARCHIVE_OVERHEAD = 1 << 17  # the end records and the longest ZIP comment (64 KB)


@dataclass(frozen=True)
class Signed:
    """A sync file read and checked in structure (not yet its signature or member hashes)."""

    path: Path
    kind: str
    manifest: dict
    raw: bytes  # manifest.json as signed
    signature: bytes
    sha256: str  # of the whole file: a repeat of the same file is recognised by it
    members: dict[str, tuple[int, str]]  # name → (size, sha256)

    @property
    def office(self) -> dict:
        return self.manifest["office"]

    @property
    def key(self) -> dict:
        return self.manifest["key"]

    def signed_by(self, public_key: str) -> bool:
        return keys.verifies(public_key, self.signature, self.raw)


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_NAME = 60  # characters: a file name of a few of them stays far below Windows' and Linux's limits


def safe_name(text: str) -> str:
    """`text` (an office's name or id, as a signed file states it) as part of a file or folder name that
    Windows accepts: no separators or reserved characters, no CON/NUL…, no trailing dot, not too long."""
    name = _UNSAFE_NAME.sub("_", text)[:MAX_NAME].strip(" ._") or "单位"
    return f"{name}_" if name.split(".")[0].upper() in _RESERVED else name


# ---------------------------------------------------------------------------------------------- writing


def write(target: Path, kind: str, body: dict, key: SyncKey, office: dict,
          records: Iterator[tuple[str, dict]] | None = None, attached: list[tuple[str, Path]] = ()) -> Signed:
    """Write a signed file of `kind` to `target` (whole or not at all): `body` goes into the manifest beside
    the office and key; `records` into records.jsonl; `attached` (sha256, path) under files/. Returns it as read
    back and checked."""
    stamp = _zip_time()
    clear_partials(target)
    try:
        with files.atomic_write(target, files.partial_path(target, suffix=".partial")) as partial:
            members: dict[str, tuple[int, str]] = {}
            counts: dict[str, int] = {}
            with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
                if records is not None:
                    members[RECORDS] = _write_records(archive, records, counts, stamp)
                for sha, path in attached:
                    members[f"{FILES}/{sha}"] = _add_file(archive, f"{FILES}/{sha}", path, stamp)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind, "app_version": __version__,
                    "made_at": utc_now(), "office": office,
                    "key": {"id": key.key_id, "public_key": key.public_key},
                    **body,
                    "counts": counts,
                    "members": [{"path": n, "size": s, "sha256": h} for n, (s, h) in sorted(members.items())],
                }
                raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                _write_bytes(archive, MANIFEST, raw, stamp)
                _write_bytes(archive, SIGNATURE, keys.sign(key, raw).hex().encode("ascii"), stamp)
            files.fsync_file(partial)
            checked = read(partial, kind)  # read back before it takes its name
    except UserError:
        raise
    except OSError as exc:
        if files.is_disk_full(exc):
            raise files.DiskFull(f"磁盘已满（或 U 盘空间不足），{KINDS[kind]}没有写成，写了一半的文件已删去。"
                                 "请腾出空间或换一个 U 盘后重试，台账数据没有任何改动。") from exc
        raise UserError(f"无法把{KINDS[kind]}写到文件夹“{files.shown_name(target.parent)}”：{files.os_error_text(exc)}。"
                        "请换一个文件夹或 U 盘后重试，台账数据没有任何改动。", technical=files.where(target)) from exc
    # the bytes just read back, now under their name: not hashed again, so that the caller records the
    # file at once (a process killed between the rename and the caller's commit leaves a file unrecorded)
    return replace(checked, path=target)


def clear_partials(target: Path) -> None:
    """Remove the temporary files a killed write of `target` left beside it (`.<stem>.*.partial`): a U disk
    would otherwise fill with them, one whole package for every export cut short."""
    with suppress(OSError):
        for stale in target.parent.glob(f".{glob.escape(target.stem)}.*.partial"):
            stale.unlink(missing_ok=True)


def _zip_time() -> tuple:
    return time.localtime()[:6]


def _write_bytes(archive: zipfile.ZipFile, name: str, data: bytes, stamp) -> None:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _write_records(archive, records, counts: dict[str, int], stamp) -> tuple[int, str]:
    info = zipfile.ZipInfo(RECORDS, stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    digest, size = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=True) as sink:
        for table, payload in records:
            line = (json.dumps({"t": table, "p": payload}, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
            digest.update(line)
            sink.write(line)
            size += len(line)
            counts[table] = counts.get(table, 0) + 1
    return size, digest.hexdigest()


def _add_file(archive, name: str, path: Path, stamp) -> tuple[int, str]:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = zipfile.ZIP_STORED
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, archive.open(info, "w", force_zip64=True) as sink:
        for chunk in iter(lambda: source.read(files.CHUNK), b""):
            digest.update(chunk)
            sink.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# ---------------------------------------------------------------------------------------------- reading


def refused(path: Path, what: str, why: str, todo: str = "请让对方重新导出后再试") -> UserError:
    return UserError(f"{what}“{path.name}”{why}，没有导入，什么也没有改动。{todo}。", technical=files.where(path))


def read(path: Path | str, kind: str) -> Signed:
    """Open a sync file and check its structure; raises a UserError in Chinese saying what is wrong."""
    path = Path(path)
    what = KINDS[kind]
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path.name}”。请检查文件是否存在、U 盘是否插好。", technical=files.where(path)) from None
    except IsADirectoryError:
        raise UserError(f"“{path.name}”是文件夹，不是{what}。请选择{what}文件。", technical=files.where(path)) from None
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise refused(path, what, "不完整或已损坏（可能没有复制完，或不是本程序写的文件）") from None
    except OSError as exc:
        raise UserError(f"无法读取“{path.name}”：{files.os_error_text(exc)}。请检查 U 盘后重试。",
                        technical=files.where(path)) from None
    try:
        with archive:
            return _read(archive, path, kind, what)
    except (zipfile.BadZipFile, EOFError, zlib.error, KeyError):
        raise refused(path, what, "不完整或已损坏") from None


def _read(archive: zipfile.ZipFile, path: Path, kind: str, what: str) -> Signed:
    infos = archive.infolist()
    for info in infos:
        if info.flag_bits & 0x1:
            raise refused(path, what, "设了密码（可能用压缩软件重新打包过）")
        if info.compress_type not in _METHODS:
            raise refused(path, what, "用了本程序不支持的压缩方式（可能用压缩软件重新打包过）")
    names = [i.filename for i in infos]
    # a ZIP may carry anything before or between its members: a file far larger than what it holds is refused
    # before it is hashed or archived (20 GB of padding in front of a real package would fill the county's disk)
    held = sum(i.compress_size + _MEMBER_OVERHEAD + 2 * len(i.filename.encode("utf-8", "surrogatepass")) for i in infos)
    if path.stat().st_size > held + _ARCHIVE_OVERHEAD:
        raise refused(path, what, "比里面的内容大得多，夹带了不属于它的数据（可能被改动过，或不是本程序写的文件）")
    if MANIFEST not in names or SIGNATURE not in names:
        raise refused(path, what, f"不是社区慈善台账的{what}", "请检查选的文件对不对")
    manifest_info = archive.getinfo(MANIFEST)
    if manifest_info.file_size > MAX_MANIFEST_BYTES or archive.getinfo(SIGNATURE).file_size > 1024:
        raise refused(path, what, "的清单大得不正常（可能被改动过）")
    raw = archive.read(MANIFEST)
    try:
        manifest = json.loads(raw.decode("utf-8"))
        signature = bytes.fromhex(archive.read(SIGNATURE).decode("ascii").strip())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise refused(path, what, "的清单已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refused(path, what, f"不是社区慈善台账的{what}", "请检查选的文件对不对")
    if manifest.get("kind") != kind:
        other = KINDS.get(str(manifest.get("kind")), "别的文件")
        raise refused(path, what, f"是{other}，不是{what}", "请检查选的文件对不对")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise refused(path, what, f"来自更新版本的程序（{manifest.get('app_version', '未知版本')}）",
                      "请先把本程序升级到同一版本或更新的版本")
    try:
        office, key = manifest["office"], manifest["key"]
        if not (isinstance(office, dict) and isinstance(office["id"], str) and isinstance(office["name"], str)
                and isinstance(key["id"], str) and isinstance(key["public_key"], str)):
            raise TypeError
        members = {str(m["path"]): (int(m["size"]), str(m["sha256"])) for m in manifest["members"]}
    except (KeyError, TypeError, ValueError, OverflowError):
        raise refused(path, what, "的清单已损坏") from None
    listed = set(members) | {MANIFEST, SIGNATURE}
    if set(names) != listed or len(names) != len(listed):
        raise refused(path, what, "的内容与清单对不上（可能被改动过，或没有复制完）")
    for name, (size, sha) in members.items():
        if not _safe_member(name, sha):
            raise refused(path, what, f"里有不该有的文件“{name[:80]}”（可能被改动过）")
        if archive.getinfo(name).file_size != size:  # before unpacking anything: a bomb declares its size
            raise refused(path, what, "里的文件与清单写的大小不符（可能被改动过）")
    return Signed(path, kind, manifest, raw, signature, files.sha256_of(path), members)


def _safe_member(name: str, sha: str) -> bool:
    """Only the names this format writes: nothing can be unpacked outside its folder."""
    if name == RECORDS:
        return _SHA.fullmatch(sha) is not None
    parts = name.split("/")
    return len(parts) == 2 and parts[0] == FILES and _SHA.fullmatch(parts[1]) is not None and parts[1] == sha


@contextmanager
def _damage_refused(signed: Signed) -> Iterator[None]:
    """A file damaged past its structure (a changed byte fails the ZIP's own CRC check) refused in words."""
    try:
        yield
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, OSError) and files.is_disk_full(exc):
            raise files.DiskFull() from exc
        raise refused(signed.path, KINDS[signed.kind], "已损坏或被改动过（内容校验不通过）") from None


def check_members(signed: Signed) -> None:
    """Every member read whole against its size and SHA-256 in the (signed) manifest."""
    with _damage_refused(signed), zipfile.ZipFile(signed.path) as archive:
        for name, (size, sha) in signed.members.items():
            digest, got = hashlib.sha256(), 0
            with archive.open(name) as stream:
                for chunk in iter(lambda: stream.read(files.CHUNK), b""):
                    digest.update(chunk)
                    got += len(chunk)
                    if got > size:
                        break
            if got != size or digest.hexdigest() != sha:
                raise refused(signed.path, KINDS[signed.kind], "里的内容与签名的清单不符（已被改动或损坏）")


def read_records(signed: Signed) -> dict[str, list[dict]]:
    """The package's records by table (the members were checked: `check_members`)."""
    out: dict[str, list[dict]] = {}
    if RECORDS not in signed.members:
        return out
    with _damage_refused(signed), zipfile.ZipFile(signed.path) as archive, archive.open(RECORDS) as stream:
        while line := stream.readline(MAX_LINE_BYTES + 1):
            if len(line) > MAX_LINE_BYTES:
                raise refused(signed.path, KINDS[signed.kind], "里有一条大得不正常的记录")
            try:
                item = json.loads(line)
                table, payload = item["t"], item["p"]
                if not (isinstance(table, str) and isinstance(payload, dict) and isinstance(payload.get("id"), str)):
                    raise TypeError
            except (ValueError, KeyError, TypeError, RecursionError):
                raise refused(signed.path, KINDS[signed.kind], "里的记录已损坏") from None
            out.setdefault(table, []).append(payload)
    return out


def extract_file(signed: Signed, sha: str, target: Path) -> None:
    """Put the package's file `sha` at `target` (content-addressed: whole or not at all, hash re-checked)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.atomic_write(target, files.partial_path(target, suffix=".partial")) as partial:
        digest = hashlib.sha256()
        with _damage_refused(signed), zipfile.ZipFile(signed.path) as archive, \
                archive.open(f"{FILES}/{sha}") as stream, open(partial, "wb") as sink:
            for chunk in iter(lambda: stream.read(files.CHUNK), b""):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != sha:
            raise refused(signed.path, KINDS[signed.kind], "读到的文件与清单不符（U 盘可能有坏块）",
                          "请把文件复制到电脑上再导入")
