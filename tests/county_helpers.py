"""Township and county workspaces for the sync and county-mode tests."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop_app.core.services import ledger, office, projects
from desktop_app.core.storage.workspace import Workspace

COUNTY = "万源市慈善会"


def township(root: Path, name: str = "八台镇社工站", code: str = "511781107000",
             fund: str = "八台镇尚善社区基金", amounts=("1000", "250.50")) -> Workspace:
    """A township workspace with one fund and an allocation and expense posted (the first of `amounts` in,
    the rest out)."""
    ws = Workspace.open(root, create=True, auto_backup=False)
    office.init_office(ws, name=name, division_code=code, association=COUNTY)
    ws.fund, _ = projects.add_fund(ws, projects.FundInput(name=fund))
    for i, amount in enumerate(amounts):
        kind, category = ("allocation", "项目拨款") if i == 0 else ("expense", "活动开展")
        scan = root.parent / f"{root.name}-发票{i}.jpg"
        scan.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice " + f"{name}{i}".encode())
        entry = ledger.add_draft(ws, ledger.EntryInput(
            fund_id=ws.fund.id, entry_date=date(2024, 3, 1 + i), entry_type=kind, amount=Decimal(amount),
            summary=f"测试{i}", category=category, attachments=[scan] if kind == "expense" else []))
        ledger.post_entry(ws, entry.id)
    return ws


def county(root: Path) -> Workspace:
    """A county association's workspace (county mode), with nothing of its townships yet."""
    ws = Workspace.open(root, create=True, auto_backup=False)
    office.init_office(ws, name=COUNTY, division_code="511781000000", association=COUNTY, level="县级慈善会")
    return ws


def copy_into_county(tws: Workspace, cws: Workspace) -> None:
    """Every record of township `tws` in county `cws`, sent as a full sync package."""
    from desktop_app.core.demo.county import copy_into_county as send

    send(tws, cws)
