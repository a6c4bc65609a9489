"""Every CLI form from the issue, and each bad input: Chinese message on stderr, non-zero exit, nothing
changed. Runs `main()` in-process (fast); one test runs the real console script."""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from desktop_app.cli.main import main

FUND = "万源市慈善会八台镇尚善社区基金"


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    assert main(["--workspace", str(folder), "init", "--office", "八台镇社工站", "--division-code", "511781107000",
                 "--association", "万源市慈善会"]) == 0
    assert main(["--workspace", str(folder), "fund", "add", "--name", FUND]) == 0
    return folder


def run(folder, *argv, capsys=None):
    code = main(["--workspace", str(folder), *map(str, argv)])
    out = capsys.readouterr() if capsys else None
    return code, out


def data_state(folder: Path) -> str:
    """A digest of every row of every table: equal digests mean nothing changed."""
    conn = sqlite3.connect(f"file:{folder / 'ledger.db'}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                         "'ledger_search%' ORDER BY name")]
    digest = hashlib.sha256()
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def add(folder, capsys, *extra, amount="1000", kind="allocation", category="项目拨款", day="2024-03-01"):
    code, out = run(folder, "entry", "add", "--fund", FUND, "--date", day, "--type", kind, "--amount", amount,
                    "--category", category, "--summary", "测试", *extra, "--json", capsys=capsys)
    assert code == 0, out.err
    return json.loads(out.out)


def test_project_and_fund_forms(ws, capsys):
    code, _ = run(ws, "project", "add", "--name", "四川省慈善事业高质量发展试点工作", "--start", "2024-02-01",
                  "--end", "2025-02-28", "--budget", "90万", capsys=capsys)
    assert code == 0
    code, out = run(ws, "project", "list", "--json", capsys=capsys)
    [project] = json.loads(out.out)
    assert project["budget"] == "900000.00" and project["start"] == "2024-02-01"
    code, out = run(ws, "fund", "add", "--name", "八台爱心款", "--project", project["name"], capsys=capsys)
    assert code == 0 and "命名规范" in out.out  # explained, not blocked
    code, out = run(ws, "fund", "list", "--json", capsys=capsys)
    funds = json.loads(out.out)
    assert {f["name"] for f in funds} == {FUND, "八台爱心款"} and funds[0]["balance"] == "0.00"


def test_entry_add_post_list_reverse(ws, capsys, tmp_path):
    scan = tmp_path / "发票.jpg"
    scan.write_bytes(b"invoice")
    assert add(ws, capsys, "--post", amount="1,234.50")["voucher"] == "2024-0001"
    draft = add(ws, capsys, "--attach", scan, kind="expense", category="培训", amount="３.５万")
    assert draft["status"] == "draft" and draft["voucher"] is None and draft["amount"] == "35000.00"
    code, out = run(ws, "entry", "post", draft["id"], capsys=capsys)
    assert code == 1 and "变成负数" in out.err and "--override" in out.err
    code, out = run(ws, "entry", "post", draft["id"], "--override", "拨款在途", capsys=capsys)
    assert code == 0 and "2024-0002" in out.out
    code, out = run(ws, "entry", "reverse", draft["id"], "--reason", "金额录错", "--date", "2024-03-05", capsys=capsys)
    assert code == 0 and "2024-0003" in out.out
    code, out = run(ws, "entry", "list", "--fund", FUND, "--json", capsys=capsys)
    rows = json.loads(out.out)
    assert [r["amount"] for r in rows] == ["1234.50", "35000.00", "-35000.00"]
    assert rows[1]["reversed_by"] == rows[2]["id"] and rows[1]["attachments"] == 1
    code, out = run(ws, "entry", "list", capsys=capsys)
    assert "共 3 条" in out.out


def test_verify_backup_and_export(ws, capsys, tmp_path):
    add(ws, capsys, "--post")
    code, out = run(ws, "verify", capsys=capsys)
    assert code == 0 and "哈希链完好" in out.out
    code, out = run(ws, "backup", "create", capsys=capsys)
    assert code == 0 and "已备份并校验" in out.out
    code, out = run(ws, "backup", "list", "--json", capsys=capsys)
    backups = json.loads(out.out)
    assert backups[0]["reason"] == "manual"
    add(ws, capsys, "--post", amount="7")
    code, out = run(ws, "backup", "restore", backups[0]["file"], capsys=capsys)
    assert code == 0 and "恢复前的数据已另存为" in out.out
    code, out = run(ws, "entry", "list", "--json", capsys=capsys)
    assert [r["amount"] for r in json.loads(out.out)] == ["1000.00"]
    target = tmp_path / "台账.xlsx"
    code, out = run(ws, "export", "ledger", "--fund", FUND, "--out", target, capsys=capsys)
    assert code == 0 and target.exists()
    sheet = openpyxl.load_workbook(target).active
    assert any("收支台账" in str(c.value or "") for c in sheet[1])


def test_verify_names_a_direct_edit(ws, capsys):
    add(ws, capsys, "--post", amount="88")
    conn = sqlite3.connect(ws / "ledger.db")
    conn.execute("UPDATE ledger_entry SET amount_fen = 8800000")
    conn.commit()
    conn.close()
    code, out = run(ws, "verify", capsys=capsys)
    assert code == 3 and "2024-0001" in out.err and "金额 由 ¥88.00 变为 ¥88,000.00" in out.err


@pytest.mark.parametrize("amount, message", [
    ("", "请填写金额"), ("abc", "不是金额"), ("-5", "负数"), ("0", "不能为 0"), ("0.001", "精度"),
    ("10000000001", "超过 100 亿元"),
])
def test_bad_amounts_change_nothing(ws, capsys, amount, message):
    before = data_state(ws)
    code, out = run(ws, "entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "donation", "--amount",
                    amount, "--category", "个人捐赠", "--summary", "x", capsys=capsys)
    assert code == 1 and message in out.err and out.out == ""
    assert data_state(ws) == before


def test_other_bad_inputs_change_nothing(ws, capsys, tmp_path):
    posted = add(ws, capsys, "--post")
    run(ws, "fund", "close-month", "--fund", FUND, "--month", "2024-04", capsys=capsys)
    unreadable = tmp_path / "folder.jpg"
    unreadable.mkdir()
    cases = [
        (["entry", "add", "--fund", FUND, "--date", "2024-02-30", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x"], "不存在"),
        (["entry", "add", "--fund", FUND, "--date", "2024-04-02", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x", "--post"], "已结账"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "expense", "--amount", "5",
          "--category", "培训", "--summary", "x", "--attach", tmp_path / "missing.jpg"], "找不到附件"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "expense", "--amount", "5",
          "--category", "培训", "--summary", "x", "--attach", unreadable], "找不到附件"),
        (["entry", "add", "--fund", "没有这个基金", "--date", "2024-05-02", "--type", "donation", "--amount", "5",
          "--category", "个人捐赠", "--summary", "x"], "找不到社区基金"),
        (["entry", "add", "--fund", FUND, "--date", "2024-05-02", "--type", "donation", "--amount", "5",
          "--category", "不存在的类别", "--summary", "x"], "不在收入类别表里"),
        (["entry", "reverse", posted["id"], "--reason", "错", "--date", "2024-04-03"], "已结账"),
        (["entry", "delete", posted["id"]], "不能修改或删除"),
        (["entry", "post", posted["id"]], "已经记账"),
        (["project", "add", "--name", "p", "--start", "2024-03-01", "--end", "2024-02-01", "--budget", "1"], "早于"),
        (["backup", "restore", "no-such-backup.db"], "找不到备份"),
        (["export", "ledger", "--out", tmp_path / "nofolder" / "x.xlsx"], "不存在"),
    ]
    before = data_state(ws)
    for argv, message in cases:
        code, out = run(ws, *argv, capsys=capsys)
        assert code == 1, argv
        assert message in out.err, (argv, out.err)
    assert data_state(ws) == before
    code, out = run(ws, "entry", "reverse", posted["id"], "--reason", "错", "--date", "2024-05-03", capsys=capsys)
    assert code == 0
    before = data_state(ws)
    code, out = run(ws, "entry", "reverse", posted["id"], "--reason", "再冲", capsys=capsys)
    assert code == 1 and "不能重复冲销" in out.err
    assert data_state(ws) == before


def test_init_refuses_bad_division_code_before_creating_anything(tmp_path, capsys):
    folder = tmp_path / "new"
    code, out = run(folder, "init", "--office", "站", "--division-code", "51178110700", "--association", "会",
                    capsys=capsys)
    assert code == 1 and "12 位数字" in out.err and not folder.exists()


def test_init_twice_is_refused(ws, capsys):
    before = data_state(ws)
    code, out = run(ws, "init", "--office", "另一个站", "--division-code", "511781107000", "--association", "会",
                    capsys=capsys)
    assert code == 1 and "已经初始化" in out.err
    assert data_state(ws) == before


def test_workspace_that_is_not_sqlite(tmp_path, capsys):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "ledger.db").write_bytes(b"PK\x03\x04 a zip file")
    code, out = run(folder, "fund", "list", capsys=capsys)
    assert code == 1 and "不是台账数据库文件" in out.err


def test_demo_command_builds_the_seed_004_pilot(tmp_path, capsys):
    folder = tmp_path / "demo"
    assert run(folder, "demo", capsys=capsys)[0] == 0
    code, out = run(folder, "project", "list", "--json", capsys=capsys)
    [project] = json.loads(out.out)
    assert project["name"] == "四川省慈善事业高质量发展试点工作" and project["budget"] == "900000.00"
    assert [(ld["name"], ld["phone"]) for ld in project["leaders"]] == [("蒲栋", "13551281592"), ("黄国春", "15583376966")]
    assert [s["name"] for s in project["sites"]] == ["青花镇立信社区", "八台镇天池村"]
    code, out = run(folder, "entry", "list", "--json", capsys=capsys)
    rows = json.loads(out.out)
    allocations = sum(float(r["amount"]) * 100 for r in rows if r["type"] == "allocation")
    assert round(allocations) == 31_600_000
    assert any(r["type"] == "reversal" for r in rows) and any(r["status"] == "draft" for r in rows)
    assert run(folder, "verify", capsys=capsys)[0] == 0
    code, out = run(folder, "demo", capsys=capsys)
    assert code == 1 and "已经是一个工作区" in out.err


def test_console_script_runs_headless(tmp_path):
    folder = tmp_path / "ws"
    script = Path(sys.executable).with_name("charity-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop_app"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DISPLAY, no QT_QPA_PLATFORM
    result = subprocess.run([*command, "--workspace", str(folder), "init", "--office", "站", "--division-code",
                             "511781107000", "--association", "万源市慈善会"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([*command, "--workspace", str(folder), "fund", "list"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0 and "还没有社区基金" in result.stdout
    result = subprocess.run([*command, "--workspace", str(folder), "entry", "add"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 2 and "缺少必填参数" in result.stderr
    shutil.rmtree(folder)


def test_locked_damaged_and_newer_workspaces_exit_non_zero_unchanged(ws, capsys, tmp_path):
    import textwrap

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from desktop_app.core.storage.workspace import Workspace
        ws = Workspace.open({str(ws)!r}, auto_backup=False)
        print("ready", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = data_state(ws)
        code, out = run(ws, "entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "donation",
                        "--amount", "5", "--category", "个人捐赠", "--summary", "x", capsys=capsys)
        assert code == 1 and "正在被另一个窗口或程序使用" in out.err
        assert data_state(ws) == before
    finally:
        holder.kill()
        holder.wait()
    newer = tmp_path / "newer"
    shutil.copytree(ws, newer)
    conn = sqlite3.connect(newer / "ledger.db")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    code, out = run(newer, "fund", "list", capsys=capsys)
    assert code == 1 and "更新版本" in out.err and "请升级本程序" in out.err


def test_a_damaged_workspace_lists_and_restores_its_backups(ws, capsys):
    add(ws, capsys, "--post", amount="66")
    run(ws, "backup", "create", capsys=capsys)
    conn = sqlite3.connect(ws / "ledger.db")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='ledger_entry'").fetchone()[0]
    conn.close()
    raw = bytearray((ws / "ledger.db").read_bytes())
    raw[(root - 1) * page_size:(root - 1) * page_size + 64] = b"\x5a" * 64
    (ws / "ledger.db").write_bytes(bytes(raw))
    code, out = run(ws, "fund", "list", capsys=capsys)
    assert code == 1 and "完整性检查" in out.err and "backup restore" in out.err
    code, out = run(ws, "backup", "list", capsys=capsys)
    assert code == 0 and "完好" in out.out
    name = out.out.split()[0]
    code, out = run(ws, "backup", "restore", name, capsys=capsys)
    assert code == 0 and "损坏的文件已移到" in out.out
    assert list(ws.glob("damaged-*/ledger.db"))
    code, out = run(ws, "entry", "list", "--json", capsys=capsys)
    assert [r["amount"] for r in json.loads(out.out)] == ["66.00"]


def test_workspace_paths_with_uri_characters_and_a_gbk_pipe(tmp_path):
    """A folder like “3#楼/a%20b” must not be read as a URI; GBK output (redirected on Chinese Windows)
    has no “¥” — the command must still succeed instead of failing after its commit."""
    folder = tmp_path / "3#楼" / "a%20b"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONIOENCODING": "gbk"}

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "desktop_app", "--workspace", str(folder), *argv],
                              capture_output=True, env=env, cwd=Path(__file__).parents[2])

    assert cli("init", "--office", "站", "--division-code", "511781107000", "--association", "会").returncode == 0
    assert cli("fund", "add", "--name", FUND).returncode == 0
    posted = cli("entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "allocation", "--amount", "88",
                 "--category", "项目拨款", "--summary", "拨入", "--post")
    assert posted.returncode == 0 and "已记账".encode("gbk") in posted.stdout
    assert cli("backup", "create").returncode == 0
    assert cli("verify").returncode == 0
    assert not (tmp_path / "3").exists()  # nothing written beside the workspace
    assert [p.name for p in folder.iterdir() if p.suffix == ".db"] == ["ledger.db"]


def test_report_json_uses_english_keys_and_string_amounts(ws, capsys):
    add(ws, capsys, "--post", amount="1,234.50")
    code, out = run(ws, "report", "categories", "--json", capsys=capsys)
    assert code == 0
    assert json.loads(out.out) == [{"flow": "in", "category": "项目拨款", "expense_class": "", "amount": "1234.50",
                                    "count": 1}]
    code, out = run(ws, "report", "balances", "--json", capsys=capsys)
    [row] = json.loads(out.out)
    assert row["balance"] == "1234.50" and row["restricted"] == "0.00"


def test_demo_has_the_seed_004_activities_photos_goods_and_spaces(tmp_path, capsys):
    folder = tmp_path / "demo"
    assert run(folder, "demo", capsys=capsys)[0] == 0
    code, out = run(folder, "activity", "list", "--public", "--json", capsys=capsys)
    public = json.loads(out.out)
    titles = " ".join(a["title"] for a in public)
    for phrase in ("青花试点工作讨论会", "青花前期调研", "钢铁报", "“Ai青花”慈善服务阵地", "启动仪式", "新建慈善阵地", "八台慈善音乐会",
                   "设立社区基金", "社区赋能培训", "新春趣味游园会"):
        assert phrase in titles
    concert = next(a for a in public if a["title"].startswith("八台慈善音乐会"))
    assert concert["start_date"] == "2024-12-27" and concert["participants"] == 150 and concert["photos"] == 2
    code, out = run(folder, "goods", "stock", "--json", capsys=capsys)
    stock = {row["item"]: row for row in json.loads(out.out)}
    assert stock["新春礼品"]["issued"] == "200" and stock["儿童小玩具"]["issued"] == "100"
