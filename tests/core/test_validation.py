from datetime import date

import pytest

from desktop_app.core.errors import UserError
from desktop_app.core.privacy import mask_name, public_counterparty
from desktop_app.core.validation import check_division_code, check_fund_name, parse_date, parse_month


def test_dates():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2024年3月5日") == date(2024, 3, 5)
    with pytest.raises(UserError, match="不存在"):
        parse_date("2024-02-30")
    with pytest.raises(UserError, match="格式不对"):
        parse_date("30/02/2024")
    assert parse_month("2024-3") == "2024-03"


@pytest.mark.parametrize("code", ["51178110700", "5117811070001", "51178110700A", ""])
def test_division_code_must_be_12_digits(code):
    with pytest.raises(UserError, match="12 位数字"):
        check_division_code(code)


def test_fund_name_convention_is_explained_not_enforced():
    assert check_fund_name("万源市慈善会八台镇尚善社区基金", "万源市慈善会").ok
    check = check_fund_name("八台爱心款", "万源市慈善会")
    assert not check.ok
    assert "基金" in check.explanation and "万源市慈善会" in check.explanation


def test_privacy_masks():
    assert mask_name("张小明") == "张*明"
    assert mask_name("张三") == "张*"
    assert public_counterparty("张小明", anonymous=False, consent=False) == "爱心人士"
    assert public_counterparty("万源市鑫达建材有限公司", anonymous=False, consent=True, kind="企业") == "万源市鑫达建材有限公司"
    assert public_counterparty("张小明", anonymous=True, consent=True) == "爱心人士"


def test_people_are_told_from_organisations_by_their_recorded_kind_not_their_name():
    """王学军, 欧阳学文, 陈会 and 李行 hold characters of organisation names (学, 会, 行): still people."""
    for name, shown in (("王学军", "王*军"), ("欧阳学文", "欧**文"), ("陈会", "陈*"), ("李行", "李*"), ("张所长", "张*长")):
        assert public_counterparty(name, anonymous=False, consent=True, kind="个人") == shown
        assert public_counterparty(name, anonymous=False, consent=True) == shown  # kind unknown: a person
    assert public_counterparty("万源市鑫达建材有限公司", anonymous=False, consent=True) == "万*********司"
    assert public_counterparty("万源市慈善会", anonymous=False, consent=True, kind="社会组织") == "万源市慈善会"
