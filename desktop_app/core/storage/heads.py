"""Chain heads: where a fund's hash chain stood — (fund, chain length, hash at that length) — as recorded
outside the live records, to be compared with the live chain by `verify`.

A head is a witness: the live chain at that length must still have that hash, or some posted entry at or
before it was changed since (a chain recomputed end to end changes every hash after the changed entry).
Heads are carried by:
- every backup (its fund table: read from the backup file itself, see `backup_witness`);
- every published notice: its archived PDF holds the heads of the project's funds at publication in its
  Info keywords (`keywords`, read back by `read_pdf_heads`), and its QR code carries them beside the
  verification code (`qr_text`: the first characters of the fund id and of the hash, enough to check),
  so a printed notice on a notice board witnesses the books as they were when it was published.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HEADS_PREFIX = "charity-ledger-heads:"
QR_FUND_CHARS = 8  # of the fund id, in the QR code
QR_HASH_CHARS = 16  # of the head hash: 64 bits, far beyond forging by trial
QR_MAX_HEADS = 4  # more funds than this in one project: the QR code carries the first four
MAX_PDF_BYTES = 512 * 1024 * 1024
_HEADS_RE = re.compile(re.escape(HEADS_PREFIX.encode("ascii")) + rb"([0-9A-Za-z:,-]{0,8000})")
_QR_HEAD_RE = re.compile(rf"^([0-9A-Fa-f]{{{QR_FUND_CHARS}}}):(\d{{1,9}}):([0-9A-Fa-f]{{{QR_HASH_CHARS}}})$")


@dataclass(frozen=True)
class Head:
    """A fund's chain as it stood: its first `length` posted entries end in hash `head`. From a QR code,
    `fund_id` and `head` are prefixes (`partial`)."""

    fund_id: str
    length: int
    head: str
    partial: bool = False

    def matches(self, fund_id: str, stored_hash: str | None) -> bool:
        if self.partial:
            return self.names(fund_id) and (stored_hash or "").lower().startswith(self.head.lower())
        return fund_id == self.fund_id and stored_hash == self.head

    def names(self, fund_id: str) -> bool:
        """Whether this head is of fund `fund_id` (from a QR code: the id's first characters, dashes left out)."""
        if self.partial:
            return fund_id.replace("-", "").lower().startswith(self.fund_id.replace("-", "").lower())
        return fund_id == self.fund_id


def fund_heads(rows: Iterable[tuple[str, int, str]]) -> list[Head]:
    """Heads of funds from (fund id, chain length, chain head): funds with no posted entry carry none."""
    return sorted((Head(fund_id, int(length), head) for fund_id, length, head in rows if length), key=_order)


def _order(head: Head) -> tuple:
    return head.fund_id, head.length


def keywords(heads: Iterable[Head]) -> str:
    """The PDF keywords word carrying `heads` ("" when there are none)."""
    words = ",".join(f"{h.fund_id}:{h.length}:{h.head}" for h in heads)
    return f"{HEADS_PREFIX}{words}" if words else ""


def parse_keywords(text: str) -> list[Head]:
    out = []
    for word in text.split(","):
        parts = word.split(":")
        if len(parts) == 3 and parts[1].isdigit() and parts[0] and re.fullmatch(r"[0-9a-f]{64}", parts[2]):
            out.append(Head(parts[0], int(parts[1]), parts[2]))
    return out


def to_json(heads: Iterable[Head]) -> str:
    """The heads as a notice record keeps them: [[fund id, length, hash], …]."""
    return json.dumps([[h.fund_id, h.length, h.head] for h in heads])


def from_json(text: str | None) -> list[Head] | None:
    """The heads a notice record keeps; None when it keeps none (published before heads were sealed, or a
    draft) or what it keeps cannot be read."""
    if not text:
        return None
    try:
        rows = json.loads(text)
        return [Head(str(fund_id), int(length), str(head)) for fund_id, length, head in rows]
    except (ValueError, TypeError):
        return None


def read_pdf_heads(path: Path) -> list[Head] | None:
    """The heads a published notice's PDF carries in its keywords; None when it carries none (a notice
    published before heads were sealed) or the file cannot be read. The last occurrence wins."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PDF_BYTES)
    except OSError:
        return None
    found = _HEADS_RE.findall(data)
    return parse_keywords(found[-1].decode("ascii")) if found else None


def qr_text(code: str, heads: Iterable[Head]) -> str:
    """What the QR code of a published notice encodes: its verification code, then a word per fund
    (`FUND:LENGTH:HASH`, prefixes in upper case: the QR code's compact alphanumeric mode)."""
    words = [f"{h.fund_id.replace('-', '')[:QR_FUND_CHARS]}:{h.length}:{h.head[:QR_HASH_CHARS]}".upper()
             for h in list(heads)[:QR_MAX_HEADS]]
    return " ".join([code, *words])


def split_scanned(text: str) -> tuple[str, list[Head]]:
    """A scanned QR code's text → (the verification code as typed, the heads it carries). Plain codes
    (typed by hand, with or without spaces) come back unchanged with no heads."""
    words = (text or "").split()
    heads = [m for w in words if (m := _QR_HEAD_RE.match(w))]
    if not heads:
        return text, []
    code = " ".join(w for w in words if not _QR_HEAD_RE.match(w))
    return code, [Head(m.group(1).lower(), int(m.group(2)), m.group(3).lower(), partial=True) for m in heads]
