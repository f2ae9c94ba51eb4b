"""What :func:`~pmo_engine.cpm.schedule` returns: frozen data classes, one per activity, plus the
conflicts it found and the critical paths."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pmo_engine.model import ConstraintType


class ProgressState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ConflictKind(StrEnum):
    CONSTRAINT = "constraint"  # a date constraint the logic or the actuals do not let the schedule meet
    DEADLINE = "deadline"  # the early finish is after the deadline


@dataclass(frozen=True, slots=True)
class ActivitySchedule:
    """The computed dates of one activity (naive datetimes at minute resolution).

    Starts are the first working minute (e.g. Monday 08:00), finishes the end of the last one
    (e.g. Friday 17:00). ``start``/``finish`` are the dates to show: the early dates, the actual
    dates once known, and for an unstarted ALAP activity the early dates delayed by its free float.
    Floats are in working minutes of the activity's calendar; ``total_float_minutes`` is late
    finish - early finish and is negative when a constraint or deadline cannot be met. Completed
    activities have zero float and are never critical.
    """

    key: str
    project_key: str
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    start: datetime
    finish: datetime
    total_float_minutes: int
    free_float_minutes: int
    is_critical: bool
    is_summary: bool
    progress: ProgressState


@dataclass(frozen=True, slots=True)
class ScheduleConflict:
    """A constraint or deadline the schedule does not meet; reported, never dropped.

    ``constraint_date`` is the date as given; ``scheduled`` is the computed date it is compared
    with (the early start for start constraints, the early finish otherwise).
    """

    activity_key: str
    kind: ConflictKind
    constraint_type: ConstraintType | None
    constraint_date: date
    scheduled: datetime
    message: str


@dataclass(frozen=True, eq=False)
class ScheduleResult:
    """The schedule of a network: a read-only mapping from activity key to :class:`ActivitySchedule`
    (in input order), plus:

    - ``conflicts``: unmet constraints and missed deadlines, sorted by activity key;
    - ``critical_paths``: chains of critical activities (keys, predecessor first) joined by links
      with no more float than the threshold, sorted; summary activities do not appear in them;
    - ``critical_paths_truncated``: True when there were more chains than the limit asked for;
    - ``project_finish``: the early finish of each project (the latest early finish of its activities).
    """

    activities: Mapping[str, ActivitySchedule]
    conflicts: tuple[ScheduleConflict, ...]
    critical_paths: tuple[tuple[str, ...], ...]
    critical_paths_truncated: bool
    project_finish: Mapping[str, datetime]

    def __getitem__(self, key: str) -> ActivitySchedule:
        return self.activities[key]

    def __iter__(self) -> Iterator[ActivitySchedule]:
        return iter(self.activities.values())

    def __len__(self) -> int:
        return len(self.activities)

    def critical_activities(self) -> tuple[str, ...]:
        """Keys of the critical activities, in input order."""
        return tuple(key for key, activity in self.activities.items() if activity.is_critical)
