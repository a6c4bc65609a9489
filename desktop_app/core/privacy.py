"""What may appear in public output (个人信息保护法 第25、28、29条; 慈善法 第82条): names, and the private
numbers in free text (`find_private_numbers`), for every public output — notices, corrections, exports."""

import re
import unicodedata
from dataclasses import dataclass

ANONYMOUS_DONOR = "爱心人士"


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明. Organisations are not masked by callers."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def is_individual(kind: str | None) -> bool:
    """Whether a counterparty is a private person, by its recorded kind (个人, 企业, 社会组织 …) — never guessed
    from the characters of the name (王学军, 陈会 and 李行 are people). An unknown kind counts as a person:
    masking an organisation's name costs little, printing a person's costs much."""
    return not kind or kind == "个人"


def public_counterparty(name: str | None, anonymous: bool, consent: bool, kind: str | None = None) -> str:
    """The donor name a public list may show: 爱心人士 without recorded consent; with it, a person's name
    masked (张*明) and an organisation's in full."""
    name = (name or "").strip()
    if anonymous or not name or not consent:
        return ANONYMOUS_DONOR
    return mask_name(name) if is_individual(kind) else redact_private_numbers(name)


def redact_private_numbers(text: str, mark: str = "***") -> str:
    """`text` with every private number (however written) replaced by `mark`, the rest as it was: for public
    lists outside a notice, which have no official phones to keep."""
    out, at = [], 0
    for hit in find_private_numbers(text):
        out += [text[at:hit.start], mark]
        at = hit.end
    return "".join(out) + text[at:] if out else text


# ------------------------------------------------------------------------------ private numbers in free text
# Detection works on a normalised form of the text, so that 全角 digits, invisible characters pasted from Word
# or typed on purpose, and separators between digits cannot hide a number:
#   NFKC (１３８ → 138, ｘ → x, 全角 space → space), invisible characters removed, other decimal digits
#   (٣, ३ …) read as 0–9;
#   a "chain" is digit groups joined by separators (space, . - — – · / _ ) and their full-width forms);
#   a number is a run of whole groups of a chain whose digits have the number's shape.
# What is found is reported as a span of the original text, so the caller replaces exactly that and keeps the
# rest as it was. Grouped (non-contiguous) numbers are taken only with their full shape, so dates
# (2024-12-20), amounts (¥1,234.50, 3.5万), voucher numbers (2024-0014 2024-0015) and receipt numbers
# (51010124 0003518) stay.

INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u180e", "\u034f"])
SEPARATORS = " \t.-‐‑‒–—―−·・•/_)"  # after NFKC: 全角 space, '－', '．', '／', '）' are among these
_SEP = "[" + re.escape(SEPARATORS) + "]"
_CHAIN = re.compile(rf"[0-9]+[Xx]?(?:{_SEP}{{1,3}}[0-9]+[Xx]?)*")
_LEAD = re.compile(r"(?:电话|手机|座机|固话|联系方式|联系号码|(?i:tel|phone))(?:号码|号)?[:.\s]*(?:是|为)?[:\s]*\Z")
_MOBILE = re.compile(r"(?:86)?1[3-9][0-9]{9}")
_LONG = re.compile(r"[0-9]{14,18}[0-9X]")  # an ID (15 or 18) or an account number written in one piece
_ID18 = re.compile(r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]")
_CARD = re.compile(r"[3-69][0-9]{15,18}")
_AREA = re.compile(r"0[1-9][0-9]{1,2}")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")
_LANDLINE = re.compile(r"(0[1-9][0-9]{1,2})([2-9][0-9]{6,7})")
_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class PrivateNumber:
    """A private number found in a text: `start:end` in the original text, its kind, its digits (X upper)."""

    start: int
    end: int
    kind: str  # "mobile" | "landline" | "local" (after 电话/Tel…) | "id" (ID or bank/account number)
    digits: str
    area: str = ""  # a landline's area code


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    origin: list[int] = []
    for k, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        for c in unicodedata.normalize("NFKC", ch):
            if c in INVISIBLE:
                continue
            if not ("0" <= c <= "9") and unicodedata.decimal(c, None) is not None:
                c = str(unicodedata.decimal(c))
            out.append(c)
            origin.append(k)
    return "".join(out), origin


def normalise(text: str) -> str:
    """The form private numbers are looked for in (NFKC, invisible characters removed, digits as 0–9)."""
    return _normalise_mapped(text or "")[0]


def digits_of(text: str) -> str:
    """The digits of a number as written (full-width and separated forms included), X upper-cased."""
    return "".join(c for c in normalise(text).upper() if "0" <= c <= "9" or c == "X")


def _kind(norm: str, groups: list[tuple[int, int]], i: int, j: int, lead: bool) -> tuple[str, str, str] | None:
    """What the whole groups i..j of a chain are, as (kind, digits, area), or None."""
    parts = [norm[a:b].upper() for a, b in groups[i:j + 1]]
    if any("X" in p for p in parts[:-1]):
        return None
    digits = "".join(parts)
    start, end = groups[i][0], groups[j][1]
    bounded = not (start and _LETTER.match(norm[start - 1])) and not _LETTER.match(norm[end:end + 1])
    if "X" in digits:
        ok = (_LONG.fullmatch(digits) if i == j else _ID18.fullmatch(digits)) and bounded
        return ("id", digits, "") if ok else None
    if _MOBILE.fullmatch(digits):
        return "mobile", digits, ""
    if i == j:
        if _LONG.fullmatch(digits) and bounded:
            return "id", digits, ""
        m = _LANDLINE.fullmatch(digits)
        if m:
            return "landline", digits, m.group(1)
    else:
        sizes = [len(p) for p in parts]
        fours = all(n == 4 for n in sizes[:-1]) and 1 <= sizes[-1] <= 4
        if bounded and (_ID18.fullmatch(digits) or (_CARD.fullmatch(digits) and fours)):
            return "id", digits, ""
        if _AREA.fullmatch(parts[0]) and _LOCAL.fullmatch("".join(parts[1:])):
            return "landline", digits, parts[0]
    if lead and i == 0 and _LOCAL.fullmatch(digits) and all(len(p) >= 3 for p in parts):
        return "local", digits, ""
    return None


def find_private_numbers(text: str) -> list[PrivateNumber]:
    """Every phone (mobile, landline, local number after 电话/Tel…), ID and bank-card or account number in
    `text`, however written (full-width, invisible characters, any separators), in order, not overlapping."""
    if not text:
        return []
    norm, origin = _normalise_mapped(text)
    found: list[PrivateNumber] = []
    for chain in _CHAIN.finditer(norm):
        groups = [(m.start() + chain.start(), m.end() + chain.start())
                  for m in re.finditer(r"[0-9]+[Xx]?", chain.group(0))]
        lead = bool(_LEAD.search(norm, max(0, chain.start() - 16), chain.start()))
        i = 0
        while i < len(groups):
            best, total = None, 0
            for j in range(i, len(groups)):  # the longest run of whole groups that is a number wins
                total += groups[j][1] - groups[j][0]
                if total > 19:
                    break
                kind = _kind(norm, groups, i, j, lead)
                if kind:
                    best = (*kind, j)
            if not best:
                i += 1
                continue
            kind, digits, area, j = best
            a, b = groups[i][0], groups[j][1]
            if a and ((kind == "mobile" and norm[a - 1] == "+") or (kind == "landline" and norm[a - 1] == "(")):
                a -= 1
            found.append(PrivateNumber(origin[a], origin[b - 1] + 1, kind, digits, area))
            i = j + 1
    return found
