"""数据同步 through the command line, as the issue's "Done when" describes: two township workspaces and one
county workspace, made by the CLI, exchange packages and receipts; every bad package is refused with nothing
changed; a township that rewrites its chain after the county received it is caught by its own `verify`
(against the receipt) and by the county on the next package."""

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.core.services.sync import office_dict, signing_key
from desktop_app.core.storage.identity import local_office
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.sync import package
from tests.cli.helpers import data_state, run
from tests.core.notices.rewrite import rewrite_chain

ASSOCIATION = "万源市慈善会"
TOWNSHIPS = {"八台镇社工站": ("511781107000", "八台镇尚善社区基金", "5000", "1200.50"),
             "青花镇社工站": ("511781108000", "立信社区爱青花基金", "3000", "99.99")}


def ok(folder, capsys, *argv) -> str:
    code, out = run(folder, *argv, capsys=capsys)
    assert code == 0, out.err
    return out.out


def js(folder, capsys, *argv):
    return json.loads(ok(folder, capsys, *argv, "--json"))


def make_township(root: Path, capsys, name: str) -> Path:
    code, fund, income, spent = TOWNSHIPS[name]
    folder = root / name
    ok(folder, capsys, "init", "--office", name, "--division-code", code, "--association", ASSOCIATION)
    ok(folder, capsys, "setting", "set", "require_expense_attachment", "false")
    ok(folder, capsys, "fund", "add", "--name", fund)
    for kind, amount, category in (("allocation", income, "项目拨款"), ("expense", spent, "活动开展")):
        ok(folder, capsys, "entry", "add", "--fund", fund, "--date", "2024-03-01", "--type", kind, "--amount", amount,
           "--category", category, "--summary", "测试", "--post")
    return folder


def balances(folder, capsys, office: str | None = None) -> dict:
    rows = js(folder, capsys, "fund", "list")
    return {r["name"]: r["balance"] for r in rows if office is None or r.get("office", office) == office}


@pytest.fixture
def world(tmp_path, capsys):
    towns = {name: make_township(tmp_path, capsys, name) for name in TOWNSHIPS}
    county = tmp_path / "县"
    ok(county, capsys, "init", "--office", ASSOCIATION, "--division-code", "511781000000", "--association",
       ASSOCIATION, "--level", "县级慈善会")
    out = tmp_path / "U盘"
    out.mkdir()
    return towns, county, out


def export(folder, capsys, out, *extra) -> Path:
    return Path(js(folder, capsys, "sync", "export", "--out", out, *extra)["path"])


def enrol(county, capsys, township, file) -> None:
    fingerprint = js(township, capsys, "sync", "key")["fingerprint"]
    assert js(county, capsys, "sync", "enrol", file, "--fingerprint", fingerprint)["status"] == "enrolled"


def import_json(county, capsys, *files):
    code, out = run(county, "sync", "import", *files, "--json", capsys=capsys)
    return code, json.loads(out.out)["packages"], out


def test_two_townships_and_their_county_exchange_packages_and_receipts(world, capsys):
    towns, county, out = world
    packages = {name: export(folder, capsys, out) for name, folder in towns.items()}
    for name, folder in towns.items():
        enrol(county, capsys, folder, packages[name])
    code, results, _ = import_json(county, capsys, out)
    assert code == 0
    assert sorted((r["office"], r["number"], r["status"]) for r in results) == \
           [("八台镇社工站", 1, "applied"), ("青花镇社工站", 1, "applied")]
    held = balances(county, capsys)
    for folder in towns.values():
        assert balances(folder, capsys).items() <= held.items()  # each fund's balance as the township reports it
    status = js(county, capsys, "sync", "status")
    assert [(o["name"], o["last_number"], o["missing"]) for o in status["offices"]] == \
           [("八台镇社工站", 1, []), ("青花镇社工站", 1, [])]
    # the receipt goes back; the township sees what arrived and the county's note
    ok(county, capsys, "sync", "note", "--office", "八台镇社工站", "--text", "凭证不清晰，请补扫")
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", "八台镇社工站", "--out", out)["path"])
    got = js(towns["八台镇社工站"], capsys, "sync", "import-receipt", receipt)
    assert got["packages"] == [[1, "applied"]] and got["new_notes"] == 1
    sent = js(towns["八台镇社工站"], capsys, "sync", "status")
    assert [(p["number"], p["acknowledged"]) for p in sent["sent"]] == [(1, True)]
    assert [n["text"] for n in sent["notes"]] == ["凭证不清晰，请补扫"]
    # a receipt for the other township is refused there, nothing changed
    before = data_state(towns["青花镇社工站"])
    code, res = run(towns["青花镇社工站"], "sync", "import-receipt", receipt, capsys=capsys)
    assert code == 1 and "不是本单位的" in res.err and data_state(towns["青花镇社工站"]) == before


def test_a_chain_rewritten_after_the_county_received_it_is_caught_on_both_sides(world, capsys):
    towns, county, out = world
    town = towns["八台镇社工站"]
    first = export(town, capsys, out)
    enrol(county, capsys, town, first)
    assert import_json(county, capsys, first)[0] == 0
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", "八台镇社工站", "--out", out)["path"])
    ok(town, capsys, "sync", "import-receipt", receipt)
    assert run(town, "verify", capsys=capsys)[0] == 0
    fund_id = js(town, capsys, "fund", "list")[0]["id"]
    rewrite_chain(town / "ledger.db", fund_id, 1)  # the allocation ×10, every later hash recomputed
    code, res = run(town, "verify", capsys=capsys)
    assert code != 0 and "县级回执" in res.err + res.out
    # the county catches it too when the next package arrives
    ok(town, capsys, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-04-01", "--type", "allocation",
       "--amount", "10", "--category", "项目拨款", "--summary", "再拨", "--post")
    second = export(town, capsys, out)
    before = data_state(county)
    code, [result], _ = import_json(county, capsys, second)
    assert (code, result["status"]) == (1, "refused") and "哈希链" in result["reason"]
    assert data_state(county) == before


# ------------------------------------------------------------------------------------------ bad packages


def resign(source: Path, target: Path, change, key: Ed25519PrivateKey | None = None, db: Path | None = None) -> Path:
    """A copy of package `source` whose manifest `change` edits, signed again: with `key`, or with the
    township's own key read from its database `db` (a forger who has it)."""
    with zipfile.ZipFile(source) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest, members)
    if key is None:
        conn = sqlite3.connect(db)
        private = conn.execute("SELECT private_key FROM sync_key WHERE retired_at = ''").fetchone()[0]
        conn.close()
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private))
    else:
        public = key.public_key().public_bytes_raw()
        manifest["key"] = {"id": hashlib.sha256(public).hexdigest()[:16], "public_key": public.hex()}
    raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    members["manifest.json"], members["manifest.sig"] = raw, key.sign(raw).hex().encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def enrolled(world, capsys):
    towns, county, out = world
    town = towns["八台镇社工站"]
    first = export(town, capsys, out)
    enrol(county, capsys, town, first)
    return town, county, out, first


def refused(county, capsys, file, words: str) -> None:
    before = data_state(county)
    code, [result], _ = import_json(county, capsys, file)
    assert (code, result["status"]) == (1, "refused"), result
    assert words in result["reason"], result["reason"]
    assert data_state(county) == before


def test_one_byte_changed_is_refused(enrolled, capsys, tmp_path):
    _town, county, _out, first = enrolled
    data = bytearray(first.read_bytes())
    at = data.find(b"records.jsonl") + 200  # inside the records
    data[at] ^= 0x01
    bad = tmp_path / "改过一个字节.zip"
    bad.write_bytes(bytes(data))
    before = data_state(county)
    code, [result], _ = import_json(county, capsys, bad)
    assert (code, result["status"]) == (1, "refused") and "没有导入" in result["reason"]
    assert data_state(county) == before


def test_a_package_resigned_by_another_key_is_refused(enrolled, capsys, tmp_path):
    _town, county, _out, first = enrolled
    bad = resign(first, tmp_path / "换了签名.zip", lambda m, _: None, key=Ed25519PrivateKey.generate())
    refused(county, capsys, bad, "不是用“八台镇社工站”登记过的密钥签的")


def test_a_package_with_its_records_changed_and_the_old_signature_is_refused(enrolled, capsys, tmp_path):
    _town, county, _out, first = enrolled
    with zipfile.ZipFile(first) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(members["manifest.json"])
    manifest["number"] = 7
    members["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "改了清单.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    refused(county, capsys, bad, "签名不符")


def test_a_package_from_an_office_not_enrolled_is_refused(world, capsys):
    towns, county, out = world
    package = export(towns["青花镇社工站"], capsys, out)
    refused(county, capsys, package, "还没有登记的单位“青花镇社工站”")


def test_a_replayed_package_changes_nothing(enrolled, capsys):
    _town, county, _out, first = enrolled
    assert import_json(county, capsys, first)[1][0]["status"] == "applied"
    before = data_state(county)
    code, [result], _ = import_json(county, capsys, first)
    assert (code, result["status"]) == (0, "unchanged") and data_state(county) == before


def test_a_package_after_a_gap_is_held_and_names_the_missing_number(enrolled, capsys):
    town, county, out, first = enrolled
    ok(town, capsys, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-04-01", "--type", "allocation",
       "--amount", "10", "--category", "项目拨款", "--summary", "再拨", "--post")
    second = export(town, capsys, out)
    before = balances(county, capsys)
    code, [result], _ = import_json(county, capsys, second)
    assert result["status"] == "held" and "缺第 1 号包" in result["reason"] and "第 2 号" in result["reason"]
    assert balances(county, capsys) == before
    assert js(county, capsys, "sync", "status")["offices"][0]["held"] == [2]
    _code, results, _ = import_json(county, capsys, first)
    assert [(r["number"], r["status"]) for r in results] == [(1, "applied"), (2, "applied")]
    assert balances(county, capsys, "八台镇社工站")["八台镇尚善社区基金"] == balances(town, capsys)["八台镇尚善社区基金"]


def test_a_package_for_a_newer_schema_is_refused(enrolled, capsys, tmp_path):
    town, county, _out, first = enrolled
    bad = resign(first, tmp_path / "新版本.zip", lambda m, _: m.update(schema_version=999), db=town / "ledger.db")
    refused(county, capsys, bad, "来自更新版本的程序")


def test_a_truncated_package_is_refused(enrolled, capsys, tmp_path):
    _town, county, _out, first = enrolled
    bad = tmp_path / "没复制完.zip"
    bad.write_bytes(first.read_bytes()[: first.stat().st_size // 2])
    refused(county, capsys, bad, "不完整或已损坏")


def test_a_zip_with_an_escaping_path_is_refused(enrolled, capsys, tmp_path):
    town, county, _out, first = enrolled

    def escape(manifest, members):
        members["../../evil.txt"] = b"x"
        manifest["members"].append({"path": "../../evil.txt", "size": 1,
                                    "sha256": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"})
    bad = resign(first, tmp_path / "越界.zip", escape, db=town / "ledger.db")
    refused(county, capsys, bad, "不该有的文件")
    assert not (county.parent / "evil.txt").exists()


def test_a_member_larger_than_declared_is_refused_before_unpacking(enrolled, capsys, tmp_path):
    town, county, _out, first = enrolled

    def bomb(manifest, members):
        members["records.jsonl"] = members["records.jsonl"] + b"\n" * 50_000_000
    bad = resign(first, tmp_path / "炸弹.zip", bomb, db=town / "ledger.db")
    refused(county, capsys, bad, "大小不符")


def test_a_receipt_from_another_county_is_refused(world, capsys, tmp_path):
    towns, _county, out = world
    town = towns["八台镇社工站"]
    other = tmp_path / "别的县"
    ok(other, capsys, "init", "--office", "宣汉县慈善会", "--division-code", "511722000000", "--association",
       "宣汉县慈善会", "--level", "县级慈善会")
    first = export(town, capsys, out)
    # the other county cannot even enrol it (it belongs to 万源市慈善会) …
    fingerprint = js(town, capsys, "sync", "key")["fingerprint"]
    code, res = run(other, "sync", "enrol", first, "--fingerprint", fingerprint, capsys=capsys)
    assert code == 1 and "不是本会" in res.err
    # … and a receipt it forges for this township is refused there
    conn = sqlite3.connect(town / "ledger.db")
    office_id = conn.execute("SELECT office_id FROM local_identity").fetchone()[0]
    conn.close()
    with Workspace.open(other, auto_backup=False) as ws, ws.transaction("test.forge") as s:
        county = local_office(s)
        forged = package.write(out / "假回执.zip", "receipt",
                               {"to": {"id": office_id, "name": "八台镇社工站"}, "packages": [], "heads": [], "notes": []},
                               signing_key(s, county), office_dict(county))
    before = data_state(town)
    code, res = run(town, "sync", "import-receipt", forged.path, capsys=capsys)
    assert code == 1 and "不是本单位所属的“万源市慈善会”" in res.err
    assert data_state(town) == before


def test_the_county_cannot_write_to_a_townships_records(enrolled, capsys):
    _town, county, _out, first = enrolled
    assert import_json(county, capsys, first)[0] == 0
    before = data_state(county)
    code, res = run(county, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-05-01", "--type",
                    "allocation", "--amount", "1", "--category", "项目拨款", "--summary", "县里记的", capsys=capsys)
    assert code == 1 and "八台镇社工站" in res.err and "只有登记它的单位可以修改" in res.err
    assert data_state(county) == before


def test_enrolment_needs_the_fingerprint_read_over_the_phone(world, capsys):
    towns, county, out = world
    package = export(towns["八台镇社工站"], capsys, out)
    before = data_state(county)
    code, res = run(county, "sync", "enrol", package, capsys=capsys)
    assert code == 1 and "公钥指纹" in res.err and "--fingerprint" in res.err
    code, res = run(county, "sync", "enrol", package, "--fingerprint", "1111 2222 3333 4444 5555", capsys=capsys)
    assert code == 1 and "不一致" in res.err
    assert data_state(county) == before


def test_a_renewed_key_reenrols_and_old_packages_still_verify(enrolled, capsys, tmp_path):
    town, county, out, first = enrolled
    renewed = js(town, capsys, "sync", "key", "--renew", "--out", out)
    ok(town, capsys, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-04-01", "--type", "allocation",
       "--amount", "10", "--category", "项目拨款", "--summary", "再拨", "--post")
    second = export(town, capsys, out)
    refused(county, capsys, second, "不是用“八台镇社工站”登记过的密钥签的")
    done = js(county, capsys, "sync", "enrol", renewed["key_file"], "--fingerprint", renewed["fingerprint"])
    assert done["status"] == "rekeyed"
    _code, results, _ = import_json(county, capsys, first, second)  # the first, signed with the retired key
    assert [(r["number"], r["status"]) for r in results] == [(1, "applied"), (2, "applied")]


def test_the_county_demo_holds_the_two_townships_of_seed_004(tmp_path, capsys):
    folder = tmp_path / "县级演示"
    assert "县级演示工作区已生成" in ok(folder, capsys, "demo", "--county")
    offices = js(folder, capsys, "sync", "status")["offices"]
    assert sorted((o["name"], o["last_number"]) for o in offices) == [("八台镇社会工作服务站", 1), ("青花镇社会工作服务站", 1)]
    names = {f["name"] for f in js(folder, capsys, "fund", "list")}
    assert {"青花镇立信社区邻里互助金", "八台镇天池村慈善互助金", "万源市慈善会八台镇尚善社区基金"} <= names
    assert run(folder, "verify", capsys=capsys)[0] == 0


def test_the_office_key_travels_in_the_one_file_backup_to_a_new_pc(world, capsys, tmp_path):
    towns, county, out = world
    town = towns["八台镇社工站"]
    first = export(town, capsys, out)
    enrol(county, capsys, town, first)
    fingerprint = js(town, capsys, "sync", "key")["fingerprint"]
    stick = tmp_path / "备份U盘"
    stick.mkdir()
    ok(town, capsys, "backup", "create", "--out", stick)
    new_pc = tmp_path / "新电脑"
    ok(new_pc, capsys, "backup", "restore", next(stick.glob("*.zip")))
    assert js(new_pc, capsys, "sync", "key")["fingerprint"] == fingerprint
    ok(new_pc, capsys, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-04-01", "--type", "allocation",
       "--amount", "10", "--category", "项目拨款", "--summary", "新电脑上记的", "--post")
    second = export(new_pc, capsys, out)
    _code, results, _ = import_json(county, capsys, first, second)
    assert [(r["number"], r["status"]) for r in results] == [(1, "applied"), (2, "applied")]
