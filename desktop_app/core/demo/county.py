"""A county association's workspace (county mode) holding two townships' records: for the county views'
tests and screenshots. Each township is built through the services as its staff would, then all its records
are sent to the county in a full sync package (exported, enrolled, imported — as by USB stick)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop_app.core.services import activities, county_sync, ledger, office, projects, surveys, sync
from desktop_app.core.storage.workspace import Workspace
from desktop_app.core.sync import keys, package

COUNTY = "万源市慈善会"
COUNTY_CODE = "511781000000"
# (office, division code, project, fund, amounts: the first allocated, the rest spent)
TOWNSHIPS = (
    ("八台镇社工站", "511781107000", "八台镇慈善试点", "万源市慈善会八台镇尚善社区基金", ("10000", "1250.50")),
    ("青花镇社工站", "511781104000", "青花镇慈善试点", "万源市慈善会青花镇立信社区基金", ("8000", "600", "320")),
)
COUNTY_FUND = "万源市慈善会县级统筹基金"


def build_township(root: Path, name: str, code: str, project_name: str, fund_name: str,
                   amounts: tuple[str, ...]) -> Workspace:
    """A township's workspace (left open): a project with its fund, an allocation and expenses posted, a draft,
    an activity and a needs survey."""
    ws = Workspace.open(root, create=True, auto_backup=False)
    office.init_office(ws, name=name, division_code=code, association=COUNTY)
    project = projects.add_project(ws, projects.ProjectInput(
        name=project_name, start_date=date(2024, 2, 1), end_date=date(2025, 2, 28), budget=Decimal("50000")))
    fund, _ = projects.add_fund(ws, projects.FundInput(name=fund_name, project_id=project.id))
    for i, amount in enumerate(amounts):
        kind, category = ("allocation", "项目拨款") if i == 0 else ("expense", "活动开展")
        scan = root.parent / f"{root.name}-发票{i}.jpg"  # an expense is posted with its voucher scan
        scan.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice " + f"{name}{i}".encode())
        ledger.add_entry(ws, ledger.EntryInput(
            fund_id=fund.id, entry_date=date(2024, 3, 1 + i), entry_type=kind, amount=Decimal(amount),
            summary=f"{name[:3]}{'拨款' if i == 0 else '活动支出'}{i}", category=category,
            attachments=[scan] if kind == "expense" else []), post=True)
    ledger.add_draft(ws, ledger.EntryInput(
        fund_id=fund.id, entry_date=date(2024, 4, 2), entry_type="expense", amount=Decimal("88"),
        summary=f"{name[:3]}待核对的支出", category="活动开展"))
    activities.add_activity(ws, activities.ActivityInput(
        project_id=project.id, activity_type="培训", title=f"{name[:3]}社工能力培训", start_date=date(2024, 3, 9),
        place=f"{name[:3]}便民服务中心", participants=30))
    surveys.create_from_template(ws, project.id, f"{name[:3]}居民需求调查")
    return ws


def copy_into_county(tws: Workspace, cws: Workspace) -> None:
    """Every record of township `tws` sent to county `cws` as the township would: a full package written
    beside the township's folder, enrolled (its fingerprint taken as confirmed) and imported."""
    made = sync.export_package(tws, tws.root.parent, full=True)
    try:
        signed = package.read(made.path, "package")
        county_sync.enrol(cws, made.path, keys.fingerprint(signed.key["public_key"]))
        [result] = county_sync.import_packages(cws, [made.path])
        if result.status != "applied":
            raise RuntimeError(result.reason)
    finally:
        made.path.unlink(missing_ok=True)


def build_county_demo(root: Path) -> Path:
    """The county's workspace at `root` (built beside it: townships in `root`'s sibling folders), with its own
    fund and an allocation, and both townships' records copied in. Returns `root`."""
    cws = Workspace.open(root, create=True, auto_backup=False)
    try:
        office.init_office(cws, name=COUNTY, division_code=COUNTY_CODE, association=COUNTY, level="县级慈善会")
        fund, _ = projects.add_fund(cws, projects.FundInput(name=COUNTY_FUND))
        ledger.add_entry(cws, ledger.EntryInput(
            fund_id=fund.id, entry_date=date(2024, 2, 20), entry_type="donation", amount=Decimal("20000"),
            summary="县级统筹捐赠", category="企业捐赠", counterparty_name="万源市某企业", counterparty_kind="企业"),
            post=True)
        for i, township in enumerate(TOWNSHIPS):
            tws = build_township(root.parent / f"{root.name}-township{i}", *township)
            try:
                copy_into_county(tws, cws)
            finally:
                tws.close(backup=False)
    finally:
        cws.close(backup=False)
    return root
