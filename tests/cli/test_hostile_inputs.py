"""Issue 11, “Tracebacks instead of messages” and “Inputs accepted that should not be”, on the command line:
each case gets a Chinese message that says what to do, a non-zero exit, and changes nothing — no row, no
file (attachments, backups, `*.partial`)."""

import errno
import json
import os
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from desktop_app.core.storage import backup as backups
from desktop_app.core.storage import db, files
from tests.cli.helpers import CONCERT, FUND, add, ok, run

ROOT = Path(__file__).parents[2]
EXPENSE = ["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "expense", "--amount", "50",
           "--category", "培训", "--summary", "培训资料印制"]
DONATION = ["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "donation", "--amount", "500",
            "--category", "个人捐赠", "--summary", "个人捐赠"]


def files_state(folder: Path) -> dict[str, bytes]:
    """Every file of a workspace folder with its bytes: equal means no file was added, changed or removed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def state(folder: Path) -> tuple[str, dict[str, bytes]]:
    """Every row and every file. The rows are read without writing anything (the folder may be read-only)."""
    path = folder / "ledger.db"
    wal = folder / "ledger.db-wal"
    conn = sqlite3.connect(db.readonly_uri(path, immutable=not wal.exists()), uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()
    return repr(rows), files_state(folder)


def refused(folder, capsys, *argv, code=1) -> str:
    """Run a command that must be refused: the exit code, no traceback, and nothing changed; its stderr."""
    before = state(folder)
    got, out = run(folder, *argv, capsys=capsys)
    assert got == code, (argv, out.err)
    assert "Traceback" not in out.err and out.out == ""
    assert state(folder) == before, argv
    return out.err


# ------------------------------------------------------------------ --workspace ""


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_workspace_is_refused_and_the_current_folder_left_alone(tmp_path, monkeypatch, capsys, value):
    monkeypatch.chdir(tmp_path)
    code = main(["--workspace", value, "init", "--office", "八台镇社工站", "--division-code", "511781107000",
                 "--association", "万源市慈善会"])
    err = capsys.readouterr().err
    assert code == 1 and "请写明工作区文件夹" in err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ arguments that are not UTF-8

GBK_ZHANG_SAN = "张三".encode("gbk").decode("utf-8", "surrogateescape")  # what Linux hands Python: '\udcd5\udcc5…'


@pytest.mark.parametrize("argv, option", [
    ([*DONATION[:-2], "--summary", GBK_ZHANG_SAN], "--summary"),
    (["entry", "list", "--search", GBK_ZHANG_SAN], "--search"),
    (["entry", "list", f"--search={GBK_ZHANG_SAN}"], "--search"),
    (["fund", "add", "--name", GBK_ZHANG_SAN + "基金"], "--name"),
])
def test_arguments_that_are_not_utf8_are_refused(ws, capsys, argv, option):
    err = refused(ws, capsys, *argv, code=2)
    assert "不是 UTF-8 编码" in err and option in err and "请用 UTF-8 编码" in err and "什么都没有改动" in err


def test_gbk_bytes_from_a_script_are_refused(ws):
    before = state(ws)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "desktop_app", "--workspace", str(ws), "fund", "add", "--name",
                           "八台镇测试基金".encode("gbk")], capture_output=True, env=env, cwd=ROOT, timeout=120)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "不是 UTF-8 编码" in err and "--name" in err and "Traceback" not in err
    assert state(ws) == before


# ------------------------------------------------------------------ a full disk


def _voucher(tmp_path: Path, n: int) -> Path:
    path = tmp_path / f"发票{n}.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice %d " % n + os.urandom(64))
    return path


def test_full_disk_during_entry_add_post_changes_nothing(ws, capsys, monkeypatch, tmp_path):
    """SQLite itself says "database or disk is full": the database may not grow past its size at connect time."""
    add(ws, capsys, "--post", amount="100000")
    real = db.apply_pragmas

    def no_room(conn):
        real(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(db, "apply_pragmas", no_room)
    for n in range(60):  # the first entries may still fit in the pages' free space
        voucher = _voucher(tmp_path, n)
        before = state(ws)
        code, out = run(ws, *EXPENSE, "--attach", voucher, "--post", capsys=capsys)
        if code:
            break
    else:
        pytest.fail("the database never filled up")
    assert code == 1 and "Traceback" not in out.err
    assert "磁盘已满" in out.err and "腾出空间后重试" in out.err and "什么都没有改动" in out.err
    assert state(ws) == before  # no entry, no journal row, and the voucher copied in is gone again
    assert not list(ws.rglob("*.partial*"))
    monkeypatch.setattr(db, "apply_pragmas", real)  # space freed: the same command now works
    assert run(ws, *EXPENSE, "--attach", voucher, "--post", capsys=capsys)[0] == 0


def test_no_space_while_copying_the_voucher_changes_nothing(ws, capsys, monkeypatch, tmp_path):
    add(ws, capsys, "--post", amount="100000")

    def copy_half(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:10])
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(files, "shutil", types.SimpleNamespace(copyfile=copy_half))
    err = refused(ws, capsys, *EXPENSE, "--attach", _voucher(tmp_path, 1), "--post")
    assert "磁盘已满" in err and "什么都没有改动" in err
    assert not list(ws.rglob("*.partial*"))


def test_full_disk_during_backup_create_leaves_no_partial(ws, capsys, monkeypatch):
    """The backup copy may not grow past 3 pages: SQLite's backup API answers SQLITE_FULL."""
    real = sqlite3.connect

    def small_disk(path, *args, **kwargs):
        conn = real(path, *args, **kwargs)
        if str(path).endswith(".partial"):
            conn.execute("PRAGMA max_page_count=3")
        return conn

    shim = types.SimpleNamespace(**{n: getattr(sqlite3, n) for n in dir(sqlite3) if not n.startswith("__")})
    shim.connect = small_disk
    monkeypatch.setattr(backups, "sqlite3", shim)
    err = refused(ws, capsys, "backup", "create")
    assert "磁盘已满" in err and "腾出空间" in err and "什么都没有改动" in err
    assert not list((ws / "backups").glob("*.partial*"))


# ------------------------------------------------------------------ a read-only workspace (write-protected stick)


def _read_only_then_writes(folder, capsys, tmp_path):
    before = state(folder)
    assert "共 1 条" in ok(folder, capsys, "entry", "list")
    assert FUND in ok(folder, capsys, "report", "balances")
    out = tmp_path / "elsewhere" / "台账.xlsx"
    out.parent.mkdir()
    ok(folder, capsys, "export", "ledger", "--out", out)
    assert out.stat().st_size > 0
    for argv in ([*DONATION], ["fund", "add", "--name", "另一个社区基金"], ["backup", "create"]):
        code, got = run(folder, *argv, capsys=capsys)
        assert code == 1 and "只读" in got.err and "什么都没有改动" in got.err and "Traceback" not in got.err, argv
    assert state(folder) == before  # not even a lock file, a -shm or a backup


def test_read_only_workspace_lists_reports_and_exports_elsewhere(ws, capsys, tmp_path, monkeypatch):
    """Simulated: the write test fails as on a write-protected stick (works as root too); every file of the
    workspace is then compared, so a write that got through would show."""
    add(ws, capsys, "--post")
    original = Path.write_bytes

    def protected(self, data):
        if self.name == ".write-test":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", protected)
    _read_only_then_writes(ws, capsys, tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_write_protected_workspace_lists_reports_and_exports_elsewhere(ws, capsys, tmp_path):
    add(ws, capsys, "--post")
    paths = [ws, *ws.rglob("*")]
    for p in paths:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        _read_only_then_writes(ws, capsys, tmp_path)
    finally:
        for p in paths:
            p.chmod(p.stat().st_mode | 0o200)


# ------------------------------------------------------------------ attachments that are not vouchers


def test_empty_file_is_not_a_voucher(ws, capsys, tmp_path):
    add(ws, capsys, "--post", amount="100000")
    empty = tmp_path / "发票.jpg"
    empty.write_bytes(b"")
    err = refused(ws, capsys, *EXPENSE, "--attach", empty, "--post")
    assert "空文件（0 字节）" in err and "重新扫描或拍照" in err


def test_folder_and_fifo_are_named_for_what_they_are(ws, capsys, tmp_path):
    folder = tmp_path / "发票.jpg"
    folder.mkdir()
    err = refused(ws, capsys, *EXPENSE, "--attach", folder)
    assert "是文件夹，不是文件" in err and "找不到" not in err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "收据.jpg"
        os.mkfifo(fifo)
        err = refused(ws, capsys, *EXPENSE, "--attach", fifo)
        assert "不是普通文件" in err and "找不到" not in err


# ------------------------------------------------------------------ dates, numbers, texts


def test_posting_dated_after_this_year_needs_allow_future_date(ws, capsys):
    argv = ["entry", "add", "--fund", FUND, "--date", "2052-03-01", "--type", "allocation", "--amount", "1000",
            "--category", "项目拨款", "--summary", "拨款"]
    err = refused(ws, capsys, *argv, "--post")
    assert "2052-03-01" in err and "年底之后" in err and "--allow-future-date" in err
    draft = json.loads(ok(ws, capsys, *argv, "--json"))  # a draft may be dated ahead
    err = refused(ws, capsys, "entry", "post", draft["id"])
    assert "年底之后" in err
    assert "已记账" in ok(ws, capsys, "entry", "post", draft["id"], "--allow-future-date")
    assert "已记账" in ok(ws, capsys, *argv, "--post", "--allow-future-date")


def test_minus_zero_is_zero_not_negative(ws, capsys):
    for amount in ("-0", "-0.00", "－０"):
        err = refused(ws, capsys, *DONATION[:9], amount, *DONATION[10:])
        assert "必须大于 0" in err and "负数" not in err


def test_volunteer_hours_nan_is_not_a_number(pilot, capsys):
    folder, _, _ = pilot
    for value in ("NaN", "inf", "Infinity"):
        err = refused(folder, capsys, *CONCERT, "--volunteer-hours", value)
        assert "不是数字" in err and "负数" not in err


@pytest.mark.parametrize("option, value, label", [
    ("--receipt-no", "0003518" * 14286, "捐赠票据号码"),  # 100,000 characters
    ("--receipt-code", "5101\x070124", "捐赠票据代码"),
    ("--payment-method", "微信\n转账", "支付方式"),
    ("--counterparty", "张明华\r\n13908181234", "对方名称"),
    ("--restricted", "慈善阵地\x1b建设", "限定用途"),
    ("--summary", "个人捐赠\n第二行", "摘要"),
])
def test_ledger_texts_pass_the_text_check(ws, capsys, option, value, label):
    argv = [*DONATION[:-2], "--summary", "个人捐赠", "--counterparty-kind", "个人", option, value]
    err = refused(ws, capsys, *argv, "--post")
    assert label in err


def test_reversal_and_override_texts_pass_the_text_check(ws, capsys):
    posted = add(ws, capsys, "--post")
    err = refused(ws, capsys, "entry", "reverse", posted["id"], "--reason", "金额录错\n应为 1200", "--date",
                  "2024-03-05")
    assert "冲销原因" in err
    err = refused(ws, capsys, *EXPENSE[:9], "5000", *EXPENSE[10:], "--post", "--override", "先垫付\x00")
    assert "超额说明" in err


# ------------------------------------------------------------------ a counterparty's kind


def _kind(folder: Path, entry_id: str) -> str:
    conn = sqlite3.connect(f"file:{folder / 'ledger.db'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT counterparty_kind FROM ledger_entry WHERE id = ?", (entry_id,)).fetchone()[0]
    finally:
        conn.close()


def test_donation_without_kind_is_recorded_as_a_person_and_says_so(ws, capsys):
    out = ok(ws, capsys, *DONATION, "--counterparty", "王学军", "--consent")
    assert "没有写对方类型" in out and "按个人" in out and "打码" in out and "--counterparty-kind" in out
    entry_id = out.split()[0]
    assert _kind(ws, entry_id) == ""  # unknown: every public output masks it as a person's
    data = json.loads(ok(ws, capsys, *DONATION, "--counterparty", "陈会", "--consent", "--json"))
    assert data["counterparty_kind"] is None and "按个人" in data["note"]
    out = ok(ws, capsys, *DONATION, "--counterparty", "李行", "--counterparty-kind", "个人")
    assert "没有写对方类型" not in out


@pytest.mark.parametrize("typed, stored", [
    ("个人", "个人"), ("企业", "企业"), ("公司", "企业"), ("组织", "社会组织"), ("社会组织", "社会组织"),
    ("机关", "政府机关"), ("政府机关", "政府机关"), ("村", "村(社区)"), ("社区", "村(社区)"), ("村（社区）", "村(社区)"),
])
def test_counterparty_kind_accepts_what_people_call_it(ws, capsys, typed, stored):
    data = json.loads(ok(ws, capsys, *DONATION, "--counterparty", "万源市鑫达建材有限公司", "--counterparty-kind", typed,
                         "--json"))
    assert _kind(ws, data["id"]) == stored and "note" not in data


@pytest.mark.parametrize("typed", ["单位", "法人", "x"])
def test_unknown_counterparty_kind_lists_the_kinds(ws, capsys, typed):
    err = refused(ws, capsys, *DONATION, "--counterparty", "某单位", "--counterparty-kind", typed)
    assert "个人" in err and "企业、社会组织、政府机关、村(社区)" in err


# ------------------------------------------------------------------ invisible characters pasted from Word


def test_invisible_characters_are_removed_and_the_notice_printed(ws, capsys):
    code, out = run(ws, *DONATION[:-2], "--summary", "个人\u200b捐赠\u00ad", "--counterparty-kind", "个人", "--json",
                    capsys=capsys)
    assert code == 0, out.err
    entry = json.loads(out.out)  # stdout stays clean JSON: the notice goes to stderr
    assert "提示：已删去摘要里的 2 个不可见字符（零宽空格、软连字符）" in out.err and "Word" in out.err
    conn = sqlite3.connect(f"file:{ws / 'ledger.db'}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT summary FROM ledger_entry WHERE id = ?", (entry["id"],)).fetchone()[0] == "个人捐赠"
    finally:
        conn.close()
    code, out = run(ws, "fund", "add", "--name", "万源市慈善会八台镇\u200b天池村基金", capsys=capsys)
    assert code == 0 and "已删去社区基金名称里的 1 个不可见字符（零宽空格）" in out.err
    assert "“万源市慈善会八台镇天池村基金”" in out.out
    assert "提示：已删去" not in ok(ws, capsys, *DONATION, "--counterparty-kind", "个人")  # nothing removed, nothing said
    assert capsys.readouterr().err == ""


def test_a_refused_command_says_nothing_about_removed_characters(ws, capsys):
    err = refused(ws, capsys, *DONATION[:-2], "--summary", "个人\u200b捐赠", "--counterparty-kind", "个人",
                  "--restricted", "阵地\x1b建设")
    assert "限定用途" in err and "已删去" not in err
