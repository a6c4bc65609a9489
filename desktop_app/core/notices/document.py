"""A public notice as a printable document.

`NoticeDocument` holds what the builders assemble (blocks of the A4 document model, already public:
privacy rules are applied before anything reaches it) and what the draft editor shows beside it. It
gives the PDF writer, as plain data, what a notice prints beyond its blocks: the subject of its
template, the verification code in the Info keywords, and the box with the code and its QR code.

The code goes into the PDF's Info dictionary (Keywords "charity-ledger-notice:CODE"), which reportlab
writes uncompressed: `read_verification_code` finds it in the raw bytes (a file re-saved by another tool is
read through `notices.verify`, which decodes the Info, the XMP or the printed box). A published
notice (and a reprint of it) also carries the chain heads of its project's funds at publication (`heads`):
a second keyword ("charity-ledger-heads:…", read back by `storage.heads.read_pdf_heads`) and, beside the
code, in its QR code (`storage.heads.qr_text`); the code printed beside the QR code stays the code alone.
The heads are not among the printed texts: the code does not seal them.

Notices are printed (`render_pdf`) and their codes read back through this module only, so a test can
put a fast stand-in for both in one place. The PDF writer is loaded on the first print: reportlab takes
a while to import, and a notice is built and shown long before it is printed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.documents.model import Block, CodeBox, block_texts
from desktop_app.core.storage import heads as chain_heads

SUBJECTS = {"fund-usage": "经费使用情况公示", "progress": "项目进展公示", "donations": "捐赠公示", "correction": "更正说明"}
KEYWORD_PREFIX = "charity-ledger-notice:"
CODE_LABEL = "核验码"
_CODE_RE = re.compile(re.escape(KEYWORD_PREFIX.encode("ascii")) + rb"([0-9A-Za-z][0-9A-Za-z-]{0,63})")
MAX_PDF_BYTES = 200 * 1024 * 1024  # read for the code; a notice is a few megabytes

if TYPE_CHECKING:
    from desktop_app.core.documents.pdf import RenderInfo


def verification_note(code: str) -> str:
    """The small print beside the QR code: how to check the notice."""
    return ("本公示由“社区慈善台账”生成。核验方法：在软件的“信息公示”页输入核验码或扫描左侧二维码，"
            f"或运行 charity-ledger notice verify {code}（也可以给出本 PDF 文件），"
            "即可核对本公示依据的账目在公示后是否改动。")


@dataclass(frozen=True)
class MaskedName:
    """Shown in the builder: what a name became in the notice and why."""

    original: str
    shown: str
    reason: str  # "未记录公开同意" / "个人姓名，按规定打码" / "匿名捐赠"


@dataclass
class NoticeDocument:
    template: str  # fund-usage | progress | donations | correction
    title_lines: list[str]  # ["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示"]
    blocks: list[Block] = field(default_factory=list)
    verification_code: str = ""  # printed with its QR code at the end; empty in a draft preview
    masked: list[MaskedName] = field(default_factory=list)
    # Not printed: what the builder has to tell the person editing the draft, e.g. "有 1 处修改已不适用：……"
    # (an edit whose block is no longer in the notice) or a 项目完成情况 edit whose figure was restored.
    notes: list[str] = field(default_factory=list)
    # Not printed either: what to see to before publishing (drafts left out, supervision phones not filled in).
    advice: list[str] = field(default_factory=list)
    edited: list[tuple[str, str]] = field(default_factory=list)  # (key, part) of the edits applied
    # Published notices: the chain heads of the project's funds at publication, in the keywords and the QR
    # code (not printed as text, not sealed by the code); none in a draft.
    heads: list[chain_heads.Head] = field(default_factory=list)

    noun = "公示"  # what the PDF writer's messages call it

    @property
    def subject(self) -> str:
        return SUBJECTS.get(self.template, "")

    @property
    def keywords(self) -> str:
        if not self.verification_code:
            return ""
        words = [f"{KEYWORD_PREFIX}{self.verification_code}", chain_heads.keywords(self.heads)]
        return " ".join(w for w in words if w)

    @property
    def code_box(self) -> CodeBox | None:
        code = self.verification_code
        if not code:
            return None
        qr = chain_heads.qr_text(code, self.heads) if self.heads else ""
        return CodeBox(CODE_LABEL, code, verification_note(code), qr=qr)

    def texts(self) -> list[str]:
        """Every printed string, in order (for the glyph check and for hashing): the verification code
        stands for its box, whose wording is the same in every notice."""
        out = block_texts(self.title_lines, self.blocks)
        if self.verification_code:
            out.append(self.verification_code)
        return [t for t in out if t]


def render_pdf(doc: NoticeDocument, out_path, *, progress: Callable[[int, int], None] | None = None) -> "RenderInfo":
    """Print a notice as an A4 PDF (`documents.pdf.render_pdf`: atomically, UserError when it cannot)."""
    from desktop_app.core.documents.pdf import render_pdf as write_pdf

    return write_pdf(doc, out_path, progress=progress)


def read_verification_code(pdf_path) -> str | None:
    """The verification code an exported notice carries, or None when the file is not a PDF of ours (or
    not a PDF). Reads raw bytes first, in chunks (at most MAX_PDF_BYTES of them): reportlab writes the Info
    dictionary uncompressed; the last occurrence wins (an incremental update appends a newer Info). A file
    saved again by another program hides it from the bytes (pypdf escapes "-" and ":" in the keywords, object
    streams and compressed metadata hide them whole): its Info dictionary and XMP packet are then read
    decoded (`render.metadata_texts`), and last the code printed in the box at the end of the notice
    ("核验码：XXXXX-XXXXX"); whichever the code came from, the file is then compared page by page."""
    path = Path(pdf_path)
    with open(path, "rb") as fh:
        if fh.read(5) != b"%PDF-":
            return None
        code = _scan_for_code(fh)
    if code:
        return code
    from desktop_app.core.documents import render

    for kind, text in render.metadata_texts(path):
        found = (_PRINTED_CODE_RE if kind == "printed" else _TEXT_CODE_RE).findall(text)
        if found:
            return found[-1]
    return None


_TEXT_CODE_RE = re.compile(re.escape(KEYWORD_PREFIX) + r"([0-9A-Za-z][0-9A-Za-z-]{0,63})")
_PRINTED_CODE_RE = re.compile(CODE_LABEL + r"[：:]\s*([0-9A-Z]{5}-[0-9A-Z]{5})(?![0-9A-Za-z])")
_CHUNK = 1024 * 1024


def _scan_for_code(fh) -> str | None:
    """The last code in the raw bytes of `fh` (from where it stands), read a chunk at a time: each chunk
    read with the end of the one before, so that a code cut by a chunk's end is found whole in the next."""
    keep = len(KEYWORD_PREFIX) + 64
    last, tail, read = None, b"", 0
    while read < MAX_PDF_BYTES:
        chunk = fh.read(min(_CHUNK, MAX_PDF_BYTES - read))
        read += len(chunk)
        data = tail + chunk
        for match in _CODE_RE.finditer(data):
            if chunk and match.end() == len(data):
                continue  # may go on in the next chunk, which reads it again
            last = match.group(1)
        if not chunk:
            break
        tail = data[-keep:]
    return last.decode("ascii") if last else None
