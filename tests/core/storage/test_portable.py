"""A portable copy (the zip or tar.xz, unpacked onto a USB stick) keeps its workspace beside the program;
an installed copy and a checkout use the per-user data folder."""

import sys
from pathlib import Path

import pytest

from desktop_app.core.storage import paths


@pytest.fixture
def frozen_program(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "U盘" / "charity-ledger-0.1.0"
    folder.mkdir(parents=True)
    program = folder / "charity-ledger"
    program.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    return folder


def test_a_portable_copy_keeps_its_workspaces_beside_the_program(frozen_program):
    (frozen_program / paths.PORTABLE_MARKER).write_text("便携版", encoding="utf-8")
    assert paths.portable_dir() == frozen_program.resolve()
    assert paths.default_workspace_dir() == frozen_program.resolve() / "台账数据"
    assert paths.demo_workspace_dir() == frozen_program.resolve() / "演示数据"
    assert paths.is_demo_workspace(frozen_program / "演示数据")


@pytest.mark.parametrize("damage", ["folder", "broken link"])
def test_a_damaged_marker_still_means_portable(frozen_program, damage):
    marker = frozen_program / paths.PORTABLE_MARKER
    if damage == "folder":
        marker.mkdir()
    else:
        marker.symlink_to(frozen_program / "不存在的文件")
    assert paths.default_workspace_dir() == frozen_program.resolve() / "台账数据"


def test_an_installed_copy_uses_the_per_user_data_folder(frozen_program):
    assert paths.portable_dir() is None  # no portable.txt: the setup program or the .deb installed it
    assert frozen_program not in paths.default_workspace_dir().parents
    assert paths.default_workspace_dir().name == "workspace"


def test_a_checkout_is_never_portable(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert paths.portable_dir() is None
