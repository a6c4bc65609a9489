"""What an operation changed, so each screen refreshes only what it shows (cf. Anki's OpChanges)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    ledger: bool = False
    funds: bool = False
    projects: bool = False
    settings: bool = False
    backups: bool = False
    activities: bool = False  # activities, their photos and the charity spaces
    goods: bool = False  # the goods register
    notices: bool = False  # 信息公示: drafts, published notices, corrections
    surveys: bool = False  # 需求调查: questionnaires, responses, rules
    sync: bool = False  # 数据同步: keys, packages sent or received, receipts, review notes
    everything: bool = False  # a restore replaced the data

    def touches(self, *names: str) -> bool:
        return self.everything or any(getattr(self, n) for n in names)


LEDGER = Changes(ledger=True, funds=True)
ACTIVITIES = Changes(activities=True)
GOODS = Changes(goods=True, funds=True)  # fund summaries show valued goods donations
NOTICES = Changes(notices=True)
SURVEYS = Changes(surveys=True)
PUBLISHED = Changes(notices=True, ledger=True, funds=True)  # publishing closes months and discloses entries
SYNC = Changes(sync=True)
# packages imported at the county: its townships' records of every kind arrived
SYNC_IMPORTED = Changes(sync=True, ledger=True, funds=True, projects=True, activities=True, goods=True, notices=True,
                        surveys=True)
