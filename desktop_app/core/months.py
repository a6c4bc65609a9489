"""Month arithmetic: calendar months forward and back, month ends, and the "YYYY-MM" keys closed months
are recorded under. Shared by the ledger's closed months, the notices' periods and the disclosure clock."""

from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept within the month: 2024-01-31 + 1 → 2024-02-29."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def month_key(day: date) -> str:
    """"2025-01": how a month is named in the closed months and compared (as text, in order)."""
    return day.strftime("%Y-%m")


def month_end(day: date) -> date:
    """The last day of the month `day` is in."""
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def previous_month_end(day: date) -> date:
    """The last day of the last whole month before `day` (the day before it when it is the 1st)."""
    return day.replace(day=1) - timedelta(days=1)


def month_after(month: str) -> date:
    """The first day of the month after `month` ("2025-01" → 2025-02-01)."""
    return add_months(date(int(month[:4]), int(month[5:7]), 1), 1)
