"""Screenshots of every page and dialog, rendered offscreen on the screens offices have.

    python tools/screenshots.py [WORKSPACE] [--out docs/screenshots]

writes OUT/1366x728/ (a 1366×768 laptop less a 40-pixel taskbar) and OUT/1920x1080@150/ (a 1920×1080
screen at 150 %: 1280×690 logical pixels free, pictures at 1920 pixels wide). Each screen is played by
a run of this script in its own process (`--screen`), with an offscreen screen of exactly the free area
(QT_QPA_PLATFORM=offscreen:configfile=…) and QT_SCALE_FACTOR for the scaling, so the windows size
themselves the way they do on that screen. Window places the user left are not used (a scratch file).

WORKSPACE is opened read-mostly (no automatic backup); when it holds no workspace yet, the demo
workspace (`desktop_app.core.demo.build.build_demo`) is built there first. Without WORKSPACE a temporary
demo workspace is used. `--only county` pictures county mode instead: a county association's workspace
holding two townships' records (`desktop_app.core.demo.county.build_county_demo`, built the same way).
The 数据同步 pictures (`--only sync`, and at the end of a full run) need two townships and their county at
given steps of their exchange: they are built through the services in a temporary folder each time.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# name: (free area in physical pixels, scale factor)
SCREENS = {"1366x728": ((1366, 728), 1.0), "1920x1080@150": ((1920, 1035), 1.5)}
TITLE_BAR = 31  # logical pixels: a maximised window's client area starts under its title bar

if "--screen" not in sys.argv:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop_app.core.storage.workspace import DB_NAME, Workspace  # noqa: E402
from desktop_app.gui import prompts, screen_fit  # noqa: E402
from desktop_app.gui.app import make_context  # noqa: E402
from desktop_app.gui.application import make_application  # noqa: E402
from desktop_app.gui.main_window import MainWindow  # noqa: E402
from desktop_app.gui.ops import OpRunner  # noqa: E402


def settle(app: QApplication, runner: OpRunner, seconds: float = 0.3) -> None:
    """Let queued ops finish and the event loop paint."""
    deadline = time.monotonic() + 30
    while not runner.idle and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, path: Path) -> None:
    """The widget as a PNG of 256 colours (a third of the size; text and charts look the same)."""
    from PIL import Image

    if not widget.grab().save(str(path)):
        raise SystemExit(f"无法保存截图 {path}")
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    print(f"已保存 {path}")


def ensure_workspace(folder: Path, only: str = "") -> None:
    if (folder / DB_NAME).exists():
        return
    from desktop_app.core.demo.build import build_demo
    from desktop_app.core.demo.county import build_county_demo

    print(f"正在生成演示工作区：{folder}")
    (build_county_demo if only == "county" else build_demo)(folder)


def shoot_county(app: QApplication, window: MainWindow, out: Path) -> None:
    """County mode: the overview with every township's figures, the ledger of every office, then one township's with its draft selected (the buttons
    that would change it turned off), and the funds and activities pages of every office."""
    runner = window.ctx.runner
    window.go_to(window.overview)
    window.overview.reload()
    settle(app, runner)
    save(window, out / "county-overview.png")
    ledger = window.ledger
    window.go_to(ledger)
    settle(app, runner)
    save(window, out / "county-ledger.png")
    box = ledger.office_filter
    box.setCurrentIndex(box.count() - 1)  # the last township
    settle(app, runner)
    rows = [ledger.model.row_at(i) for i in range(ledger.model.rowCount())]
    draft = next((r for r in rows if r is not None and r.status == "draft"), None)
    if draft is not None:
        ledger.select_entry(draft.id)
    settle(app, runner)
    save(window, out / "county-ledger-township.png")
    for page, name in ((window.funds, "county-funds"), (window.activities, "county-activities")):
        window.go_to(page)
        settle(app, runner)
        save(window, out / f"{name}.png")


def shoot_surveys(app: QApplication, window: MainWindow, out: Path) -> None:
    """需求调查: the page with the demo's 青花镇 results (the needs question and its chart), the paper-entry
    screen half-way through a form, the designer, the rules and the import dialog's dry run."""
    from desktop_app.core.demo.surveys import QINGHUA_SURVEY

    page = window.surveys
    window.go_to(page)
    settle(app, window.ctx.runner)
    page.view.selectRow(next(i for i, r in enumerate(page.rows) if r.name == QINGHUA_SURVEY))
    settle(app, window.ctx.runner, 1.0)
    page.questions_view.selectRow(5)  # Q6 the needs
    settle(app, window.ctx.runner)
    save(window, out / "surveys.png")
    page.group_by.setCurrentIndex(page.group_by.findData("Q4"))
    page.load_results()
    settle(app, window.ctx.runner, 1.0)
    save(window, out / "surveys-crosstab.png")
    page.group_by.setCurrentIndex(0)
    page.load_results()
    settle(app, window.ctx.runner, 0.5)
    entry = page.paper_entry()
    settle(app, window.ctx.runner)
    for typed in ("LX-263", "立信社区二组", "3", "2", "14", "1 3 11"):
        entry.keys.setText(typed)
        entry.enter()
    entry.other.setText("儿童托管")
    settle(app, window.ctx.runner)
    save(entry, out / "survey-entry.png")
    entry.reject()
    designer = page.design()
    settle(app, window.ctx.runner)
    designer.list_view.selectRow(5)
    settle(app, window.ctx.runner)
    save(designer, out / "survey-designer.png")
    designer.reject()
    rules = page.edit_rules()
    settle(app, window.ctx.runner)
    save(rules, out / "survey-rules.png")
    rules.reject()
    samples = ROOT.parent / "shared" / "survey-samples" / "wjx_2025_按文本_209rows.xlsx"
    if samples.exists():
        from desktop_app.gui.survey_import_dialog import SurveyImportDialog

        importer = SurveyImportDialog(window.ctx, page)
        importer.choose_file(samples)
        importer.show()
        settle(app, window.ctx.runner, 1.5)
        save(importer, out / "survey-import.png")
        importer.reject()


def shoot(folder: Path, out: Path, only: str = "") -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    if only == "sync":  # workspaces of its own: two townships and their county
        shoot_sync(app, out)
        return
    ws = Workspace.open(folder, auto_backup=False)
    ctx = make_context(ws)
    window = MainWindow(ctx)
    # The tool fills forms only to picture them: closing one must not stop on “有尚未保存的内容”.
    prompts.ask_discard = lambda _parent: True
    try:
        if window.open_maximised:  # as maximised: the whole free area under the title bar
            window.setGeometry(screen_fit.available_area(window).adjusted(0, TITLE_BAR, 0, 0))
        window.show()
        settle(app, ctx.runner)
        if only == "surveys":
            shoot_surveys(app, window, out)
            return
        if only == "county":
            shoot_county(app, window, out)
            return
        save(window, out / "overview.png")

        for page, name in ((window.projects, "projects"), (window.funds, "funds"), (window.ledger, "ledger")):
            window.go_to(page)
            settle(app, ctx.runner)
            save(window, out / f"{name}.png")

        shoot_entry_detail(app, window, out)

        for page, open_dialog, name in ((window.projects, window.projects.edit_project, "project-edit-dialog"),
                                        (window.funds, window.funds.edit_fund, "fund-edit-dialog")):
            window.go_to(page)
            settle(app, ctx.runner)
            edit = open_dialog()
            settle(app, ctx.runner)
            save(edit, out / f"{name}.png")
            edit.reject()

        dialog = window.new_entry()
        dialog.entry_type.setCurrentIndex(dialog.entry_type.findData("expense"))
        dialog.amount.setText("1234.5")
        dialog.summary.setText("慈善阵地桌椅购置")
        dialog.counterparty.setText("万源市家具城")
        dialog.counterparty_kind.setCurrentIndex(dialog.counterparty_kind.findData("企业"))
        dialog.payment.setCurrentIndex(dialog.payment.findData("银行转账"))
        dialog.add_files(sorted((folder / "demo-vouchers").glob("*.png"))[:1])
        settle(app, ctx.runner)
        save(dialog, out / "entry-dialog.png")
        dialog.reject()

        batch = window.batch_entry()
        for name, amount in (("李大友", "200"), ("王秀兰", "100"), ("陈光明", "500"), ("", "50"), ("赵德全", "abc")):
            batch.model.add_line(name, amount)
        batch.declared_count.setValue(5)
        batch.declared_total.setText("1,000.00")
        settle(app, ctx.runner)
        save(batch, out / "batch.png")
        batch.reject()

        shoot_activities(app, ctx, window, out)

        window.go_to(window.settings)
        window.settings.show_tab("信息公示")
        settle(app, ctx.runner)
        save(window, out / "settings.png")
        window.settings.show_tab("备份")
        settle(app, ctx.runner)
        save(window, out / "settings-backups.png")
        settings_page = window.settings
        tab = next(i for i in range(settings_page.tabs.count())
                   if settings_page.tabs.widget(i).isAncestorOf(settings_page.verify_button))
        settings_page.tabs.setCurrentIndex(tab)
        settings_page.verify_chains()  # 核验数据: the result names the witnesses compared
        settle(app, ctx.runner, 1.0)
        save(window, out / "settings-verify.png")

        from desktop_app.gui.setup_dialog import SetupDialog

        setup = SetupDialog(ws, window)  # the first-run form (shown only; nothing is saved)
        setup.show()
        settle(app, ctx.runner)
        save(setup, out / "setup-dialog.png")
        setup.reject()

        from desktop_app.gui.first_run import FirstRunDialog

        first_run = FirstRunDialog(folder)  # the choices of a PC without a workspace (shown only)
        first_run.show()
        settle(app, ctx.runner)
        save(first_run, out / "first-run.png")
        first_run.reject()

        from desktop_app.gui.help_window import open_help

        guide = open_help(window, "03-expense.md")  # F1
        settle(app, ctx.runner, 0.5)
        save(guide, out / "help.png")
        guide.close()

        shoot_goods_and_spaces(app, window, out)
        shoot_notices(app, window, out)
        shoot_surveys(app, window, out)
        shoot_sync(app, out)
    finally:
        window.close()
        ws.close(backup=False)


def open_window(app: QApplication, folder: Path) -> MainWindow:
    """The main window over the workspace in `folder`, as the user sees it on this screen."""
    ws = Workspace.open(folder, auto_backup=False)
    window = MainWindow(make_context(ws))
    if window.open_maximised:  # as maximised: the whole free area under the title bar
        window.setGeometry(screen_fit.available_area(window).adjusted(0, TITLE_BAR, 0, 0))
    window.show()
    settle(app, window.ctx.runner)
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.ctx.ws.close(backup=False)


class SyncTownship:
    """A township of 万源市慈善会 with one fund, for the 数据同步 pictures: entries posted through the services."""

    def __init__(self, root: Path, name: str, code: str, fund: str):
        from desktop_app.core.services import office, projects

        self.ws = Workspace.open(root, create=True, auto_backup=False)
        office.init_office(self.ws, name=name, division_code=code, association="万源市慈善会")
        self.fund_id = projects.add_fund(self.ws, projects.FundInput(name=fund))[0].id
        self.entries = 0

    def post(self, amount: str, summary: str) -> None:
        """The fund's first entry is the county's allocation; later ones expenses, each with a voucher scan."""
        from datetime import date
        from decimal import Decimal

        from PIL import Image

        from desktop_app.core.services import ledger

        first = self.entries == 0
        self.entries += 1
        scan = self.ws.root.parent / f"{self.ws.root.name}-凭证{self.entries}.jpg"
        Image.new("RGB", (240, 160), (255, 255 - 8 * self.entries, 240)).save(scan)  # each scan its own file
        ledger.add_entry(self.ws, ledger.EntryInput(
            fund_id=self.fund_id, entry_date=date(2025, 3, self.entries), amount=Decimal(amount), summary=summary,
            entry_type="allocation" if first else "expense", category="项目拨款" if first else "活动开展",
            attachments=[] if first else [scan]), post=True)


def build_sync_example(root: Path) -> tuple[Path, Path, list[Path], Path]:
    """Two townships and their county after a few exchanges: 八台镇 sent packages 1 and 2 and imported the
    receipt for 1 (two review notes, one done); 青花镇 sent 1 to 3, the county has 1 and holds 3 (2 missing).
    Returns the township's and the county's folders, packages not yet imported (青花镇's 2 and one from an
    office not enrolled) and a package of that office to enrol from."""
    from desktop_app.core.services import county_sync, office, sync

    batai = SyncTownship(root / "八台镇", "八台镇社工站", "511781107000", "八台镇尚善社区基金")
    qinghua = SyncTownship(root / "青花镇", "青花镇社工站", "511781108000", "立信社区爱青花基金")
    zhuyu = SyncTownship(root / "竹峪镇", "竹峪镇社工站", "511781109000", "竹峪镇同心社区基金")
    county = Workspace.open(root / "县", create=True, auto_backup=False)
    office.init_office(county, name="万源市慈善会", division_code="511781000000", association="万源市慈善会",
                       level="县级慈善会")
    stick, later = root / "U盘", root / "U盘" / "新交来的"
    later.mkdir(parents=True)
    for town, amounts in ((batai, ("5000", "1200.50", "386")), (qinghua, ("3000", "99.99")), (zhuyu, ("2000",))):
        for i, amount in enumerate(amounts):
            town.post(amount, "县慈善会拨付试点资金" if i == 0 else f"邻里互助活动支出（第 {i} 次）")
    first = {town: sync.export_package(town.ws, stick).path for town in (batai, qinghua)}
    for town, path in first.items():
        county_sync.enrol(county, path, sync.office_key(town.ws).fingerprint)
    county_sync.import_packages(county, list(first.values()))
    note = county_sync.add_review_note(county, "八台镇社工站", "3 月 2 日的支出凭证照片太模糊，请补扫后随下一个同步包交来。",
                                       label="【八台镇尚善社区基金】凭证 2025-0002")
    county_sync.add_review_note(county, "八台镇社工站", "请补充 3 月邻里互助活动的签到表照片。")
    receipt = county_sync.write_receipt(county, "八台镇社工站", stick)
    sync.import_receipt(batai.ws, receipt)
    sync.mark_note_done(batai.ws, note.id)
    batai.post("150", "补记：活动材料费")
    county_sync.import_packages(county, [sync.export_package(batai.ws, stick).path])
    qinghua.post("420", "重阳节慰问老人")
    pending = [sync.export_package(qinghua.ws, later).path]
    qinghua.post("88", "打印公示材料")
    county_sync.import_packages(county, [sync.export_package(qinghua.ws, stick).path])  # held: 2 is missing
    unknown = sync.export_package(zhuyu.ws, later).path
    for ws in (batai.ws, qinghua.ws, zhuyu.ws, county):
        ws.close(backup=False)
    return root / "八台镇", root / "县", [*pending, unknown], unknown


def shoot_sync(app: QApplication, out: Path) -> None:
    """数据同步 on both sides: a township with packages sent and a receipt imported (the county's notes as a
    to-do list); the county with its townships' status, the enrolment of a new office (its fingerprint
    typed as read out by phone) and the dry run of a folder of packages."""
    with tempfile.TemporaryDirectory() as tmp:
        township, county, pending, unknown = build_sync_example(Path(tmp))
        window = open_window(app, township)
        try:
            window.go_to(window.sync)
            settle(app, window.ctx.runner)
            save(window, out / "sync-township.png")
        finally:
            close_window(window)
        window = open_window(app, county)
        try:
            page = window.sync
            window.go_to(page)
            settle(app, window.ctx.runner)
            save(window, out / "sync-county.png")
            saved = prompts.open_sync_file
            prompts.open_sync_file = lambda *_args: unknown
            try:
                enrol = page.enrol()
            finally:
                prompts.open_sync_file = saved
            settle(app, window.ctx.runner)
            if enrol is not None and enrol.signer is not None:
                enrol.typed.setText(enrol.signer.fingerprint)
                settle(app, window.ctx.runner)
                save(enrol, out / "sync-enrol-dialog.png")
                enrol.reject()
            importer = page.open_import(pending)
            settle(app, window.ctx.runner, 0.5)
            save(importer, out / "sync-import-dialog.png")
            importer.reject()
        finally:
            close_window(window)


def shoot_entry_detail(app: QApplication, window: MainWindow, out: Path) -> None:
    """分录详情 of a posted entry with a voucher attached (its fields, chain and attachment preview)."""
    ctx, page = window.ctx, window.ledger
    window.go_to(page)
    settle(app, ctx.runner)
    reader = ctx.ws.raw_reader()
    try:
        with_voucher = reader.execute(
            "SELECT e.id FROM ledger_entry e JOIN entry_attachment ea ON ea.entry_id = e.id AND ea.deleted = 0 "
            "WHERE e.status = 'posted' AND e.deleted = 0 ORDER BY e.entry_date DESC LIMIT 1").fetchone()
    finally:
        reader.close()
    if with_voucher is None or not page.select_entry(with_voucher[0]):
        return
    detail = page.show_details()
    settle(app, ctx.runner, 0.5)
    save(detail, out / "entry-detail.png")
    detail.reject()


def shoot_goods_and_spaces(app: QApplication, window: MainWindow, out: Path) -> None:
    """物资台账 and 慈善阵地 with their forms (a page the main window does not show yet is shot alone)."""
    from desktop_app.gui.pages.goods import GoodsPage
    from desktop_app.gui.pages.spaces import SpacesPage

    ctx = window.ctx
    pages = {}
    for kind, name in ((GoodsPage, "goods"), (SpacesPage, "spaces")):
        page = next((w for w in vars(window).values() if isinstance(w, kind)), None)
        target = window
        if page is None:
            page = target = kind(ctx)
            target.resize(window.stack.size())
            target.show()
        else:
            window.go_to(page)
        settle(app, ctx.runner)
        save(target, out / f"{name}.png")
        pages[name] = page

    receipt = pages["goods"].receive()
    settle(app, ctx.runner)
    receipt.item.setEditText("新春礼品")
    receipt.unit.setText("份")
    receipt.quantity.setText("100")
    receipt.donor.setText("万源市鑫达建材有限公司")
    receipt.donor_kind.setCurrentText("企业")
    receipt.valuation.setCurrentText("捐赠方凭据")
    receipt.value.setText("3,000")
    settle(app, ctx.runner)
    save(receipt, out / "goods-receive-dialog.png")
    receipt.reject()
    issue = pages["goods"].issue()
    settle(app, ctx.runner)
    issue.quantity.setText("100000")
    issue.save()  # more than in stock: the form shows why and keeps what was typed
    settle(app, ctx.runner)
    save(issue, out / "goods-issue-dialog.png")
    issue.reject()

    spaces_page = pages["spaces"]
    spaces_page.view.selectRow(max(spaces_page.model.rowCount() - 1, 0))
    settle(app, ctx.runner)
    edit = spaces_page.edit_space()
    if edit is not None:
        settle(app, ctx.runner)
        save(edit, out / "space-edit-dialog.png")
        edit.reject()
    if spaces_page.window() is spaces_page:
        spaces_page.shutdown()
        spaces_page.close()


def shoot_notices(app: QApplication, window: MainWindow, out: Path) -> None:
    """信息公示 with the demo notice's first page in the preview, the builder with the masked names, and
    概览 on a day when notices are due. A workspace without notices gets one draft (exported the way the
    builder does, to a temporary file); nothing is published."""
    from datetime import date

    ctx, page = window.ctx, window.notices
    window.go_to(page)
    settle(app, ctx.runner)
    builder = page.new_notice()
    settle(app, ctx.runner)
    builder.make_preview()
    settle(app, ctx.runner, 1.0)
    save(builder, out / "notice-builder.png")
    shoot_wording(app, builder, out)
    if not page.rows:
        with tempfile.TemporaryDirectory() as tmp:

            saved = prompts.save_pdf, prompts.offer_open_folder
            prompts.save_pdf = lambda *_args: Path(tmp) / "公示.pdf"
            prompts.offer_open_folder = lambda *_args: False
            try:
                builder.export_pdf()
                settle(app, ctx.runner)
            finally:
                prompts.save_pdf, prompts.offer_open_folder = saved
    builder.reject()
    settle(app, ctx.runner, 1.5)
    save(window, out / "notices.png")
    if page.rows:  # 核验结果 of the first notice (verifying reads only)
        from desktop_app.core.notices import verify as notice_verify
        from desktop_app.gui.notice_verify_dialog import VerifyDialog

        result = notice_verify.verify_notice(ctx.ws, page.rows[0].notice.verification_code)
        verified = VerifyDialog(result, window)
        verified.show()
        settle(app, ctx.runner)
        save(verified, out / "notice-verify-dialog.png")
        verified.reject()

    window.overview.today = date(2025, 6, 1)  # the demo project ended 2025-02-28: its final notice is overdue
    window.go_to(window.overview)
    window.overview.reload()
    settle(app, ctx.runner)
    save(window, out / "overview-due.png")
    window.overview.today = None


def shoot_wording(app: QApplication, builder, out: Path) -> None:
    """修改文字 with the first item of the first site reworded and applied (the preview rebuilt); the edit
    is dropped again, so the draft exported afterwards is the notice as built."""
    wording = builder.wording
    key = next((e.key for e in wording.entries.values() if e.key.startswith("item:")), None)
    if key is None:
        return
    builder.tabs.setCurrentWidget(wording)
    wording.select(key, "body")
    wording.set_text(wording.text() + "会议明确了试点分工、进度安排和阵地运营办法。")
    builder.apply_edit()
    settle(app, builder.ctx.runner, 1.0)
    save(builder, out / "notice-edit.png")
    builder.restore_edit()
    settle(app, builder.ctx.runner, 0.5)
    builder.tabs.setCurrentIndex(0)


def wait_thumbnails(app: QApplication, runner: OpRunner, loader, seconds: float = 10) -> None:
    """Let the thumbnails being read arrive and paint."""
    deadline = time.monotonic() + seconds
    while not loader.idle and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    settle(app, runner, 0.2)


def shoot_activities(app: QApplication, ctx, window: MainWindow, out: Path) -> None:
    """活动记录: the list, the timeline, the statistics and the editor of an activity with photos."""
    from desktop_app.gui.pages.activities import ActivitiesPage

    page = getattr(window, "activities", None)
    if page is not None:
        window.go_to(page)
        shown: QWidget = window
    else:  # the page is not in the main window yet: shoot it alone, at the size of the page area
        page = ActivitiesPage(ctx)
        page.resize(window.stack.size())
        page.show()
        shown = page
    for tab, name in ((0, "activities"), (1, "activity-timeline"), (2, "activity-photos"), (3, "activity-stats")):
        page.tabs.setCurrentIndex(tab)
        settle(app, ctx.runner)
        wait_thumbnails(app, ctx.runner, page.gallery_model.loader)
        save(shown, out / f"{name}.png")
    page.tabs.setCurrentIndex(0)
    with_photos = max(page.rows, key=lambda row: row.photos, default=None)
    if with_photos is not None:
        page.select_activity(with_photos.id)
        dialog = page.edit_activity()
        settle(app, ctx.runner)
        dialog.photos.strip.setCurrentIndex(dialog.photos.photo_model.index(0))
        settle(app, ctx.runner)
        wait_thumbnails(app, ctx.runner, dialog.photos.photo_model.loader)
        save(dialog, out / "activity-dialog.png")
        dialog.reject()
    if shown is page:
        page.shutdown()
        page.close()


def shoot_screens(folder: Path, out: Path, only: str = "") -> None:
    """One run of this script per screen, each in its own process (the screen is fixed at start-up)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, ((width, height), scale) in SCREENS.items():
            config = Path(tmp) / f"{name}.json"
            config.write_text(json.dumps({"screens": [{
                "name": f"屏幕 {name}", "x": 0, "y": 0, "width": width, "height": height,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
            env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=str(scale),
                       QT_ENABLE_HIGHDPI_SCALING="1")
            print(f"== {name}")
            subprocess.run([sys.executable, __file__, str(folder), "--out", str(out / name), "--screen", name,
                            "--only", only], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--screen", choices=list(SCREENS), help="(internal) shoot on this screen only")
    parser.add_argument("--only", choices=["", "surveys", "county", "sync"], default="",
                        help="surveys: only the 需求调查 page and its dialogs; county: county mode (a county "
                             "workspace with two townships' records, built when WORKSPACE holds none); sync: "
                             "数据同步 on both sides (workspaces of its own)")
    args = parser.parse_args()
    if args.screen:
        with tempfile.TemporaryDirectory() as tmp:  # window places the user left are not used
            places = str(Path(tmp) / "places.ini")
            screen_fit.settings = lambda: QSettings(places, QSettings.Format.IniFormat)
            shoot(args.workspace, args.out, args.only)
        return 0
    if args.workspace is None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / ("county" if args.only == "county" else "demo")
            if args.only != "sync":  # the sync pictures build workspaces of their own
                ensure_workspace(folder, args.only)
            shoot_screens(folder, args.out, args.only)
        return 0
    ensure_workspace(args.workspace, args.only)
    shoot_screens(args.workspace, args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
