"""Reading settings. A setting belongs to an office (a county database holds every township's), so each
lookup names the office, or says it means this workspace's own."""

import json

from sqlmodel import Session, select

from desktop_app.core.models import Setting
from desktop_app.core.settings import DEFAULTS
from desktop_app.core.storage.identity import local_office_id


def office_setting(session: Session, office_id: str, key: str):
    """`key`'s value for `office_id`, or its default when that office never set it."""
    row = session.exec(select(Setting).where(Setting.office_id == office_id, Setting.key == key,
                                             Setting.deleted == False)).first()  # noqa: E712
    return json.loads(row.value) if row else DEFAULTS[key]


def local_setting(session: Session, key: str):
    """`key`'s value for this workspace's own office."""
    return office_setting(session, local_office_id(session), key)
