"""Working calendars: day and minute arithmetic, and the vectorised axis the scheduler uses."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import (
    Calendar,
    add_working_days,
    add_working_minutes,
    is_working_day,
    next_working_day,
    working_days_between,
    working_minutes_between,
)
from pmo_engine.calendar import WorkingTimeAxis, moment_from_wall_minutes, wall_minutes

# March 2025: Monday 10, Friday 14 is a holiday, Saturday 22 an extra working date.
EASTER_LIKE = Calendar(holidays={date(2025, 3, 14), date(2025, 3, 31)}, extra_working_dates={date(2025, 3, 22)})
SHORT_WEEK = Calendar(
    key="short-week",
    working_weekdays={0, 2, 3},
    working_periods=((7 * 60, 11 * 60), (12 * 60 + 30, 15 * 60)),
    holidays={date(2025, 3, 19)},
    extra_working_dates={date(2025, 3, 15), date(2025, 3, 18)},
)
NIGHT_SHIFT = Calendar(key="nights", working_weekdays=range(7), working_periods=((0, 6 * 60), (22 * 60, 24 * 60)))
CALENDARS = [Calendar(), EASTER_LIKE, SHORT_WEEK, NIGHT_SHIFT]


def brute_force_working_days(calendar, first, stop):
    return sum(is_working_day(calendar, first + timedelta(days=offset)) for offset in range((stop - first).days))


def test_standard_calendar_is_monday_to_friday_eight_hours():
    calendar = Calendar()
    assert calendar.minutes_per_day == 480
    assert [is_working_day(calendar, date(2025, 3, day)) for day in range(10, 17)] == [True] * 5 + [False] * 2


def test_holidays_and_extra_working_dates():
    assert not is_working_day(EASTER_LIKE, date(2025, 3, 14))
    assert is_working_day(EASTER_LIKE, date(2025, 3, 22))
    assert not is_working_day(EASTER_LIKE, date(2025, 3, 23))
    assert is_working_day(EASTER_LIKE, datetime(2025, 3, 22, 23, 59))


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
        (date(2025, 3, 10), 1, date(2025, 3, 11)),
        (date(2025, 3, 12), 2, date(2025, 3, 17)),  # Thu 13, (Fri 14 holiday), Mon 17
        (date(2025, 3, 20), 2, date(2025, 3, 22)),  # Fri 21, Sat 22 (extra)
        (date(2025, 3, 20), 3, date(2025, 3, 24)),
        (date(2025, 3, 15), 1, date(2025, 3, 17)),  # from a Saturday
        (date(2025, 3, 17), -1, date(2025, 3, 13)),
        (date(2025, 3, 16), -1, date(2025, 3, 13)),  # from a Sunday
        (date(2025, 3, 10), 20, date(2025, 4, 8)),  # across the 31 March holiday
        (date(2025, 4, 8), -20, date(2025, 3, 10)),
    ],
)
def test_add_working_days(day, count, expected):
    assert add_working_days(EASTER_LIKE, day, count) == expected


def test_next_working_day_skips_weekends_and_holidays():
    assert next_working_day(EASTER_LIKE, date(2025, 3, 13)) == date(2025, 3, 17)
    assert next_working_day(EASTER_LIKE, date(2025, 3, 21)) == date(2025, 3, 22)
    assert next_working_day(Calendar(), date(2025, 3, 14)) == date(2025, 3, 17)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(EASTER_LIKE, date(2025, 3, 10), date(2025, 3, 10)) == 0
    assert working_days_between(EASTER_LIKE, date(2025, 3, 10), date(2025, 3, 17)) == 4  # Tue-Thu, Mon
    assert working_days_between(EASTER_LIKE, date(2025, 3, 17), date(2025, 3, 10)) == -4
    assert working_days_between(Calendar(), date(2025, 1, 1), date(2026, 1, 1)) == 261


def test_far_dates_are_cheap_and_exact():
    calendar = Calendar(holidays={date(2030, 1, 1)})
    # 2600 working days are 520 weeks (to Monday 25 December 2034) plus one for the holiday.
    assert add_working_days(calendar, date(2025, 1, 6), 2600) == date(2034, 12, 26)
    assert working_days_between(calendar, date(2025, 1, 6), date(2034, 12, 26)) == 2600


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(CALENDARS),
    st.dates(min_value=date(2025, 2, 1), max_value=date(2025, 4, 30)),
    st.integers(-40, 40),
)
def test_day_arithmetic_agrees_with_counting_day_by_day(calendar, day, count):
    result = add_working_days(calendar, day, count)
    if count > 0:
        assert result > day and is_working_day(calendar, result)
        assert brute_force_working_days(calendar, day + timedelta(days=1), result + timedelta(days=1)) == count
    elif count < 0:
        assert result < day and is_working_day(calendar, result)
        assert brute_force_working_days(calendar, result, day) == -count
    else:
        assert result == day
    if is_working_day(calendar, day):
        assert working_days_between(calendar, day, result) == count


@pytest.mark.parametrize(
    ("moment", "minutes", "expected"),
    [
        (datetime(2025, 3, 10, 8), 480, datetime(2025, 3, 10, 17)),
        (datetime(2025, 3, 10, 11, 30), 60, datetime(2025, 3, 10, 13, 30)),  # over lunch
        (datetime(2025, 3, 10, 16), 120, datetime(2025, 3, 11, 9)),
        (datetime(2025, 3, 13, 16), 120, datetime(2025, 3, 17, 9)),  # Friday 14 is a holiday
        (datetime(2025, 3, 15, 10), 60, datetime(2025, 3, 17, 9)),  # from a Saturday
        (datetime(2025, 3, 11, 9), -120, datetime(2025, 3, 10, 16)),
        (datetime(2025, 3, 11, 8), -480, datetime(2025, 3, 10, 8)),
        (datetime(2025, 3, 11, 8), 0, datetime(2025, 3, 11, 8)),
    ],
)
def test_add_working_minutes(moment, minutes, expected):
    assert add_working_minutes(EASTER_LIKE, moment, minutes) == expected
    assert working_minutes_between(EASTER_LIKE, moment, expected) == minutes


def test_finishes_end_a_working_period_and_starts_begin_one():
    # 480 minutes from Monday 08:00 end on Monday 17:00, not Tuesday 08:00; going back 480
    # minutes from Tuesday 17:00 starts on Tuesday 08:00, not Monday 17:00.
    assert add_working_minutes(Calendar(), datetime(2025, 3, 10, 8), 480) == datetime(2025, 3, 10, 17)
    assert add_working_minutes(Calendar(), datetime(2025, 3, 11, 17), -480) == datetime(2025, 3, 11, 8)


def moments(first=datetime(2025, 2, 1), days=120):
    return st.integers(0, days * 1440 - 1).map(lambda minutes: first + timedelta(minutes=minutes))


def brute_force_working_minutes(calendar, start, end):
    minutes = 0
    moment = start
    while moment < end:
        if is_working_day(calendar, moment) and any(
            first <= moment.hour * 60 + moment.minute < last for first, last in calendar.working_periods
        ):
            minutes += 1
        moment += timedelta(minutes=1)
    return minutes


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CALENDARS), moments(days=20), st.integers(0, 6 * 1440))
def test_working_minutes_agree_with_counting_minute_by_minute(calendar, start, span):
    end = start + timedelta(minutes=span)
    assert working_minutes_between(calendar, start, end) == brute_force_working_minutes(calendar, start, end)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CALENDARS), moments(), st.integers(-20_000, 20_000))
def test_adding_minutes_is_undone_by_counting_them(calendar, moment, minutes):
    result = add_working_minutes(calendar, moment, minutes)
    assert working_minutes_between(calendar, moment, result) == minutes
    if minutes > 0:  # the earliest such moment: one minute earlier is not enough
        assert working_minutes_between(calendar, moment, result - timedelta(minutes=1)) == minutes - 1
    if minutes < 0:  # the latest such moment
        assert working_minutes_between(calendar, result + timedelta(minutes=1), moment) == -minutes - 1


REFERENCE = date(2025, 3, 10)
ORIGIN = datetime(2025, 3, 10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(CALENDARS) - 1), moments(datetime(2024, 6, 1), 700)), min_size=1))
def test_axis_agrees_with_the_calendar_functions(points):
    axis = WorkingTimeAxis(CALENDARS, REFERENCE)
    rows = np.array([row for row, _ in points])
    walls = np.array([wall_minutes(moment) for _, moment in points])
    working = axis.to_working(rows, walls)
    starts, finishes = axis.start_wall(rows, working), axis.finish_wall(rows, working)
    for (row, moment), coordinate, start_wall, finish_wall in zip(points, working, starts, finishes, strict=True):
        calendar = CALENDARS[row]
        assert coordinate == working_minutes_between(calendar, ORIGIN, moment)
        start, finish = moment_from_wall_minutes(start_wall), moment_from_wall_minutes(finish_wall)
        # The moment lies between the end of the last working minute and the start of the next.
        assert finish <= moment <= start
        assert working_minutes_between(calendar, ORIGIN, start) == coordinate
        assert working_minutes_between(calendar, ORIGIN, finish) == coordinate
        assert start == add_working_minutes(calendar, finish, 1) - timedelta(minutes=1)


def test_axis_grows_to_answer_far_coordinates():
    axis = WorkingTimeAxis([Calendar()], REFERENCE)
    far = np.array([480 * 260 * 30, -480 * 260 * 30])  # thirty years of working days either side
    walls = axis.start_wall(0, far)
    assert moment_from_wall_minutes(walls[0]).year == 2055
    assert moment_from_wall_minutes(walls[1]).year == 1995
    assert axis.to_working(0, walls).tolist() == far.tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, len(CALENDARS) - 1),
    st.integers(0, len(CALENDARS) - 1),
    st.integers(-5000, 5000),
    st.integers(-5000, 5000),
    st.tuples(st.booleans(), st.booleans()),
)
def test_carrying_across_calendars_forward_and_back_agree(source, target, point, bound, flags):
    """carry_forward(x) <= y exactly when x <= carry_backward(y): the passes cannot disagree."""
    is_start, is_finish = flags
    axis = WorkingTimeAxis(CALENDARS, REFERENCE)
    flags = {"source_is_start": is_start, "target_is_finish": is_finish}
    forward = axis.carry_forward(target, source, np.array([point]), **flags)[0]
    backward = axis.carry_backward(source, target, np.array([bound]), **flags)[0]
    assert (forward <= bound) == (point <= backward)
    # And the carried point is not before the source point, as moments.
    source_moment = axis.start_wall(source, [point])[0] if is_start else axis.finish_wall(source, [point])[0]
    target_moment = axis.finish_wall(target, [forward])[0] if is_finish else axis.start_wall(target, [forward])[0]
    assert target_moment >= source_moment
