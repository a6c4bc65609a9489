"""The entry point (`cli/main.py`): the real console script, opening a workspace that is locked, damaged,
newer or not SQLite, exit codes, and output that survives a GBK pipe."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from tests.cli.helpers import FUND, data_state, run


def test_workspace_that_is_not_sqlite(tmp_path, capsys):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "ledger.db").write_bytes(b"PK\x03\x04 a zip file")
    code, out = run(folder, "fund", "list", capsys=capsys)
    assert code == 1 and "不是台账数据库文件" in out.err


def test_console_script_runs_headless(tmp_path):
    folder = tmp_path / "ws"
    script = Path(sys.executable).with_name("charity-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop_app"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DISPLAY, no QT_QPA_PLATFORM
    result = subprocess.run([*command, "--workspace", str(folder), "init", "--office", "站", "--division-code",
                             "511781107000", "--association", "万源市慈善会"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([*command, "--workspace", str(folder), "fund", "list"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0 and "还没有社区基金" in result.stdout
    result = subprocess.run([*command, "--workspace", str(folder), "entry", "add"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 2 and "缺少必填参数" in result.stderr
    shutil.rmtree(folder)


def test_locked_damaged_and_newer_workspaces_exit_non_zero_unchanged(ws, capsys, tmp_path):
    import textwrap

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from desktop_app.core.storage.workspace import Workspace
        ws = Workspace.open({str(ws)!r}, auto_backup=False)
        print("ready", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = data_state(ws)
        code, out = run(ws, "entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "donation",
                        "--amount", "5", "--category", "个人捐赠", "--summary", "x", capsys=capsys)
        assert code == 1 and "正在被另一个窗口或程序使用" in out.err
        assert data_state(ws) == before
    finally:
        holder.kill()
        holder.wait()
    newer = tmp_path / "newer"
    shutil.copytree(ws, newer)
    conn = sqlite3.connect(newer / "ledger.db")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    code, out = run(newer, "fund", "list", capsys=capsys)
    assert code == 1 and "更新版本" in out.err and "请升级本程序" in out.err


def test_workspace_paths_with_uri_characters_and_a_gbk_pipe(tmp_path):
    """A folder like “3#楼/a%20b” must not be read as a URI; GBK output (redirected on Chinese Windows)
    has no “¥” — the command must still succeed instead of failing after its commit."""
    folder = tmp_path / "3#楼" / "a%20b"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONIOENCODING": "gbk"}

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "desktop_app", "--workspace", str(folder), *argv],
                              capture_output=True, env=env, cwd=Path(__file__).parents[2])

    assert cli("init", "--office", "站", "--division-code", "511781107000", "--association", "会").returncode == 0
    assert cli("fund", "add", "--name", FUND).returncode == 0
    posted = cli("entry", "add", "--fund", FUND, "--date", "2024-03-01", "--type", "allocation", "--amount", "88",
                 "--category", "项目拨款", "--summary", "拨入", "--post")
    assert posted.returncode == 0 and "已记账".encode("gbk") in posted.stdout
    assert cli("backup", "create").returncode == 0
    assert cli("verify").returncode == 0
    assert not (tmp_path / "3").exists()  # nothing written beside the workspace
    assert [p.name for p in folder.iterdir() if p.suffix == ".db"] == ["ledger.db"]


def test_help_is_in_chinese_down_to_argparse_own_words(capsys):
    for argv in (["--help"], ["notice", "export", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert out.startswith("用法：charity-ledger") and "显示本帮助后退出" in out
        for english in ("usage:", "options:", "positional arguments:", "show this help"):
            assert english not in out
