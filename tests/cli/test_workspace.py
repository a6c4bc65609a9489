"""`init`, `demo`, `verify` and `backup` (`cli/workspace.py`): each bad input gets a Chinese message on stderr,
a non-zero exit, and changes nothing."""

import json
import sqlite3

import openpyxl

from tests.cli.helpers import FUND, add, data_state, run


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


def test_verify_backup_and_export(ws, capsys, tmp_path):
    add(ws, capsys, "--post")
    code, out = run(ws, "verify", capsys=capsys)
    assert code == 0 and "数据完好" in out.out
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


def test_a_forged_database_backup_is_refused_in_chinese_and_nothing_changes(ws, capsys, tmp_path):
    forged = tmp_path / "ledger-forged.db"
    conn = sqlite3.connect(forged)
    conn.execute("CREATE TABLE office (y)")  # our table names, other columns
    conn.execute("CREATE TABLE ledger_entry (x)")
    conn.commit()
    conn.close()
    before, backups = data_state(ws), sorted((ws / "backups").iterdir())
    code, out = run(ws, "backup", "restore", forged, capsys=capsys)
    assert code != 0 and "不是台账备份，未做任何恢复" in out.err and "Traceback" not in out.err
    assert data_state(ws) == before and sorted((ws / "backups").iterdir()) == backups
