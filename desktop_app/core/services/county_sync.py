"""数据同步, the county's side: enrolling a township's key (its fingerprint confirmed by phone), importing its
packages — verified whole before anything changes, applied in one transaction, archived unchanged — the
receipt sent back, and review notes on a township's records.

Checks, in order, each refusing the package with nothing changed: its structure (package.read: names, sizes,
no bomb), the office enrolled and the key valid when the package was made, the signature, every member's
hash, the schema version, the number (a repeat changes nothing; after a gap the package is held and the
missing number named), the epoch (a township that restored an old backup: the rewind is reported), then —
inside the transaction — the records' owner, the fund chains re-verified with the package's records in
place and each extending the chain the county held before."""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Office, OfficeKey, ReviewNote, SyncReceived, utc_now
from desktop_app.core.services.sync import free_name, office_dict, out_folder, signing_key
from desktop_app.core.storage import chain, db, files, heads, witnesses
from desktop_app.core.storage.identity import COUNTY_LEVEL, is_county, local_office
from desktop_app.core.storage.workspace import NEW_FILES
from desktop_app.core.sync import keys, package
from desktop_app.core.sync.apply import apply_records, set_aside_missing
from desktop_app.core.validation import check_text

RECEIVED_DIR = Path("sync") / "received"


@dataclass
class PackageResult:
    """What became of one package file (`sync import --json` prints these)."""

    file: str
    office: str = ""
    number: int = 0
    status: str = "refused"  # applied | unchanged | held | refused
    reason: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    rewind: str = ""

    def as_json(self) -> dict:
        return {"file": self.file, "office": self.office, "number": self.number, "status": self.status,
                "reason": self.reason, "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": len(self.conflicts), "conflict_details": self.conflicts, "rewind": self.rewind}


@dataclass(frozen=True)
class Signer:
    """Who signed a package or key file, read before enrolling it (nothing changes)."""

    office: str
    level: str
    association: str
    fingerprint: str
    kind: str  # 同步包 | 单位公钥文件
    number: int = 0  # a package's number


@dataclass(frozen=True)
class Enrolled:
    office: str
    fingerprint: str
    status: str  # enrolled | rekeyed | already


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction so that it rolls back."""


def _county(session: Session) -> Office:
    office = local_office(session)
    if office is None or not is_county(session):
        raise UserError("这个工作区不是县级慈善会的工作区：只有县级慈善会登记乡镇、导入同步包、写回执。"
                        "乡镇（街道）请用“导出同步包”和“导入回执”。")
    return office


# ---------------------------------------------------------------------------------------------- enrolment


def enrol(ws, path: Path | str, fingerprint: str | None) -> Enrolled:
    """Enrol the office that signed a package or key file, once its fingerprint was read over the phone and
    typed here. A known office with a new key is re-keyed: its old key is retired (what it signed before
    still verifies). Without `fingerprint` nothing changes: the message shows the fingerprint to compare."""
    path = Path(path)
    signed = _read_any(path)
    office, key = signed.office, signed.key
    if not signed.signed_by(key["public_key"]):
        raise package.refused(path, package.KINDS[signed.kind], "的签名不符（已被改动过）")
    shown = keys.fingerprint(key["public_key"])
    if not fingerprint:
        raise UserError(f"请先电话联系“{office['name']}”，请对方在“数据同步”页念出本单位的公钥指纹，与这里的核对：\n{shown}\n"
                        f"一致后再登记（命令行：sync enrol 文件 --fingerprint \"{shown}\"）。没有登记任何单位。")
    if not keys.same_fingerprint(fingerprint, key["public_key"]):
        raise UserError(f"输入的指纹与“{path.name}”里“{office['name']}”的公钥指纹（{shown}）不一致，没有登记。"
                        "请再电话核对一次；如确实不一致，这个文件可能不是该单位发出的，请不要导入它。")
    with ws.transaction("sync.enrol") as s:
        county = _county(s)
        if office.get("level") == COUNTY_LEVEL or office["id"] == county.id:
            raise UserError(f"“{office['name']}”是县级慈善会，不是乡镇（街道）或村（社区），不能登记为本会的下级单位。")
        if office.get("association_name") != county.name:
            raise UserError(f"“{office['name']}”所属的慈善会是“{office.get('association_name')}”，不是本会“{county.name}”，"
                            "没有登记。请核对文件；如对方填错了所属慈善会，请对方在“设置 › 本单位”改好后重新导出。")
        known = s.exec(select(OfficeKey).where(OfficeKey.office_id == office["id"])).all()
        same_id = next((k for k in s.exec(select(OfficeKey).where(OfficeKey.key_id == key["id"]))), None)
        if same_id is not None and (same_id.public_key != key["public_key"] or same_id.office_id != office["id"]):
            raise UserError(f"“{path.name}”里的公钥与已登记的“{same_id.office_name}”的公钥编号相同、内容不同，没有登记。"
                            "这个文件可能是伪造的：请不要用它登记或导入，并电话联系该单位核对。")
        if same_id is not None:
            return Enrolled(office["name"], shown, "already")
        now = utc_now()
        for old in known:
            if not old.valid_to:
                old.valid_to = now
                s.add(old)
        s.add(OfficeKey(key_id=key["id"], office_id=office["id"], office_name=office["name"],
                        public_key=key["public_key"], valid_from=str(signed.manifest.get("key_created_at", "")),
                        enrolled_at=now, enrolled_by=ws.operator))
    return Enrolled(office["name"], shown, "rekeyed" if known else "enrolled")


def read_signer(path: Path | str) -> Signer:
    """The office and the key fingerprint a package or key file was signed with, for the person enrolling it
    to compare by phone before `enrol`. Reads only; a file whose signature does not match is refused."""
    path = Path(path)
    signed = _read_any(path)
    if not signed.signed_by(signed.key["public_key"]):
        raise package.refused(path, package.KINDS[signed.kind], "的签名不符（已被改动过）")
    office = signed.office
    return Signer(office["name"], str(office.get("level") or ""), str(office.get("association_name") or ""),
                  keys.fingerprint(signed.key["public_key"]), package.KINDS[signed.kind],
                  _int(signed.manifest.get("number")) if signed.kind == "package" else 0)


def _read_any(path: Path) -> package.Signed:
    try:
        return package.read(path, "key")
    except UserError as first:
        if "是同步包" not in str(first):
            raise
    return package.read(path, "package")


# ---------------------------------------------------------------------------------------------- import


def import_packages(ws, paths: list[Path | str], *, dry_run: bool = False,
                    accept_rewind: bool = False) -> list[PackageResult]:
    """Import package files (folders: every .zip in them), each office's in number order. Each package is
    checked whole and applied in its own transaction; a held package is applied when the one it waits for
    arrives. With `dry_run` every check and the whole application run, then roll back: nothing changes.

    `accept_rewind`: the county has talked with a township that restored an old backup and accepts its
    restored books: a full package of its new epoch becomes the new baseline (`apply.set_aside_missing`)."""
    with ws.reading() as s:
        _county(s)
    candidates: list[tuple[tuple, Path, package.Signed | None, PackageResult]] = []
    for path in _expand(paths):
        result = PackageResult(file=path.name)
        try:
            signed = package.read(path, "package")
        except UserError as exc:
            result.reason = str(exc)
            candidates.append(((1, "", 0), path, None, result))
            continue
        result.office, result.number = signed.office["name"], _int(signed.manifest.get("number"))
        candidates.append(((0, signed.office["id"], result.number), path, signed, result))
    candidates.sort(key=lambda c: c[0])
    results = []
    for _order, _path, signed, result in candidates:
        if signed is not None:
            _import_one(ws, signed, result, dry_run, accept_rewind=accept_rewind)
        results.append(result)
    if not dry_run:
        for office_id in {c[2].office["id"] for c in candidates if c[2] is not None}:
            results.extend(_release_held(ws, office_id))
    return results


def _expand(paths: list[Path | str]) -> list[Path]:
    out = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == package.SUFFIX and p.is_file())
            if not found:  # said, not passed over in silence: the packages may be one folder further down
                raise UserError(f"文件夹“{files.shown_name(path)}”里没有同步包（以 .zip 结尾的文件），什么也没有导入。"
                                "请打开 U 盘看看同步包放在哪个文件夹，选那个文件夹或直接选同步包文件。",
                                technical=files.where(path))
            out.extend(found)
        else:
            out.append(path)
    return out


def _int(value) -> int:
    """A manifest's count or number; anything else (text, a float, past SQLite's INTEGER) as 0 (refused)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2 ** 63
    return value if ok else 0


def _import_one(ws, signed: package.Signed, result: PackageResult, dry_run: bool, held_row: int | None = None,
                *, accept_rewind: bool = False) -> None:
    try:
        _check_and_apply(ws, signed, result, dry_run, held_row, accept_rewind)
    except _DryRun:
        pass
    except UserError as exc:
        result.status, result.reason = "refused", str(exc)
        result.new, result.updated, result.unchanged, result.conflicts = 0, 0, 0, []
    except IntegrityError:  # a voucher number taken twice, or another constraint the checks before missed
        result.status, result.new, result.updated, result.unchanged, result.conflicts = "refused", 0, 0, 0, []
        result.reason = str(package.refused(
            signed.path, "同步包", "里的记录与县里的数据接不上（缺少所属的上级记录，或与已有记录的编号重复）",
            "本程序导出的包不会这样，这个包可能被改动过：请让该单位重新导出，如仍如此，请把这个包交给技术人员检查"))


def _check_and_apply(ws, signed: package.Signed, result: PackageResult, dry_run: bool, held_row: int | None,
                     accept_rewind: bool = False) -> None:
    path, m = signed.path, signed.manifest
    office_id = signed.office["id"]
    with ws.reading() as s:
        _check_key(s, signed)
        package.check_members(signed)
        schema = m.get("schema_version")
        if not isinstance(schema, int) or schema > db.LATEST_VERSION:
            raise package.refused(path, "同步包", f"来自更新版本的程序（{m.get('app_version', '未知版本')}）",
                                  "请先把县级的程序升级到同一版本或更新的版本，再导入")
        number, epoch, full = _int(m.get("number")), str(m.get("epoch_id", "")), m.get("full") is True
        if number < 1:
            raise package.refused(path, "同步包", "的编号已损坏")
        seen = None if held_row is not None else s.exec(
            select(SyncReceived).where(SyncReceived.sha256 == signed.sha256)).first()
        if seen is not None and not (accept_rewind and seen.status == "held"):
            result.status = "unchanged"
            result.reason = ("这个包已经收下暂存过，这次什么也没有改动。" if seen.status == "held"
                             else "这个包以前已经导入过，这次什么也没有改动。")
            return
        if seen is not None:
            held_row = seen.id
        received = s.exec(select(SyncReceived).where(SyncReceived.office_id == office_id)
                          .order_by(SyncReceived.id)).all()
        applied = _applied(received)
        rebaseline = False
        if accept_rewind and not (applied and epoch != applied[-1].epoch_id):
            raise package.refused(path, "同步包", f"不是“{signed.office['name']}”从备份恢复后的包，不需要“接受恢复”",
                                  "请去掉“接受恢复”后再导入")
        if accept_rewind and not full:
            raise package.refused(path, "同步包", "不是全量包：接受乡镇恢复后的账目要以它的全部数据为准",
                                  f"请让“{signed.office['name']}”导出全量包（sync export --full）后再接受")
        if accept_rewind:
            report, _lost = _rewind_report(signed, applied)
            result.rewind, rebaseline = report, True
        elif applied and epoch != applied[-1].epoch_id:  # a restore from backup: two histories, one numbering
            pending = [r for r in received if r.status == "held" and r.epoch_id == epoch and r.sha256 != signed.sha256]
            lost = True
            if pending:
                report = (f"“{signed.office['name']}”从备份恢复过（见第 {pending[0].number} 号包的说明），"
                          "这个包一并暂存，等恢复的问题处理好后再导入。")
            else:
                report, lost = _rewind_report(signed, applied)
            if not lost and number == applied[-1].number + 1:  # restored (a new PC) with nothing lost: go on
                result.rewind = report
            elif held_row is None and not dry_run:
                _hold(ws, signed, 0, rewind=report)
            if not result.rewind:
                result.status, result.rewind = "held", report
                result.reason = report + "县里没有导入这个包：它与县里已收到的账目用了同样的编号，不能把两段历史并在一起。"
                return
        stale_full = full and epoch == applied[-1].epoch_id if applied else False  # numbers only grow in an epoch
        if applied and number <= applied[-1].number and (not full or stale_full) and not rebaseline:
            same = next((r for r in applied if r.number == number and r.epoch_id == epoch), None)
            whole = next((r for r in applied if r.full and r.number > number and r.epoch_id == epoch), None)
            if same is None and whole is not None:
                raise package.refused(path, "同步包", f"是第 {number} 号，它的内容已包含在县里导入过的"
                                      f"第 {whole.number} 号全量包里", "不需要再导入它")
            raise package.refused(path, "同步包", f"是第 {number} 号，县里已经导入过第 {number} 号"
                                  + ("（内容不同）" if same else "") + f"，最新已到第 {applied[-1].number} 号",
                                  "请检查是不是拿错了文件；如乡镇从备份恢复过，请让乡镇重新导出")
        expected = applied[-1].number + 1 if applied else 1
        if not full and number > expected:
            if held_row is None and not dry_run:
                _hold(ws, signed, expected)
            result.status = "held"
            result.reason = (f"缺第 {expected} 号包：第 {number} 号已收下暂存，等第 {expected} 号"
                             f"{'到' + str(number - 1) + ' 号' if number - 1 > expected else ''}导入后自动导入。"
                             f"请向“{signed.office['name']}”要第 {expected} 号包。")
            return
    records = package.read_records(signed)
    with ws.sync_import_transaction("sync.import") as s:
        before = [] if rebaseline else _held_heads(s, office_id)
        aside = set_aside_missing(s, office_id, records) if rebaseline else []
        summary = apply_records(s, office_id, records, rebaseline=rebaseline)
        _check_files(ws, signed, records)
        _place_files(ws, s, signed)
        _check_chains(s, signed, office_id, before)
        if rebaseline:
            _supersede_held(s, office_id, epoch, number)
            result.rewind += (f"县里已接受乡镇恢复后的账目，以这个全量包为准：搁置了乡镇已没有的 {len(aside)} 条记录"
                              "（原内容仍在县里的变更记录和原包存档中）。")
        archived = _archive(ws, s, signed)
        row = s.get(SyncReceived, held_row) if held_row else None
        row = row or SyncReceived(office_id=office_id, number=number, epoch_id=epoch, sha256=signed.sha256,
                                  archived_name=archived, status="applied", made_at=str(m.get("made_at", "")),
                                  received_at=utc_now())
        row.status, row.applied_at, row.full = "applied", utc_now(), full
        row.first_seq, row.last_seq = _int(m.get("first_seq")), _int(m.get("last_seq"))
        row.summary = json.dumps({"new": summary.new, "updated": summary.updated, "unchanged": summary.unchanged,
                                  "conflicts": [c.describe() for c in summary.conflicts], "rewind": result.rewind,
                                  "set_aside": len(aside)}, ensure_ascii=False)
        s.add(row)
        if full:  # what was held waiting for an earlier number is in the full package: it waits no longer
            for older in received:
                if older.status == "held" and older.epoch_id == epoch and older.number < number:
                    s.get(SyncReceived, older.id).status = "superseded"
        result.status = "applied"
        result.new, result.updated, result.unchanged = summary.new, summary.updated, summary.unchanged
        result.conflicts = [c.describe() for c in summary.conflicts]
        if dry_run:
            raise _DryRun


def _supersede_held(session: Session, office_id: str, epoch: str, number: int) -> None:
    """Packages held for the rewind that the accepted full package covers are done with."""
    for row in session.exec(select(SyncReceived).where(SyncReceived.office_id == office_id,
                                                       SyncReceived.status == "held")):
        if row.epoch_id == epoch and row.number <= number or row.epoch_id != epoch:
            row.status = "superseded"
            session.add(row)


def _check_key(session: Session, signed: package.Signed) -> None:
    office, key, path = signed.office, signed.key, signed.path
    enrolled = session.exec(select(OfficeKey).where(OfficeKey.office_id == office["id"])).all()
    if not enrolled:
        raise package.refused(path, "同步包", f"来自还没有登记的单位“{office['name']}”",
                              "请先在“数据同步”页用这个包或对方的公钥文件登记该单位（电话核对指纹），再导入")
    match = next((k for k in enrolled if k.key_id == key["id"]), None)
    if match is None or match.public_key != key["public_key"]:
        raise package.refused(path, "同步包", f"不是用“{office['name']}”登记过的密钥签的",
                              "如对方更换过密钥，请先电话核对指纹并重新登记；否则这个包可能是伪造的，请不要导入")
    if match.valid_to and str(signed.manifest.get("made_at", "")) > match.valid_to:
        raise package.refused(path, "同步包", f"是用“{office['name']}”已停用的密钥签的（停用于 {match.valid_to[:10]}）",
                              "请让对方用现在的密钥重新导出")
    if not signed.signed_by(match.public_key):
        raise package.refused(path, "同步包", "的签名不符：包在导出后被改动过，或不是该单位的密钥签的",
                              "请让对方重新导出一份，不要导入这个包")


def _applied(rows: list[SyncReceived]) -> list[SyncReceived]:
    """The applied packages in the order they were applied: a held package applied when the one it waited for
    came has an older row than that one, but it is the last applied (ordering by row made the county wait for
    a number it already had, holding every later package)."""
    return sorted((r for r in rows if r.status == "applied"), key=lambda r: (r.applied_at, r.id))


def _rewind_report(signed: package.Signed, applied: list[SyncReceived]) -> tuple[str, bool]:
    """A township that restored an old backup sends a package of a new epoch: say which received packages
    carried changes it no longer has. The county keeps what it received; a record changed again there under
    the same version is reported as a conflict, never written over."""
    epoch_record = next((p for p in package.read_records(signed).get("workspace_epoch", [])
                         if p.get("id") == signed.manifest.get("epoch_id")), None)
    name = signed.office["name"]
    if epoch_record is None or epoch_record.get("previous_epoch_id") not in {r.epoch_id for r in applied}:
        raise package.refused(signed.path, "同步包", f"属于“{name}”的另一段历史（时期不符），与县里已收到的包接不上",
                              "请让对方导出全量包（sync export --full）后再导入")
    resumed = _int(epoch_record.get("resumed_seq"))
    lost = [r for r in applied if r.epoch_id == epoch_record["previous_epoch_id"] and r.last_seq > resumed]
    when = str(epoch_record.get("started_at", ""))[:10]
    source = f"从备份“{epoch_record.get('restored_from', '')}”" if epoch_record.get("restored_from") else "从备份"
    if not lost:
        return f"“{name}”于 {when} {source}恢复过；县里收到的包都在恢复点之前，乡镇没有丢失已交来的改动。", False
    numbers = "、".join(f"第 {r.number} 号" for r in lost)
    count = sum(json.loads(r.summary or "{}").get("new", 0) + json.loads(r.summary or "{}").get("updated", 0)
                for r in lost)
    return (f"“{name}”于 {when} {source}恢复过：县里此前收到的{numbers}包中约 {count} 条记录的改动，"
            "乡镇现在已经没有了（县里仍保留收到的内容和原包存档）。请与乡镇核对这些改动。"), True


def _hold(ws, signed: package.Signed, expected: int, rewind: str = "") -> None:
    with ws.transaction("sync.hold") as s:
        archived = _archive(ws, s, signed)
        s.add(SyncReceived(office_id=signed.office["id"], number=_int(signed.manifest.get("number")),
                           epoch_id=str(signed.manifest.get("epoch_id", "")), sha256=signed.sha256,
                           archived_name=archived, status="held", made_at=str(signed.manifest.get("made_at", "")),
                           received_at=utc_now(),
                           summary=json.dumps({"waiting_for": expected, "rewind": rewind}, ensure_ascii=False)))


def _release_held(ws, office_id: str) -> list[PackageResult]:
    """Apply held packages of `office_id` whose turn has come, in number order."""
    out = []
    while True:
        with ws.reading() as s:
            rows = s.exec(select(SyncReceived).where(SyncReceived.office_id == office_id)
                          .order_by(SyncReceived.id)).all()
            applied = _applied(rows)
            nxt = applied[-1].number + 1 if applied else 1
            epoch = applied[-1].epoch_id if applied else None  # packages held for a rewind wait for a decision
            ready = next((r for r in rows if r.status == "held" and r.number == nxt
                          and epoch in (None, r.epoch_id)), None)
        if ready is None:
            return out
        path = ws.root / RECEIVED_DIR / ready.archived_name
        result = PackageResult(file=path.name, number=ready.number)
        try:
            signed = package.read(path, "package")
            result.office = signed.office["name"]
            _import_one(ws, signed, result, False, held_row=ready.id)
        except UserError as exc:
            result.reason = str(exc)
        out.append(result)
        if result.status != "applied":
            return out


def _held_heads(session: Session, office_id: str) -> list[heads.Head]:
    conn = chain.raw_connection(session)
    return heads.fund_heads(conn.execute(
        "SELECT id, chain_length, chain_head FROM fund WHERE office_id = ?", (office_id,)).fetchall())


def _check_chains(session: Session, signed: package.Signed, office_id: str, before: list[heads.Head]) -> None:
    """With the package's records in place: every fund chain of the office re-verified, each at the head the
    package declares, and still holding the heads the county had before (a chain rewritten at the township
    after the county received it does not extend them)."""
    conn = chain.raw_connection(session)
    report = chain.verify_chains_on(conn, office_id=office_id)
    witnesses.compare_heads(conn, report, before, "县里此前收到的数据")
    try:
        declared = heads.fund_heads((str(f), int(n), str(h)) for f, n, h in signed.manifest.get("heads", []))
    except (TypeError, ValueError):
        raise package.refused(signed.path, "同步包", "的清单已损坏") from None
    held = {row[0]: (int(row[1] or 0), row[2] or "") for row in conn.execute(
        "SELECT id, chain_length, chain_head FROM fund WHERE office_id = ?", (office_id,))}
    for head in declared:
        if held.get(head.fund_id) != (head.length, head.head):
            report.add(witnesses.ChainProblem("", "head", "-", "同步包声明的哈希链链尾与包里的记录对不上", "同步包"))
    if not report.ok:
        details = "；".join(p.describe() for p in report.problems[:3])
        raise package.refused(signed.path, "同步包", f"里的账目哈希链核对不上（{details}）",
                              "这说明乡镇的已记账分录在程序之外被改过。请与乡镇联系，在乡镇的电脑上运行“核验数据”查明原因")


def _check_files(ws, signed: package.Signed, records: dict[str, list[dict]]) -> None:
    """The package carries the files its records name (attachments, published notices' PDFs) — or the county
    has them already — and no file that none of them names (as the township's export chooses them)."""
    named = {p["sha256"] for p in records.get("attachment", []) if p.get("sha256")}
    named |= {p["pdf_sha256"] for p in records.get("notice", []) if p.get("pdf_sha256") and p.get("pdf_name")}
    carried = {name.split("/", 1)[1] for name in signed.members if name.startswith(package.FILES + "/")}
    if carried - named:
        raise package.refused(signed.path, "同步包", "里有不属于任何记录的文件（可能被改动过）",
                              "请让对方重新导出一份，不要导入这个包")
    missing = [sha for sha in named - carried if not ws.attachment_path(str(sha)).is_file()]
    if missing:
        raise package.refused(signed.path, "同步包", f"缺少记录所附的 {len(missing)} 个文件（凭证、照片或公示文件）",
                              "请让对方重新导出一份（对方导出时会核对文件是否齐全）")


def _place_files(ws, session: Session, signed: package.Signed) -> None:
    """The package's files into the content-addressed store (published notices' PDFs too, by their hash:
    townships number their notices alike); removed again if the transaction fails."""
    for name in signed.members:
        if not name.startswith(package.FILES + "/"):
            continue
        sha = name.split("/", 1)[1]
        target = ws.attachment_path(sha)
        if target.exists():
            continue
        package.extract_file(signed, sha, target)
        session.info.setdefault(NEW_FILES, []).append(target)


def _archive(ws, session: Session, signed: package.Signed) -> str:
    """The package file kept unchanged under sync/received/<office>/ (removed again if the transaction fails)."""
    folder = ws.root / RECEIVED_DIR / package.safe_name(signed.office["id"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / signed.path.name
    if target.exists() and files.sha256_of(target) != signed.sha256:
        target = folder / f"{signed.path.stem}-{signed.sha256[:8]}{package.SUFFIX}"
    if not target.exists():
        package.clear_partials(target)
        files.copy_atomically(signed.path, target)
        session.info.setdefault(NEW_FILES, []).append(target)
    return os.path.relpath(target, ws.root / RECEIVED_DIR).replace(os.sep, "/")


# ---------------------------------------------------------------------------------------------- receipts, notes


def resolve_office(session: Session, given: str) -> Office:
    """An enrolled office by name, division code or id (its first characters will do)."""
    given = given.strip()
    enrolled = {k.office_id for k in session.exec(select(OfficeKey))}
    offices = [o for o in session.exec(select(Office)) if o.id in enrolled]
    found = [o for o in offices if given in (o.name, o.division_code, o.id) or (len(given) >= 8 and o.id.startswith(given))]
    if len(found) != 1:
        names = "、".join(o.name for o in offices) or "（还没有）"
        raise UserError(f"找不到已登记并导入过数据的单位“{given}”。已有的单位：{names}。请用其中一个名称。")
    return found[0]


def write_receipt(ws, office: str, out: Path | str) -> Path:
    """The receipt for one township: the packages the county holds from it, the chain heads of its funds as
    the county holds them, and the county's review notes. Signed with the county's key."""
    folder = out_folder(out)
    with ws.transaction("sync.receipt") as s:
        county = _county(s)
        township = resolve_office(s, office)
        key = signing_key(s, county)
        rows = s.exec(select(SyncReceived).where(SyncReceived.office_id == township.id)
                      .order_by(SyncReceived.number)).all()
        conn = chain.raw_connection(s)
        held = heads.fund_heads(conn.execute("SELECT id, chain_length, chain_head FROM fund WHERE office_id = ?",
                                             (township.id,)).fetchall())
        notes = s.exec(select(ReviewNote).where(ReviewNote.office_id == township.id)).all()
        body = {"to": {"id": township.id, "name": township.name},
                "packages": [[r.epoch_id, r.number, r.status] for r in rows],
                "heads": [[h.fund_id, h.length, h.head] for h in held],
                "notes": [{"id": n.id, "table": n.table_name, "record_id": n.record_id, "label": n.label,
                           "text": n.text, "written_at": n.written_at, "written_by": n.written_by} for n in notes]}
        target = free_name(folder, f"同步回执-{package.safe_name(township.name)}-{utc_now()[:10]}")
        package.write(target, "receipt", body, key, office_dict(county))
    return target


def add_review_note(ws, office: str, text: str, *, table: str = "", record_id: str = "", label: str = "") -> ReviewNote:
    """A review note for a township (on one of its records, or general), sent in its next receipt."""
    text = check_text("意见", text, 500, multiline=True)
    if not text:
        raise UserError("请写上意见的内容，例如“凭证不清晰，请补扫”。")
    with ws.transaction("sync.note") as s:
        _county(s)
        township = resolve_office(s, office)
        note = ReviewNote(office_id=township.id, table_name=table, record_id=record_id, label=label[:200], text=text,
                          written_at=utc_now(), written_by=ws.operator)
        s.add(note)
        return note


