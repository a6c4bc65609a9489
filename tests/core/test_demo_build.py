"""Issue 11, “Half-done work”: `demo` is built beside its target and moved into place when complete. Killed at
any moment it leaves either nothing or the whole demo, and running it again works."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from desktop_app.cli.main import main
from desktop_app.core.demo import build
from desktop_app.core.demo.build import build_demo
from desktop_app.core.errors import UserError
from desktop_app.core.services import verify as integrity
from desktop_app.core.storage.workspace import Workspace

ROOT = Path(__file__).parents[2]


def leftovers(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.building-*"))


def whole(target: Path) -> tuple[int, int]:
    """(posted entries, photos) of a demo workspace, after checking that it opens and verifies."""
    ws = Workspace.open(target, auto_backup=False)
    try:
        assert integrity.verify_workspace(ws).ok
        assert len(ws.list_backups()) == 1  # the demo's last step
        conn = ws.raw_reader()
        try:
            posted = conn.execute("SELECT count(*) FROM ledger_entry WHERE status = 'posted'").fetchone()[0]
            photos = conn.execute("SELECT count(*) FROM photo").fetchone()[0]
        finally:
            conn.close()
    finally:
        ws.close(backup=False)
    return posted, photos


@pytest.fixture(scope="module")
def complete(tmp_path_factory) -> tuple[int, int]:
    return whole(build_demo(tmp_path_factory.mktemp("demo-whole") / "demo"))


def test_a_build_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    def broken(*_args):
        raise RuntimeError("断电")

    monkeypatch.setattr(build, "add_demo_activities", broken)  # after the ledger, before activities and backup
    target = tmp_path / "demo"
    with pytest.raises(RuntimeError):
        build_demo(target)
    assert not target.exists() and leftovers(target) == []
    assert list(tmp_path.iterdir()) == []


def _start(target: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "desktop_app", "--workspace", str(target), "demo"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(condition, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the demo finished before it could be killed"
        assert time.monotonic() < deadline, "the demo build did not get that far"
        time.sleep(0.005)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kills with SIGKILL")
@pytest.mark.parametrize("stage", ["database", "vouchers", "photos"])
def test_a_killed_demo_leaves_nothing_and_the_next_one_works(tmp_path, capsys, stage, complete):
    target = tmp_path / "demo"
    process = _start(target)

    def reached() -> bool:
        for folder in [*leftovers(target), target]:  # where the build writes
            if stage == "database" and (folder / "ledger.db").exists():
                return True
            sub = folder / ("demo-vouchers" if stage == "vouchers" else "demo-photos")
            if stage != "database" and sub.is_dir() and len(list(sub.iterdir())) >= 3:
                return True
        return False

    try:
        _wait_for(reached, process)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert not target.exists()  # not half a workspace that opens and verifies
    assert leftovers(target)  # the killed build's folder, beside the target

    assert main(["--workspace", str(target), "demo"]) == 0  # today: refused as "已经是一个工作区"
    assert "演示工作区已生成" in capsys.readouterr().out
    assert leftovers(target) == []  # what the killed build left is gone
    assert whole(target) == complete


def test_demo_into_a_workspace_or_a_non_empty_folder_is_refused(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "笔记.txt").write_text("不要动我", encoding="utf-8")
    assert main(["--workspace", str(taken), "demo"]) == 1
    assert "不是空文件夹" in capsys.readouterr().err
    assert [p.name for p in taken.iterdir()] == ["笔记.txt"] and leftovers(taken) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_demo(empty) == empty and (empty / "ledger.db").exists()
    with pytest.raises(UserError, match="已经是一个工作区"):
        build_demo(empty)


def test_a_build_still_running_is_left_alone(tmp_path):
    target = tmp_path / "demo"
    running = tmp_path / ".demo.building-1234abcd"
    running.mkdir()
    lock = filelock.FileLock(running / "workspace.lock", timeout=0, is_singleton=False)
    lock.acquire()  # as the Workspace being built holds it
    try:
        assert build.remove_unfinished_builds(target) == [] and running.is_dir()
    finally:
        lock.release()
    assert build.remove_unfinished_builds(target) == [running] and not running.exists()
