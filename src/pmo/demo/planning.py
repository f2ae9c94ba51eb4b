"""Plans for the demo projects: a WBS of 20 to 300 activities for every project in planning or
later, links within it and across projects of a programme, a baseline, and progress that fits
the project's stage (closed projects done; delivery and closing ones part done, late where
their RAG says so).

Plans are built as rows in bulk, then scheduled by the engine through the planning services,
baselined, given progress at ``today`` and scheduled again, as a planning office would.
"""

import itertools
import random
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from pmo.core.bulk import update_rows
from pmo.demo.context import DemoContext
from pmo.planning import services as planning_services
from pmo.planning.models import Activity, Calendar, CalendarException, Link, ProjectPlan
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import ProjectDependency

DAY = 480
PLANNED_STAGES = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)
PHASES = (
    (
        "Start-up and mobilisation",
        ("Agree terms of reference", "Appoint project team", "Set up governance", "Kick-off workshop"),
    ),
    (
        "Analysis and design",
        (
            "Gather requirements",
            "Map current processes",
            "Design future processes",
            "Design solution",
            "Review design with users",
            "Plan data migration",
        ),
    ),
    (
        "Build",
        (
            "Configure platform",
            "Build integrations",
            "Develop reports",
            "Migrate reference data",
            "Write user guides",
            "Prepare environments",
            "Build interfaces",
        ),
    ),
    (
        "Test",
        (
            "Write test scripts",
            "System testing",
            "Integration testing",
            "Performance testing",
            "User acceptance testing",
            "Fix defects",
        ),
    ),
    ("Deploy", ("Train users", "Cut-over rehearsal", "Go-live", "Hypercare")),
    ("Close", ("Hand over to operations", "Lessons learned review", "Close contracts", "Closure report")),
)
MILESTONES = ("Mobilised", "Design approved", "Build complete", "Test exit", "Live", "Project closed")
# Fixed-date holidays kept by the demo organisation's standard calendar.
HOLIDAYS = ((1, 1, "New Year's Day"), (5, 1, "Labour Day"), (12, 25, "Christmas Day"), (12, 26, "Boxing Day"))


def make_plans(ctx: DemoContext) -> None:
    rng = ctx.random("plans")
    calendar = _standard_calendar(ctx)
    planned = [project for project in ctx.projects if project.stage in PLANNED_STAGES and project.planned_start]
    activities_by_project: dict[int, list[Activity]] = {}
    link_rows: list[Link] = []
    for project in planned:
        activities, links = _wbs(ctx, rng, project)
        activities_by_project[project.pk] = activities
        link_rows.extend(links)
    ProjectPlan.objects.bulk_create(
        [ProjectPlan(project=project, calendar=calendar, start=_at(project.planned_start)) for project in planned],
        batch_size=500,
    )
    ctx.counts["planning.ProjectPlan"] += len(planned)
    link_rows.extend(_cross_project_links(ctx, activities_by_project))
    ctx.save_all(Link, link_rows)
    planning_services.reschedule_as_system(projects=planned, reason="Demo plans")
    for project in planned:
        planning_services.set_baseline_as_system(project=project, number=0, name="Approved plan", reason="Demo plans")
    ctx.counts["planning.Baseline"] += len(planned)
    in_flight = [project for project in planned if project.stage != LifecycleStage.PLANNING]
    _record_progress(ctx, rng, in_flight)
    if in_flight:
        planning_services.reschedule_as_system(projects=in_flight, status_date=ctx.today, reason="Demo progress")


def _at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _standard_calendar(ctx: DemoContext) -> Calendar:
    calendar = Calendar.objects.create(name="Standard (Monday to Friday, 08:00 to 17:00)")
    years = range(ctx.today.year - 4, ctx.today.year + 5)
    CalendarException.objects.bulk_create(
        CalendarException(calendar=calendar, date=date(year, month, day), name=name)
        for year in years
        for month, day, name in HOLIDAYS
    )
    ctx.counts["planning.Calendar"] += 1
    return calendar


def _activity_count(ctx: DemoContext, rng: random.Random, project) -> int:
    ceiling = 300 if ctx.size.name == "small" else 60
    weight = min(1.0, float(project.budget) / 3_000_000)
    return max(20, min(ceiling, round(20 + (ceiling - 20) * weight * rng.uniform(0.5, 1.0))))


def _wbs(ctx: DemoContext, rng: random.Random, project) -> tuple[list[Activity], list[Link]]:
    """Phases as summaries, tasks in two parallel streams per phase, a milestone closing each."""
    target = _activity_count(ctx, rng, project)
    per_phase = max(2, (target - 2 * len(PHASES)) // len(PHASES))
    working_days = max(30, round((project.planned_finish - project.planned_start).days * 5 / 7))
    phase_days = max(5, working_days // len(PHASES))
    summaries = ctx.save_all(
        Activity,
        [
            Activity(project=project, position=index * 1000, wbs_code=str(index + 1), name=name, duration_minutes=0)
            for index, (name, _) in enumerate(PHASES)
        ],
    )
    tasks: list[Activity] = []
    streams: list[list[list[Activity]]] = []
    for index, (summary, (_, task_names)) in enumerate(zip(summaries, PHASES, strict=True)):
        phase_tasks, stream_a, stream_b = [], [], []
        for number in range(per_phase):
            base = task_names[number % len(task_names)]
            round_number = number // len(task_names)
            name = base if round_number == 0 else f"{base} ({round_number + 1})"
            # Two thirds of a phase's tasks run in sequence in its main stream: size them so
            # that the stream fits the phase's share of the planned window.
            days = max(1, round(phase_days / max(1.0, per_phase * 0.75) * rng.uniform(0.6, 1.1)))
            task = Activity(
                project=project,
                parent=summary,
                position=index * 1000 + number + 1,
                wbs_code=f"{index + 1}.{number + 1}",
                name=name,
                duration_minutes=days * DAY,
                cost=Decimal(days * rng.choice((600, 750, 900, 1100))),
            )
            phase_tasks.append(task)
            (stream_a if number % 3 != 2 else stream_b).append(task)
        milestone = Activity(
            project=project,
            parent=summary,
            position=index * 1000 + 999,
            wbs_code=f"{index + 1}.{per_phase + 1}",
            name=MILESTONES[index],
            is_milestone=True,
            duration_minutes=0,
        )
        phase_tasks.append(milestone)
        tasks.extend(phase_tasks)
        streams.append([stream_a, stream_b, [milestone]])
    tasks = ctx.save_all(Activity, tasks)
    return [*summaries, *tasks], _phase_links(rng, streams)


def _phase_links(rng: random.Random, streams: list[list[list[Activity]]]) -> list[Link]:
    links = []
    previous_milestone = None
    for stream_a, stream_b, (milestone,) in streams:
        for stream in (stream_a, stream_b):
            if not stream:
                continue
            if previous_milestone is not None:
                links.append(Link(predecessor=previous_milestone, successor=stream[0]))
            for before, after in itertools.pairwise(stream):
                link_type, lag = rng.choices((("FS", 0), ("SS", 2 * DAY), ("FS", DAY)), (8, 1, 1))[0]
                links.append(Link(predecessor=before, successor=after, link_type=link_type, lag_minutes=lag))
            links.append(Link(predecessor=stream[-1], successor=milestone))
        previous_milestone = milestone
    return links


def _cross_project_links(ctx: DemoContext, activities_by_project: dict[int, list[Activity]]) -> list[Link]:
    """Where one planned project depends on another of the same programme, the provider's "Live"
    milestone feeds the dependent's build phase."""
    links = []
    for dependency in ProjectDependency.objects.filter(
        dependent_id__in=activities_by_project, provider_id__in=activities_by_project
    ).select_related("dependent", "provider"):
        if (
            dependency.dependent.programme_id is None
            or dependency.dependent.programme_id != dependency.provider.programme_id
        ):
            continue
        provider_live = next(a for a in activities_by_project[dependency.provider_id] if a.name == "Live")
        dependent_build = next(a for a in activities_by_project[dependency.dependent_id] if a.wbs_code == "3.1")
        links.append(Link(predecessor=provider_live, successor=dependent_build))
    return links


def _record_progress(ctx: DemoContext, rng: random.Random, projects) -> None:
    """Actuals as planned for work finished by ``today``; work under way part done, with more
    remaining (a later forecast) on amber and red projects; closed projects all done."""
    today = _at(ctx.today, 17)
    changed: list[Activity] = []
    activities = Activity.objects.filter(project__in=projects, children__isnull=True).select_related("project")
    slip = {"green": 1.0, "amber": 1.3, "red": 1.7}
    for activity in activities:
        finished = activity.project.stage == LifecycleStage.CLOSED or (activity.finish and activity.finish <= today)
        if finished:
            # A closed project finished its work by today, even where its plan ran later.
            activity.actual_start, activity.actual_finish = min(activity.start, today), min(activity.finish, today)
            activity.percent_complete = Decimal(100)
            activity.remaining_duration_minutes = 0
        elif activity.start and activity.start <= today and not activity.is_milestone:
            elapsed = max(0.05, min(0.95, (today - activity.start) / (activity.finish - activity.start)))
            percent = round(100 * elapsed / slip[activity.project.rag] * rng.uniform(0.8, 1.0))
            activity.actual_start = activity.start
            activity.percent_complete = Decimal(max(1, min(95, percent)))
            # Whole hours, as people estimate remaining work.
            remaining_hours = round(activity.duration_minutes * (100 - percent) / 100 * slip[activity.project.rag] / 60)
            activity.remaining_duration_minutes = max(DAY // 2, remaining_hours * 60)
        else:
            continue
        changed.append(activity)
    update_rows(changed, ["actual_start", "actual_finish", "percent_complete", "remaining_duration_minutes"])
    ProjectPlan.objects.filter(project__in=projects).update(status_date=ctx.today)
