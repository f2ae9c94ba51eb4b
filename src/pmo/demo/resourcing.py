"""Resources for the demo: skills, a training register, every person a resource (with skills, cost
rates, a working week and leave), four generic roles, assignments on the demo plans, allocations on
projects not yet planned, half a year of timesheets and the actuals they approve.

Assignments are placed greedily: each task goes to the member of the project's team who holds a
skill the task needs and has the most spare hours in its weeks. A few people are then asked for
more than they have, as happens: the team.member login's person and one in twenty-five of the
staff, who take on an extra task at full time in weeks already full. Planning-stage projects leave
some of their tasks to generic roles, so the skill forecast shows the gaps still to fill.

Rows are built in bulk, as the other demo steps do; the figures that services would compute
(planned cost at the rate in force, line costs, actuals from approved weeks) are computed here the
same way.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from pmo.core.bulk import update_rows
from pmo.core.choices import Role, ScopeType
from pmo.core.models import Person, RoleAssignment
from pmo.demo.context import DemoContext
from pmo.planning.models import Activity, Calendar
from pmo.portfolio.choices import LifecycleStage
from pmo.resourcing.choices import (
    AbsenceKind,
    ApprovalStatus,
    EmploymentType,
    NonProjectCategory,
    ResourceKind,
    TimesheetStatus,
    TrainingStatus,
)
from pmo.resourcing.models import (
    Absence,
    Allocation,
    Assignment,
    CourseSkill,
    Resource,
    ResourceRate,
    ResourceSkill,
    Skill,
    Timesheet,
    TimesheetApproval,
    TimesheetLine,
    TrainingCourse,
    TrainingRecord,
    rate_in_force,
    week_of,
)

CENT = Decimal("0.01")
TIMESHEET_WEEKS = 26
LONGEST_DAY = 11.0
BILLABLE_THEMES = ("growth", "customer")
# Skills by category; the first words of a job title pick a person's skills (TITLE_SKILLS).
SKILLS = {
    "Delivery": ("Project management", "Business analysis", "Change management", "Agile delivery", "Risk management"),
    "Technology": (
        "Python",
        "Java",
        "SQL",
        "Cloud infrastructure",
        "Data engineering",
        "Software testing",
        "Cyber security",
        "Solution architecture",
        "User experience design",
        "Service management",
    ),
    "Business": (
        "Financial analysis",
        "Procurement",
        "Process improvement",
        "Logistics planning",
        "Customer service design",
        "Employment law",
        "Regulatory compliance",
        "Digital marketing",
        "Training design",
    ),
}
TITLE_SKILLS = {
    "Software engineer": ("Python", "Java", "SQL"),
    "Developer": ("Java", "Python", "SQL"),
    "Business analyst": ("Business analysis", "Process improvement", "SQL"),
    "Infrastructure engineer": ("Cloud infrastructure", "Service management"),
    "Service desk analyst": ("Service management", "Software testing"),
    "Solution architect": ("Solution architecture", "Cloud infrastructure", "Java"),
    "Test analyst": ("Software testing", "SQL"),
    "Data engineer": ("Data engineering", "SQL", "Python"),
    "Security analyst": ("Cyber security", "Cloud infrastructure"),
    "Process engineer": ("Process improvement", "Logistics planning"),
    "Logistics planner": ("Logistics planning", "Process improvement"),
    "Production planner": ("Logistics planning",),
    "Customer insight analyst": ("Customer service design", "SQL"),
    "Workforce planner": ("Process improvement",),
    "Management accountant": ("Financial analysis",),
    "Financial analyst": ("Financial analysis", "SQL"),
    "Finance business partner": ("Financial analysis", "Business analysis"),
    "Treasury analyst": ("Financial analysis",),
    "HR business partner": ("Employment law", "Change management"),
    "Learning designer": ("Training design", "Change management"),
    "Digital marketing specialist": ("Digital marketing", "User experience design"),
    "Content designer": ("User experience design", "Digital marketing"),
    "Market research analyst": ("Digital marketing", "SQL"),
    "Compliance officer": ("Regulatory compliance",),
    "Regulatory analyst": ("Regulatory compliance", "Risk management"),
    "Solicitor": ("Regulatory compliance", "Employment law"),
    "Buyer": ("Procurement",),
    "Category manager": ("Procurement", "Financial analysis"),
    "Contract manager": ("Procurement", "Risk management"),
    "Project manager": ("Project management", "Risk management", "Agile delivery"),
    "Programme manager": ("Project management", "Change management", "Risk management"),
    "Portfolio manager": ("Project management", "Financial analysis"),
    "PMO analyst": ("Project management", "Risk management"),
    "PMO consultant": ("Project management", "Change management"),
}
GENERAL_SKILLS = ("Process improvement", "Change management", "Customer service design")
# Generic roles: (name, skill, level). Demand placed on them is for the skill, not for a person.
ROLES = (
    ("Data engineer (to be named)", "Data engineering", 3),
    ("Cloud engineer (to be named)", "Cloud infrastructure", 3),
    ("Test analyst (to be named)", "Software testing", 2),
    ("Business analyst (to be named)", "Business analysis", 3),
)
# Phase of the demo WBS (its first WBS number) -> the skills its tasks call for, best first.
PHASE_SKILLS = {
    "1": ("Project management", "Change management", "Business analysis"),
    "2": ("Business analysis", "Solution architecture", "Process improvement", "Data engineering"),
    "3": (
        "Python",
        "Java",
        "Cloud infrastructure",
        "Data engineering",
        "SQL",
        "Logistics planning",
        "Digital marketing",
        "Procurement",
    ),
    "4": ("Software testing", "SQL", "Process improvement"),
    "5": ("Training design", "Change management", "Service management", "Customer service design"),
    "6": ("Project management", "Financial analysis", "Procurement"),
}
# Courses: (name, provider, cost, days, ((skill, level reached), ...)).
COURSES = (
    ("Practitioner in project management", "Axelos Academy", 1450, 5, (("Project management", 4),)),
    ("Agile delivery foundations", "Scrum Institute", 890, 2, (("Agile delivery", 3),)),
    ("Business analysis diploma, module 1", "Analysis Guild", 1200, 4, (("Business analysis", 3),)),
    ("Data engineering with Python", "Data Academy", 1750, 5, (("Data engineering", 3), ("Python", 3))),
    ("Advanced data pipelines", "Data Academy", 2100, 4, (("Data engineering", 4),)),
    ("Cloud practitioner", "Cloud Skills Ltd", 650, 2, (("Cloud infrastructure", 2),)),
    (
        "Cloud architect associate",
        "Cloud Skills Ltd",
        1900,
        5,
        (("Cloud infrastructure", 4), ("Solution architecture", 3)),
    ),
    ("Test analysis fundamentals", "Quality Board", 780, 3, (("Software testing", 3),)),
    ("SQL for analysts", "Data Academy", 450, 2, (("SQL", 3),)),
    ("Security operations", "CyberSafe", 2400, 5, (("Cyber security", 4),)),
    ("Leading change", "Change Institute", 990, 3, (("Change management", 3),)),
    ("Lean process improvement", "Lean Partners", 720, 3, (("Process improvement", 3),)),
    (
        "Procurement and contract law",
        "Chartered Procurement",
        1100,
        3,
        (("Procurement", 3), ("Regulatory compliance", 2)),
    ),
    ("Financial modelling", "Finance Academy", 980, 3, (("Financial analysis", 3),)),
    ("Designing learning", "Learning Works", 640, 2, (("Training design", 3),)),
)
# Weekday patterns of part-time staff (Monday first).
PART_TIME = ((8, 8, 8, 8, 0, 0, 0), (8, 8, 8, 0, 0, 0, 0), (4, 4, 4, 4, 4, 0, 0), (7.5, 7.5, 7.5, 7.5, 0, 0, 0))
FULL_TIME = (8, 8, 8, 8, 8, 0, 0)
NO_RESOURCE_POSTS = ("executive",)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class _Demo:
    """What the resourcing steps share: the resources made, by person, and their rates and absences."""

    def __init__(self):
        self.skills: dict[str, Skill] = {}
        self.resource_of: dict[int, Resource] = {}  # person id -> resource
        self.roles: dict[str, Resource] = {}  # skill name -> generic role
        self.skills_of: dict[int, dict[str, int]] = {}  # resource id -> skill name -> level
        self.rates_of: dict[int, list[ResourceRate]] = defaultdict(list)
        self.absent_days: dict[int, set[date]] = defaultdict(set)
        self.holidays: set[date] = set()
        self.weekday_hours: dict[int, tuple[float, ...]] = {}
        self.assignments: list[Assignment] = []
        self.billable_projects: set[int] = set()


def _state(ctx: DemoContext) -> _Demo:
    return ctx.scratch.setdefault("resourcing", _Demo())


# --- skills, courses, resources -------------------------------------------------------------


def make_skills(ctx: DemoContext) -> None:
    demo = _state(ctx)
    rows = [Skill(name=name, category=category) for category, names in SKILLS.items() for name in names]
    demo.skills = {skill.name: skill for skill in ctx.save_all(Skill, rows)}
    courses = ctx.save_all(
        TrainingCourse,
        [
            TrainingCourse(
                name=name,
                provider=provider,
                cost=Decimal(cost),
                duration_days=Decimal(days),
                description=f"{days}-day course by {provider}.",
            )
            for name, provider, cost, days, _ in COURSES
        ],
    )
    ctx.save_all(
        CourseSkill,
        [
            CourseSkill(course=course, skill=demo.skills[skill], level=level)
            for course, (*_, taught) in zip(courses, COURSES, strict=True)
            for skill, level in taught
        ],
    )


def _skills_for(rng: random.Random, person: Person) -> dict[str, int]:
    named = TITLE_SKILLS.get(person.job_title) or TITLE_SKILLS.get(person.job_title.split(" ", 1)[-1].capitalize())
    chosen = list(named or (rng.choice(GENERAL_SKILLS),))
    skills = {}
    for index, name in enumerate(chosen):
        top = 5 if index == 0 else 4
        skills[name] = rng.choices(range(1, top + 1), (1, 3, 6, 5, 2)[:top])[0]
    if rng.random() < 0.3:
        extra = rng.choice([name for names in SKILLS.values() for name in names])
        skills.setdefault(extra, rng.randint(1, 3))
    return skills


def make_resources(ctx: DemoContext) -> None:
    """Every person but the executives is a resource; a fifth of the staff are contingent."""
    rng = ctx.random("resources")
    demo = _state(ctx)
    calendar = Calendar.objects.filter(project__isnull=True).order_by("pk").first()
    if calendar is not None:
        demo.holidays = set(calendar.exceptions.filter(is_working=False).values_list("date", flat=True))
    staff_ids = {person.pk for person in ctx.posts["staff"]}
    excluded = {person.pk for post in NO_RESOURCE_POSTS for person in ctx.posts[post]}
    login_member = ctx.posts["staff"][0] if ctx.posts["staff"] else None
    rows = []
    for person in ctx.people:
        if person.pk in excluded:
            continue
        contingent = person.pk in staff_ids and person != login_member and rng.random() < 0.2
        part_time = person != login_member and rng.random() < 0.12
        rows.append(
            Resource(
                kind=ResourceKind.PERSON,
                person=person,
                name=person.full_name,
                unit_id=person.unit_id,
                employment_type=EmploymentType.CONTINGENT if contingent else EmploymentType.PERMANENT,
                contract_end=ctx.today + timedelta(days=rng.randint(30, 400)) if contingent else None,
                weekday_hours=list(rng.choice(PART_TIME) if part_time else FULL_TIME),
                calendar=calendar,
            )
        )
    resources = ctx.save_all(Resource, rows)
    roles = ctx.save_all(
        Resource,
        [
            Resource(
                kind=ResourceKind.ROLE,
                name=name,
                role_skill=demo.skills[skill],
                role_level=level,
                weekday_hours=list(FULL_TIME),
                calendar=calendar,
            )
            for name, skill, level in ROLES
        ],
    )
    demo.roles = {role.role_skill.name: role for role in roles}
    people = {person.pk: person for person in ctx.people}
    held, rates, absences = [], [], []
    rate_change = (
        date(ctx.today.year, 4, 1) if ctx.today >= date(ctx.today.year, 4, 1) else date(ctx.today.year - 1, 4, 1)
    )
    for resource in resources:
        demo.resource_of[resource.person_id] = resource
        demo.weekday_hours[resource.pk] = tuple(resource.weekday_hours)
        skills = _skills_for(rng, people[resource.person_id])
        demo.skills_of[resource.pk] = skills
        held += [
            ResourceSkill(resource=resource, skill=demo.skills[name], level=level) for name, level in skills.items()
        ]
        best = max(skills.values())
        cost = Decimal(35 + 10 * best + rng.randint(0, 12)) * (
            Decimal("1.25") if resource.employment_type == EmploymentType.CONTINGENT else 1
        )
        first = ResourceRate(
            resource=resource,
            effective_from=date(ctx.today.year - 3, 1, 1),
            cost_per_hour=money(cost),
            bill_rate_per_hour=money(cost * Decimal("1.5")),
        )
        rates.append(first)
        demo.rates_of[resource.pk].append(first)
        if rng.random() < 0.5:
            raised = ResourceRate(
                resource=resource,
                effective_from=rate_change,
                cost_per_hour=money(cost * Decimal("1.03")),
                bill_rate_per_hour=money(cost * Decimal("1.03") * Decimal("1.5")),
            )
            rates.append(raised)
            demo.rates_of[resource.pk].append(raised)
        absences += _leave(ctx, rng, resource, demo)
    ctx.save_all(ResourceSkill, held)
    ctx.save_all(ResourceRate, rates)
    ctx.save_all(Absence, absences)
    for role in roles:
        demo.skills_of[role.pk] = {}
        demo.weekday_hours[role.pk] = FULL_TIME


def _leave(ctx: DemoContext, rng: random.Random, resource: Resource, demo: _Demo) -> list[Absence]:
    """Two to four blocks of leave between half a year ago and half a year ahead, apart."""
    absences = []
    taken: list[tuple[date, date]] = []
    for _ in range(rng.randint(2, 4)):
        start = week_of(ctx.today + timedelta(days=rng.randint(-180, 180)))
        end = start + timedelta(days=rng.choice((2, 4, 4, 11)))
        if any(start <= other_end + timedelta(days=7) and end >= other_start for other_start, other_end in taken):
            continue
        taken.append((start, end))
        kind = AbsenceKind.SICKNESS if rng.random() < 0.1 else AbsenceKind.LEAVE
        absences.append(Absence(resource=resource, kind=kind, start=start, end=end))
        day = start
        while day <= end:
            demo.absent_days[resource.pk].add(day)
            day += timedelta(days=1)
    return absences


# --- assignments and allocations ------------------------------------------------------------


def _working_days(demo: _Demo, resource_id: int, first: date, last: date) -> list[date]:
    pattern = demo.weekday_hours[resource_id]
    absent = demo.absent_days.get(resource_id, set())
    days, day = [], first
    while day <= last:
        if pattern[day.weekday()] > 0 and day not in demo.holidays and day not in absent:
            days.append(day)
        day += timedelta(days=1)
    return days


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _teams(ctx: DemoContext, demo: _Demo) -> dict[int, list[Resource]]:
    """Each project's team: its manager and the people holding the team member role on it."""
    teams: dict[int, list[Resource]] = defaultdict(list)
    for project_id, person_id in RoleAssignment.objects.filter(
        role=Role.TEAM_MEMBER, scope_type=ScopeType.PROJECT
    ).values_list("scope_id", "person_id"):
        if person_id in demo.resource_of:
            teams[project_id].append(demo.resource_of[person_id])
    for project in ctx.projects:
        if project.manager_id in demo.resource_of:
            teams[project.pk].append(demo.resource_of[project.manager_id])
    return teams


def make_assignments(ctx: DemoContext) -> None:
    rng = ctx.random("assignments")
    demo = _state(ctx)
    demo.billable_projects = {p.pk for p in ctx.projects if ctx.theme_of.get(p.code) in BILLABLE_THEMES}
    teams = _teams(ctx, demo)
    load: dict[tuple[int, date], float] = defaultdict(float)  # (resource, week) -> hours planned
    tasks = (
        Activity.objects.filter(project__in=ctx.projects, is_summary=False, is_milestone=False, start__isnull=False)
        .select_related("project")
        .order_by("project_id", "position")
    )
    rows = []
    for activity in tasks:
        team = teams.get(activity.project_id)
        if not team:
            continue
        first, last = _local_day(activity.start), _local_day(activity.finish)
        weeks = _weeks(first, last)
        wanted = PHASE_SKILLS.get(activity.wbs_code.split(".", 1)[0], ())
        planning = activity.project.stage == LifecycleStage.PLANNING
        role = next((demo.roles[skill] for skill in wanted if skill in demo.roles), None)
        if planning and role is not None and rng.random() < 0.35:
            rows.append(
                _assignment(
                    demo, activity, role, units=Decimal(100), skill=role.role_skill, level=role.role_level, first=first
                )
            )
            continue
        candidates = [
            (resource, skill) for resource in team for skill in wanted if skill in demo.skills_of[resource.pk]
        ] or [(resource, None) for resource in team]
        # Nobody is given a task that falls wholly in their leave, when someone else can take it.
        present = [pair for pair in candidates if _working_days(demo, pair[0].pk, first, last)]
        resource, skill = min(
            present or candidates,
            key=lambda pair: (
                max(load[(pair[0].pk, week)] / _week_capacity(demo, pair[0].pk) for week in weeks),
                rng.random(),
            ),
        )
        units = Decimal(rng.choice((50, 60, 80, 100)))
        level = min(3, demo.skills_of[resource.pk][skill]) if skill else 1
        assignment = _assignment(
            demo, activity, resource, units=units, skill=demo.skills[skill] if skill else None, level=level, first=first
        )
        rows.append(assignment)
        _add_load(demo, load, resource.pk, first=first, last=last, hours=float(assignment.planned_hours))
    placed = {(row.activity_id, row.resource_id) for row in rows}
    rows += _overloads(ctx, rng, demo, teams=teams, load=load, tasks=tasks, placed=placed)
    demo.assignments = ctx.save_all(Assignment, rows)


def _weeks(first: date, last: date) -> list[date]:
    weeks, week = [], week_of(first)
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _week_capacity(demo: _Demo, resource_id: int) -> float:
    return max(1.0, sum(demo.weekday_hours[resource_id]))


def _add_load(demo, load, resource_id: int, *, first: date, last: date, hours: float) -> None:
    days = _working_days(demo, resource_id, first, last) or [first]
    for day in days:
        load[(resource_id, week_of(day))] += hours / len(days)


def _assignment(demo, activity, resource, *, units: Decimal, skill, level: int, first: date) -> Assignment:
    """Planned hours from the units and the activity's working time, costed at the rate in force
    when it starts; work for client-facing projects (growth and customer themes) is billable."""
    hours = money(Decimal(activity.duration_minutes) / 60 * units / 100)
    rate = rate_in_force(demo.rates_of.get(resource.pk, []), first)
    return Assignment(
        project_id=activity.project_id,
        activity=activity,
        resource=resource,
        units_percent=units,
        planned_hours=hours,
        planned_cost=money(hours * rate.cost_per_hour) if rate else Decimal(0),
        required_skill=skill,
        required_level=level,
        is_billable=activity.project_id in demo.billable_projects,
    )


def _overloads(ctx, rng, demo: _Demo, *, teams, load, tasks, placed: set[tuple[int, int]]) -> list[Assignment]:
    """Extra full-time work for the team.member login's person and one in 25 of the staff, in
    weeks already full: two tasks on each of up to two of their projects (for the login's person,
    of other projects when theirs have none), from those starting in the next two months (not
    started, so that levelling may move them later). Each names the
    person's best skill, so that rebalancing may move it instead."""
    login_member = ctx.posts["staff"][0] if ctx.posts["staff"] else None
    login_resource = demo.resource_of.get(login_member.pk) if login_member else None
    chosen = {
        demo.resource_of[p.pk] for p in ctx.posts["staff"][1:] if p.pk in demo.resource_of and rng.random() < 0.04
    }
    if login_resource is not None:
        chosen.add(login_resource)
    window_end = ctx.today + timedelta(days=60)
    by_project: dict[int, list[Activity]] = defaultdict(list)
    for activity in tasks:
        if ctx.today < _local_day(activity.start) <= window_end:
            by_project[activity.project_id].append(activity)
    projects_of: dict[int, list[int]] = defaultdict(list)
    for project_id, team in sorted(teams.items()):
        if by_project.get(project_id):
            for member in team:
                projects_of[member.pk].append(project_id)
    rows = []
    for resource in sorted(chosen, key=lambda r: r.pk):
        skills = demo.skills_of[resource.pk]
        candidates = projects_of[resource.pk]
        if resource == login_resource:  # lent to other projects when their own have no work coming
            candidates = candidates + sorted(set(by_project) - set(candidates))
        overloaded_on = 0
        for project_id in candidates:
            options = [
                a
                for a in by_project[project_id]
                if (a.pk, resource.pk) not in placed
                and _working_days(demo, resource.pk, _local_day(a.start), _local_day(a.finish))
            ]
            if not options:
                continue
            overloaded_on += 1
            if overloaded_on > 2:
                break
            picked = rng.sample(options, min(len(options), 2))
            for activity in picked:
                placed.add((activity.pk, resource.pk))
                first, last = _local_day(activity.start), _local_day(activity.finish)
                wanted = PHASE_SKILLS.get(activity.wbs_code.split(".", 1)[0], ())
                name = next((skill for skill in wanted if skill in skills), max(skills, key=skills.get))
                assignment = _assignment(
                    demo,
                    activity,
                    resource,
                    units=Decimal(100),
                    skill=demo.skills[name],
                    level=min(3, skills[name]),
                    first=first,
                )
                rows.append(assignment)
                _add_load(demo, load, resource.pk, first=first, last=last, hours=float(assignment.planned_hours))
    return rows


def make_allocations(ctx: DemoContext) -> None:
    """Projects in initiation have no plan yet: their teams and the generic roles are allocated
    by week for the next twelve weeks."""
    rng = ctx.random("allocations")
    demo = _state(ctx)
    teams = _teams(ctx, demo)
    first_week = week_of(ctx.today) + timedelta(days=7)
    rows = []
    for project in ctx.projects:
        if project.stage != LifecycleStage.INITIATION:
            continue
        people = teams.get(project.pk, [])[:3]
        role = rng.choice(list(demo.roles.values()))
        for resource in [*people, role]:
            hours = Decimal(rng.choice((8, 12, 16, 20))) if not resource.is_role else Decimal(rng.choice((24, 32, 40)))
            for offset in range(12):
                week = first_week + timedelta(days=7 * offset)
                if not resource.is_role and not _working_days(demo, resource.pk, week, week + timedelta(days=6)):
                    continue  # on leave all week: nothing asked of them
                rows.append(
                    Allocation(
                        project=project,
                        resource=resource,
                        period_start=week,
                        hours=hours,
                        required_skill=resource.role_skill if resource.is_role else None,
                        required_level=resource.role_level if resource.is_role else 1,
                        note="Discovery and business case" if offset < 6 else "Detailed planning",
                    )
                )
    ctx.save_all(Allocation, rows)


# --- timesheets and actuals -----------------------------------------------------------------


def make_timesheets(ctx: DemoContext) -> None:
    """Half a year of weekly timesheets for everyone with assigned work: approved up to two weeks
    ago; last week submitted (waiting for the project managers), except the team.member login's,
    which is left to fill in, as is everybody's current week."""
    rng = ctx.random("timesheets")
    demo = _state(ctx)
    this_week = week_of(ctx.today)
    weeks = [this_week - timedelta(days=7 * n) for n in range(TIMESHEET_WEEKS, 0, -1)]
    last_week = weeks[-1]
    login_member = ctx.posts["staff"][0] if ctx.posts["staff"] else None
    login_resource = demo.resource_of.get(login_member.pk) if login_member else None
    by_resource: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in demo.assignments:
        if not assignment.resource.is_role:
            by_resource[assignment.resource_id].append(assignment)
    managers = _manager_users(ctx)
    sheets, lines_of = [], []
    approved_at = timezone.make_aware(datetime(this_week.year, this_week.month, this_week.day, 9))
    for resource_id, assignments in sorted(by_resource.items()):
        spans = [(a, _local_day(a.activity.start), _local_day(a.activity.finish)) for a in assignments]
        for week in weeks:
            lines = _week_lines(rng, demo, resource_id, week, spans)
            if not lines:
                continue
            if week == last_week and resource_id == getattr(login_resource, "pk", None):
                continue
            status = TimesheetStatus.SUBMITTED if week == last_week else TimesheetStatus.APPROVED
            sheet = Timesheet(
                resource_id=resource_id,
                week_start=week,
                status=status,
                submitted_at=approved_at - timedelta(days=(this_week - week).days - 4),
                approved_at=approved_at - timedelta(days=(this_week - week).days - 7)
                if status == TimesheetStatus.APPROVED
                else None,
                total_hours=sum((line.total_hours for line in lines), Decimal(0)),
            )
            sheets.append(sheet)
            lines_of.append(lines)
    sheets = ctx.save_all(Timesheet, sheets)
    all_lines, approvals = [], []
    for sheet, lines in zip(sheets, lines_of, strict=True):
        projects = set()
        for line in lines:
            line.timesheet = sheet
            if line.project_id:
                projects.add(line.project_id)
                if sheet.status == TimesheetStatus.APPROVED:
                    line.cost = _line_cost(demo, sheet, line)
        all_lines += lines
        decided = sheet.status == TimesheetStatus.APPROVED
        for project_id in sorted(projects) or [None]:
            approvals.append(
                TimesheetApproval(
                    timesheet=sheet,
                    project_id=project_id,
                    status=ApprovalStatus.APPROVED if decided else ApprovalStatus.PENDING,
                    decided_by_id=managers.get(project_id) if decided else None,
                    decided_at=sheet.approved_at if decided else None,
                )
            )
    ctx.save_all(TimesheetLine, all_lines)
    ctx.save_all(TimesheetApproval, approvals)
    _actuals(demo, all_lines, sheets)


def _manager_users(ctx: DemoContext) -> dict[int, int]:
    """Project id -> the user id of its manager, where the manager has a login."""
    users = dict(Person.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    return {project.pk: users[project.manager_id] for project in ctx.projects if project.manager_id in users}


def _week_lines(rng, demo: _Demo, resource_id: int, week: date, spans) -> list[TimesheetLine]:
    days = [week + timedelta(days=offset) for offset in range(7)]
    lines = []
    for assignment, first, last in spans:
        if last < week or first > days[-1]:
            continue
        working = _working_days(demo, resource_id, first, last)
        if not working:
            continue
        per_day = float(assignment.planned_hours) / len(working)
        hours = []
        for day in days:
            if day in working:
                worked = per_day * rng.uniform(0.8, 1.15)
                hours.append(round(worked * 2) / 2)
            else:
                hours.append(0.0)
        if sum(hours) <= 0:
            continue
        lines.append(
            TimesheetLine(
                project_id=assignment.project_id,
                activity_id=assignment.activity_id,
                is_billable=assignment.is_billable,
                hours=hours,
            )
        )
    for offset in range(7):
        # Nobody books more than a long day: scale a crowded day down to it, in half hours.
        booked = sum(line.hours[offset] for line in lines)
        if booked > LONGEST_DAY:
            for line in lines:
                line.hours[offset] = round(line.hours[offset] * LONGEST_DAY / booked * 2 - 0.5) / 2
    lines = [line for line in lines if sum(line.hours) > 0]
    absent = [8.0 if day in demo.absent_days.get(resource_id, ()) and day.weekday() < 5 else 0.0 for day in days]
    if lines and sum(absent):
        lines.append(TimesheetLine(category=NonProjectCategory.LEAVE, hours=absent))
    if lines:
        lines.append(TimesheetLine(category=NonProjectCategory.ADMIN, hours=[1.0, 0, 0, 0, 1.0, 0, 0]))
    for line in lines:
        line.total_hours = money(sum(Decimal(str(hours)) for hours in line.hours))
    return lines


def _line_cost(demo: _Demo, sheet: Timesheet, line: TimesheetLine) -> Decimal:
    rates = demo.rates_of.get(sheet.resource_id, [])
    cost = Decimal(0)
    for offset, hours in enumerate(line.hours):
        rate = rate_in_force(rates, sheet.week_start + timedelta(days=offset))
        if rate is not None and hours:
            cost += Decimal(str(hours)) * rate.cost_per_hour
    return money(cost)


def _actuals(demo: _Demo, lines: list[TimesheetLine], sheets: list[Timesheet]) -> None:
    """Each assignment's actual hours and cost: the sums of the approved lines on its activity."""
    approved = {sheet.pk: sheet.resource_id for sheet in sheets if sheet.status == TimesheetStatus.APPROVED}
    sums: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        if line.activity_id and line.timesheet_id in approved:
            total = sums[(approved[line.timesheet_id], line.activity_id)]
            total[0] += line.total_hours
            total[1] += line.cost
    changed = []
    for assignment in demo.assignments:
        hours, cost = sums.get((assignment.resource_id, assignment.activity_id), (Decimal(0), Decimal(0)))
        if hours:
            assignment.actual_hours, assignment.actual_cost = money(hours), money(cost)
            changed.append(assignment)
    update_rows(changed, ["actual_hours", "actual_cost"])


# --- training -------------------------------------------------------------------------------


def make_training(ctx: DemoContext) -> None:
    """One person in eight has been on a course in the last year; a few more are booked on one."""
    rng = ctx.random("training")
    demo = _state(ctx)
    courses = list(TrainingCourse.objects.prefetch_related("taught__skill").order_by("pk"))
    rows = []
    for _, resource in sorted(demo.resource_of.items()):
        draw = rng.random()
        if draw >= 0.18:
            continue
        skills = demo.skills_of[resource.pk]
        fitting = [c for c in courses if any(t.skill.name in skills for t in c.taught.all())] or courses
        course = rng.choice(fitting)
        if draw < 0.12:
            start = ctx.today - timedelta(days=rng.randint(20, 360))
            rows.append(
                TrainingRecord(
                    resource=resource,
                    course=course,
                    status=TrainingStatus.COMPLETED,
                    start=start,
                    completed_on=start + timedelta(days=int(course.duration_days) + 2),
                )
            )
        else:
            rows.append(
                TrainingRecord(
                    resource=resource,
                    course=course,
                    status=TrainingStatus.PLANNED,
                    start=week_of(ctx.today + timedelta(days=rng.randint(14, 120))),
                )
            )
    ctx.save_all(TrainingRecord, rows)
