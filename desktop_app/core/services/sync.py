"""数据同步, the township's side: its signing key and key file, a package of everything changed since the
last one (or everything: `full`), and the county's receipt imported — which packages arrived, the chain
heads the county holds (a witness for `verify`) and its review notes, kept as a to-do list.

The county's side (enrolment, importing packages, receipts, review notes) is `services/county_sync.py`."""

import json
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import (
    Attachment,
    Notice,
    Office,
    OfficeKey,
    ReviewNote,
    SyncKey,
    SyncReceipt,
    SyncSent,
    utc_now,
)
from desktop_app.core.notices.lookup import NOTICES_DIR
from desktop_app.core.storage import chain, db, files, heads
from desktop_app.core.storage.identity import is_county, local_identity, local_office
from desktop_app.core.sync import collect, keys, package


@dataclass(frozen=True)
class KeyInfo:
    office: str
    key_id: str
    fingerprint: str
    created_at: str
    renewed: bool = False


@dataclass(frozen=True)
class Exported:
    path: Path
    number: int
    full: bool
    records: int
    files: int
    first_seq: int
    last_seq: int


@dataclass(frozen=True)
class ReceiptImported:
    county: str
    packages: list[tuple[int, str]]  # (number, status) the county holds
    new_notes: int
    heads: int


def office_dict(office: Office) -> dict:
    return {"id": office.id, "name": office.name, "level": office.level, "division_code": office.division_code,
            "association_name": office.association_name}


def signing_key(session: Session, office: Office) -> SyncKey:
    """This office's current key, made now when it has none (a workspace initialised before sync existed)."""
    key = keys.current_key(session, office.id)
    if key is None:
        key = keys.new_key(office.id)
        session.add(key)
        session.flush()
    return key


def office_key(ws, *, renew: bool = False) -> KeyInfo:
    """This office's key as a fingerprint to read over the phone; `renew` retires it and makes a new one
    (a key thought lost or seen by others: the county enrols the new one, old packages still verify)."""
    with ws.transaction("sync.key") as s:
        office = _office(s)
        current = keys.current_key(s, office.id)
        if renew and current is not None:
            current.retired_at = utc_now()
            s.add(current)
            s.flush()
            current = None
        key = current or signing_key(s, office)
        return KeyInfo(office.name, key.key_id, keys.fingerprint(key.public_key), key.created_at,
                       renewed=renew)


def export_key_file(ws, out: Path | str) -> Path:
    """A key file (单位公钥文件) for the county to enrol this office from, before any package."""
    folder = out_folder(out)
    with ws.transaction("sync.key") as s:
        office = _office(s)
        key = signing_key(s, office)
        target = free_name(folder, f"单位公钥-{package.safe_name(office.name)}")
        package.write(target, "key", {"key_created_at": key.created_at}, key, office_dict(office))
    return target


def export_package(ws, out: Path | str, *, full: bool = False) -> Exported:
    """Write the next package to folder `out`: every record this office changed since the last package
    (each in its last committed state, private fields left home: sync/fields.py), the attachment files and
    published notices' PDFs those records name, the chain heads of its funds; signed with the office key."""
    folder = out_folder(out)
    with ws.transaction("sync.export") as s:
        office = _office(s)
        if is_county(s):
            raise UserError("县级慈善会的工作区不向上导出同步包：同步包由乡镇（街道）、村（社区）导出，交给县级慈善会导入。"
                            "要把全部数据带到另一台电脑，请用“文件 › 备份到…”。")
        key = signing_key(s, office)
        last = s.exec(select(SyncSent).order_by(SyncSent.number.desc())).first()
        number = last.number + 1 if last else 1
        after = 0 if full or last is None else last.last_seq
        conn = chain.raw_connection(s)
        upto = collect.last_seq(conn)
        if last is not None and not full and upto <= after:
            raise UserError(f"自上次导出同步包（第 {last.number} 号）以来没有新的改动，不需要再导出。"
                            "如县里说没有收到，请把上次的包再交一次；如县里要求重新发全部数据，请导出全量包。")
        pairs = list(collect.all_records(conn, office.id) if full else collect.changed_records(conn, office.id, after))
        attached = _files_named(ws, s, pairs)
        fund_heads = heads.fund_heads(conn.execute(
            "SELECT id, chain_length, chain_head FROM fund WHERE office_id = ?", (office.id,)).fetchall())
        body = {"number": number, "epoch_id": ws_epoch(s), "full": full, "first_seq": after + 1, "last_seq": upto,
                "schema_version": db.LATEST_VERSION,
                "heads": [[h.fund_id, h.length, h.head] for h in fund_heads]}
        name = f"同步包-{package.safe_name(office.name)}-{number:04d}" + ("-全量" if full else "")
        target = folder / f"{name}{package.SUFFIX}"
        if not _unrecorded_twin(s, target, office.id, number, body["epoch_id"]):
            target = free_name(folder, name)
        try:
            signed = package.write(target, "package", body, key, office_dict(office), iter(pairs), attached)
            s.add(SyncSent(number=number, epoch_id=body["epoch_id"], full=full, first_seq=after + 1, last_seq=upto,
                           file_name=target.name, sha256=signed.sha256, records=len(pairs), files=len(attached),
                           made_at=signed.manifest["made_at"]))
            s.flush()
        except BaseException:
            target.unlink(missing_ok=True)  # written but not recorded: it must not travel
            raise
    return Exported(target, number, full, len(pairs), len(attached), after + 1, upto)


def _unrecorded_twin(session: Session, target: Path, office_id: str, number: int, epoch: str) -> bool:
    """Whether `target` is this office's package of the same number and epoch that was never recorded as
    sent: an export killed after the file took its name but before it was recorded. It is written over, so
    that no two different packages of one number lie side by side on the U disk."""
    if not target.is_file():
        return False
    try:
        old = package.read(target, "package")
    except UserError:
        return False
    return (old.office["id"] == office_id and old.manifest.get("number") == number
            and old.manifest.get("epoch_id") == epoch
            and session.exec(select(SyncKey).where(SyncKey.key_id == old.key["id"])).first() is not None
            and session.exec(select(SyncSent).where(SyncSent.sha256 == old.sha256)).first() is None)


def ws_epoch(session: Session) -> str:
    identity = local_identity(session)
    return identity.epoch_id if identity else ""


def _files_named(ws, session: Session, pairs: list[tuple[str, dict]]) -> list[tuple[str, Path]]:
    """(sha256, path) of the files the package's records name: attachments (vouchers, photos) and the
    archived PDFs of published notices. Each file once; a file missing from the workspace stops the export
    (`verify` names it), rather than a package the county cannot check."""
    wanted: dict[str, Path] = {}
    for table, payload in pairs:
        if table == Attachment.__tablename__ and payload.get("sha256"):
            wanted[payload["sha256"]] = ws.attachment_path(payload["sha256"])
        elif table == Notice.__tablename__ and payload.get("pdf_sha256") and payload.get("pdf_name"):
            wanted[payload["pdf_sha256"]] = ws.root / NOTICES_DIR / payload["pdf_name"]
    for sha, path in wanted.items():
        if not path.is_file():
            raise UserError(f"要随同步包带走的文件“{path.name}”在工作区里找不到了，同步包没有导出。"
                            "请先在“设置 › 数据安全”里核验数据，按提示找回这个文件（或从备份恢复）后再导出。",
                            technical=f"{files.where(path)}\nSHA-256 {sha}")
    return sorted(wanted.items())


def import_receipt(ws, path: Path | str) -> ReceiptImported:
    """Import the county's receipt: verified (signed by the county this office belongs to, addressed to this
    office), its chain heads kept as a witness for `verify`, its review notes added to the to-do list."""
    path = Path(path)
    signed = package.read(path, "receipt")
    with ws.transaction("sync.receipt_import") as s:
        office = _office(s)
        county, to = signed.office, signed.manifest.get("to")
        to = to if isinstance(to, dict) else {}
        if to.get("id") != office.id:
            raise package.refused(path, "同步回执", f"是写给“{to.get('name', '其他单位')}”的，不是本单位的",
                                  "请向县级慈善会要本单位的回执")
        if county.get("name") != office.association_name or county.get("level") != "县级慈善会":
            raise package.refused(path, "同步回执", f"来自“{county.get('name')}”，不是本单位所属的“{office.association_name}”",
                                  "请检查选的文件；如本单位确已改属其他慈善会，请先在“设置 › 本单位”里改好所属慈善会")
        if not signed.signed_by(signed.key["public_key"]):
            raise package.refused(path, "同步回执", "的签名不符（已被改动过）", "请向县级慈善会重新要一份回执")
        package.check_members(signed)
        try:
            made_at = signed.manifest["made_at"]
            held = [(int(n), str(st)) for _e, n, st in signed.manifest.get("packages", [])]
            witnessed = heads.from_json(json.dumps(signed.manifest.get("heads", []))) if signed.manifest.get("heads") else []
            notes = [n for n in signed.manifest.get("notes", []) if isinstance(n, dict)]
            if not isinstance(made_at, str) or witnessed is None:
                raise TypeError
        except (TypeError, ValueError, KeyError):
            raise package.refused(path, "同步回执", "的内容已损坏", "请向县级慈善会重新要一份回执") from None
        pinned = s.exec(select(OfficeKey).where(OfficeKey.office_id == county["id"], OfficeKey.valid_to == "")).all()
        if pinned and not any(k.key_id == signed.key["id"] and k.public_key == signed.key["public_key"] for k in pinned):
            # the key id alone is public (every receipt states it): a forger's own key under it must not pass
            raise package.refused(path, "同步回执", "不是用县级慈善会此前的密钥签的",
                                  "请电话联系县级慈善会核对：如对方确已更换密钥，请对方说明后由技术人员处理")
        if not pinned:  # the first receipt: its key is this office's county's from now on
            s.add(OfficeKey(key_id=signed.key["id"], office_id=county["id"], office_name=county["name"],
                            public_key=signed.key["public_key"], valid_from=made_at,
                            enrolled_at=utc_now(), enrolled_by=ws.operator))
        if s.exec(select(SyncReceipt).where(SyncReceipt.sha256 == signed.sha256)).first() is None:
            s.add(SyncReceipt(sha256=signed.sha256, county_office_id=county["id"], county_name=county["name"],
                              made_at=made_at, imported_at=utc_now(),
                              packages=json.dumps(held), heads_json=heads.to_json(witnessed)))
        new = 0
        for note in notes:
            if not isinstance(note.get("id"), str) or s.get(ReviewNote, note["id"]) is not None:
                continue
            s.add(ReviewNote(id=note["id"], office_id=office.id, table_name=str(note.get("table", "")),
                             record_id=str(note.get("record_id", "")), label=str(note.get("label", ""))[:200],
                             text=str(note.get("text", ""))[:2000], written_at=str(note.get("written_at", "")),
                             written_by=str(note.get("written_by", ""))[:100], received_at=utc_now()))
            new += 1
    return ReceiptImported(county["name"], held, new, len(witnessed))


def mark_note_done(ws, note_id: str, done: bool = True) -> ReviewNote:
    """A review note of the county handled (or back on the to-do list)."""
    with ws.transaction("sync.note_done") as s:
        note = s.get(ReviewNote, note_id)
        if note is None:
            raise UserError(f"找不到这条县级意见（编号 {note_id[:8]}）。请刷新后重试。")
        note.done_at = utc_now() if done else ""
        s.add(note)
        return note


def receipt_heads(session: Session) -> list[heads.Head]:
    """The chain heads of this office's funds in the latest receipt imported: a witness for `verify`."""
    last = session.exec(select(SyncReceipt).order_by(SyncReceipt.id.desc())).first()
    return (heads.from_json(last.heads_json) or []) if last else []


def _office(session: Session) -> Office:
    office = local_office(session)
    if office is None:
        raise UserError("工作区还没有初始化。请先运行 init 填写本单位信息。")
    return office


def out_folder(out: Path | str) -> Path:
    folder = Path(out).expanduser()
    if not folder.is_dir():
        raise UserError(f"找不到文件夹“{files.shown_name(folder)}”（U 盘可能没有插好）。请先插好 U 盘或选择一个已有的文件夹。",
                        technical=files.where(folder))
    return folder


def free_name(folder: Path, stem: str) -> Path:
    target, n = folder / f"{stem}{package.SUFFIX}", 2
    while target.exists():
        target, n = folder / f"{stem}-{n}{package.SUFFIX}", n + 1
    return target


