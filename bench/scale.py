"""What the county schema costs at county and province size, on generated ledger entries (docs/scale.md).

    python dev.py bench --scale                              # a county: 30 townships × 50,000 entries = 1.5 M
    python dev.py bench --scale --townships 400              # 20 M rows (a province: ≈2,000 townships, 20–50 M)
    python bench/scale.py --townships 30 --per-township 50000 --duckdb-python /tmp/duckvenv/bin/python

A workspace is made with the app's own migrations (a county charity association's), its townships and their
funds are added, then the entries are inserted with raw sqlite3 executemany (the ledger_entry indexes and the
FTS trigger dropped during the load and rebuilt after it: the same schema, built faster). Measured, warm, best
of three: the file's size per million rows, the balance by fund and by office (a full table scan, then the
covering index: `ix_ledger_balance` for funds, and one made here for offices, its build time and size noted),
the first page of the ledger by date (the app's own query), and quick_check.

DuckDB is not a dependency of the app: the same group-bys over a Parquet snapshot (exported through Arrow from
Python, not with DuckDB's sqlite extension, which downloads itself on first use) run where `duckdb` and
`pyarrow` import — this interpreter, or the one `--duckdb-python` names (a throwaway venv:
`python3 -m venv /tmp/duckvenv && /tmp/duckvenv/bin/pip install duckdb pyarrow`); else that part is skipped
with a note. The generated files are kept in bench/out/ (git-ignored); results go to bench/out/scale-<rows>.json.
"""

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

# the group-bys the county's views run: balances by fund, and by office (which township holds what)
BY_FUND = ("SELECT fund_id, flow, restriction, sum(amount_fen) FROM ledger_entry {hint} "
           "WHERE status = 'posted' AND deleted = 0 GROUP BY fund_id, flow, restriction")
BY_OFFICE = ("SELECT office_id, flow, sum(amount_fen) FROM ledger_entry {hint} "
             "WHERE status = 'posted' AND deleted = 0 GROUP BY office_id, flow")
OFFICE_INDEX = ("CREATE INDEX ix_scale_office_balance ON ledger_entry "
                "(office_id, status, deleted, flow, amount_fen)")
OFFICE_PAGE_INDEX = "CREATE INDEX ix_scale_office_date ON ledger_entry (office_id, entry_date, voucher_year, voucher_seq)"
OFFICE_PAGE = ("SELECT id, entry_date, summary, amount_fen FROM ledger_entry {hint} WHERE office_id = ? AND deleted = 0 "
               "ORDER BY entry_date DESC, voucher_year DESC, voucher_seq DESC LIMIT 200")
OFFICE_BALANCE = ("SELECT flow, sum(amount_fen) FROM ledger_entry INDEXED BY ix_scale_office_balance WHERE office_id = ? "
                  "AND status = 'posted' AND deleted = 0 GROUP BY flow")
# what the app reads for one fund (queries/projects.fund_balance): a seek in the covering ix_ledger_balance
FUND_BALANCE = ("SELECT flow, restriction, sum(amount_fen) FROM ledger_entry WHERE fund_id = ? AND status = 'posted' "
                "AND deleted = 0 GROUP BY flow, restriction")
PARQUET_COLUMNS = ("id", "office_id", "fund_id", "entry_date", "entry_type", "flow", "amount_fen", "restriction",
                   "status", "deleted", "category", "summary", "counterparty_name", "voucher_year", "voucher_seq")


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def machine() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "memory_gb": memory_gb,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "platform": platform.platform(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


# ---------------------------------------------------------------- generation


def build(folder: Path, townships: int, per_township: int) -> dict:
    """A county workspace (the app's migrations) holding `townships` offices with one fund each and
    `per_township` posted entries per fund, spread over ten years."""
    sys.path.insert(0, str(ROOT))
    from bench.benchmark import COLUMNS, NAMES, SUMMARIES
    from desktop_app.core.services import office, projects
    from desktop_app.core.storage.workspace import Workspace

    started = time.perf_counter()
    ws = Workspace.open(folder, create=True, auto_backup=False)
    office.init_office(ws, name="万源市慈善会", division_code="511781000000", association="万源市慈善会",
                       level="县级慈善会")
    template_fund, _ = projects.add_fund(ws, projects.FundInput(name="万源市慈善会本级基金"))
    county_id = ws.local_office().id
    ws.close(backup=False)

    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # generation only; the app itself always writes with FULL
    conn.execute("PRAGMA cache_size=-1000000")  # 1 GB for the index rebuilds
    offices = clone_rows(conn, "office", county_id, townships,
                         lambda i: {"name": f"第{i + 1:03d}乡镇社工站", "level": "乡镇/街道",
                                    "division_code": f"511781{i + 100:03d}000"})
    funds = clone_rows(conn, "fund", template_fund.id, townships,
                       lambda i: {"name": f"第{i + 1:03d}乡镇社区基金", "office_id": offices[i]})
    indexes = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='ledger_entry' "
                                          "AND sql IS NOT NULL")]
    triggers = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type='trigger' "
                                           "AND tbl_name='ledger_entry'")]
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('index','trigger') "
                                "AND tbl_name='ledger_entry' AND sql IS NOT NULL").fetchall():
        kind = "INDEX" if name.startswith(("ix_", "ux_")) else "TRIGGER"
        conn.execute(f"DROP {kind} {name}")
    sql = f"INSERT INTO ledger_entry ({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"
    for n, (office_id, fund_id) in enumerate(zip(offices, funds, strict=True)):
        conn.executemany(sql, township_rows(office_id, fund_id, per_township, n, SUMMARIES, NAMES))
        conn.commit()
        print(".", end="", flush=True)
    print()
    loaded = time.perf_counter()
    for statement in indexes + triggers:
        conn.execute(statement)
    conn.execute("INSERT INTO ledger_search(ledger_search) VALUES ('rebuild')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"build_s": time.perf_counter() - started, "insert_s": loaded - started,
            "indexes_and_search_s": time.perf_counter() - loaded}


def clone_rows(conn: sqlite3.Connection, table: str, template_id: str, count: int, change) -> list[str]:
    """`count` copies of one row of `table`, each with a new id and the columns `change(i)` gives."""
    names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    template = dict(zip(names, conn.execute(f"SELECT * FROM {table} WHERE id = ?", (template_id,)).fetchone(),
                        strict=True))
    ids = []
    for i in range(count):
        row = {**template, **change(i), "id": f"{table}-{i:04d}-{template_id[:8]}"}
        if table == "office":
            row["office_id"] = row["id"]  # an office owns its own record
        conn.execute(f"INSERT INTO {table} ({','.join(names)}) VALUES ({','.join('?' * len(names))})",
                     [row[n] for n in names])
        ids.append(row["id"])
    conn.commit()
    return ids


def township_rows(office_id: str, fund_id: str, count: int, seed: int, summaries: list[str], names: list[str]):
    """Posted entries of one township's fund, in date order, voucher numbers per year, chain fields filled
    (a stand-in hash: these rows are for timing, not for verify)."""
    rnd = random.Random(seed)
    start = date(2015, 1, 1)
    seq_by_year: dict[int, int] = {}
    stamp = "2025-01-01T00:00:00.000000Z"
    for i, offset in enumerate(sorted(rnd.randrange(0, 3650) for _ in range(count))):
        day = start + timedelta(days=offset)
        expense = rnd.random() < 0.55
        seq_by_year[day.year] = seq_by_year.get(day.year, 0) + 1
        row_id = f"{seed:04d}{i:08d}-{rnd.getrandbits(64):016x}"
        yield (row_id, office_id, stamp, stamp, 1, 0, fund_id, day.isoformat(),
               "expense" if expense else "donation", "out" if expense else "in", rnd.randrange(100, 5_000_000),
               f"{rnd.choice(summaries)}（第{i + 1}笔）",
               rnd.choice(["活动开展", "慰问帮扶", "培训"]) if expense else "个人捐赠",
               "慈善活动支出" if expense else "", "", rnd.choice(names), "个人", 0, 0, "", "现金", "", "",
               "posted", day.year, seq_by_year[day.year], stamp, None, "", "", None, i + 1,
               hashlib.sha256(row_id.encode()).hexdigest())


# ---------------------------------------------------------------- SQLite measurements


def measure_sqlite(folder: Path, rows: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from desktop_app.core.queries import ledger as ledger_query
    from desktop_app.core.storage import backup as backups

    db_file = folder / "ledger.db"
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    free = conn.execute("PRAGMA freelist_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    size = db_file.stat().st_size - free  # pages left free by an earlier run's measuring indexes do not count
    results: dict = {"rows": rows, "file_mb": round(size / 1e6, 1), "mb_per_million_rows": round(size / 1e6 / rows * 1e6, 1)}
    results["bytes"] = where_the_bytes_go(conn, rows)
    conn.execute("SELECT count(*) FROM ledger_entry").fetchone()  # page cache: the runs below are warm
    for name, sql in (("by_fund", BY_FUND), ("by_office", BY_OFFICE)):
        scan_s, scanned = best_of(lambda q=sql: conn.execute(q.format(hint="NOT INDEXED")).fetchall())
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql.format(hint="")).fetchall()
        plain_s, found = best_of(lambda q=sql: conn.execute(q.format(hint="")).fetchall())
        assert sorted(found) == sorted(scanned)
        results[name] = {"table_scan_s": round(scan_s, 3), "schema_s": round(plain_s, 3),
                         "schema_plan": " / ".join(p[-1] for p in plan), "groups": len(found)}
    covered_s, _ = best_of(lambda: conn.execute(BY_FUND.format(hint="INDEXED BY ix_ledger_balance")).fetchall())
    fund_ids = [r[0] for r in conn.execute("SELECT id FROM fund")]
    per_fund_s, _ = best_of(lambda: [conn.execute(FUND_BALANCE, (f,)).fetchall() for f in fund_ids])
    results["by_fund"].update(covering_index_s=round(covered_s, 3), per_fund_as_the_app_reads_s=round(per_fund_s, 3),
                              funds=len(fund_ids))
    fund_id = conn.execute("SELECT id FROM fund ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    office_id = conn.execute("SELECT office_id FROM fund WHERE id = ?", (fund_id,)).fetchone()[0]
    page_s, page = best_of(lambda: ledger_query.fetch(conn, ledger_query.LedgerFilter(), limit=200))
    fund_page_s, _ = best_of(lambda: ledger_query.fetch(conn, ledger_query.LedgerFilter(fund_id=fund_id), limit=200))
    office_page_s, _ = best_of(lambda: conn.execute(OFFICE_PAGE.format(hint=""), (office_id,)).fetchall())
    results["first_page"] = {"all_offices_s": round(page_s, 4), "one_fund_s": round(fund_page_s, 4),
                             "one_office_s": round(office_page_s, 4), "rows": len(page)}
    conn.close()

    # the indexes a county's by-office views would need (not in the schema): their cost, then the query again
    office_ids = [r[0] for r in sqlite3.connect(f"file:{db_file}?mode=ro", uri=True).execute(
        "SELECT DISTINCT office_id FROM fund")]
    (covered_s, per_office_s), build_s, index_mb = with_index(db_file, OFFICE_INDEX, lambda c: (
        best_of(lambda: c.execute(BY_OFFICE.format(hint="INDEXED BY ix_scale_office_balance")).fetchall())[0],
        best_of(lambda: [c.execute(OFFICE_BALANCE, (o,)).fetchall() for o in office_ids])[0]))
    results["by_office"].update(covering_index_s=round(covered_s, 3), per_office_with_index_s=round(per_office_s, 3),
                                covering_index_build_s=round(build_s, 2), covering_index_mb=index_mb)
    page_s, build_s, index_mb = with_index(db_file, OFFICE_PAGE_INDEX, lambda c: best_of(lambda: c.execute(
        OFFICE_PAGE.format(hint="INDEXED BY ix_scale_office_date"), (office_id,)).fetchall())[0])
    results["first_page"].update(one_office_with_index_s=round(page_s, 4), office_date_index_build_s=round(build_s, 2),
                                 office_date_index_mb=index_mb)

    quick_s, ok = best_of(lambda: backups.integrity_ok(db_file, quick=True), runs=2)
    results["quick_check_s"] = round(quick_s, 2)
    results["quick_check_ok"] = ok
    return results


def with_index(db_file: Path, create: str, measure) -> tuple[object, float, float]:
    """Build an index, `measure(connection)` over it, drop it: (what measure returned, build s, index MB)."""
    name = create.split()[2]
    rw = sqlite3.connect(db_file)
    rw.execute("PRAGMA cache_size=-1000000")
    try:
        rw.execute(f"DROP INDEX IF EXISTS {name}")
        build_s, _ = best_of(lambda: rw.execute(create), runs=1)
        rw.commit()
        rw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            index_mb = round(rw.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (name,)).fetchone()[0] / 1e6, 1)
        except sqlite3.Error:
            index_mb = None
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        measured = measure(conn)
        conn.close()
    finally:
        rw.execute(f"DROP INDEX IF EXISTS {name}")
        rw.commit()
        rw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rw.close()
    return measured, build_s, index_mb


def where_the_bytes_go(conn: sqlite3.Connection, rows: int) -> dict:
    """Bytes per ledger row: the table, its indexes, the FTS search index (dbstat, when SQLite has it)."""
    try:
        sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    except sqlite3.Error:
        return {}
    kinds = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"))
    table = sizes.get("ledger_entry", 0)
    indexes = sum(v for k, v in sizes.items() if kinds.get(k) == "ledger_entry")
    search = sum(v for k, v in sizes.items() if k.startswith("ledger_search"))
    return {"table_per_row": round(table / rows), "indexes_per_row": round(indexes / rows),
            "search_per_row": round(search / rows), "ledger_entry_indexes": sum(1 for t in kinds.values()
                                                                               if t == "ledger_entry")}


# ---------------------------------------------------------------- DuckDB over a Parquet snapshot


def duckdb_part(db_file: Path, parquet: Path) -> dict:
    """Export through Arrow to Parquet (stdlib sqlite3 + pyarrow), then DuckDB's group-bys over the file.
    Runs in an interpreter with duckdb and pyarrow; imports nothing of the app."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    cursor = conn.execute(f"SELECT {', '.join(PARQUET_COLUMNS)} FROM ledger_entry")
    schema = pa.schema([(c, pa.int64() if c in ("amount_fen", "deleted", "voucher_year", "voucher_seq")
                         else pa.string()) for c in PARQUET_COLUMNS])
    writer = pq.ParquetWriter(parquet, schema, compression="zstd")
    while batch := cursor.fetchmany(200_000):
        columns = list(zip(*batch, strict=True))
        writer.write_table(pa.Table.from_arrays([pa.array(col, type=field.type) for col, field in
                                                 zip(columns, schema, strict=True)], schema=schema))
    writer.close()
    conn.close()
    export_s = time.perf_counter() - started
    db = duckdb.connect()
    source = f"read_parquet('{parquet}')"
    out = {"duckdb": duckdb.__version__, "pyarrow": pa.__version__, "threads": db.execute(
        "SELECT current_setting('threads')").fetchone()[0], "export_s": round(export_s, 2),
        "parquet_mb": round(parquet.stat().st_size / 1e6, 1)}
    for name, sql in (("by_fund", BY_FUND), ("by_office", BY_OFFICE)):
        query = sql.format(hint="").replace("FROM ledger_entry", f"FROM {source}")
        seconds, found = best_of(lambda q=query: db.execute(q).fetchall())
        out[name + "_s"] = round(seconds, 3)
        out[name + "_groups"] = len(found)
    page_s, _ = best_of(lambda: db.execute(f"SELECT id, entry_date, summary, amount_fen FROM {source} WHERE deleted = 0 "
                                           "ORDER BY entry_date DESC, voucher_year DESC, voucher_seq DESC "
                                           "LIMIT 200").fetchall())
    out["first_page_s"] = round(page_s, 3)
    return out


def measure_duckdb(folder: Path, python: str | None) -> dict | str:
    parquet = folder / "ledger_entry.parquet"
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        if not python:
            return ("skipped: duckdb/pyarrow are not importable here (they are not dependencies of the app); "
                    "give --duckdb-python with a throwaway venv's python to measure them")
        result = subprocess.run([python, __file__, "--duckdb-child", str(folder / "ledger.db"), str(parquet)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            return "skipped: the DuckDB child failed: " + result.stderr.strip()[-500:]
        return json.loads(result.stdout.strip().splitlines()[-1])
    return duckdb_part(folder / "ledger.db", parquet)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--townships", type=int, default=30)
    parser.add_argument("--per-township", type=int, default=50_000)
    parser.add_argument("--duckdb-python", help="an interpreter with duckdb and pyarrow (not the app's venv)")
    parser.add_argument("--rebuild", action="store_true", help="generate the workspace again")
    parser.add_argument("--duckdb-child", nargs=2, metavar=("DB", "PARQUET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duckdb_child:
        print(json.dumps(duckdb_part(Path(args.duckdb_child[0]), Path(args.duckdb_child[1]))))
        return None
    rows = args.townships * args.per_township
    folder = OUT / f"scale-{args.townships}x{args.per_township}"
    results: dict = {"townships": args.townships, "per_township": args.per_township, "rows": rows,
                     "machine": machine()}
    if args.rebuild or not (folder / "ledger.db").exists():
        if folder.exists():
            for path in sorted(folder.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
        print(f"Generating {rows:,} ledger entries ({args.townships} townships × {args.per_township:,}) in {folder} …")
        results["build"] = build(folder, args.townships, args.per_township)
    print("SQLite: size, group-bys, first page, quick_check …")
    results["sqlite"] = measure_sqlite(folder, rows)
    print("DuckDB over a Parquet snapshot …")
    results["duckdb"] = measure_duckdb(folder, args.duckdb_python)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"scale-{rows}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
