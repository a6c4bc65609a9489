"""The activity editor's layout: the fields of an activity on the left (project, site, space, type,
name, dates, place, organisers, people, summary, 公示), who it reached and what it cost on the right,
the named beneficiaries folded away below, then the photos and the 保存/取消 row. Layout only: the
fields are filled, read and wired up by `activity_dialog.ActivityDialog`."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.beneficiary_tables import BeneficiaryGroups, NamedBeneficiaries, count_box
from desktop_app.gui.screen_fit import fit_window
from desktop_app.gui.table_model import RowsModel
from desktop_app.gui.widgets import (
    ERROR_STYLE,
    HINT_STYLE,
    date_edit,
    note,
    section_title,
    splitter,
    table,
    text_box,
)

PRIVACY_NOTE = ("受益人姓名、情况说明和电话属于个人敏感信息：所有导出中姓名都会打码（如“张*明”），情况说明和电话"
                "从不导出、不公示；只有勾选“同意公开”的受益人，才会以打码后的姓名出现在公示和导出中。")


class Collapsible(QWidget):
    """A section behind a ▸ button, closed at first (the named beneficiaries)."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self._title = title
        self.toggle = QToolButton()
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setText(title)
        self.body = body
        body.setVisible(False)
        self.toggle.toggled.connect(self.set_open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(body)

    def set_open(self, on: bool) -> None:
        self.toggle.setChecked(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)

    def set_detail(self, detail: str) -> None:
        self.toggle.setText(f"{self._title}{detail}")


class ActivityForm(QDialog):
    """The editor's widgets and how they are arranged; `lay_out` creates them."""

    def lay_out(self, photos: QWidget, *, editing: bool) -> None:
        """Create every field and arrange the dialog, with the `photos` panel below the scrolled form;
        `editing` an existing activity names the close button 关闭 (else 取消)."""
        self.project = QComboBox()
        self.site = QComboBox()
        self.space = QComboBox()
        self.survey = QComboBox()
        self.survey.setToolTip("这个活动开展的需求调查：公示里这一条写入调查结果（有效问卷数和需求排序），不用手抄数字")
        self.activity_type = QComboBox()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如“八台慈善音乐会”")
        self.start = date_edit()
        self.multi_day = QCheckBox("多日活动，结束于")
        self.end = date_edit()
        self.end.setEnabled(False)
        self.place = QLineEdit()
        self.place.setPlaceholderText("如“大巴山国家地质公园广场”")
        self.organisers = QLineEdit()
        self.organisers.setPlaceholderText("如“八台社区社会组织联合会、万源市慈善会”")
        self.partners = QLineEdit()
        self.partners.setPlaceholderText("参与或支持的单位（可不填）")
        self.participants = count_box(" 人次")
        self.volunteers = count_box(" 人")
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("如 7.5")
        self.hours.setMaximumWidth(90)
        self.summary = text_box(3, "活动内容和成效，如“发放调查问卷和宣传手册各 40 份……”（公示中会用到）")
        self.public = QCheckBox("列入公示（经费使用情况公示的“项目效果”）")
        self.public_order = QSpinBox()
        self.public_order.setRange(0, 999)
        self.public_order.setSpecialValueText("自动（排在最后）")
        self.public_order.setPrefix("第 ")
        self.public_order.setSuffix(" 项")
        self.public_order.setEnabled(False)

        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addSpacing(12)
        dates.addWidget(self.multi_day)
        dates.addWidget(self.end)
        dates.addStretch()
        people = QHBoxLayout()
        people.addWidget(self.participants)
        people.addSpacing(12)
        people.addWidget(QLabel("志愿者"))
        people.addWidget(self.volunteers)
        people.addSpacing(12)
        people.addWidget(QLabel("服务时长（小时）"))
        people.addWidget(self.hours)
        people.addStretch()
        public = QHBoxLayout()
        public.addWidget(self.public)
        public.addWidget(self.public_order)
        public.addStretch()
        form = QFormLayout()
        form.setVerticalSpacing(5)
        form.addRow("所属项目", self.project)
        form.addRow("试点村（社区）", self.site)
        form.addRow("慈善阵地", self.space)
        form.addRow("需求调查", self.survey)
        form.addRow("活动类型", self.activity_type)
        form.addRow("活动名称", self.title_edit)
        form.addRow("活动日期", dates)
        form.addRow("活动地点", self.place)
        form.addRow("组织单位", self.organisers)
        form.addRow("合作单位", self.partners)
        form.addRow("参与人数", people)
        form.addRow("活动简介", self.summary)
        form.addRow("", public)

        self.groups = BeneficiaryGroups()
        self.groups_total = QLabel("")
        self.groups_total.setWordWrap(True)
        self.groups_total.setStyleSheet(HINT_STYLE)
        self.named = NamedBeneficiaries()
        named_body = QWidget()
        named_layout = QVBoxLayout(named_body)
        named_layout.setContentsMargins(16, 0, 0, 0)
        named_layout.addWidget(note(PRIVACY_NOTE))
        named_layout.addWidget(self.named)
        self.named_section = Collapsible("受益人名单（可不填）", named_body)

        self.expense_pick = QComboBox()
        self.expense_pick.setEditable(True)
        self.expense_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.expense_pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.expense_pick.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.expense_pick.setMinimumContentsLength(24)
        self.expense_pick.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.link_button = QPushButton("关联")
        self.link_button.setToolTip("把选中的已记账支出计入这个活动的费用")
        # 基金 beside 凭证号: each fund of the project numbers its vouchers from 0001
        self.expense_model = RowsModel(["日期", "基金", "凭证号", "摘要", "金额"], right=[4])
        self.expense_view = table(self.expense_model, stretch=3)
        self.expense_view.setMinimumHeight(90)
        self.unlink_button = QPushButton("取消关联")
        self.cost_label = QLabel("")
        self.cost_label.setWordWrap(True)
        pick = QHBoxLayout()
        pick.addWidget(self.expense_pick, 1)
        pick.addWidget(self.link_button)
        cost = QHBoxLayout()
        cost.addWidget(self.cost_label, 1)
        cost.addWidget(self.unlink_button)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch()
        right = QVBoxLayout()
        right.addWidget(section_title("受益群体和人数"))
        right.addWidget(self.groups)
        right.addWidget(self.groups_total)
        right.addSpacing(6)
        right.addWidget(section_title("活动费用（关联已记账的支出）"))
        right.addLayout(pick)
        right.addWidget(self.expense_view, 1)
        right.addLayout(cost)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addSpacing(16)
        columns.addLayout(right, 4)

        content = QWidget()
        self.content_layout = QVBoxLayout(content)
        self.content_layout.addLayout(columns, 1)
        self.content_layout.addWidget(self.named_section)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("关闭" if editing else "取消")
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter(scroll, photos, stretch=(1, 0), vertical=True), 1)  # photos below, in view
        layout.addLayout(buttons)

        fit_window(self, 1120, 860, key="activity")  # on a small screen the form scrolls; photos and buttons stay
