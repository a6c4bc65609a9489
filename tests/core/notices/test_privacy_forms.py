"""Private numbers cannot be typed around (issue 11): every form a hostile or careless user might type — 全角
digits, separators, single spaces, a zero-width space, an ID with dots or in full-width digits, a landline in
groups, a local number after 电话 in full-width digits, a bank card in groups — is caught in a donor's summary
printed by the fund-usage notice and in a published correction's text, while the leaders' official phones,
dates, amounts and voucher numbers print as they were typed."""

import json
import re
import shutil
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.demo.build import build_demo
from desktop_app.core.notices.request import NoticeRequest
from desktop_app.core.notices.templates import build_notice
from desktop_app.core.privacy import SEPARATORS, digits_of, find_private_numbers, normalise
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger, notices
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.storage.workspace import Workspace
from tests.core.notices.test_notice_service import install_fast_pdf

FORMS = [
    "１３８１２３４５６７８",
    "138.1234.5678",
    "138－1234－5678",
    "1381 234 5678",
    "1 3 8 1 2 3 4 5 6 7 8",
    "138\u200b12345678",
    "510101.19900101.123X",
    "５１０１０１．１９９００１０１．１２３Ｘ",
    "0818 862 1234",
    "电话：８６２１２３４",
    "6222 0212 3456 7890 123",
]
LEADER_PHONE = "13551281592"
# what must print exactly as typed, next to the forms: dates, amounts, voucher numbers, years, times
ORDINARY = ("2024.12.20、2024-12-20、2024/12/20、２０２４．１２．２０、2024年12月20日，金额¥1,234.50、3.5万元、"
            "１，２３４．５０元，凭证2024-0014、2024-0015 2024-0016，票据51010124 0003518，时间09:30-11:00，"
            "项目负责人电话135 5128 1592")
_BETWEEN_DIGITS = re.compile(f"(?<=[0-9X])[{re.escape(SEPARATORS)}]+(?=[0-9X])")


def tag(k: int) -> str:
    return f"第{'甲乙丙丁戊己庚辛壬癸子'[k]}种写法："


def compact(text: str) -> str:
    """The printed text normalised the way the privacy pass reads it, separators between digits dropped."""
    return _BETWEEN_DIGITS.sub("", normalise(text).upper())


def leaks(texts: list[str], k: int) -> bool:
    """Whether form k's number can be read in a printed line that carries its tag."""
    lines = [line for t in texts for line in t.splitlines() if tag(k) in line]
    assert lines, f"form {k} is not printed at all"
    return any(digits_of(FORMS[k]) in compact(line) for line in lines)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("forms") / "demo")


@pytest.fixture(scope="module")
def ws(demo_dir, tmp_path_factory):
    """The demo with one donation per form (its summary holds the number) and one with the ordinary text."""
    with pytest.MonkeyPatch.context() as mp:
        install_fast_pdf(mp)
        folder = tmp_path_factory.mktemp("forms_ws") / "ws"
        shutil.copytree(demo_dir, folder)
        workspace = Workspace.open(folder, auto_backup=False)
        with workspace.reading() as s:
            workspace.project = project_queries.list_projects(s)[0]
            fund = next(f for f in project_queries.list_funds(s) if "青花" in f.name)
        for k, form in enumerate([*FORMS, ORDINARY]):
            summary = f"{tag(k)}{form}，谢谢" if k < len(FORMS) else ORDINARY
            ledger.add_entry(workspace, EntryInput(
                fund_id=fund.id, entry_date=date(2024, 12, 15), entry_type="donation", amount=Decimal("100"),
                summary=summary, category="企业捐赠", counterparty_name="万源市巴山商贸有限公司",
                counterparty_kind="企业", publish_consent=True, payment_method="转账"), post=True)
        yield workspace, mp
        workspace.close(backup=False)


@pytest.fixture(scope="module")
def usage_texts(ws):
    workspace, _mp = ws
    with workspace.reading() as s:
        doc = build_notice(s, workspace.root, NoticeRequest(
            workspace.project.id, today=date(2026, 1, 10), written_on=date(2025, 1, 5), exclude_drafts=True))
    return doc.texts()


@pytest.fixture(scope="module")
def correction_texts(ws):
    workspace, _mp = ws
    req = NoticeRequest(workspace.project.id, date_to=date(2024, 12, 31), written_on=date(2025, 1, 5))
    result = notices.export_notice(workspace, req, workspace.root.parent / "公示.pdf")
    original = notices.publish_notice(workspace, result.notice.id, published_on=date(2025, 1, 6))
    text = "\n".join([*(f"{tag(k)}捐赠人联系方式应为{form}。" for k, form in enumerate(FORMS)), ORDINARY,
                      f"如有疑问请拨打项目负责人电话{LEADER_PHONE}。"])
    correction = notices.publish_correction(workspace, original.number, text, published_on=date(2025, 1, 20))
    return json.loads(correction.document_json)


@pytest.mark.parametrize("k", range(len(FORMS)), ids=[f"form{k}" for k in range(len(FORMS))])
def test_each_form_is_caught_by_the_detector(k):
    hits = find_private_numbers(f"{tag(k)}{FORMS[k]}，谢谢")
    assert [h.digits for h in hits] == [digits_of(FORMS[k])]


@pytest.mark.parametrize("k", range(len(FORMS)), ids=[f"form{k}" for k in range(len(FORMS))])
def test_no_form_prints_in_the_fund_usage_notice(usage_texts, k):
    assert not leaks(usage_texts, k)


@pytest.mark.parametrize("k", range(len(FORMS)), ids=[f"form{k}" for k in range(len(FORMS))])
def test_no_form_prints_in_a_correction(correction_texts, k):
    assert not leaks(correction_texts, k)


def test_the_rest_of_the_text_prints_as_it_was(usage_texts, correction_texts):
    for texts in (usage_texts, correction_texts):
        assert any(ORDINARY in t for t in texts)  # dates, amounts, vouchers and the leader's phone in groups
        assert any(LEADER_PHONE in t for t in texts)
    summary = next(t for t in usage_texts if tag(9) in t)
    assert summary == f"{tag(9)}电话：***，谢谢"  # the lead word stays, the number goes
    line = next(line for t in correction_texts for line in t.splitlines() if tag(0) in line)
    assert line == f"{tag(0)}捐赠人联系方式应为***。"


@pytest.mark.parametrize(("before", "number"), [
    ("日期2024.12.20 电话", "138.1234.5678"),
    ("¥1,234.50 ", "138 1234 5678"),
    ("3.5万 ", "1 3 8 1 2 3 4 5 6 7 8"),
    ("2024-0014 ", "510101.19900101.123X"),
    ("2024/12/20 ", "0818 862 1234"),
    ("２０２４．１２．２０　", "６２２２ ０２１２ ３４５６ ７８９０ １２３"),
])
def test_amounts_and_dates_next_to_a_number_stay(before, number):
    text = f"{before}{number}。"
    [hit] = find_private_numbers(text)
    assert (text[:hit.start], text[hit.start:hit.end], text[hit.end:]) == (before, number, "。")


@pytest.mark.parametrize("text", [
    "¥1,234.50", "3.5万", "１，２３４．５０元", "2024-0014", "2024-0014、2024-0015 2024-0016", "2024.12.20",
    "2024-12-20至2025.01.05", "2024/12/20 2025/01/05 2025/02/01", "51010124 0003518", "编号20241220",
    "时间09:30-11:00", "电话费8000元", "2024年", "核验码 ABCDE-FGH23", "电话：2024-12-20",
])
def test_ordinary_numbers_are_not_private(text):
    assert find_private_numbers(text) == []
