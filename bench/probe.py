"""One measurement in a fresh interpreter (cold start, own peak memory); prints one JSON line.

    probe.py bare-window                 QApplication + an empty QMainWindow shown
    probe.py main-window WS              the app's main window on WS, with the ledger page open
    probe.py overview WS                 the main window shown, then its overview filled, while the open
                                         check (quick_check) runs beside it; when that check ended
    probe.py ledger-page WS              first rows of the ledger page (lazy model) on WS
    probe.py bare-sql-model WS           first rows of a QTableView over QSqlQueryModel, same ordered query
    probe.py export WS OUT ROWS          xlsx export of about ROWS entries
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_rss_mb() -> float:
    """This process's own peak. VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a
    probe started by a large parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(**values) -> None:
    values.setdefault("peak_rss_mb", peak_rss_mb())
    values.setdefault("since_start_ms", (time.perf_counter() - START) * 1000)
    print(json.dumps(values))


def shown(app, widget) -> None:
    widget.resize(1280, 800)
    widget.show()
    app.processEvents()
    widget.grab()  # force a full paint of what a user would see


def bare_window() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.setWindowTitle("bare")
    shown(app, window)
    emit(first_window_ms=(time.perf_counter() - START) * 1000)


def main_window(folder: str) -> None:
    """What `charity-ledger` does: the start-up frame first, then the main window with its data."""
    from desktop_app.gui.application import make_application
    from desktop_app.gui.startup import show_startup_window

    app = make_application()
    startup = show_startup_window(app, Path(folder))
    startup.grab()
    first_window_ms = (time.perf_counter() - START) * 1000
    from desktop_app.gui.app import open_main_window

    window = open_main_window(Path(folder))
    window.setGeometry(startup.geometry())
    shown(app, window)
    startup.close()
    while not window.ctx.runner.idle:  # the overview's figures arrive from the worker
        app.processEvents()
    app.processEvents()
    window.grab()
    content_ms = (time.perf_counter() - START) * 1000
    window.show_page("收支台账")
    app.processEvents()
    window.grab()
    emit(first_window_ms=first_window_ms, content_ms=content_ms)
    window.ctx.runner.shutdown()
    window.ctx.ws.close(backup=False)  # the closing backup is not part of start-up


def overview(folder: str) -> None:
    """What a user waits for on opening a large workspace: from the main window on screen to its overview
    filled (the funds' balances, this month's figures), and the open check's end, both from the same moment."""
    from desktop_app.gui.application import make_application
    from desktop_app.gui.startup import show_startup_window

    app = make_application()
    startup = show_startup_window(app, Path(folder))
    from desktop_app.gui.app import open_main_window

    window = open_main_window(Path(folder))  # the workspace opens, the check starts beside the window
    window.setGeometry(startup.geometry())
    shown(app, window)
    startup.close()
    shown_at = time.perf_counter()
    runner, page = window.ctx.runner, window.overview
    overview_ms = painted_ms = check_ms = None
    filled_first = False
    while overview_ms is None or check_ms is None:
        app.processEvents()
        now = (time.perf_counter() - shown_at) * 1000
        if check_ms is None and not runner.checking:
            check_ms = now
        if overview_ms is None and page.data is not None:
            overview_ms, filled_first = now, runner.checking
            window.grab()  # painted, as the user sees it
            painted_ms = (time.perf_counter() - shown_at) * 1000
        time.sleep(0.001)
    while not runner.idle:  # the backup on open, if one is due
        app.processEvents()
    emit(overview_after_shown_ms=overview_ms, painted_after_shown_ms=painted_ms, check_after_shown_ms=check_ms,
         filled_before_check_ended=filled_first, damaged=window.damaged is not None,
         funds=len(page.data.funds))
    runner.shutdown()
    window.ctx.ws.close(backup=False)


def ledger_page(folder: str) -> None:
    from PySide6.QtWidgets import QTableView

    from desktop_app.core.storage.workspace import Workspace
    from desktop_app.gui.application import make_application
    from desktop_app.gui.ledger_model import LedgerModel

    app = make_application()
    ws = Workspace.open(folder, auto_backup=False, defer_checks=True)
    start = time.perf_counter()
    model = LedgerModel(ws.raw_reader)
    model.refresh()
    view = QTableView()
    view.setModel(model)
    shown(app, view)
    elapsed = (time.perf_counter() - start) * 1000
    first = model.index(0, 4).data()
    emit(first_rows_ms=elapsed, rows=model.rowCount(), first_summary=first)


def bare_sql_model(folder: str) -> None:
    from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop_app.core.queries import ledger as ledger_query

    app = QApplication([])
    db = QSqlDatabase.addDatabase("QSQLITE")
    db.setDatabaseName(str(Path(folder) / "ledger.db"))
    db.open()
    start = time.perf_counter()
    model = QSqlQueryModel()
    where, _params = ledger_query.where_clause(ledger_query.LedgerFilter())  # the app's own query
    sql = ledger_query._SELECT + where + ledger_query.order_clause("date", True)
    model.setQuery(QSqlQuery(sql, db))
    view = QTableView()
    view.setModel(model)
    shown(app, view)
    elapsed = (time.perf_counter() - start) * 1000
    emit(first_rows_ms=elapsed, rows=model.rowCount())


def export(folder: str, out: str, rows: str) -> None:
    from datetime import date

    from desktop_app.core.exports.ledger import export_ledger
    from desktop_app.core.queries import ledger as ledger_query
    from desktop_app.core.storage.workspace import Workspace

    ws = Workspace.open(folder, auto_backup=False, defer_checks=True)
    conn = ws.raw_reader()
    first = conn.execute("SELECT min(entry_date) FROM ledger_entry").fetchone()[0]
    conn.close()
    # the generated ledger spreads entries evenly over ten years: a year holds a tenth of them
    start_day = date.fromisoformat(first)
    years = max(1, round(int(rows) / 100_000))
    filt = ledger_query.LedgerFilter(date_from=start_day, date_to=start_day.replace(year=start_day.year + years))
    start = time.perf_counter()
    count = export_ledger(ws, Path(out), filt)
    elapsed = time.perf_counter() - start
    ws.close(backup=False)
    emit(export_s=elapsed, exported_rows=count, file_mb=Path(out).stat().st_size / 1e6)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"bare-window": bare_window, "main-window": main_window, "overview": overview, "ledger-page": ledger_page,
     "bare-sql-model": bare_sql_model, "export": export}[mode](*args)
