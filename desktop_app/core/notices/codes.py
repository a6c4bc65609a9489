"""Verification codes of notices: short, printed under a QR code, typed back in by anyone to check that
the data behind a notice has not changed since it was exported.

    content_hash = sha256(canonical JSON of the document's printed texts, without the code itself)
    entries_hash = sha256(the covered ledger entries' "id:chain_hash", sorted, one a line)
    code         = 9 characters of base32(sha256(content_hash || entries_hash)) + 1 check character

The alphabet has no 0, O, 1 or I, so a printed code cannot be misread; the code is shown as
"XXXXX-XXXXX". The check character (Luhn mod 32) tells a mistyped code from one that simply is not in
this workspace: every single wrong character and most swaps of two neighbours are caught.
"""

import hashlib
import json
import unicodedata
from collections.abc import Iterable

from desktop_app.core.errors import UserError

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
DATA_LENGTH = 9
CODE_LENGTH = DATA_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_DASHES = "-‐‑‒–—―－_·.。、,，"


class CodeError(UserError):
    """A verification code that cannot be one of ours as typed (wrong length, character or check)."""


class MistypedCode(CodeError):
    pass


class UnknownCode(UserError):
    """A well-formed code that no notice of this workspace carries."""


def content_hash(texts: Iterable[str]) -> str:
    """sha256 of the canonical JSON of a document's texts (`NoticeDocument.texts()` without its code)."""
    canonical = json.dumps(list(texts), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def entries_hash(entries: Iterable[tuple[str, str]]) -> str:
    """sha256 over the covered entries' (entry id, chain hash), in id order."""
    lines = sorted(f"{entry_id}:{chain_hash or ''}" for entry_id, chain_hash in entries)
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


def _base32(data: bytes) -> str:
    bits = int.from_bytes(data, "big")
    total = len(data) * 8
    return "".join(ALPHABET[(bits >> (total - 5 * (i + 1))) & 31] for i in range(total // 5))


def check_character(data: str) -> str:
    """Luhn mod 32 over the data characters (from the right, every second value doubled)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for ch in reversed(data):
        addend = factor * _VALUE[ch]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def derive_code(content: str, entries: str) -> str:
    """The printed code "XXXXX-XXXXX" for a content hash and an entries hash (hex strings)."""
    digest = hashlib.sha256(bytes.fromhex(content) + bytes.fromhex(entries)).digest()
    data = _base32(digest)[:DATA_LENGTH]
    return format_code(data + check_character(data))


def format_code(bare: str) -> str:
    return f"{bare[:5]}-{bare[5:]}"


def is_valid(bare: str) -> bool:
    return (len(bare) == CODE_LENGTH and all(ch in _VALUE for ch in bare)
            and check_character(bare[:-1]) == bare[-1])


def normalize_code(text: str) -> str:
    """What a person typed → "XXXXX-XXXXX", or a CodeError saying what is wrong.

    Accepts lower case, spaces, a missing or different dash and full-width characters. 0, O, 1 and I
    never occur in a code (the alphabet leaves them out so a printed code cannot be misread), so a
    typed one is a misreading with no single right answer: it is refused with a message naming it."""
    cleaned = unicodedata.normalize("NFKC", text or "").upper()
    bare = "".join(ch for ch in cleaned if not ch.isspace() and ch not in _DASHES)
    if not bare:
        raise CodeError("请输入核验码（公示末尾二维码旁的 10 位字母和数字，形如 ABCDE-FGH2K）。")
    confusable = sorted({ch for ch in bare if ch in "0O1I"})
    if confusable:
        raise MistypedCode(f"核验码有误：核验码里不会出现 {'、'.join(confusable)}（为避免看错，0、O、1、I 都不用）。"
                           "请对照公示上的核验码重新输入。")
    strange = [ch for ch in bare if ch not in _VALUE]
    if strange:
        raise MistypedCode(f"核验码有误：“{''.join(dict.fromkeys(strange))}”不是核验码里的字符。"
                           "核验码只有字母和数字 2–9，请核对后重新输入。")
    if len(bare) != CODE_LENGTH:
        raise MistypedCode(f"核验码有误：应为 {CODE_LENGTH} 位，输入的是 {len(bare)} 位。请核对后重新输入。")
    if check_character(bare[:-1]) != bare[-1]:
        raise MistypedCode("核验码有误（校验位不符），请核对后重新输入。")
    return format_code(bare)


def looks_like_code(text: str) -> bool:
    """Short enough and made of code characters (to tell a code from a file name on the command line)."""
    cleaned = unicodedata.normalize("NFKC", text or "").upper()
    bare = "".join(ch for ch in cleaned if not ch.isspace() and ch not in _DASHES)
    return 0 < len(bare) <= CODE_LENGTH + 2 and bare.isalnum() and bare.isascii()
