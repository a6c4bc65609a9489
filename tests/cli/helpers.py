"""Running the CLI in-process and checking that a refused command changed nothing; shared by the CLI tests."""

import hashlib
import json
import sqlite3
from pathlib import Path

from PIL import Image

from desktop_app.cli.main import main

FUND = "万源市慈善会八台镇尚善社区基金"
PROJECT = "四川省慈善事业高质量发展试点工作"
# the notice period used by the notice tests on the demo workspace
YEAR_2024 = ["--to", "2024-12-31", "--written-on", "2025-01-05"]


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


def ok(folder, capsys, *argv) -> str:
    code, out = run(folder, *argv, capsys=capsys)
    assert code == 0, out.err
    return out.out


def image(path: Path, color, size=(64, 48)) -> Path:
    Image.new("RGB", size, color).save(path)
    return path


CONCERT = ["activity", "add", "--project", PROJECT, "--site", "八台镇天池村", "--type", "慈善活动/募捐活动",
           "--title", "八台慈善音乐会", "--date", "2024-12-27"]
