"""`python dev.py bench --sync`: the sync figures of the data-sync issue, each beside its reference, in one run.

- import at the county of 30 packages × 10,000 records (30 townships, each a fund and 10,000 posted entries
  with their hash chain) vs raw `executemany` of the same rows into the same tables of an empty county
  database (target ≤ 4×);
- export of a package after 10,000 changes (target < 2 s).

The townships are generated through the journal's bulk path (what an import of a paper list uses), their
entries posted with a valid chain, so the county's checks (signature, hashes, chains) all run."""

import json
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from desktop_app.core.models import Fund, LedgerEntry, new_id, utc_now  # noqa: E402
from desktop_app.core.services import county_sync, office, projects, sync  # noqa: E402
from desktop_app.core.storage import db  # noqa: E402
from desktop_app.core.storage.chain import HASHED_FIELDS, canonical, link_hash  # noqa: E402
from desktop_app.core.storage.workspace import Workspace  # noqa: E402
from desktop_app.core.sync import keys  # noqa: E402

COUNTY = "万源市慈善会"
TOWNSHIPS = 30
ENTRIES = 10_000


def _entries(ws: Workspace, fund: Fund, count: int, start: int = 0) -> None:
    """`count` posted entries in `fund`, chained, written in one transaction through the bulk path."""
    with ws.transaction("bench.entries") as s:
        fund = s.get(Fund, fund.id)
        head, length, rows = fund.chain_head, fund.chain_length, []
        for i in range(start, start + count):
            length += 1
            row = {"id": new_id(), "fund_id": fund.id, "entry_date": date(2024, 1, 1) + timedelta(days=i % 365),
                   "entry_type": "allocation", "flow": "in", "amount_fen": 100 + i, "summary": f"第{i}笔拨款",
                   "category": "项目拨款", "status": "posted", "voucher_year": 2024, "voucher_seq": length,
                   "posted_at": utc_now(), "chain_seq": length, "anonymous": False, "publish_consent": False,
                   "deleted": False}
            values = {name: row.get(name, "") for name in HASHED_FIELDS}
            values.update(reverses_id=None)
            row["chain_hash"] = head = link_hash(head, canonical(values, []))
            rows.append(row)
        s.execute(insert(LedgerEntry), rows)
        fund.chain_length, fund.chain_head = length, head
        s.add(fund)


def _township(root: Path, n: int) -> tuple[Workspace, Fund]:
    ws = Workspace.open(root / f"t{n}", create=True, auto_backup=False)
    office.init_office(ws, name=f"第{n}镇社工站", division_code=f"5117811{n:02d}000", association=COUNTY)
    fund, _ = projects.add_fund(ws, projects.FundInput(name=f"第{n}镇社区基金"))
    return ws, fund


def _enrol(county: Workspace, path: Path) -> None:
    signed = county_sync.package.read(path, "package")
    county_sync.enrol(county, path, keys.fingerprint(signed.key["public_key"]))


def _raw_reference(packages: list[Path], folder: Path) -> float:
    """The same rows, inserted with executemany into the same tables of a freshly migrated database."""
    path = folder / "raw.db"
    conn = db.connect_raw(path)
    db.migrate(conn)
    by_table: dict[str, list[dict]] = {}
    for pkg in packages:
        with zipfile.ZipFile(pkg) as archive, archive.open("records.jsonl") as stream:
            for line in stream:
                item = json.loads(line)
                by_table.setdefault(item["t"], []).append(item["p"])
    conn.execute("PRAGMA defer_foreign_keys = ON")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table, rows in by_table.items():
        columns = sorted(rows[0])
        sql = (f'INSERT OR IGNORE INTO "{table}" ({", ".join(columns)}) '
               f'VALUES ({", ".join("?" * len(columns))})')
        conn.executemany(sql, [tuple(r.get(c) for c in columns) for r in rows])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def run_sync() -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        out = folder / "packages"
        out.mkdir()
        print(f"{TOWNSHIPS} townships × {ENTRIES:,} posted entries …", flush=True)
        packages, export_s = [], []
        for n in range(1, TOWNSHIPS + 1):
            ws, fund = _township(folder, n)
            first = sync.export_package(ws, folder).path  # the office itself (not timed)
            first = first.rename(out / f"{n:02d}-0001.zip")
            _entries(ws, fund, ENTRIES)
            started = time.perf_counter()
            made = sync.export_package(ws, out)
            export_s.append(time.perf_counter() - started)
            packages.append((first, made.path))
            ws.close(backup=False)
        county = Workspace.open(folder / "county", create=True, auto_backup=False)
        office.init_office(county, name=COUNTY, division_code="511781000000", association=COUNTY, level="县级慈善会")
        for first, _second in packages:
            _enrol(county, first)
        county_sync.import_packages(county, [first for first, _ in packages])  # the offices (not timed)
        print("import at the county vs raw executemany …", flush=True)
        started = time.perf_counter()
        results = county_sync.import_packages(county, [second for _, second in packages])
        import_s = time.perf_counter() - started
        assert all(r.status == "applied" for r in results), [r.reason for r in results if r.status != "applied"]
        records = sum(r.new + r.updated + r.unchanged for r in results)
        county.close(backup=False)
        raw_s = _raw_reference([second for _, second in packages], folder)
        return {
            "import": {"packages": TOWNSHIPS, "records": records, "import_s": round(import_s, 2),
                       "raw_executemany_s": round(raw_s, 2), "ratio": round(import_s / raw_s, 2), "target_ratio": 4.0},
            "export": {"changes": ENTRIES, "export_s_median": round(sorted(export_s)[len(export_s) // 2], 3),
                       "export_s_max": round(max(export_s), 3), "target_s": 2.0},
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run_sync(), ensure_ascii=False, indent=2))
