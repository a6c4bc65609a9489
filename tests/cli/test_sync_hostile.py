"""A forger who copied a township's workspace (so signs with its own key) and hands the county packages the
program never writes: each is refused with a Chinese message saying what to do, the county unchanged, no
traceback. (The exchange itself and the first bad packages: test_sync.py.)"""

import copy
import hashlib
import json
import sqlite3
import uuid
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from tests.cli.helpers import data_state, run
from tests.cli.test_sync import enrol, enrolled, export, import_json, js, world  # noqa: F401 (fixtures)

TOWN, OTHER = "八台镇社工站", "青花镇社工站"


def township_key(db: Path) -> Ed25519PrivateKey:
    conn = sqlite3.connect(db)
    private = conn.execute("SELECT private_key FROM sync_key WHERE retired_at = ''").fetchone()[0]
    conn.close()
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private))


def forge(source: Path, target: Path, db: Path, records=None, manifest=None, raw_records=None, files=None) -> Path:
    """A copy of package `source` with its records (a list of {"t", "p"}) changed by `records`, its
    manifest by `manifest` and its files/ members (a dict) by `files`, the member hashes made to fit and
    signed again with the township's key."""
    with zipfile.ZipFile(source) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    lines = [json.loads(line) for line in members["records.jsonl"].splitlines()]
    if records:
        records(lines)
    body = {name: data for name, data in members.items() if name.startswith("files/")}
    if files:
        files(body)
    body["records.jsonl"] = raw_records(members["records.jsonl"]) if raw_records else b"".join(
        (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode() for line in lines)
    head = json.loads(members["manifest.json"])
    head["members"] = [{"path": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                       for n, d in sorted(body.items())]
    if manifest:
        manifest(head)
    raw = json.dumps(head, ensure_ascii=False, indent=1, sort_keys=True).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in body.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", raw)
        archive.writestr("manifest.sig", township_key(db).sign(raw).hex().encode())
    return target


def first(lines, table) -> dict:
    return next(line["p"] for line in lines if line["t"] == table)


def refused_whole(county, capsys, file, words: str) -> None:
    """Refused (a dry run too), the reason in words, nothing changed at the county."""
    before = data_state(county)
    for extra in ((), ("--dry-run",)):
        code, [result], _ = import_json(county, capsys, file, *extra)
        assert (code, result["status"]) == (1, "refused"), result
        assert words in result["reason"] and "没有改动" in result["reason"], result["reason"]
        assert (result["new"], result["updated"], result["conflicts"]) == (0, 0, 0)
    assert data_state(county) == before


def _set(table, name, value):
    def change(lines):
        first(lines, table)[name] = value
    return change


@pytest.mark.parametrize("table, name, value", [
    ("category", "position", "abc"),          # text for a number
    ("category", "position", 2 ** 80),        # past SQLite's INTEGER (an OverflowError before)
    ("category", "position", float("inf")),   # Infinity in JSON
    ("category", "name", {"a": [1, 2]}),      # a nested object
    ("category", "name", None),               # a NOT NULL column empty
    ("category", "active", "false"),          # a boolean as text
    ("category", "version", "1"),             # the version as text
    ("category", "version", 0),
    ("ledger_entry", "entry_date", "2024-13-45"),
    ("ledger_entry", "entry_date", [2024]),
])
def test_a_value_its_column_cannot_hold_is_refused_whole(enrolled, capsys, tmp_path, table, name, value):  # noqa: F811
    town, county, _out, package = enrolled
    bad = forge(package, tmp_path / "类型不对.zip", town / "ledger.db", records=_set(table, name, value))
    refused_whole(county, capsys, bad, f"有不合规定的内容（{name}）")


def test_nan_typed_into_the_records_is_refused(enrolled, capsys, tmp_path):  # noqa: F811
    town, county, _out, package = enrolled
    bad = forge(package, tmp_path / "NaN.zip", town / "ledger.db",
                raw_records=lambda data: data.replace(b'"position": 0', b'"position": NaN', 1))
    refused_whole(county, capsys, bad, "有不合规定的内容（position）")


def test_a_record_carried_twice_is_refused_whole(enrolled, capsys, tmp_path):  # noqa: F811
    town, county, _out, package = enrolled

    def twice(lines):
        lines.append({"t": "category", "p": first(lines, "category") | {"name": "改过的名字"}})
    bad = forge(package, tmp_path / "两次.zip", town / "ledger.db", records=twice)
    refused_whole(county, capsys, bad, "出现了不止一次")


def test_a_record_whose_parent_is_nowhere_is_refused_even_in_a_dry_run(enrolled, capsys, tmp_path):  # noqa: F811
    town, county, _out, package = enrolled
    bad = forge(package, tmp_path / "缺上级.zip", town / "ledger.db",
                records=_set("fund", "project_id", str(uuid.uuid4())))
    refused_whole(county, capsys, bad, "所属的项目在包里和县里都没有")


def test_an_entry_put_into_another_townships_fund_is_refused(world, capsys, tmp_path):  # noqa: F811
    towns, county, out = world
    packages = {name: export(folder, capsys, out) for name, folder in towns.items()}
    for name, folder in towns.items():
        enrol(county, capsys, folder, packages[name])
    assert import_json(county, capsys, packages[OTHER])[0] == 0
    other_fund = js(towns[OTHER], capsys, "fund", "list")[0]

    def into_other(lines):
        entry = copy.deepcopy(first(lines, "ledger_entry"))
        entry.update(id=str(uuid.uuid4()), fund_id=other_fund["id"], status="draft", voucher_year=None,
                     voucher_seq=None, chain_seq=None, chain_hash=None, posted_at=None)
        lines.append({"t": "ledger_entry", "p": entry})
    bad = forge(packages[TOWN], tmp_path / "记到别人基金.zip", towns[TOWN] / "ledger.db", records=into_other)
    refused_whole(county, capsys, bad, "挂在另一个单位的社区基金下")
    held = {f["id"]: f["drafts"] for f in js(county, capsys, "fund", "list")}
    assert held[other_fund["id"]] == 0


@pytest.mark.parametrize("name, value", [("number", 10 ** 30), ("number", "1"), ("number", -1)])
def test_a_package_number_that_is_no_number_is_refused(enrolled, capsys, tmp_path, name, value):  # noqa: F811
    town, county, _out, package = enrolled
    bad = forge(package, tmp_path / "编号.zip", town / "ledger.db", manifest=lambda m: m.update({name: value}))
    refused_whole(county, capsys, bad, "的编号已损坏")


def test_the_same_package_named_twice_in_one_command_is_applied_once(enrolled, capsys):  # noqa: F811
    _town, county, _out, package = enrolled
    code, results, _ = import_json(county, capsys, package, package)
    assert code == 0 and sorted(r["status"] for r in results) == ["applied", "unchanged"]
    assert run(county, "verify", capsys=capsys)[0] == 0


def test_a_package_padded_with_data_before_it_is_refused_before_it_is_archived(enrolled, capsys, tmp_path):  # noqa: F811
    _town, county, _out, package = enrolled
    padded = tmp_path / "夹带.zip"
    padded.write_bytes(b"\0" * (1 << 20) + package.read_bytes())  # ZIP readers accept it: the package still reads
    with zipfile.ZipFile(padded) as archive:
        assert archive.testzip() is None
    refused_whole(county, capsys, padded, "夹带了不属于它的数据")
    assert not list((county / "sync").rglob("*.zip"))


def test_a_folder_without_packages_is_said_not_passed_over(enrolled, capsys, tmp_path):  # noqa: F811
    _town, county, _out, package = enrolled
    folder = tmp_path / "U盘根目录"
    (folder / "同步包").mkdir(parents=True)
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    (folder / "同步包" / package.name).write_bytes(package.read_bytes())
    before = data_state(county)
    code, res = run(county, "sync", "import", folder, capsys=capsys)
    assert code == 1 and "里没有同步包" in res.err and "选那个文件夹" in res.err
    assert data_state(county) == before


def test_phone_numbers_typed_into_titles_goals_items_and_file_names_stay_home(world, capsys, tmp_path):  # noqa: F811
    towns, _county, out = world
    town = towns[TOWN]
    scan = tmp_path / "李秀英电话13908181234.jpg"
    Image.new("RGB", (16, 16), "red").save(scan)
    for argv in (
        ("entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-03-03", "--type", "donation", "--amount", "100",
         "--category", "个人捐赠", "--summary", "捐赠", "--counterparty", "张明华", "--counterparty-kind", "个人",
         "--attach", scan),
        ("project", "add", "--name", "邻里互助", "--start", "2024-01-01", "--end", "2024-12-31", "--budget", "1000",
         "--goals", "联系人李秀英 139-0818-1234"),
        ("activity", "add", "--project", "邻里互助", "--site", "", "--type", "慈善服务", "--date", "2024-03-06",
         "--title", "入户慰问李秀英（１３９ ０８１８ １２３４）", "--photo", scan),
        ("goods", "receive", "--fund", "八台镇尚善社区基金", "--date", "2024-03-02", "--item", "大米（一三九零八一八一二三四）",
         "--unit", "袋", "--quantity", "2", "--source", "捐赠", "--donor", "王五"),
    ):
        code, res = run(town, *argv, capsys=capsys)
        assert code == 0, res.err
    package = export(town, capsys, out)
    with zipfile.ZipFile(package) as archive:
        text = archive.read("records.jsonl").decode("utf-8")
    assert "李秀英" in text and "入户慰问" in text and "大米" in text  # the texts travel …
    for typed in ("13908181234", "0818-1234", "０８１８", "一三九零八"):  # … their phone numbers do not
        assert typed not in text, typed


@pytest.fixture
def with_voucher(world, capsys, tmp_path):  # noqa: F811
    towns, county, out = world
    town = towns[TOWN]
    scan = tmp_path / "凭证.jpg"
    Image.new("RGB", (16, 16), "blue").save(scan)
    code, res = run(town, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-03-03", "--type", "expense",
                    "--amount", "10", "--category", "活动开展", "--summary", "音响租赁", "--attach", scan, "--post",
                    capsys=capsys)
    assert code == 0, res.err
    package = export(town, capsys, out)
    enrol(county, capsys, town, package)
    return town, county, package


def test_a_package_without_the_file_its_voucher_names_is_refused(with_voucher, capsys, tmp_path):
    town, county, package = with_voucher
    bad = forge(package, tmp_path / "缺凭证.zip", town / "ledger.db", files=dict.clear)
    refused_whole(county, capsys, bad, "缺少记录所附的 1 个文件")
    assert not [p for p in county.rglob("*") if p.is_file() and "attachments" in p.parts]


def test_a_file_no_record_names_is_refused_not_stored(with_voucher, capsys, tmp_path):
    town, county, package = with_voucher
    planted = b"<script>not a voucher</script>"
    sha = hashlib.sha256(planted).hexdigest()
    bad = forge(package, tmp_path / "夹带文件.zip", town / "ledger.db",
                files=lambda body: body.update({f"files/{sha}": planted}))
    refused_whole(county, capsys, bad, "不属于任何记录的文件")
    assert not [p for p in county.rglob("*") if p.name == sha]
    assert import_json(county, capsys, package)[1][0]["status"] == "applied"  # the real one goes through


def test_a_receipt_for_an_office_with_an_odd_long_name_gets_a_name_windows_accepts(enrolled, capsys, tmp_path):  # noqa: F811
    town, county, out, package = enrolled
    odd = "CON/八台镇\\社工:站*?\u200b𠮷" + "镇" * 300
    bad = forge(package, tmp_path / "怪名字.zip", town / "ledger.db", records=_set("office", "name", odd))
    code, [result], _ = import_json(county, capsys, bad)
    assert (code, result["status"]) == (0, "applied"), result
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", "511781107000", "--out", out)["path"])
    assert receipt.is_file() and receipt.parent == out
    assert len(receipt.name) < 100 and not set(receipt.name) & set('\\/:*?"<>|')
    assert receipt.name.startswith("同步回执-CON_八台镇_社工_站_")


def test_an_export_killed_after_its_file_took_its_name_is_written_over_not_doubled(world, capsys, tmp_path):  # noqa: F811
    towns, county, out = world
    town = towns[TOWN]
    saved = tmp_path / "导出前.db"
    saved.write_bytes((town / "ledger.db").read_bytes())
    orphan = export(town, capsys, out)
    (town / "ledger.db").write_bytes(saved.read_bytes())  # as if killed before the export was recorded
    stale = out / f".{orphan.stem}.x1y2z3.partial"  # and one killed earlier, half written
    stale.write_bytes(b"PK\x03\x04" + b"\0" * 1000)
    again = export(town, capsys, out)
    assert again == orphan and sorted(p.name for p in out.iterdir()) == [orphan.name]
    assert js(town, capsys, "sync", "status")["sent"][0]["file_name"] == orphan.name
    enrol(county, capsys, town, again)
    assert import_json(county, capsys, again)[1][0]["status"] == "applied"


def _another_entry(town, capsys, amount: str) -> None:
    code, res = run(town, "entry", "add", "--fund", "八台镇尚善社区基金", "--date", "2024-04-01", "--type", "allocation",
                    "--amount", amount, "--category", "项目拨款", "--summary", "再拨", "--post", capsys=capsys)
    assert code == 0, res.err


def test_a_package_held_then_carried_by_a_full_package_waits_no_more(enrolled, capsys):  # noqa: F811
    town, county, out, first_package = enrolled
    _another_entry(town, capsys, "1")
    second = export(town, capsys, out)
    _another_entry(town, capsys, "2")
    assert import_json(county, capsys, second)[1][0]["status"] == "held"  # waits for the first
    whole = export(town, capsys, out, "--full")
    assert import_json(county, capsys, whole)[1][0]["status"] == "applied"
    [office] = [o for o in js(county, capsys, "sync", "status")["offices"] if o["name"] == TOWN]
    assert (office["last_number"], office["held"], office["missing"]) == (3, [], [])
    before = data_state(county)
    code, [late], _ = import_json(county, capsys, first_package)
    assert late["status"] == "refused" and "已包含在县里导入过的第 3 号全量包里" in late["reason"]
    assert data_state(county) == before
    # the township is told what the county applied: the held package is not acknowledged as arrived
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", TOWN, "--out", out)["path"])
    js(town, capsys, "sync", "import-receipt", receipt)
    sent = {p["number"]: p["acknowledged"] for p in js(town, capsys, "sync", "status")["sent"]}
    assert sent == {1: False, 2: False, 3: True}


def test_a_package_only_held_is_not_acknowledged_by_the_receipt(enrolled, capsys):  # noqa: F811
    town, county, out, first_package = enrolled
    assert import_json(county, capsys, first_package)[1][0]["status"] == "applied"
    _another_entry(town, capsys, "1")
    export(town, capsys, out)  # the second, lost on the way
    _another_entry(town, capsys, "2")
    third = export(town, capsys, out)
    assert import_json(county, capsys, third)[1][0]["status"] == "held"
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", TOWN, "--out", out)["path"])
    got = js(town, capsys, "sync", "import-receipt", receipt)
    assert got["packages"] == [[1, "applied"], [3, "held"]]
    acknowledged = {p["number"]: p["acknowledged"] for p in js(town, capsys, "sync", "status")["sent"]}
    assert acknowledged == {1: True, 2: False, 3: False}


@pytest.fixture
def receipt_world(enrolled, capsys):  # noqa: F811
    town, county, out, package = enrolled
    assert import_json(county, capsys, package)[0] == 0
    receipt = Path(js(county, capsys, "sync", "receipt", "--office", TOWN, "--out", out)["path"])
    js(town, capsys, "sync", "import-receipt", receipt)  # the county's key is pinned from now on
    return town, county, out, receipt


def resigned_receipt(receipt: Path, target: Path, change, key: Ed25519PrivateKey) -> Path:
    with zipfile.ZipFile(receipt) as archive:
        head = json.loads(archive.read("manifest.json"))
    change(head)
    raw = json.dumps(head, ensure_ascii=False, indent=1, sort_keys=True).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", raw)
        archive.writestr("manifest.sig", key.sign(raw).hex().encode())
    return target


def test_a_receipt_signed_by_another_key_under_the_countys_key_id_is_refused(receipt_world, capsys, tmp_path):
    town, _county, _out, receipt = receipt_world
    forger = Ed25519PrivateKey.generate()

    def phishing(head):
        head["key"]["public_key"] = forger.public_key().public_bytes_raw().hex()  # the key id stays the county's
        head["notes"] = [{"id": "forged", "label": "县里通知", "text": "请把基金余额转到账户 6222021234567890123"}]
    forged = resigned_receipt(receipt, tmp_path / "假回执.zip", phishing, forger)
    before = data_state(town)
    code, res = run(town, "sync", "import-receipt", forged, capsys=capsys)
    assert code == 1 and "不是用县级慈善会此前的密钥签的" in res.err and "没有改动" in res.err
    assert data_state(town) == before


@pytest.mark.parametrize("change", [
    lambda head: head.update(to=[1]), lambda head: head.update(to="八台镇社工站"), lambda head: head.pop("made_at"),
    lambda head: head.update(made_at=5), lambda head: head.update(heads=[["x", "y", 1]]),
])
def test_a_receipt_with_a_broken_manifest_is_refused_in_words(receipt_world, capsys, tmp_path, change):
    town, county, _out, receipt = receipt_world
    bad = resigned_receipt(receipt, tmp_path / "坏回执.zip", change, township_key(county / "ledger.db"))
    before = data_state(town)
    code, res = run(town, "sync", "import-receipt", bad, capsys=capsys)
    assert code == 1 and res.err.startswith("错误：同步回执“坏回执.zip”") and "没有改动" in res.err, res.err
    assert data_state(town) == before


def test_a_key_file_under_an_enrolled_key_id_with_another_key_is_not_taken_as_enrolled(enrolled, capsys, tmp_path):  # noqa: F811
    _town, county, _out, package = enrolled
    forger = Ed25519PrivateKey.generate()
    with zipfile.ZipFile(package) as archive:
        head = json.loads(archive.read("manifest.json"))
    head.update(kind="key", members=[], counts={})
    head["key"]["public_key"] = forger.public_key().public_bytes_raw().hex()  # the enrolled key's id kept
    raw = json.dumps(head, ensure_ascii=False, indent=1, sort_keys=True).encode()
    forged = tmp_path / "单位公钥-八台镇社工站.zip"
    with zipfile.ZipFile(forged, "w") as archive:
        archive.writestr("manifest.json", raw)
        archive.writestr("manifest.sig", forger.sign(raw).hex().encode())
    from desktop_app.core.sync.keys import fingerprint
    before = data_state(county)
    code, res = run(county, "sync", "enrol", forged, "--fingerprint", fingerprint(head["key"]["public_key"]),
                    capsys=capsys)
    assert code == 1 and "编号相同、内容不同" in res.err and "早已登记" not in res.out
    assert data_state(county) == before


def test_after_a_gap_is_filled_the_next_package_is_applied_not_held(enrolled, capsys):  # noqa: F811
    town, county, out, first_package = enrolled
    _another_entry(town, capsys, "1")
    second = export(town, capsys, out)
    assert import_json(county, capsys, second)[1][0]["status"] == "held"
    _code, results, _ = import_json(county, capsys, first_package)
    assert [(r["number"], r["status"]) for r in results] == [(1, "applied"), (2, "applied")]
    _another_entry(town, capsys, "2")
    third = export(town, capsys, out)
    _code, [result], _ = import_json(county, capsys, third)
    assert result["status"] == "applied", result["reason"]  # it was held: "缺第 2 号", the county had it
    [office] = [o for o in js(county, capsys, "sync", "status")["offices"] if o["name"] == TOWN]
    assert (office["last_number"], office["held"], office["missing"]) == (3, [], [])


def test_an_older_full_package_after_a_newer_one_is_refused_and_numbering_goes_on(enrolled, capsys):  # noqa: F811
    town, county, out, first_package = enrolled
    assert import_json(county, capsys, first_package)[0] == 0
    _another_entry(town, capsys, "1")
    lost = export(town, capsys, out, "--full")  # lost on the way, found later
    _another_entry(town, capsys, "2")
    assert import_json(county, capsys, export(town, capsys, out, "--full"))[1][0]["status"] == "applied"
    before = data_state(county)
    code, [late], _ = import_json(county, capsys, lost)
    assert (code, late["status"]) == (1, "refused") and "已包含在县里导入过的第 3 号全量包里" in late["reason"]
    assert data_state(county) == before
    _another_entry(town, capsys, "3")
    assert import_json(county, capsys, export(town, capsys, out))[1][0]["status"] == "applied"
