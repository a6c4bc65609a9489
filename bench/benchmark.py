"""Speed and memory of the ledger at scale, each figure beside the reference the issue names, measured
in the same run on the same machine (figures are ratios, so a slower machine does not change them much).

    python dev.py bench                 # full run: 1,000,000 entries (first run builds them, ~2 min)
    python dev.py bench --entries 200000 --quick

The generated workspace is cached in bench/out/ (git-ignored). Results are printed and written to
bench/out/results.json.
"""

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from desktop_app.core import chain, ledger_query  # noqa: E402
from desktop_app.core.models import new_id  # noqa: E402
from desktop_app.core.services import ledger, office, projects  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402

SUMMARIES = ["慈善一日捐", "困难家庭慰问金", "慈善阵地水电费", "志愿者保险", "社区赋能培训场地费", "儿童关爱活动物料",
             "老年人助餐补贴", "环境卫生整治", "助学金发放", "宣传手册印制", "需求调研交通费", "迎新慈善音乐会"]
NAMES = ["李大友", "王秀兰", "陈光明", "赵德全", "刘春梅", "张国富", "杨小琴", "何文", "周平", "吴建", "万源市鑫达建材有限公司"]
COLUMNS = ("id", "office_id", "created_at", "updated_at", "version", "deleted", "fund_id", "entry_date", "entry_type",
           "flow", "amount_fen", "summary", "category", "expense_class", "restriction", "counterparty_name",
           "counterparty_kind", "anonymous", "publish_consent", "counterparty_contact", "payment_method",
           "receipt_code", "receipt_no", "status", "voucher_year", "voucher_seq", "posted_at", "reverses_id",
           "reversal_reason", "override_reason", "batch_id", "chain_seq", "chain_hash")


def new_workspace(folder: Path) -> Workspace:
    ws = Workspace.open(folder, create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    return ws


def generate_rows(fund_id: str, office_id: str, count: int, *, posted: bool, seed: int = 7):
    """Realistic posted entries with a valid hash chain (so verify has real work to do)."""
    rnd = random.Random(seed)
    start = date(2015, 1, 1)
    previous = ""
    seq_by_year: dict[int, int] = {}
    days = sorted(rnd.randrange(0, 3650) for _ in range(count))
    for i, offset in enumerate(days):
        day = start + timedelta(days=offset)
        kind = "expense" if rnd.random() < 0.55 else "donation"
        values = {
            "id": new_id(), "fund_id": fund_id, "entry_date": day.isoformat(), "entry_type": kind,
            "flow": "out" if kind == "expense" else "in", "amount_fen": rnd.randrange(100, 5_000_000),
            "summary": f"{rnd.choice(SUMMARIES)}（第{i + 1}笔）",
            "category": rnd.choice(["活动开展", "慰问帮扶", "培训"]) if kind == "expense" else "个人捐赠",
            "expense_class": "慈善活动支出" if kind == "expense" else "", "restriction": "",
            "counterparty_name": rnd.choice(NAMES), "counterparty_kind": "个人", "anonymous": False,
            "publish_consent": False, "payment_method": "现金", "receipt_code": "", "receipt_no": "",
            "reverses_id": None, "reversal_reason": "", "override_reason": "",
            "status": "posted" if posted else "draft", "deleted": False,
            "voucher_year": None, "voucher_seq": None, "chain_seq": None,
        }
        chain_hash = None
        if posted:
            seq_by_year[day.year] = seq_by_year.get(day.year, 0) + 1
            values.update(voucher_year=day.year, voucher_seq=seq_by_year[day.year], chain_seq=i + 1)
            chain_hash = chain.link_hash(previous, chain.canonical(values, []))
            previous = chain_hash
        yield (values["id"], office_id, "2025-01-01T00:00:00.000000Z", "2025-01-01T00:00:00.000000Z", 1, 0,
               fund_id, values["entry_date"], kind, values["flow"], values["amount_fen"], values["summary"],
               values["category"], values["expense_class"], "", values["counterparty_name"], "个人", 0, 0, "",
               "现金", "", "", values["status"], values["voucher_year"], values["voucher_seq"],
               "2025-01-01T00:00:00.000000Z" if posted else None, None, "", "", None, values["chain_seq"], chain_hash)
    return previous


def build_big_workspace(folder: Path, count: int) -> None:
    ws = new_workspace(folder)
    fund, _ = projects.add_fund(ws, projects.FundInput(name="万源市慈善会八台镇尚善社区基金"))
    office_id = ws.local_office().id
    ws.close(backup=False)
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # generation only; the app itself always runs with FULL
    generator = generate_rows(fund.id, office_id, count, posted=True)
    placeholders = ",".join("?" * len(COLUMNS))
    batch: list[tuple] = []
    head = ""
    for row in generator:
        batch.append(row)
        head = row[-1]
        if len(batch) == 50_000:
            conn.executemany(f"INSERT INTO ledger_entry ({','.join(COLUMNS)}) VALUES ({placeholders})", batch)
            batch.clear()
            print(".", end="", flush=True)
    if batch:
        conn.executemany(f"INSERT INTO ledger_entry ({','.join(COLUMNS)}) VALUES ({placeholders})", batch)
    conn.execute("UPDATE fund SET chain_length = ?, chain_head = ? WHERE id = ?", (count, head, fund.id))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print()


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_text_filter(folder: Path) -> dict:
    conn = sqlite3.connect(f"file:{folder / 'ledger.db'}?mode=ro", uri=True)
    filt = ledger_query.LedgerFilter(text="慰问金（第12")
    fts = timed(lambda: (ledger_query.count(conn, filt), ledger_query.fetch(conn, filt, limit=200)), repeat=3)
    like = timed(lambda: conn.execute("SELECT count(*) FROM ledger_entry WHERE summary LIKE ? OR counterparty_name "
                                      "LIKE ? OR category LIKE ?", ["%慰问金（第12%"] * 3).fetchone(), repeat=3)
    conn.close()
    return {"text_filter_ms": fts * 1000, "like_scan_ms": like * 1000, "ratio_vs_like": fts / like}


def bench_bulk_insert(tmp: Path, count: int = 100_000) -> dict:
    ws = new_workspace(tmp / "bulk-core")
    fund, _ = projects.add_fund(ws, projects.FundInput(name="万源市慈善会八台镇尚善社区基金"))
    rnd = random.Random(3)
    inputs = [ledger.EntryInput(fund_id=fund.id, entry_date=date(2024, 1, 1) + timedelta(days=i % 365),
                                entry_type="donation", amount=Decimal(rnd.randrange(100, 100000)) / 100,
                                summary=f"慈善一日捐（第{i + 1}笔）", category="慈善一日捐",
                                counterparty_name=rnd.choice(NAMES)) for i in range(count)]
    core = timed(lambda: ledger.import_drafts(ws, inputs))
    ws.close(backup=False)

    raw_ws = new_workspace(tmp / "bulk-raw")
    raw_fund, _ = projects.add_fund(raw_ws, projects.FundInput(name="万源市慈善会八台镇尚善社区基金"))
    office_id = raw_ws.local_office().id
    raw_ws.close(backup=False)
    rows = list(generate_rows(raw_fund.id, office_id, count, posted=False))
    conn = sqlite3.connect(tmp / "bulk-raw" / "ledger.db")
    conn.execute("PRAGMA synchronous=FULL")
    placeholders = ",".join("?" * len(COLUMNS))

    def raw_insert():
        with conn:
            conn.executemany(f"INSERT INTO ledger_entry ({','.join(COLUMNS)}) VALUES ({placeholders})", rows)

    raw = timed(raw_insert)
    conn.close()
    return {"bulk_insert_core_s": core, "bulk_insert_raw_executemany_s": raw, "ratio": core / raw}


def bench_verify(folder: Path) -> dict:
    ws = Workspace.open(folder, auto_backup=False)
    start = time.perf_counter()
    report = chain.verify_workspace(ws)
    elapsed = time.perf_counter() - start
    ws.close(backup=False)
    return {"verify_s": elapsed, "verify_entries": report.entries, "verify_ok": report.ok}


def run_probe(*args: str) -> dict:
    """Run bench/probe.py in a fresh interpreter (cold start, own peak memory)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "probe.py"), *args], capture_output=True,
                            text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def run_probe_median(mode: str, *args: str, key: str, runs: int = 5) -> dict:
    """Cold starts are noisy on a shared 2-core machine: run several and keep the median run."""
    found = sorted((run_probe(mode, *args) for _ in range(runs)), key=lambda r: r[key])
    median = found[len(found) // 2]
    median["runs"] = [round(r[key], 1) for r in found]
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-row bulk insert and export")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / f"ws-{args.entries}"
    if not (folder / "ledger.db").exists():
        print(f"Building a workspace of {args.entries:,} posted entries in {folder} …")
        build_big_workspace(folder, args.entries)
    results: dict = {"entries": args.entries}
    ws = Workspace.open(folder, auto_backup=False)
    ws.backup_if_due()  # as on any office PC used daily: the start-up measured below is not a backup day
    ws.close(backup=False)

    print("ledger page vs bare QTableView/QSqlQueryModel …")
    results["ledger_page"] = run_probe_median("ledger-page", str(folder), key="first_rows_ms")
    results["bare_sql_model"] = run_probe_median("bare-sql-model", str(folder), key="first_rows_ms")
    results["ledger_first_rows_ratio"] = (results["ledger_page"]["first_rows_ms"]
                                          / results["bare_sql_model"]["first_rows_ms"])
    print("text filter …")
    results["text_filter"] = bench_text_filter(folder)
    print("cold start and memory …")
    results["startup_app"] = run_probe_median("main-window", str(folder), key="first_window_ms")
    results["startup_bare"] = run_probe_median("bare-window", key="first_window_ms")
    results["startup_ratio"] = results["startup_app"]["first_window_ms"] / results["startup_bare"]["first_window_ms"]
    results["memory_extra_mb"] = results["startup_app"]["peak_rss_mb"] - results["startup_bare"]["peak_rss_mb"]
    print("verify …")
    results["verify"] = bench_verify(folder)
    if not args.quick:
        print("xlsx export 100,000 …")
        results["xlsx_export"] = run_probe("export", str(folder), str(OUT / "export-100k.xlsx"), "100000")
        with tempfile.TemporaryDirectory() as tmp:
            print("bulk insert 100,000 …")
            results["bulk_insert"] = bench_bulk_insert(Path(tmp))
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
