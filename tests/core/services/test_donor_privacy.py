"""The public donor list — the 公示版 export, `report donors` and the notice — masks consenting individuals
(张*友) by their recorded kind, and treats a donation of unknown kind as an individual's."""

from desktop_app.core.exports.reports import export_report
from desktop_app.core.notices.redaction import PrivacyPass
from desktop_app.core.queries import reports
from desktop_app.core.services import ledger
from tests.helpers import make_entry

PEOPLE = ("王学军", "欧阳学文", "陈会", "李行")


def donate(ws, name, kind, amount="100"):
    ledger.add_entry(ws, make_entry(ws, "donation", amount, category="个人捐赠", counterparty_name=name,
                                    counterparty_kind=kind, publish_consent=True), post=True)


def test_public_donor_list_masks_consenting_people_whatever_their_names(workspace):
    for name in PEOPLE:
        donate(workspace, name, "个人")
    donate(workspace, "张大友", "")  # kind not recorded: treated as a person
    donate(workspace, "万源市鑫达建材有限公司", "企业", "500")
    with workspace.reading() as s:
        public = {r.name for r in reports.donor_list(s, workspace.fund.id, public=True)}
        internal = {r.name for r in reports.donor_list(s, workspace.fund.id, public=False)}
    assert public == {"王*军", "欧**文", "陈*", "李*", "张*友", "万源市鑫达建材有限公司"}
    assert internal >= set(PEOPLE)


def test_the_public_export_prints_no_individuals_full_name(workspace, tmp_path):
    for name in PEOPLE:
        donate(workspace, name, "个人")
    out = tmp_path / "捐赠人.xlsx"
    export_report(workspace, "donors", out, fund_id=workspace.fund.id)
    from openpyxl import load_workbook

    wb = load_workbook(out, read_only=True)
    cells = {str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None}
    wb.close()
    assert not any(name in cell for name in PEOPLE for cell in cells)
    assert {"王*军", "欧**文", "陈*", "李*"} <= cells


def test_the_notice_masks_people_by_kind():
    p = PrivacyPass(set(), set())
    assert [p.donor(n, "个人", False, True) for n in PEOPLE] == ["王*军", "欧**文", "陈*", "李*"]
    assert p.donor("王学军", "", False, True) == "王*军"
    assert p.donor("万源市鑫达建材有限公司", "企业", False, True) == "万源市鑫达建材有限公司"


def test_every_number_form_is_kept_out_of_the_public_donor_export_and_report(workspace, tmp_path):
    """An organisation's name printed in full still loses the private numbers typed into it, in each of
    the issue's forms (before: all eleven printed in clear in the 公示版 export and `report donors`)."""
    from openpyxl import load_workbook

    from desktop_app.core.privacy import digits_of
    from tests.core.notices.test_privacy_forms import FORMS, compact

    for k, form in enumerate(FORMS):
        donate(workspace, f"巴山商贸{k}号店 联系{form}", "企业", str(100 + k))
    with workspace.reading() as s:
        report = [r.name for r in reports.donor_list(s, workspace.fund.id, public=True)]
    out = tmp_path / "捐赠人.xlsx"
    export_report(workspace, "donors", out, fund_id=workspace.fund.id)
    wb = load_workbook(out, read_only=True)
    cells = [str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    wb.close()
    for k, form in enumerate(FORMS):
        for printed in (report, cells):
            shown = [t for t in printed if f"巴山商贸{k}号店" in t]
            kept = "电话：" if form.startswith("电话：") else ""  # the lead word stays, the number goes
            assert shown == [f"巴山商贸{k}号店 联系{kept}***"], (k, shown)
            assert not any(digits_of(form) in compact(t) for t in printed)
