"""Private facts stay home: a package never holds a donor's private contact, a beneficiary's phone or
sensitive facts, a beneficiary's full name, the answers to a survey's private questions, or a phone number
typed into the free texts that travel — however it was typed."""

import zipfile
from datetime import date
from decimal import Decimal

from desktop_app.core.services import activities, ledger, projects, survey_entry, surveys, sync
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire
from desktop_app.core.sync.fields import MASKED_NAMES, REDACTED_TEXTS, STAYS_HOME
from tests.county_helpers import township

PHONE, ID_NUMBER = "13908181234", "511781199001011234"


def package_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("records.jsonl").decode("utf-8")


def test_private_facts_never_travel(tmp_path):
    ws = township(tmp_path / "t")
    project = projects.add_project(ws, projects.ProjectInput(
        name="邻里互助", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), budget=Decimal("1000")))
    ledger.add_entry(ws, ledger.EntryInput(
        fund_id=ws.fund.id, entry_date=date(2024, 3, 5), entry_type="donation", amount=Decimal("500"),
        summary="个人捐赠", category="个人捐赠", counterparty_name="张明华", counterparty_kind="个人",
        counterparty_contact=f"手机 {PHONE}"), post=True)
    activities.add_activity(ws, activities.ActivityInput(
        project_id=project.id, activity_type="慈善服务", title="入户慰问", start_date=date(2024, 3, 6),
        summary="联系人电话１３９０８１８１２３４，请提前预约", beneficiaries={"老年人": 1},
        named=[activities.NamedInput(name="李秀英", group_name="老年人", sensitive_facts="低保、独居",
                                     phone=PHONE)]))
    form = Questionnaire("需求调查", [
        Question("Q1", "您的姓名和电话", "text", private=True),
        Question("Q2", "您最需要的服务", "single", options=[Option(1, "养老服务"), Option(2, "其他（请注明）", other=True)]),
    ])
    survey = surveys.create_survey_for(ws, project.id, "需求调查", form, origin="设计")
    survey_entry.save_paper_form(ws, survey.id, survey_entry.PaperForm(
        "001", {"Q1": {"t": f"王五 {PHONE}"}, "Q2": {"c": [2], "t": f"请打 {PHONE} 联系"}}))
    made = sync.export_package(ws, tmp_path)
    text = package_text(made.path)
    assert PHONE not in text and "１３９０８１８１２３４" not in text
    assert "低保、独居" not in text and "李秀英" not in text and "李*英" in text
    assert "王五" not in text
    assert '"counterparty_name": "张明华"' in text  # chain-hashed fields travel as posted (masked in print)
    for table, fields in (STAYS_HOME | MASKED_NAMES).items():
        assert all(reason for reason in fields.values()), table  # every field says why
    assert all(REDACTED_TEXTS.values())


def test_an_id_number_typed_in_a_photo_caption_or_note_travels_masked(tmp_path):
    from desktop_app.core.sync.fields import travelling_payload

    got = travelling_payload("goods_movement", {"id": "x", "note": f"领取人身份证 {ID_NUMBER}"}, {})
    assert ID_NUMBER not in got["note"] and "***" in got["note"]
