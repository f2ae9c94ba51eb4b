"""Date agreement: pmo's schedule of an imported plan against the dates the file stores.

For each sample file, the plan is scheduled from the file's project start (and status date, or
the latest actual date when the file records progress without one) and every non-summary task's
computed start and finish (the early dates; actual dates once started) is compared with the Start
and Finish in the file. Where they cannot agree, the exact set of disagreeing tasks is asserted,
with the reason beside each.

Files from MS Project and ProjectLibre are compared to the minute. GanttProject and Planner work
in days and store a task starting a day at midnight (and a milestone after Friday's work at
Monday 00:00), so their dates are compared in working time: two moments agree when the same
amount of work lies before them on the task's calendar (Monday 00:00 and Monday 08:00 do; so do
Friday 17:00 and Monday 00:00).

Files other than MSPDI go through MPXJ (the ``mpxj`` extra, Java 17): without it these tests fail
with the message of :class:`~pmo_engine.formats.OptionalDependencyError`.
"""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import defusedxml.ElementTree as SafeElementTree

from pmo_engine import LinkType, working_minutes_between
from pmo_engine.formats import Plan, PlanLink, read_plan_file

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files"
DAY = 480


def disagreements(plan: Plan, *, in_working_time: bool) -> dict[int, tuple[datetime, datetime, datetime, datetime]]:
    """Per disagreeing non-summary task: (stored start, stored finish, computed start, computed finish)."""
    result = plan.schedule()
    calendars = {calendar.key: calendar for calendar in plan.engine_calendars()}
    activities = {activity.key: activity for activity in plan.engine_activities()}
    found = {}
    compared = 0
    for activity in plan.activities:
        if activity.is_summary:
            continue
        compared += 1
        computed = result[str(activity.uid)]
        stored = (activity.start, activity.finish)
        ours = (computed.start, computed.finish)
        if in_working_time:
            calendar = calendars[activities[str(activity.uid)].calendar_key]
            same = [
                working_minutes_between(calendar, plan.project_start, theirs)
                == working_minutes_between(calendar, plan.project_start, mine)
                for theirs, mine in zip(stored, ours, strict=True)
            ]
        else:
            same = [theirs == mine for theirs, mine in zip(stored, ours, strict=True)]
        if not all(same):
            found[activity.uid] = (*stored, *ours)
    assert compared > 0
    return found


def test_ms_project_2019_file_agrees_on_every_task():
    plan = read_plan_file(DATA / "mpxj_task-durations-project2019-mspdi.xml")
    assert len(plan.activities) == 110
    assert disagreements(plan, in_working_time=False) == {}


def test_projectlibre_xml_agrees_on_every_task():
    plan = read_plan_file(DATA / "projectlibre_New_Product.xml")
    assert sum(not activity.is_summary for activity in plan.activities) == 36
    assert disagreements(plan, in_working_time=False) == {}


def test_projectlibre_mpp_agrees_on_every_task():
    plan = read_plan_file(DATA / "projectlibre_New_Product.mpp")
    assert sum(not activity.is_summary for activity in plan.activities) == 36
    assert disagreements(plan, in_working_time=False) == {}


def test_psplib_j120_agrees_on_every_task():
    plan = read_plan_file(DATA / "mpsplib_46_mp_j120_a2_nr1.xml")
    assert len(plan.activities) == 244
    assert disagreements(plan, in_working_time=False) == {}


def test_psplib_j30_agrees_on_every_task():
    plan = read_plan_file(DATA / "mpsplib_16_mp_j30_a5_nr1.xml")
    # The start milestones of projects 2 to 5 follow the project 1 start milestone with lags of
    # 4, 9, 16 and 20 days; like MS Project, they show at the end of the day the lag runs out.
    assert disagreements(plan, in_working_time=False) == {}


def test_planner_file_agrees_except_progress_and_seconds():
    plan = read_plan_file(DATA / "mpxj_project1.planner")
    assert plan.status_date is None
    assert plan.engine_status_date() == datetime(2007, 2, 23, 8)  # its latest actual start
    found = disagreements(plan, in_working_time=True)
    assert set(found) == {
        # In progress (26%, 45%) with no status date: Planner keeps the remaining work right after
        # the work done, so the bar keeps its planned finish; pmo schedules the remaining work from
        # the status date, here the latest actual date, and it finishes earlier.
        8,
        27,
        28,
        29,
        # 114h16m40s of work: pmo schedules whole minutes (114h17m), so the finish is 10:17, not 10:16:40.
        30,
    }
    assert all(found[uid][0] == found[uid][2] for uid in found)  # the starts agree; only the finishes differ
    assert found[30][1:4:2] == (datetime(2007, 3, 15, 10, 16, 40), datetime(2007, 3, 15, 10, 17))


GANTT_DEPENDENCY_TYPES = {
    1: LinkType.START_TO_START,
    2: LinkType.FINISH_TO_START,
    3: LinkType.FINISH_TO_FINISH,
    4: LinkType.START_TO_FINISH,
}


def gantt_project_dependencies() -> tuple[PlanLink, ...]:
    """Every ``<depend>`` of the .gan file, read directly (MPXJ gives task ``id`` UID ``id + 1``)."""
    root = SafeElementTree.parse(DATA / "ganttproject_HouseBuildingSample.gan").getroot()
    return tuple(
        PlanLink(
            int(task.get("id")) + 1,
            int(depend.get("id")) + 1,
            GANTT_DEPENDENCY_TYPES[int(depend.get("type"))],
            int(depend.get("difference")) * DAY,
        )
        for task in root.iter("task")
        for depend in task.findall("depend")
    )


def test_ganttproject_file_disagrees_where_mpxj_lost_dependencies_and_on_progress():
    plan = read_plan_file(DATA / "ganttproject_HouseBuildingSample.gan")
    dependencies = gantt_project_dependencies()
    # MPXJ 16.10's GanttProjectReader reads the <depend> elements of top-level tasks only (its
    # readRelationships does not recurse into subtasks): 14 of the file's 17 dependencies are lost.
    assert len(dependencies) == 17
    assert len(plan.links) == 3
    assert {(link.predecessor_uid, link.successor_uid) for link in plan.links} == {(50, 1), (12, 7), (8, 21)}
    assert plan.engine_status_date() == datetime(2024, 6, 14, 17)  # GanttProject records % complete only
    found = disagreements(plan, in_working_time=True)
    assert set(found) == {
        # 75% complete: GanttProject keeps the planned bar; pmo schedules the remaining 25% from
        # the status date (the end of the latest completed task), so it finishes earlier.
        11,
        # Their predecessors were lost (above): without them they start at the status date.
        18,
        2,
        3,
        5,
        6,
        17,
        19,
        7,
        16,
        21,
        # A milestone at the project start with no predecessor: no unstarted work starts before
        # the status date in pmo, so it moves there.
        50,
    }
    assert all(found[uid][2] >= datetime(2024, 6, 17, 8) for uid in found if uid != 11)


def test_ganttproject_dates_are_reproduced_once_its_dependencies_are_back():
    # The control for the test above: with the .gan file's own dependencies and without the
    # progress (which GanttProject does not schedule by), every task agrees in working time.
    plan = read_plan_file(DATA / "ganttproject_HouseBuildingSample.gan")
    restored = replace(
        plan,
        links=gantt_project_dependencies(),
        activities=tuple(replace(activity, percent_complete=0.0) for activity in plan.activities),
    )
    assert disagreements(restored, in_working_time=True) == {}
