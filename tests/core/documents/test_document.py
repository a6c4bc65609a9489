"""A document that is not a notice: the writer prints what the document carries (its subject, keywords,
code box and the noun its messages use) and knows nothing of notices."""

import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.core.documents.model import CodeBox, Document, Paragraph, Photo, PhotoGrid
from desktop_app.core.documents.pdf import render_pdf
from desktop_app.core.errors import UserError


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_a_plain_document_prints_what_it_carries(tmp_path):
    out = tmp_path / "report.pdf"
    doc = Document(["青花镇需求调查报告"], [Paragraph("共收回问卷250份。")], noun="报告", subject="调查报告",
                   keywords="survey:A1", code_box=CodeBox("报告编号", "A1", "凭报告编号可在软件中查到原始问卷。"))
    render_pdf(doc, out)
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert "调查报告" in info and "survey:A1" in info
    text = "".join(subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout.split())
    assert "共收回问卷250份。" in text and "报告编号：A1" in text and "凭报告编号可在软件中查到原始问卷。" in text


def test_messages_name_the_document_by_its_noun(tmp_path):
    doc = Document(["报告"], [PhotoGrid((Photo(Path(tmp_path / "gone.jpg"), "入户走访"),))], noun="报告")
    with pytest.raises(UserError, match="从报告草稿中去掉它"):
        render_pdf(doc, tmp_path / "report.pdf")
    with pytest.raises(UserError, match="^报告里有 1 个字"):
        render_pdf(Document(["标题\ue000"], noun="报告"), tmp_path / "report.pdf")
    assert not list(tmp_path.iterdir())
