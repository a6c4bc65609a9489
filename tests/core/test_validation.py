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
    assert public_counterparty("万源市鑫达建材有限公司", anonymous=False, consent=True) == "万源市鑫达建材有限公司"
    assert public_counterparty("张小明", anonymous=True, consent=True) == "爱心人士"
