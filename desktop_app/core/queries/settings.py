"""Reading an office's settings."""

import json

from sqlmodel import Session, select

from desktop_app.core.models import Setting
from desktop_app.core.settings import DEFAULTS


def get_setting(session: Session, key: str):
    row = session.exec(select(Setting).where(Setting.key == key, Setting.deleted == False)).first()  # noqa: E712
    return json.loads(row.value) if row else DEFAULTS[key]
