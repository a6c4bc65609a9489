"""`notice verify FILE` on the command line judges the file by what its pages show (issue 11): a figure drawn
over on the published notice exits 4 with the page named and what to do, on stderr (and in --json); a genuine
re-export exits 0; so does a reprint of a notice whose data holds characters the PDF writer does not draw.
The demo workspace (seed 004) with the real PDF writer."""

import json

from desktop_app.core.demo.build import BATAI_FUND, PROJECT_NAME
from desktop_app.core.models import Project
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services.settings import set_setting
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import YEAR_2024, ok, run
from tests.core.notices.forgery import draw_over
from tests.core.notices.test_verify_rendering import FIGURE, FORGED, post_expense


def set_up(folder, *, goals_extra="", **stored) -> None:
    """An expense of ¥9,600.00 posted in December 2024 (its `stored` fields written past the entry checks)."""
    with Workspace.open(folder, auto_backup=False) as ws:
        with ws.reading() as s:
            ws.project = project_queries.resolve_project(s, PROJECT_NAME)
            ws.fund = next(f for f in project_queries.list_funds(s) if f.name == BATAI_FUND)
        set_setting(ws, "require_expense_attachment", False)
        post_expense(ws, **stored)
        if goals_extra:
            with ws.transaction("test.setup") as s:
                project = s.get(Project, ws.project.id)
                project.goals += goals_extra


def export(folder, capsys, path) -> dict:
    return json.loads(ok(folder, capsys, "notice", "export", "--project", PROJECT_NAME, *YEAR_2024, "--out", path,
                         "--json"))


def test_a_figure_drawn_over_exits_4_and_names_the_page(demo, capsys, tmp_path):
    set_up(demo)
    exported = export(demo, capsys, tmp_path / "公示.pdf")
    ok(demo, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    page = draw_over(demo / "notices" / "2025-001.pdf", tmp_path / "伪造.pdf", FIGURE, FORGED)
    code, out = run(demo, "notice", "verify", tmp_path / "伪造.pdf", capsys=capsys)
    assert code == 4 and out.out == ""
    assert out.err.startswith(f"文件不符：“伪造.pdf”第 {page} 页与原件不同（") and FIGURE in out.err
    assert "可能被改动过" in out.err and "请以出具单位存档的公示为准" in out.err
    assert f"核验码 {exported['code']} 核验" in out.err and "核验码对应的数据本身未变" in out.err
    code, out = run(demo, "notice", "verify", tmp_path / "伪造.pdf", "--json", capsys=capsys)
    result = json.loads(out.out)
    assert code == 4 and result["ok"] is False and result["changes"] == [] and result["file_pages"] == [page]
    assert f"第 {page} 页与原件不同" in result["file_problem"]


def test_a_genuine_re_export_exits_0(demo, capsys, tmp_path):
    set_up(demo)
    exported = export(demo, capsys, tmp_path / "公示.pdf")
    ok(demo, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    again = export(demo, capsys, tmp_path / "重印.pdf")
    assert again["reprint"] is True
    for path in (tmp_path / "重印.pdf", tmp_path / "公示.pdf", demo / "notices" / "2025-001.pdf"):
        out = ok(demo, capsys, "notice", "verify", path)
        assert out.startswith("数据未变：")
    code, out = run(demo, "notice", "verify", tmp_path / "重印.pdf", "--json", capsys=capsys)
    assert code == 0 and json.loads(out.out)["file_pages"] == []


def test_a_reprint_of_a_notice_with_undrawn_characters_exits_0(demo, capsys, tmp_path):
    set_up(demo, summary="办公\u200b用品\u00ad采购\u2060（\u202e复印纸）", category="年末\x07慰问",
           goals_extra="\x07服务特殊困难群体\x1b。")
    exported = export(demo, capsys, tmp_path / "公示.pdf")
    ok(demo, capsys, "notice", "publish", exported["id"], "--date", "2025-01-06")
    assert export(demo, capsys, tmp_path / "重印.pdf")["reprint"] is True
    for path in (tmp_path / "重印.pdf", tmp_path / "公示.pdf", demo / "notices" / "2025-001.pdf"):
        code, out = run(demo, "notice", "verify", path, capsys=capsys)
        assert code == 0 and out.out.startswith("数据未变："), (path.name, out.err)
