"""What `verify` reports: each thing changed behind the app's back (what, where, how it was found), the
witnesses it compared the live records with, and notes that are not problems (a backup that could not be
read, a notice published before heads were sealed)."""

from dataclasses import dataclass, field

from desktop_app.core.vouchers import fund_voucher

KIND_LABELS = {
    "changed": "被改动", "removed": "被删除", "inserted": "被插入", "head": "链尾不符",
    "rewritten": "被改写", "missing": "不见了", "gap": "不连续", "damaged": "无法读取",
}

# How a problem was found: the witness that disagrees with the live records.
CHAIN = "哈希链"
JOURNAL = "变更记录"
FILES = "文件哈希"


@dataclass(frozen=True)
class ChainProblem:
    """One thing changed behind the app's back. `fund` and `voucher` name a posted entry (or a fund's
    chain); any other record is named by `what` (e.g. 社区基金“…”、月末结账 2024-03). `witness` says how it
    was found: the hash chain, the change journal, a backup, a published notice or a file's hash."""

    fund: str
    kind: str  # changed | removed | inserted | head | rewritten | missing | gap
    voucher: str
    detail: str
    witness: str = CHAIN
    what: str = ""
    technical: str = ""  # full paths and hashes: shown on request (详细信息), never in the sentence

    def describe(self) -> str:
        where = f"【{self.fund}】" if self.fund else ""
        if self.what:
            item = where + self.what
        elif self.voucher not in ("", "-"):
            item = fund_voucher(self.fund, self.voucher)
        else:
            item = where + "哈希链"
        return f"{item} {KIND_LABELS.get(self.kind, self.kind)}：{self.detail}（发现途径：{self.witness}）"


@dataclass
class VerifyReport:
    funds: int = 0
    entries: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    witnesses: list[str] = field(default_factory=list)  # what the live records were compared with
    notes: list[str] = field(default_factory=list)  # not problems: what could not serve as a witness
    # the stored chain hash at the positions a witness asked about: (fund id, length) → hash
    stored_at: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: ChainProblem) -> None:
        self.problems.append(problem)

    def witnesses_text(self) -> str:
        """What the records were compared with, in one line: 哈希链、变更记录、3 份备份、2 份已发布公示、文件哈希."""
        backups = sum(1 for w in self.witnesses if w.startswith("备份"))
        notices = sum(1 for w in self.witnesses if w.startswith("已发布"))
        parts = [w for w in self.witnesses if not w.startswith(("备份", "已发布"))]
        if backups:
            parts.insert(2, f"{backups} 份备份")
        if notices:
            parts.insert(3 if backups else 2, f"{notices} 份已发布公示")
        return "、".join(parts)
