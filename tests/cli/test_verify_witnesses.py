"""`verify` against every witness (issue 11): a hash chain recomputed end to end, an invented entry appended
with a valid link, the last entry cut off with its head rolled back, and records the chain does not cover —
fund names, closed months, goods movements, photos of notices — are each named with where and how they were
found; with the journal rewritten too, backups and published notices still catch it. Each forgery is first
checked to pass the hash chain alone (what `verify` compared before). On the demo workspace (seed 004)."""

import json
import shutil
import sqlite3

from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME, QINGHUA_FUND
from tests.cli.helpers import YEAR_2024, ok, run
from tests.core.storage import chain_forgery as forge


def verify(folder, capsys) -> tuple[int, str]:
    code, out = run(folder, "verify", capsys=capsys)
    return code, out.err


def verify_json(folder, capsys) -> dict:
    _code, out = run(folder, "verify", "--json", capsys=capsys)
    return json.loads(out.out)


def sql(folder, statement: str, *params) -> None:
    conn = forge.connect(folder)
    conn.execute(statement, params)
    conn.commit()
    conn.close()


def test_the_untouched_demo_verifies_against_every_witness(demo, capsys):
    code, out = run(demo, "verify", capsys=capsys)
    assert code == 0 and out.err == ""
    assert "数据完好" in out.out and "比对依据：哈希链、变更记录、1 份备份、文件哈希" in out.out


def test_a_chain_rewritten_end_to_end_is_named_from_the_journal(demo, capsys):
    forge.multiply_amount(demo, BATAI_FUND, "2024-0002", 10)
    assert forge.chain_alone_passes(demo)  # what verify compared before: "哈希链完好"
    code, err = verify(demo, capsys)
    assert code == 3
    assert f"【{BATAI_FUND}】凭证 2024-0002 被改动：金额 由 ¥4,200.00 变为 ¥42,000.00（发现途径：变更记录）" in err
    assert "哈希链在程序之外被重算" in err and "凭证 2024-0003 至 2025-0002 共 26 条分录" in err
    assert "请从改动之前的备份恢复" in err


def test_an_appended_entry_with_a_valid_link_is_named(demo, capsys):
    voucher = forge.append_invented(demo, BATAI_FUND, 5_000_000, "虚构的物资采购")
    assert forge.chain_alone_passes(demo)
    code, err = verify(demo, capsys)
    assert code == 3
    assert f"【{BATAI_FUND}】凭证 {voucher} 被插入" in err and "“虚构的物资采购” ¥50,000.00" in err
    assert "变更记录中没有这条分录，它是在程序之外加入的（发现途径：变更记录）" in err


def test_the_last_entry_cut_off_with_its_head_rolled_back_is_named(demo, capsys):
    voucher = forge.cut_last(demo, QINGHUA_FUND)
    assert forge.chain_alone_passes(demo)
    code, err = verify(demo, capsys)
    assert code == 3
    assert f"【{QINGHUA_FUND}】凭证 {voucher} 被删除：2024-" in err and "“办公用品” ¥1,150.00" in err


def test_a_fund_renamed_in_the_file_is_named(demo, capsys):
    sql(demo, "UPDATE fund SET name = '改过的基金' WHERE name = ?", QINGHUA_FUND)
    code, err = verify(demo, capsys)
    assert code == 3
    assert f"社区基金“{QINGHUA_FUND}” 被改动：名称 由“{QINGHUA_FUND}”变为“改过的基金”（发现途径：变更记录）" in err


def test_a_deleted_closed_month_is_named(demo, capsys):
    sql(demo, "DELETE FROM closed_month WHERE month = '2024-04' AND fund_id = (SELECT id FROM fund WHERE name = ?)",
        BATAI_FUND)
    code, err = verify(demo, capsys)
    assert code == 3
    assert f"【{BATAI_FUND}】月末结账 2024-04 被删除：变更记录中有，数据库中没有" in err


def test_a_changed_goods_movement_is_named(demo, capsys):
    sql(demo, "UPDATE goods_movement SET quantity_milli = 21000 WHERE item = '新春礼品'")
    code, err = verify(demo, capsys)
    assert code == 3
    assert "物资记录“新春礼品” 被改动：数量 由 210000 变为 21000（发现途径：变更记录）" in err


def test_a_replaced_notice_photo_is_named(demo, capsys):
    conn = sqlite3.connect(demo / "ledger.db")
    sha, caption = conn.execute("SELECT sha256, caption FROM photo WHERE in_notice = 1 ORDER BY caption").fetchone()
    conn.close()
    (demo / "attachments" / sha[:2] / sha).write_bytes(b"another picture")
    code, err = verify(demo, capsys)
    assert code == 3 and f"公示照片“{caption}” 被改动：公示照片“{caption}”的文件和添加时不一样（文件内容被替换或损坏）（发现途径：文件哈希）" in err
    assert f"记录的 SHA-256：{sha}" in err  # the command line shows where and which hash


def test_a_photo_swapped_in_the_file_is_named(demo, capsys):
    conn = sqlite3.connect(demo / "ledger.db")
    (first, caption), (other, _) = conn.execute(
        "SELECT id, caption FROM photo WHERE in_notice = 1 ORDER BY caption LIMIT 2").fetchall()
    conn.close()
    sql(demo, "UPDATE photo SET sha256 = (SELECT sha256 FROM photo WHERE id = ?), attachment_id = "
        "(SELECT attachment_id FROM photo WHERE id = ?) WHERE id = ?", other, other, first)
    code, err = verify(demo, capsys)
    assert code == 3 and f"照片“{caption}” 被改动：" in err and "文件哈希 由" in err


def test_a_chain_and_journal_rewritten_together_are_caught_by_the_backup(demo, capsys):
    forge.multiply_amount(demo, BATAI_FUND, "2024-0002", 10, journal_too=True)
    assert forge.chain_alone_passes(demo)
    report = verify_json(demo, capsys)
    assert not report["ok"]
    assert not [p for p in report["problems"] if p["witness"] == "变更记录"]  # the journal agrees with the forgery
    [found] = [p for p in report["problems"] if p["witness"].startswith("备份 ")]
    assert found["fund"] == BATAI_FUND and found["voucher"] == "2024-0002" and found["kind"] == "rewritten"
    assert "从凭证 2024-0002 起与备份不同" in found["message"] and "哈希链在程序之外被重算" in found["message"]


def test_a_chain_and_journal_rewritten_after_publication_are_caught_by_the_notice(fast, capsys, tmp_path):
    exported = json.loads(ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out",
                             tmp_path / "公示.pdf", "--json"))
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    shutil.rmtree(fast / "backups")  # the editor removed the backups too
    forge.multiply_amount(fast, BATAI_FUND, "2024-0002", 10, journal_too=True)
    code, err = verify(fast, capsys)
    assert code == 3
    assert f"【{BATAI_FUND}】凭证 2024-0002 被改写：凭证 2024-0002 等" in err
    assert "的链哈希与公示时封存的不同" in err and "（发现途径：已发布的公示 2025-001《" in err


def test_a_gap_in_the_journal_is_named(demo, capsys):
    sql(demo, "DELETE FROM change_journal WHERE seq = 10")
    code, err = verify(demo, capsys)
    assert code == 3 and "变更记录 不连续：变更记录的编号不连续（第 10 条起缺失，共缺 1 条）" in err


def test_a_restore_leaves_no_false_alarm(demo, capsys):
    """Backups of the timeline a restore left behind are noted, not compared."""
    first = sorted((demo / "backups").glob("*.db"))[0].name
    ok(demo, capsys, "entry", "add", "--fund", BATAI_FUND, "--date", "2025-01-20", "--type", "allocation",
       "--amount", "100", "--category", "项目拨款", "--summary", "恢复前的拨入", "--post")
    ok(demo, capsys, "backup", "create")
    ok(demo, capsys, "backup", "restore", first)
    code, out = run(demo, "verify", capsys=capsys)
    assert code == 0, out.err
    assert "数据完好" in out.out and "属于另一段记录（恢复备份之前或被撤销的恢复），未用于比对" in out.out


def test_undoing_a_restore_and_restoring_twice_leave_no_false_alarm(demo, capsys):
    first = sorted((demo / "backups").glob("*.db"))[0].name
    ok(demo, capsys, "entry", "add", "--fund", BATAI_FUND, "--date", "2025-01-20", "--type", "allocation",
       "--amount", "100", "--category", "项目拨款", "--summary", "恢复前的拨入", "--post")
    ok(demo, capsys, "backup", "restore", first)
    saved = sorted((demo / "backups").glob("*-restore.db"))[-1].name  # the state before the restore
    ok(demo, capsys, "backup", "restore", saved)  # undo it
    code, out = run(demo, "verify", capsys=capsys)
    assert code == 0, out.err
    ok(demo, capsys, "backup", "restore", first)
    ok(demo, capsys, "backup", "restore", first)  # the same backup twice
    code, out = run(demo, "verify", capsys=capsys)
    assert code == 0, out.err
    assert "数据完好" in out.out


def test_a_dropped_table_is_named(demo, capsys):
    sql(demo, "DROP TABLE closed_month")
    code, err = verify(demo, capsys)
    assert code == 3 and "月末结账（整张表） 不见了：数据表 closed_month 不见了" in err


def test_an_entry_moved_to_another_office_is_named(demo, capsys):
    sql(demo, "UPDATE ledger_entry SET office_id = 'another-office' WHERE voucher_year = 2024 AND voucher_seq = 3 "
        "AND fund_id = (SELECT id FROM fund WHERE name = ?)", BATAI_FUND)
    code, err = verify(demo, capsys)
    assert code == 3 and f"【{BATAI_FUND}】凭证 2024-0003 被改动：所属单位与基金的不同" in err


def test_a_changed_identity_epoch_is_named(demo, capsys):
    sql(demo, "UPDATE local_identity SET epoch_id = 'zzz'")
    code, err = verify(demo, capsys)
    assert code == 3 and "本单位身份 被改动" in err


def test_damaged_text_and_journal_are_named_not_a_traceback(demo, capsys):
    conn = forge.connect(demo)
    conn.execute("UPDATE fund SET name = CAST(X'E4B8ADFF' AS TEXT) WHERE name = ?", (QINGHUA_FUND,))
    conn.execute("UPDATE change_journal SET payload = '{not json' WHERE seq = (SELECT max(seq) FROM change_journal "
                 "WHERE table_name = 'goods_movement')")
    conn.commit()
    conn.close()
    code, out = run(demo, "verify", capsys=capsys)
    assert code == 3 and "Traceback" not in out.err
    assert "数据库文件在程序之外被改动" in out.err or "被改动" in out.err
    code, out = run(demo, "verify", "--json", capsys=capsys)
    assert code == 3 and json.loads(out.out)["ok"] is False


def test_an_entry_outside_the_notice_but_before_its_head_is_caught_by_the_sealed_head(fast, capsys, tmp_path):
    """2025-0001 is not in the 2024 notice, but it was posted before the notice was published: the head of
    the fund sealed at publication covers it."""
    exported = json.loads(ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out",
                             tmp_path / "公示.pdf", "--json"))
    ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    shutil.rmtree(fast / "backups")
    forge.multiply_amount(fast, BATAI_FUND, "2025-0001", 10, journal_too=True)
    report = verify_json(fast, capsys)
    [found] = report["problems"]
    assert found["fund"] == BATAI_FUND and found["kind"] == "rewritten"
    assert found["witness"].startswith("已发布的公示 2025-001《") and "哈希链在程序之外被重算" in found["message"]


def test_a_notice_number_reused_across_a_restore_is_no_false_alarm(fast, capsys, tmp_path):
    """Restore to before a notice, publish another under the same number (the first one's file is moved aside),
    then restore the state with the first notice: its archive is found under its new name, by its hash."""
    ok(fast, capsys, "backup", "create")
    before = sorted((fast / "backups").glob("*-manual.db"))[-1].name

    def publish(out: str) -> None:
        exported = json.loads(ok(fast, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out",
                                 tmp_path / out, "--json"))
        ok(fast, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")

    publish("一.pdf")
    ok(fast, capsys, "backup", "restore", before)
    with_first = sorted((fast / "backups").glob("*-restore.db"))[-1].name
    ok(fast, capsys, "entry", "add", "--fund", BATAI_FUND, "--date", "2024-12-30", "--type", "allocation", "--amount",
       "100", "--category", "项目拨款", "--summary", "另一段记录的拨入", "--post")
    publish("二.pdf")
    ok(fast, capsys, "backup", "restore", with_first)
    code, out = run(fast, "verify", capsys=capsys)
    assert code == 0, out.err
    assert "的存档文件现名为 notices/2025-001.unrecorded-" in out.out and "内容完好" in out.out
