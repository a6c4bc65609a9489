"""Speed and memory of the ledger at scale, each figure beside the reference the issue names, measured
in the same run on the same machine (figures are ratios, so a slower machine does not change them much).

    python dev.py bench                 # full run: 1,000,000 entries (first run builds them, ~2 min)
    python dev.py bench --entries 200000 --quick
    python dev.py bench --photos            # photo import only: 200 phone-size JPEGs (--photo-count N), then
                                            # the same folder through the activity editor: GUI stalls
    python dev.py bench --gallery           # photo gallery only: 50,000 photos (built once, ~5 s)
    python dev.py bench --surveys           # needs surveys only: import vs calamine, analysis, GUI stalls,
                                            # report PDF, paper-entry keystrokes (bench/surveys.py)
    python dev.py bench --overview          # the overview filled after the window is shown, while the open check
                                            # runs beside it, against that check's own time (1,000,000 entries)
    python dev.py bench --scale             # county schema at scale: 30 townships × 50,000 entries (--townships N
                                            # --per-township N; --duckdb-python PY for DuckDB over Parquet), bench/scale.py
    python dev.py bench --sync              # data sync only: county import vs raw executemany, export (bench/sync.py)
    python dev.py bench --notice            # notice PDF export only: 40 photos, 500 ledger lines, beside the
                                            # same notice as .docx converted by LibreOffice headless (pip install
                                            # -e .[bench]; soffice if installed), and its preview with QtPdf

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

from desktop_app.core.models import Fund, new_id  # noqa: E402
from desktop_app.core.queries import ledger as ledger_query  # noqa: E402
from desktop_app.core.queries import photos as photo_queries  # noqa: E402
from desktop_app.core.services import ledger, office, projects  # noqa: E402
from desktop_app.core.services import verify as integrity  # noqa: E402
from desktop_app.core.storage import chain, record_state  # noqa: E402
from desktop_app.core.storage.files import sha256_of  # noqa: E402
from desktop_app.core.storage.workspace import Workspace  # noqa: E402

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


BOOL_COLUMNS = ("deleted", "anonymous", "publish_consent")
BENCH_TIME = "2025-01-01T00:00:00.000000Z"


def journal_rows(rows: list[tuple], office_id: str, epoch_id: str) -> list[tuple]:
    """The change journal's row of each generated entry, as the app writes it (journal.journal_row): the
    verify benchmark compares every entry with it, so the workspace must have one, as every real one has."""
    out = []
    for row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        for name in BOOL_COLUMNS:
            values[name] = bool(values[name])
        out.append(("ledger_entry", values["id"], "insert", 1, office_id, BENCH_TIME,
                    json.dumps(values, ensure_ascii=False, sort_keys=True), "entry.import", "bench", epoch_id))
    return out


JOURNAL_COLUMNS = "table_name, record_id, op, version, office_id, changed_at, payload, operation, operator, epoch_id"


def build_big_workspace(folder: Path, count: int) -> None:
    ws = new_workspace(folder)
    fund, _ = projects.add_fund(ws, projects.FundInput(name="万源市慈善会八台镇尚善社区基金"))
    office_id = ws.local_office().id
    with ws.reading() as s:
        epoch_id = s.connection().exec_driver_sql("SELECT epoch_id FROM local_identity").scalar()
    ws.close(backup=False)
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # generation only; the app itself always runs with FULL
    generator = generate_rows(fund.id, office_id, count, posted=True)
    placeholders = ",".join("?" * len(COLUMNS))
    batch: list[tuple] = []
    head = ""

    def flush() -> None:
        conn.executemany(f"INSERT INTO ledger_entry ({','.join(COLUMNS)}) VALUES ({placeholders})", batch)
        conn.executemany(f"INSERT INTO change_journal ({JOURNAL_COLUMNS}) VALUES ({','.join('?' * 10)})",
                         journal_rows(batch, office_id, epoch_id))
        batch.clear()
        print(".", end="", flush=True)

    for row in generator:
        batch.append(row)
        head = row[-1]
        if len(batch) == 50_000:
            flush()
    if batch:
        flush()
    # the fund's head, journalled as the app journals it (one row: its last state)
    conn.execute("UPDATE fund SET chain_length = ?, chain_head = ?, version = version + 1, updated_at = ? "
                 "WHERE id = ?", (count, head, BENCH_TIME, fund.id))
    conn.execute(f"INSERT INTO change_journal ({JOURNAL_COLUMNS}) SELECT 'fund', f.id, 'update', f.version, "
                 f"f.office_id, f.updated_at, {record_state.payload_sql(Fund.__table__, 'f')}, 'entry.post', "
                 "'bench', ? FROM fund f WHERE f.id = ?", (epoch_id, fund.id))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print()
    add_published_notice(folder, fund.id)
    ws = Workspace.open(folder, auto_backup=False)
    ws.create_backup("manual")  # a witness: verify reads every backup's chain heads
    ws.close(backup=False)


def add_published_notice(folder: Path, fund_id: str, covered: int = 10_000) -> None:
    """A published notice covering the fund's first `covered` entries, its archived file carrying the chain
    heads it sealed (what notice publishing records), so verify has a notice witness to compare as well."""
    from desktop_app.core.models import Notice, Project
    from desktop_app.core.storage import heads as chain_heads

    conn = sqlite3.connect(folder / "ledger.db")
    pairs = conn.execute("SELECT id, chain_hash, chain_seq FROM ledger_entry WHERE fund_id = ? AND chain_seq <= ? "
                         "ORDER BY chain_seq", (fund_id, covered)).fetchall()
    conn.close()
    last = pairs[-1]
    sealed = [chain_heads.Head(fund_id, last[2], last[1])]  # as published: the fund's chain at that time
    ws = Workspace.open(folder, auto_backup=False)
    with ws.transaction("notice.publish") as s:
        project = Project(name="万源市八台镇社区慈善试点", start_date=date(2015, 1, 1), end_date=date(2025, 12, 31))
        s.add(project)
        s.flush()
        notices_dir = folder / "notices"
        notices_dir.mkdir(exist_ok=True)
        pdf = notices_dir / "2025-001.pdf"
        pdf.write_bytes(b"%PDF-1.4\n% bench stand-in\n<< /Keywords (" + chain_heads.keywords(sealed).encode("ascii")
                        + b") >>\n%%EOF\n")
        s.add(Notice(project_id=project.id, template="fund-usage", date_from=date(2015, 1, 1),
                     date_to=date(2015, 2, 28), status="published", number="2025-001", number_year=2025,
                     number_seq=1, title="经费使用情况公示", entry_count=len(pairs),
                     entries_json=json.dumps(sorted([p[0], p[1]] for p in pairs)), pdf_name=pdf.name,
                     pdf_sha256=sha256_of(pdf), published_on=date(2015, 3, 5), published_at=BENCH_TIME))
    ws.close(backup=False)


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


def bench_verify(folder: Path, runs: int = 2) -> dict:
    """`verify` with every witness (journal, backup, notice, files) against the reference the issue names:
    reading the same posted rows once and hashing their canonical form. Both measured in this run,
    alternately, best of `runs` each (the first run of either warms the page cache for both)."""
    ws = Workspace.open(folder, auto_backup=False)
    reference, full = [], []
    try:
        for _ in range(runs):
            conn = sqlite3.connect(f"file:{folder / 'ledger.db'}?mode=ro", uri=True)
            start = time.perf_counter()
            hashed = chain.hash_posted_rows(conn)
            reference.append(time.perf_counter() - start)
            conn.close()
            start = time.perf_counter()
            report = integrity.verify_workspace(ws)
            full.append(time.perf_counter() - start)
    finally:
        ws.close(backup=False)
    return {"verify_s": min(full), "reference_read_and_hash_s": min(reference), "ratio": min(full) / min(reference),
            "verify_entries": report.entries, "reference_entries": hashed, "verify_ok": report.ok,
            "witnesses": report.witnesses, "runs_verify_s": [round(t, 2) for t in full],
            "runs_reference_s": [round(t, 2) for t in reference]}


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


OVERVIEW_TARGET_MS = 500  # the issue: the overview within half a second of the window appearing


def bench_overview(folder: Path, runs: int = 5) -> dict:
    """The overview's figures on screen after the main window is shown, while the open check (quick_check)
    runs beside it, against the reference the issue names: the full integrity check of the same file,
    measured in this run — quick_check (what the open check runs, and what the overview used to wait for)
    and integrity_check (the full one, for the record)."""
    from desktop_app.core.storage import backup as backups

    db_file = folder / "ledger.db"
    quick = timed(lambda: backups.integrity_ok(db_file, quick=True), repeat=2)  # the first warms the page cache
    full = timed(lambda: backups.integrity_ok(db_file))
    probe = run_probe_median("overview", str(folder), key="overview_after_shown_ms", runs=runs)
    overview_ms = probe["overview_after_shown_ms"]
    return {"overview_after_shown_ms": overview_ms, "painted_after_shown_ms": probe["painted_after_shown_ms"],
            "check_after_shown_ms": probe["check_after_shown_ms"],
            "filled_before_check_ended": probe["filled_before_check_ended"],
            "quick_check_ms": quick * 1000, "integrity_check_ms": full * 1000,
            "ratio_to_quick_check": overview_ms / (quick * 1000), "target_ms": OVERVIEW_TARGET_MS,
            "target_met": overview_ms <= OVERVIEW_TARGET_MS, "runs_ms": probe["runs"],
            "db_mb": round(db_file.stat().st_size / 1e6)}


def print_overview(data: dict) -> None:
    print(f"overview filled {data['overview_after_shown_ms']:.0f} ms after the window was shown "
          f"(target {data['target_ms']} ms: {'met' if data['target_met'] else 'NOT met'}; runs {data['runs_ms']}); "
          f"the open check ended {data['check_after_shown_ms']:.0f} ms after it. Reference, this run: quick_check "
          f"{data['quick_check_ms']:.0f} ms, integrity_check {data['integrity_check_ms']:.0f} ms "
          f"(overview / quick_check = {data['ratio_to_quick_check']:.2f})")


# ---------------------------------------------------------------- GUI responsiveness

STALL_MS = 100  # the goal: the GUI thread never stops answering for longer than this


class StallMeter:
    """How responsive the GUI thread is: a 5 ms precise QTimer on it; while recording, every gap between
    two ticks is kept (a gap far above 5 ms is a stall: the event loop could not run). Each gap also keeps
    the GUI thread's own CPU time in it: close to the gap, the GUI thread itself was busy (a slot, a
    repaint, a garbage collection); close to zero, it was waiting (for the GIL or for a CPU)."""

    def __init__(self, interval_ms: int = 5):
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[tuple[float, float, float]] = []  # (end, gap s, GUI thread CPU s), end by perf_counter
        self.on = False
        self._last, self._cpu = time.perf_counter(), time.thread_time()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.timer.start(interval_ms)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.on:
            self.gaps.append((now, now - self._last, cpu - self._cpu))
        self._last, self._cpu = now, cpu

    def record(self) -> None:
        """Start afresh (the gaps so far are dropped)."""
        self.gaps = []
        self.on = True
        self._last, self._cpu = time.perf_counter(), time.thread_time()

    @property
    def max(self) -> float:
        """The longest gap recorded, in seconds."""
        return max((gap for _end, gap, _cpu in self.gaps), default=0.0)

    def stop(self) -> None:
        self.on = False
        self.timer.stop()

    def summary(self, start: float, since: float | None = None, until: float | None = None, worst: int = 0) -> dict:
        """Figures (ms) of the gaps that ended within [since, until]; `worst` longest gaps listed with when
        they ended (ms after `start`) and the GUI thread's CPU time in them."""
        gaps = [g for g in self.gaps if (since is None or g[0] >= since) and (until is None or g[0] <= until)]
        sizes = sorted(gap for _end, gap, _cpu in gaps)
        p99 = sizes[max(0, -(-len(sizes) * 99 // 100) - 1)] if sizes else 0.0
        found = {"ticks": len(sizes), "longest_stall_ms": (sizes[-1] if sizes else 0.0) * 1000,
                 "p99_gap_ms": p99 * 1000, "median_gap_ms": (sizes[len(sizes) // 2] if sizes else 0.0) * 1000,
                 f"stalls_over_{STALL_MS}ms": sum(1 for g in sizes if g * 1000 > STALL_MS),
                 "stalls_over_50ms": sum(1 for g in sizes if g * 1000 > 50)}
        if worst:
            found["worst"] = [{"at_ms": round((end - start) * 1000), "gap_ms": round(gap * 1000, 1),
                               "gui_cpu_ms": round(cpu * 1000, 1)}
                              for end, gap, cpu in sorted(gaps, key=lambda g: -g[1])[:worst]]
        return found


def wait_until(app, done, timeout: float = 30.0, what: str = "benchmark") -> None:
    """Run the event loop until `done()` (a StallMeter's timer keeps it waking every 5 ms)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what}: timed out")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def pump(ms: int) -> None:
    """Run the event loop for `ms` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


# ---------------------------------------------------------------- photo gallery (--gallery)

GALLERY_CAPTIONS = ["慈善音乐会开场合影", "志愿者为老人测量血压", "", "儿童关爱活动手工课", "物资发放登记现场",
                    "慈善阵地揭牌仪式", "社区环境卫生整治", ""]


def build_gallery_workspace(folder: Path, count: int) -> str:
    """`count` photos of one project (100 to an activity) and a thumbnail file for each: 20 distinct
    small JPEGs hard-linked (or copied) under every photo's name. Returns the project id."""
    from PIL import Image, ImageDraw

    from desktop_app.core.storage import photo_files
    from desktop_app.gui.thumbnails import IMAGE_BOX

    ws = new_workspace(folder)
    project = projects.add_project(ws, projects.ProjectInput(name="四川省慈善事业高质量发展试点工作",
                                                             start_date=date(2024, 2, 1), end_date=date(2025, 2, 28),
                                                             budget=Decimal(900000)))
    office_id = ws.local_office().id
    ws.close(backup=False)
    sources = []
    for i in range(20):
        size = (photo_files.THUMB_EDGE, photo_files.THUMB_EDGE * 3 // 4) if i % 4 else (IMAGE_BOX.height(), photo_files.THUMB_EDGE)
        picture = Image.new("RGB", size, f"hsl({i * 18}, 55%, 50%)")
        ImageDraw.Draw(picture).ellipse((30, 30, size[0] - 30, size[1] - 30), fill="#ecf0f1")
        sources.append(folder / "bench-sources" / f"{i}.jpg")
        sources[-1].parent.mkdir(exist_ok=True)
        picture.save(sources[-1], "JPEG", quality=80)
    now = "2025-01-01T00:00:00.000000Z"
    activities, attachments, rows = [], [], []
    for a in range(-(-count // 100)):
        day = (date(2024, 2, 1) + timedelta(days=a % 360)).isoformat()
        activities.append((new_id(), office_id, now, now, project.id, "慈善活动/募捐活动", f"第{a + 1}次慈善活动", day, day))
    rnd = random.Random(5)
    for i in range(count):
        sha = f"{rnd.getrandbits(256):064x}"
        attachment_id = new_id()
        created = f"2025-01-01T00:00:{i // 1_000_000:02d}.{i % 1_000_000:06d}Z"
        attachments.append((attachment_id, office_id, now, now, sha, f"IMG_{i}.jpg", 2_000_000))
        rows.append((new_id(), office_id, created, created, attachment_id, sha, project.id, activities[i // 100][0],
                     GALLERY_CAPTIONS[i % len(GALLERY_CAPTIONS)], i % 100, int(i % 9 == 0), f"IMG_{i}.jpg"))
        target = photo_files.thumb_path(folder, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(sources[i % len(sources)], target)
        except OSError:
            target.write_bytes(sources[i % len(sources)].read_bytes())
    conn = sqlite3.connect(folder / "ledger.db")
    conn.execute("PRAGMA synchronous=OFF")  # generation only; the app itself always runs with FULL
    with conn:
        conn.executemany("INSERT INTO activity (id, office_id, created_at, updated_at, version, deleted, project_id, "
                         "activity_type, title, start_date, end_date, place, organisers, partners, participants, "
                         "volunteers, volunteer_minutes, summary, public, public_order) "
                         "VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?, '', '', '', 0, 0, 0, '', 0, 0)", activities)
        conn.executemany("INSERT INTO attachment (id, office_id, created_at, updated_at, version, deleted, sha256, "
                         "original_name, size) VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?)", attachments)
        conn.executemany("INSERT INTO photo (id, office_id, created_at, updated_at, version, deleted, attachment_id, "
                         "sha256, project_id, activity_id, space_id, caption, position, in_notice, width, height, "
                         "taken_at, original_name) VALUES (?, ?, ?, ?, 1, 0, ?, ?, ?, ?, NULL, ?, ?, ?, 4000, 3000, "
                         "'', ?)", rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return project.id


def bench_gallery(n: int = 50_000) -> dict:
    """The project gallery over `n` photos in a 1000×700 view: (a) from setting the model to the first
    screenful of thumbnails painted, beside (b) listing the thumbnail folders (os.scandir over all of
    them); (c) the longest GUI-thread stall (a 5 ms timer's longest gap) while the thumbnails load and
    while scrolling to the middle and to the end."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import shutil

    from desktop_app.gui.application import make_application
    from desktop_app.gui.photo_gallery import PhotoGalleryModel
    from desktop_app.gui.photo_views import PhotoGalleryView
    from desktop_app.gui.thumbnails import READY

    folder = OUT / f"gallery-{n}"
    marker = folder / "gallery.json"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Building a workspace of {n:,} photos in {folder} …")
        project_id = build_gallery_workspace(folder, n)
        marker.write_text(json.dumps({"project_id": project_id, "photos": n}), encoding="utf-8")
    project_id = json.loads(marker.read_text(encoding="utf-8"))["project_id"]

    thumbs = folder / "derived" / "thumbs"

    def list_thumbnails() -> int:
        return sum(1 for sub in os.scandir(thumbs) for _entry in os.scandir(sub.path))

    assert list_thumbnails() == n  # also warms the file cache, as the gallery's reads find it warm
    scandir_s = timed(list_thumbnails, repeat=3)

    app = make_application([])
    ws = Workspace.open(folder, auto_backup=False)
    stall = StallMeter()

    def screen_ready(view, model) -> bool:
        rows = view.visible_rows()
        return len(rows) > 0 and all(model.thumb_state(r) == READY for r in rows)

    runs = []
    for _ in range(3):
        view = PhotoGalleryView()
        view.resize(1000, 700)
        view.show()
        pump(50)
        stall.record()
        start = time.perf_counter()
        model = PhotoGalleryModel(ws)
        model.set_scope(project_id=project_id)
        view.setModel(model)
        wait_until(app, lambda view=view, model=model: screen_ready(view, model) and not model.updates_pending,
                   what="gallery benchmark")
        app.processEvents()  # the repaint the model asked for
        view.viewport().repaint()
        first = time.perf_counter() - start
        bar = view.verticalScrollBar()
        columns = max(1, view.viewport().width() // view.gridSize().width())
        full = (-(-n // columns) - 1) * view.gridSize().height() - view.viewport().height()
        wait_until(app, lambda bar=bar, full=full: bar.maximum() >= full, what="gallery benchmark")
        laid_out = time.perf_counter() - start
        loading_stall = stall.max
        runs.append({"first_screen_ms": first * 1000, "layout_done_ms": laid_out * 1000,
                     "stall_loading_ms": loading_stall * 1000, "screen": len(view.visible_rows())})
        if len(runs) < 3:
            model.close()
            view.close()
            view.deleteLater()
            pump(20)
    result = sorted(runs, key=lambda r: r["first_screen_ms"])[1]  # the median run
    result["first_screen_runs"] = [round(r["first_screen_ms"], 1) for r in runs]

    # scrolling: drag the scroll bar to the middle in steps (a frame apart), then jump to the end
    stall.record()
    for step in range(1, 31):
        bar.setValue(bar.maximum() // 2 * step // 30)
        pump(16)
    start = time.perf_counter()  # the drag stopped: how long until that screen is complete
    wait_until(app, lambda: screen_ready(view, model), what="gallery benchmark")
    result["middle_screen_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    bar.setValue(bar.maximum())
    wait_until(app, lambda: screen_ready(view, model), what="gallery benchmark")
    result["end_screen_ms"] = (time.perf_counter() - start) * 1000
    assert n - 1 in view.visible_rows()
    pump(200)
    result["stall_scrolling_ms"] = stall.max * 1000
    stall.stop()
    model.close()
    view.close()
    ws.close(backup=False)
    result.update(photos=n, scandir_all_thumbs_ms=scandir_s * 1000,
                  first_screen_ratio_vs_scandir=result["first_screen_ms"] / (scandir_s * 1000),
                  threads=model.loader.threads, goal_first_screen_ms=300, goal_stall_ms=STALL_MS)
    return result


def run_gallery_only(n: int = 50_000) -> None:
    """`--gallery`: the gallery section alone, merged into results.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"photo gallery over {n:,} photos …")
    gallery = bench_gallery(n)
    path = OUT / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results["gallery"] = gallery
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({"gallery": gallery}, ensure_ascii=False, indent=2))


# ------------------------------------------------------------------ photos


PHONE_SIZE = (4000, 3000)  # a 12-megapixel phone photo


def phone_jpegs(count: int) -> list[Path]:
    """`count` distinct 4000×3000 JPEGs of ~3 MB (noise over gradients: phone-like size and decode work),
    every fourth one stored sideways with EXIF Orientation 6 as phones do. Cached in bench/out/phone-jpegs/."""
    from PIL import Image, ImageDraw

    folder = OUT / "phone-jpegs"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"IMG_{i:04d}.jpg" for i in range(1, count + 1)]
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return paths
    print(f"writing {len(missing)} phone-size JPEGs to {folder} …")
    width, height = PHONE_SIZE
    scenes = []
    for _ in range(4):
        noise = Image.effect_noise((width // 4, height // 4), 40).resize(PHONE_SIZE, Image.Resampling.BICUBIC)
        fine = Image.effect_noise(PHONE_SIZE, 12)
        channels = (Image.linear_gradient("L").resize(PHONE_SIZE), Image.radial_gradient("L").resize(PHONE_SIZE), noise)
        scenes.append(Image.merge("RGB", [Image.blend(Image.blend(c, noise, 0.4), fine, 0.15) for c in channels]))
    for path in missing:
        i = int(path.stem.split("_")[1])
        picture = scenes[i % len(scenes)].copy()
        ImageDraw.Draw(picture).rectangle((100 + 13 * (i % 200), 100, 900 + 13 * (i % 200), 500),
                                          fill=(200, 30 + i % 200, 30))
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = f"2024:{1 + i % 12:02d}:{1 + i % 28:02d} 10:{i % 60:02d}:00"
        if i % 4 == 0:
            exif[0x0112] = 6
        partial = path.with_suffix(".partial")
        picture.save(partial, "JPEG", quality=90, exif=exif.tobytes())
        os.replace(partial, path)
    return paths


def peak_rss_mb() -> float:
    """This process's peak RSS. On Linux VmHWM, which starts afresh at exec: ru_maxrss is carried over
    from the parent through fork and exec, so a child would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def photo_workspace(folder: Path) -> tuple[Workspace, str, str]:
    """A fresh workspace with one project and one activity: (workspace, project id, activity id)."""
    from desktop_app.core.models import Activity

    ws = new_workspace(folder)
    project = projects.add_project(ws, projects.ProjectInput(
        name="八台镇慈善试点", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal(0)))
    with ws.transaction("bench.setup") as s:
        activity = Activity(project_id=project.id, activity_type="慈善服务", title="八台慈善音乐会",
                            start_date=date(2024, 9, 1), end_date=date(2024, 9, 1))
        s.add(activity)
    return ws, project.id, activity.id


def photo_import_child(count: int) -> None:
    """Runs in its own interpreter (see bench_photo_import): import `count` phone photos into a fresh
    workspace and time a few gallery pages over 50,000 photos; prints one JSON line."""
    from desktop_app.core.services import photos as photo_service

    files = phone_jpegs(count)
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        ws, project_id, activity_id = photo_workspace(Path(tmp) / "photos")
        start = time.perf_counter()
        result = photo_service.add_photos(ws, files, activity_id=activity_id, strict=True)
        elapsed = time.perf_counter() - start
        peak = peak_rss_mb()
        derived_mb = sum(f.stat().st_size for f in (ws.root / "derived").rglob("*.jpg")) / 1e6
        gallery = bench_gallery_pages(ws, project_id, result.added[0].attachment_id)
        ws.close(backup=False)
    print(json.dumps({
        "photos": len(result.added), "total_s": elapsed, "per_photo_ms": elapsed / max(1, len(result.added)) * 1000,
        "source_mb": sum(f.stat().st_size for f in files) / 1e6, "derived_mb": derived_mb,
        "rss_before_import_mb": rss_before, "peak_rss_mb": peak, **gallery}))


def photo_gui_child(count: int) -> None:
    """Runs in its own interpreter (see bench_photo_import): the activity editor (ActivityDialog, offscreen)
    imports a folder of `count` phone photos exactly as its 添加整个文件夹… does — `import_photos`, on the
    app's one DB worker (OpRunner) with its progress dialog — while a StallMeter watches the GUI thread,
    from the click until the strip shows the new photos' thumbnails. Prints one JSON line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import gc

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from desktop_app.core.storage import photo_files
    from desktop_app.gui import prompts
    from desktop_app.gui.activity_dialog import ActivityDialog
    from desktop_app.gui.activity_reads import load_activity, load_activity_lookups
    from desktop_app.gui.app import make_context
    from desktop_app.gui.application import make_application
    from desktop_app.gui.ops import PROGRESS_DELAY_MS
    from desktop_app.gui.thumbnails import READY

    files = phone_jpegs(count)
    folder = files[0].parent
    # the folder itself, as 添加整个文件夹… passes it, when it holds just these photos (else the files)
    chosen = [folder] if photo_files.images_in_folder(folder) == files else files
    told: list[str] = []  # what the dialog would have shown in a message box (none may block the run)
    prompts.show_info = lambda _parent, message, title="提示": told.append(f"{title}: {message}")
    prompts.show_error = lambda _parent, message, title="无法完成": told.append(f"{title}: {message}")
    prompts.confirm = lambda _parent, title, message: told.append(f"{title}: {message}") is not None

    collections: list[tuple[float, float, int]] = []  # (end, seconds, generation) of every collection
    collecting: dict[str, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collecting["start"] = time.perf_counter()
        elif "start" in collecting:
            now = time.perf_counter()
            collections.append((now, now - collecting.pop("start"), info["generation"]))

    app = make_application([])
    with tempfile.TemporaryDirectory() as tmp:
        ws, _project_id, activity_id = photo_workspace(Path(tmp) / "photos")
        ctx = make_context(ws)
        dialog = ActivityDialog(ctx, activity_id=activity_id)
        # as the activities page opens it (ActivitiesPage._open)
        ctx.runner.query(lambda: load_activity_lookups(ws), dialog.set_lookups)
        ctx.runner.query(lambda: load_activity(ws, activity_id), dialog.fill, dialog.load_failed)
        dialog.open()
        stall = StallMeter()
        wait_until(app, lambda: ctx.runner.idle, what="photo GUI benchmark")
        pump(300)
        strip, model = dialog.photos.strip, dialog.photos.photo_model
        assert model.rowCount() == 0

        # where the GUI thread's time goes after the import: the editor's two slots, timed where they run
        slot_ms: dict[str, float] = {}

        def timing(name: str, slot):
            def timed_slot(*args) -> None:
                begin = time.perf_counter()
                slot(*args)
                slot_ms[name] = slot_ms.get(name, 0.0) + (time.perf_counter() - begin) * 1000
            return timed_slot

        for name in ("_show_photos", "_photos_imported"):
            setattr(dialog.photos, name, timing(name, getattr(dialog.photos, name)))
        marks: dict[str, float] = {}
        progressed: list[float] = []
        ctx.runner._bridge.progressed.connect(lambda *_a: progressed.append(time.perf_counter()))
        ctx.runner.finished.connect(lambda: marks.setdefault("done", time.perf_counter()))

        def strip_ready() -> bool:
            rows = strip.visible_rows()
            return (model.rowCount() == count and len(rows) > 0 and count - 1 in rows
                    and all(model.thumb_state(r) == READY for r in rows) and not model.updates_pending)

        rss_before = peak_rss_mb()
        gc.callbacks.append(on_gc)
        stall.record()
        start = time.perf_counter()
        dialog.photos.import_photos(chosen)  # what 添加整个文件夹… does once the folder is chosen
        seen = []  # the progress dialog appears after PROGRESS_DELAY_MS: check it did, a second later
        QTimer.singleShot(PROGRESS_DELAY_MS + 1000, lambda: seen.extend(
            w for w in app.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()))
        wait_until(app, lambda: "done" in marks, timeout=600, what="photo GUI benchmark")
        wait_until(app, strip_ready, what="photo GUI benchmark")
        marks["strip_ready"] = time.perf_counter()
        pump(500)  # anything the import left behind (a collection, late repaints) still counts
        end = time.perf_counter()
        gc.callbacks.remove(on_gc)
        stall.stop()
        added = model.rowCount()
        message = dialog.message.text()
        dialog.done(0)
        ctx.runner.shutdown()
        ws.close(backup=False)
    done = marks["done"]
    result = {
        "photos": added, "imported": "folder" if chosen == [folder] else "files",
        "total_s": (done - start), "per_photo_ms": (done - start) / max(1, added) * 1000,
        "strip_ready_s": marks["strip_ready"] - start, "progress_reports": len(progressed),
        "progress_dialog_shown": bool(seen),
        **stall.summary(start, worst=8),
        "during_import": stall.summary(start, until=done),
        "after_import": stall.summary(start, since=done, until=end),
        "gui_slots_ms": {name.strip("_"): round(ms, 1) for name, ms in slot_ms.items()},
        "gc_collections": len(collections),
        "gc_longest_ms": max((c[1] for c in collections), default=0.0) * 1000,
        "gc_full_collections": sum(1 for c in collections if c[2] == 2),
        "peak_rss_mb": peak_rss_mb(), "rss_before_import_mb": rss_before,
        "dialog_message": message, "message_boxes": told, "goal_stall_ms": STALL_MS,
    }
    print(json.dumps(result, ensure_ascii=False))


def bench_gallery_pages(ws: Workspace, project_id: str, attachment_id: str, total: int = 50_000) -> dict:
    """Fill the project up to `total` photos (raw rows) and time a page at the start, middle and end."""

    office_id = ws.local_office().id
    conn = sqlite3.connect(ws.db_path)
    have = conn.execute("SELECT count(*), max(position) FROM photo").fetchone()
    rows = [(new_id(), office_id, f"2025-01-01T00:00:00.{i:06d}Z", "2025-01-01T00:00:00Z", 1, 0, attachment_id,
             f"{i:064x}", project_id, None, None, f"照片{i}", have[1] + 1 + i, 0, 4000, 3000, "", f"IMG_{i}.jpg")
            for i in range(total - have[0])]
    with conn:
        conn.executemany("INSERT INTO photo (id, office_id, created_at, updated_at, version, deleted, attachment_id, "
                         "sha256, project_id, activity_id, space_id, caption, position, in_notice, width, height, "
                         f"taken_at, original_name) VALUES ({','.join('?' * 18)})", rows)
    conn.close()
    timings = {}
    with ws.reading() as s:
        photo_queries.count_photos(s, project_id=project_id)  # warm the connection
        timings["gallery_count_ms"] = timed(lambda: photo_queries.count_photos(s, project_id=project_id), 3) * 1000
        for name, offset in (("first", 0), ("middle", total // 2), ("last", total - 200)):
            timings[f"gallery_page_{name}_ms"] = timed(
                lambda o=offset: photo_queries.photo_page(s, project_id=project_id, offset=o, limit=200), 3) * 1000
    timings["gallery_photos"] = total
    return timings


def run_photo_import_only(count: int) -> None:
    """`--photos`: the photo import alone, merged into an existing results.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"photo import {count} …")
    data = bench_photo_import(count)
    results_file = OUT / "results.json"
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    results["photo_import"] = data
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print_photo_results(data)


def run_child(flag: str, n: int) -> dict:
    """This script with `flag n` in a fresh interpreter (its own peak RSS, its own QApplication)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), flag, str(n)],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_photo_import(n: int = 200) -> dict:
    """Import `n` phone-size JPEGs with add_photos (check, EXIF orientation, display copy, thumbnail,
    attachment store, one transaction), in a fresh interpreter so that its peak RSS is its own; then
    (under "gui") the same folder through the activity editor, watching the GUI thread for stalls."""
    phone_jpegs(n)  # generated here, so the child's memory figure is the import's alone
    data = run_child("--photo-import-child", n)
    data["gui"] = run_child("--photo-gui-child", n)
    return data


def print_photo_results(data: dict) -> None:
    print(f"photo import: {data['photos']} photos of {PHONE_SIZE[0]}×{PHONE_SIZE[1]} ({data['source_mb']:.0f} MB) in "
          f"{data['total_s']:.1f} s = {data['per_photo_ms']:.0f} ms per photo; peak RSS {data['peak_rss_mb']:.0f} MB "
          f"(before import {data['rss_before_import_mb']:.0f} MB); gallery of {data['gallery_photos']:,}: page "
          f"{data['gallery_page_first_ms']:.1f} / {data['gallery_page_middle_ms']:.1f} / "
          f"{data['gallery_page_last_ms']:.1f} ms, count {data['gallery_count_ms']:.1f} ms")
    gui = data.get("gui")
    if gui:
        over = f"stalls_over_{STALL_MS}ms"
        print(f"photo import in the activity editor ({gui['photos']} photos, a {gui['imported']}, worker + progress "
              f"dialog): {gui['total_s']:.1f} s = {gui['per_photo_ms']:.0f} ms per photo, strip shows them at "
              f"{gui['strip_ready_s']:.1f} s; GUI thread: longest stall {gui['longest_stall_ms']:.0f} ms, p99 tick "
              f"gap {gui['p99_gap_ms']:.1f} ms, {gui[over]} stalls over {STALL_MS} ms (goal: none)")
        for phase in ("during_import", "after_import"):
            part = gui[phase]
            print(f"  {phase.replace('_', ' ')}: longest {part['longest_stall_ms']:.0f} ms, p99 "
                  f"{part['p99_gap_ms']:.1f} ms, {part[over]} over {STALL_MS} ms, {part['stalls_over_50ms']} over 50 ms")
        print("  worst gaps (ms after the click: gap / GUI-thread CPU): "
              + ", ".join(f"{w['at_ms']}: {w['gap_ms']:.0f}/{w['gui_cpu_ms']:.0f}" for w in gui["worst"]))
        print(f"  GUI slots after the import (ms): {gui['gui_slots_ms']}; garbage collections: "
              f"{gui['gc_collections']} (longest {gui['gc_longest_ms']:.0f} ms)")


# ------------------------------------------------------------------ notices


NOTICE_PHOTOS = 40
NOTICE_LINES = 500


def notice_display_jpegs(count: int) -> list[Path]:
    """`count` 1600×1200 JPEGs at quality 82, as the app's display copies of phone photos (~240 KB each:
    gradients, soft noise and shapes; real scenes are similar or larger). Cached in bench/out/notice-photos/."""
    from PIL import Image, ImageDraw

    folder = OUT / "notice-photos"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"display-{i:02d}.jpg" for i in range(count)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        size = (1600, 1200)
        low = Image.effect_noise((200, 150), 60).resize(size, Image.Resampling.BICUBIC)
        mid = Image.effect_noise((800, 600), 40).resize(size, Image.Resampling.BILINEAR)
        fine = Image.effect_noise(size, 24)
        channels = [Image.blend(Image.blend(Image.blend(base, low, 0.5), mid, 0.12), fine, 0.06)
                    for base in (Image.linear_gradient("L").resize(size), Image.radial_gradient("L").resize(size), low)]
        scene = Image.merge("RGB", channels)
        for path in missing:
            i = int(path.stem.split("-")[1])
            picture = scene.copy()
            draw = ImageDraw.Draw(picture)
            for k in range(12):
                draw.rectangle((100 * k + 7 * i, 700 - 30 * k, 100 * k + 90 + 7 * i, 1100),
                               fill=(180 - 10 * k, 60 + 4 * i % 190, 40 + 15 * k))
            partial = path.with_suffix(".partial")
            picture.save(partial, "JPEG", quality=82, optimize=True)
            os.replace(partial, path)
    return paths


def _notice_document(photos: list[Path], lines: int):
    from desktop_app.core.documents.model import (
        Column,
        Field,
        Heading,
        Item,
        Paragraph,
        Photo,
        PhotoGrid,
        SignOff,
        Table,
    )
    from desktop_app.core.money import capital_yuan, to_fen
    from desktop_app.core.notices.document import NoticeDocument

    rnd = random.Random(4)
    rows, income, expense = [], Decimal(0), Decimal(0)
    for i in range(lines):
        amount = Decimal(rnd.randint(5_000, 2_000_000)) / 100
        is_income = i % 9 == 0
        income += amount if is_income else 0
        expense += 0 if is_income else amount
        summary = SUMMARIES[i % len(SUMMARIES)] + ("（" + NAMES[i % len(NAMES)][0] + "*" + "）" if i % 3 == 0 else "")
        rows.append((f"记-{i + 1:04d}", f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", summary,
                     f"¥{amount:,.2f}" if is_income else "", "" if is_income else f"¥{amount:,.2f}"))
    body = ("依托社区现有服务阵地，针对社区多元主体的服务需求，如困境儿童青少年、妇女、老人、残疾人等开展专场"
            "慈善服务。例如设置了新春趣味游园会和便民爱心市集，市集区域提供有义诊、写春联等便民服务供村民选择。")
    blocks = [
        Heading("一、项目信息"),
        Field("项目名称", "四川省慈善事业高质量发展试点工作"),
        Field("项目主要内容和绩效目标", body * 3),
        Field("项目周期", "2024年2月至2025年2月"),
        Field("资金额度", "90万元"),
        Field("项目负责人", "万源市慈善会秘书长蒲栋、八台社区社会组织联合会黄国春"),
        Field("联系方式", "13551281592、15583376966"),
        Field("项目完成情况", "现拨付资金共31.6万元用于慈善阵地建设及活动开展。"),
        Heading("二、项目效果"),
    ]
    numbers = "一二三四五六"
    for site in ("青花镇立信社区慈善试点情况", "八台镇立信社区慈善试点情况"):
        blocks.append(Heading(site, level=2))
        blocks += [Item(f"（{n}）", "开展社区慈善服务。", body) for n in numbers]
    blocks += [
        Heading("三、经费收支情况"),
        Paragraph(f"本期收入¥{income:,.2f}，支出¥{expense:,.2f}，明细如下。"),
        Table(columns=(Column("凭证号", 1.2, "center"), Column("日期", 1.3, "center"), Column("摘要", 3.6),
                       Column("收入", 1.4, "right"), Column("支出", 1.4, "right")),
              rows=tuple(rows),
              totals=(("合计", "", "", f"¥{income:,.2f}", f"¥{expense:,.2f}"),
                      (f"支出合计：¥{expense:,.2f}（{capital_yuan(to_fen(expense), prefix='人民币')}）",)),
              caption="经费收支明细"),
        Heading("四、活动照片"),
        PhotoGrid(tuple(Photo(p, f"活动照片{i + 1}") for i, p in enumerate(photos))),
        Paragraph("公示期：2025年1月6日至2025年1月15日。监督电话：万源市慈善会0818-8621234，12345。"),
        SignOff(("万源市慈善会", "青花镇人民政府"), date(2025, 1, 5)),
    ]
    return NoticeDocument("fund-usage", ["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示"], blocks,
                          verification_code="7K3M-Q9TX")


def bench_notice(photo_count: int = NOTICE_PHOTOS, lines: int = NOTICE_LINES, runs: int = 3) -> dict:
    from desktop_app.core.documents import pdf

    photos = notice_display_jpegs(photo_count)
    doc = _notice_document(photos, lines)
    out = OUT / "notice-bench.pdf"
    start = time.perf_counter()
    info = pdf.render_pdf(doc, out)  # the first export in a process also loads the two fonts
    first_s = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        info = pdf.render_pdf(doc, out)
        times.append(time.perf_counter() - start)
    photo_bytes = sum(p.stat().st_size for p in photos)
    found = {
        "photos": photo_count, "ledger_lines": lines, "pages": info.pages,
        "export_first_s": round(first_s, 3), "export_s": round(sorted(times)[len(times) // 2], 3),
        "size_mb": round(info.size / 1e6, 2), "display_copies_mb": round(photo_bytes / 1e6, 2),
        "goal_export_s": 1.0, "goal_size_mb": 2.5,
        "reference_libreoffice": {"export_s": 6, "size_mb": 2.4, "source": "issue 4 (2-core machine)"},
        "pdf": str(out),
    }
    found["libreoffice"] = bench_notice_libreoffice(doc)
    office = found["libreoffice"]
    if isinstance(office, dict) and "cold_s" in office:
        found["ratio_time_vs_libreoffice_cold"] = round(found["export_s"] / office["cold_s"], 3)
        found["ratio_time_vs_libreoffice_warm"] = round(found["export_s"] / office["warm_s"], 3)
        found["ratio_size_vs_libreoffice"] = round(found["size_mb"] / office["pdf_size_mb"], 3)
    found["preview"] = bench_notice_preview(out)
    return found


# --- the office's way: the same notice as .docx (python-docx), converted by LibreOffice headless


def _docx_fonts(style, latin: str, east_asian: str) -> None:
    """A style's Latin and East Asian faces (python-docx's font.name sets the Latin ones only)."""
    from docx.oxml.ns import qn

    style.font.name = latin
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _docx_styles(document) -> dict:
    """Paragraph and character styles like the PDF's: body 宋体 16 pt (三号) on an exact 28 pt pitch with a
    two-character first-line indent, headings and labels in 黑体, the title 22 pt, table cells 10.5 pt."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    from desktop_app.core.documents import layout as pdf

    normal = document.styles["Normal"]
    _docx_fonts(normal, "SimSun", "宋体")
    normal.font.size = Pt(pdf.BODY_SIZE)
    body = normal.paragraph_format
    body.line_spacing_rule, body.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(pdf.BODY_LEADING)
    body.first_line_indent = Pt(2 * pdf.BODY_SIZE)
    body.space_before = body.space_after = Pt(0)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def para(name, *, hei=False, size=None, leading=None, align=None, indent=True, single=False, keep=False):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        if hei:
            _docx_fonts(style, "SimHei", "黑体")
        if size:
            style.font.size = Pt(size)
        fmt = style.paragraph_format
        if single:  # a line holding a picture must not be cut to an exact pitch
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        elif leading:
            fmt.line_spacing = Pt(leading)
        if align is not None:
            fmt.alignment = align
        if not indent:
            fmt.first_line_indent = Pt(0)
        fmt.keep_with_next = keep
        return style

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    styles = {
        "title": para("NoticeTitle", hei=True, size=pdf.TITLE_SIZE, leading=pdf.TITLE_LEADING, align=center,
                      indent=False),
        "h1": para("NoticeHeading1", hei=True, keep=True),
        "h2": para("NoticeHeading2", hei=True, keep=True),
        "caption": para("NoticeTableCaption", hei=True, size=14, leading=22, align=center, indent=False, keep=True),
        "cell": para("NoticeCell", size=pdf.TABLE_SIZE, leading=pdf.TABLE_LEADING, align=WD_ALIGN_PARAGRAPH.LEFT,
                     indent=False),
        "cell_hei": para("NoticeCellHei", hei=True, size=pdf.TABLE_SIZE, leading=pdf.TABLE_LEADING,
                         align=WD_ALIGN_PARAGRAPH.LEFT, indent=False),
        "photo": para("NoticePhoto", align=center, indent=False, single=True),
        "photo_caption": para("NoticePhotoCaption", size=pdf.CAPTION_SIZE, leading=pdf.CAPTION_LEADING,
                              align=center, indent=False),
        "sign": para("NoticeSignOff", align=right, indent=False),
    }
    styles["sign"].paragraph_format.right_indent = Pt(2 * pdf.BODY_SIZE)
    hei = document.styles.add_style("NoticeHei", WD_STYLE_TYPE.CHARACTER)
    _docx_fonts(hei, "SimHei", "黑体")
    styles["hei"] = hei
    return styles


def _docx_cell(cell, text: str, style, align=None, shade: str = "") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if align is not None:
        paragraph.alignment = align
    if text:
        paragraph.add_run(text)
    if shade:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), shade)
        cell._tc.get_or_add_tcPr().append(shading)


def write_notice_docx(doc, path: Path) -> None:
    """The NoticeDocument as an office would type it in Word: the same A4 page and margins, faces and sizes,
    headings, fields, items, the ledger table with the same rows (header repeated on each page), the photos
    two per row at the PDF's printed size (the same display copies, embedded as they are, as Word does)
    with the caption under each, the sign-off and "— 1 —" page numbers. No QR code: Word has none."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu, Pt
    from PIL import Image

    from desktop_app.core.documents import layout as pdf
    from desktop_app.core.documents.model import (
        Field,
        Heading,
        Item,
        Paragraph,
        PhotoGrid,
        SignOff,
        Table,
        chinese_date,
    )

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Pt(pdf.PAGE_W), Pt(pdf.PAGE_H)
    section.top_margin, section.bottom_margin = Pt(pdf.MARGIN_TOP), Pt(pdf.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Pt(pdf.MARGIN_LEFT), Pt(pdf.MARGIN_RIGHT)
    styles = _docx_styles(document)
    footer = section.footer.paragraphs[0]
    footer.style, footer.alignment = styles["photo_caption"], WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    footer.add_run(" —")
    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "center": WD_ALIGN_PARAGRAPH.CENTER}

    for line in doc.title_lines:
        document.add_paragraph(line, styles["title"])
    document.add_paragraph("", styles["title"])
    for block in doc.blocks:
        match block:
            case Heading(text=text, level=level):
                document.add_paragraph(text, styles["h1" if level <= 1 else "h2"])
            case Field() | Item():
                # the label ("项目名称：") or the item's number and lead in 黑体, then the text
                lead, text = ((f"{block.label}：", block.text) if isinstance(block, Field)
                              else (f"{block.number}{block.lead}", block.body))
                first, *rest = text.split("\n")
                paragraph = document.add_paragraph()
                paragraph.add_run(lead, styles["hei"])
                paragraph.add_run(first)
                for line in rest:
                    if line.strip():
                        document.add_paragraph(line)
            case Paragraph(text=text):
                for line in text.split("\n"):
                    if line.strip():
                        document.add_paragraph(line)
            case Table(columns=columns, rows=rows, totals=totals, caption=caption):
                if caption:
                    document.add_paragraph(caption, styles["caption"])
                total_w = sum(c.width for c in columns) or 1
                table = document.add_table(rows=0, cols=len(columns))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                table.autofit = False
                margins = OxmlElement("w:tblCellMar")  # the PDF's cell padding (Word's default is 5.4 pt)
                for side in ("left", "right"):
                    margin = OxmlElement(f"w:{side}")
                    margin.set(qn("w:w"), str(round(pdf.CELL_PADDING * 20)))
                    margin.set(qn("w:type"), "dxa")
                    margins.append(margin)
                table._tbl.tblPr.append(margins)
                for column, spec in zip(table.columns, columns, strict=True):
                    column.width = Pt(pdf.FRAME_W * spec.width / total_w)  # add_row copies it into each cell
                col_aligns = [aligns.get(c.align, aligns["left"]) for c in columns]
                head = table.add_row()
                header = OxmlElement("w:tblHeader")  # repeated at the top of each page
                header.set(qn("w:val"), "true")
                head._tr.get_or_add_trPr().append(header)
                for cell, column in zip(head.cells, columns, strict=True):
                    _docx_cell(cell, column.title, styles["cell_hei"], aligns["center"], shade="E6E6E6")
                for row, style in [*((r, styles["cell"]) for r in rows), *((r, styles["cell_hei"]) for r in totals)]:
                    cells = table.add_row().cells
                    if len(row) < len(cells):  # a short row: its last cell spans to the right edge
                        merged = cells[len(row) - 1].merge(cells[-1])
                        cells = [*cells[:len(row) - 1], merged]
                    for cell, text, align in zip(cells, row, col_aligns, strict=False):
                        _docx_cell(cell, text, style, align if len(row) == len(columns) else aligns["left"])
                document.add_paragraph("")
            case PhotoGrid(photos=photos):
                # the PDF's geometry: two cells of half the text width, each photo fitted into a 4:3 box
                cell_w = (pdf.FRAME_W - pdf.PHOTO_GAP) / 2
                box_h = cell_w * pdf.PHOTO_BOX_RATIO
                table = document.add_table(rows=0, cols=2)
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                table.autofit = False
                for column in table.columns:
                    column.width = Pt(pdf.FRAME_W / 2)
                for i in range(0, len(photos), 2):
                    cells = table.add_row().cells
                    for cell, photo in zip(cells, photos[i:i + 2], strict=False):
                        with Image.open(photo.path) as picture:
                            w, h = picture.size
                        scale = min(cell_w / w, box_h / h)
                        cell.paragraphs[0].style = styles["photo"]
                        cell.paragraphs[0].add_run().add_picture(
                            str(photo.path), width=Emu(round(w * scale * 12700)), height=Emu(round(h * scale * 12700)))
                        caption = photo.caption.strip()
                        if caption and not caption.startswith("（"):
                            caption = f"（{caption}）"
                        cell.add_paragraph(caption, styles["photo_caption"])
            case SignOff(names=names, written_on=day, seal_space=seal):
                lines = [*names, chinese_date(day)]
                for k, line in enumerate(lines):
                    paragraph = document.add_paragraph(line, styles["sign"])
                    if k == 0:
                        above = max(pdf.BODY_LEADING, pdf.SEAL_SPACE - len(lines) * pdf.BODY_LEADING) if seal else 0
                        paragraph.paragraph_format.space_before = Pt(above)
    if doc.verification_code:
        document.add_paragraph(f"核验码：{doc.verification_code}", styles["h2"])
    document.save(str(path))


def _pdf_pages(path: Path) -> int:
    """Pages of a PDF without a PDF library: LibreOffice writes no object streams, so every page object
    is in the open as /Type/Page."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def bench_notice_libreoffice(doc, warm_runs: int = 3) -> dict | str:
    """What offices do today: the notice as .docx, converted by LibreOffice headless. Wall clock of
    `soffice --headless --convert-to pdf`, LibreOffice's start included: the first run of this bench
    (cold; it also creates LibreOffice's user profile if bench/out has none yet) and the median of
    `warm_runs` more (files in the OS cache, the profile there)."""
    import shutil

    try:
        import docx  # noqa: F401
    except ImportError:
        return "not measured (python-docx not installed: pip install -e .[bench])"
    folder = OUT / "notice-docx"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "notice-bench.docx"
    start = time.perf_counter()
    write_notice_docx(doc, source)
    write_s = time.perf_counter() - start
    found: dict = {"docx_write_s": round(write_s, 3), "docx_size_mb": round(source.stat().st_size / 1e6, 2),
                   "docx": str(source)}
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        found["conversion"] = "not measured (LibreOffice not installed)"
        return found
    # its own profile (not the user's, and never one a running LibreOffice holds: the conversion would
    # silently hand the file to that instance); kept in bench/out so only the first run ever creates it
    profile = OUT / "libreoffice-profile"
    found["profile_created"] = not profile.exists()
    target = folder / "notice-bench.pdf"
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(folder), str(source)]
    times = []
    for _ in range(1 + warm_runs):
        target.unlink(missing_ok=True)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - start)
        if result.returncode != 0 or not target.exists():
            found["conversion"] = f"failed (exit {result.returncode}): {(result.stderr or result.stdout).strip()[-400:]}"
            return found
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    warm = sorted(times[1:])
    found.update({
        "version": version, "cold_s": round(times[0], 3), "warm_s": round(warm[len(warm) // 2], 3),
        "runs_s": [round(t, 3) for t in times], "pdf_size_mb": round(target.stat().st_size / 1e6, 2),
        "pdf_pages": _pdf_pages(target), "pdf": str(target),
    })
    return found


# --- preview: the exported PDF shown with QtPdf


PREVIEW_SIZE = (800, 1131)  # an A4 page 800 px wide, as in a preview pane


def notice_preview_child(mode: str, path: str, runs: int = 5) -> None:
    """Runs in its own interpreter (see bench_notice_preview), in an offscreen QApplication made as the
    app makes it (not timed: the app is running when a notice is previewed). Times, from the PDF file
    to its first page: `image` — QPdfDocument load + render(0) at PREVIEW_SIZE; `view` — QPdfDocument
    load + a QPdfView (multi-page, fit to width, as the app's preview) shown until its renderer thread
    has delivered page 1 and a paint (widget.grab()) shows it. A cold first run (QtPdf's first use in
    the process, the import of QtPdf included: pdfium and its fonts), then `runs` more. Prints one JSON line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from desktop_app.gui.application import make_application

    app = make_application()
    start = time.perf_counter()  # the app imports QtPdf at the first preview: part of the cold run
    from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
    from PySide6.QtPdfWidgets import QPdfView

    import_s = time.perf_counter() - start
    kept = []  # documents and views stay alive until the end: their teardown is not the measured path

    def dark_pixels(image: QImage) -> int:
        """How many pixels of the page area are dark (text): 0 when the page is not painted yet."""
        gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
        data = bytes(gray.constBits())[:gray.bytesPerLine() * gray.height()]
        return sum(1 for b in data[::7] if b < 96)

    def load() -> QPdfDocument:
        document = QPdfDocument()
        if document.load(path) != QPdfDocument.Error.None_ or document.pageCount() < 1:
            raise RuntimeError(f"QtPdf cannot open {path}")
        kept.append(document)
        return document

    def image_run() -> tuple[float, int]:
        start = time.perf_counter()
        image = load().render(0, QSize(*PREVIEW_SIZE))
        elapsed = time.perf_counter() - start
        return elapsed, dark_pixels(image)

    def view_run() -> tuple[float, int]:
        start = time.perf_counter()
        document = load()
        view = QPdfView()
        kept.append(view)
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.resize(PREVIEW_SIZE[0] + 40, 1000)
        renderer = view.findChild(QPdfPageRenderer)  # the view's own; it renders pages on a thread
        rendered: list[int] = []
        renderer.pageRendered.connect(lambda page, *_rest: rendered.append(page))
        view.show()
        first = view.grab()  # the first paint asks for page 1; it shows the page blank until it comes
        deadline = time.perf_counter() + 30
        while 0 not in rendered:
            if time.perf_counter() > deadline:
                raise RuntimeError("QPdfView: page 1 never rendered")
            app.processEvents()
        shown = view.grab()  # the view has cached the page image (its slot ran before ours): paints it
        elapsed = time.perf_counter() - start
        del first
        return elapsed, dark_pixels(shown.toImage())

    run = image_run if mode == "image" else view_run
    cold, cold_dark = run()
    found = [run() for _ in range(runs)]
    times = sorted(t for t, _ in found)
    print(json.dumps({"mode": mode, "cold_ms": (import_s + cold) * 1000, "qtpdf_import_ms": import_s * 1000,
                      "median_ms": times[len(times) // 2] * 1000,
                      "runs_ms": [round(t * 1000, 1) for t, _ in found],
                      "painted": bool(cold_dark) and all(dark for _, dark in found)}))


def bench_notice_preview(path: Path) -> dict | str:
    """First page of the exported notice shown, each way in a fresh interpreter (a clean cold run)."""
    try:
        import PySide6.QtPdf  # noqa: F401
    except ImportError:
        return "not measured (QtPdf missing from this PySide6)"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    found: dict = {"size_px": list(PREVIEW_SIZE), "goal_ms": 500}
    for mode in ("image", "view"):
        result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--notice-preview-child", mode,
                                 str(path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        data = json.loads(result.stdout.strip().splitlines()[-1])
        found[mode] = {k: (round(v, 1) if isinstance(v, float) else v) for k, v in data.items() if k != "mode"}
    return found


def run_notice_only() -> None:
    """`--notice`: the notice export alone, merged into results.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"notice export: {NOTICE_PHOTOS} photos, {NOTICE_LINES} ledger lines …")
    notice = bench_notice()
    path = OUT / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results["notice"] = notice
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({"notice": notice}, ensure_ascii=False, indent=2))
    print(f"  export {notice['export_s']:.2f} s (goal < 1 s; first in process {notice['export_first_s']:.2f} s), "
          f"{notice['size_mb']:.2f} MB (goal < 2.5 MB), {notice['pages']} pages")
    office = notice["libreoffice"]
    if isinstance(office, str):
        print(f"  .docx + LibreOffice: {office}")
    elif "cold_s" not in office:
        print(f"  .docx written in {office['docx_write_s']:.2f} s ({office['docx_size_mb']:.2f} MB); "
              f"LibreOffice .docx → PDF: {office['conversion']}")
    else:
        print(f"  the same notice as .docx (python-docx {office['docx_write_s']:.2f} s, {office['docx_size_mb']:.2f} MB) "
              f"→ PDF by {office['version']} headless: {office['cold_s']:.2f} s cold"
              f"{' (new profile)' if office['profile_created'] else ''}, {office['warm_s']:.2f} s warm, "
              f"{office['pdf_size_mb']:.2f} MB, {office['pdf_pages']} pages")
        print(f"  ours / LibreOffice: time {notice['ratio_time_vs_libreoffice_cold']:.2f}× of cold, "
              f"{notice['ratio_time_vs_libreoffice_warm']:.2f}× of warm; size "
              f"{notice['ratio_size_vs_libreoffice']:.2f}×")
    preview = notice["preview"]
    if isinstance(preview, str):
        print(f"  preview: {preview}")
    else:
        image, view = preview["image"], preview["view"]
        print(f"  preview, PDF file → first page (goal < 500 ms): QPdfDocument load + render at "
              f"{PREVIEW_SIZE[0]}×{PREVIEW_SIZE[1]} {image['cold_ms']:.0f} ms cold, {image['median_ms']:.0f} ms median; "
              f"in a QPdfView, painted: {view['cold_ms']:.0f} ms cold, {view['median_ms']:.0f} ms median")


def main() -> None:
    if "--scale" in sys.argv[1:]:  # its own options (bench/scale.py)
        from bench.scale import main as run_scale

        run_scale([a for a in sys.argv[1:] if a != "--scale"])
        return None
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-row bulk insert and export")
    parser.add_argument("--gallery", action="store_true", help="only the photo gallery over 50,000 photos")
    parser.add_argument("--photos", action="store_true", help="only the photo import (phone-size JPEGs)")
    parser.add_argument("--photo-count", type=int, default=200)
    parser.add_argument("--notice", action="store_true", help="only the notice PDF export (40 photos, 500 lines)")
    parser.add_argument("--verify", action="store_true", help="only verify with its witnesses vs reading and hashing")
    parser.add_argument("--surveys", action="store_true", help="only the needs surveys: import, analysis, report, "
                        "paper-entry keystrokes (bench/surveys.py)")
    parser.add_argument("--sync", action="store_true", help="only data sync: import of 30 packages × 10,000 records "
                        "vs raw executemany, export after 10,000 changes (bench/sync.py)")
    parser.add_argument("--overview", action="store_true", help="only the overview after the window is shown, "
                        "while the open check runs, against quick_check/integrity_check of the same file")
    parser.add_argument("--photo-import-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--photo-gui-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--notice-preview-child", nargs=2, metavar=("MODE", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.surveys:
        from bench.surveys import run_surveys

        results = run_surveys()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "surveys.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return None
    if args.sync:
        from bench.sync import run_sync

        results = run_sync()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "sync.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return None
    if args.notice:
        return run_notice_only()
    if args.notice_preview_child:
        return notice_preview_child(*args.notice_preview_child)
    if args.gallery:
        return run_gallery_only()
    if args.photo_import_child is not None:
        return photo_import_child(args.photo_import_child)
    if args.photo_gui_child is not None:
        return photo_gui_child(args.photo_gui_child)
    if args.photos:
        return run_photo_import_only(args.photo_count)
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / f"ws-{args.entries}-journalled"  # entries with their journal rows, a backup, a notice
    if not (folder / "ledger.db").exists():
        print(f"Building a workspace of {args.entries:,} posted entries in {folder} …")
        build_big_workspace(folder, args.entries)
    results: dict = {"entries": args.entries}
    if args.verify:
        results["verify"] = bench_verify(folder)
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return None
    ws = Workspace.open(folder, auto_backup=False)
    ws.backup_if_due()  # as on any office PC used daily: the start-up measured below is not a backup day
    ws.close(backup=False)
    print("overview while the open check runs …")
    results["overview"] = bench_overview(folder)
    print_overview(results["overview"])
    if args.overview:
        (OUT / "overview.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return None

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
        print(f"photo import {args.photo_count} …")
        results["photo_import"] = bench_photo_import(args.photo_count)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
