"""Whether a PDF file is a notice as the program printed it (reads only).

The archived PDF of a published notice is the notice (same SHA-256). Any other file — the draft exported
before publishing, a reprint, a re-export, a copy saved again — is judged by what its pages show: the
notice is printed again from what it was built from and both files are rendered and compared page by page
(`documents.render`); any visible difference fails, with the page named. The published form (number and
date under the title) is compared with the archived file; the form without them with the notice printed
again, which needs the data to print exactly the sealed texts. Each page's text layer must match too.
A published notice's QR code carries the chain heads it sealed (`witness.recorded_heads`): it is printed
again with them (the published form, and a reprint exported since), and without them (the draft exported
before publishing).

Pages missing, added or in another place are told apart by the text on each (every page of a notice
prints its number): “缺少原件的第 3 页”, “第 2 页是原件的第 3 页”; a page turned or cropped is said as such, and
a page that prints something other than it shows (`render`: rendered for printing too). Before anything of
a file is drawn, it is refused when it holds more than any printed document (`render.TooLarge`: a flate
bomb) or carries what a reader may show, hide or run besides the pages (`RenderedPdf.additions`:
annotations, optional content, scripts, actions run on opening, embedded files, form fields).

When no reference can be printed (the data changed since, so the notice no longer prints as it did; or
the printed reference cannot be rendered) the file's text is compared with the sealed texts instead, as
`pdf_text.says` reads it; a note says that only the text was compared.

Characters the PDF writer does not draw (invisible format and control characters, `fonts.is_invisible`)
are left out of every text comparison, as they are out of the print: a notice whose data holds a zero-width
space, a soft hyphen or a control character verifies like any other.
"""

import dataclasses
import difflib
import json
import re
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.documents import pdf_text, render
from desktop_app.core.documents.model import Paragraph
from desktop_app.core.errors import UserError
from desktop_app.core.models import Notice
from desktop_app.core.notices import document as notice_document  # printed through here: tests stub it
from desktop_app.core.notices.document import NoticeDocument
from desktop_app.core.notices.lookup import archived_pdf
from desktop_app.core.notices.sealing import Sealed, numbered
from desktop_app.core.notices.witness import recorded_heads
from desktop_app.core.storage.files import sha256_of

MAX_PAGES_NAMED = 5
MAX_QUOTE = 30


@dataclass
class FileCheck:
    """What checking a file found: `problem` ("" when the file is the notice), the pages of the file that
    differ, how it was compared ("archive": the archived bytes; "pages": rendered pages; "text": text only),
    and what the person verifying should know besides."""

    problem: str = ""
    pages: list[int] = field(default_factory=list)
    how: str = "pages"
    notes: list[str] = field(default_factory=list)


Maker = Callable[[Path], Path]  # a scratch folder → a reference PDF


def check_file(ws, notice: Notice, path: Path, sealed: Sealed | None) -> FileCheck:
    """Whether `path` is the notice: its archived PDF, or a file whose pages show exactly what the notice
    printed. `sealed` is the notice built again from today's data (None when it cannot be). A file holding
    more than any printed document (`render.TooLarge`) or something a reader may show, hide or run
    (`RenderedPdf.additions`: annotations, optional content, scripts …) is not the notice, whatever its
    pages show; nothing of it is drawn."""
    if notice.pdf_sha256 and sha256_of(path) == notice.pdf_sha256:
        return FileCheck(how="archive")
    stamped, plain = _references(ws, notice, sealed)
    with ExitStack() as stack:
        try:
            pdf = stack.enter_context(render.open_pdf(path))
        except render.TooLarge as exc:
            return _too_large(path.name, exc.page)
        except render.Unreadable:
            pdf = None
        if pdf is not None:
            added = pdf.additions()
            if added:
                return FileCheck(f"“{path.name}”里有原件没有的{'、'.join(added)}，不同的阅读器可能在页面上显示"
                                 "（或打印出）不同的内容", _pages_named(added))
        form = _published_form(notice, pdf) if pdf is not None else None
        makers = stamped if form is True else plain if form is False else stamped + plain
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="notice-verify-")))
        comparisons: list[tuple[render.Comparison, render.RenderedPdf]] = []
        unrenderable = False
        for make in makers:
            try:
                reference = stack.enter_context(render.open_pdf(make(folder), trusted=True))
            except (render.Unreadable, UserError):
                unrenderable = True  # our own print cannot be shown: the text is compared instead
                continue
            if pdf is None:
                return FileCheck(f"无法打开“{path.name}”的页面（文件可能已损坏、加了密码，或不是 PDF）")
            found = _compare(path, pdf, reference)
            if isinstance(found, FileCheck):
                return found
            comparisons.append((found, reference))
        if comparisons:
            best, reference = min(comparisons, key=lambda c: (c[0].pages != c[0].reference_pages,
                                                              len(c[0].differences)))
            order = _page_order(pdf, reference) if best.pages != best.reference_pages or \
                len(best.differences) > 1 else _PageOrder()
            pages = order.pages or [min(page, best.pages) for page in order.missing[:1]] or \
                [d.page for d in best.differences] or [min(best.pages, best.reference_pages) + 1]
            return FileCheck(_describe(path.name, best, order), pages)
    check = FileCheck(_text_problem(notice, path), how="text")
    if unrenderable:
        check.notes.append("核验时无法显示按原样重新生成的公示，这份文件只核对了上面的文字、没有逐页比对画面。"
                           "请把这个问题告诉软件维护人员。")
    elif not makers:
        check.notes.append("按现在的数据已无法原样重新生成这份公示（数据有变化，或期间内新添了草稿），"
                           "这份文件只核对了上面的文字、没有逐页比对画面；请以出具单位存档的公示为准。")
    return check


def _too_large(name: str, page: int | None) -> FileCheck:
    where = f"第 {page} 页" if page else ""
    return FileCheck(f"“{name}”{where}含有大得不合常理的数据（解压后远远超过任何一页打印文件的大小，本程序生成的公示"
                     "每页只有几十 KB 到几 MB），为安全起见没有显示它的页面", [page] if page else [])


def _pages_named(added: list[str]) -> list[int]:
    """The pages named in what `RenderedPdf.additions` found (“第 3 页上的批注”)."""
    return sorted({int(m.group(1)) for text in added if (m := re.search(r"第 (\d+) 页", text))})


def _compare(path: Path, pdf: render.RenderedPdf, reference: render.RenderedPdf) -> FileCheck | render.Comparison:
    """The file against one reference: a FileCheck when that settles it (the same pages), else the
    comparison (another reference may match)."""
    try:
        comparison = render.compare(pdf, reference)
    except render.Unreadable:
        return FileCheck(f"无法显示“{path.name}”的页面（文件可能已损坏）")
    return _text_layer(path, pdf, reference) if comparison.same else comparison


def _references(ws, notice: Notice, sealed: Sealed | None) -> tuple[list[Maker], list[Maker]]:
    """What the file may be compared with: (the published form with number and date, the form without)."""
    stamped: list[Maker] = []
    plain: list[Maker] = []
    prints_as_sealed = sealed is not None and sealed.texts == json.loads(notice.document_json or "[]")
    heads = (recorded_heads(notice, ws.root) or []) if notice.status == "published" else []
    if prints_as_sealed:
        # the notice as it was printed: today's data prints the sealed texts; the code is the notice's,
        # its QR code carries the heads sealed at publication (a reprint), or none (the draft exported before)
        doc = dataclasses.replace(sealed.doc, verification_code=notice.verification_code, heads=heads)
        plain.append(lambda folder: _print(doc, folder / "reference.pdf"))
        if heads:
            draft = dataclasses.replace(doc, heads=[])
            plain.append(lambda folder: _print(draft, folder / "reference-draft.pdf"))
    if notice.status == "published" and notice.number and notice.published_on:
        archive = archived_pdf(ws.root, notice)
        if notice.pdf_name and notice.pdf_sha256 and archive.is_file() and sha256_of(archive) == notice.pdf_sha256:
            stamped.append(lambda folder: archive)
        elif prints_as_sealed:
            published = numbered(doc, notice.number, notice.published_on)
            stamped.append(lambda folder: _print(published, folder / "reference-published.pdf"))
    return stamped, plain


def _print(doc: NoticeDocument, out: Path) -> Path:
    notice_document.render_pdf(doc, out)
    return out


def _published_form(notice: Notice, pdf: render.RenderedPdf) -> bool | None:
    """Whether the file is the published form (its first page carries the number stamp), the form without
    (a draft export, a reprint), or None when its first page says nothing to tell."""
    if notice.status != "published" or not notice.number or not notice.published_on:
        return False
    try:
        first = pdf_text.squash(pdf.text(0)) if pdf.page_count else ""
    except Exception:  # noqa: BLE001 — a page without a readable text layer
        return None
    if not first:
        return None
    stamp = numbered(NoticeDocument(template=notice.template, title_lines=[]), notice.number, notice.published_on)
    return pdf_text.squash(stamp.blocks[0].text) in first


def _text_layer(path: Path, pdf: render.RenderedPdf, reference: render.RenderedPdf) -> FileCheck:
    """The pages look the same: their text (what is copied or searched) must be the same too."""
    for index in range(pdf.page_count):
        try:
            same = pdf_text.squash(pdf.text(index)) == pdf_text.squash(reference.text(index))
        except Exception:  # noqa: BLE001 — a text layer PDFium cannot read is not the one we wrote
            same = False
        if not same:
            return FileCheck(f"“{path.name}”第 {index + 1} 页上的文字层与原件不一致（页面看起来相同，"
                             "但复制或检索出来的文字不同）", [index + 1])
    return FileCheck()


@dataclass
class _PageOrder:
    """The file's pages set against the original's by their text: missing, extra and moved pages."""

    missing: list[int] = field(default_factory=list)  # the original's pages the file has not
    extra: list[int] = field(default_factory=list)  # the file's pages the original has not
    moved: list[tuple[int, int]] = field(default_factory=list)  # (the file's page, the original's page)

    @property
    def pages(self) -> list[int]:
        """The file's pages to name: extra and moved ones."""
        return sorted(set(self.extra + [mine for mine, _ in self.moved]))

    def said(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"缺少原件的{_pages(self.missing)}")
        if self.extra:
            out.append(f"多出了原件没有的{_pages(self.extra)}")
        if self.moved:
            out.append("页的顺序与原件不同：" + "，".join(f"第 {mine} 页是原件的第 {theirs} 页"
                                                       for mine, theirs in self.moved[:MAX_PAGES_NAMED])
                       + ("等" if len(self.moved) > MAX_PAGES_NAMED else ""))
        return out


def _page_order(pdf: render.RenderedPdf, reference: render.RenderedPdf) -> _PageOrder:
    """The file's pages set against the original's by the text on each (each page of a notice prints its
    own page number): which pages are missing, extra or in another place. Nothing when unreadable."""
    try:
        mine = [pdf_text.squash(pdf.text(i)) for i in range(pdf.page_count)]
        theirs = [pdf_text.squash(reference.text(i)) for i in range(reference.page_count)]
    except Exception:  # noqa: BLE001 — a text layer PDFium cannot read: the pages are named as they differ
        return _PageOrder()
    order = _PageOrder()
    where = {text: index + 1 for index, text in reversed(list(enumerate(theirs))) if text}
    if len(mine) == len(theirs):  # pages in other places (swapped, one copied over another)
        order.moved = [(page, where[text]) for page, text in enumerate(mine, 1)
                       if text != theirs[page - 1] and where.get(text, page) != page]
        return order
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0  # pages in the same place, changed
        if tag in ("replace", "delete"):
            order.missing += range(i1 + paired + 1, i2 + 1)
        if tag in ("replace", "insert"):
            order.extra += range(j1 + paired + 1, j2 + 1)
    order.moved = [(page, where[mine[page - 1]]) for page in order.extra if mine[page - 1] in where]
    order.extra = [page for page in order.extra if mine[page - 1] not in where]
    order.missing = [page for page in order.missing if page not in {original for _, original in order.moved}]
    return order


def _pages(numbers: list[int]) -> str:
    text = "第 " + "、".join(str(n) for n in numbers[:MAX_PAGES_NAMED]) + " 页"
    return text + (f"等 {len(numbers)} 页" if len(numbers) > MAX_PAGES_NAMED else "")


def _describe(name: str, comparison: render.Comparison, order: _PageOrder | None = None) -> str:
    """What differs, page by page, in words: “x.pdf”第 5 页与原件不同（页面下部，原件此处印的是“¥9,600.00”）;
    pages missing, added or moved (`order`) are said as such."""
    differences = comparison.differences
    said = order.said() if order is not None else []
    pages = _pages([d.page for d in differences])
    if comparison.pages != comparison.reference_pages:
        text = f"“{name}”有 {comparison.pages} 页，原件是 {comparison.reference_pages} 页，页数不一致"
        if said:
            return text + "（" + "；".join(said) + "）"
        return text + (f"，{pages}也与原件不同" if differences else "")
    if order is not None and order.moved:
        return f"“{name}”{_pages(order.pages)}与原件不同（" + "；".join(said) + "）"
    first = differences[0]
    detail = _detail(first)
    if detail and len(differences) > 1:
        detail = f"第 {first.page} 页{detail}"
    return f"“{name}”{pages}与原件不同" + (f"（{detail}）" if detail else "")


def _detail(difference: render.PageDifference) -> str:
    """What is different on a page, in words."""
    if difference.rotated:
        return "页面被旋转过，方向与原件不同"
    if difference.size:
        return "页面大小与原件不同，可能被裁切过或换了纸张大小"
    quote = difference.reference_text if len(difference.reference_text) <= MAX_QUOTE else \
        difference.reference_text[:MAX_QUOTE] + "…"
    parts = ["屏幕上看与原件相同，打印出来却不同" if difference.printing else "", difference.where,
             f"原件此处印的是“{quote}”" if quote else ""]
    return "，".join(part for part in parts if part)


# ---------------------------------------------------------------------------------- text only


def _printed_tail(notice: Notice) -> str:
    """What the PDF writer prints after the document's texts: the verification block with the code."""
    bare = NoticeDocument(template=notice.template, title_lines=[], verification_code=notice.verification_code)
    with tempfile.TemporaryDirectory(prefix="notice-verify-") as folder:
        out = Path(folder) / "tail.pdf"
        notice_document.render_pdf(bare, out)
        pages = pdf_text.page_texts(out)
    if pages is None:
        raise UserError("无法读回核验用的参照文件。请用核验码核验，并把这个问题告诉软件维护人员。")
    return pdf_text.flatten(pages)


def _text_problem(notice: Notice, path: Path) -> str:
    """"" when the file prints exactly the notice's sealed texts (in the published form or not), else what
    is wrong with it."""
    pages = pdf_text.page_texts(path)
    if pages is None:
        return f"无法读出“{path.name}”上的文字（文件可能被其他程序另存或改动过）"
    inserts: tuple[str, ...] = ()
    if notice.status == "published" and notice.number and notice.published_on:
        stamped = numbered(NoticeDocument(template=notice.template, title_lines=[]), notice.number,
                           notice.published_on)
        inserts = tuple(block.text for block in stamped.blocks if isinstance(block, Paragraph))
    texts = json.loads(notice.document_json or "[]")
    if pdf_text.says(pages, texts, inserts=inserts, tail=_printed_tail(notice)):
        return ""
    return f"“{path.name}”上印的文字与核验码 {notice.verification_code} 对应的公示不一致"
