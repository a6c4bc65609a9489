"""Private numbers however they are typed, and what must stay readable beside them (the hostile tester's
list): every leaking form is found by `privacy.find_private_numbers` with its digits, and printed as *** —
the whole number, its separators included, the words around it as they were — by the public lists
(`redact_private_numbers`) and by the notices' privacy pass; every ordinary number (vouchers, dates,
amounts, receipt numbers, counts) prints unchanged. Names of people are found however they are spaced.
Before this table, 8 of its 58 forms were masked (4 of the 44 from the tester's list: local numbers after
电话/座机/tel/phone) and one receipt number was masked that must not be (票号 0288001234)."""

import re

import pytest

from desktop_app.core.notices.redaction import PrivacyPass
from desktop_app.core.privacy import (
    NUMERALS,
    find_name,
    find_private_numbers,
    normalise,
    redact_private_numbers,
)

# (what is typed before the number and stays, the number as typed, its digits as found)
LEAKING = [
    ("手机", "139，1234，5678", "13912345678"),
    ("", "139、1234、5678", "13912345678"),
    ("", "139,1234,5678", "13912345678"),
    ("", "139一1234一5678", "13912345678"),  # 一 typed as a dash
    ("", "139ー1234ー5678", "13912345678"),
    ("", "139～1234～5678", "13912345678"),
    ("", "139〜1234〜5678", "13912345678"),
    ("", "139‧1234‧5678", "13912345678"),
    ("", "139(1234)5678", "13912345678"),
    ("", "139:1234:5678", "13912345678"),
    ("", "139*1234*5678", "13912345678"),
    ("", "139|1234|5678", "13912345678"),
    ("", "139+1234+5678", "13912345678"),
    ("", "139'1234'5678", "13912345678"),
    ("", "139x1234x5678", "13912345678"),
    ("", "139    1234    5678", "13912345678"),
    ("", "139\u00a0\u00a0\u00a0\u00a01234\u00a0\u00a0\u00a0\u00a05678", "13912345678"),
    ("", "139\u31641234\u31645678", "13912345678"),  # Hangul filler
    ("", "1\u0303 3 9 1 2 3 4 5 6 7 8", "13912345678"),  # a combining tilde on the first digit
    ("", "一三九一二三四五六七八", "13912345678"),
    ("", "一三九〇〇一二三四五六", "13900123456"),
    ("", "一三九零零一二三四五六", "13900123456"),
    ("", "139一二三四5678", "13912345678"),
    ("身份证", "510101，19900101，123X", "51010119900101123X"),
    ("银行卡", "6222，0212，3456，7890，123", "6222021234567890123"),
    ("IDNo", "51010119900101123X", "51010119900101123X"),  # a Latin letter right before the number
    ("", "510101 900101 123", "510101900101123"),  # a 15-digit ID in groups
    ("存折", "8801234567890", "8801234567890"),
    ("", "8801234567890", "8801234567890"),  # a 13-digit passbook number alone
    ("账号", "62220212345678901234", "62220212345678901234"),
    ("", "62220212345678901234", "62220212345678901234"),
    ("", "622202 1234567890123", "6222021234567890123"),
    ("", "2221 0012 3456 7890", "2221001234567890"),  # Mastercard 2-series
    ("", "+86 818 8631234", "08188631234"),
    ("拨打", "013912345678", "013912345678"),
    ("请拨打", "8631234", "8631234"),
    ("致电", "8631234", "8631234"),
    ("联系", "8631234", "8631234"),
    ("热线", "863 1234", "8631234"),
    ("微信 ", "8631234", "8631234"),
    ("电话", "86312345", "86312345"),
    ("座机：", "8631234", "8631234"),
    ("tel ", "8631234", "8631234"),
    ("Phone: ", "863 1234", "8631234"),
    # beyond the tester's list, the same ideas a step further
    ("", "139……1234……5678", "13912345678"),
    ("", "139 - 1234 - 5678", "13912345678"),
    ("", "壹叁玖壹贰叁肆伍陆柒捌", "13912345678"),
    ("", "幺三九幺二三四五六七八", "13912345678"),
    ("", "一 三 九 一 二 三 四 五 六 七 八", "13912345678"),
    ("", "139 一 1234 一 5678", "13912345678"),
    ("", "①③⑨①②③④⑤⑥⑦⑧", "13912345678"),
    ("", "𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "13912345678"),
    ("", "139\n1234\n5678", "13912345678"),
    ("", "五一〇一〇一一九九〇〇一〇一一二三X", "51010119900101123X"),
    ("", "5101 0190 0101 123", "510101900101123"),
    ("", "(0818) 862-1234", "08188621234"),
    ("电话（", "8621234", "8621234"),
    ("联系电话：“", "8621234", "8621234"),
]

STAYS = [
    "2024-0014", "冲销凭证 2024-0021", "凭证2024-0014、2024-0015、2024-0016、2024-0017、2024-0018",
    "2024-03-28", "2024.3.28", "20240328", "2024/12/20 2025/01/05 2025/02/01", "2024-03-28 09:30:15 至 11:00",
    "二〇二四年三月二十八日", "¥1,000,000.00", "1,200.50元", "¥13,800,000,000.00", "支出¥1,150.00（1,150.00元）",
    "¥138.00，1234.56元", "票据号 12345678", "票号 0288001234", "票据号：1234567890", "票号 123456789",
    "票据51010124 0003518", "51010124 0101351", "62010124 0000123456", "编号20241220", "2024年", "200余份", "250份", "发放 200 份，每份 50 元，共 10,000.00 元",
    "时间09:30-11:00", "电话：2024-12-20", "电话费8000元", "区划代码 511781107000", "1920x1080",
    "第1、2、3、4、5、6、7期", "星期一二三四五六日", "三四月份",
    "统一社会信用代码 91511781MA62X4T21K", "核验码 ABCDE-FGH23", "完成率 98.5%", "每户 200 元 × 150 户 = 30,000 元",
]


def compact(text: str) -> str:
    """The text as digits can be read in it: normalised, Chinese numerals as digits, every character that
    is neither a digit, X nor a letter or ideograph left out (so 139，1234，5678 reads 13912345678)."""
    text = "".join(NUMERALS.get(c, c) for c in normalise(text).upper())
    return re.sub(r"[^0-9X\w]|_", "", text)


IDS = [f"{k}-{number[:12]}" for k, (_lead, number, _d) in enumerate(LEAKING)]


@pytest.mark.parametrize(("lead", "number", "digits"), LEAKING, ids=IDS)
def test_each_leaking_form_is_found_with_its_digits(lead, number, digits):
    text = f"捐赠人{lead}{number}，谢谢"
    [hit] = find_private_numbers(text)
    assert hit.digits == digits
    assert text[hit.start:hit.end] == number  # the whole span as typed, separators and marks included


@pytest.mark.parametrize(("lead", "number", "digits"), LEAKING, ids=IDS)
def test_each_leaking_form_prints_masked_in_public_lists_and_notices(lead, number, digits):
    text = f"捐赠人{lead}{number}，谢谢"
    expected = f"捐赠人{lead}***，谢谢"
    assert redact_private_numbers(text) == expected
    assert PrivacyPass(set(), set()).clean(text) == expected
    assert digits.rstrip("X")[-8:] not in compact(expected)


@pytest.mark.parametrize("text", STAYS)
def test_ordinary_numbers_print_as_typed(text):
    assert find_private_numbers(text) == []
    assert redact_private_numbers(text) == text
    assert PrivacyPass(set(), set()).clean(text) == text


def test_several_forms_in_one_text_each_go_and_the_rest_stays():
    text = "；".join(f"第{k}项{lead}{number}" for k, (lead, number, _d) in enumerate(LEAKING)) + "；" + "，".join(STAYS)
    cleaned = redact_private_numbers(text)
    assert cleaned == "；".join(f"第{k}项{lead}***" for k, (lead, _n, _d) in enumerate(LEAKING)) + "；" + "，".join(STAYS)


def test_the_leaders_phone_stays_in_a_notice_in_any_grouping():
    p = PrivacyPass(set(), {"13551281592", "0818-8622345"})
    for text in ("135，5128，1592", "135 5128 1592", "一三五五一二八一五九二", "+86 818 8622345", "0818－8622345"):
        assert p.clean(f"负责人电话{text}") == f"负责人电话{text}"
    assert p.clean("私人电话139，1234，5678") == "私人电话***"
    official = PrivacyPass(set(), {"+86 818 8622345", "0086 135 5128 1592"})  # recorded with the country code
    for text in ("0818-8622345", "(0818)8622345", "电话8622345", "135 5128 1592", "+86 135 5128 1592"):
        assert official.clean(text) == text
    assert official.clean("0818-8622346") == "***"
    # a numeral right after the number is a word (八台镇), not a digit that would make it another number
    assert p.clean("万源市慈善会：0818-8622345；八台镇民政办") == "万源市慈善会：0818-8622345；八台镇民政办"


@pytest.mark.parametrize("written", ["赵大山", "赵 大山", "赵\u3000大山", "赵\u200b大山", "赵·大山", "赵・大山", "赵 · 大 山",
                                     "赵\u00a0大\u2060山"])
def test_a_watched_name_is_found_however_it_is_spaced(written):
    p = PrivacyPass(set(), set())
    p.watch("赵大山", "爱心人士", "未记录公开同意")
    assert p.clean(f"谢谢{written}的捐赠") == "谢谢爱心人士的捐赠"
    assert [("赵大山", "爱心人士")] == [(m.original, m.shown) for m in p.masked.values()]
    assert find_name(f"谢谢{written}", "赵大山") == [(2, 2 + len(written))]


def test_a_name_spaced_apart_from_other_words_is_not_joined_to_them():
    assert find_name("赵大 山村", "赵大山") == [(0, 4)]  # read as the name: the privacy side wins
    assert find_name("赵大", "赵大山") == [] and find_name("大山赵", "赵大山") == []
    assert find_name("阿依古丽买买提来了", "阿依古丽·买买提") == [(0, 7)]  # a name written with its dot
