"""The notice builders on the demo workspace (the seed-004 pilot): every fact of seed 004 in its order,
totals against the ledger with their capital numerals, privacy by default, drafts, missing pieces."""

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from desktop_app.core.demo.build import GOALS, PROJECT_NAME, build_demo
from desktop_app.core.documents.model import Field, Heading, Item, Paragraph, PhotoGrid, SignOff, Table
from desktop_app.core.errors import UserError
from desktop_app.core.models import Photo
from desktop_app.core.money import capital_yuan, format_yuan
from desktop_app.core.notices.formats import wan_yuan
from desktop_app.core.notices.request import (
    TEMPLATES,
    DraftsInPeriod,
    NoticeRequest,
    covered_entries,
    resolve_request,
)
from desktop_app.core.notices.templates import build_notice
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import activities, ledger, projects, settings
from desktop_app.core.services.activities import ActivityInput, NamedInput
from desktop_app.core.services.ledger import EntryInput
from desktop_app.core.storage import photo_files
from desktop_app.core.storage.workspace import Workspace

TODAY = date(2026, 1, 10)  # after the project's end: the default period is the whole project
WRITTEN = date(2025, 1, 5)
SEED_CAPTIONS = ["青花试点工作讨论会", "复刊青花钢铁报", "青花系列慈善活动", "青花前期调研", "青花慈善阵地",
                 "八台需求调研", "八台慈善音乐会", "八台系列慈善活动", "八台镇项目启动仪式"]
QINGHUA_LEADS = ["青花试点工作讨论会（试点专题工作会议5次）。", "青花前期调研：居民需求问卷。",
                 "“钢铁记忆”图文影像整理与复刊青花钢铁报。", "“Ai青花”慈善服务阵地建设。"]
BATAI_LEADS = ["八台镇天池村慈善助力文旅融合试点项目启动仪式。", "新建慈善阵地（装修装饰施工完成70%）。",
               "八台慈善音乐会（“尚善红城·爱聚万源”）。", "设立社区基金（八台镇尚善社区基金）。",
               "社区赋能培训（社区骨干、志愿者、社区社会组织）。", "新春趣味游园会和便民爱心市集。"]
# the facts of seed 004's items, in its order (a phrase of each sentence)
SEED_ITEM_FACTS = [
    "党委政府高度重视，积极探索慈善工作思路", "考察学习、理论培训、专题会议", "试点专题工作会议5次",
    "多方联合行动，迅速摸准居民需求", "依托“市慈善会”主体", "共收集250份有效调查问卷", "亲子教育、养老服务、就业、环境卫生",
    "以青花特色为基调，打造“慈善社区”名片", "四川文理学院组织的大学生“三下乡”社会实践活动", "工业遗风",
    "原青花钢铁总厂老领导、老职工", "并复刊了青花钢铁报",
    "利用青花镇闲置场地空间", "全市首个以“集装箱”为载体的慈善服务示范点", "“Ai青花”慈善服务阵地",
    "乡村振兴总目标服务献策", "现场发放调查问卷和宣传手册各40份", "村民代表代为向各村社发放问卷200份",
    "进一步完善即将出台的尚善公约",
    "按程序完成了方案设计、施工单位选择", "装修装饰施工已完成70%", "施工全部结束还需十余天时间",
    "12月27日", "“尚善红城·爱聚万源”", "八台镇大巴山国家地质公园广场", "6支省直单位定点帮扶万源工作队",
    "150余名来自帮扶工作队、爱心单位、村党委支部及村民代表参与",
    "设立社区发展基金1支", "资源自筹、服务自给、发展自主", "从“输血式帮扶”转向“造血式共富”",
    "八台镇天池坝村", "社区骨干、社区志愿者、社区社会组织等开展相关社区赋能培训",
    "困境儿童青少年、妇女、老人、残疾人", "新春趣味游园会和便民爱心市集", "义诊、写春联",
    "200余份礼品", "100多份儿童小玩具", "一老一小",
]
LEADER_PHONES = ("13551281592", "15583376966")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The demo workspace, built once and never opened again (copies are taken from it)."""
    return build_demo(tmp_path_factory.mktemp("notice") / "demo")


def _open_copy(source, target) -> Workspace:
    shutil.copytree(source, target)
    return Workspace.open(target, auto_backup=False)


@pytest.fixture(scope="module")
def demo(pristine, tmp_path_factory):
    """A read-only copy shared by the module's tests."""
    ws = _open_copy(pristine, tmp_path_factory.mktemp("shared") / "ws")
    with ws.reading() as s:
        ws.project = project_queries.list_projects(s)[0]
    yield ws
    ws.close(backup=False)


@pytest.fixture
def own(pristine, tmp_path):
    """A copy of the demo a test may change."""
    ws = _open_copy(pristine, tmp_path / "ws")
    with ws.reading() as s:
        ws.project = project_queries.list_projects(s)[0]
    yield ws
    ws.close(backup=False)


def _request(ws, **extra) -> NoticeRequest:
    values = {"today": TODAY, "written_on": WRITTEN, "exclude_drafts": True} | extra
    return NoticeRequest(ws.project.id, **values)


def _build(ws, **extra):
    with ws.reading() as s:
        return build_notice(s, ws.root, _request(ws, **extra))


@pytest.fixture(scope="module")
def usage(demo):
    return _build(demo)


def _in_order(texts: list[str], expected: list[str]) -> None:
    """Each expected string occurs (as a substring) in a text after the previous one's text."""
    at = -1
    for want in expected:
        for i in range(at + 1, len(texts)):
            if want in texts[i]:
                at = i
                break
        else:
            raise AssertionError(f"“{want}” not found after text #{at} ({texts[at] if at >= 0 else 'start'!r})")


def _blocks(doc, kind):
    return [b for b in doc.blocks if isinstance(b, kind)]


def _field(doc, label: str) -> str:
    return next(b.text for b in _blocks(doc, Field) if b.label == label)


def _fen(cell: str) -> int:
    if not cell or cell == "—":
        return 0
    negative = cell.startswith("-")
    value = int((Decimal(cell.lstrip("-").lstrip("¥").replace(",", "")) * 100).to_integral_value())
    return -value if negative else value


def _period_sums(ws) -> dict[str, tuple[int, int]]:
    """fund name → (income, expense) of the posted entries in the project period, straight from SQL."""
    with ws.reading() as s:
        rows = s.execute(text(
            "SELECT f.name, coalesce(sum(CASE WHEN e.flow='in' THEN e.amount_fen END), 0), "
            "coalesce(sum(CASE WHEN e.flow='out' THEN e.amount_fen END), 0) FROM ledger_entry e "
            "JOIN fund f ON f.id = e.fund_id WHERE e.status='posted' AND e.deleted=0 "
            "AND e.entry_date BETWEEN '2024-02-01' AND '2025-02-28' GROUP BY f.name")).all()
    return {name: (int(i), int(o)) for name, i, o in rows}


# ------------------------------------------------------------------------------------------- helpers


def test_wan_yuan_writes_amounts_the_seed_way_and_exactly():
    assert wan_yuan(90_000_000) == "90万元"
    assert wan_yuan(31_600_000) == "31.6万元"
    assert wan_yuan(500_000) == "0.5万元"
    assert wan_yuan(12_345_600) == "12.3456万元"
    assert wan_yuan(123_456) == "1,234.56元"  # 角/分: never rounded into 万
    assert wan_yuan(0) == "0万元"


def test_templates_and_defaults(demo):
    assert set(TEMPLATES) == {"fund-usage", "progress", "donations"}
    with demo.reading() as s:
        req = resolve_request(s, NoticeRequest(demo.project.id, today=TODAY))
        assert (req.date_from, req.date_to) == (date(2024, 2, 1), date(2025, 2, 28))
        assert (req.written_on, req.notice_start, req.notice_end) == (TODAY, TODAY, date(2026, 1, 16))
        assert [label for label, _phone in req.supervision] == ["万源市慈善会", "青花镇、八台镇民政办", "政务服务便民热线"]
        mid = resolve_request(s, NoticeRequest(demo.project.id, today=date(2024, 12, 31)))
        assert mid.date_to == date(2024, 11, 30)  # a running project: through the last complete month
        progress = resolve_request(s, NoticeRequest(demo.project.id, template="progress", today=TODAY))
        assert (progress.date_from, progress.date_to) == (date(2024, 12, 1), date(2025, 2, 28))  # whole months
        running = resolve_request(s, NoticeRequest(demo.project.id, template="progress", today=date(2024, 12, 5)))
        assert (running.date_from, running.date_to) == (date(2024, 9, 1), date(2024, 11, 30))
        odd = resolve_request(s, NoticeRequest(demo.project.id, template="progress", date_to=date(2024, 11, 15)))
        assert odd.date_from == date(2024, 8, 16)  # a chosen end inside a month: three months back
        with pytest.raises(UserError, match="到上月底还没有完整的月份可以公示"):
            resolve_request(s, NoticeRequest(demo.project.id, today=date(2024, 2, 20)))
        with pytest.raises(UserError, match="没有“yearly”这种公示模板"):
            resolve_request(s, NoticeRequest(demo.project.id, template="yearly"))
        with pytest.raises(UserError, match="晚于结束日期"):
            resolve_request(s, NoticeRequest(demo.project.id, date_from=date(2025, 1, 1), date_to=date(2024, 1, 1)))
        with pytest.raises(UserError, match="找不到要公示的项目"):
            build_notice(s, demo.root, NoticeRequest("no-such-project"))


# ------------------------------------------------------------------------------------------- seed 004


def test_fund_usage_holds_every_fact_of_seed_004_in_its_order(usage):
    assert usage.template == "fund-usage"
    assert usage.title_lines == [PROJECT_NAME, "2024年经费使用情况公示"]
    texts = usage.texts()
    _in_order(texts, [
        "一、项目信息",
        "项目名称", PROJECT_NAME,
        "项目主要内容和绩效目标", GOALS,
        "项目周期", "2024年2月至2025年2月",
        "资金额度", "90万元",
        "项目负责人", "万源市慈善会秘书长蒲栋、八台社区社会组织联合会黄国春",
        "联系方式", "13551281592、15583376966",
        "项目完成情况", "现拨付资金共31.6万元",
        "二、项目效果",
        "青花镇立信社区慈善试点情况", *QINGHUA_LEADS,
        "八台镇天池村慈善试点情况", *BATAI_LEADS,
        "三、经费收支情况", "四、物资收发情况", "五、活动照片", "青花试点工作讨论会",
        "六、公示期与监督", "公示期", "2025年1月5日至2025年1月11日", "监督电话", "意见反馈",
        "万源市慈善会", "2025年1月5日",
    ])
    assert _field(usage, "联系方式") == "13551281592、15583376966"
    assert _field(usage, "项目完成情况") == "现拨付资金共31.6万元用于慈善阵地建设及活动开展。"
    items = _blocks(usage, Item)
    assert [i.number for i in items] == ["（一）", "（二）", "（三）", "（四）", "（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert [i.lead for i in items] == QINGHUA_LEADS + BATAI_LEADS
    assert all(i.body for i in items)
    effects, at = "".join(i.lead + i.body for i in items), -1
    for fact in SEED_ITEM_FACTS:  # every sentence of the seed's items, in order
        at = effects.find(fact, at + 1)
        assert at >= 0, f"“{fact}” missing or out of order"
    assert [h.text for h in _blocks(usage, Heading) if h.level == 1] == [
        "一、项目信息", "二、项目效果", "三、经费收支情况", "四、物资收发情况", "五、活动照片", "六、公示期与监督"]
    sign_off = usage.blocks[-1]
    assert isinstance(sign_off, SignOff) and sign_off.names == ("万源市慈善会",) and sign_off.written_on == WRITTEN


def test_photos_are_the_seeds_nine_display_copies_by_site_in_gallery_order(usage, demo):
    grid = _blocks(usage, PhotoGrid)[0]
    captions = [p.caption for p in grid.photos]
    assert sorted(captions) == sorted(SEED_CAPTIONS)
    assert captions == SEED_CAPTIONS  # the seed's order, which the demo's gallery follows
    for photo in grid.photos:
        assert photo.path.is_file() and photo.path.parent.parent.name == "display"


def test_title_year_names_the_period(demo):
    assert _build(demo, date_from=date(2024, 3, 1), date_to=date(2024, 12, 31)).title_lines[1] == "2024年经费使用情况公示"
    assert _build(demo, date_from=date(2024, 7, 1), date_to=date(2025, 6, 30)).title_lines[1] == "2024—2025年经费使用情况公示"
    assert _build(demo, year_label="2024年").title_lines[1] == "2024年经费使用情况公示"


# ------------------------------------------------------------------------------------------- money


def test_totals_match_the_ledger_and_the_capital_numerals_match_the_figures(usage, demo):
    sums = _period_sums(demo)
    income = sum(i for i, _o in sums.values())
    expense = sum(o for _i, o in sums.values())
    assert _field(usage, "本期拨入资金") == "¥316,000.00（人民币叁拾壹万陆仟元整）"
    assert _field(usage, "本期支出") == f"{format_yuan(expense)}（{capital_yuan(expense, prefix='人民币')}）"
    assert _field(usage, "项目预算") == "¥900,000.00（人民币玖拾万元整）"
    donations = _fen(_field(usage, "本期捐赠收入").split("（")[0])
    assert donations + 31_600_000 == income
    closing = _fen(_field(usage, "期末结余").split("（")[0])
    assert closing == income - expense  # nothing before the period
    details = [t for t in _blocks(usage, Table) if t.columns[0].title == "凭证号"]
    assert {t.caption for t in details} == set(sums)
    for table in details:
        rows_in = sum(_fen(r[3]) for r in table.rows)
        rows_out = sum(_fen(r[4]) for r in table.rows)
        assert (rows_in, rows_out) == sums[table.caption]
        total, capitals = table.totals
        assert total[0] == "合计" and (_fen(total[3]), _fen(total[4])) == (rows_in, rows_out)
        assert capitals == (f"大写：收入{capital_yuan(rows_in, prefix='人民币')}"
                            f"；支出{capital_yuan(rows_out, prefix='人民币')}",)
        assert all(re.fullmatch(r"\d{4}-\d{4}", r[0]) for r in table.rows)
    grand = next(p.text for p in _blocks(usage, Paragraph) if p.text.startswith("各基金本期收入合计"))
    assert f"{format_yuan(income)}（{capital_yuan(income, prefix='人民币')}）" in grand
    by_category = next(t for t in _blocks(usage, Table) if t.caption == "按支出类别")
    assert sum(_fen(r[2]) for r in by_category.rows) == _fen(by_category.totals[0][2]) == expense
    assert sum(_fen(r[1]) for r in by_category.rows) == 90_000_000
    by_class = next(t for t in _blocks(usage, Table) if t.caption == "按支出性质")
    assert sum(_fen(r[1]) for r in by_class.rows) == expense
    assert [r[0] for r in by_class.rows] == ["慈善活动支出", "管理费用"]


def test_restricted_balance_per_fund(usage):
    table = next(t for t in _blocks(usage, Table) if t.caption == "各基金收支及结余")
    restricted = next(r for r in table.rows if r[0] == "其中：限定性结余")
    # ¥20,000 for the charity space less ¥12,800 spent on it; the concert's ¥8,000 all spent
    assert restricted[1:] == ("¥7,200.00", "¥0.00", "¥7,200.00")
    assert "其中限定性结余¥7,200.00" in _field(usage, "期末结余")


def test_goods_received_and_handed_out(usage):
    received = next(t for t in _blocks(usage, Table) if t.caption.startswith("物资接收"))
    assert ("2025-01-10", "万源市巴山商贸有限公司", "大米（10千克装）", "50袋", "捐赠方凭据", "¥2,500.00") in received.rows
    assert ("2024-11-10", "爱心人士", "书包文具套装", "40套", "未估值", "—") in received.rows  # 刘建国: no consent
    issued = next(t for t in _blocks(usage, Table) if t.caption == "物资发放")
    assert ("2025-01-18", "新春趣味游园会和便民爱心市集", "新春礼品", "200份", "社区居民", "200") in issued.rows
    assert issued.totals[0][-1] == str(sum(int(r[-1]) for r in issued.rows))


# ------------------------------------------------------------------------------------------- privacy


def test_privacy_by_default_on_the_demo(demo):
    for template in TEMPLATES:
        doc = _build(demo, template=template)
        everything = "\n".join(doc.texts())
        assert "张明华" not in everything and "刘建国" not in everything and "何文" not in everything
        assert "13908181234" not in everything
        assert set(MOBILE.findall(everything)) <= set(LEADER_PHONES)
        if template == "progress":  # names no donors
            continue
        assert "万源市巴山商贸有限公司" in everything  # consented company
        assert any(m.original == "张明华" and m.shown == "爱心人士" and m.reason == "未记录公开同意" for m in doc.masked)
    usage = _build(demo)
    everything = "\n".join(usage.texts())
    assert "万源市鑫达建材有限公司" in everything
    assert all(phone in everything for phone in LEADER_PHONES)
    donors = next(t for t in _blocks(usage, Table) if t.columns[0].title == "捐赠方")
    assert ("爱心人士", "14", "¥4,760.00", "非限定") in donors.rows  # 张明华, the anonymous gift, 12 一日捐 names


def test_consenting_person_is_masked_and_private_numbers_and_names_never_print(own):
    with own.reading() as s:
        qinghua = next(f for f in project_queries.list_funds(s) if "青花" in f.name)
        site = project_queries.project_sites(s, own.project.id)[0]
    ledger.add_entry(own, EntryInput(
        fund_id=qinghua.id, entry_date=date(2024, 12, 15), entry_type="donation", amount=Decimal("300"),
        summary="王小明个人捐赠", category="个人捐赠", counterparty_name="王小明", counterparty_kind="个人",
        publish_consent=True, counterparty_contact="13700001111", payment_method="微信"), post=True)
    activities.add_activity(own, ActivityInput(
        project_id=own.project.id, site_id=site.id, activity_type="慈善服务", title="走访困难家庭",
        start_date=date(2024, 12, 20), public=True,
        named=[NamedInput("李四娃", "低保/困难家庭", "低保", "13600002222")],
        summary="感谢张明华的捐赠。走访李四娃家，联系人电话13912345678（139 1234 5679），身份证号11010519491231002X。"
                "项目负责人电话13551281592。"))
    doc = _build(own)
    everything = "\n".join(doc.texts())
    donors = next(t for t in _blocks(doc, Table) if t.columns[0].title == "捐赠方")
    assert ("王*明", "1", "¥300.00", "非限定") in donors.rows
    for secret in ("王小明", "张明华", "李四娃", "13912345678", "139 1234 5679", "11010519491231002X", "13700001111",
                   "13600002222"):
        assert secret not in everything
    body = next(i.body for i in _blocks(doc, Item) if i.lead == "走访困难家庭。")
    assert body == ("感谢爱心人士的捐赠。走访李*娃家，联系人电话***（***），身份证号***。项目负责人电话13551281592。")
    detail = next(t for t in _blocks(doc, Table) if t.caption == qinghua.name)
    assert any(r[2] == "王*明个人捐赠" for r in detail.rows)
    reasons = {(m.original, m.shown): m.reason for m in doc.masked}
    assert reasons[("王小明", "王*明")] == "个人姓名，已同意公开，按规定打码"
    assert reasons[("李四娃", "李*娃")] == "受益人姓名，按规定打码"
    assert reasons[("139****5678", "***")] == "私人电话已隐去"
    assert reasons[("110105********002X", "***")] == "身份证号或账号已隐去"
    assert all("13912345678" not in m.original for m in doc.masked)


PUBLIC_LINES = [("万源市慈善会", "0818-8622345"), ("八台镇民政办", "(0818)8627890"), ("政务服务便民热线", "12345")]


def test_landlines_local_numbers_and_grouped_ids_are_hidden(own):
    with own.reading() as s:
        qinghua = next(f for f in project_queries.list_funds(s) if "青花" in f.name)
        site = project_queries.project_sites(s, own.project.id)[0]
    ledger.add_entry(own, EntryInput(
        fund_id=qinghua.id, entry_date=date(2024, 12, 16), entry_type="donation", amount=Decimal("200"),
        summary="欧阳娜娜捐款，电话0818-8621234", category="个人捐赠", counterparty_name="欧阳娜娜",
        counterparty_kind="个人", payment_method="现金"), post=True)
    activities.add_activity(own, ActivityInput(
        project_id=own.project.id, site_id=site.id, activity_type="慈善服务", title="入户登记",
        start_date=date(2024, 12, 20), public=True,
        summary="电话0818-8621234，座机（0818）8621235、0818 8621236、08188621237，联系方式：8621238，Tel: 86212399。"
                "身份证511781 19900101 1234，又写作5117 8119 9001 0112 34、511781-19900101-123X，"
                "银行卡6222 0212 3456 7890 123。"))
    doc = _build(own, supervision=PUBLIC_LINES)
    everything = "\n".join(doc.texts())
    for secret in ("欧阳娜娜", "8621234", "8621235", "8621236", "8621237", "8621238", "86212399", "19900101",
                   "8119 9001", "6222"):
        assert secret not in everything
    body = next(i.body for i in _blocks(doc, Item) if i.lead == "入户登记。")
    assert body == "电话***，座机***、***、***，联系方式：***，Tel: ***。身份证***，又写作***、***，银行卡***。"
    detail = next(t for t in _blocks(doc, Table) if t.caption == qinghua.name)
    assert any(r[2] == "爱心人士捐款，电话***" for r in detail.rows)
    reasons = {(m.original, m.shown): m.reason for m in doc.masked}
    assert reasons[("欧阳娜娜", "爱心人士")] == "未记录公开同意"
    assert reasons[("0818-***1234", "***")] == reasons[("***1238", "***")] == "私人电话已隐去"
    assert reasons[("511781********1234", "***")] == reasons[("622202*********0123", "***")] == "身份证号或账号已隐去"
    assert _field(doc, "监督电话") == "万源市慈善会：0818-8622345；八台镇民政办：(0818)8627890；政务服务便民热线：12345"


def test_amounts_vouchers_dates_and_public_phones_are_not_touched(own):
    with own.reading() as s:
        site = project_queries.project_sites(s, own.project.id)[0]
    ordinary = ("凭证2024-0014、2024-0015 2024-0016，2024-12-20至2025年1月5日，支出¥1,150.00（1,150.00元），"
                "发放250份，票据51010124 0003518，编号20241220，时间09:30-11:00，电话费8000元。"
                "项目负责人电话13551281592，监督电话0818-8622345、(0818)8627890、12345，电话：8622345。")
    activities.add_activity(own, ActivityInput(
        project_id=own.project.id, site_id=site.id, activity_type="慈善服务", title="物资发放",
        start_date=date(2024, 12, 21), public=True, summary=ordinary))
    doc = _build(own, supervision=PUBLIC_LINES)
    assert next(i.body for i in _blocks(doc, Item) if i.lead == "物资发放。") == ordinary
    assert not any(m.shown == "***" for m in doc.masked)
    donations = _build(own, supervision=PUBLIC_LINES, template="donations")
    assert any(r[-1] == "51010124 0003518" for t in _blocks(donations, Table) for r in t.rows)  # receipt numbers


# ------------------------------------------------------------------------------------------- bad input


def test_drafts_in_the_period_are_listed_then_excluded_on_request(demo):
    after_the_pilot = dict(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31), today=TODAY)
    with demo.reading() as s:
        with pytest.raises(DraftsInPeriod) as caught:
            build_notice(s, demo.root, NoticeRequest(demo.project.id, **after_the_pilot))
    error = caught.value
    assert isinstance(error, UserError)
    assert [(d.entry_date, d.summary, d.amount_fen) for d in error.drafts] == [
        (date(2025, 3, 10), "慈善阵地2025年3月水电费", 86_000),
        (date(2025, 3, 12), "志愿者交通补贴（3月）", 60_000)]
    assert "记账" in error.message and "不计入草稿" in error.message
    assert "2025-03-10 慈善阵地2025年3月水电费 ¥860.00" in str(error)
    doc = _build(demo, exclude_drafts=True, **after_the_pilot)
    everything = "\n".join(doc.texts())
    assert "注：本期另有2笔尚未记账的草稿（合计¥1,460.00）未列入本公示" in everything
    details = [t for t in _blocks(doc, Table) if t.columns[0].title == "凭证号"]
    assert not any("水电费" in r[2] for t in details for r in t.rows)
    # the pilot's own period (the default) has no drafts: the demo notice needs no choice
    with demo.reading() as s:
        build_notice(s, demo.root, NoticeRequest(demo.project.id, today=TODAY))


def test_covered_entries_are_the_posted_entries_of_the_period(demo):
    expense = sum(o for _i, o in _period_sums(demo).values())
    with demo.reading() as s:
        entries = covered_entries(s, NoticeRequest(demo.project.id, today=TODAY))
        assert len(entries) == 42 and all(e.status == "posted" and e.chain_hash for e in entries)
        assert sum(e.amount_fen for e in entries if e.flow == "out") == expense
        donations = covered_entries(s, NoticeRequest(demo.project.id, template="donations", today=TODAY))
        assert len(donations) == 16 and {e.entry_type for e in donations} == {"donation"}
        assert len(covered_entries(s, NoticeRequest(demo.project.id, date_to=date(2024, 3, 31), today=TODAY))) == 2


def test_project_without_leaders_or_period(own):
    empty = projects.add_project(own, projects.ProjectInput(
        name="无负责人的项目", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("1000")))
    with own.reading() as s:
        with pytest.raises(UserError, match="请先在“项目”页填写项目负责人和联系电话"):
            build_notice(s, own.root, NoticeRequest(empty.id, today=TODAY))
    future = projects.add_project(own, projects.ProjectInput(
        name="明年的项目", start_date=date(2027, 1, 1), end_date=date(2027, 12, 31), budget=Decimal("1000"),
        leaders=[projects.LeaderInput("蒲栋", "万源市慈善会秘书长", "13551281592")]))
    with own.reading() as s:
        with pytest.raises(UserError, match="还没有可以公示的期间"):
            build_notice(s, own.root, NoticeRequest(future.id, today=TODAY))


def test_missing_display_copy_is_rebuilt_and_a_missing_original_is_named(own):
    with own.reading() as s:
        photo = s.exec(select(Photo).where(Photo.caption == "青花试点工作讨论会")).one()
    display = photo_files.display_path(own.root, photo.sha256)
    display.unlink()
    doc = _build(own)
    assert display.is_file() and display in [p.path for p in _blocks(doc, PhotoGrid)[0].photos]
    display.unlink()
    own.attachment_path(photo.sha256).unlink()
    with pytest.raises(UserError, match="“青花试点工作讨论会”.*重新添加"):
        _build(own)


def test_stale_completion_figure_is_rewritten_from_the_ledger(own):
    with own.reading() as s:
        data = projects.project_input(s, own.project)
    data.completion = "现拨付资金共30万元用于慈善阵地建设。两个试点阵地均已投入使用。"
    projects.update_project(own, own.project.id, data)
    doc = _build(own)
    assert _field(doc, "项目完成情况") == "现拨付资金共31.6万元，用于阵地建设、活动开展等。两个试点阵地均已投入使用。"
    assert any("与台账不符" in m.reason for m in doc.masked)


def test_supervision_phones_from_settings_or_blank_lines(demo, own):
    assert _field(_build(demo), "监督电话") == ("万源市慈善会：0818-8622345；青花镇、八台镇民政办：0818-8627890；"
                                               "政务服务便民热线：12345")
    assert not any("监督电话" in n for n in _build(demo).advice)
    settings.set_setting(own, "notice.association_phone", "")
    settings.set_setting(own, "notice.civil_affairs_name", "属地乡镇（街道）民政办")
    settings.set_setting(own, "notice.civil_affairs_phone", " ")
    blank = _build(own)
    assert _field(blank, "监督电话") == "万源市慈善会：______；属地乡镇（街道）民政办：______；政务服务便民热线：12345"
    assert any("监督电话未填写：万源市慈善会、属地乡镇（街道）民政办" in n and "设置 › 信息公示" in n for n in blank.advice)
    for key, value in {"notice.association_phone": "0818-8621234", "notice.civil_affairs_name": "青花镇民政办",
                       "notice.civil_affairs_phone": "13800001234", "notice.days": "10"}.items():
        settings.set_setting(own, key, value)
    doc = _build(own)
    assert _field(doc, "监督电话") == "万源市慈善会：0818-8621234；青花镇民政办：13800001234；政务服务便民热线：12345"
    assert _field(doc, "公示期") == "2025年1月5日至2025年1月14日"
    custom = _build(own, supervision=[("八台镇民政办", "0818-1234567")], notice_start=date(2025, 1, 6),
                    notice_end=date(2025, 1, 12), objections_text="请向八台镇民政办书面反映。")
    assert _field(custom, "监督电话") == "八台镇民政办：0818-1234567"
    assert _field(custom, "公示期") == "2025年1月6日至2025年1月12日"
    assert _field(custom, "意见反馈") == "请向八台镇民政办书面反映。"


# ------------------------------------------------------------------------------------------- other templates


def test_progress_notice(demo):
    doc = _build(demo, template="progress")
    assert doc.title_lines == [PROJECT_NAME, "项目进展公示", "（2024年12月1日至2025年2月28日）"]
    assert [h.text for h in _blocks(doc, Heading) if h.level == 1] == [
        "一、项目信息", "二、本期进展", "三、本期经费收支", "四、活动照片", "五、公示期与监督"]
    assert [i.lead for i in _blocks(doc, Item)] == [BATAI_LEADS[2], BATAI_LEADS[5]]
    spaces = next(t for t in _blocks(doc, Table) if t.caption == "慈善阵地建设进度")
    assert spaces.rows == (("“Ai青花”慈善服务阵地", "100%", "2024-10-09 桌椅及服务设备到位，建成"),
                           ("八台镇天池村慈善阵地", "70%", "2024-11-08 装修装饰施工完成70%"))
    assert _field(doc, "本期收入") == "¥8,000.00（人民币捌仟元整）"
    assert _field(doc, "本期支出") == "¥28,050.00（人民币贰万捌仟零伍拾元整）"
    assert _field(doc, "期末结余").startswith("¥70,460.00（人民币柒万零肆佰陆拾元整）")
    assert "项目主要内容和绩效目标" not in doc.texts()


def test_donations_notice(demo):
    doc = _build(demo, template="donations")
    assert doc.title_lines == [PROJECT_NAME, "捐赠公示", "（2024年2月1日至2025年2月28日）"]
    tables = [t for t in _blocks(doc, Table) if t.columns[1].title == "捐赠方"]
    assert len(tables) == 2
    rows = [r for t in tables for r in t.rows]
    assert ("2024-06-18", "爱心人士", "¥500.00", "非限定", "51010124 0003518") in rows
    assert ("2024-06-10", "万源市鑫达建材有限公司", "¥20,000.00", "慈善阵地建设", "51010124 0003512") in rows
    for t in tables:
        total = sum(_fen(r[2]) for r in t.rows)
        assert _fen(t.totals[0][2]) == total and t.totals[1] == (f"大写：{capital_yuan(total, prefix='人民币')}",)
    assert sum(_fen(r[2]) for r in rows) == 3_276_000
    goods = next(t for t in _blocks(doc, Table) if t.caption.startswith("物资接收"))
    assert {r[1] for r in goods.rows} == {"爱心人士", "万源市巴山商贸有限公司"}  # bought goods are not donations
    hidden = _build(demo, template="donations", show_receipt_no=False)
    assert all(len(t.columns) == 4 for t in _blocks(hidden, Table) if t.columns[1].title == "捐赠方")
