"""``python -m pmo_engine schedule FILE``."""

import json

from pmo_engine.__main__ import main

NETWORK = {
    "project_start": "2025-03-10",
    "status_date": "2025-03-10",
    "default_calendar": {"key": "office", "holidays": ["2025-03-12"]},
    "activities": [
        {"key": "A", "duration_minutes": 960, "actual_start": "2025-03-10T08:00", "percent_complete": 50},
        {"key": "B", "duration_minutes": 480, "constraint_type": "FNLT", "constraint_date": "2025-03-12"},
        {"key": "C", "duration_minutes": 0, "is_milestone": True},
    ],
    "links": [
        {"predecessor_key": "A", "successor_key": "B", "link_type": "FS", "lag_minutes": 0},
        {"predecessor_key": "B", "successor_key": "C", "link_type": "FS", "lag_minutes": 0},
    ],
}


def test_schedule_command_prints_the_schedule(tmp_path, capsys):
    path = tmp_path / "network.json"
    path.write_text(json.dumps(NETWORK))
    assert main(["schedule", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)
    dates = {item["key"]: item for item in document["activities"]}
    # A: 480 minutes left from the end of Monday: Tuesday (Wednesday 12 is a holiday). B: Thursday.
    assert (dates["A"]["early_start"], dates["A"]["early_finish"]) == ("2025-03-10T08:00", "2025-03-11T17:00")
    assert (dates["B"]["early_start"], dates["B"]["early_finish"]) == ("2025-03-13T08:00", "2025-03-13T17:00")
    assert dates["A"]["progress"] == "in_progress"
    assert dates["C"]["early_start"] == "2025-03-13T17:00"
    (conflict,) = document["conflicts"]
    assert (conflict["activity_key"], conflict["constraint_type"]) == ("B", "FNLT")
    assert document["critical_paths"] == [["A", "B", "C"]]
    assert document["project_finish"] == {"": "2025-03-13T17:00"}


def test_schedule_command_explains_refused_input(tmp_path, capsys):
    path = tmp_path / "network.json"
    path.write_text(json.dumps({**NETWORK, "links": [{"predecessor_key": "A", "successor_key": "Z"}]}))
    assert main(["schedule", str(path)]) == 2
    assert "refers to activity Z" in capsys.readouterr().err
