"""The money parts of a notice: 收支总体情况 with the balances per fund, 支出情况 by category and by nature,
捐赠收入 (donors through the privacy pass, net of reversals), 收支明细 per fund, and the note on drafts
left out."""

from collections import defaultdict

from sqlmodel import select

from desktop_app.core.documents.model import Field, Paragraph
from desktop_app.core.models import EXPENSE_CLASSES, LedgerEntry
from desktop_app.core.money import format_yuan
from desktop_app.core.notices.context import BuildContext
from desktop_app.core.notices.formats import (
    capital_text,
    make_table,
    money_text,
    percent_text,
    sub_heading,
)
from desktop_app.core.queries.projects import budget_lines
from desktop_app.core.vouchers import voucher_text


def fund_balances(ctx: BuildContext) -> dict[str, dict]:
    """Per fund: opening balance, period income/expense, closing balance and restricted closing balances."""
    req = ctx.req
    out = {}
    for fund in ctx.funds:
        rows = ctx.session.exec(select(LedgerEntry).where(
            LedgerEntry.fund_id == fund.id, LedgerEntry.status == "posted", LedgerEntry.deleted == False,  # noqa: E712
            LedgerEntry.entry_date <= req.date_to))
        opening = 0
        restricted: dict[str, int] = defaultdict(int)
        for e in rows:
            sign = 1 if e.flow == "in" else -1
            if e.entry_date < req.date_from:
                opening += sign * e.amount_fen
            if e.restriction:
                restricted[e.restriction] += sign * e.amount_fen
        income = sum(e.amount_fen for e in ctx.entries if e.fund_id == fund.id and e.flow == "in")
        expense = sum(e.amount_fen for e in ctx.entries if e.fund_id == fund.id and e.flow == "out")
        out[fund.id] = {"opening": opening, "allocation": ctx.income_of("allocation", fund.id),
                        "donation": ctx.income_of("donation", fund.id), "income": income, "expense": expense,
                        "closing": opening + income - expense,
                        "restricted": {k: v for k, v in restricted.items() if v}}
    return out


def summary_part(ctx: BuildContext, blocks: list, sub: list[int]) -> dict[str, dict]:
    """收支总体情况: budget, opening, income by kind, expense and closing balance (per fund when more than
    one), and what the restricted balance is kept for. Returns the balances per fund."""
    balances = fund_balances(ctx)
    total = {k: sum(b[k] for b in balances.values())
             for k in ("opening", "allocation", "donation", "income", "expense", "closing")}
    restricted = sum(sum(b["restricted"].values()) for b in balances.values())
    other_in = total["income"] - total["allocation"] - total["donation"]
    blocks.append(sub_heading(sub, "收支总体情况"))
    if ctx.project.budget_fen:
        blocks.append(Field("项目预算", money_text(ctx.project.budget_fen)))
    if total["opening"]:
        blocks.append(Field("期初结余", money_text(total["opening"])))
    blocks.append(Field("本期拨入资金", money_text(total["allocation"])))
    blocks.append(Field("本期捐赠收入", money_text(total["donation"])))
    if other_in:
        blocks.append(Field("本期其他收入", money_text(other_in)))
    blocks.append(Field("本期支出", money_text(total["expense"])))
    blocks.append(Field("期末结余", money_text(total["closing"]) + (f"，其中限定性结余{format_yuan(restricted)}"
                                                                  if restricted else "")))
    if len(ctx.funds) > 1:
        labels = [("期初结余", "opening"), ("本期拨入", "allocation"), ("本期捐赠收入", "donation"),
                  ("本期收入合计", "income"), ("本期支出", "expense"), ("期末结余", "closing")]
        columns = [("项目", 2.2, "left")] + [(f.name, 2.6, "right") for f in ctx.funds] + [("合计", 2.2, "right")]
        rows = [[label] + [format_yuan(balances[f.id][key]) for f in ctx.funds] + [format_yuan(total[key])]
                for label, key in labels]
        rows.append(["其中：限定性结余"] + [format_yuan(sum(balances[f.id]["restricted"].values())) for f in ctx.funds]
                    + [format_yuan(restricted)])
        blocks.append(make_table(columns, rows, caption="各基金收支及结余"))
    purposes = [f"{purpose}{format_yuan(v)}（{fund.name}）" for fund in ctx.funds
                for purpose, v in sorted(balances[fund.id]["restricted"].items())]
    if purposes:
        blocks.append(Paragraph("限定性结余按捐赠人限定用途专款专用：" + "；".join(purposes) + "。"))
    return balances


def spending_part(ctx: BuildContext, blocks: list, sub: list[int], *, budget: bool) -> None:
    """支出情况: by category (with `budget`, beside the budget lines and the cumulative spending) and by
    nature (慈善活动支出, 管理费用 …) with its share."""
    by_category = ctx.expense_by("category")
    total = sum(by_category.values())
    blocks.append(sub_heading(sub, "支出情况"))
    if budget:
        lines: dict[str, int] = defaultdict(int)
        for line in budget_lines(ctx.session, ctx.project.id):
            lines[line.category] += line.amount_fen
        cumulative: dict[str, int] = defaultdict(int)
        if ctx.funds:
            for e in ctx.session.exec(select(LedgerEntry).where(
                    LedgerEntry.fund_id.in_(list(ctx.fund_names)), LedgerEntry.status == "posted",
                    LedgerEntry.deleted == False, LedgerEntry.flow == "out",  # noqa: E712
                    LedgerEntry.entry_date <= ctx.req.date_to)):
                cumulative[e.category or "（未分类）"] += e.amount_fen
        order = list(lines) + sorted((c for c in set(by_category) | set(cumulative) if c not in lines),
                                     key=lambda c: -cumulative.get(c, 0))
        rows = [[c, format_yuan(lines[c]) if c in lines else "—", format_yuan(by_category.get(c, 0)),
                 format_yuan(cumulative.get(c, 0))] for c in order]
        totals = [["合计", format_yuan(sum(lines.values())), format_yuan(total), format_yuan(sum(cumulative.values()))]]
        blocks.append(make_table([("支出类别", 2.4, "left"), ("预算金额", 2.2, "right"), ("本期支出", 2.2, "right"),
                                  ("累计支出", 2.2, "right")], rows, totals, caption="按支出类别"))
    else:
        rows = [[c, format_yuan(v)] for c, v in sorted(by_category.items(), key=lambda kv: -kv[1])]
        blocks.append(make_table([("支出类别", 3, "left"), ("本期支出", 2.4, "right")], rows,
                                 [["合计", format_yuan(total)]], caption="按支出类别"))
    by_class = ctx.expense_by("expense_class")
    classes = [c for c in EXPENSE_CLASSES if c in by_class] + [c for c in by_class if c not in EXPENSE_CLASSES]
    rows = [[c, format_yuan(by_class[c]), percent_text(by_class[c], total)] for c in classes]
    blocks.append(make_table([("支出性质", 3, "left"), ("本期支出", 2.4, "right"), ("占本期支出", 1.6, "right")], rows,
                             [["合计", format_yuan(total), "100.0%" if total else "—"]], caption="按支出性质"))


def donation_rows(ctx: BuildContext) -> list[tuple[LedgerEntry, int, str, str]]:
    """The period's donations net of their reversals: (entry, net amount, shown donor, restriction);
    a reversal whose donation lies outside the period stays as its own (negative) row."""
    donations = [e for e in ctx.entries if ctx.kinds[e.id] == "donation"]
    net = {e.id: e.amount_fen for e in donations if e.entry_type != "reversal"}
    out_of_period = []
    for e in donations:
        if e.entry_type == "reversal":
            if e.reverses_id in net:
                net[e.reverses_id] += e.amount_fen
            else:
                out_of_period.append(e)
    rows = []
    for e in donations:
        if e.entry_type != "reversal" and net[e.id]:
            shown = ctx.privacy.donor(e.counterparty_name, e.counterparty_kind, e.anonymous, e.publish_consent)
            rows.append((e, net[e.id], shown, e.restriction))
    for e in out_of_period:
        original = ctx.session.get(LedgerEntry, e.reverses_id) if e.reverses_id else None
        source = original or e
        shown = ctx.privacy.donor(source.counterparty_name, source.counterparty_kind, source.anonymous,
                                  source.publish_consent)
        rows.append((e, e.amount_fen, shown, "（冲销）" + (source.restriction or "")))
    return rows


def donor_part(ctx: BuildContext, blocks: list, sub: list[int]) -> None:
    """捐赠收入: the donations merged by shown donor and purpose, largest first."""
    rows = donation_rows(ctx)
    blocks.append(sub_heading(sub, "捐赠收入"))
    if not rows:
        blocks.append(Paragraph("本期没有收到资金捐赠。"))
        return
    merged: dict[tuple[str, str], list[int]] = {}
    for _e, amount, shown, restriction in rows:
        acc = merged.setdefault((shown, restriction or "非限定"), [0, 0])
        acc[0] += 1
        acc[1] += amount
    table_rows = [[shown, str(n), format_yuan(v), purpose]
                  for (shown, purpose), (n, v) in sorted(merged.items(), key=lambda kv: -kv[1][1])]
    total = sum(v for _n, v in merged.values())
    blocks.append(make_table([("捐赠方", 3.2, "left"), ("笔数", 0.9, "right"), ("金额", 2.2, "right"),
                              ("限定用途", 2.6, "left")], table_rows,
                             [["合计", str(sum(n for n, _v in merged.values())), format_yuan(total), ""]]))
    blocks.append(Paragraph(f"本期捐赠收入合计{money_text(total)}。未记录公开同意的捐赠人及匿名捐赠人统一列为“爱心人士”，"
                            "个人捐赠人的姓名部分隐去。"))


def detail_part(ctx: BuildContext, blocks: list, sub: list[int]) -> None:
    """收支明细: every posted entry of the period, one table per fund with its totals in figures and capitals."""
    blocks.append(sub_heading(sub, "收支明细"))
    columns = [("凭证号", 1.5, "center"), ("日期", 1.7, "center"), ("摘要", 4.2, "left"),
               ("收入", 1.9, "right"), ("支出", 1.9, "right")]
    grand_in = grand_out = 0
    shown_tables = 0
    for fund in ctx.funds:
        entries = [e for e in ctx.entries if e.fund_id == fund.id]
        if not entries:
            continue
        income = sum(e.amount_fen for e in entries if e.flow == "in")
        expense = sum(e.amount_fen for e in entries if e.flow == "out")
        grand_in += income
        grand_out += expense
        rows = [[voucher_text(e), e.entry_date.isoformat(), e.summary or ("红字冲销" if e.entry_type == "reversal" else ""),
                 format_yuan(e.amount_fen) if e.flow == "in" else "", format_yuan(e.amount_fen) if e.flow == "out" else ""]
                for e in entries]
        totals = [["合计", "", f"{len(entries)}笔", format_yuan(income), format_yuan(expense)],
                  [f"大写：收入{capital_text(income)}；支出{capital_text(expense)}"]]  # one row across the table
        blocks.append(make_table(columns, rows, totals, caption=fund.name))
        shown_tables += 1
    if not shown_tables:
        blocks.append(Paragraph("本期没有已记账的收支。"))
    elif shown_tables > 1:
        blocks.append(Paragraph(f"各基金本期收入合计{money_text(grand_in)}，支出合计{money_text(grand_out)}。"))
    drafts_note(ctx, blocks)


def drafts_note(ctx: BuildContext, blocks: list) -> None:
    """The drafts left out of the notice (exclude_drafts), said under the money."""
    if ctx.drafts:
        total = sum(d.amount_fen for d in ctx.drafts)
        blocks.append(Paragraph(f"注：本期另有{len(ctx.drafts)}笔尚未记账的草稿（合计{format_yuan(total)}）未列入本公示。"))


def period_money_part(ctx: BuildContext, blocks: list, sub: list[int]) -> None:
    """The progress notice's money in brief: the period's income, expense and closing balance of all funds,
    and 收入情况 by income category."""
    balances = fund_balances(ctx)
    income = sum(b["income"] for b in balances.values())
    expense = sum(b["expense"] for b in balances.values())
    closing = sum(b["closing"] for b in balances.values())
    restricted = sum(sum(b["restricted"].values()) for b in balances.values())
    blocks += [Field("本期收入", money_text(income)), Field("本期支出", money_text(expense)),
               Field("期末结余", money_text(closing) + (f"，其中限定性结余{format_yuan(restricted)}" if restricted else ""))]
    by_in: dict[str, int] = defaultdict(int)
    for e in ctx.entries:
        if e.flow == "in":
            by_in[e.category or "（未分类）"] += e.amount_fen
    rows = [[c, format_yuan(v)] for c, v in sorted(by_in.items(), key=lambda kv: -kv[1])]
    blocks.append(sub_heading(sub, "收入情况"))
    blocks.append(make_table([("收入类别", 3, "left"), ("本期收入", 2.4, "right")], rows, [["合计", format_yuan(income)]],
                             caption="按收入类别"))


def donation_list_part(ctx: BuildContext, blocks: list) -> None:
    """The donations notice's list of money donations: one table per fund (with the receipt numbers when
    asked), their total, and the drafts left out."""
    req = ctx.req
    rows = donation_rows(ctx)
    grand = 0
    for fund in ctx.funds:
        mine = [r for r in rows if r[0].fund_id == fund.id]
        if not mine:
            continue
        columns = [("日期", 1.7, "center"), ("捐赠方", 3, "left"), ("金额", 2, "right"), ("限定用途", 2.4, "left")]
        if req.show_receipt_no:
            columns.append(("捐赠票据号", 2.2, "center"))
        table_rows = []
        for e, amount, shown, restriction in mine:
            row = [e.entry_date.isoformat(), shown, format_yuan(amount), restriction or "非限定"]
            if req.show_receipt_no:
                row.append(" ".join(x for x in (e.receipt_code, e.receipt_no) if x) or "—")
            table_rows.append(row)
        total = sum(r[1] for r in mine)
        grand += total
        pad = [""] if req.show_receipt_no else []
        blocks.append(make_table(columns, table_rows, [["合计", f"{len(mine)}笔", format_yuan(total), "", *pad],
                                                       [f"大写：{capital_text(total)}"]],
                                 caption=fund.name if len(ctx.funds) > 1 else ""))
    if not rows:
        blocks.append(Paragraph("本期没有收到资金捐赠。"))
    else:
        blocks.append(Paragraph(f"本期资金捐赠合计{money_text(grand)}。未记录公开同意的捐赠人及匿名捐赠人统一列为“爱心人士”；"
                                "个人捐赠人的姓名按规定部分隐去。"))
    if ctx.drafts:
        blocks.append(Paragraph(f"注：另有{len(ctx.drafts)}笔捐赠尚未记账，未列入本公示。"))
