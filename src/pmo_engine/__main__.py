"""``python -m pmo_engine schedule NETWORK.json``: schedule a network kept in a file, print JSON.

The file holds one object::

    {"project_start": "2025-03-10", "status_date": null,
     "default_calendar": {"key": "standard", "working_weekdays": [0, 1, 2, 3, 4],
                          "working_periods": [[480, 720], [780, 1020]], "holidays": ["2025-04-18"]},
     "calendars": [...], "project_starts": {"P2": "2025-04-01"},
     "activities": [{"key": "A", "duration_minutes": 960, "constraint_type": "SNET",
                     "constraint_date": "2025-03-12T08:00", ...}],
     "links": [{"predecessor_key": "A", "successor_key": "B", "link_type": "FS", "lag_minutes": 0}],
     "critical_float_minutes": 0}

Field names are those of :class:`~pmo_engine.model.Activity`, :class:`~pmo_engine.model.Link`
and :class:`~pmo_engine.model.Calendar`; dates are ISO 8601 (a value with a time is a datetime).
Exit status 2 and a message on stderr when the engine refuses the input.
"""

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from pmo_engine.cpm import ScheduleResult, schedule
from pmo_engine.errors import EngineError
from pmo_engine.model import Activity, Calendar, Link

_MOMENT_FIELDS = ("constraint_date", "deadline", "actual_start", "actual_finish")


def _moment(value: str | None) -> date | None:
    if value is None:
        return None
    return datetime.fromisoformat(value) if ("T" in value or " " in value) else date.fromisoformat(value)


def _calendar(fields: dict) -> Calendar:
    return Calendar(
        **{
            **fields,
            "working_periods": tuple(
                tuple(period) for period in fields.get("working_periods", ((480, 720), (780, 1020)))
            ),
            "holidays": frozenset(date.fromisoformat(day) for day in fields.get("holidays", ())),
            "extra_working_dates": frozenset(date.fromisoformat(day) for day in fields.get("extra_working_dates", ())),
        }
    )


def read_network(document: dict) -> dict:
    """Keyword arguments of :func:`~pmo_engine.schedule` from a parsed JSON document."""
    activities = [
        Activity(**{**fields, **{name: _moment(fields.get(name)) for name in _MOMENT_FIELDS}})
        for fields in document.get("activities", [])
    ]
    default = document.get("default_calendar")
    return {
        "activities": activities,
        "links": [Link(**fields) for fields in document.get("links", [])],
        "project_start": _moment(document["project_start"]),
        "project_starts": {key: _moment(value) for key, value in document.get("project_starts", {}).items()},
        "calendars": [_calendar(fields) for fields in document.get("calendars", [])],
        "default_calendar": _calendar(default) if default is not None else None,
        "status_date": _moment(document.get("status_date")),
        "critical_float_minutes": document.get("critical_float_minutes", 0),
    }


def result_document(result: ScheduleResult) -> dict:
    """The schedule as JSON-able data: ISO datetimes, floats in working minutes."""

    def moment(value: datetime) -> str:
        return value.isoformat(timespec="minutes")

    return {
        "activities": [
            {
                "key": item.key,
                "project_key": item.project_key,
                "early_start": moment(item.early_start),
                "early_finish": moment(item.early_finish),
                "late_start": moment(item.late_start),
                "late_finish": moment(item.late_finish),
                "start": moment(item.start),
                "finish": moment(item.finish),
                "total_float_minutes": item.total_float_minutes,
                "free_float_minutes": item.free_float_minutes,
                "is_critical": item.is_critical,
                "is_summary": item.is_summary,
                "progress": str(item.progress),
            }
            for item in result
        ],
        "conflicts": [
            {
                "activity_key": conflict.activity_key,
                "kind": str(conflict.kind),
                "constraint_type": None if conflict.constraint_type is None else str(conflict.constraint_type),
                "constraint_date": conflict.constraint_date.isoformat(),
                "scheduled": moment(conflict.scheduled),
                "message": conflict.message,
            }
            for conflict in result.conflicts
        ],
        "critical_paths": [list(path) for path in result.critical_paths],
        "critical_paths_truncated": result.critical_paths_truncated,
        "project_finish": {key: moment(value) for key, value in result.project_finish.items()},
    }


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pmo_engine", description="The pmo engine on files.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("schedule", help="critical path schedule of a network in a JSON file")
    command.add_argument("network", type=Path, help="JSON file describing the network ('-' for stdin)")
    options = parser.parse_args(arguments)
    try:
        text = sys.stdin.read() if str(options.network) == "-" else options.network.read_text()
        result = schedule(**read_network(json.loads(text)))
    except (EngineError, OSError, ValueError, KeyError, TypeError) as error:
        print(f"pmo_engine: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result_document(result), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
