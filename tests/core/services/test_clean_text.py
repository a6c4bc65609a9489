"""Every text a user can enter passes the one text check, in every service: control, bidirectional and
emoji characters refused (the record unchanged), invisible ones removed with a notice, names compared
after normalisation, and rare name characters accepted — and printed in a notice."""

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from desktop_app.core.errors import UserError
from desktop_app.core.models import Category, Fund, Office, Project
from desktop_app.core.notices.request import NoticeRequest
from desktop_app.core.services import (
    activities,
    categories,
    goods,
    notices,
    office,
    photos,
    projects,
    settings,
    spaces,
)
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.validation import text_notices
from tests.helpers import FUND_NAME, table_rows

NO_FONT_HAS = "\ue000"


def refused(ws, call, *args, **kwargs) -> str:
    """The refusal's message; the database is what it was."""
    before = table_rows(ws.db_path)
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    assert table_rows(ws.db_path) == before
    return str(err.value)


def project_data(**changes) -> projects.ProjectInput:
    return replace(projects.ProjectInput(name="八台镇慈善试点", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31),
                                         budget=Decimal("100000"), goals="开展慈善活动"), **changes)


def office_args(**changes) -> dict:
    return {"name": "八台镇社工站", "division_code": "511781107000", "association": "万源市慈善会", **changes}


# ------------------------------------------------------------------ refused, nothing changed


def test_control_characters_in_a_category_name_are_refused(workspace):
    assert "类别名称只能写一行：第 3 个字符是换行" in refused(workspace, categories.add_category, workspace, "餐费\n补贴")
    assert "第 2 个字符是不可见的控制字符 U+0007" in refused(workspace, categories.add_category, workspace, "餐\x07费")


def test_a_category_that_differs_only_by_an_invisible_character_already_exists(workspace):
    categories.add_category(workspace, "慈善阵地运营")
    message = refused(workspace, categories.add_category, workspace, "慈善阵地运营\u200b")
    assert "类别“慈善阵地运营”已经存在" in message


def test_control_characters_in_a_fund_purpose_are_refused(workspace):
    data = projects.FundInput(name="万源市慈善会八台镇新风社区基金", purpose="助学\x0b助老")
    assert "基金用途的第 3 个字符是不可见的控制字符 U+000B" in refused(workspace, projects.add_fund, workspace, data)
    data = replace(data, purpose="助学\u202e助老")
    assert "基金用途的第 3 个字符是改变文字方向的不可见控制符 U+202E" in refused(workspace, projects.add_fund, workspace, data)
    line = replace(data, purpose="", agreement_no="XY-2024\n-01")
    assert "设立协议编号只能写一行" in refused(workspace, projects.add_fund, workspace, line)


def test_a_fund_name_differing_only_by_a_trailing_zero_width_space_is_refused(workspace):
    for twin in (FUND_NAME + "\u200b", FUND_NAME + "\ufeff", "\u3000" + FUND_NAME, FUND_NAME.replace("八台", "八\u2060台")):
        message = refused(workspace, projects.add_fund, workspace, projects.FundInput(name=twin))
        assert f"社区基金“{FUND_NAME}”已经存在" in message
    other, _ = projects.add_fund(workspace, projects.FundInput(name="万源市慈善会八台镇新风社区基金"))
    renamed = projects.FundInput(name=FUND_NAME + "\u200b")
    assert "已经存在" in refused(workspace, projects.update_fund, workspace, other.id, renamed)


def test_a_legacy_name_with_an_invisible_character_still_counts(workspace):
    """A fund stored before the check, with a zero-width space in its name, blocks its visible twin."""
    with workspace.transaction("test.legacy") as s:
        s.add(Fund(name="万源市慈善会八台镇旧名社区基金\u200b"))
    assert "已经存在" in refused(workspace, projects.add_fund, workspace,
                                 projects.FundInput(name="万源市慈善会八台镇旧名社区基金"))


def test_control_characters_in_project_goals_are_refused(workspace):
    message = refused(workspace, projects.add_project, workspace, project_data(goals="第一条\x07第二条"))
    assert "项目主要内容和绩效目标的第 4 个字符是不可见的控制字符 U+0007" in message
    assert "项目名称只能写一行" in refused(workspace, projects.add_project, workspace, project_data(name="八台\n试点"))
    leader = [projects.LeaderInput("黄国春", "联合会", "155\u202e83376966")]
    assert "第 1 位负责人的电话" in refused(workspace, projects.add_project, workspace, project_data(leaders=leader))


def test_office_name_with_a_newline_or_3000_characters_is_refused(workspace, tmp_path):
    message = refused(workspace, office.update_office, workspace, code_year=2024, **office_args(name="八台镇\n社工站"))
    assert "本单位名称只能写一行" in message
    message = refused(workspace, office.update_office, workspace, code_year=2024, **office_args(name="站" * 3000))
    assert "本单位名称太长（3000 字）。请精简到 60 字以内" in message
    assert "所属慈善会名称的第 3 个字符" in refused(workspace, office.update_office, workspace, code_year=2024,
                                                   **office_args(association="万源\x00市慈善会"))
    fresh = Workspace.open(tmp_path / "fresh", create=True, auto_backup=False)
    try:
        with pytest.raises(UserError, match="本单位名称太长（3000 字）"):
            office.init_office(fresh, **office_args(name="站" * 3000))
        assert not fresh.has_office()
    finally:
        fresh.close(backup=False)


def test_division_code_of_zeros_is_refused(workspace, tmp_path):
    message = refused(workspace, office.update_office, workspace, code_year=2024, **office_args(division_code="000000000000"))
    assert "区划代码“000000000000”不是真实的区划代码" in message and "前 6 位是所在县" in message
    fresh = Workspace.open(tmp_path / "fresh", create=True, auto_backup=False)
    try:
        with pytest.raises(UserError, match="不是真实的区划代码"):
            office.init_office(fresh, **office_args(division_code="000000000000"))
        assert not fresh.has_office()
    finally:
        fresh.close(backup=False)
    site = [projects.SiteInput("八台镇天池村", "000000000000")]
    assert "不是真实的区划代码" in refused(workspace, projects.add_project, workspace, project_data(sites=site))


def test_emoji_are_refused_at_entry(workspace):
    assert refused(workspace, projects.add_project, workspace, project_data(goals="关爱老人❤️")).startswith("不能输入表情符号")
    assert refused(workspace, categories.add_category, workspace, "聚餐🍚").startswith("不能输入表情符号：类别名称的第 3 个字符“🍚”")
    data = spaces.SpaceInput(name="慈善阵地🏠")
    assert refused(workspace, spaces.add_space, workspace, data).startswith("不能输入表情符号")


def test_a_character_no_font_prints_is_refused_at_entry_with_the_exports_message(workspace):
    message = refused(workspace, projects.add_fund, workspace,
                      projects.FundInput(name="万源市慈善会八台镇新风社区基金", committee=[(f"王{NO_FONT_HAS}", "主任", False)]))
    assert message.startswith("管委会第 1 位成员的姓名里有 1 个字在内置字体中没有字形，印出来会是空白：“\ue000”（U+E000，第 2 个字符）。")
    assert "写成拼音（如姓名中的生僻字写作“王yan”）" in message
    with pytest.raises(UserError, match="没有字形"):
        settings.set_setting(workspace, "notice.civil_affairs_name", f"青花镇{NO_FONT_HAS}民政办")


def test_every_service_of_typed_text_refuses_control_characters(workspace):
    """Goods, spaces, activities, photos, settings: the same check, the same words."""
    ws = workspace
    receipt = goods.GoodsReceiptInput(fund_id=ws.fund.id, movement_date=date(2024, 3, 1), item="大米\x07", unit="袋",
                                      quantity="10", donor_name="张三")
    assert "物资名称的第 3 个字符是不可见的控制字符" in refused(ws, goods.receive_goods, ws, receipt)
    receipt = replace(receipt, item="大米", donor_name="张\u202e三")
    assert "捐赠方名称的第 2 个字符是改变文字方向" in refused(ws, goods.receive_goods, ws, receipt)
    space = spaces.SpaceInput(name="立信阵地", milestones=[spaces.MilestoneInput(date(2024, 3, 1), 10, "动工\x1b")])
    assert "进度说明的第 3 个字符" in refused(ws, spaces.add_space, ws, space)
    assert "慈善会监督电话" in refused(ws, settings.set_setting, ws, "notice.association_phone", "0818\n8621234")
    project = projects.add_project(ws, project_data())
    activity = activities.ActivityInput(project_id=project.id, activity_type="慈善服务", title="慈善义诊",
                                        start_date=date(2024, 3, 2), place="八台\x07镇")
    assert "活动地点的第 3 个字符" in refused(ws, activities.add_activity, ws, activity)
    named = [activities.NamedInput("李\u202e四")]
    assert "第 1 位受益人的姓名的第 2 个字符" in refused(ws, activities.add_activity, ws, replace(activity, place="", named=named))
    message = refused(ws, photos.add_photos, ws, ["活动.jpg"], activity_id="any", captions={"活动.jpg": "合影\x07"})
    assert "照片“活动.jpg”的说明的第 3 个字符是不可见的控制字符 U+0007" in message


# ------------------------------------------------------------------ removed, with a notice


def test_invisible_characters_are_removed_with_a_notice(workspace):
    ws = workspace
    with text_notices() as said:
        fund, _ = projects.add_fund(ws, projects.FundInput(name="万源市慈善会八台\u200b镇新风社区基金\u00ad",
                                                           purpose="助学\ufeff助老", agreement_no="XY-2024-01\u200b"))
        cat = categories.add_category(ws, "\u2060阵地运营\u3000")
    with ws.reading() as s:
        stored = s.get(Fund, fund.id)
        assert (stored.name, stored.purpose, stored.agreement_no) == ("万源市慈善会八台镇新风社区基金", "助学助老", "XY-2024-01")
        assert s.get(Category, cat.id).name == "阵地运营"
    assert said[0] == "已删去社区基金名称里的 2 个不可见字符（零宽空格、软连字符）。它们多是从 Word 或网页复制时带进来的，看不见也印不出来，删去后文字不变。"
    assert any(n.startswith("已删去基金用途里的 1 个不可见字符（零宽不换行空格）") for n in said)
    assert any(n.startswith("已删去类别名称里的 1 个不可见字符") for n in said)


def test_office_names_are_trimmed_and_cleaned(workspace):
    office.update_office(workspace, code_year=2024, **office_args(name="\u3000八台镇社工站\u200b ", association=" 万源市慈善会\u00ad"))
    with workspace.reading() as s:
        stored = s.exec(select(Office)).one()
    assert (stored.name, stored.association_name) == ("八台镇社工站", "万源市慈善会")


# ------------------------------------------------------------------ rare name characters print


def test_a_rare_name_character_is_accepted_and_printed_in_a_notice(workspace, tmp_path):
    ws = workspace
    project = projects.add_project(ws, project_data(name="𠮷祥社区慈善试点", goals="为𠮷姓等村民提供服务",
                                                    leaders=[projects.LeaderInput("𠮷田", "社工", "0818-8621234")]))
    fund_data = replace(projects.FundInput(name=FUND_NAME), project_id=project.id)
    projects.update_fund(ws, ws.fund.id, fund_data)
    with ws.reading() as s:
        assert s.get(Project, project.id).goals == "为𠮷姓等村民提供服务"
    out = tmp_path / "公示.pdf"
    result = notices.export_notice(ws, NoticeRequest(project.id, date_to=date(2024, 12, 31), written_on=date(2025, 1, 5)), out)
    assert "HanaMinB" in result.info.fonts
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
        hana = [line for line in fonts.splitlines() if "HanaMinB" in line]
        assert hana and hana[0].split()[-5] == "yes"  # embedded
        text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
        assert "𠮷祥社区慈善试点" in "".join(text.split()) and "为𠮷姓等村民提供服务" in "".join(text.split())
