"""The paper questionnaire (纸质问卷) to print and hand out, as a compact A4 document.

Every option is printed with its box and its numeric code ("□ 1 亲子教育"): the code is what staff key in
paper entry (`surveys.keying`), so a form reads the same on paper and on screen. A question asked only after a
given answer says so ("（第6题选“养老服务”的请答）"); a matrix is a grid of its rows by the scale's points;
text questions get lines to write on. Set in 五号 type (`Document.compact`) so the 13-question template
fits on two or three pages. Nothing about any respondent is printed: it is a blank form."""

from pathlib import Path

from desktop_app.core.documents.model import Block, Column, Document, Heading, Paragraph, Table
from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire

BOX = "□"
NOUN = "纸质问卷"
WRITING_LINES = {"text": 2, "region": 1, "number": 1}


def write_paper_form(survey_name: str, form: Questionnaire, out: Path) -> Path:
    """Write the blank paper form of `form` to `out` (a .pdf), atomically; UserError when it cannot."""
    from desktop_app.core.documents.pdf import render_pdf  # reportlab loads slowly: only when printing

    out = Path(out)
    render_pdf(paper_form_document(survey_name, form), out)
    return out


def paper_form_document(survey_name: str, form: Questionnaire) -> Document:
    blocks: list[Block] = []
    if form.intro.strip():
        blocks.append(Paragraph(form.intro.strip()))
    # filled in by the office: the form's number is what paper entry and double entry match on
    blocks.append(Table((Column("问卷编号", 1), Column("调查员", 1), Column("调查日期", 1)), (("", "", ""),),
                        lines="grid"))
    blocks.append(Paragraph("填写说明：请在选中的选项前的□内打“√”；方框旁的数字是录入代码，由工作人员录入时使用。"))
    numbers = {q.code: q.number or str(i) for i, q in enumerate(form.questions, start=1)}
    for q in form.questions:
        blocks.append(Heading(f"{numbers[q.code]}. {q.text}{hint(q)}{condition(q, form, numbers)}", level=2))
        blocks += answer_blocks(q)
    blocks.append(Paragraph("问卷到此结束，谢谢您的支持！"))
    return Document([survey_name or form.title, "调查问卷"], blocks, noun=NOUN, subject="需求调查问卷", compact=True,
                    fix_place="“需求调查”页的问卷设计里")


def hint(q: Question) -> str:
    """How to answer, unless the question's own text already says it."""
    text = q.text
    match q.type:
        case "single":
            return "" if "单选" in text else "（单选）"
        case "multiple":
            if q.max_choices and f"最多选{q.max_choices}" not in text:
                return f"（可多选，最多选{q.max_choices}项）"
            return "" if "多选" in text else "（可多选）"
        case "ranking":
            return "（请排序：在□内填写名次1、2、3…，1为最前）"
        case "scale":
            return "（请打分，单选）"
        case "matrix":
            return "（请每行打分，每行单选）"
        case "number":
            return "（请填数字）"
    return ""


def condition(q: Question, form: Questionnaire, numbers: dict[str, str]) -> str:
    """"（第6题选“养老服务”的请答）" for a question asked only after given answers."""
    if q.show_if is None:
        return ""
    parent = form.question(q.show_if.question)
    if parent is None:
        return ""
    labels = [f"“{o.label}”" for code in q.show_if.codes if (o := parent.option(code)) is not None]
    return f"（第{numbers[parent.code]}题选{'或'.join(labels)}的请答）" if labels else ""


def option_text(o: Option) -> str:
    """"□ 1 亲子教育"; a label that starts with its own code ("1分 很不满意") is printed once: "□ 1分 很不满意"."""
    label = o.label + ("____" if o.other else "")
    code = str(o.code)
    if label.startswith(code) and not label[len(code):len(code) + 1].isdigit():
        return f"{BOX} {label}"
    return f"{BOX} {code} {label}"


def answer_blocks(q: Question) -> list[Block]:
    if q.type == "matrix":
        return [_matrix(q)]
    if q.options:
        return [_options(q)]
    lines = WRITING_LINES.get(q.type, 1)
    return [Table((Column("", 1),), tuple(("",) for _ in range(lines)), header=False, lines="below")]


def _options(q: Question) -> Table:
    texts = [option_text(o) for o in q.options]
    widths = sorted(_ems(t) for t in texts)
    # one long option among many may wrap in its cell rather than put every option on a line of its own
    longest = widths[-2] if len(widths) >= 6 else widths[-1]
    per_row = 5 if longest <= 7.5 else 4 if longest <= 9.5 else 3 if longest <= 13 else 2 if longest <= 20 else 1
    if q.type == "scale":
        per_row = max(per_row, min(len(texts), 5))  # a scale reads left to right on one line
    rows = [texts[i:i + per_row] for i in range(0, len(texts), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    return Table(tuple(Column("", 1) for _ in range(per_row)), tuple(tuple(r) for r in rows), header=False,
                 lines="none")


def _matrix(q: Question) -> Table:
    columns = (Column("", 3), *(Column(o.label, 2, "center") for o in q.options))
    rows = tuple((row.label, *(f"{BOX} {o.code}" for o in q.options)) for row in q.rows)
    return Table(columns, rows)


def _ems(text: str) -> float:
    """Printed width in character widths: a CJK character is one, a letter, digit or space a half."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != BOX else 1 for ch in text)
