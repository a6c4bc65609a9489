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
#   NFKC (１３８ → 138, ｘ → x, 全角 space and NBSP → space, ，→ ,), invisible and format characters, Hangul
#   fillers (U+3164 …), variation selectors and combining marks (1̃) removed, other decimal digits (٣, ३ …)
#   read as 0–9; Chinese numerals (一三九〇 …, 壹贰, 幺) read as digits inside runs of at least 7 numerals and
#   digits (see `_readings`), with a lone 一 inside such a run also read as a dash (139一1234一5678);
#   a "chain" is digit groups joined by gaps of up to 12 separators — any punctuation, symbol or space
#   (、，:|*+'()～〜‧…… NBSP …), ー, or x between digits;
#   a number is a run of whole groups of a chain whose digits have the number's shape: a mobile (1[3-9] + 9
#   digits, maybe after 0, 86 or 0086), an ID (18 digits with a real province and birth date, the last maybe X,
#   in any groups; 15 likewise, in one piece, with its area code apart or in short groups), a bank-card or
#   account number (13–20 digits in one piece; 16–19 in groups of four from a card's first digits, or as
#   622202 + the rest; 12–20 in any groups after 账号/卡号/身份证 …), a landline with its area code
#   (0xx(x) + 7–8 digits, also +86 818 …), or 7–8 digits right after 电话/手机/拨打/致电/联系/热线/微信/Tel ….
# What is found is reported as a span of the original text (separators inside it included), so the caller
# replaces exactly that and keeps the rest as it was. Grouped numbers are taken only with their full shape and
# amounts never join one, so dates (2024-12-20, 2024.3.28, 20240328), amounts (¥1,234.50, ¥1,000,000.00,
# 1,200.50元, 3.5万), voucher numbers (2024-0014 2024-0015), counts, a receipt's code and number as the
# donations notice prints them (51010124 0003518) and numbers after 票据号/票号/编号 (0288001234) stay.

HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u00ad", "\u180e", "\u034f"] + sorted(HANGUL_FILLERS))
SEPARATORS = " \t.-‐‑‒–—―−·・•/_)"  # some of the separators (every punctuation, symbol and space is one)
NUMERALS = {"〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
            "七": "7", "八": "8", "九": "9", "壹": "1", "贰": "2", "貳": "2", "叁": "3", "參": "3", "肆": "4",
            "伍": "5", "陆": "6", "陸": "6", "柒": "7", "捌": "8", "玖": "9"}
_DASHES = frozenset("ーｰ")  # the katakana length mark, typed as a dash
# the character classes the chains are found in: d digit, n Chinese numeral, w space, x the letter x,
# s any other separator, o anything else
_GAP = r"[wsx]{1,12}"
_CHAIN = re.compile(rf"d+(?:{_GAP}d+)*")
_NUMERAL_RUN = re.compile(rf"[dn]+(?:{_GAP}[dn]+)*")
_FILL = r"(?:[^\w]|_|是|为){0,6}\Z"  # ：, （, “, 是 … between the lead word and the number
_LEAD = re.compile(r"(?:电话|手机|座机|固话|热线|拨打|致电|联系|微信|号码|(?<![A-Za-z])(?i:tel|phone|mobile|call))"
                   rf"(?:号码|号|方式|电话)?{_FILL}")
_ACCOUNT_LEAD = re.compile(r"(?:卡号|账号|帐号|账户|帐户|银行卡|储蓄卡|信用卡|存折|户号|身份证|证件|"
                           rf"(?<![A-Za-z])(?:I[Dd](?:\s*No)?|(?i:card|account|acct)))(?:号码|号)?{_FILL}")
_REFERENCE_LEAD = re.compile(r"(?:票据|票号|收据|发票|凭证|编号|单号|合同|协议|文号|批号|流水号|订单)"
                             rf"(?:号码|号|编号)?第?{_FILL}")
# amounts: 1,234.50 (thousands grouped), ¥138.00, 1234.56元; their digits never join a number
_AMOUNT = re.compile(r"(?<![0-9.])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+(?![0-9]|\.[0-9])|(?![0-9]|[,.][0-9]))"
                     r"|(?<=[¥$])[0-9]+\.[0-9]{1,2}(?![0-9]|\.[0-9])"
                     r"|(?<![0-9.])[0-9]+\.[0-9]{1,2}(?=\s*(?:元|万|亿|块|角))")
_PROVINCE = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])"
_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID18 = re.compile(rf"{_PROVINCE}[0-9]{{4}}(?:18|19|20)[0-9]{{2}}{_DAY}[0-9]{{3}}[0-9X]")
_ID15 = re.compile(rf"{_PROVINCE}[0-9]{{4}}[0-9]{{2}}{_DAY}[0-9]{{3}}")
_MOBILE = re.compile(r"(?:0086|86|0)?1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"(0[1-9][0-9]{1,2})([2-9][0-9]{6,7})")
_ABROAD_LANDLINE = re.compile(r"(?:0086|86)([1-9][0-9]{1,2})([2-9][0-9]{6,7})")  # +86 818 8631234
_AREA = re.compile(r"0[1-9][0-9]{1,2}")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")
_CARD_FIRST = re.compile(r"[3-69][0-9]{3}|2(?:22[1-9]|2[3-9][0-9]|[3-6][0-9]{2}|7[01][0-9]|720)")
_LONGEST = 24  # digits in a run of groups tried


@dataclass(frozen=True)
class PrivateNumber:
    """A private number found in a text: `start:end` in the original text, its kind, its digits (X upper)."""

    start: int
    end: int
    kind: str  # "mobile" | "landline" | "local" (after 电话/Tel…) | "id" (ID or bank/account number)
    digits: str
    area: str = ""  # a landline's area code


def _dropped(c: str) -> bool:
    """Whether the detector reads past `c`: invisible, a format character, a variation selector, a mark."""
    return c in INVISIBLE or unicodedata.category(c) in ("Cf", "Mn", "Me")


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    out: list[str] = []
    origin: list[int] = []
    for k, ch in enumerate(text):
        if _dropped(ch):
            continue
        for c in unicodedata.normalize("NFKC", ch):
            if _dropped(c):
                continue
            if not ("0" <= c <= "9") and unicodedata.decimal(c, None) is not None:
                c = str(unicodedata.decimal(c))
            out.append(c)
            origin.append(k)
    return "".join(out), origin


def normalise(text: str) -> str:
    """The form private numbers are looked for in (NFKC, invisible characters and marks removed, digits as
    0–9; Chinese numerals stay as they are)."""
    return _normalise_mapped(text or "")[0]


def digits_of(text: str) -> str:
    """The digits of a number as written (full-width and separated forms included), X upper-cased."""
    return "".join(c for c in normalise(text).upper() if "0" <= c <= "9" or c == "X")


def _class(c: str) -> str:
    if "0" <= c <= "9":
        return "d"
    if c in NUMERALS:
        return "n"
    if c.isspace():
        return "w"
    if c in "xX":
        return "x"
    if c in _DASHES or unicodedata.category(c)[0] in "PSZ":
        return "s"
    return "o"


def _readings(norm: str) -> list[tuple[str, str]]:
    """The ways `norm` is read, as (text, classes) of the same length. Chinese numerals are read as digits
    inside runs of at least 7 numerals and digits (gaps of separators allowed): 3 or more numerals in a row
    (一三九, 一二三四), 1–2 inside the run (5六78, 139 一 1234), or all of them when the run holds 7 or more
    numerals (一 三 九 …); a single 一 inside the run is read as a dash (139一1234一5678) and, in a second
    reading, as the digit 1. At the end of a run, 1–2 numerals stay words (0818-8622345；八台镇)."""
    classes = "".join(_class(c) for c in norm)
    if "n" not in classes:
        return [(norm, classes)]
    as_dash, as_one = list(norm), list(norm)
    cls_dash, cls_one = list(classes), list(classes)
    ambiguous = False
    for run in _NUMERAL_RUN.finditer(classes):
        body = run.group(0)
        numerals = body.count("n")
        if not numerals or body.count("d") + numerals < 7:
            continue
        for piece in re.finditer("n+", body):
            a, b = run.start() + piece.start(), run.start() + piece.end()
            inside = run.start() < a and b < run.end()  # digits or numerals on both sides, maybe past a gap
            if b - a < 3 and not inside and numerals < 7:
                continue
            for k in range(a, b):
                as_dash[k] = as_one[k] = NUMERALS[norm[k]]
                cls_dash[k] = cls_one[k] = "d"
            if b - a == 1 and inside and norm[a] == "一":
                as_dash[a], cls_dash[a] = "-", "s"
                ambiguous = True
    readings = [("".join(as_dash), "".join(cls_dash))]
    if ambiguous:
        readings.append(("".join(as_one), "".join(cls_one)))
    return readings


@dataclass(frozen=True)
class _Chain:
    text: str  # the reading
    groups: list[tuple[int, int]]
    lead: bool  # right after 电话/手机/拨打 …
    account: bool  # right after 账号/卡号/身份证 …
    reference: bool  # right after 票据号/编号/凭证 …


def _kind(c: _Chain, i: int, j: int) -> tuple[str, str, str] | None:
    """What the whole groups i..j of a chain are, as (kind, digits, area), or None."""
    norm, groups = c.text, c.groups
    start, end = groups[i][0], groups[j][1]
    parts = [norm[a:b] for a, b in groups[i:j + 1]]
    digits, single = "".join(parts), i == j
    reference = c.reference and i == 0
    sizes = [len(p) for p in parts]
    check = norm[end:end + 1]
    if check in ("x", "X") and _ID18.fullmatch(digits + "X"):
        return "id", digits + "X", ""
    # a 15-digit ID in groups: its area code apart (510101 900101 123) or spaced out in short groups — not a
    # receipt's code and number (51010124 0101351, as the donations notice prints them)
    if _ID18.fullmatch(digits) or (_ID15.fullmatch(digits) and (
            single or (not reference and (sizes[0] == 6 or max(sizes) <= 4)))):
        return "id", digits, ""
    if _MOBILE.fullmatch(digits):
        return "mobile", digits, ""
    if not (single and reference):
        m = _LANDLINE.fullmatch(digits)
        if m and (single or _AREA.fullmatch(parts[0])):
            return "landline", digits, m.group(1)
        m = _ABROAD_LANDLINE.fullmatch(digits)
        if m and (norm[start - 1:start] == "+" or digits.startswith("00")):
            return "landline", f"0{m.group(1)}{m.group(2)}", f"0{m.group(1)}"
    if not reference:
        n = len(digits)
        account = c.account and i == 0
        if single and (13 <= n <= 20 or (n == 12 and account)):
            return "id", digits, ""
        fours = all(k == 4 for k in sizes[:-1]) and 1 <= sizes[-1] <= 4
        if not single and (16 <= n <= 19 and ((fours and _CARD_FIRST.fullmatch(parts[0][:4]))
                                              or (parts[0].startswith("62") and sizes[0] == 6))
                           or (account and 12 <= n <= 20)):
            return "id", digits, ""
        if c.lead and i == 0 and _LOCAL.fullmatch(digits) and all(k >= 3 for k in sizes):
            return "local", digits, ""
    return None


def _in_code(norm: str, a: int, b: int) -> bool:
    """Whether norm[a:b] is part of a long hexadecimal code (a hash), not a number someone typed."""
    while a and norm[a - 1].isascii() and norm[a - 1].isalnum():
        a -= 1
    while b < len(norm) and norm[b].isascii() and norm[b].isalnum():
        b += 1
    token = norm[a:b]
    letters = [ch for ch in token if ch.isalpha()]
    return len(token) >= 16 and len(letters) >= 2 and all(ch in "abcdefABCDEF" for ch in letters)


def _find(norm: str, classes: str) -> list[tuple[int, int, str, str, str]]:
    """The numbers in one reading, as (start, end, kind, digits, area) in the reading."""
    found = []
    for chain in _CHAIN.finditer(classes):
        before = norm[max(0, chain.start() - 16):chain.start()]
        groups = [(chain.start() + m.start(), chain.start() + m.end()) for m in re.finditer("d+", chain.group(0))]
        amounts = [m.span() for m in _AMOUNT.finditer(norm, chain.start(), chain.end())]
        in_amount = [any(a <= g[0] and g[1] <= b for a, b in amounts) for g in groups]
        c = _Chain(norm, groups, bool(_LEAD.search(before)), bool(_ACCOUNT_LEAD.search(before)),
                   bool(_REFERENCE_LEAD.search(before)))
        i = 0
        while i < len(c.groups):
            best, total = None, 0
            for j in range(i, len(c.groups)):  # the longest run of whole groups that is a number wins
                total += c.groups[j][1] - c.groups[j][0]
                if total > _LONGEST or in_amount[j]:
                    break
                kind = _kind(c, i, j)
                if kind:
                    best = (*kind, j)
            if not best:
                i += 1
                continue
            kind, digits, area, j = best
            a, b = c.groups[i][0], c.groups[j][1] + (1 if digits.endswith("X") else 0)
            if kind == "id" and _in_code(norm, a, b):
                i += 1
                continue
            if a and ((kind in ("mobile", "landline") and norm[a - 1] == "+")
                      or (kind == "landline" and norm[a - 1] == "(")):
                a -= 1
            found.append((a, b, kind, digits, area))
            i = j + 1
    return found


def find_private_numbers(text: str) -> list[PrivateNumber]:
    """Every phone (mobile, landline, local number after 电话/Tel…), ID and bank-card or account number in
    `text`, however written (full-width, Chinese numerals, invisible characters, any separators), in order,
    not overlapping."""
    if not text:
        return []
    norm, origin = _normalise_mapped(text)
    hits: list[PrivateNumber] = []
    for reading, classes in _readings(norm):
        for a, b, kind, digits, area in _find(reading, classes):
            end = origin[b - 1] + 1
            while end < len(text) and _dropped(text[end]):  # a mark or invisible character after the number
                end += 1
            hits.append(PrivateNumber(origin[a], end, kind, digits, area))
    hits.sort(key=lambda h: (h.start, -h.end))
    found: list[PrivateNumber] = []
    for hit in hits:
        if not found or hit.start >= found[-1].end:
            found.append(hit)
    return found


# ------------------------------------------------------------------------------ names in free text
NAME_DOTS = frozenset("·‧•・･ㆍ᛫")  # the middle dots typed between the parts of a name (阿依古丽·买买提)


def _name_gap(c: str) -> bool:
    return c.isspace() or c in NAME_DOTS or _dropped(c)


def _squeezed(text: str) -> tuple[str, list[int]]:
    """`text` read as a name is: NFKC, without spaces (全角 too), invisible characters, marks and middle
    dots; with, for each character, the index of the original one."""
    out: list[str] = []
    origin: list[int] = []
    for k, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not _name_gap(c):
                out.append(c)
                origin.append(k)
    return "".join(out), origin


def squeeze(text: str) -> str:
    """`text` as names are looked for in it (see `find_name`): `name` is written in `text` exactly when
    `squeeze(name) in squeeze(text)` (a quick test before `replace_name`)."""
    return _squeezed(text or "")[0]


def find_name(text: str, name: str) -> list[tuple[int, int]]:
    """Where `name` is written in `text` (as `start, end` of the original text, in order), however it is
    spaced: 赵 大山, 赵　大山, 赵\u200b大山 and 赵·大山 are 赵大山. Empty for a name of fewer than 2 characters."""
    key = _squeezed(name or "")[0]
    if len(key) < 2 or not text:
        return []
    squeezed, origin = _squeezed(text)
    spans, at = [], squeezed.find(key)
    while at >= 0:
        spans.append((origin[at], origin[at + len(key) - 1] + 1))
        at = squeezed.find(key, at + len(key))
    return spans


def replace_name(text: str, name: str, shown: str) -> str:
    """`text` with every writing of `name` (see `find_name`) replaced by `shown`."""
    spans = find_name(text, name)
    for start, end in reversed(spans):
        text = text[:start] + shown + text[end:]
    return text
