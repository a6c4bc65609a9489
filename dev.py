"""Set up and run the project with nothing but Python installed (Windows, UOS/Kylin, Debian).

    python dev.py run     create .venv, install the app, open it on the demo workspace
    python dev.py test    create .venv, install the app and the test tools, run the tests
    python dev.py bench   run the benchmark script (see bench/README.md)
    python dev.py build   build the installers this platform can build (installer/build.py; see installer/README.md)
    python dev.py test --build   build the Linux packages, then test the installed program (tests/installer)

Extra arguments are passed on (e.g. `python dev.py test -k ledger`, `python dev.py run --workspace E:\\台账`).
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 — dev.py is what runs on an unknown Python
        sys.exit(f"需要 Python 3.11 或更新版本（当前为 {sys.version.split()[0]}）。")
    if not PYTHON.exists():
        print("正在创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        print("正在安装依赖（首次约需几分钟）…", flush=True)
        subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-e", f"{ROOT}[test]"])
        STAMP.write_text("ok")


def main() -> int:
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("run", [])
    if command == "build":  # its own pinned environment (build/venv), not .venv
        return subprocess.call([sys.executable, str(ROOT / "installer" / "build.py"), *rest], cwd=ROOT)
    ensure_environment()
    if command == "run":
        return subprocess.call([str(PYTHON), "-m", "desktop_app", "--demo", *rest])
    if command == "test" and "--build" in rest:  # slow: a full PyInstaller build, then the installed program
        rest = [arg for arg in rest if arg != "--build"] or ["tests/installer"]
        env = {**os.environ, "CHARITY_LEDGER_BUILD_TEST": "1"}
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
    if command == "bench":
        return subprocess.call([str(PYTHON), str(ROOT / "bench" / "benchmark.py"), *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
