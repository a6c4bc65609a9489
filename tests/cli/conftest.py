"""The workspaces the CLI tests start from: a new one with a fund, a pilot project, and copies of the demo."""

import json
import shutil

import pytest

from desktop_app.cli.main import main
from desktop_app.core.demo.build import build_demo
from desktop_app.core.queries import projects as project_queries
from desktop_app.core.services import projects
from desktop_app.core.storage.workspace import Workspace
from tests.cli.helpers import FUND, PROJECT, ok
from tests.core.notices.test_notice_service import install_fast_pdf

OTHER_FUND = "万源市慈善会青花镇立信社区基金"


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    assert main(["--workspace", str(folder), "init", "--office", "八台镇社工站", "--division-code", "511781107000",
                 "--association", "万源市慈善会"]) == 0
    assert main(["--workspace", str(folder), "fund", "add", "--name", FUND]) == 0
    return folder


def _expense(folder, capsys, fund, voucher, amount="1200.50", summary="音乐会音响租赁") -> str:
    ok(folder, capsys, "entry", "add", "--fund", fund, "--date", "2024-03-01", "--type", "allocation", "--amount",
        "10000", "--category", "项目拨款", "--summary", "拨款", "--post")
    out = ok(folder, capsys, "entry", "add", "--fund", fund, "--date", "2024-12-20", "--type", "expense", "--amount",
             amount, "--category", "活动开展", "--expense-class", "慈善活动支出", "--summary", summary,
             "--attach", voucher, "--post", "--json")
    return json.loads(out)["id"]


@pytest.fixture
def pilot(tmp_path, capsys):
    """A project with two sites and its fund, a posted expense of it, and another project's expense."""
    folder = tmp_path / "ws"
    ok(folder, capsys, "init", "--office", "八台镇社工站", "--division-code", "511781107000", "--association", "万源市慈善会")
    ok(folder, capsys, "project", "add", "--name", PROJECT, "--start", "2024-02-01", "--end", "2025-02-28",
        "--budget", "90万")
    ok(folder, capsys, "project", "add", "--name", "另一个项目", "--start", "2024-02-01", "--end", "2025-02-28",
        "--budget", "1万")
    with Workspace.open(folder, auto_backup=False) as ws, ws.reading() as s:
        project = project_queries.resolve_project(s, PROJECT)
        data = projects.project_input(s, project)
    data.sites = [projects.SiteInput("青花镇立信社区"), projects.SiteInput("八台镇天池村")]
    with Workspace.open(folder, auto_backup=False) as ws:
        projects.update_project(ws, project.id, data)
    ok(folder, capsys, "fund", "add", "--name", FUND, "--project", PROJECT)
    ok(folder, capsys, "fund", "add", "--name", OTHER_FUND, "--project", "另一个项目")
    voucher = tmp_path / "发票.jpg"
    voucher.write_bytes(b"\xff\xd8\xff\xe0 scanned invoice")
    expense = _expense(folder, capsys, FUND, voucher)
    other = _expense(folder, capsys, OTHER_FUND, voucher, "300", "另一个项目的支出")
    return folder, expense, other


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("notice-cli") / "demo")


@pytest.fixture
def demo(demo_dir, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(demo_dir, folder)
    return folder


@pytest.fixture
def fast(demo, monkeypatch):
    install_fast_pdf(monkeypatch)
    return demo
