"""`python dev.py bench --surveys`: the needs-survey figures of issue 13, each beside its reference, in one run.

- import of a 10,000 × 20 问卷星 按文本 workbook vs python-calamine alone reading the same file (target ≤ 2×);
- analysis of the 10,000 responses, every question and one cross-tab (target < 1 s), and the longest stall of
  the GUI thread while the 需求调查 page computes them in the worker (target < 100 ms);
- the report PDF of a 30-question survey with charts (target < 2 s);
- paper entry: keystrokes per form over the demo's 青花镇 forms, and what 250 forms of 20 questions take.

The generated workbooks are cached in bench/out/ (git-ignored)."""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from desktop_app.core.services import office, projects, surveys  # noqa: E402
from desktop_app.core.storage.workspace import Workspace  # noqa: E402

NEEDS = ("亲子教育", "养老服务", "就业", "环境卫生", "照护服务", "生活帮扶", "关爱服务", "文体活动", "法律咨询", "医疗健康")
PLACES = ("一组", "二组", "三组", "四组", "五组")


def _question(n: int) -> tuple[str, callable]:
    """The header and an answer maker of question n (a mix like a real needs survey)."""
    kind = n % 5
    if kind == 0:
        return f"{n}、您的年龄段", lambda r: r.choice(("18-35岁", "36-59岁", "60-79岁", "80岁及以上"))
    if kind == 1:
        return (f"{n}、您家最需要哪些服务？（可多选）",
                lambda r: "┋".join(r.sample(NEEDS, r.randint(1, 4))) if r.random() > 0.05 else "(跳过)")
    if kind == 2:
        return f"{n}、您对社区服务的满意度", lambda r: f"{r.randint(1, 5)}分"
    if kind == 3:
        return f"{n}、您居住的村民小组", lambda r: r.choice(PLACES)
    return (f"{n}、您是否愿意参加志愿服务", lambda r: r.choice(("愿意", "视情况而定", "不愿意", "其他〖看时间〗")))


def write_wjx_export(path: Path, rows: int, questions: int, seed: int = 13) -> Path:
    """A 问卷星 按文本 export as 2025 writes it: every cell text, 序号 … 总分 first."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    made = [_question(n) for n in range(1, questions + 1)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(["序号", "提交答卷时间", "所用时间", "总分", *(header for header, _make in made)])
    for i in range(1, rows + 1):
        day, second = 1 + i % 28, i % 86400
        sheet.append([str(i), f"2025/7/{day} {second // 3600 % 24}:{second // 60 % 60:02d}:{second % 60:02d}",
                      f"{rng.randint(40, 900)}秒", "0", *(make(rng) for _header, make in made)])
    book.save(path)
    return path


def _cached(rows: int, questions: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"wjx-{rows}x{questions}-按文本.xlsx"
    if not path.exists():
        write_wjx_export(path, rows, questions)
    return path


def _workspace(folder: Path) -> Workspace:
    from datetime import date
    from decimal import Decimal

    ws = Workspace.open(folder, create=True, auto_backup=False)
    office.init_office(ws, name="八台镇社工站", division_code="511781107000", association="万源市慈善会")
    projects.add_project(ws, projects.ProjectInput(name="试点项目", start_date=date(2025, 1, 1),
                                                   end_date=date(2025, 12, 31), budget=Decimal(0)))
    return ws


def _calamine_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - start


def bench_import(path: Path, runs: int = 3) -> dict:
    """The median of `runs` imports into a fresh workspace, beside calamine's median read of the same file."""
    reads, imports = [], []
    for _ in range(runs):
        reads.append(_calamine_read(path))
        with tempfile.TemporaryDirectory() as tmp:
            ws = _workspace(Path(tmp) / "ws")
            start = time.perf_counter()
            summary = surveys.import_file(ws, path)
            imports.append(time.perf_counter() - start)
            ws.close(backup=False)
            assert summary.new > 0 and not summary.refused, summary.as_json()
    read, whole = statistics.median(reads), statistics.median(imports)
    return {"calamine_read_s": round(read, 3), "import_s": round(whole, 3), "ratio": round(whole / read, 2),
            "target_ratio": 2.0, "responses": summary.new}


def bench_analysis(path: Path) -> dict:
    from desktop_app.core.queries.survey_results import survey_results

    with tempfile.TemporaryDirectory() as tmp:
        ws = _workspace(Path(tmp) / "ws")
        survey = surveys.import_file(ws, path).survey_id
        times = []
        for _ in range(3):
            with ws.reading() as s:
                start = time.perf_counter()
                results = survey_results(s, survey, by="Q5")  # the age groups
                times.append(time.perf_counter() - start)
        stalls = [_gui_stall(ws) for _ in range(3)]  # the first opens the page cold (fonts, chart set-up)
        ws.close(backup=False)
    return {"responses": results.valid, "questions": len(results.questions), "cross_tab_by": results.by_label,
            "analysis_s": round(statistics.median(times), 3), "target_s": 1.0,
            "gui_longest_stall_ms_cold": stalls[0], "gui_longest_stall_ms_warm": max(stalls[1:]),
            "gui_target_ms": 100}


def _gui_stall(ws: Workspace) -> float:
    """The longest gap between ticks of a 5 ms timer on the GUI thread while the 需求调查 page loads a survey
    of 10,000 responses and shows its results (the page computes them in the worker)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop_app.gui.app import make_context
    from desktop_app.gui.application import make_application
    from desktop_app.gui.pages.surveys import SurveysPage

    app = make_application()
    ctx = make_context(ws)
    page = SurveysPage(ctx)
    page.resize(1200, 760)
    clock, worst = QElapsedTimer(), [0.0]
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    page.show()
    deadline = time.perf_counter() + 30
    while (page.results is None or not ctx.runner.idle) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    for _ in range(50):  # the results on screen: the charts and tables drawn
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    page.close()
    ctx.runner.shutdown()
    return round(worst[0], 1)


def bench_report(path: Path, runs: int = 3) -> dict:
    from desktop_app.core.queries.survey_results import survey_results
    from desktop_app.core.survey_report.report import write_survey_report

    with tempfile.TemporaryDirectory() as tmp:
        ws = _workspace(Path(tmp) / "ws")
        survey = surveys.import_file(ws, path).survey_id
        times = []
        for i in range(runs):
            with ws.reading() as s:
                start = time.perf_counter()
                write_survey_report(s, survey_results(s, survey), Path(tmp) / f"report-{i}.pdf")
                times.append(time.perf_counter() - start)
        size = (Path(tmp) / "report-0.pdf").stat().st_size
        ws.close(backup=False)
    return {"questions": 30, "report_s": round(statistics.median(times), 3), "target_s": 2.0,
            "pdf_kb": round(size / 1024)}


def bench_keystrokes() -> dict:
    """Keystrokes per form for the demo's 青花镇 forms keyed as the entry screen reads them."""
    import json

    from sqlmodel import select

    from desktop_app.core.demo.build import build_demo
    from desktop_app.core.demo.surveys import QINGHUA_SURVEY
    from desktop_app.core.models import SurveyResponse
    from desktop_app.core.queries.surveys import current_version, resolve_survey
    from desktop_app.core.surveys.keying import keystrokes
    from desktop_app.core.surveys.questionnaire import Questionnaire

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(build_demo(Path(tmp) / "demo"), auto_backup=False)
        with ws.reading() as s:
            survey = resolve_survey(s, QINGHUA_SURVEY)
            form = Questionnaire.from_json(current_version(s, survey.id).definition)
            keys = [keystrokes(form, json.loads(a)) for a in s.exec(
                select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey.id))]
        ws.close(backup=False)
    per_form = statistics.mean(keys)
    per_question = per_form / len(form.questions)
    # 250 forms of 20 questions at that rate, keyed at 1 key per second (a slow, careful pace)
    afternoon_h = 250 * 20 * per_question / 3600
    return {"forms": len(keys), "questions": len(form.questions), "keystrokes_per_form": round(per_form, 1),
            "keystrokes_per_question": round(per_question, 2), "hours_for_250_forms_of_20_at_1_key_per_s":
            round(afternoon_h, 2)}


def run_surveys() -> dict:
    results = {}
    print("survey import 10,000 × 20 vs python-calamine …")
    results["import"] = bench_import(_cached(10_000, 20))
    print("survey analysis of 10,000 responses, one cross-tab, GUI stalls …")
    results["analysis"] = bench_analysis(_cached(10_000, 20))
    print("survey report PDF, 30 questions …")
    results["report"] = bench_report(_cached(2_000, 30))
    print("paper entry keystrokes …")
    results["paper_entry"] = bench_keystrokes()
    return results
