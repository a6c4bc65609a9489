"""What the 数据同步 page and `sync status` show: in a township, its key, the packages it sent and what the
county acknowledged, the county's review notes; in the county, every enrolled office's packages — the last
applied and when, the held ones and the numbers missing."""

import json
from dataclasses import dataclass, field

from sqlmodel import Session, select

from desktop_app.core.models import (
    Office,
    OfficeKey,
    ReviewNote,
    SyncKey,
    SyncReceipt,
    SyncReceived,
    SyncSent,
)
from desktop_app.core.storage.identity import is_county, local_office_id
from desktop_app.core.sync.keys import fingerprint


@dataclass(frozen=True)
class SentPackage:
    number: int
    full: bool
    file_name: str
    records: int
    files: int
    made_at: str
    acknowledged: bool  # the county's last receipt lists it as applied


@dataclass(frozen=True)
class OfficeSync:
    """One enrolled office, as the county sees its packages."""

    office_id: str
    name: str
    division_code: str
    fingerprint: str
    keys: int  # enrolled keys, retired ones included
    last_number: int  # the last package applied (0: none yet)
    last_made_at: str
    last_received_at: str
    held: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    conflicts: int = 0
    rewinds: int = 0


@dataclass(frozen=True)
class TownshipSync:
    key_id: str
    fingerprint: str
    sent: list[SentPackage]
    county: str  # the county of the last receipt ("" before any)
    receipt_made_at: str
    notes: list[ReviewNote]


def township_status(session: Session) -> TownshipSync:
    office_id = local_office_id(session)
    key = session.exec(select(SyncKey).where(SyncKey.office_id == office_id, SyncKey.retired_at == "")
                       .order_by(SyncKey.created_at.desc())).first()
    receipt = session.exec(select(SyncReceipt).order_by(SyncReceipt.id.desc())).first()
    acknowledged = {int(n) for n, status in json.loads(receipt.packages) if status == "applied"} if receipt else set()
    sent = [SentPackage(r.number, r.full, r.file_name, r.records, r.files, r.made_at, r.number in acknowledged)
            for r in session.exec(select(SyncSent).order_by(SyncSent.number.desc()))]
    notes = list(session.exec(select(ReviewNote).where(ReviewNote.office_id == office_id)
                              .order_by(ReviewNote.done_at != "", ReviewNote.written_at.desc())))
    return TownshipSync(key.key_id if key else "", fingerprint(key.public_key) if key else "", sent,
                        receipt.county_name if receipt else "", receipt.made_at if receipt else "", notes)


def county_status(session: Session) -> list[OfficeSync]:
    """Every enrolled office (by division code), with its packages' state."""
    keys: dict[str, list[OfficeKey]] = {}
    for key in session.exec(select(OfficeKey)):
        keys.setdefault(key.office_id, []).append(key)
    received: dict[str, list[SyncReceived]] = {}
    for row in session.exec(select(SyncReceived).order_by(SyncReceived.id)):
        received.setdefault(row.office_id, []).append(row)
    out = []
    own = local_office_id(session)
    for office_id, enrolled in keys.items():
        if office_id == own:
            continue
        office = session.get(Office, office_id)
        current = next((k for k in enrolled if not k.valid_to), enrolled[-1])
        rows = received.get(office_id, [])
        applied = sorted((r for r in rows if r.status == "applied"), key=lambda r: (r.applied_at, r.id))  # as applied
        held = sorted(r.number for r in rows if r.status == "held")
        last = applied[-1] if applied else None
        top = max(held, default=0)
        missing = [n for n in range((last.number if last else 0) + 1, top) if n not in held]
        summaries = [json.loads(r.summary or "{}") for r in applied]
        out.append(OfficeSync(office_id, office.name if office else current.office_name,
                              office.division_code if office else "", fingerprint(current.public_key), len(enrolled),
                              last.number if last else 0, last.made_at if last else "",
                              last.applied_at if last else "", held, missing,
                              sum(len(s.get("conflicts", [])) for s in summaries),
                              sum(1 for s in summaries if s.get("rewind"))))
    return sorted(out, key=lambda o: (o.division_code, o.name))


def sync_status(session: Session) -> TownshipSync | list[OfficeSync]:
    return county_status(session) if is_county(session) else township_status(session)


@dataclass(frozen=True)
class ReceivedPackage:
    """One package the county holds from an office: applied, or held (with why)."""

    number: int
    status: str  # applied | held
    full: bool
    made_at: str
    received_at: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    waiting_for: int = 0  # held: the number missing before it
    rewind: str = ""  # held: the township restored an old backup (what the county received that it lost)


def received_packages(session: Session, office_id: str) -> list[ReceivedPackage]:
    """The packages the county received from `office_id`, the newest first (the county's 数据同步 page)."""
    out = []
    for row in session.exec(select(SyncReceived).where(SyncReceived.office_id == office_id)
                            .order_by(SyncReceived.id.desc())):
        try:
            summary = json.loads(row.summary or "{}")
        except ValueError:
            summary = {}
        summary = summary if isinstance(summary, dict) else {}
        out.append(ReceivedPackage(row.number, row.status, row.full, row.made_at, row.applied_at or row.received_at,
                                   int(summary.get("new") or 0), int(summary.get("updated") or 0),
                                   int(summary.get("unchanged") or 0), [str(c) for c in summary.get("conflicts") or []],
                                   int(summary.get("waiting_for") or 0), str(summary.get("rewind") or "")))
    return out


def written_notes(session: Session, office_id: str) -> list[ReviewNote]:
    """The county's review notes for `office_id`, the newest first (each goes out in every later receipt)."""
    return list(session.exec(select(ReviewNote).where(ReviewNote.office_id == office_id)
                             .order_by(ReviewNote.written_at.desc())))
