"""Verifying a notice (reads only): given its code or a PDF file, rebuild the notice from what it was built
from and name every entry and text that changed since; a PDF must itself be the archived file or show,
page by page, exactly what the notice printed (`printed.check_file`), else it is reported as not that
notice (possibly altered), with the pages that differ.

The text a published notice's QR code scans to (the code and the chain heads sealed at publication,
`storage.heads.qr_text`) is taken like the code, and each head is also compared with the live chain
(`witness.rewritten`): a chain rewritten end to end since, consistent in itself, no longer has the hash the
printed notice saw, and the fund is named."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.models import Notice
from desktop_app.core.notices import document as notice_document  # printed through here: tests stub it
from desktop_app.core.notices.codes import MistypedCode, UnknownCode, normalize_code
from desktop_app.core.notices.diff import differences
from desktop_app.core.notices.lookup import (
    NOTICES_DIR,
    archived_pdf,
    corrections_of,
    find_by_code,
    notice_label,
)
from desktop_app.core.notices.printed import check_file
from desktop_app.core.notices.sealing import rebuild, seal
from desktop_app.core.notices.witness import REWRITTEN_ADVICE, rewritten
from desktop_app.core.storage.files import sha256_of
from desktop_app.core.storage.heads import split_scanned


class NotOurPdf(UserError):
    """A file that carries no verification code of ours."""


MAX_FILE_BYTES = 200 * 1024 * 1024  # a notice with every photo is a few megabytes: larger is not one of ours
MAX_ECHOED = 40  # characters of what was typed said back in a message
MAX_TYPED = 64  # a code as typed (spaces, dashes) is far shorter; a scanned QR code's heads are taken apart


def shown(text: str, limit: int = MAX_ECHOED) -> str:
    """What was typed or named, said back in a message: its first `limit` characters, “…” where cut."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class VerifyResult:
    """What verifying found: unchanged (ok), or the changes since, and for a file what is wrong with it."""

    ok: bool
    notice: Notice
    changes: list[str]
    notes: list[str] = field(default_factory=list)
    # Verifying a file: why the file is not the notice with its code (a page shows something else, it
    # prints other text, it cannot be read); "" when it is, or when verifying by code. Not ok whatever
    # the data says. `file_pages`: the pages of the file that differ from the original.
    file_problem: str = ""
    file_pages: list[int] = field(default_factory=list)
    # Verifying a scanned QR code's text: a sentence per fund whose live chain no longer has the hash the
    # printed notice sealed at publication (the books were rewritten since). Not ok whatever else holds.
    rewritten: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        what = notice_label(self.notice)
        verb = "发布" if self.notice.status == "published" else "导出"
        if self.rewritten:
            data = ("公示所列的分录和公示内容本身未变。" if not self.changes else
                    f"另外，核验码对应的数据在{verb}之后也有 {len(self.changes)} 处变化（见下）。")
            return f"账目被改写：{what}的二维码记录了发布时的账目。" + "".join(self.rewritten) + REWRITTEN_ADVICE + data
        if self.file_problem:
            data = ("核验码对应的数据本身未变。" if not self.changes else
                    f"另外，核验码对应的数据在{verb}之后也有 {len(self.changes)} 处变化（见下）。")
            made = "导出或发布" if self.notice.status == "published" else "导出"
            return (f"文件不符：{self.file_problem}，它不是{what}{made}时的文件，可能被改动过，请不要以它为准——"
                    f"请以出具单位存档的公示为准，或直接输入公示上的核验码 {self.notice.verification_code} 核验。"
                    + data)
        if self.ok:
            return (f"数据未变：{what}所依据的 {self.notice.entry_count} 条已记账分录和公示内容，"
                    "与" + ("发布时" if self.notice.status == "published" else "导出时") + "完全一致。")
        return f"数据已变：{what}" + ("发布" if self.notice.status == "published" else "导出") + \
            f"之后有 {len(self.changes)} 处变化。"


def code_from_pdf(path: Path, doing: str = "核验") -> str:
    """The verification code in a PDF this program wrote; NotOurPdf (saying what `doing` needs) otherwise.
    A folder, a missing file and a file far larger than any notice are refused before anything is read."""
    what = "或直接输入公示上的核验码" if doing == "核验" else "或给出草稿编号（notice list 可查）"
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
        size = path.stat().st_size if is_file else 0
    except (OSError, ValueError):  # a name too long for the system, a NUL …
        is_dir = is_file = False
    if is_dir:
        raise UserError(f"“{shown(path)}”是一个文件夹，不是 PDF 文件。请给出要{doing}的公示 PDF 文件本身"
                        f"（例如“{shown(path / '公示.pdf')}”），{what}。")
    if not is_file:
        raise UserError(f"找不到文件“{shown(path)}”。请检查路径是否写对。")
    if size > MAX_FILE_BYTES:
        amount = f"{size / 1024 ** 3:.1f} GB" if size >= 1024 ** 3 else f"{size / 1024 ** 2:.0f} MB"
        raise NotOurPdf(f"“{shown(path.name)}”有 {amount}，不是本程序生成的公示文件：本程序导出的公示 PDF "
                        f"远小于此（连同照片一般只有几 MB，不会超过 {MAX_FILE_BYTES // 1024 ** 2} MB），无法{doing}。"
                        f"请选择从“信息公示”导出的 PDF，{what}。")
    try:
        code = notice_document.read_verification_code(path)
    except Exception:  # noqa: BLE001 — a damaged or foreign file is simply not ours
        code = None
    if not code:
        raise NotOurPdf(f"“{shown(path.name)}”不是本程序生成的公示文件（没有核验码），无法{doing}。"
                        f"请选择从“信息公示”导出的 PDF，{what}。")
    try:
        return normalize_code(code)
    except UserError:
        raise NotOurPdf(f"“{shown(path.name)}”不是本程序生成的公示文件（没有有效的核验码），无法{doing}。"
                        f"请选择从“信息公示”导出的 PDF，{what}。") from None


def is_file_argument(target) -> bool:
    """Whether a command's target names a PDF file (else it is an id, a number or a code)."""
    if isinstance(target, Path):
        return True
    text = str(target)
    if text.lower().endswith(".pdf") or os.sep in text or "/" in text:
        return True
    try:
        return Path(text).exists()  # a file (or a folder, said to be one) in the current folder
    except (OSError, ValueError):  # a name too long for the system (a code pasted 100,000 times …)
        return False


def typed_code(text: str) -> str:
    """A code as typed → "XXXXX-XXXXX" (`normalize_code`); text far longer than a code is refused
    without being said back in full."""
    if len(text) > MAX_TYPED:
        raise MistypedCode(f"核验码有误：核验码是 10 位字母和数字（形如 ABCDE-FGH2K），输入的却是 {len(text):,} 个字符"
                           f"（“{shown(text)}”）。请对照公示上的核验码重新输入。")
    return normalize_code(text)


def _archive_changes(ws, notice: Notice) -> list[str]:
    if notice.status != "published" or not notice.pdf_name:
        return []
    path = archived_pdf(ws.root, notice)
    try:
        sha = sha256_of(path)
    except OSError:
        return [f"存档的公示文件 {NOTICES_DIR}/{notice.pdf_name} 不见了（可能被误删或移动）"]
    if sha != notice.pdf_sha256:
        return [f"存档的公示文件 {NOTICES_DIR}/{notice.pdf_name} 和发布时不一样（被改动过）"]
    return []


def verify_notice(ws, target) -> VerifyResult:
    """Take a verification code (as typed), the text its QR code scans to, or a PDF file, and say whether
    the data behind the notice is unchanged; otherwise name every change. Unknown or mistyped codes and
    foreign PDFs are UserErrors. A file is also checked itself: it must be the archived PDF (same SHA-256)
    or show, page by page, what the notice printed (an exported draft, a reprint); otherwise `file_problem`
    says so, naming the pages (`file_pages`), and the result is not ok, whatever the data behind the code
    says. The chain heads a scanned QR code carries are compared with the live chains: a fund whose chain
    was rewritten since is named in `rewritten`, and the result is not ok."""
    given_pdf: Path | None = None
    scanned = []
    if is_file_argument(target):
        given_pdf = Path(target)
        code = code_from_pdf(given_pdf)
    else:
        typed, scanned = split_scanned(str(target))
        code = typed_code(typed)
    with ws.reading() as s:
        notice = find_by_code(s, code)
        if notice is None:
            raise UnknownCode(f"没有找到核验码 {code}。它不属于本工作区的任何公示：可能来自另一个单位的工作区，"
                              "或是一份后来又重新导出过的草稿。请核对核验码，或到出具公示的单位核验。")
        notes: list[str] = []
        sealed = None
        try:
            rebuilt = rebuild(s, ws.root, notice)
        except UserError as exc:
            changes = [f"无法按原条件重新生成这份公示：{exc.message}"]
        else:
            sealed = seal(rebuilt.doc, rebuilt.entries)
            changes = differences(s, notice, sealed, drafts_pending=bool(rebuilt.drafts))
            if rebuilt.drafts:
                notes.append(f"公示期间现有 {len(rebuilt.drafts)} 笔尚未记账的草稿，它们不属于公示的数据，未计入核验。")
        changes += _archive_changes(ws, notice)
        for correction in corrections_of(s, notice.id):
            notes.append(f"这份公示已于 {correction.published_on} 发布更正说明（编号 {correction.number}）。")
        if notice.corrects_id:
            original = s.get(Notice, notice.corrects_id)
            if original is not None:
                notes.append(f"这是对公示 {original.number}《{original.title}》的更正说明。")
        if notice.status == "draft":
            notes.append("这份公示还是草稿，尚未发布。")
        books = rewritten(s, scanned)
        if scanned and not books:
            notes.append(f"二维码记录的 {len(scanned)} 个社区基金在公示发布时的账目（哈希链），与现在的账目一致。")
        file = check_file(ws, notice, given_pdf, sealed) if given_pdf is not None else None
        if file is not None and not file.problem and notice.pdf_sha256 and file.how != "archive":
            same = "每一页都与公示一致" if file.how == "pages" else "上面的文字与公示一致"
            notes.append(f"这份文件不是存档的发布版本（是发布前导出的文件或重新导出的打印件），{same}；"
                         "核验按核验码对应的公示进行。")
        if file is not None:
            notes += file.notes
    problem = file.problem if file is not None else ""
    return VerifyResult(ok=not changes and not problem and not books, notice=notice, changes=changes, notes=notes,
                        file_problem=problem, file_pages=file.pages if file is not None else [], rewritten=books)
