"""有效问卷: which responses count, and why each other one does not.

A response is excluded when it was saved with required questions left out, when an online answer took less than
the questionnaire's minimum time, or when it duplicates an earlier one (the same household number, or the same
answers from the same source within a few minutes). The count of valid responses is what every report uses."""

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from desktop_app.core.surveys.answers import answered, missing_required
from desktop_app.core.surveys.questionnaire import Questionnaire

INCOMPLETE = "必答题未答完"
TOO_FAST = "答题时间过短"
SAME_HOUSEHOLD = "同一户重复填写"
SAME_ANSWERS = "同一来源短时间内重复提交相同答案"


@dataclass
class Rules:
    min_seconds: int = 0  # online answers faster than this are excluded (0: no minimum)
    household_question: str = ""  # the question holding a household number; a repeat of it is a duplicate
    duplicate_minutes: int = 10  # the same answers from the same source within this many minutes

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Rules":
        data = json.loads(text) if text else {}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class Candidate:
    """What validity needs to know of one response."""

    source: str
    answers: dict
    complete: bool = True
    seconds: int | None = None
    submitted_at: str = ""
    fingerprint: str = ""  # the answers as stored (canonical JSON): equal answers, equal text


def exclusions(form: Questionnaire, responses: list[Candidate], rules: Rules) -> list[str]:
    """The reason each response is excluded, "" for a valid one (in the order given: earlier ones win)."""
    reasons: list[str] = []
    households: set[str] = set()
    recent: dict[tuple[str, str], list[datetime]] = {}
    for r in responses:
        reasons.append(_reason(form, r, rules, households, recent))
    return reasons


def _reason(form, r: Candidate, rules: Rules, households: set[str], recent: dict) -> str:
    if not r.complete or missing_required(form, r.answers):
        return INCOMPLETE
    if rules.min_seconds and r.source != "纸质" and r.seconds is not None and r.seconds < rules.min_seconds:
        return TOO_FAST
    if rules.household_question:
        household = r.answers.get(rules.household_question)
        if answered(household):
            key = json.dumps(household, sort_keys=True, ensure_ascii=False)
            if key in households:
                return SAME_HOUSEHOLD
            households.add(key)
    if rules.duplicate_minutes and r.submitted_at and r.source != "纸质":
        when = _time(r.submitted_at)
        key = (r.source, r.fingerprint or json.dumps(r.answers, sort_keys=True, ensure_ascii=False))
        earlier = recent.setdefault(key, [])
        if when is not None:
            if any(abs((when - t).total_seconds()) <= rules.duplicate_minutes * 60 for t in earlier):
                return SAME_ANSWERS
            earlier.append(when)
    return ""


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text[:19])  # "YYYY-MM-DD HH:MM:SS", as imports and paper entry store it
    except ValueError:
        return None
