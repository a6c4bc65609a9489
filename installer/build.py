"""Build the installers this platform can build, and say what it could not.

    python installer/build.py                 # everything this platform can build
    python installer/build.py --skip-freeze   # reuse build/pyinstaller/dist (packaging only)

Linux (Debian, UOS, Kylin):   build/installers/charity-ledger_<v>_amd64.deb
                              build/installers/charity-ledger-<v>-linux-x86_64.tar.xz (portable)
                              and, when makensis is installed, a check that the Windows script compiles
Windows:                      build/installers/社区慈善台账-安装程序-<v>.exe (NSIS)
                              build/installers/charity-ledger-<v>-windows-x64-portable.zip

Steps: a build venv (build/venv) with the pinned versions of installer/constraints.txt and the project
installed as a wheel installs it; PyInstaller over installer/charity-ledger.spec (one folder); the packages;
then a report (build/installers/build-report.txt): sizes, what takes the space, and on Linux the newest glibc
symbol any binary needs. Needs only Python 3.11+ and, on Linux, binutils (objdump), dpkg-deb and xz support.
"""

import argparse
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import APP, ICONS, ROOT, app_version, is_python_runtime  # noqa: E402
from report import megabytes, newest_glibc, size_by_part  # noqa: E402

BUILD = ROOT / "build"
VENV = BUILD / "venv"
DIST = BUILD / "pyinstaller" / "dist"
BUNDLE = DIST / APP
OUT = BUILD / "installers"
WINDOWS = os.name == "nt"
PYTHON = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")
CONSTRAINTS = ROOT / "installer" / "constraints.txt"
SIZE_LIMIT = 90_000_000  # each installer and .deb (issue 14)
GLIBC_TARGET = (2, 28)  # UOS 20 / Kylin V10 SP1


def build_venv() -> None:
    """build/venv with the pinned build versions; made again when the constraints or dependencies change."""
    stamp = VENV / ".constraints"
    wanted = hashlib.sha256(CONSTRAINTS.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not PYTHON.exists() or not stamp.exists() or stamp.read_text() != wanted:
        print("正在准备打包环境 build/venv（首次约需几分钟）…", flush=True)
        shutil.rmtree(VENV, ignore_errors=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        if WINDOWS:
            pip(["install", "-c", str(CONSTRAINTS), str(ROOT), "pyinstaller"])
        else:
            install_old_glibc_wheels()
        stamp.write_text(wanted)
    # the project itself as a wheel installs it (package data, no editable-install finder), fresh every build
    pip(["install", "--no-deps", "--force-reinstall", str(ROOT)])


def install_old_glibc_wheels() -> None:
    """The dependencies as the wheels built for glibc 2.28 (manylinux_2_28) or older, even when the build
    machine's newer glibc would let pip pick newer ones (cryptography's manylinux_2_34 wheel): then only
    Python itself follows the build machine (see installer/README.md)."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    wheels = BUILD / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)  # no wheel of an earlier build's choice
    python = f"{sys.version_info.major}{sys.version_info.minor}"
    platforms = [f"--platform={tag}_x86_64" for tag in ("manylinux_2_28", "manylinux_2_27", "manylinux_2_17",
                                                        "manylinux2014", "manylinux_2_5", "manylinux1", "linux")]
    pip(["download", "--only-binary=:all:", f"--python-version={python}", "--implementation=cp",
         f"--abi=cp{python}", "--abi=abi3", "--abi=none", *platforms, "--dest", str(wheels),
         "-c", str(CONSTRAINTS), *dependencies, "pyinstaller"])
    pip(["install", "--no-index", "--find-links", str(wheels), "-c", str(CONSTRAINTS), *dependencies, "pyinstaller"])


def pip(args: list[str]) -> None:
    subprocess.run([str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--quiet", *args], check=True)


def freeze() -> None:
    print("正在用 PyInstaller 生成程序文件夹…", flush=True)
    subprocess.run([str(PYTHON), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller" / "work"),
                    str(ROOT / "installer" / f"{APP}.spec")], check=True, cwd=ROOT)


def missing_tools(tools: list[str]) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def build_linux(version: str, built: list[Path], skipped: list[str], checked: list[str]) -> None:
    import linux
    import windows

    # the .deb and the tarball are each one xz stream on one core: made side by side
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = []
        if missing_tools(["dpkg-deb"]):
            skipped.append(".deb：缺少 dpkg-deb（Debian 系统自带；其他系统请安装 dpkg）")
        else:
            print("正在生成 .deb …", flush=True)
            glibc = bundle_glibc()[0] if shutil.which("objdump") else ""
            jobs.append(pool.submit(linux.build_deb, BUNDLE, ICONS, version, OUT, BUILD, glibc))
        print("正在生成便携版 .tar.xz …", flush=True)
        jobs.append(pool.submit(linux.build_tarball, BUNDLE, version, OUT))
        built.extend(job.result() for job in jobs)
    skipped.append("Windows 安装程序与便携版 zip：PyInstaller 不能跨平台打包，请在 Windows 上运行本脚本"
                   "（.github/workflows/windows-installer.yml）")
    if missing_tools(["makensis"]):
        skipped.append("Windows 安装脚本检查：缺少 makensis（Debian 软件包 nsis）")
    elif not windows.NSI.is_file():
        skipped.append(f"Windows 安装脚本检查：找不到 {windows.NSI.relative_to(ROOT)}")
    else:
        stand_in = windows.stand_in_bundle(BUILD / "nsis-check" / APP)
        windows.compile_nsis(stand_in, ICONS / f"{APP}.ico", version, BUILD / "nsis-check" / windows.setup_name(version))
        checked.append("Windows 安装脚本 installer/windows/charity-ledger.nsi：makensis 编译通过（用替身程序文件检查，"
                       "警告按错误处理）")


def build_windows(version: str, built: list[Path], skipped: list[str], checked: list[str]) -> None:
    import windows

    print("正在生成便携版 zip …", flush=True)
    built.append(windows.build_zip(BUNDLE, version, OUT))
    if missing_tools(["makensis"]):
        skipped.append("安装程序：找不到 makensis。请安装 NSIS 3（https://nsis.sourceforge.io），并把它加入 PATH")
    else:
        print("正在生成安装程序 …", flush=True)
        built.append(windows.compile_nsis(BUNDLE, ICONS / f"{APP}.ico", version, OUT / windows.setup_name(version)))
    skipped.append(".deb 与 .tar.xz：请在 Linux 上运行本脚本（最好在 Debian 10 容器里，见 installer/README.md）")


@functools.cache
def bundle_glibc() -> tuple[str, list[str]]:
    """The newest glibc the bundle needs and who needs it (objdump over every binary: once per build)."""
    return newest_glibc(BUNDLE)


def write_report(version: str, built: list[Path], skipped: list[str], checked: list[str]) -> list[str]:
    lines = [f"社区慈善台账 {version} 打包报告（{sys.platform}，Python {sys.version.split()[0]}）", ""]
    lines.append(f"程序文件夹 {BUNDLE.relative_to(ROOT)}：{megabytes(sum(s.size for s in size_by_part(BUNDLE)))}（未压缩），其中：")
    lines += [f"  {megabytes(line.size):>9}  {line.part}" for line in size_by_part(BUNDLE)]
    lines += ["", "生成的文件："]
    for path in built:
        flag = "" if path.stat().st_size <= SIZE_LIMIT else f"  ← 超过 {megabytes(SIZE_LIMIT)} 上限"
        lines.append(f"  {megabytes(path.stat().st_size):>9}  {path.relative_to(ROOT)}{flag}")
    if not WINDOWS and shutil.which("objdump"):
        version_needed, needers = bundle_glibc()
        ok = tuple(int(x) for x in version_needed.split(".")) <= GLIBC_TARGET
        lines += ["", f"最高 glibc 符号版本：GLIBC_{version_needed}（{len(needers)} 个文件，例如 {', '.join(needers[:3])}）"]
        others, other_needers = newest_glibc(BUNDLE, skip=is_python_runtime)
        lines.append(f"  Python 运行时之外（Qt 与其他依赖包）：GLIBC_{others}（例如 {', '.join(other_needers[:2])}）")
        lines.append("  可以在 UOS 20 / 麒麟 V10（glibc 2.28）上运行。" if ok else
                     "  高于 UOS 20 / 麒麟 V10 的 glibc 2.28：这些文件来自构建机器，不能在那里运行。"
                     "请在 Debian 10 容器里构建（installer/README.md 写了步骤）。")
    if checked:
        lines += ["", "已检查："] + [f"  - {text}" for text in checked]
    if skipped:
        lines += ["", "没有生成："] + [f"  - {text}" for text in skipped]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "build-report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="生成本平台能生成的安装包（见文件开头的说明）。")
    parser.add_argument("--skip-freeze", action="store_true", help="沿用已有的 build/pyinstaller/dist，只重新打包")
    args = parser.parse_args()
    if sys.version_info < (3, 11):  # noqa: UP036 — run by whatever Python the builder has
        sys.exit(f"需要 Python 3.11 或更新版本（当前为 {sys.version.split()[0]}）。")
    if not WINDOWS and missing_tools(["objdump"]):
        sys.exit("缺少 objdump：PyInstaller 在 Linux 上要用它分析程序依赖的库。请先安装 binutils（sudo apt install binutils）。")
    version = app_version()
    if not (args.skip_freeze and BUNDLE.is_dir()):
        build_venv()
        freeze()
        if not WINDOWS:
            import linux

            linux.strip_python_runtime(BUNDLE)
    OUT.mkdir(parents=True, exist_ok=True)
    built: list[Path] = []
    skipped: list[str] = []
    checked: list[str] = []
    (build_windows if WINDOWS else build_linux)(version, built, skipped, checked)
    print("\n".join(write_report(version, built, skipped, checked)))
    return 1 if any(path.stat().st_size > SIZE_LIMIT for path in built) else 0


if __name__ == "__main__":
    sys.exit(main())
