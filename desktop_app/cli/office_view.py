"""County mode on the command line: the `--office` option of the lists and reports, and the office column
they show in a county's workspace (which holds every enrolled township's records beside its own)."""

from dataclasses import dataclass, field

from desktop_app.core.queries import offices
from desktop_app.core.storage import identity

OFFICE_HELP = "只看这个单位的记录（单位名称或编号；县级慈善会的工作区里可用，默认显示全部乡镇）"
OFFICE_HEADER = "单位"


def add_office_option(parser) -> None:
    parser.add_argument("--office", help=OFFICE_HELP)


@dataclass(frozen=True)
class OfficeView:
    """Whether the office column is shown (county mode), the office `--office` chose (None: every office),
    and every office's name."""

    county: bool
    office_id: str | None
    names: dict[str, str] = field(default_factory=dict)

    def name(self, office_id: str) -> str:
        return self.names.get(office_id, office_id)

    def office_ids(self) -> list[str | None]:
        """The offices a per-office report runs over: the chosen one, or (county mode) each office; a
        township's workspace runs once, unfiltered."""
        if self.office_id or not self.county:
            return [self.office_id]
        return list(self.names)


def office_view(session, args) -> OfficeView:
    """The view `args.office` asks for; an unknown office is refused with the offices this workspace holds."""
    key = getattr(args, "office", None)
    office_id = offices.resolve_office(session, key).id if key is not None else None
    return OfficeView(identity.is_county(session), office_id, offices.office_names(session))
