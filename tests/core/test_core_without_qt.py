"""The core and every headless subcommand (every module of the CLI package) run with PySide6 impossible to import."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).parents[2]

BLOCK_QT = textwrap.dedent("""
    import sys
    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
                raise ImportError("PySide6 is blocked for this test")
    sys.meta_path.insert(0, BlockQt())
""")


def run_blocked(code: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_QT + textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_core_modules_do_not_import_qt(tmp_path):
    result = run_blocked("""
        import pkgutil, importlib, desktop_app.core as core, desktop_app.cli as cli
        for package in (core, cli):
            for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(m.name)
        print("ok")
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_headless_subcommands_work_without_qt(tmp_path):
    ws = tmp_path / "demo"
    out = tmp_path / "ledger.xlsx"
    result = run_blocked(f"""
        from desktop_app.cli.main import main
        for argv in (["demo"], ["fund", "list"], ["entry", "list", "--json"], ["verify"], ["report", "donors"],
                     ["export", "ledger", "--out", {str(out)!r}], ["backup", "create"], ["backup", "list"]):
            code = main(["--workspace", {str(ws)!r}, *argv])
            assert code == 0, (argv, code)
        print("ok")
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok") and out.exists()
