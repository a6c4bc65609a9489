"""`notice verify FILE` and `notice publish FILE` against files a hostile tester made (issue 12):

- a copy saved again by another program (pypdf escapes the keywords, or writes them as UTF-16, or keeps the
  code only in a compressed XMP packet or only printed on the last page) is compared like any other file:
  unchanged it verifies (exit 0), a page turned, cropped, removed, added, swapped or drawn over exits 4
  naming the page (or saying the page count differs) and what to do;
- a forgery only printing shows (optional content off on screen, on when printed) or an annotation over a
  figure exits 4;
- publishing by a file that does not show what the draft prints is refused, and nothing changes;
- a folder, a code 100,000 characters long, a 2 GB file and a flate bomb are refused cheaply, in Chinese.

The demo workspace (seed 004) with the real PDF writer."""

import time
import tracemalloc

import pytest

from desktop_app.core.documents import render
from desktop_app.core.notices.document import KEYWORD_PREFIX
from tests.cli.helpers import data_state, ok, run
from tests.cli.test_notice_verify_file import export, set_up
from tests.core.notices.forgery import (
    box_annotation_over,
    draw_over,
    find_figure,
    flate_bomb,
    print_only_box,
    resaved,
    xmp_packet,
)
from tests.core.notices.test_verify_rendering import FIGURE, FORGED

WHAT_TO_DO = "请以出具单位存档的公示为准"


@pytest.fixture
def draft(demo, capsys, tmp_path):
    """The 2024 notice (it prints ¥9,600.00) exported as a draft: (workspace, the file, its code)."""
    set_up(demo)
    exported = export(demo, capsys, tmp_path / "公示.pdf")
    return demo, tmp_path / "公示.pdf", exported


def verify(folder, path, capsys):
    return run(folder, "notice", "verify", path, capsys=capsys)


# ------------------------------------------------------------------ saved again: the code is still read


def _no_raw_code(path) -> None:
    assert KEYWORD_PREFIX.encode() not in path.read_bytes()  # what the raw scan looked for


CODE_KEPT = {
    "keywords with octal escapes": lambda code: {},
    "keywords in UTF-16": lambda code: {"keywords": f"{KEYWORD_PREFIX}{code} 公示"},
    "only in a compressed XMP packet": lambda code: {"keywords": "", "xmp": xmp_packet(f"{KEYWORD_PREFIX}{code}")},
    "only printed on the last page": lambda code: {"keywords": ""},
}


@pytest.mark.parametrize("kept", CODE_KEPT.values(), ids=CODE_KEPT.keys())
def test_a_copy_saved_again_by_another_program_verifies(draft, capsys, tmp_path, kept):
    folder, path, exported = draft
    copy = resaved(path, tmp_path / "另存.pdf", **kept(exported["code"]))
    _no_raw_code(copy)
    code, out = verify(folder, copy, capsys)
    assert code == 0 and out.out.startswith("数据未变："), out.err
    assert "只核对了上面的文字" not in out.out  # compared page by page


def _swap_2_3(writer) -> None:
    kids = writer.root_object["/Pages"]["/Kids"]
    kids[1], kids[2] = kids[2], kids[1]


def _crop(writer) -> None:
    from pypdf.generic import RectangleObject

    page = writer.pages[0]
    page.cropbox = RectangleObject([20, 20, float(page.mediabox.width) - 20, float(page.mediabox.height) - 20])


CHANGES = {
    "page 2 turned": (lambda w: w.pages[1].rotate(90), "第 2 页与原件不同（页面被旋转过"),
    "page 1 cropped": (_crop, "第 1 页与原件不同（页面大小与原件不同，可能被裁切过"),
    "page 3 removed": (lambda w: w.remove_page(2), "页数不一致（缺少原件的第 3 页）"),
    "a page added": (lambda w: w.add_blank_page(), "页数不一致（多出了原件没有的第 "),
    "pages 2 and 3 swapped": (_swap_2_3, "第 2、3 页与原件不同（页的顺序与原件不同：第 2 页是原件的第 3 页，第 3 页是原件的第 2 页）"),
}


@pytest.mark.parametrize(("change", "said"), CHANGES.values(), ids=CHANGES.keys())
def test_pages_changed_by_another_program_exit_4_naming_the_page(draft, capsys, tmp_path, change, said):
    folder, path, exported = draft
    changed = resaved(path, tmp_path / "改过.pdf", change)
    _no_raw_code(changed)
    code, out = verify(folder, changed, capsys)
    assert code == 4 and out.out == "", out.err
    assert out.err.startswith("文件不符：“改过.pdf”") and said in out.err, out.err
    assert "可能被改动过" in out.err and WHAT_TO_DO in out.err and f"核验码 {exported['code']} 核验" in out.err


def test_a_figure_drawn_over_and_saved_by_pypdf_alone_exits_4(draft, capsys, tmp_path):
    """The overlay forgery without the code copied back as a comment: pypdf's escaped keywords are read."""
    folder, path, _exported = draft
    page = draw_over(path, tmp_path / "改过.pdf", FIGURE, FORGED)
    stripped = resaved(tmp_path / "改过.pdf", tmp_path / "另存.pdf")
    _no_raw_code(stripped)
    code, out = verify(folder, stripped, capsys)
    assert code == 4 and out.err.startswith(f"文件不符：“另存.pdf”第 {page} 页与原件不同（") and FIGURE in out.err


# ------------------------------------------------------------------ what shows only on paper or over the page


def test_a_white_box_printed_only_exits_4(draft, capsys, tmp_path):
    folder, path, _exported = draft
    print_only_box(path, tmp_path / "打印.pdf", FIGURE)
    code, out = verify(folder, tmp_path / "打印.pdf", capsys)
    assert code == 4 and out.err.startswith("文件不符：“打印.pdf”里有原件没有的可选内容层"), out.err
    assert "可能被改动过" in out.err and WHAT_TO_DO in out.err


def test_a_print_only_box_is_seen_when_the_page_is_rendered_for_printing(draft, tmp_path):
    """Without the structural check (a file PDFium reads but pypdf could not), the page rendered for
    printing still shows the box: the page differs, as printed, where the figure is."""
    _folder, path, _exported = draft
    page = print_only_box(path, tmp_path / "打印.pdf", FIGURE)
    with render.open_pdf(tmp_path / "打印.pdf", trusted=True) as pdf, render.open_pdf(path, trusted=True) as original:
        assert pdf.additions() == []  # PDFium alone does not say optional content
        comparison = render.compare(pdf, original)
    assert [d.page for d in comparison.differences] == [page]
    difference = comparison.differences[0]
    assert difference.printing and FIGURE in difference.reference_text


def test_a_box_annotation_over_a_figure_exits_4(draft, capsys, tmp_path):
    folder, path, _exported = draft
    page = box_annotation_over(path, tmp_path / "批注.pdf", FIGURE)
    code, out = verify(folder, tmp_path / "批注.pdf", capsys)
    assert code == 4 and out.err.startswith(f"文件不符：“批注.pdf”里有原件没有的第 {page} 页上的批注"), out.err
    code, out = run(folder, "notice", "verify", tmp_path / "批注.pdf", "--json", capsys=capsys)
    assert code == 4 and '"file_pages": [\n    ' + str(page) in out.out


def _open_action(writer) -> None:
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer.root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference,
                                                                 NameObject("/XYZ"), NumberObject(0),
                                                                 NumberObject(0), NumberObject(4)])


def _script(writer) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")})
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])})  # noqa: SLF001
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})


ADDED = {
    "a script": (_script, "脚本"),
    "an action on opening": (_open_action, "打开文件时自动执行的动作"),
    "an embedded file": (lambda w: w.add_attachment("说明.txt", b"x"), "嵌入的附件"),
}


@pytest.mark.parametrize(("change", "said"), ADDED.values(), ids=ADDED.keys())
def test_what_a_reader_runs_or_keeps_besides_the_pages_exits_4(draft, capsys, tmp_path, change, said):
    folder, path, _exported = draft
    changed = resaved(path, tmp_path / "改过.pdf", change)
    code, out = verify(folder, changed, capsys)
    assert code == 4 and out.err.startswith("文件不符：“改过.pdf”里有原件没有的") and said in out.err, out.err


# ------------------------------------------------------------------ publishing by an altered file


def _notices_folder(folder) -> list[tuple[str, bytes]]:
    notices = folder / "notices"
    return sorted((p.name, p.read_bytes()) for p in notices.iterdir()) if notices.is_dir() else []


def test_publishing_a_file_that_differs_from_the_draft_is_refused_and_changes_nothing(draft, capsys, tmp_path):
    folder, path, exported = draft
    page = draw_over(path, tmp_path / "改过.pdf", FIGURE, FORGED)
    before, files = data_state(folder), _notices_folder(folder)
    code, out = run(folder, "notice", "publish", tmp_path / "改过.pdf", "--date", "2025-01-06", capsys=capsys)
    assert code == 1 and out.out == ""
    assert out.err.startswith(f"错误：不能发布：“改过.pdf”第 {page} 页与原件不同（") and FIGURE in out.err, out.err
    assert "请重新导出这份公示" in out.err and "发布那一份" in out.err and exported["id"] in out.err
    assert data_state(folder) == before and _notices_folder(folder) == files
    # the file exported, saved again unchanged by another program, is the draft: it publishes
    out = ok(folder, capsys, "notice", "publish", resaved(path, tmp_path / "另存.pdf"), "--date", "2025-01-06")
    assert out.startswith("已发布公示 2025-001")


# ------------------------------------------------------------------ refused cheaply


def test_a_folder_is_said_to_be_a_folder(demo, capsys, tmp_path):
    for command in ("verify", "publish"):
        code, out = run(demo, "notice", command, tmp_path, capsys=capsys)
        assert code == 1 and f"“{str(tmp_path)[:40]}" in out.err and "是一个文件夹，不是 PDF 文件" in out.err, out.err
        assert "找不到文件" not in out.err


@pytest.mark.parametrize("typed", ["A" * 100_000, "ABCDE-FGH2K " + "X" * 100_000,
                                   "".join(chr(0x4E00 + i) for i in range(20_000)), "a" * 100_000 + ".pdf"])
def test_a_code_100000_characters_long_is_not_said_back_in_full(demo, capsys, typed):
    code, out = run(demo, "notice", "verify", typed, capsys=capsys)
    assert code == 1 and len(out.err) < 300 and typed[:40] + "…" in out.err, out.err[:300]
    assert "核验码有误" in out.err or "找不到文件" in out.err


def test_a_2_gb_file_is_refused_without_being_read(demo, capsys, tmp_path):
    huge = tmp_path / "大.pdf"
    with open(huge, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(2 * 1024 ** 3)  # sparse: takes no disk
    tracemalloc.start()
    try:
        code, out = run(demo, "notice", "verify", huge, capsys=capsys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 1 and out.err.startswith("错误：“大.pdf”有 2.0 GB，不是本程序生成的公示文件") and "远小于此" in out.err
    assert peak < 64 * 1024 ** 2


def test_a_flate_bomb_is_refused_before_it_is_drawn(draft, capsys, tmp_path, monkeypatch):
    folder, path, _exported = draft
    index, _box, _size = find_figure(path, FIGURE)
    bomb = flate_bomb(path, tmp_path / "炸弹.pdf", 200, page=index)
    assert bomb.stat().st_size < 2 * 1024 ** 2
    drawn = []
    real_image = render.RenderedPdf.image
    monkeypatch.setattr(render.RenderedPdf, "image", lambda pdf, i, **kw: drawn.append(i) or real_image(pdf, i, **kw))
    started = time.monotonic()
    code, out = verify(folder, bomb, capsys)
    assert code == 4 and out.err.startswith(f"文件不符：“炸弹.pdf”第 {index + 1} 页含有大得不合常理的数据"), out.err
    assert WHAT_TO_DO in out.err and drawn == []  # no page of it drawn: the 200 MB never inflated
    assert time.monotonic() - started < 10
