"""Bad input to the MSPDI reader: each case raises an error a person can act on (what and where).

The small documents here are hand-written MSPDI: one standard calendar, tasks built by ``task()``.
"""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import CycleError
from pmo_engine.formats import FileFormatError, UnsupportedFeatureError, read_mspdi

NAMESPACE = "http://schemas.microsoft.com/project"
STANDARD_CALENDAR = """
  <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID>
  </Calendar>"""


def task(uid: int, *, duration: str = "PT8H0M0S", level: int = 1, extra: str = "", predecessors: str = "") -> str:
    return f"""
  <Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name><OutlineLevel>{level}</OutlineLevel>
    <Duration>{duration}</Duration>{extra}{predecessors}</Task>"""


def link(predecessor: int, *, link_type: int = 1, lag: int = 0, lag_format: int = 7) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID><Type>{link_type}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink>"
    )


def line_of(data: bytes, text: str) -> int:
    """The line (from 1) on which ``text`` first appears in ``data``."""
    return data[: data.index(text.encode())].count(b"\n") + 1


def document(tasks: str, *, header: str = "", calendars: str = STANDARD_CALENDAR, tail: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{NAMESPACE}">
  <Name>Test</Name><StartDate>2025-03-10T08:00:00</StartDate><CalendarUID>1</CalendarUID>{header}
  <Calendars>{calendars}</Calendars>
  <Tasks>{tasks}
  </Tasks>{tail}
</Project>
""".encode()


def test_a_well_formed_small_document_reads():
    # The baseline the other cases break: it must read, or they would pass for the wrong reason.
    plan = read_mspdi(document(task(1) + task(2, predecessors=link(1))))
    assert [activity.uid for activity in plan.activities] == [1, 2]
    assert plan.links[0].predecessor_uid == 1


def test_billion_laughs_is_refused_before_any_expansion():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>"""
    with pytest.raises(FileFormatError, match=r"document type \(DTD\).*XML bomb") as caught:
        read_mspdi(bomb)
    assert caught.value.line == 2


def test_an_external_entity_is_refused():
    external = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&secret;</Name></Project>"""
    with pytest.raises(FileFormatError, match="refuses them because they can expand"):
        read_mspdi(external)


def test_a_file_that_is_not_xml_says_so_with_its_line():
    with pytest.raises(FileFormatError, match=r"line 1: The file is not well-formed XML") as caught:
        read_mspdi(b"PK\x03\x04 this is a zip file, perhaps an .mpp")
    assert caught.value.line == 1


def test_broken_xml_names_the_line():
    broken = document(task(1)).replace(b"</Tasks>", b"</Task>")
    with pytest.raises(FileFormatError, match="mismatched tag") as caught:
        read_mspdi(broken)
    assert caught.value.line == line_of(broken, "  </Task>\n</Project>")  # the tag that closes nothing


def test_xml_that_is_not_mspdi_names_its_root():
    planner = b'<?xml version="1.0"?>\n<project name="x" mrproject-version="2"><tasks/></project>'
    with pytest.raises(
        FileFormatError, match=r"not a Microsoft Project XML \(MSPDI\) file: its root element is <project>"
    ):
        read_mspdi(planner)


def test_a_dependency_cycle_reads_as_data_and_the_schedule_names_its_tasks():
    tasks = task(1, predecessors=link(3)) + task(2, predecessors=link(1)) + task(3, predecessors=link(2)) + task(4)
    plan = read_mspdi(document(tasks))
    assert {(link.predecessor_uid, link.successor_uid) for link in plan.links} == {(3, 1), (1, 2), (2, 3)}
    with pytest.raises(CycleError) as caught:
        plan.schedule()
    assert set(caught.value.activity_keys) == {"1", "2", "3"}
    assert "The links form a cycle" in caught.value.message


def test_a_link_to_a_missing_task_names_both_tasks_and_the_line():
    data = document(task(1) + task(2, predecessors=link(7)))
    line = line_of(data, "<PredecessorUID>7")
    with pytest.raises(
        FileFormatError, match=rf"Task UID 2, <PredecessorUID>, line {line}: The predecessor UID 7 is not"
    ):
        read_mspdi(data)


def test_a_negative_duration_is_refused():
    with pytest.raises(FileFormatError, match=r"Task UID 1, <Duration>, line \d+: '-PT8H0M0S' is a negative duration"):
        read_mspdi(document(task(1, duration="-PT8H0M0S")))


@pytest.mark.parametrize(
    ("duration", "reason"),
    [
        ("8 hours", "is not an ISO 8601 duration"),
        ("P1M", "counts years or months"),
        ("PT", "is not an ISO 8601 duration"),
    ],
)
def test_bad_durations_are_refused_with_the_reason(duration, reason):
    with pytest.raises(FileFormatError, match=reason):
        read_mspdi(document(task(1, duration=duration)))


def test_an_unknown_link_type_is_refused():
    with pytest.raises(
        FileFormatError, match=r"<Type>.*Link type 4 is not one of 0 \(FF\), 1 \(FS\), 2 \(SF\), 3 \(SS\)"
    ):
        read_mspdi(document(task(1) + task(2, predecessors=link(1, link_type=4))))


def test_an_unknown_lag_format_is_refused():
    with pytest.raises(FileFormatError, match=r"<LagFormat>.*99 is not a lag format"):
        read_mspdi(document(task(1) + task(2, predecessors=link(1, lag=4800, lag_format=99))))


def test_a_task_without_uid_is_refused():
    with pytest.raises(FileFormatError, match=r"<UID> is required here and missing"):
        read_mspdi(document("<Task><Name>No id</Name><Duration>PT8H0M0S</Duration></Task>"))


def test_a_task_without_duration_is_refused():
    with pytest.raises(FileFormatError, match=r"Task UID 1.*The task has no <Duration>"):
        read_mspdi(document("<Task><UID>1</UID><ID>1</ID><OutlineLevel>1</OutlineLevel></Task>"))


def test_duplicate_task_uids_are_refused():
    with pytest.raises(FileFormatError, match="Two tasks have UID 1"):
        read_mspdi(document(task(1) + task(1)))


def test_an_outline_level_that_skips_a_level_is_refused():
    with pytest.raises(FileFormatError, match=r"OutlineLevel 3 follows a task at level 1"):
        read_mspdi(document(task(1) + task(2, level=3)))


def test_a_dated_constraint_without_its_date_is_refused():
    with pytest.raises(FileFormatError, match=r"ConstraintType 4 \(SNET\) needs a <ConstraintDate>"):
        read_mspdi(document(task(1, extra="<ConstraintType>4</ConstraintType>")))


def test_an_unknown_constraint_type_is_refused():
    with pytest.raises(FileFormatError, match=r"ConstraintType 9 is not one of 0 \(ASAP\) to 7 \(FNLT\)"):
        read_mspdi(document(task(1, extra="<ConstraintType>9</ConstraintType>")))


def test_a_bad_date_is_refused():
    with pytest.raises(FileFormatError, match=r"<Deadline>.*'next Tuesday' is not a date and time"):
        read_mspdi(document(task(1, extra="<Deadline>next Tuesday</Deadline>")))


def test_a_task_calendar_that_does_not_exist_is_refused():
    with pytest.raises(FileFormatError, match=r"CalendarUID 8 names no calendar of the file"):
        read_mspdi(document(task(1, extra="<CalendarUID>8</CalendarUID>")))


def test_an_actual_finish_before_the_actual_start_is_refused():
    extra = "<ActualStart>2025-03-12T08:00:00</ActualStart><ActualFinish>2025-03-11T17:00:00</ActualFinish>"
    with pytest.raises(FileFormatError, match=r"Task UID 1.*the actual finish is before the actual start"):
        read_mspdi(document(task(1, extra=extra)))


def test_overlapping_working_times_are_refused():
    calendar = """
  <Calendar><UID>1</UID><Name>Odd</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>
    <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>
      <WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
      <WorkingTime><FromTime>11:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>
    </WorkingTimes></WeekDay></WeekDays></Calendar>"""
    with pytest.raises(FileFormatError, match=r"working times overlap.*08:00:00-12:00:00, 11:00:00-17:00:00"):
        read_mspdi(document(task(1), calendars=calendar))


def test_an_assignment_to_a_missing_resource_is_refused():
    tail = (
        "<Assignments><Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>5</ResourceUID></Assignment>"
        "</Assignments>"
    )
    with pytest.raises(FileFormatError, match=r"ResourceUID 5 is not a resource of the file"):
        read_mspdi(document(task(1), tail=tail))


def test_a_cross_project_link_is_refused_as_unsupported():
    cross = "<PredecessorLink><PredecessorUID>1</PredecessorUID><CrossProject>1</CrossProject></PredecessorLink>"
    with pytest.raises(UnsupportedFeatureError, match="predecessor in another project file"):
        read_mspdi(document(task(1) + task(2, predecessors=cross)))


def test_an_external_task_is_refused_as_unsupported():
    with pytest.raises(UnsupportedFeatureError, match=r"Task UID 1 .* is an external task"):
        read_mspdi(document(task(1, extra="<ExternalTask>1</ExternalTask>")))


def test_text_instead_of_bytes_is_refused():
    with pytest.raises(FileFormatError, match="takes the file's bytes, not str"):
        read_mspdi(document(task(1)).decode())  # type: ignore[arg-type]


SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files" / "projectlibre_New_Product.xml"
ODD_VALUES = [
    "", "-1", "0", "7", "abc", "1.5", "-65535", "99999999999999999999", "PT-5H", "P1Y", "PT8H0M0S",
    "2024-13-45T00:00:00", "2004-07-19T08:00:00", "24:00:00", "00:00:00", "true", "NaN",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_odd_value_anywhere_gives_a_plan_or_a_located_error(data):
    # Structure-preserving fuzzing: the text of a few elements of a real file is replaced by odd
    # values; reading must give a plan or one of the formats' errors, never another exception.
    text = SAMPLE.read_bytes().decode()
    values = list(re.finditer(r">([^<\s][^<]*)<", text))
    chosen = data.draw(st.lists(st.sampled_from(values), min_size=1, max_size=4, unique_by=lambda match: match.start()))
    mutated = text
    for match in sorted(chosen, key=lambda match: match.start(), reverse=True):
        mutated = mutated[: match.start(1)] + data.draw(st.sampled_from(ODD_VALUES)) + mutated[match.end(1) :]
    try:
        plan = read_mspdi(mutated.encode())
    except (FileFormatError, UnsupportedFeatureError) as error:
        assert error.message
    else:
        assert plan.activities
