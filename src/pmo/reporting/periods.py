"""Reporting periods: weeks run Monday to Sunday (the week the project snapshots end on), months
are calendar months. Pure date arithmetic, no database."""

from datetime import date, timedelta

from pmo.reporting.choices import ReportFrequency


def period_containing(frequency: str, day: date) -> tuple[date, date]:
    """The first and last day of the period that contains ``day``."""
    if frequency == ReportFrequency.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if frequency == ReportFrequency.MONTHLY:
        start = day.replace(day=1)
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, following - timedelta(days=1)
    raise ValueError(f"Unknown reporting frequency {frequency!r}.")


def next_period(frequency: str, start: date) -> tuple[date, date]:
    """The period after the one starting on ``start``."""
    return period_containing(frequency, period_containing(frequency, start)[1] + timedelta(days=1))


def previous_period(frequency: str, start: date) -> tuple[date, date]:
    """The period before the one starting on ``start``."""
    return period_containing(frequency, start - timedelta(days=1))


def last_ended_period(frequency: str, today: date) -> tuple[date, date]:
    """The most recent period whose last day is before ``today``."""
    return previous_period(frequency, period_containing(frequency, today)[0])


def ended_periods(frequency: str, *, since: date, today: date, limit: int) -> list[tuple[date, date]]:
    """The periods that ended before ``today`` and end on or after ``since``, newest first, at
    most ``limit`` of them."""
    periods = []
    start, end = last_ended_period(frequency, today)
    while end >= since and len(periods) < limit:
        periods.append((start, end))
        start, end = previous_period(frequency, start)
    return periods


def period_label(frequency: str, start: date, end: date) -> str:
    """``2026-03`` for a month, ``2026-03-02 to 2026-03-08`` for a week."""
    if frequency == ReportFrequency.MONTHLY and start.day == 1 and (end + timedelta(days=1)).day == 1:
        return f"{start:%Y-%m}"
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
