"""How many typed forms of a private number print in clear in each public output (notice, correction notice,
`report donors`, `export donors` 公示版): the issue-11 list (first eleven) and the hostile review's forms.

    .venv/bin/python tools/measure_privacy.py [CHECKOUT] [SCRATCH]

CHECKOUT defaults to this project (give an older checkout, e.g. from `git archive`, to measure before a
change); SCRATCH (a demo workspace is built there) defaults to a temporary folder. Needs pdftotext."""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

checkout = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
scratch = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()) / "privacy"
PY = sys.executable
FUND = "万源市慈善会八台镇尚善社区基金"
PROJECT = "四川省慈善事业高质量发展试点工作"


def forms(i: int) -> list[tuple[str, str, str]]:
    """(name, typed text, digits that must not appear) with numbers distinct per form index."""
    m = f"139{i:04d}5678"
    a, b, c = m[:3], m[3:7], m[7:]
    idn = f"5101011990{i:04d}123X"
    card = f"6222021234{i:04d}78901"
    land = f"862{i:04d}"
    def fw(s: str) -> str:
        return s.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})

    def cn(s: str) -> str:
        return s.translate({ord(d): "〇一二三四五六七八九"[int(d)] for d in "0123456789"})

    return [
        ("full-width mobile", fw(m), m), ("dots", f"{a}.{b}.{c}", m), ("full-width dashes", f"{a}－{b}－{c}", m),
        ("spaces 4-3-4", f"{m[:4]} {m[4:7]} {m[7:]}", m), ("spaced digits", " ".join(m), m),
        ("zero-width", m[:3] + "\u200b" + m[3:], m), ("ID with dots", f"{idn[:6]}.{idn[6:14]}.{idn[14:]}", idn[:17]),
        ("full-width ID", fw(idn), idn[:17]), ("landline spaced", f"0818 {land[:3]} {land[3:]}", "0818" + land),
        ("电话：full-width", "电话：" + fw(land), land), ("card spaced", " ".join(card[k:k + 4] for k in range(0, 19, 4)), card),
        # the hostile review's forms
        ("commas", f"手机{a}，{b}，{c}", m), ("顿号", f"{a}、{b}、{c}", m), ("ascii commas", f"{a},{b},{c}", m),
        ("一 as dash", f"{a}一{b}一{c}", m), ("ー", f"{a}ー{b}ー{c}", m), ("～", f"{a}～{b}～{c}", m),
        ("brackets", f"{a}({b}){c}", m), ("colons", f"{a}:{b}:{c}", m), ("stars", f"{a}*{b}*{c}", m),
        ("bars", f"{a}|{b}|{c}", m), ("x", f"{a}x{b}x{c}", m), ("four spaces", f"{a}    {b}    {c}", m),
        ("NBSPs", f"{a}\u00a0\u00a0\u00a0\u00a0{b}\u00a0\u00a0\u00a0\u00a0{c}", m), ("hangul filler", f"{a}\u3164{b}\u3164{c}", m),
        ("chinese numerals", cn(m), m), ("ID commas", f"身份证{idn[:6]}，{idn[6:14]}，{idn[14:]}", idn[:17]),
        ("card commas", "银行卡" + "，".join(card[k:k + 4] for k in range(0, 19, 4)), card),
        ("IDNo prefix", f"IDNo{idn}", idn[:17]), ("15-digit ID", f"{idn[:6]} 9001{i % 28 + 1:02d} {i:03d}", f"{idn[:6]}9001{i % 28 + 1:02d}{i:03d}"),
        ("13-digit passbook", f"88012345{i:05d}", f"88012345{i:05d}"), ("+86", f"+86 {a} {b}{c}", m),
        ("拨打 0-mobile", f"拨打0{m}", m), ("请拨打 local", f"请拨打{land}", land),
    ]


def run(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "desktop_app", "--workspace", str(ws), *args], capture_output=True, text=True,
                          env={"PYTHONPATH": str(checkout), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
                          cwd=str(checkout))


def digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate({ord(ch): str(k) for k, ch in enumerate("〇一二三四五六七八九")})
    return re.sub(r"\D", "", text)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def xlsx_text(path: Path) -> str:
    out = subprocess.run([PY, "-c", "import openpyxl,sys\nwb=openpyxl.load_workbook(sys.argv[1])\n"
                          "print('\\n'.join(str(c.value) for ws in wb for r in ws.iter_rows() for c in r if c.value is not None))",
                          str(path)], capture_output=True, text=True)
    return out.stdout


def main() -> None:
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    ws = scratch / "ws"
    r = run(ws, "demo")
    assert r.returncode == 0, r.stderr
    all_forms = []
    for k, (name, _t, _d) in enumerate(forms(0)):
        _n, typed, must = forms(k + 1)[k]
        all_forms.append((name, typed, must))
    for k, (name, typed, _must) in enumerate(all_forms):
        extra = ["--counterparty-kind", "企业"] if "--counterparty-kind" in (checkout / "desktop_app/cli/ledger.py").read_text() else []
        r = run(ws, "entry", "add", "--fund", FUND, "--date", "2024-12-20", "--type", "donation", "--amount", f"{k + 1}",
                "--category", "企业捐赠", "--summary", f"捐赠{typed}", "--counterparty", f"爱心公司{typed}", *extra,
                "--consent", "--post")
        if r.returncode != 0:
            print("refused at entry:", name, r.stderr.strip()[:80])
    r = run(ws, "notice", "export", "--project", PROJECT, "--to", "2024-12-31", "--written-on", "2025-01-05",
            "--out", str(scratch / "notice.pdf"), "--json")
    notice = pdf_text(scratch / "notice.pdf") if r.returncode == 0 else ""
    if r.returncode:
        print("notice export:", r.stderr[:200])
    nid = json.loads(r.stdout)["id"] if r.returncode == 0 else None
    correction = ""
    if nid:
        r = run(ws, "notice", "publish", nid, "--date", "2025-01-06", "--json")
        number = json.loads(r.stdout).get("number", "2025-001") if r.returncode == 0 else "2025-001"
        text = "；".join(t for _n, t, _d in all_forms)
        r = run(ws, "notice", "correct", number, "--text", f"更正：{text}", "--date", "2025-01-10", "--json")
        if r.returncode == 0:
            pdfs = sorted((ws / "notices").glob("*.pdf"))
            correction = pdf_text(pdfs[-1])
        else:
            print("correct:", r.stderr[:200])
    report = run(ws, "report", "donors").stdout
    r = run(ws, "export", "donors", "--out", str(scratch / "donors.xlsx"))
    export = xlsx_text(scratch / "donors.xlsx") if r.returncode == 0 else ""
    outputs = {"notice": notice, "correction": correction, "report donors": report, "export donors": export}
    leaks = {k: [] for k in outputs}
    for name, _typed, must in all_forms:
        for out, text in outputs.items():
            plain = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
            if digits(must) in digits(text) or digits(must) in plain:
                leaks[out].append(name)
    total = len(all_forms)
    print(json.dumps({k: f"{len(v)}/{total}" for k, v in leaks.items()}, ensure_ascii=False))
    for k, v in leaks.items():
        print(k, v)


main()
