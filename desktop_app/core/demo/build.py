"""The demo workspace: the seed-004 pilot of 万源市慈善会 (四川省慈善事业高质量发展试点工作).

Everything goes through the same operations a user runs, so the demo obeys every ledger rule:
allocations of ¥316,000.00 to two community funds, donations (one restricted, one anonymous, one
with consent to publish), expenses with voucher scans on the charity spaces and the activities the
seed describes, a paper list of 慈善一日捐, a red-ink reversal, closed months and two open drafts (after the pilot's end,
so the fund-usage notice of the pilot period is complete);
then the activities with drawn photos, the goods register and the two charity spaces (demo/activities.py).
The content is the same on every run (only ids and timestamps differ). Its dates are fixed, so its postings
are dated whatever this PC's clock says (`allow_future_date`).

It is built in a temporary folder beside the target and moved into place, in one rename, only when complete:
a build killed at any moment leaves either nothing at the target or the whole demo, and the next build
removes what a killed one left beside it.

Division codes below are illustrative (万源市 is 511781; the township and village parts are made up).
"""

import os
import secrets
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import filelock

from desktop_app.core.demo.activities import add_demo_activities
from desktop_app.core.demo.surveys import add_demo_surveys
from desktop_app.core.demo.townships import add_demo_townships
from desktop_app.core.errors import UserError
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import ledger, office, projects, settings
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.storage.files import shown_name, where
from desktop_app.core.storage.workspace import DB_NAME, Workspace
from desktop_app.core.typefaces import BODY

PROJECT_NAME = "四川省慈善事业高质量发展试点工作"
GOALS = (
    "慈善事业是中国特色社会主义事业的重要组成部分，也是国家治理体系的重要内容。习近平总书记高度重视慈善事业，"
    "多次就发展慈善事业、发挥慈善作用作出重要论述。党的二十届三中全会明确提出“支持发展公益慈善事业”等改革要求，"
    "为进一步推进慈善事业改革发展指明重点和方向。慈心为民，善举济世。贯彻落实好党的二十届三中全会精神，"
    "要深入学习习近平总书记关于慈善事业的重要论述，自觉把慈善事业放在党和国家事业发展全局中去审视谋划，"
    "找准改革的发力点和突破口，不断推进慈善事业高质量发展，更好服务中国式现代化。整合资源打造慈善空间（场景），"
    "建立慈善供需对接机制，加强辖区内外慈善资源整合，设立社区发展基金，围绕各类慈善项目实施，"
    "服务辖区内特殊困难群体，促进城乡融合发展。"
)
QINGHUA_FUND = "万源市慈善会立信社区爱青花基金"
BATAI_FUND = "万源市慈善会八台镇尚善社区基金"

D = Decimal


def _voucher_scan(folder: Path, name: str, lines: list[str]) -> Path:
    """A drawn stand-in for a scanned invoice (no real documents in a demo)."""
    from PIL import Image, ImageDraw, ImageFont

    path = folder / f"{name}.png"
    image = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(image)
    try:  # the body face: the CJK fallback face has no Latin digits and draws them as boxes
        font = ImageFont.truetype(str(BODY.path), 26)
    except OSError:
        font = ImageFont.load_default()
    draw.rectangle((10, 10, 630, 390), outline=(180, 40, 40), width=3)
    for i, line in enumerate(["演示凭证（非真实票据）", *lines]):
        draw.text((34, 34 + i * 48), line, fill=(40, 40, 40), font=font)
    image.save(path)
    return path


BUILDING = ".building-"  # a build in progress: `.<target name>.building-<random>` beside the target


def build_demo(root: Path | str, *, townships: bool = False) -> Path:
    """Create the demo workspace at `root`, which must not exist yet or be an empty folder. Built beside it
    and moved into place when complete (see the module's docstring). `townships`: the county demo, holding
    the packages of the pilot's two townships too (demo/townships.py)."""
    root = Path(root).expanduser().absolute()
    remove_unfinished_builds(root)
    if (root / DB_NAME).exists():
        raise UserError(f"“{shown_name(root)}”已经是一个工作区，演示数据只能生成到新的文件夹。请换一个文件夹。",
                        technical=where(root))
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(f"“{shown_name(root)}”不是空文件夹，演示数据只能生成到新的（或空的）文件夹。请换一个文件夹。",
                        technical=where(root))
    root.parent.mkdir(parents=True, exist_ok=True)
    building = root.parent / f".{root.name}{BUILDING}{secrets.token_hex(4)}"
    building.mkdir()  # as any new folder (mkdtemp's would be private to this user)
    try:
        ws = Workspace.open(building, create=True, auto_backup=False)
        try:
            _fill(ws, building)
            if townships:
                add_demo_townships(ws, building / ".townships", _voucher_scan)
            ws.create_backup("manual")
        finally:
            ws.close(backup=False)
        if root.exists():
            root.rmdir()  # empty, checked above (an os.rename onto a folder fails on Windows)
        os.rename(building, root)  # the one step that makes the demo appear, whole
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return root


def remove_unfinished_builds(root: Path) -> list[Path]:
    """Remove the temporary folders builds of `root` that were killed left beside it. A build still running
    (in another process) holds its workspace lock and is left alone."""
    removed = []
    if not root.parent.is_dir():
        return removed
    for folder in root.parent.glob(f".{root.name}{BUILDING}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        lock = filelock.FileLock(folder / "workspace.lock", timeout=0, is_singleton=False)
        try:
            lock.acquire()
        except (filelock.Timeout, OSError):
            continue  # still being built, or not ours to remove
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


DEMO_ASSOCIATION_PHONE, DEMO_CIVIL_AFFAIRS_PHONE = "0818-8622345", "0818-8627890"


def _fill(ws: Workspace, root: Path) -> None:
    office.init_office(ws, name="万源市慈善会", division_code="511781000000", association="万源市慈善会",
                       level="县级慈善会", code_year=2024)
    # who the public may call about a notice (demo numbers: seed 004 does not print them)
    settings.set_setting(ws, "notice.association_phone", DEMO_ASSOCIATION_PHONE)
    settings.set_setting(ws, "notice.civil_affairs_name", "青花镇、八台镇民政办")
    settings.set_setting(ws, "notice.civil_affairs_phone", DEMO_CIVIL_AFFAIRS_PHONE)
    project = projects.add_project(ws, projects.ProjectInput(
        name=PROJECT_NAME, start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=D("900000"),
        goals=GOALS, completion="现拨付资金共31.6万元用于慈善阵地建设及活动开展。",
        leaders=[projects.LeaderInput("蒲栋", "万源市慈善会秘书长", "13551281592"),
                 projects.LeaderInput("黄国春", "八台社区社会组织联合会", "15583376966")],
        sites=[projects.SiteInput("青花镇立信社区", "511781103001"),
               projects.SiteInput("八台镇天池村", "511781107201")],
        budget_lines={"阵地建设": D("400000"), "活动开展": D("220000"), "培训": D("80000"),
                      "调研": D("50000"), "宣传": D("90000"), "办公": D("60000")},
    ))
    qinghua, _ = projects.add_fund(ws, projects.FundInput(
        name=QINGHUA_FUND, project_id=project.id, agreement_no="万慈协〔2024〕07号", agreement_date=date(2024, 3, 8),
        purpose="青花镇立信社区慈善阵地“Ai青花”建设运营、困难群体帮扶与社区慈善活动",
        committee=[("李春燕", "主任（立信社区党委书记）", False), ("蒲栋", "委员（万源市慈善会）", False),
                   ("周建华", "委员（青花镇民政办）", False), ("刘德贵", "委员（居民代表）", False),
                   ("王丽", "监督员", True)]))
    batai, _ = projects.add_fund(ws, projects.FundInput(
        name=BATAI_FUND, project_id=project.id, agreement_no="万慈协〔2024〕09号", agreement_date=date(2024, 4, 2),
        purpose="八台镇天池村慈善助力文旅融合：慈善阵地建设、社区赋能培训与慈善服务",
        committee=[("黄国春", "主任（八台社区社会组织联合会）", False), ("李建国", "委员（天池村党支部书记）", False),
                   ("王芳", "委员（万源市慈善会）", False), ("陈德明", "委员（村民代表）", False),
                   ("赵秀英", "监督员", True)]))

    scans = root / "demo-vouchers"
    scans.mkdir(exist_ok=True)

    def income(fund, day, kind, amount, summary, category, **extra):
        return ledger.add_entry(ws, EntryInput(fund_id=fund.id, entry_date=day, entry_type=kind, amount=D(amount),
                                               summary=summary, category=category, **extra), post=True,
                                allow_future_date=True)

    spent: dict = {}  # summary → entry, for the activities that link their costs

    def expense(fund, day, amount, summary, category, payee, *, cls="慈善活动支出", restriction="", post=True):
        scan = _voucher_scan(scans, f"{day:%Y%m%d}-{summary[:6]}", [summary, f"金额：¥{D(amount):,.2f}", f"收款方：{payee}",
                                                                  f"日期：{day:%Y年%m月%d日}"])
        spent[summary] = ledger.add_entry(ws, EntryInput(
            fund_id=fund.id, entry_date=day, entry_type="expense", amount=D(amount), summary=summary,
            category=category, expense_class=cls, restriction=restriction, counterparty_name=payee,
            counterparty_kind="企业", payment_method="银行转账", attachments=[scan]), post=post, allow_future_date=True)
        return spent[summary]

    # Allocations: ¥316,000.00 in all (seed 004: 现拨付资金共31.6万元)
    income(qinghua, date(2024, 3, 15), "allocation", "100000", "试点项目第一批资金拨入", "项目拨款",
           counterparty_name="万源市慈善会", counterparty_kind="社会组织", publish_consent=True, payment_method="银行转账")
    income(batai, date(2024, 4, 10), "allocation", "100000", "试点项目第一批资金拨入", "项目拨款",
           counterparty_name="万源市慈善会", counterparty_kind="社会组织", publish_consent=True, payment_method="银行转账")

    # 青花镇立信社区
    expense(qinghua, date(2024, 3, 28), "1200", "青花试点工作讨论会会务费", "活动开展", "万源市青花镇红星饭店")
    expense(qinghua, date(2024, 4, 22), "3800", "需求调查问卷印制及入户走访交通", "调研", "万源市青花镇文印部")
    expense(qinghua, date(2024, 5, 16), "68000", "“Ai青花”慈善服务阵地集装箱采购", "阵地建设", "四川达州集成房屋有限公司")
    income(qinghua, date(2024, 6, 10), "donation", "20000", "捐赠用于慈善阵地建设", "企业捐赠",
           counterparty_name="万源市鑫达建材有限公司", counterparty_kind="企业", publish_consent=True,
           restriction="慈善阵地建设", receipt_code="51010124", receipt_no="0003512", payment_method="银行转账")
    income(qinghua, date(2024, 6, 18), "donation", "500", "个人捐赠", "个人捐赠", counterparty_name="张明华",
           counterparty_kind="个人", counterparty_contact="13908181234", receipt_code="51010124",
           receipt_no="0003518", payment_method="微信")
    income(qinghua, date(2024, 6, 20), "donation", "1000", "匿名捐赠", "个人捐赠", anonymous=True,
           counterparty_kind="个人", payment_method="现金")
    expense(qinghua, date(2024, 7, 12), "6500", "“三下乡”钢铁记忆图文影像资料整理", "宣传", "四川文理学院实践团队")
    income(qinghua, date(2024, 8, 20), "allocation", "56000", "试点项目第二批资金拨入", "项目拨款",
           counterparty_name="万源市慈善会", counterparty_kind="社会组织", publish_consent=True, payment_method="银行转账")
    expense(qinghua, date(2024, 8, 26), "8600", "复刊青花钢铁报印刷", "宣传", "万源市印务有限公司")
    expense(qinghua, date(2024, 9, 14), "42000", "集装箱阵地改造装修", "阵地建设", "万源市宏业装饰工程有限公司")
    expense(qinghua, date(2024, 10, 9), "12800", "阵地桌椅及服务设备购置", "阵地建设", "万源市家具城",
            restriction="慈善阵地建设")
    expense(qinghua, date(2024, 11, 16), "5600", "青花系列慈善活动物料", "活动开展", "万源市青花镇百货商店")
    expense(qinghua, date(2024, 12, 5), "1150", "办公用品", "办公", "万源市文具店", cls="管理费用")

    # 八台镇天池村
    expense(batai, date(2024, 5, 18), "4200", "八台镇项目启动仪式现场会", "活动开展", "万源市八台镇农家乐")
    expense(batai, date(2024, 5, 20), "2400", "调查问卷及宣传手册印制", "宣传", "万源市八台镇文印部")
    expense(batai, date(2024, 6, 25), "8000", "慈善阵地方案设计", "阵地建设", "达州市城乡规划设计有限公司")
    ledger.post_batch(ws, "2024年“慈善一日捐”天池村纸质清单", [
        EntryInput(fund_id=batai.id, entry_date=date(2024, 9, 5), entry_type="donation", amount=D(a),
                   summary="慈善一日捐", category="慈善一日捐", counterparty_name=n, counterparty_kind="个人",
                   anonymous=n == "", payment_method="现金")
        for n, a in [("李大友", "200"), ("王秀兰", "100"), ("陈光明", "500"), ("", "50"), ("赵德全", "300"),
                     ("刘春梅", "160"), ("张国富", "1000"), ("杨小琴", "100"), ("", "200"), ("何文", "250"),
                     ("周平", "200"), ("吴建", "200")]
    ], 12, D("3260"), allow_future_date=True)
    income(batai, date(2024, 10, 25), "allocation", "60000", "试点项目第二批资金拨入", "项目拨款",
           counterparty_name="万源市慈善会", counterparty_kind="社会组织", publish_consent=True, payment_method="银行转账")
    expense(batai, date(2024, 11, 2), "60000", "慈善阵地装修施工首期款（完成70%）", "阵地建设", "万源市巴山建筑工程有限公司")
    expense(batai, date(2024, 11, 8), "18500", "慈善阵地装修材料", "阵地建设", "万源市八台建材店")
    expense(batai, date(2024, 11, 20), "6800", "社区赋能培训（社区骨干、志愿者）", "培训", "达州市社会工作服务中心")
    wrong = expense(batai, date(2024, 11, 22), "1580", "培训资料印制", "培训", "万源市八台镇文印部")
    ledger.reverse_entry(ws, wrong.id, "金额录错：发票金额为 1,850.00 元", on_date=date(2024, 11, 25),
                         allow_future_date=True)
    expense(batai, date(2024, 11, 22), "1850", "培训资料印制（更正后重新入账）", "培训", "万源市八台镇文印部")
    income(batai, date(2024, 12, 10), "donation", "8000", "捐赠用于迎新慈善音乐会", "企业捐赠",
           counterparty_name="万源市巴山商贸有限公司", counterparty_kind="企业", publish_consent=True,
           restriction="迎新慈善音乐会", receipt_code="51010124", receipt_no="0003620", payment_method="银行转账")
    expense(batai, date(2024, 12, 27), "8000", "“尚善红城·爱聚万源”迎新慈善音乐会舞台音响租赁", "活动开展",
            "万源市星光演艺服务部", restriction="迎新慈善音乐会")
    expense(batai, date(2024, 12, 27), "7800", "迎新慈善音乐会演出服务及物料", "活动开展", "万源市星光演艺服务部")

    for fund in (qinghua, batai):
        for month in range(3, 11):
            ledger.close_month(ws, fund.id, f"2024-{month:02d}")

    expense(batai, date(2025, 1, 18), "9600", "新春趣味游园会礼品（200余份）", "慰问帮扶", "万源市八台镇百货超市")
    expense(batai, date(2025, 1, 18), "1500", "游园会儿童小玩具（100余份）", "慰问帮扶", "万源市八台镇百货超市")

    # Still open: the fund goes on after the pilot; March's running costs are typed in, not yet checked
    expense(batai, date(2025, 3, 10), "860", "慈善阵地2025年3月水电费", "阵地建设", "国网万源市供电公司", post=False)
    expense(batai, date(2025, 3, 12), "600", "志愿者交通补贴（3月）", "活动开展", "八台社区社会组织联合会", post=False)

    with ws.reading() as s:
        sites = {site.name: site for site in project_queries.project_sites(s, project.id)}
    add_demo_activities(ws, root, project, sites, {"qinghua": qinghua, "batai": batai}, spent)
    add_demo_surveys(ws, project.id, sites)
