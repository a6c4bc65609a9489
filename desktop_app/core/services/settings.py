"""Changing this office's settings, stored as records (they travel with the data and are journalled)."""

import json

from sqlmodel import select

from desktop_app.core.models import Setting
from desktop_app.core.settings import parse_setting
from desktop_app.core.storage.identity import local_office_id


def set_setting(ws, key: str, value) -> None:
    """Store `value` for `key` after checking it (parse_setting)."""
    set_settings(ws, {key: value})


def set_settings(ws, values: dict) -> None:
    """Store several settings together: every value is checked first, then all are written in one
    transaction, so a refused value leaves all of them as they were."""
    checked = {key: parse_setting(key, value) for key, value in values.items()}
    with ws.transaction("setting.set") as s:
        office_id = local_office_id(s)
        for key, value in checked.items():
            row = s.exec(select(Setting).where(Setting.office_id == office_id, Setting.key == key)).first()
            if row is None:
                s.add(Setting(key=key, value=json.dumps(value)))
            else:
                row.value = json.dumps(value)
                row.deleted = False
                s.add(row)
