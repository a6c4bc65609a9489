"""Editing a notice draft: stable keys on the editable blocks, edits applied in place before the privacy
pass, edits that no longer apply reported, the ledger's figures kept, and verification of an edited
notice. The demo workspace (seed 004) is built once for the module and copied for the tests that write."""

import shutil
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.core.demo.build import PROJECT_NAME, build_demo
from desktop_app.core.documents.model import Field, Heading, Item, Paragraph, Table
from desktop_app.core.errors import UserError
from desktop_app.core.notices import codes
from desktop_app.core.notices import request as notice_request
from desktop_app.core.notices import verify as notice_verify
from desktop_app.core.notices.request import NoticeRequest, resolve_request
from desktop_app.core.notices.templates import build_notice
from desktop_app.core.notices.wording import check_edits, editable_texts
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import notices
from desktop_app.core.storage.workspace import Workspace
from tests.core.notices.test_notice_service import install_fast_pdf

TODAY = date(2026, 1, 10)
WRITTEN = date(2025, 1, 5)
YEAR_2024 = {"date_to": date(2024, 12, 31), "written_on": WRITTEN}
SURVEY = "青花前期调研：居民需求问卷。"  # the second Qinghua item of seed 004
COMPLETION = "现拨付资金共31.6万元，已全部用于两个试点的慈善阵地建设、社区活动和骨干培训。"
BODY = "面向立信社区居民发放问卷326份，收回有效问卷301份。\n问卷结果已在居民议事会上通报。"


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("edits") / "demo")


def _open_copy(source, target) -> Workspace:
    shutil.copytree(source, target)
    ws = Workspace.open(target, auto_backup=False)
    with ws.reading() as s:
        ws.project = project_queries.resolve_project(s, PROJECT_NAME)
    return ws


@pytest.fixture(scope="module")
def demo(pristine, tmp_path_factory):
    ws = _open_copy(pristine, tmp_path_factory.mktemp("shared") / "ws")
    yield ws
    ws.close(backup=False)


@pytest.fixture
def own(pristine, tmp_path, monkeypatch):
    install_fast_pdf(monkeypatch)
    ws = _open_copy(pristine, tmp_path / "ws")
    yield ws
    ws.close(backup=False)


def _build(ws, edits=None, **extra):
    values = {"today": TODAY, "written_on": WRITTEN, "exclude_drafts": True} | extra
    with ws.reading() as s:
        return build_notice(s, ws.root, NoticeRequest(ws.project.id, edits=edits or {}, **values))


@pytest.fixture(scope="module")
def plain(demo):
    return _build(demo)


def _item(doc, lead: str) -> Item:
    return next(b for b in doc.blocks if isinstance(b, Item) and b.lead == lead)


def _field(doc, label: str) -> Field:
    return next(b for b in doc.blocks if isinstance(b, Field) and b.label == label)


def _key(doc, lead: str) -> str:
    return _item(doc, lead).key


# ------------------------------------------------------------------------------------------- keys


def test_keys_mark_the_editable_blocks_and_stay_the_same_on_a_rebuild(demo, plain):
    keyed = [b for b in plain.blocks if getattr(b, "key", "")]
    keys = [b.key for b in keyed]
    assert len(keys) == len(set(keys))
    items = [b for b in plain.blocks if isinstance(b, Item)]
    assert len(items) == 10 and all(i.key.startswith("item:") for i in items)
    sites = [b for b in plain.blocks if isinstance(b, Heading) and b.level == 2 and b.key]
    assert [h.text for h in sites] == ["青花镇立信社区慈善试点情况", "八台镇天池村慈善试点情况"]
    assert all(h.key.startswith("heading:site:") for h in sites)
    assert [b.label for b in keyed if isinstance(b, Field)] == ["项目主要内容和绩效目标", "项目完成情况", "意见反馈"]
    assert _field(plain, "项目完成情况").key == "field:项目完成情况"
    # section headings, the project's facts, money fields and paragraphs stating figures carry no key
    assert not any(b.key for b in plain.blocks if isinstance(b, Heading) and b.level == 1)
    for label in ("项目名称", "项目周期", "资金额度", "联系方式", "本期拨入资金", "本期支出", "期末结余", "公示期", "监督电话"):
        assert _field(plain, label).key == ""
    assert not any(b.key for b in plain.blocks if isinstance(b, Paragraph) and "¥" in b.text)
    assert [b.key for b in _build(demo).blocks if getattr(b, "key", "")] == keys  # stable across rebuilds


def test_tables_photos_and_money_have_no_key_and_cannot_be_edited(plain):
    assert "key" not in {f.name for f in fields(Table)}
    assert any(isinstance(b, Table) for b in plain.blocks)
    for bad in ("table:按支出类别", "photo:1", "signoff:", "项目完成情况"):
        with pytest.raises(UserError, match="没有.*这个可修改的位置"):
            check_edits({bad: "x"})
    money = [e for e in editable_texts(plain) if "¥" in e.text]
    assert money == []


def test_keys_do_not_change_what_is_compared_or_hashed(plain):
    assert Item("（一）", "甲。", "乙", key="item:a") == Item("（一）", "甲。", "乙")
    texts = plain.texts()
    assert not any(t.startswith(("item:", "field:", "heading:")) for t in texts)


def test_editable_texts_in_document_order(plain):
    found = editable_texts(plain)
    assert [(e.label, e.part) for e in found[:4]] == [("项目主要内容和绩效目标", "text"), ("项目完成情况", "text"),
                                                      ("青花镇立信社区慈善试点情况", "text"),
                                                      ("（一）青花试点工作讨论会（试点专题工作…", "lead")]
    survey = [e for e in found if e.key == _key(plain, SURVEY)]
    assert [(e.label, e.part) for e in survey] == [("（二）青花前期调研：居民需求问卷。", "lead"), ("（二）青花前期调研：居民需求问卷。", "body")]
    assert survey[0].text == SURVEY and survey[1].text == _item(plain, SURVEY).body
    assert survey[0].group == "青花镇立信社区慈善试点情况" and not survey[0].multiline and survey[1].multiline
    assert found[-1].label == "意见反馈" and found[-1].group == "六、公示期与监督"
    assert len(found) == 2 + 2 + 2 * 10 + 1 and not any(e.edited for e in found)


# ------------------------------------------------------------------------------------------- applying


def test_edits_appear_in_place_and_nothing_else_changes(demo, plain):
    key = _key(plain, SURVEY)
    doc = _build(demo, {"field:项目完成情况": {"text": COMPLETION}, key: {"body": BODY}})
    assert _field(doc, "项目完成情况").text == COMPLETION
    item = _item(doc, SURVEY)
    assert item.body == BODY and item.number == "（二）" and item.key == key
    assert doc.blocks.index(item) == plain.blocks.index(_item(plain, SURVEY))
    before, after = plain.texts(), doc.texts()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [(_field(plain, "项目完成情况").text, COMPLETION), (_item(plain, SURVEY).body, BODY)]
    assert sorted(doc.edited) == sorted([("field:项目完成情况", "text"), (key, "body")])
    assert doc.notes == []
    flags = {(e.key, e.part): e.edited for e in editable_texts(doc)}
    assert flags[(key, "body")] and not flags[(key, "lead")] and flags[("field:项目完成情况", "text")]


def test_a_lead_a_site_heading_and_the_objections_can_be_edited(demo, plain):
    key = _key(plain, SURVEY)
    site = next(b.key for b in plain.blocks if isinstance(b, Heading) and b.text == "八台镇天池村慈善试点情况")
    doc = _build(demo, {key: {"lead": "青花居民需求调研。"}, site: "八台镇天池村试点情况",
                        "field:意见反馈": "有异议请向万源市慈善会反映。"})
    item = next(b for b in doc.blocks if isinstance(b, Item) and b.key == key)
    assert item.lead == "青花居民需求调研。" and item.body == _item(plain, SURVEY).body  # the body as it was
    assert "八台镇天池村试点情况" in doc.texts() and "八台镇天池村慈善试点情况" not in doc.texts()
    assert _field(doc, "意见反馈").text == "有异议请向万源市慈善会反映。"


def test_a_plain_string_edits_the_main_part(demo, plain):
    key = _key(plain, SURVEY)
    assert check_edits({key: " 正文 ", "field:项目完成情况": "文字"}) == {
        key: {"body": "正文"}, "field:项目完成情况": {"text": "文字"}}
    doc = _build(demo, {key: "新的正文"})
    assert _item(doc, SURVEY).body == "新的正文"


def test_the_completion_keeps_the_ledger_figure(demo):
    doc = _build(demo, {"field:项目完成情况": "两个试点的阵地已建成并投入使用。"})
    text = _field(doc, "项目完成情况").text
    assert text.startswith("现拨付资金共31.6万元") and text.endswith("两个试点的阵地已建成并投入使用。")
    assert any("须与台账一致" in n and "31.6万元" in n for n in doc.notes)
    wrong = _build(demo, {"field:项目完成情况": "现拨付资金共50万元。阵地已建成。"})
    text = _field(wrong, "项目完成情况").text
    assert "50万元" not in text and "31.6万元" in text and text.endswith("阵地已建成。")
    assert any(m.original == "现拨付资金共50万元。" and "与台账不符" in m.reason for m in wrong.masked)
    assert any("与台账不符的拨付金额已删去" in n for n in wrong.notes)
    same = _build(demo, {"field:项目完成情况": "现拨付资金共31.60万元，用于阵地。"})  # the same figure written otherwise
    assert _field(same, "项目完成情况").text == "现拨付资金共31.60万元，用于阵地。" and same.notes == []


def test_a_phone_or_a_name_typed_into_an_edit_is_removed_and_listed(demo, plain):
    key = _key(plain, SURVEY)
    doc = _build(demo, {key: {"body": "感谢张明华捐赠，联系人电话13908181234，负责人电话13551281592。"},
                        "field:项目完成情况": "现拨付资金共31.6万元，身份证号510101199001011234的经办人已签收。"})
    body = _item(doc, SURVEY).body
    assert "张明华" not in body and "爱心人士" in body
    assert "13908181234" not in body and "***" in body and "13551281592" in body  # a leader's phone is public
    completion = _field(doc, "项目完成情况").text
    assert "510101199001011234" not in completion and "***" in completion
    masked = {(m.original, m.shown, m.reason) for m in doc.masked}
    assert ("139****1234", "***", "私人电话已隐去") in masked
    assert ("张明华", "爱心人士", "未记录公开同意") in masked
    assert any(m.reason == "身份证号或账号已隐去" for m in doc.masked)
    assert not any("13908181234" in t or "张明华" in t for t in doc.texts())


def test_an_edit_that_no_longer_applies_is_reported(demo, plain):
    survey = _key(plain, SURVEY)
    qinghua = next(b.key for b in plain.blocks if isinstance(b, Heading) and b.text.startswith("青花镇"))
    # the progress notice of the last three months holds only two 八台 items
    doc = _build(demo, {survey: "新正文", qinghua: "青花", "item:no-such-activity": "x"}, template="progress")
    assert len(doc.notes) == 1
    note = doc.notes[0]
    assert note.startswith("有 3 处修改已不适用：") and "活动“青花前期调研：居民需求问卷”已不在本公示中" in note
    assert "“青花镇立信社区”部分的小标题" in note and "一项已删除的活动" in note
    assert "新正文" not in doc.texts() and doc.edited == []
    goals = _build(demo, {"field:项目主要内容和绩效目标": "目标"}, template="donations")
    assert "“项目主要内容和绩效目标”一项（捐赠公示中没有这一项）" in goals.notes[0]


@pytest.mark.parametrize(("edits", "message"), [
    ({"field:项目完成情况": "第一行\x07"}, "不可见的控制字符"),
    ({"item:a": {"lead": "两\n行"}}, "修改后的标题句.*只能写一行.*请删去换行，写成一行普通文字"),
    ({"item:a": {"body": "缩进\t正文"}}, "制表符"),
    ({"item:a": {"lead": "字" * 201}}, "太长（201 字）.*200 字以内"),
    ({"heading:site:a": "字" * 101}, "100 字以内"),
    ({"field:项目完成情况": "字" * 5001}, "5000 字以内"),
    ({"item:a": {"lead": "  "}}, "不能为空"),
    ({"item:a": {"title": "x"}}, "没有“title”这一部分可改"),
    ({"item:a": {}}, "应写明修改哪一部分"),
    ({"item:a": {"body": 3}}, "应为文字"),
    ({"field:项目完成情况": {"lead": "x"}}, "没有“lead”这一部分可改"),
    (["item:a"], "格式不对"),
])
def test_bad_edits_are_refused_in_chinese(demo, edits, message):
    with pytest.raises(UserError, match=message):
        check_edits(edits)
    with demo.reading() as s, pytest.raises(UserError, match=message):
        resolve_request(s, NoticeRequest(demo.project.id, today=TODAY, edits=edits))


def test_an_empty_body_and_windows_line_ends_are_accepted():
    assert check_edits({"item:a": {"body": ""}}) == {"item:a": {"body": ""}}
    assert check_edits({"para:no-activities": "一\r\n二\r三"}) == {"para:no-activities": {"text": "一\n二\n三"}}


# ------------------------------------------------------------------------------------------- stored and verified


def test_the_request_round_trips_through_json_with_its_edits(demo, plain):
    key = _key(plain, SURVEY)
    with demo.reading() as s:
        resolved = resolve_request(s, NoticeRequest(demo.project.id, today=TODAY,
                                                    edits={key: BODY, "field:项目完成情况": {"text": COMPLETION}}))
    assert resolved.edits == {key: {"body": BODY}, "field:项目完成情况": {"text": COMPLETION}}
    text = notice_request.request_to_json(resolved)
    back = notice_request.request_from_json(text)
    assert back == resolved and back.edits == resolved.edits
    with demo.reading() as s:
        assert resolve_request(s, back) == resolved  # resolving again changes nothing
    legacy = notice_request.request_from_json(text.replace('"edits"', '"edits_unknown"'))  # recorded before edits existed
    assert legacy.edits == {}


def _export(ws, tmp_path, edits, name="公示.pdf"):
    return notices.export_notice(ws, NoticeRequest(ws.project.id, edits=edits, **YEAR_2024), tmp_path / name)


def test_an_edited_draft_verifies_and_editing_again_gives_a_new_code(own, tmp_path):
    plain_code = _export(own, tmp_path, {}, "原文.pdf").notice.verification_code
    with own.reading() as s:
        doc = build_notice(s, own.root, NoticeRequest(own.project.id, **YEAR_2024))
    key = _key(doc, SURVEY)
    first = _export(own, tmp_path, {key: {"body": BODY}, "field:项目完成情况": COMPLETION})
    assert first.notes == [] and first.notice.verification_code != plain_code
    assert notice_request.request_from_json(first.notice.request_json).edits == {
        key: {"body": BODY}, "field:项目完成情况": {"text": COMPLETION}}
    result = notice_verify.verify_notice(own, first.notice.verification_code)
    assert result.ok and result.changes == [] and "数据未变" in result.summary
    again = _export(own, tmp_path, {key: {"body": BODY + "\n又改了一句。"}, "field:项目完成情况": COMPLETION})
    assert again.notice.id == first.notice.id  # the same draft, refreshed
    assert again.notice.verification_code not in (first.notice.verification_code, plain_code)
    assert notice_verify.verify_notice(own, again.notice.verification_code).ok
    with pytest.raises(codes.UnknownCode):
        notice_verify.verify_notice(own, first.notice.verification_code)  # that export was replaced


def test_a_stale_edit_is_returned_by_the_export_and_does_not_change_the_code(own, tmp_path):
    plain_code = _export(own, tmp_path, {}, "原文.pdf").notice.verification_code
    result = _export(own, tmp_path, {"item:no-such-activity": "x"})
    assert result.notes and "有 1 处修改已不适用" in result.notes[0]
    assert result.notice.verification_code == plain_code
    assert notice_verify.verify_notice(own, plain_code).ok


def test_a_published_notice_is_never_changed_by_edits(own, tmp_path):
    exported = _export(own, tmp_path, {"field:项目完成情况": COMPLETION})
    published = notices.publish_notice(own, exported.notice.id, published_on=date(2025, 1, 6))
    archived = (own.root / "notices" / published.pdf_name).read_bytes()
    edited = _export(own, tmp_path, {"field:项目完成情况": COMPLETION + "另有结余继续用于阵地运营。"}, "再改.pdf")
    assert not edited.reprint and edited.notice.id != published.id and edited.notice.status == "draft"
    with pytest.raises(UserError, match="已经发布过"):
        notices.publish_notice(own, edited.notice.id, published_on=date(2025, 1, 7))
    with own.reading() as s:
        again = s.get(type(published), published.id)
        assert (again.status, again.verification_code, again.request_json) == (
            "published", published.verification_code, published.request_json)
    assert (own.root / "notices" / published.pdf_name).read_bytes() == archived
    assert notice_verify.verify_notice(own, published.verification_code).ok
    same = _export(own, tmp_path, {"field:项目完成情况": COMPLETION}, "重印.pdf")
    assert same.reprint and same.notice.id == published.id  # the same edits: a reprint of the published one


# ------------------------------------------------------------------------------------------- the survey's result


def _survey_activity(ws):
    from sqlmodel import select

    from desktop_app.core.models import Activity
    with ws.reading() as s:
        return s.exec(select(Activity).where(Activity.title == "青花前期调研：居民需求问卷")).one()


def test_the_survey_item_states_the_surveys_result_from_the_responses(own):
    from dataclasses import replace

    from desktop_app.core.services import activities, survey_entry
    from desktop_app.core.services.survey_entry import PaperForm

    activity = _survey_activity(own)
    assert activity.survey_id  # the demo links the activity to the 青花 survey
    item = _item(_build(own), SURVEY)
    assert "共收集250份有效调查问卷" in item.body  # the typed figure matches the 250 valid forms: kept
    forms = [PaperForm(f"9{n:02d}", {"Q1": {"t": f"LX-9{n:02d}"}, "Q2": {"t": "立信社区一组"}, "Q4": {"c": [1]},
                                     "Q5": {"c": [6]}, "Q6": {"c": [1, 2]}}) for n in range(3)]
    survey_entry.save_paper_batch(own, activity.survey_id, forms)
    doc = _build(own)
    assert "共收集253份有效调查问卷" in _item(doc, SURVEY).body and "250份" not in _item(doc, SURVEY).body
    assert any(m.reason.startswith("有效问卷数与需求调查的数据不符") for m in doc.masked)
    with own.reading() as s:
        data = activities.activity_input(s, activity.id)
    activities.update_activity(own, activity.id, replace(data, summary="向辖区居民发放社会需求调查问卷。"))
    body = _item(_build(own), SURVEY).body
    assert body == "向辖区居民发放社会需求调查问卷。共收集253份有效调查问卷，需求排在前四位的是：亲子教育、养老服务、就业、环境卫生。"


def test_an_activity_cannot_name_another_projects_survey(own):
    from dataclasses import replace

    from desktop_app.core.services import activities, projects, surveys

    other = projects.add_project(own, projects.ProjectInput(name="另一个项目", start_date=date(2024, 1, 1),
                                                            end_date=date(2024, 12, 31), budget=Decimal(0)))
    foreign = surveys.create_from_template(own, other.id, "另一个项目的调查")
    activity = _survey_activity(own)
    with own.reading() as s:
        data = activities.activity_input(s, activity.id)
    with pytest.raises(UserError, match="所选需求调查不属于项目"):
        activities.update_activity(own, activity.id, replace(data, survey_id=foreign.id))
