"""Working-time arithmetic on a :class:`~pmo_engine.model.Calendar`.

Two layers:
- plain functions on dates and datetimes for callers (day granularity: :func:`is_working_day`,
  :func:`next_working_day`, :func:`add_working_days`, :func:`working_days_between`; minute
  granularity: :func:`working_minutes_between`, :func:`add_working_minutes`), each O(log H) for
  H holidays and extra working dates, whatever the distance;
- :class:`WorkingTimeAxis`, which converts whole numpy arrays of moments to and from working
  minutes for several calendars at once; the scheduler uses it.

Conventions. A moment is a naive ``datetime`` (local time of the calendar) at minute resolution.
Working minute *i* of a calendar is the interval [t, t + 1 minute) of its *i*-th working minute; a
working-time coordinate *x* (a count of working minutes) therefore stands for the whole stretch of
non-working time between the end of minute *x* - 1 and the start of minute *x*: a start at *x* is
reported at the end of that stretch (the next working minute, e.g. Monday 08:00) and a finish at
*x* at its beginning (e.g. Friday 17:00).
"""

import bisect
import functools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import numpy as np

from pmo_engine.model import MINUTES_PER_DAY, Calendar

EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
_ONE_MINUTE = timedelta(minutes=1)


def wall_minutes(moment: datetime) -> int:
    """Minutes from 1970-01-01 00:00 to ``moment`` (seconds dropped), the engine's wall-clock unit."""
    return (moment.replace(second=0, microsecond=0) - EPOCH) // _ONE_MINUTE


def moment_from_wall_minutes(minutes: int) -> datetime:
    """The inverse of :func:`wall_minutes`."""
    return EPOCH + timedelta(minutes=int(minutes))


@functools.lru_cache(maxsize=256)
def _effective_exceptions(calendar: Calendar) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sorted ordinals of holidays that fall on working weekdays and of extra dates that do not.

    The others change nothing, and leaving them out keeps the counts in :func:`_working_days_in` exact.
    """
    weekdays = calendar.working_weekdays
    holidays = tuple(sorted(d.toordinal() for d in calendar.holidays if d.weekday() in weekdays))
    extra = tuple(sorted(d.toordinal() for d in calendar.extra_working_dates if d.weekday() not in weekdays))
    return holidays, extra


def _working_days_in(calendar: Calendar, first_ordinal: int, stop_ordinal: int) -> int:
    """Working days d with first <= d < stop (ordinals, first <= stop); O(log H)."""
    weeks, rest = divmod(stop_ordinal - first_ordinal, 7)
    first_weekday = (first_ordinal - 1) % 7  # date.fromordinal(1) is a Monday
    weekdays = calendar.working_weekdays
    count = weeks * len(weekdays) + sum(1 for offset in range(rest) if (first_weekday + offset) % 7 in weekdays)
    holidays, extra = _effective_exceptions(calendar)
    count -= bisect.bisect_left(holidays, stop_ordinal) - bisect.bisect_left(holidays, first_ordinal)
    count += bisect.bisect_left(extra, stop_ordinal) - bisect.bisect_left(extra, first_ordinal)
    return count


def _search_span(calendar: Calendar, count: int) -> int:
    """Days that surely hold ``count`` working days, whatever the holidays."""
    holidays, _ = _effective_exceptions(calendar)
    return 7 * ((count + len(holidays)) // len(calendar.working_weekdays) + 2)


def _nth_working_ordinal(calendar: Calendar, base_ordinal: int, index: int) -> int:
    """For index >= 0 the index-th (from 0) working day on or after base; for index < 0 the
    (-index)-th working day before base. Binary search on the monotone day count: O(log(span) log H)."""
    if index >= 0:
        low, high = base_ordinal, base_ordinal + _search_span(calendar, index + 1)
        while low < high:  # smallest day e with index + 1 working days in [base, e]
            middle = (low + high) // 2
            if _working_days_in(calendar, base_ordinal, middle + 1) >= index + 1:
                high = middle
            else:
                low = middle + 1
        return low
    low, high = base_ordinal - _search_span(calendar, -index), base_ordinal - 1
    while low < high:  # largest day e with -index working days in [e, base)
        middle = (low + high + 1) // 2
        if _working_days_in(calendar, middle, base_ordinal) >= -index:
            low = middle
        else:
            high = middle - 1
    return low


def _as_day(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def is_working_day(calendar: Calendar, day: date) -> bool:
    """True when ``day`` is worked on ``calendar`` (a holiday never is, an extra working date always is)."""
    day = _as_day(day)
    if day in calendar.holidays:
        return False
    return day in calendar.extra_working_dates or day.weekday() in calendar.working_weekdays


def add_working_days(calendar: Calendar, day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when ``count`` is negative); ``day`` when 0.

    ``day`` itself never counts, so from Friday 1 working day on a Monday-Friday week is the next
    Monday. For a working day d, ``working_days_between(calendar, d, add_working_days(calendar, d, n)) == n``.
    """
    day = _as_day(day)
    if count == 0:
        return day
    if count > 0:
        return date.fromordinal(_nth_working_ordinal(calendar, day.toordinal() + 1, count - 1))
    return date.fromordinal(_nth_working_ordinal(calendar, day.toordinal(), count))


def next_working_day(calendar: Calendar, day: date) -> date:
    """The first working day strictly after ``day``."""
    return add_working_days(calendar, day, 1)


def working_days_between(calendar: Calendar, start: date, end: date) -> int:
    """Working days d with start < d <= end: elapsed working days; negative when ``end`` is before ``start``."""
    start_ordinal, end_ordinal = _as_day(start).toordinal(), _as_day(end).toordinal()
    if end_ordinal >= start_ordinal:
        return _working_days_in(calendar, start_ordinal + 1, end_ordinal + 1)
    return -_working_days_in(calendar, end_ordinal + 1, start_ordinal + 1)


@functools.lru_cache(maxsize=256)
def _intraday_tables(calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """``prefix[m]``: working minutes of a working day before minute-of-day m (0..1440);
    ``minute_of_index[i]``: minute-of-day at which the day's i-th working minute starts."""
    working = np.zeros(MINUTES_PER_DAY, dtype=bool)
    for start, end in calendar.working_periods:
        working[start:end] = True
    prefix = np.concatenate(([0], np.cumsum(working))).astype(np.int64)
    minute_of_index = np.flatnonzero(working).astype(np.int64)
    return prefix, minute_of_index


def _minutes_into_day(calendar: Calendar, moment: datetime) -> int:
    if not is_working_day(calendar, moment.date()):
        return 0
    prefix, _ = _intraday_tables(calendar)
    return int(prefix[moment.hour * 60 + moment.minute])


def working_minutes_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working minutes in [start, end); negative when ``end`` is before ``start``. O(log H)."""
    first = min(start.date(), end.date()).toordinal()

    def elapsed(moment: datetime) -> int:
        days = _working_days_in(calendar, first, moment.date().toordinal())
        return days * calendar.minutes_per_day + _minutes_into_day(calendar, moment)

    return elapsed(end) - elapsed(start)


def add_working_minutes(calendar: Calendar, moment: datetime, minutes: int) -> datetime:
    """The moment ``minutes`` working minutes after ``moment`` (before it when negative).

    Forward, the earliest moment at which that much work is done (a finish: Friday 17:00, not
    Monday 08:00); backward, the latest moment from which it still fits (a start: Monday 08:00).
    ``moment`` itself is returned, seconds dropped, when ``minutes`` is 0. O(log H).
    """
    moment = moment.replace(second=0, microsecond=0)
    if minutes == 0:
        return moment
    _, minute_of_index = _intraday_tables(calendar)
    position = _minutes_into_day(calendar, moment) + minutes
    base_ordinal = moment.date().toordinal()
    if minutes > 0:
        day_index, within = divmod(position - 1, calendar.minutes_per_day)
        minute_of_day = int(minute_of_index[within]) + 1
    else:
        day_index, within = divmod(position, calendar.minutes_per_day)
        minute_of_day = int(minute_of_index[within])
    day = date.fromordinal(_nth_working_ordinal(calendar, base_ordinal, day_index))
    return datetime.combine(day, time()) + timedelta(minutes=minute_of_day)


class WorkingTimeAxis:
    """Vectorised conversions between wall-clock minutes and working-time coordinates.

    Coordinates: wall minutes count from 1970-01-01 00:00 (see :func:`wall_minutes`); the working
    coordinate of calendar k at a moment is the number of k's working minutes between midnight at
    the start of ``reference_day`` and that moment (negative before it).

    The axis tabulates every day of a range per calendar (cumulative working minutes), grows the
    range by doubling when asked about a moment or coordinate outside it, and answers with
    O(1) indexing (to working time) or one ``np.searchsorted`` per calendar (to wall time).
    Memory: about 17 bytes per calendar per day of the range.
    """

    def __init__(self, calendars: Sequence[Calendar], reference_day: date):
        if not calendars:
            raise ValueError("WorkingTimeAxis needs at least one calendar.")
        self.calendars = tuple(calendars)
        self._reference_day = reference_day.toordinal() - _EPOCH_ORDINAL
        tables = [_intraday_tables(calendar) for calendar in self.calendars]
        self._prefix = np.stack([prefix for prefix, _ in tables])
        widest = max(len(minute_of_index) for _, minute_of_index in tables)
        self._minute_of_index = np.zeros((len(tables), widest), dtype=np.int64)
        for row, (_, minute_of_index) in enumerate(tables):
            self._minute_of_index[row, : len(minute_of_index)] = minute_of_index
        self._first_day = self._reference_day - 64
        self._stop_day = self._reference_day + 448
        self._build()

    def _build(self) -> None:
        days = np.arange(self._first_day, self._stop_day, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        rows = len(self.calendars)
        self._working = np.zeros((rows, len(days)), dtype=bool)
        self._before = np.zeros((rows, len(days)), dtype=np.int64)
        for row, calendar in enumerate(self.calendars):
            working = np.isin(weekday, sorted(calendar.working_weekdays))
            holidays = np.array([d.toordinal() - _EPOCH_ORDINAL for d in calendar.holidays], dtype=np.int64)
            extra = np.array([d.toordinal() - _EPOCH_ORDINAL for d in calendar.extra_working_dates], dtype=np.int64)
            working[np.isin(days, holidays)] = False
            working[np.isin(days, extra)] = True
            minutes = working.astype(np.int64) * calendar.minutes_per_day
            before = np.cumsum(minutes) - minutes
            self._working[row] = working
            self._before[row] = before - before[self._reference_day - self._first_day]
        self._end = self._before + self._working * np.array([[c.minutes_per_day] for c in self.calendars])

    def _ensure_days(self, first_day: int, stop_day: int) -> None:
        if first_day >= self._first_day and stop_day <= self._stop_day:
            return
        span = self._stop_day - self._first_day
        if first_day < self._first_day:
            self._first_day = min(first_day - 7, self._first_day - span)
        if stop_day > self._stop_day:
            self._stop_day = max(stop_day + 7, self._stop_day + span)
        self._build()

    def _ensure_coordinates(self, row: int, lowest: int, highest: int) -> None:
        calendar = self.calendars[row]
        per_week = len(calendar.working_weekdays) * calendar.minutes_per_day
        slack_days = 7 * (len(calendar.holidays) // len(calendar.working_weekdays) + 2)
        while lowest < self._before[row, 0] or highest >= self._end[row, -1]:
            first, stop = self._first_day, self._stop_day
            if lowest < self._before[row, 0]:
                first -= 7 * ((int(self._before[row, 0]) - lowest) // per_week + 1) + slack_days
            if highest >= self._end[row, -1]:
                stop += 7 * ((highest - int(self._end[row, -1])) // per_week + 1) + slack_days
            self._ensure_days(first, stop)

    def to_working(self, calendar_index: int | np.ndarray, wall: np.ndarray) -> np.ndarray:
        """Working coordinate of each wall moment: working minutes from the reference day's start
        to the moment (for a moment in non-working time: to the end of the last working minute)."""
        wall = np.asarray(wall, dtype=np.int64)
        if wall.size == 0:
            return wall.copy()
        day = wall // MINUTES_PER_DAY
        minute = wall - day * MINUTES_PER_DAY
        self._ensure_days(int(day.min()), int(day.max()) + 1)
        index = day - self._first_day
        return self._before[calendar_index, index] + np.where(
            self._working[calendar_index, index], self._prefix[calendar_index, minute], 0
        )

    def start_wall(self, calendar_index: int | np.ndarray, working: np.ndarray) -> np.ndarray:
        """Wall moment at which working minute number ``working`` starts (a start's date)."""
        working = np.asarray(working, dtype=np.int64)
        if np.ndim(calendar_index) == 0:
            return self._start_wall_row(int(calendar_index), working)
        calendar_index = np.asarray(calendar_index)
        result = np.empty_like(working)
        for row in np.unique(calendar_index):
            mask = calendar_index == row
            result[mask] = self._start_wall_row(int(row), working[mask])
        return result

    def finish_wall(self, calendar_index: int | np.ndarray, working: np.ndarray) -> np.ndarray:
        """Wall moment at which working minute number ``working - 1`` ends (a finish's date)."""
        return self.start_wall(calendar_index, np.asarray(working, dtype=np.int64) - 1) + 1

    def _start_wall_row(self, row: int, working: np.ndarray) -> np.ndarray:
        if working.size == 0:
            return working.copy()
        self._ensure_coordinates(row, int(working.min()), int(working.max()))
        day_index = np.searchsorted(self._end[row], working, side="right")
        within = working - self._before[row, day_index]
        return (self._first_day + day_index) * MINUTES_PER_DAY + self._minute_of_index[row, within]

    def carry_forward(
        self,
        target_calendar: int | np.ndarray,
        source_calendar: int | np.ndarray,
        coordinate: np.ndarray,
        *,
        source_is_start: np.ndarray | bool,
        target_is_finish: np.ndarray | bool,
    ) -> np.ndarray:
        """Smallest target coordinate whose moment is not before the source point's moment.

        The source point is read as the moment a start begins (``source_is_start``) or a finish
        ends; the target coordinate as a start (its moment is the next working minute's start) or,
        with ``target_is_finish``, a finish (the end of its last minute, so it must be one working
        minute later when the source moment falls outside the target's working time). Monotone.
        """
        coordinate = np.asarray(coordinate, dtype=np.int64)
        source_is_start = np.broadcast_to(np.asarray(source_is_start, dtype=bool), coordinate.shape)
        target_is_finish = np.broadcast_to(np.asarray(target_is_finish, dtype=bool), coordinate.shape).astype(np.int64)
        moment = np.where(
            source_is_start,
            self.start_wall(source_calendar, coordinate),
            self.finish_wall(source_calendar, coordinate),
        )
        return self.to_working(target_calendar, moment - target_is_finish) + target_is_finish

    def carry_backward(
        self,
        source_calendar: int | np.ndarray,
        target_calendar: int | np.ndarray,
        coordinate: np.ndarray,
        *,
        source_is_start: np.ndarray | bool,
        target_is_finish: np.ndarray | bool,
    ) -> np.ndarray:
        """Largest source coordinate x with ``carry_forward(..., x, ...) <= coordinate`` (same flags).

        ``carry_forward(t, s, x) <= y`` exactly when ``x <= carry_backward(s, t, y)``: this keeps the
        forward and backward passes consistent across calendars (no negative float from rounding).
        """
        coordinate = np.asarray(coordinate, dtype=np.int64)
        source_is_start = np.broadcast_to(np.asarray(source_is_start, dtype=bool), coordinate.shape).astype(np.int64)
        target_is_finish = np.broadcast_to(np.asarray(target_is_finish, dtype=bool), coordinate.shape)
        latest_moment = np.where(
            target_is_finish,
            self.finish_wall(target_calendar, coordinate),
            self.start_wall(target_calendar, coordinate),
        )
        return self.to_working(source_calendar, latest_moment + source_is_start) - source_is_start
