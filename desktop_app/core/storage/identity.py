"""Which office this workspace belongs to, at which level, in which epoch: the one place that answers
"this office". It reads the local table `local_identity`, which is never journalled or synced. Reads that
mean "all offices" (the county's views) simply do not ask it."""

import getpass
import os

from sqlmodel import Session

from desktop_app.core.models import LocalIdentity, Office


def local_identity(session: Session) -> LocalIdentity | None:
    """This workspace's identity row, or None before `init`."""
    return session.get(LocalIdentity, 1)


def local_office(session: Session) -> Office | None:
    """This workspace's own office, or None before `init`."""
    identity = local_identity(session)
    return session.get(Office, identity.office_id) if identity else None


def local_office_id(session: Session) -> str:
    """This workspace's office id, or "" before `init`."""
    identity = local_identity(session)
    return identity.office_id if identity else ""


def operator_name() -> str:
    """Who is working: the operating-system user name (until the product has user accounts). Never empty:
    when neither the environment nor the password database names the user (a service account, a container),
    the login name or, last, the numeric user id stands in."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment or the password database
        pass
    try:
        return os.getlogin()  # on Windows, GetUserNameW: no environment needed
    except OSError:
        pass
    return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


COUNTY_LEVEL = "县级慈善会"


def is_county(session: Session) -> bool:
    """Whether this workspace is a county charity association's (county mode: it holds its townships'
    records beside its own, read-only)."""
    identity = local_identity(session)
    return identity is not None and identity.level == COUNTY_LEVEL
