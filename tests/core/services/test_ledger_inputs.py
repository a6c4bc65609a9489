"""Issue 11 in the ledger service: the inputs it accepted that it should not (future postings, empty and
not-a-file vouchers, unchecked free texts), a counterparty's kind, and a full disk part-way through."""

import os
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy.exc

from desktop_app.core.errors import UserError
from desktop_app.core.money import parse_amount
from desktop_app.core.quantities import parse_hours, parse_quantity
from desktop_app.core.services import ledger
from desktop_app.core.storage import chain
from tests.helpers import make_entry, table_rows


def state(ws) -> tuple[dict, dict[str, bytes]]:
    """Every row of every table and every file of the workspace (attachments, backups)."""
    workspace_files = {str(p.relative_to(ws.root)): p.read_bytes() for p in sorted(ws.root.rglob("*"))
                       if p.is_file() and not p.name.startswith(("ledger.db", "workspace.lock"))}
    return table_rows(ws.db_path), workspace_files


# ------------------------------------------------------------------ postings dated after this year


def test_posting_after_this_year_is_refused_unless_allowed(workspace):
    before = state(workspace)
    with pytest.raises(ledger.FutureDate, match="2052-01-02.*年底之后"):
        ledger.add_entry(workspace, make_entry(workspace, day=date(2052, 1, 2)), post=True)
    assert state(workspace) == before
    draft = ledger.add_draft(workspace, make_entry(workspace, day=date(2052, 1, 2)))  # a draft may be ahead
    before = state(workspace)
    with pytest.raises(ledger.FutureDate):
        ledger.post_entry(workspace, draft.id)
    assert state(workspace) == before
    assert ledger.post_entry(workspace, draft.id, allow_future_date=True).status == "posted"


def test_reversal_and_batch_dated_after_this_year_are_refused(workspace):
    posted = ledger.add_entry(workspace, make_entry(workspace), post=True)
    line = make_entry(workspace, "donation", "10", category="个人捐赠", day=date(2052, 1, 2))
    before = state(workspace)
    with pytest.raises(ledger.FutureDate):
        ledger.reverse_entry(workspace, posted.id, "金额录错", on_date=date(2052, 1, 3))
    with pytest.raises(ledger.FutureDate):
        ledger.post_batch(workspace, "一日捐清单", [line], 1, Decimal("10"))
    assert state(workspace) == before


def test_the_year_ends_on_31_december():
    ledger.check_posting_date(date(2026, 12, 31), today=date(2026, 1, 1))
    with pytest.raises(ledger.FutureDate):
        ledger.check_posting_date(date(2027, 1, 1), today=date(2026, 12, 31))
    ledger.check_posting_date(date(2027, 1, 1), today=date(2026, 12, 31), allow_future_date=True)


# ------------------------------------------------------------------ vouchers that are not files, or empty


def test_empty_folder_and_pipe_are_not_vouchers(workspace, tmp_path):
    ledger.add_entry(workspace, make_entry(workspace, amount="1000"), post=True)
    empty = tmp_path / "发票.jpg"
    empty.write_bytes(b"")
    folder = tmp_path / "扫描件"
    folder.mkdir()
    cases = [(empty, "空文件（0 字节）"), (folder, "是文件夹，不是文件")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "收据.jpg")
        cases.append((tmp_path / "收据.jpg", "不是普通文件"))
    before = state(workspace)
    for path, message in cases:
        with pytest.raises(UserError, match=message) as refused:
            ledger.add_entry(workspace, make_entry(workspace, "expense", "50", attachments=[path]), post=True)
        assert "找不到" not in str(refused.value)
    assert state(workspace) == before


# ------------------------------------------------------------------ free texts


@pytest.mark.parametrize("field, value, label", [
    ("receipt_no", "1" * 100_000, "捐赠票据号码"),
    ("receipt_code", "51010124\n", "捐赠票据代码"),
    ("payment_method", "微信\n转账", "支付方式"),
    ("payment_method", "银行转账" * 10, "支付方式"),
    ("counterparty_contact", "139\x0008181234", "联系方式"),
    ("counterparty_name", "张明华\n", "对方名称"),
    ("restriction", "慈善阵地\t建设", "限定用途"),
    ("summary", "个人捐赠\x1b", "摘要"),
])
def test_every_ledger_text_passes_the_text_check(workspace, field, value, label):
    before = state(workspace)
    data = make_entry(workspace, "donation", "10", category="个人捐赠", counterparty_kind="个人", **{field: value})
    with pytest.raises(UserError, match=label):
        ledger.add_entry(workspace, data, post=True)
    with pytest.raises(UserError, match=label):
        ledger.import_drafts(workspace, [data])
    assert state(workspace) == before


def test_reversal_reason_override_reason_and_batch_title_are_checked(workspace):
    posted = ledger.add_entry(workspace, make_entry(workspace), post=True)
    expense = make_entry(workspace, "expense", "5000")
    before = state(workspace)
    with pytest.raises(UserError, match="冲销原因"):
        ledger.reverse_entry(workspace, posted.id, "金额录错\n应为 1,200.00 元")
    with pytest.raises(UserError, match="超额说明"):
        ledger.add_entry(workspace, expense, post=True, override_reason="先垫付" * 100)
    with pytest.raises(UserError, match="清单名称"):
        ledger.post_batch(workspace, "一日捐\n清单", [make_entry(workspace, "donation", "10", category="个人捐赠")],
                          1, Decimal("10"))
    assert state(workspace) == before


def test_texts_are_stored_as_checked(workspace):
    data = make_entry(workspace, "donation", "10", category="个人捐赠", summary="  个人捐赠 ", payment_method=" 微信 ",
                      receipt_no=" 0003518 ", counterparty_name=" 张明华 ", counterparty_kind="个人")
    entry = ledger.add_entry(workspace, data, post=True)
    assert (entry.summary, entry.payment_method, entry.receipt_no, entry.counterparty_name) == (
        "个人捐赠", "微信", "0003518", "张明华")


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("typed", ["-0", "-0.00", "−0", "-０.０"])
def test_minus_zero_is_zero_not_a_negative_amount(typed):
    with pytest.raises(UserError, match="必须大于 0") as refused:
        parse_amount(typed)
    assert "负数" not in str(refused.value)
    assert parse_amount(typed, allow_zero=True) == 0


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "sNaN"])
def test_not_a_number_is_not_a_negative_one(typed):
    with pytest.raises(UserError, match="不是数字") as refused:
        parse_hours(typed)
    assert "负数" not in str(refused.value)
    with pytest.raises(UserError, match="不是数字"):
        parse_quantity(typed)


# ------------------------------------------------------------------ a counterparty's kind


def test_counterparty_kind_of_what_people_type():
    assert [ledger.counterparty_kind_of(t) for t in ("", " 个人 ", "公司", "组织", "机关", "村（社区）", "社区")] == [
        "", "个人", "企业", "社会组织", "政府机关", "村(社区)", "村(社区)"]
    with pytest.raises(UserError, match="“单位”要写明是哪一类"):
        ledger.counterparty_kind_of("单位")


# ------------------------------------------------------------------ a full disk part-way


def test_a_full_disk_at_posting_leaves_no_row_and_no_attachment_file(workspace, voucher_file, monkeypatch):
    ledger.add_entry(workspace, make_entry(workspace, amount="1000"), post=True)
    before = state(workspace)

    def full(*_args):
        raise sqlalchemy.exc.OperationalError("INSERT INTO fund_chain …", {},
                                              sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(chain, "append", full)  # after the voucher was copied into attachments/
    with pytest.raises(UserError, match="磁盘已满.*腾出空间后重试.*什么都没有改动"):
        ledger.add_entry(workspace, make_entry(workspace, "expense", "50", attachments=[voucher_file]), post=True)
    assert state(workspace) == before
    assert not list(Path(workspace.root).rglob("*.partial*"))
