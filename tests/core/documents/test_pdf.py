"""The PDF writer, with a notice as its document: fonts embedded, facts present, missing glyphs and
photos refused before anything is written, page numbers, verification code round trip."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from desktop_app.core.documents import pdf
from desktop_app.core.documents.fonts import register_fonts
from desktop_app.core.documents.model import (
    Column,
    Field,
    Heading,
    Item,
    Paragraph,
    Photo,
    PhotoGrid,
    SignOff,
    Table,
)
from desktop_app.core.errors import Cancelled, UserError
from desktop_app.core.notices.document import NoticeDocument, read_verification_code

needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

RARE_NAMES = "䶮㛃堃喆镕赟珺彧旻昇玥琇琦垚瑄秾甦犇淼焱燚鑫"
CAPTIONS = ["青花试点工作讨论会", "复刊青花钢铁报", "青花系列慈善活动", "青花前期调研", "青花慈善阵地",
            "八台需求调研", "八台慈善音乐会", "八台系列慈善活动", "八台镇项目启动仪式"]
PURPOSE = (
    "慈善事业是中国特色社会主义事业的重要组成部分，也是国家治理体系的重要内容。党的二十届三中全会明确提出"
    "“支持发展公益慈善事业”等改革要求，为进一步推进慈善事业改革发展指明重点和方向。整合资源打造慈善空间"
    "（场景），建立慈善供需对接机制，加强辖区内外慈善资源整合，设立社区发展基金，围绕各类慈善项目实施，"
    "服务辖区内特殊困难群体，促进城乡融合发展。"
)


def make_photos(folder: Path, count: int = len(CAPTIONS)) -> list[Path]:
    paths = []
    for i in range(count):
        size = (320, 240) if i % 4 else (240, 320)  # one portrait in four
        img = Image.new("RGB", size, (60 + 20 * i % 180, 120, 200 - 15 * i % 150))
        ImageDraw.Draw(img).ellipse((20, 20, size[0] - 20, size[1] - 20), fill=(240, 200, 80))
        path = folder / f"photo-{i}.jpg"
        img.save(path, quality=80)
        paths.append(path)
    return paths


def ledger_rows(count: int = 30) -> tuple[tuple[str, ...], ...]:
    """`count` expense lines summing to ¥316,000.00."""
    rows = []
    total = Decimal("316000.00")
    spent = Decimal(0)
    for i in range(count):
        amount = Decimal(6000 + 211 * i) + Decimal(i % 7) / 4 if i < count - 1 else total - spent
        spent += amount
        summary = ["青花慈善阵地集装箱改造（第{}期进度款）", "慈善音乐会舞台、音响租赁", "社区需求调查问卷印制",
                   "社区赋能培训讲师劳务费", "新春游园会礼品采购"][i % 5].format(i + 1)
        rows.append((f"记-{i + 1:04d}", f"2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}", summary, "", f"¥{amount:,.2f}"))
    assert spent == total
    return tuple(rows)


def seed_document(folder: Path, *, code: str = "7K3M-Q9TX", photos: list[Path] | None = None) -> NoticeDocument:
    photos = photos if photos is not None else make_photos(folder)
    blocks = [
        Heading("一、项目信息"),
        Field("项目名称", "四川省慈善事业高质量发展试点工作"),
        Field("项目主要内容和绩效目标", PURPOSE),
        Field("项目周期", "2024年2月至2025年2月"),
        Field("资金额度", "90万元"),
        Field("项目负责人", "万源市慈善会秘书长蒲栋、八台社区社会组织联合会黄国春"),
        Field("联系方式", "13551281592、15583376966"),
        Field("项目完成情况", "现拨付资金共31.6万元用于慈善阵地建设及活动开展。"),
        Heading("二、项目效果"),
        Heading("青花镇立信社区慈善试点情况", level=2),
        Item("（一）", "党委政府高度重视，积极探索慈善工作思路。",
             "为切实做好2024年慈善事业高质量发展试点工作，政府分管领导、立信社区党委书记、业务人员先后参加考察学习、"
             "理论培训、专题会议，组织召开试点专题工作会议5次，探索梳理青花镇慈善发展方向。"),
        Item("（二）", "多方联合行动，迅速摸准居民需求。",
             "通过入户走访、网络征集，共收集250份有效调查问卷，明确了以“亲子教育、养老服务、就业、环境卫生”"
             "等四个方面作为今后社区基层治理、居民服务的发展方向。"),
        Item("（三）", "以青花特色为基调，打造“慈善社区”名片。",
             "以“工业遗风”为出发点和着力点，打造“钢铁记忆”，提炼“钢铁文化”，并复刊了青花钢铁报。"),
        Heading("八台镇立信社区慈善试点情况", level=2),
        Item("（一）", "八台镇天池村慈善助力文旅融合试点项目启动仪式。",
             "现场发放调查问卷和宣传手册各40份，村民代表代为向各村社发放问卷200份。"),
        Item("（二）", "开展慈善音乐会活动。",
             "12月27日，一场以“尚善红城·爱聚万源”为主题的迎新慈善音乐会活动在四川省万源市八台镇大巴山"
             f"国家地质公园广场圆满举行。活动共吸引了150余名来自帮扶工作队、爱心单位的代表参与。志愿者{RARE_NAMES[:4]}参加了服务。"),
        Heading("三、经费收支情况"),
        Paragraph("本期共支出31.6万元，全部为慈善活动支出，明细如下。"),
        Table(
            columns=(Column("凭证号", 1.2, "center"), Column("日期", 1.3, "center"), Column("摘要", 3.6),
                     Column("收入", 1.3, "right"), Column("支出", 1.5, "right")),
            rows=ledger_rows(),
            totals=(("合计", "", "", "¥0.00", "¥316,000.00"),
                    ("合计：¥316,000.00（人民币叁拾壹万陆仟元整）",)),
            caption="经费支出明细",
        ),
        PhotoGrid(tuple(Photo(p, c) for p, c in zip(photos, CAPTIONS, strict=False))),
        Paragraph("公示期：2025年1月6日至2025年1月15日。监督电话：万源市慈善会0818-8621234，12345。"),
        SignOff(("万源市慈善会", "八台社区社会组织联合会"), date(2025, 1, 5)),
    ]
    return NoticeDocument("fund-usage", ["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示"], blocks,
                          verification_code=code)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, pdf.RenderInfo]:
    folder = tmp_path_factory.mktemp("notice")
    out = folder / "notice.pdf"
    calls = []
    info = pdf.render_pdf(seed_document(folder), out, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1]
    return out, info


def test_render_writes_a_multi_page_pdf(rendered):
    out, info = rendered
    assert out.read_bytes().startswith(b"%PDF-")
    assert info.size == out.stat().st_size
    assert info.pages >= 3
    assert set(info.fonts) == {"DroidSansFallback", "UMingCN"}
    assert not list(out.parent.glob("*.tmp"))


@needs_poppler
def test_every_font_embedded_and_no_helvetica(rendered):
    out, _ = rendered
    lines = run("pdffonts", str(out)).splitlines()[2:]
    assert lines
    for line in lines:
        cols = line.split()  # name type encoding emb sub uni object-id
        assert cols[1] == "TrueType" and cols[-5] == "yes", line
    names = {line.split()[0].split("+")[-1] for line in lines}
    assert names == {"DroidSansFallback", "UMingCN"}  # no unembedded Helvetica from the canvas


@needs_poppler
def test_text_holds_the_facts_and_page_numbers(rendered):
    out, info = rendered
    text = run("pdftotext", "-layout", str(out), "-")
    flat = "".join(text.split())
    for fact in ["四川省慈善事业高质量发展试点工作", "2024年经费使用情况公示", "一、项目信息", "项目名称：",
                 "项目周期：2024年2月至2025年2月", "13551281592、15583376966", "现拨付资金共31.6万元",
                 "青花镇立信社区慈善试点情况", "（一）党委政府高度重视", "经费支出明细", "记-0030",
                 "¥316,000.00", "人民币叁拾壹万陆仟元整", "（青花试点工作讨论会）", "（八台镇项目启动仪式）",
                 "万源市慈善会", "2025年1月5日", "核验码：7K3M-Q9TX", RARE_NAMES[:4]]:
        assert fact in flat, fact
    for page in range(1, info.pages + 1):
        assert f"— {page} —" in text
    # the table header repeats on the next page
    assert flat.count("凭证号日期摘要收入支出") >= 2


@needs_poppler
def test_jpeg_photos_pass_through(rendered):
    out, _ = rendered
    listing = run("pdfimages", "-list", str(out)).splitlines()[2:]
    photos = [line for line in listing if line.split()[2] == "image"]
    assert len(photos) == len(CAPTIONS)
    assert all(line.split()[8] == "jpeg" for line in photos), listing


def test_verification_code_round_trips(rendered, tmp_path):
    out, _ = rendered
    assert read_verification_code(out) == "7K3M-Q9TX"
    other = tmp_path / "x.pdf"
    pdf.render_pdf(NoticeDocument("progress", ["标题"], [Paragraph("草稿")]), other)
    assert read_verification_code(other) is None
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf charity-ledger-notice:AAAA-BBBB")
    assert read_verification_code(junk) is None


def test_character_in_neither_font_stops_the_export(tmp_path):
    out = tmp_path / "bad.pdf"
    doc = NoticeDocument("fund-usage", ["标题"], [Field("项目负责人", "张\ue000明"), Paragraph("又见\ue000与\U000f0001")])
    with pytest.raises(UserError) as err:
        pdf.render_pdf(doc, out)
    text = str(err.value)
    assert "U+E000" in text and "U+F0001" in text and "项目负责人" in text and "拼音" in text
    assert not out.exists() and not list(tmp_path.iterdir())


def test_rare_name_in_one_face_only_is_drawn_by_the_other(tmp_path):
    fonts = register_fonts()
    only_body = [c for c in "“”—…·¥" + RARE_NAMES if fonts.has(fonts.body, c) and not fonts.has(fonts.heading, c)]
    assert only_body  # the heading face lacks curly quotes, so they come from the body face
    only_heading = "刏"  # U+520F: in Droid Sans Fallback, not in UMing
    assert fonts.has(fonts.heading, only_heading) and not fonts.has(fonts.body, only_heading)
    out = tmp_path / "rare.pdf"
    doc = NoticeDocument("fund-usage", [f"“{RARE_NAMES}”"],
                         [Item("（一）", f"“{RARE_NAMES}”", RARE_NAMES), Paragraph(f"王{only_heading}明")])
    pdf.render_pdf(doc, out)
    assert out.stat().st_size > 0
    if shutil.which("pdftotext"):
        text = "".join(run("pdftotext", str(out), "-").split())
        assert f"“{RARE_NAMES}”" in text and f"王{only_heading}明" in text


def test_invisible_characters_are_dropped(tmp_path):
    out = tmp_path / "zw.pdf"
    pdf.render_pdf(NoticeDocument("progress", ["标\u200b题\ufeff"], [Paragraph("正\u200d文\ufe0f")]), out)
    if shutil.which("pdftotext"):
        assert "标题" in run("pdftotext", str(out), "-")


def test_large_photos_get_small_print_copies(tmp_path):
    big = tmp_path / "display.jpg"
    Image.effect_noise((1600, 1200), 40).convert("RGB").save(big, quality=82)
    png = tmp_path / "scan.png"
    Image.new("RGBA", (1000, 1400), (200, 30, 30, 128)).save(png)
    out = tmp_path / "photos.pdf"
    doc = NoticeDocument("fund-usage", ["照片"], [PhotoGrid((Photo(big, "大图"), Photo(png, "扫描件")))])
    info = pdf.render_pdf(doc, out)
    assert info.size < big.stat().st_size  # the 1600 px display copy is not embedded as it is
    assert not list(tmp_path.glob("*.tmp"))
    if shutil.which("pdfimages"):
        listing = run("pdfimages", "-list", str(out)).splitlines()[2:]
        sizes = sorted((int(line.split()[3]), int(line.split()[4]), line.split()[8]) for line in listing)
        assert sizes == [(457, 640, "jpeg"), (640, 480, "jpeg")]


def test_missing_photo_stops_the_export(tmp_path):
    photos = make_photos(tmp_path, 3)
    photos[1].unlink()
    out = tmp_path / "out.pdf"
    with pytest.raises(UserError) as err:
        pdf.render_pdf(seed_document(tmp_path, photos=photos), out)
    assert CAPTIONS[1] in str(err.value) and "重新添加" in str(err.value)
    assert str(tmp_path) not in str(err.value) and str(photos[1]) in err.value.technical  # the path: 详细信息
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))


def test_cancel_leaves_no_file_and_keeps_an_earlier_one(tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"%PDF-1.4 earlier export")

    def cancel(done, total):
        if done >= 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        pdf.render_pdf(seed_document(tmp_path, photos=[]), out, progress=cancel)
    assert out.read_bytes() == b"%PDF-1.4 earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        pdf.render_pdf(NoticeDocument("progress", ["标题"], []), tmp_path / "nope" / "x.pdf")


@needs_poppler
def test_the_sign_off_never_stands_alone_on_a_page(tmp_path):
    """Whatever the length before it, the page with the sign-off also has the paragraph before it (and
    the verification box under it)."""
    closing = "对公示内容有异议的，请在公示期内以书面形式或拨打上述监督电话向万源市慈善会反映，我们将及时核实并答复。"
    alone = []
    for filler in range(26, 40):  # one more line each time: the sign-off lands at every point of page 2
        blocks = [Paragraph("第" + "一二三四五六七八九十"[n % 10] + "段。" + "公示正文内容。" * 5) for n in range(filler)]
        doc = NoticeDocument("fund-usage", ["标题"], [*blocks, Field("意见反馈", closing),
                                                      SignOff(("万源市慈善会",), date(2025, 1, 5))],
                             verification_code="7K3M-Q9TX")
        out = tmp_path / f"n{filler}.pdf"
        pdf.render_pdf(doc, out)
        pages = ["".join(p.split()) for p in run("pdftotext", str(out), "-").split("\f")]
        [page] = [p for p in pages if "2025年1月5日" in p]
        if "意见反馈" not in page or "核验码" not in page:
            alone.append(filler)
    assert not alone
