"""Tables. Every record is sync-ready: UUID, owning office, UTC times, version, tombstone.

The schema itself is created by the ordered SQL migrations in `migrations/`; a test checks that the
migrated schema matches these models column for column.
"""

import uuid
from datetime import UTC, date, datetime

from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    """UTC timestamps as ISO text with a Z, identical on every office PC."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Record(SQLModel):
    """Columns every synced record carries. `version` and `updated_at` move on every change
    (set by the change journal, see journal.py); `deleted` is a tombstone, rows are never removed."""

    id: str = Field(default_factory=new_id, primary_key=True)
    office_id: str = Field(default="", index=True)
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    version: int = 1
    deleted: bool = False


class Office(Record, table=True):
    name: str
    level: str  # 乡镇/街道 | 村/社区 | 县级慈善会
    division_code: str
    code_year: int
    association_name: str


class Project(Record, table=True):
    name: str
    goals: str = ""  # 项目主要内容和绩效目标
    start_date: date
    end_date: date
    budget_fen: int = 0
    completion: str = ""  # 项目完成情况 (free text; the figures are computed from the ledger)
    status: str = "进行中"  # 进行中 | 已完成 | 已终止


class ProjectLeader(Record, table=True):
    project_id: str = Field(foreign_key="project.id", index=True)
    name: str
    role: str = ""  # e.g. 万源市慈善会秘书长
    phone: str = ""  # official phone, public in notices
    position: int = 0


class Site(Record, table=True):
    project_id: str = Field(foreign_key="project.id", index=True)
    name: str
    division_code: str = ""
    position: int = 0


class BudgetLine(Record, table=True):
    project_id: str = Field(foreign_key="project.id", index=True)
    category: str
    amount_fen: int


class Fund(Record, table=True):
    name: str
    project_id: str | None = Field(default=None, foreign_key="project.id")
    association_name: str = ""
    agreement_no: str = ""
    agreement_date: date | None = None
    purpose: str = ""
    status: str = "运行中"  # 筹备中 | 运行中 | 已终止
    # Head of the posted-entry hash chain: removing the newest entry is detected too.
    chain_length: int = 0
    chain_head: str = ""


class CommitteeMember(Record, table=True):
    fund_id: str = Field(foreign_key="fund.id", index=True)
    name: str
    role: str = ""  # 主任 / 委员 / 监督员 …
    is_supervisor: bool = False


class Category(Record, table=True):
    """Business categories (阵地建设, 活动开展 …): data, editable in 设置."""

    name: str
    kind: str = "expense"  # expense | income
    position: int = 0
    active: bool = True


class LedgerEntry(Record, table=True):
    __tablename__ = "ledger_entry"

    fund_id: str = Field(foreign_key="fund.id", index=True)
    entry_date: date = Field(index=True)
    entry_type: str  # donation | allocation | expense | reversal
    flow: str  # in | out — a reversal takes the flow of what it reverses with a negative amount
    amount_fen: int  # negative only on reversals (红字)
    summary: str = ""
    category: str = ""
    expense_class: str = ""  # 慈善活动支出 | 管理费用 | 筹资费用 | 其他
    restriction: str = ""  # donations: the donor's restriction; expenses: the restricted purpose charged
    counterparty_name: str = ""
    counterparty_kind: str = ""  # 个人 | 企业 | 社会组织 | 政府机关 | 村(社区)
    anonymous: bool = False
    publish_consent: bool = False
    counterparty_contact: str = ""  # private; never printed
    payment_method: str = ""
    receipt_code: str = ""  # association's 公益事业捐赠票据 code and number
    receipt_no: str = ""
    status: str = "draft"  # draft | posted
    voucher_year: int | None = None
    voucher_seq: int | None = None
    posted_at: str | None = None
    reverses_id: str | None = Field(default=None, foreign_key="ledger_entry.id")
    reversal_reason: str = ""
    override_reason: str = ""  # recorded when a balance/restriction rule was explicitly overridden
    batch_id: str | None = Field(default=None, foreign_key="entry_batch.id")
    chain_seq: int | None = None
    chain_hash: str | None = None


class EntryBatch(Record, table=True):
    """A paper list (慈善一日捐) typed in as one batch with a declared count and total."""

    __tablename__ = "entry_batch"

    fund_id: str = Field(foreign_key="fund.id")
    title: str
    declared_count: int
    declared_total_fen: int


class Attachment(Record, table=True):
    """A file kept content-addressed under attachments/ab/<sha256>."""

    sha256: str = Field(index=True)
    original_name: str
    size: int


class EntryAttachment(Record, table=True):
    __tablename__ = "entry_attachment"

    entry_id: str = Field(foreign_key="ledger_entry.id", index=True)
    attachment_id: str = Field(foreign_key="attachment.id")


class ClosedMonth(Record, table=True):
    __tablename__ = "closed_month"

    fund_id: str = Field(foreign_key="fund.id", index=True)
    month: str  # YYYY-MM


class Activity(Record, table=True):
    """活动记录: a meeting, training, service, event or construction step of a project."""

    project_id: str = Field(foreign_key="project.id", index=True)
    site_id: str | None = Field(default=None, foreign_key="site.id")  # None: the whole project
    space_id: str | None = Field(default=None, foreign_key="charity_space.id")
    activity_type: str  # a Category of kind "activity_type"
    title: str
    start_date: date = Field(index=True)
    end_date: date
    place: str = ""
    organisers: str = ""
    partners: str = ""  # 合作单位
    participants: int = 0
    volunteers: int = 0
    volunteer_minutes: int = 0  # entered and shown as hours (Decimal, 0.5 h steps welcome)
    summary: str = ""
    public: bool = False  # 列入公示
    public_order: int = 0  # its place among the site's items in a notice
    # a needs survey this activity carried out: a notice's item for it states the survey's result
    survey_id: str | None = Field(default=None, foreign_key="survey.id")


class BeneficiaryCount(Record, table=True):
    """How many people of one beneficiary group an activity reached (no names)."""

    __tablename__ = "beneficiary_count"

    activity_id: str = Field(foreign_key="activity.id", index=True)
    group_name: str  # a Category of kind "beneficiary_group"
    count: int


class NamedBeneficiary(Record, table=True):
    """A person helped, recorded only when the work needs it. Sensitive: never shown unmasked outside
    the workspace, and published (masked) only with consent."""

    __tablename__ = "named_beneficiary"

    activity_id: str = Field(foreign_key="activity.id", index=True)
    name: str
    group_name: str = ""
    sensitive_facts: str = ""  # 低保, 残疾, 疾病 … private
    phone: str = ""  # private
    publish_consent: bool = False


class ActivityExpense(Record, table=True):
    """A posted ledger expense that paid for (part of) an activity."""

    __tablename__ = "activity_expense"

    activity_id: str = Field(foreign_key="activity.id", index=True)
    entry_id: str = Field(foreign_key="ledger_entry.id", index=True)


class Photo(Record, table=True):
    """A photo of an activity or a charity space. The original is a content-addressed attachment; a
    display copy and a thumbnail are derived from it (see core/storage/photo_files.py) and can be rebuilt."""

    attachment_id: str = Field(foreign_key="attachment.id")
    sha256: str = Field(index=True)
    project_id: str | None = Field(default=None, foreign_key="project.id")
    activity_id: str | None = Field(default=None, foreign_key="activity.id", index=True)
    space_id: str | None = Field(default=None, foreign_key="charity_space.id", index=True)
    caption: str = ""
    position: int = 0
    in_notice: bool = False  # 用于公示
    width: int = 0  # after EXIF orientation
    height: int = 0
    taken_at: str = ""  # EXIF DateTimeOriginal as YYYY-MM-DDTHH:MM:SS, when the camera wrote it
    original_name: str = ""


class GoodsMovement(Record, table=True):
    """物资台账: goods received (direction in) or handed out (out) by a fund. Stock per item and unit is
    the sum of the movements and never goes below zero at any date."""

    __tablename__ = "goods_movement"

    fund_id: str = Field(foreign_key="fund.id", index=True)
    movement_date: date
    direction: str  # in | out
    item: str
    unit: str
    quantity_milli: int  # thousandths of a unit, always positive
    # received
    source: str = ""  # 捐赠 | 购买 | 调拨
    donor_name: str = ""
    donor_kind: str = ""
    anonymous: bool = False
    publish_consent: bool = False
    valuation: str = ""  # 捐赠方凭据 | 公允价值 | 未估值 (in); the same for the issued share (out)
    value_fen: int = 0  # the value of this movement when valued
    entry_id: str | None = Field(default=None, foreign_key="ledger_entry.id")  # the purchase expense
    # handed out
    activity_id: str | None = Field(default=None, foreign_key="activity.id", index=True)
    beneficiary_group: str = ""
    recipients: int = 0
    note: str = ""


class CharitySpace(Record, table=True):
    """慈善阵地: a physical place for charity services, with its construction progress."""

    __tablename__ = "charity_space"

    project_id: str | None = Field(default=None, foreign_key="project.id")
    site_id: str | None = Field(default=None, foreign_key="site.id")
    name: str
    kind: str = ""  # 集装箱服务站, 村(社区)活动室 …
    address: str = ""
    opened_on: date | None = None
    progress: int = 0  # percent, the latest milestone's
    note: str = ""


class SpaceMilestone(Record, table=True):
    __tablename__ = "space_milestone"

    space_id: str = Field(foreign_key="charity_space.id", index=True)
    milestone_date: date
    percent: int
    note: str = ""


class SpaceHave(Record, table=True):
    """One of the six "haves" (六有) of a charity space, with what shows it is met."""

    __tablename__ = "space_have"

    space_id: str = Field(foreign_key="charity_space.id", index=True)
    have: str  # one of SIX_HAVES
    met: bool = False
    note: str = ""
    # evidence (activities, photos, expenses) is kept in SpaceEvidence


class SpaceEvidence(Record, table=True):
    __tablename__ = "space_evidence"

    have_id: str = Field(foreign_key="space_have.id", index=True)
    kind: str  # activity | photo | entry
    record_id: str


class Setting(Record, table=True):
    key: str = Field(index=True)
    value: str  # JSON


class ChangeJournal(SQLModel, table=True):
    """Every change, in order: what the sync package will carry to the county, and who did what."""

    __tablename__ = "change_journal"

    seq: int | None = Field(default=None, primary_key=True)
    table_name: str
    record_id: str = Field(index=True)
    op: str  # insert | update | delete (tombstone)
    version: int
    office_id: str
    changed_at: str
    payload: str  # JSON of the record after the change
    operation: str = ""  # the named operation of the transaction, e.g. entry.post, notice.publish
    operator: str = ""  # who ran it: the operating-system user name until user accounts exist
    epoch_id: str = ""  # the workspace epoch: a restore from backup starts a new one (sequence numbers rewind)


class LocalIdentity(SQLModel, table=True):
    """Which office this workspace is, at which level, in which epoch. One row; local to this workspace:
    never journalled, never synced (a county database holds many offices, and only one of them is local)."""

    __tablename__ = "local_identity"

    id: int = Field(default=1, primary_key=True)
    office_id: str = Field(foreign_key="office.id")
    level: str  # 村/社区 | 乡镇/街道 | 县级慈善会: a county association's workspace runs in county mode
    epoch_id: str = ""


class WorkspaceEpoch(Record, table=True):
    """A span of this workspace's history with unbroken journal sequence numbers. A restore from backup
    starts a new epoch, so whoever reads the journal (the county) can tell a rewind from lost changes."""

    __tablename__ = "workspace_epoch"

    reason: str  # init | upgrade | restore
    started_at: str
    previous_epoch_id: str = ""
    restored_from: str = ""  # the backup's file name
    abandoned_seq: int = 0  # the last journal sequence number of the timeline left behind by the restore
    resumed_seq: int = 0  # the last sequence number the restored data holds


class Notice(Record, table=True):
    """信息公示: a notice as exported (draft) or published. A published notice is never changed: a
    correction is a new notice (template "correction") that refers to it by `corrects_id`."""

    project_id: str = Field(foreign_key="project.id", index=True)
    template: str  # fund-usage | progress | donations | correction
    date_from: date
    date_to: date
    status: str = "draft"  # draft | published
    number: str = ""  # "2025-001": given on publication, gapless per office and year
    number_year: int | None = None
    number_seq: int | None = None
    title: str = ""
    written_on: date | None = None  # the sign-off date printed on the notice
    notice_start: date | None = None  # 公示期
    notice_end: date | None = None
    verification_code: str = Field(default="", index=True)  # "ABCDE-FGHJK"
    content_hash: str = ""  # sha256 of the canonical JSON of the document's texts
    entries_hash: str = ""  # sha256 over the covered entries' (id, chain_hash)
    entry_count: int = 0
    entries_json: str = "[]"  # [[entry_id, chain_hash], …] as exported (a draft has no NoticeEntry rows)
    pdf_sha256: str = ""  # of the archived PDF (published notices)
    pdf_name: str = ""  # under the workspace's notices/ folder
    published_on: date | None = None
    published_at: str | None = None  # UTC, when it was published
    corrects_id: str | None = Field(default=None, foreign_key="notice.id")
    correction_text: str = ""
    request_json: str = ""  # what the notice was built from, so it can be rebuilt exactly
    document_json: str = ""  # the document's texts, to show what changed since
    # Published notices: the chain heads of the project's funds at publication, [[fund id, length, hash], …]
    # (storage/heads.py; also in the archived PDF's keywords and its QR code). "" when none were sealed (a
    # draft, or a notice published before heads were), "[]" when the funds had no posted entry.
    heads_json: str = ""


class NoticeEntry(Record, table=True):
    """A ledger entry as a published notice disclosed it: its chain hash at publication."""

    __tablename__ = "notice_entry"

    notice_id: str = Field(foreign_key="notice.id", index=True)
    entry_id: str = Field(foreign_key="ledger_entry.id", index=True)
    chain_hash: str


PROJECT_STATUSES = ("进行中", "已完成", "已终止")
FUND_STATUSES = ("筹备中", "运行中", "已终止")
ENTRY_TYPES = {"donation": "捐赠收入", "allocation": "拨入", "expense": "支出", "reversal": "红字冲销"}
EXPENSE_CLASSES = ("慈善活动支出", "管理费用", "筹资费用", "其他")
COUNTERPARTY_KINDS = ("个人", "企业", "社会组织", "政府机关", "村(社区)")
PAYMENT_METHODS = ("银行转账", "现金", "微信", "支付宝", "其他")
DEFAULT_EXPENSE_CATEGORIES = ("阵地建设", "活动开展", "培训", "慰问帮扶", "宣传", "调研", "办公", "其他")
DEFAULT_INCOME_CATEGORIES = ("项目拨款", "慈善会拨付", "个人捐赠", "企业捐赠", "慈善一日捐", "其他收入")
CATEGORY_KINDS = {"expense": "支出类别", "income": "收入类别", "activity_type": "活动类型",
                  "beneficiary_group": "受益群体"}
DEFAULT_ACTIVITY_TYPES = ("工作会议", "培训", "慈善服务", "慈善活动/募捐活动", "需求调研", "阵地建设", "宣传", "其他")
DEFAULT_BENEFICIARY_GROUPS = ("老年人", "儿童", "困境儿童青少年", "妇女", "残疾人", "低保/困难家庭", "社区居民", "其他")
SIX_HAVES = ("有人员", "有场所", "有资金", "有项目", "有活动", "有场景")
GOODS_VALUATIONS = ("捐赠方凭据", "公允价值", "未估值")
GOODS_SOURCES = ("捐赠", "购买", "调拨")


UNVALUED = "未估值"


class Survey(Record, table=True):
    """A needs survey (需求调查) of a project: its questionnaire lives in versions, its answers in responses."""

    name: str
    project_id: str = Field(foreign_key="project.id", index=True)
    site_ids: str = ""  # JSON list of the project's sites it covers; "" for all of them
    method: str = ""  # how it was collected (入户走访、网络征集 …), printed in the report
    rules: str = ""  # JSON of the validity rules (surveys/validity.py), "" for the defaults


class SurveyVersion(Record, table=True):
    """One version of a questionnaire, a JSON document (surveys/questionnaire.py); frozen once answers exist."""

    __tablename__ = "survey_version"

    survey_id: str = Field(foreign_key="survey.id", index=True)
    number: int
    definition: str
    origin: str = ""  # 模板 | 设计 | 问卷星按文本 | 问卷星按序号 | 腾讯问卷 | XLSForm


class SurveyResponse(Record, table=True):
    """One filled form: on paper (keyed in), or one row of a 问卷星 / 腾讯问卷 export."""

    __tablename__ = "survey_response"

    survey_id: str = Field(foreign_key="survey.id", index=True)
    version_id: str = Field(foreign_key="survey_version.id")
    source: str  # 纸质 | 问卷星 | 腾讯问卷
    source_no: str = ""  # the source's own response number (序号, 编号) or the paper form's number
    entry_pass: int = 0  # paper double entry: 1 or 2 (0: entered once, or imported)
    site_id: str | None = Field(default=None, foreign_key="site.id")
    entered_by: str = ""
    submitted_at: str = ""  # when the respondent finished (online), or the day the form was filled
    seconds: int | None = None  # time taken online
    complete: bool = True  # False: saved with required questions left out, when the user said so
    answers: str = "{}"  # JSON: question code → answer (surveys/answers.py)
    import_file: str = ""  # the file name it came from


# ------------------------------------------------------------------ 数据同步: local tables, never journalled or synced


class SyncKey(SQLModel, table=True):
    """This office's Ed25519 signing keys (core/sync/keys.py): the current one and those it retired. Kept in
    the database, so every backup — and the one-file backup that leaves the PC — holds them."""

    __tablename__ = "sync_key"

    key_id: str = Field(primary_key=True)  # the first 16 hex digits of the public key's SHA-256
    office_id: str
    private_key: str  # raw 32 bytes, hex
    public_key: str  # raw 32 bytes, hex
    created_at: str
    retired_at: str = ""


class OfficeKey(SQLModel, table=True):
    """Another office's public key, as enrolled here: the county's registry of its townships' keys, or, in a
    township, its county's key (pinned from the first receipt). A retired key still verifies what it signed
    while it was valid."""

    __tablename__ = "office_key"

    key_id: str = Field(primary_key=True)
    office_id: str = Field(index=True)
    office_name: str
    public_key: str
    valid_from: str
    valid_to: str = ""  # "" while valid
    enrolled_at: str
    enrolled_by: str = ""


class SyncSent(SQLModel, table=True):
    """A package this office wrote (the township's outbox)."""

    __tablename__ = "sync_sent"

    id: int | None = Field(default=None, primary_key=True)
    number: int
    epoch_id: str
    full: bool = False
    first_seq: int
    last_seq: int
    file_name: str
    sha256: str
    records: int = 0
    files: int = 0
    made_at: str


class SyncReceived(SQLModel, table=True):
    """A package the county received from one of its offices: applied, or held until a missing one arrives."""

    __tablename__ = "sync_received"

    id: int | None = Field(default=None, primary_key=True)
    office_id: str = Field(index=True)
    number: int
    epoch_id: str
    full: bool = False
    first_seq: int = 0
    last_seq: int = 0
    sha256: str = Field(index=True)
    archived_name: str  # under the workspace's sync/received/ folder, unchanged
    status: str  # applied | held | superseded (held, then a later full package carried it)
    made_at: str
    received_at: str
    applied_at: str = ""
    summary: str = "{}"  # JSON: new, updated, unchanged, conflicts [...], rewind {...}


class ReviewNote(SQLModel, table=True):
    """The county's review note on a township's record or activity ("凭证不清晰，请补扫"), sent in the next
    receipt; in a township, a note received, shown as a to-do until done."""

    __tablename__ = "review_note"

    id: str = Field(default_factory=new_id, primary_key=True)
    office_id: str = Field(index=True)  # the township the note is for
    table_name: str = ""
    record_id: str = ""
    label: str = ""  # what the record is, in words (【基金】凭证 2024-0014, 活动“…”)
    text: str
    written_at: str
    written_by: str = ""
    received_at: str = ""  # in the township
    done_at: str = ""


class SyncReceipt(SQLModel, table=True):
    """A receipt (回执) this township imported from its county: which packages arrived, and the chain heads the
    county holds — a witness for `verify`."""

    __tablename__ = "sync_receipt"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True)
    county_office_id: str
    county_name: str
    made_at: str
    imported_at: str
    packages: str = "[]"  # JSON: [[epoch, number, status], ...]
    heads_json: str = "[]"  # heads.to_json form
