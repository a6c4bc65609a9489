"""Office signing keys: each office signs what it sends (packages, key files, receipts) with its own Ed25519
key, made when it is initialised (or on first need, for a workspace made before), kept in its database —
so every backup holds it — and shown as a fingerprint short enough to read over the phone.

Ed25519 from `cryptography` (PyCA): small keys and signatures, no parameters to get wrong, and signing
is deterministic, so the same manifest always gets the same signature."""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session, select

from desktop_app.core.models import SyncKey, utc_now


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:16]


def fingerprint(public_key: bytes | str) -> str:
    """Twenty digits in five groups (4821 0937 5562 1180 3374): easy to read out and compare by phone.
    64 bits of the key's SHA-256: forging a key with the same fingerprint is far out of reach."""
    raw = bytes.fromhex(public_key) if isinstance(public_key, str) else public_key
    number = int.from_bytes(hashlib.sha256(b"charity-ledger-key:" + raw).digest()[:8], "big") % 10**20
    digits = f"{number:020d}"
    return " ".join(digits[i:i + 4] for i in range(0, 20, 4))


def same_fingerprint(typed: str, public_key: bytes | str) -> bool:
    """Whether a typed fingerprint is this key's: spaces, dashes and full-width digits do not matter."""
    digits = "".join(ch for ch in typed.translate(_FULL_WIDTH) if ch.isdigit())
    return digits == fingerprint(public_key).replace(" ", "")


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def new_key(office_id: str) -> SyncKey:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    return SyncKey(key_id=key_id(public), office_id=office_id, private_key=private.private_bytes_raw().hex(),
                   public_key=public.hex(), created_at=utc_now())


def current_key(session: Session, office_id: str) -> SyncKey | None:
    return session.exec(select(SyncKey).where(SyncKey.office_id == office_id, SyncKey.retired_at == "")
                        .order_by(SyncKey.created_at.desc())).first()


def sign(key: SyncKey, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key.private_key)).sign(data)


def verifies(public_key: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
