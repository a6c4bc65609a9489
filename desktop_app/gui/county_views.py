"""County mode on the pages: which offices the workspace holds (read in the worker), the office filter
(全部乡镇 first, then each office, the county's own too), the office column's text, and the buttons that
change a record turned off — with the reason as their tooltip — when the record is another office's.

In a township's workspace the filter stays hidden and nothing is turned off: the pages look as before."""

from dataclasses import dataclass, field

from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget

from desktop_app.core.queries.offices import ALL_OFFICES, OfficeRow, list_offices
from desktop_app.core.storage import identity
from desktop_app.core.storage.workspace import Workspace

OFFICE_COLUMN = "单位"
_PLAIN_TIP = "plainToolTip"  # a button's own tooltip, kept while the county's reason replaces it


@dataclass(frozen=True)
class OfficeScope:
    """Whether the workspace is a county's, which office is this one, and every office it holds."""

    county: bool = False
    local_id: str = ""
    offices: tuple[OfficeRow, ...] = field(default_factory=tuple)

    def name(self, office_id: str) -> str:
        return next((o.name for o in self.offices if o.id == office_id), "")

    def foreign_note(self, office_id: str | None) -> str:
        """Why a record of `office_id` cannot be changed here ("" when it can: this office's, or no county)."""
        if not self.county or not office_id or office_id == self.local_id:
            return ""
        return f"这是{self.name(office_id) or '其他单位'}的记录，只有该单位可以修改。"


TOWNSHIP = OfficeScope()


def load_office_scope(ws: Workspace) -> OfficeScope:
    """Read in the worker: a township's workspace gets the plain scope (no filter, no column)."""
    with ws.reading() as s:
        if not identity.is_county(s):
            return TOWNSHIP
        return OfficeScope(True, identity.local_office_id(s), tuple(list_offices(s)))


class OfficeFilter(QComboBox):
    """全部乡镇, then each office: hidden until a county's scope is set. `office_id()` is None for 全部乡镇."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.scope = TOWNSHIP
        self.setToolTip("只看一个单位的记录；“全部乡镇”显示本工作区的全部单位")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setVisible(False)

    def set_scope(self, scope: OfficeScope) -> None:
        """Fill the offices, keeping the choice when it is still there (a change is signalled only then)."""
        self.scope = scope
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        if scope.county:
            self.addItem(ALL_OFFICES, None)
            for office in scope.offices:
                self.addItem(office.name + ("（本单位）" if office.local else ""), office.id)
        index = self.findData(current)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        self.setVisible(scope.county)
        if index < 0 and current is not None:
            self.currentIndexChanged.emit(self.currentIndex())

    def office_id(self) -> str | None:
        return self.currentData() if self.scope.county else None

    def add_note(self) -> str:
        """Why nothing can be added while the filter shows another office ("" when it can)."""
        return self.scope.foreign_note(self.office_id())


def refuse_buttons(note: str, *buttons: QAbstractButton) -> None:
    """Turn `buttons` off with `note` as their tooltip when `note` says why (another office's record); else
    give them back their own tooltips. Call after the page has set their enabled state by its own rules."""
    for button in buttons:
        if button.property(_PLAIN_TIP) is None:
            button.setProperty(_PLAIN_TIP, button.toolTip())
        if note:
            button.setEnabled(False)
            button.setToolTip(note)
        else:
            button.setToolTip(button.property(_PLAIN_TIP))
