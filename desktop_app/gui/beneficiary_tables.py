"""The activity editor's two beneficiary tables: who the activity reached, as groups with a number of
people each (受益群体和人数), and the named beneficiaries (受益人名单: name, group, the sensitive facts,
phone, consent to publish). Both are `RowEditor`s: a few rows of widgets under a header, each row with
its own 删除 button, 添加 below. They read their rows back as the core's values."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserError
from desktop_app.core.services.activities import NamedInput
from desktop_app.gui.widgets import HINT_STYLE

MAX_COUNT = 1_000_000


class RowEditor(QWidget):
    """A few editable rows of widgets under a header, each with its own 删除 button, and 添加 below.
    `make_row()` makes the widgets of a new row; `changed` follows any edit, added or removed row."""

    changed = Signal()

    def __init__(self, headers: list[str], make_row, add_text: str, *, stretch: tuple[int, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._make_row = make_row
        self._rows: list[list[QWidget]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(3)
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setStyleSheet(HINT_STYLE)
            self._grid.addWidget(label, 0, column)
        for column, factor in enumerate(stretch):
            self._grid.setColumnStretch(column, factor)
        self._next_row = 1
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_row())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch()
        layout.addLayout(buttons)

    def add_row(self) -> list[QWidget]:
        widgets = self._make_row()
        remove = QToolButton()
        remove.setText("删除")
        remove.setToolTip("删去这一行")
        row = [*widgets, remove]
        for column, widget in enumerate(row):
            self._grid.addWidget(widget, self._next_row, column)
        self._next_row += 1
        self._rows.append(row)
        remove.clicked.connect(lambda: self.remove_row(row))
        for widget in widgets:
            for name in ("textChanged", "valueChanged", "currentIndexChanged", "toggled"):
                signal = getattr(widget, name, None)
                if signal is not None:
                    signal.connect(lambda *_args: self.changed.emit())
        self.changed.emit()
        return widgets

    def remove_row(self, row: list[QWidget]) -> None:
        if row in self._rows:
            self._rows.remove(row)
            for widget in row:
                self._grid.removeWidget(widget)
                widget.deleteLater()
            self.changed.emit()

    def rows(self) -> list[list[QWidget]]:
        """The editable widgets of each row (without its 删除 button)."""
        return [row[:-1] for row in self._rows]

    def clear(self) -> None:
        for row in list(self._rows):
            self.remove_row(row)


def count_box(suffix: str = " 人") -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MAX_COUNT)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    box.setMinimumWidth(90)
    return box


class BeneficiaryGroups(RowEditor):
    """受益群体和人数: one row per group (chosen from `group_names`, the office's groups) and how many
    people of it the activity reached."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(["受益群体", "人数"], self._new_row, "添加受益群体", stretch=(3, 2), parent=parent)
        self.group_names: list[str] = []

    def _new_row(self) -> list[QWidget]:
        group = QComboBox()
        group.addItems(self.group_names)
        return [group, count_box()]

    def add_group(self, group: str, count: int) -> None:
        box, spin = self.add_row()
        if box.findText(group) < 0:  # a group switched off since
            box.addItem(group)
        box.setCurrentText(group)
        spin.setValue(count)

    def total(self) -> int:
        return sum(spin.value() for _box, spin in self.rows())

    def counts(self) -> dict[str, int]:
        """Group → people, leaving out empty rows; raises UserError for a group filled in twice."""
        beneficiaries: dict[str, int] = {}
        for box, spin in self.rows():
            group = box.currentText()
            if not group or not spin.value():
                continue
            if group in beneficiaries:
                raise UserError(f"受益群体“{group}”填了两行。请合并为一行（把人数加在一起），再删去另一行。")
            beneficiaries[group] = spin.value()
        return beneficiaries


class NamedBeneficiaries(RowEditor):
    """受益人名单: name, group (may stay empty), the sensitive facts, phone and consent to publish."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(["姓名", "群体", "情况说明（敏感）", "电话（不公开）", "同意公开"], self._new_row,
                         "添加受益人", stretch=(2, 2, 4, 2), parent=parent)
        self.group_names: list[str] = []

    def _new_row(self) -> list[QWidget]:
        name = QLineEdit()
        name.setPlaceholderText("姓名")
        group = QComboBox()
        group.addItem("")
        group.addItems(self.group_names)
        facts = QLineEdit()
        facts.setPlaceholderText("如 低保户、独居")
        phone = QLineEdit()
        return [name, group, facts, phone, QCheckBox()]

    def add_person(self, person: NamedInput) -> None:
        name, group, facts, phone, consent = self.add_row()
        name.setText(person.name)
        if person.group_name and group.findText(person.group_name) < 0:
            group.addItem(person.group_name)
        group.setCurrentText(person.group_name)
        facts.setText(person.sensitive_facts)
        phone.setText(person.phone)
        consent.setChecked(person.publish_consent)

    def people(self) -> list[NamedInput]:
        """The rows with a name, facts or phone typed in (a row left empty is no one)."""
        return [NamedInput(name.text().strip(), group.currentText(), facts.text().strip(), phone.text().strip(),
                           consent.isChecked()) for name, group, facts, phone, consent in self.rows()
                if any(w.text().strip() for w in (name, facts, phone))]
