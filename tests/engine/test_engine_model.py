"""The input data classes refuse bad values with an error naming the field."""

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime

import pytest

from pmo_engine import Activity, Calendar, ConstraintType, InvalidInput, Link, LinkType


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"key": ""}, "key", "non-empty"),
        ({"duration_minutes": -1}, "duration_minutes", "at least 0"),
        ({"duration_minutes": 1.5}, "duration_minutes", "whole number"),
        ({"duration_minutes": True}, "duration_minutes", "whole number"),
        ({"constraint_type": "SOON"}, "constraint_type", "one of ASAP"),
        ({"constraint_type": "SNET"}, "constraint_date", "needs a constraint_date"),
        ({"constraint_date": date(2025, 3, 10)}, "constraint_date", "takes no constraint_date"),
        ({"deadline": datetime(2025, 3, 10, tzinfo=UTC)}, "deadline", "naive datetime"),
        ({"deadline": "2025-03-10"}, "deadline", "date or a datetime"),
        ({"is_milestone": True, "duration_minutes": 60}, "duration_minutes", "milestone"),
        ({"percent_complete": 120}, "percent_complete", "0 to 100"),
        ({"percent_complete": 10}, "actual_start", "needs an actual_start"),
        ({"actual_finish": date(2025, 3, 10)}, "actual_start", "needs an actual_start"),
        (
            {"actual_start": date(2025, 3, 11), "actual_finish": date(2025, 3, 10)},
            "actual_finish",
            "before actual_start",
        ),
        ({"actual_start": date(2025, 3, 11), "percent_complete": 100}, "actual_finish", "no actual_finish"),
        ({"remaining_duration_minutes": 10}, "remaining_duration_minutes", "has not started"),
        (
            {"actual_start": date(2025, 3, 10), "actual_finish": date(2025, 3, 10), "remaining_duration_minutes": 5},
            "remaining_duration_minutes",
            "has finished",
        ),
        ({"parent_key": "A"}, "parent_key", "its own parent"),
    ],
)
def test_activity_validation_names_the_field(fields, field, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        Activity(**{"key": "A", "duration_minutes": 480, **fields})
    assert caught.value.field == field


def test_activity_accepts_progress_and_reads_remaining_work():
    started = Activity("A", 1000, actual_start=date(2025, 3, 10), percent_complete=25)
    assert started.constraint_type is ConstraintType.AS_SOON_AS_POSSIBLE
    assert (started.is_started, started.is_finished, started.remaining_minutes) == (True, False, 750)
    told = Activity("A", 1000, actual_start=date(2025, 3, 10), remaining_duration_minutes=100)
    assert told.remaining_minutes == 100
    done = Activity("A", 1000, actual_start=date(2025, 3, 10), actual_finish=datetime(2025, 3, 10, 17))
    assert (done.is_finished, done.remaining_minutes) == (True, 0)
    reached = Activity("M", 0, is_milestone=True, actual_start=datetime(2025, 3, 10, 17))
    assert reached.is_finished


def test_data_classes_are_frozen():
    activity = Activity("A", 480)
    with pytest.raises(FrozenInstanceError):
        activity.duration_minutes = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        (("A", "A"), "successor_key", "itself"),
        (("A", ""), "successor_key", "non-empty"),
        (("A", "B", "XY"), "link_type", "one of FS"),
        (("A", "B", "FS", 1.5), "lag_minutes", "whole number"),
    ],
)
def test_link_validation_names_the_field(arguments, field, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        Link(*arguments)
    assert caught.value.field == field


def test_link_types_by_their_short_names():
    link = Link("A", "B", "SF", -60)
    assert link.link_type is LinkType.START_TO_FINISH
    assert link.link_type.from_predecessor_start and link.link_type.to_successor_finish


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"working_weekdays": set()}, "working_weekdays", "at least one"),
        ({"working_weekdays": {7}}, "working_weekdays", "0 \\(Monday\\) to 6"),
        ({"working_periods": ()}, "working_periods", "at least one period"),
        ({"working_periods": ((600, 500),)}, "working_periods", "sorted, disjoint"),
        ({"working_periods": ((480, 720), (700, 800))}, "working_periods", "sorted, disjoint"),
        ({"working_periods": ((0, 1500),)}, "working_periods", "within 0..1440"),
        ({"holidays": {datetime(2025, 3, 10)}}, "holidays", "not datetimes"),
        (
            {"holidays": {date(2025, 3, 10)}, "extra_working_dates": {date(2025, 3, 10)}},
            "extra_working_dates",
            "both a holiday",
        ),
    ],
)
def test_calendar_validation_names_the_field(fields, field, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        Calendar(**fields)
    assert caught.value.field == field


def test_calendar_normalises_collections():
    calendar = Calendar(working_weekdays=[0, 1, 2], working_periods=[(0, 600)], holidays=[date(2025, 3, 10)])
    assert calendar.working_weekdays == frozenset({0, 1, 2})
    assert calendar.working_periods == ((0, 600),)
    assert calendar.minutes_per_day == 600
    same = Calendar(working_weekdays={2, 1, 0}, working_periods=((0, 600),), holidays={date(2025, 3, 10)})
    assert calendar == same and hash(calendar) == hash(same)
