"""The named figures of many projects at once, read from the other apps' rows.

:func:`compute_figures` reads every figure of ``pmo_engine.metrics.METRICS`` for a set of
projects with a constant number of queries (one or two per source, whatever the number of
projects), then hands the earned value arrays to ``pmo_engine.evm``. It checks no permission:
callers (selectors, services) pass the projects a person may see, or all of them for the task.

Time: the figures describe the end of the week (Monday to Sunday) that holds ``as_of``; earned
value runs in weekly periods from the Monday of the week the primary baseline starts. Money is in
the organisation's currency, as floats.

Sources, figure by figure:

- earned value: the primary baseline's leaf entries give BAC and, spread evenly over their weeks,
  the cumulative planned value; EV is each entry's baseline cost times its activity's percent
  complete now; AC is the cost of the approved timesheet lines booked to the project up to the end
  of the week; the bottom-up ETC is the current plan's remaining cost (each leaf activity's cost
  times its share not yet complete). No primary baseline: every earned value figure is None.
- schedule: milestones of the baseline against their actual (else forecast) finish; the finish
  slip is the plan's forecast finish against the baseline's; the float consumed is the slip's
  share of the margin between the baseline finish and the project's committed ``planned_finish``;
  the critical float is the least total float of an unfinished critical activity.
- RAID and actions: open risks scored by residual (else inherent) score against the risk scale's
  red band; open issues and actions past their target or due date.
- changes: submitted requests (pending), approved or implemented ones and their cost impact.
- resources: the people assigned to the project (assignments and allocations), their demand on
  every project over the next four weeks against their working week (absences and holidays are
  not subtracted: a cheap early warning, the capacity pages give the full picture).

Apps above health add figures with :func:`register_figure_provider`.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.db.models import Count, Q, Sum
from django.utils import timezone

from pmo.changes.choices import ChangeStatus
from pmo.changes.models import ChangeRequest
from pmo.governance.choices import ActionStatus, IssueStatus, RiskStatus
from pmo.governance.models import ActionItem, Issue, Risk, RiskScale
from pmo.health.models import HealthRuleSetting
from pmo.planning.models import Activity, Baseline, BaselineActivity
from pmo.portfolio.models import Project
from pmo.resourcing.choices import PeriodKind, ResourceKind, TimesheetStatus
from pmo.resourcing.models import Allocation, Assignment, Resource, TimesheetLine
from pmo_engine.evm import analyse_earned_value, cumulative_planned_value
from pmo_engine.health import RULES, RuleSetting
from pmo_engine.metrics import METRICS, derive

Figures = dict[str, float | None]
FigureProvider = Callable[[Collection[int], date], dict[int, dict[str, float | None]]]

OVERLOAD_WEEKS = 4
MINUTES_PER_DAY = 480

_FIGURE_PROVIDERS: list[FigureProvider] = []


def register_figure_provider(provider: FigureProvider) -> None:
    """Add figures from an app above health: ``provider(project_ids, as_of)`` returns
    ``{project_id: {figure: value}}`` for figures of METRICS (registering twice adds it once)."""
    if provider not in _FIGURE_PROVIDERS:
        _FIGURE_PROVIDERS.append(provider)


def figure_providers() -> tuple[FigureProvider, ...]:
    return tuple(_FIGURE_PROVIDERS)


def current_rule_settings() -> dict[str, RuleSetting]:
    """The PMO's tuning of the rules, by rule code (rules no longer known are ignored). One query."""
    return {
        rule: RuleSetting(amber=amber, red=red, enabled=enabled)
        for rule, amber, red, enabled in HealthRuleSetting.objects.values_list("rule", "amber", "red", "enabled")
        if rule in RULES
    }


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_end(day: date) -> date:
    """The Sunday that ends ``day``'s week: the period end of figures taken on ``day``."""
    return week_start(day) + timedelta(days=6)


def local_date(moment: datetime | None, zone=None) -> date | None:
    """The local date of ``moment`` (in ``zone``, default the current time zone)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(zone or timezone.get_current_timezone()).date()


def _float(value: Decimal | float | int | None) -> float:
    return float(value) if value is not None else 0.0


def empty_figures() -> Figures:
    return dict.fromkeys(METRICS)


class BaselineCurve:
    """One project's primary baseline as weekly periods: BAC, the Monday of period 0, the
    cumulative PV per week (to the baseline's last week) and its finish."""

    def __init__(self, entries: list[tuple]):
        # entries: (activity_id, start date, finish date, cost)
        dated = [(start or finish, finish or start, cost) for _, start, finish, cost in entries if start or finish]
        self.bac = float(sum(cost for *_, cost in entries))
        self.costs = [(activity_id, cost) for activity_id, _, _, cost in entries]
        self.origin = week_start(min(start for start, _, _ in dated)) if dated else None
        self.finish = max((finish for _, finish, _ in dated), default=None)
        if self.origin is None:
            self.weeks = 1
            self.curve = np.array([self.bac])
            return
        first = np.array([(start - self.origin).days // 7 for start, _, _ in dated], dtype=np.int64)
        last = np.array([(max(finish, start) - self.origin).days // 7 for start, finish, _ in dated], dtype=np.int64)
        self.weeks = int(last.max()) + 1
        budgets = np.array([cost for *_, cost in dated], dtype=np.float64)
        curve = cumulative_planned_value(budgets, first, last, self.weeks)
        # Entries without dates spend nothing over time: they count in BAC at the end.
        curve[-1] = self.bac
        self.curve = np.maximum.accumulate(np.minimum(curve, self.bac))

    def period_of(self, day: date) -> int:
        """The 1-based number of the week holding ``day`` (0 or less: before the baseline starts)."""
        if self.origin is None:
            return 0
        return (day - self.origin).days // 7 + 1

    def period_end(self, period: int) -> date:
        return self.origin + timedelta(days=7 * period - 1)

    def pv_at(self, period: int) -> float:
        if period <= 0:
            return 0.0
        return float(self.curve[min(period, self.weeks) - 1])


def baseline_curves(project_ids: Collection[int]) -> tuple[dict[int, BaselineCurve], dict[int, list[tuple]]]:
    """The primary baseline of each project that has one, and its milestone entries. Two queries."""
    with_baseline = set(
        Baseline.objects.filter(project_id__in=project_ids, is_primary=True).values_list("project_id", flat=True)
    )
    rows = BaselineActivity.objects.filter(baseline__project_id__in=project_ids, baseline__is_primary=True).values_list(
        "baseline__project_id",
        "activity_id",
        "start",
        "finish",
        "cost",
        "activity__is_summary",
        "activity__is_milestone",
    )
    entries: dict[int, list[tuple]] = defaultdict(list)
    milestones: dict[int, list[tuple]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    for project_id, activity_id, start, finish, cost, is_summary, is_milestone in rows.order_by():
        if is_summary:
            continue
        start_day, finish_day = local_date(start, zone), local_date(finish, zone)
        entries[project_id].append((activity_id, start_day, finish_day, _float(cost)))
        if is_milestone and activity_id is not None:
            milestones[project_id].append((activity_id, finish_day or start_day))
    return {project_id: BaselineCurve(entries.get(project_id, [])) for project_id in with_baseline}, milestones


def _plan_rows(project_ids: Collection[int]) -> dict[int, list[tuple]]:
    """The leaf activities of each project: (id, percent, cost, milestone, forecast finish,
    actual finish, total float minutes, critical). One query."""
    rows = Activity.objects.filter(project_id__in=project_ids, is_summary=False).values_list(
        "project_id",
        "pk",
        "percent_complete",
        "cost",
        "is_milestone",
        "finish",
        "actual_finish",
        "total_float_minutes",
        "is_critical",
    )
    plan: dict[int, list[tuple]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    for project_id, pk, percent, cost, milestone, finish, actual_finish, total_float, critical in rows.order_by():
        plan[project_id].append(
            (
                pk,
                _float(percent) / 100.0,
                _float(cost),
                milestone,
                local_date(finish, zone),
                local_date(actual_finish, zone),
                total_float,
                critical,
            )
        )
    return plan


def _labour_planned(project_ids: Collection[int]) -> dict[int, float]:
    """The planned labour cost of each activity: the sum of its assignments'. One query."""
    rows = (
        Assignment.objects.filter(project_id__in=project_ids)
        .values_list("activity_id")
        .annotate(cost=Sum("planned_cost"))
        .order_by()
    )
    return {activity_id: _float(cost) for activity_id, cost in rows}


def _actual_cost(project_ids: Collection[int], until: date) -> dict[int, dict[date, float]]:
    """Approved timesheet cost per project and week (Monday), up to ``until``. One query."""
    rows = (
        TimesheetLine.objects.filter(
            project_id__in=project_ids, timesheet__status=TimesheetStatus.APPROVED, timesheet__week_start__lte=until
        )
        .values_list("project_id", "timesheet__week_start")
        .annotate(cost=Sum("cost"))
        .order_by()
    )
    weekly: dict[int, dict[date, float]] = defaultdict(dict)
    for project_id, monday, cost in rows:
        weekly[project_id][monday] = _float(cost)
    return weekly


def actual_cost_by_week(project_ids: Collection[int], until: date) -> dict[int, dict[date, float]]:
    return _actual_cost(project_ids, until)


def _earned_value(
    curves: dict[int, BaselineCurve],
    plan: dict[int, list[tuple]],
    weekly_cost: dict[int, dict[date, float]],
    as_of: date,
    *,
    labour: dict[int, float] | None = None,
    measured: Collection[int] | None = None,
) -> dict[int, Figures]:
    """Every earned value and earned schedule figure of the projects with a primary baseline,
    vectorised over them (``pmo_engine.evm``).

    AC is the approved timesheet cost plus the part of each activity's cost that is not labour
    (its cost above its assignments' planned cost: materials, fees, fixed costs), accrued in
    proportion to its progress, as MS Project accrues fixed costs by default ("prorated").
    A project outside ``measured`` (no status date) whose activities show no progress at all has
    never had its progress measured: it has no EV, so no index that needs it (an EV of 0 would
    read as "nothing done although work was planned and paid for")."""
    labour = labour or {}
    ids = sorted(curves)
    if not ids:
        return {}
    bac, ev, ac, etc, periods = [], [], [], [], []
    for project_id in ids:
        curve = curves[project_id]
        percent = {row[0]: row[1] for row in plan.get(project_id, ())}
        # EV: the baseline cost of each leaf entry times its activity's progress now.
        earned = sum(cost * percent.get(activity_id, 0.0) for activity_id, cost in curve.costs)
        bac.append(curve.bac)
        ev.append(min(earned, curve.bac))
        fixed = sum(max(cost - labour.get(pk, 0.0), 0.0) * share for pk, share, cost, *_ in plan.get(project_id, ()))
        ac.append(sum(weekly_cost.get(project_id, {}).values()) + fixed)
        etc.append(sum(cost * (1.0 - share) for _, share, cost, *_ in plan.get(project_id, ())))
        periods.append(curve.period_of(as_of))
    reported = max(1, *periods)
    horizon = max(reported, *(curves[project_id].weeks for project_id in ids))
    pv_curve = np.empty((len(ids), horizon))
    for row, project_id in enumerate(ids):
        curve = curves[project_id].curve
        pv_curve[row, : len(curve)] = curve
        pv_curve[row, len(curve) :] = curve[-1]
    # Only the column of each project's own week is read; the same status fills its row.
    ev_rows = np.repeat(np.array(ev)[:, None], reported, axis=1)
    ac_rows = np.repeat(np.array(ac)[:, None], reported, axis=1)
    etc_rows = np.repeat(np.array(etc)[:, None], reported, axis=1)
    result = analyse_earned_value(
        planned_value=pv_curve,
        earned_value=ev_rows,
        actual_cost=ac_rows,
        budget_at_completion=np.array(bac),
        estimate_to_complete=etc_rows,
    )
    figures = {}
    for row, project_id in enumerate(ids):
        period = periods[row]
        values: Figures = {
            "bac": bac[row],
            "pv": curves[project_id].pv_at(period),
            "ev": ev[row],
            "ac": ac[row],
            "eac_bottom_up": ac[row] + etc[row],
        }
        progress_recorded = any(share > 0 for _, share, *_ in plan.get(project_id, ()))
        if measured is not None and project_id not in measured and not progress_recorded:
            values["ev"] = None
        values.update(derive(values))
        if period >= 1 and values["ev"] is not None:
            column = period - 1
            values["es"] = _known(result.earned_schedule[row, column])
            values["at"] = float(period)
            values["sv_t"] = _known(result.schedule_variance_time[row, column])
            values["spi_t"] = _known(result.spi_time[row, column])
            values["ieac_t"] = _known(result.ieac_time[row, column])
        figures[project_id] = values
    return figures


def _known(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _schedule(
    curve: BaselineCurve | None,
    milestones: list[tuple],
    activities: list[tuple],
    committed_finish: date | None,
    as_of: date,
) -> Figures:
    figures: Figures = {"milestones": float(sum(1 for row in activities if row[3]))}
    if curve is None:
        return figures
    by_id = {row[0]: row for row in activities}
    slips, due, late = [], 0, 0
    for activity_id, baseline_finish in milestones:
        activity = by_id.get(activity_id)
        if activity is None or baseline_finish is None:
            continue
        finish = activity[5] or activity[4]
        if baseline_finish <= as_of:
            due += 1
        if finish is None:
            # Not scheduled: a milestone due and not done is late by the days since its date.
            finish = as_of if baseline_finish < as_of else None
        if finish is None:
            continue
        slip = (finish - baseline_finish).days
        slips.append(slip)
        late += slip > 0
    if milestones:
        figures["milestones_due"] = float(due)
        figures["milestones_late"] = float(late)
        figures["milestone_slip_days"] = float(max(0, *slips)) if slips else 0.0
    forecasts = [row[5] or row[4] for row in activities if (row[5] or row[4]) is not None]
    if forecasts and curve.finish is not None:
        slip_days = (max(forecasts) - curve.finish).days
        figures["finish_slip_days"] = float(slip_days)
        if committed_finish is not None:
            margin = (committed_finish - curve.finish).days
            if margin > 0:
                figures["float_consumed_pct"] = 100.0 * max(0, slip_days) / margin
    critical = [row[6] for row in activities if row[7] and row[6] is not None and row[5] is None]
    if critical:
        figures["critical_float_days"] = min(critical) / MINUTES_PER_DAY
    return figures


def _raid(project_ids: Collection[int], as_of: date) -> dict[int, Figures]:
    """Risks, issues and actions per project. Four queries."""
    red_from = RiskScale.current().red_from
    figures: dict[int, Figures] = defaultdict(dict)
    for project_id in project_ids:
        figures[project_id].update(
            open_risks=0.0, open_high_risks=0.0, risk_exposure=0.0, open_issues=0.0, overdue_issues=0.0
        )
        figures[project_id].update(open_actions=0.0, overdue_actions=0.0)
    risks = Risk.objects.filter(project_id__in=project_ids, status=RiskStatus.OPEN).values_list(
        "project_id", "score", "residual_score"
    )
    for project_id, score, residual in risks.order_by():
        level = residual if residual is not None else score
        row = figures[project_id]
        row["open_risks"] += 1
        row["risk_exposure"] += level or 0
        row["open_high_risks"] += (level or 0) >= red_from
    issues = (
        Issue.objects.filter(project_id__in=project_ids, status__in=[IssueStatus.OPEN, IssueStatus.IN_PROGRESS])
        .values_list("project_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=as_of)))
        .order_by()
    )
    for project_id, total, overdue in issues:
        figures[project_id].update(open_issues=float(total), overdue_issues=float(overdue))
    actions = (
        ActionItem.objects.filter(project_id__in=project_ids, status=ActionStatus.OPEN)
        .values_list("project_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=as_of)))
        .order_by()
    )
    for project_id, total, overdue in actions:
        figures[project_id].update(open_actions=float(total), overdue_actions=float(overdue))
    return figures


def _changes(project_ids: Collection[int]) -> dict[int, tuple[float, float, float]]:
    """(pending, approved, approved cost impact) per project. One query."""
    approved = Q(status__in=[ChangeStatus.APPROVED, ChangeStatus.IMPLEMENTED])
    rows = (
        ChangeRequest.objects.filter(project_id__in=project_ids)
        .values_list("project_id")
        .annotate(
            pending=Count("pk", filter=Q(status=ChangeStatus.SUBMITTED)),
            approved=Count("pk", filter=approved),
            cost=Sum("cost_impact", filter=approved),
        )
        .order_by()
    )
    return {project_id: (float(pending), float(count), _float(cost)) for project_id, pending, count, cost in rows}


def _overload(project_ids: Collection[int], as_of: date) -> dict[int, tuple[float, float | None]]:
    """(people overloaded, worst load in percent) per project over the four weeks after the week
    of ``as_of``: every project's demand on the project's people against their working week.
    Four queries."""
    first = week_start(as_of) + timedelta(days=7)
    weeks = [first + timedelta(days=7 * k) for k in range(OVERLOAD_WEEKS)]
    window_end = first + timedelta(days=7 * OVERLOAD_WEEKS)
    person = Q(resource__kind=ResourceKind.PERSON, resource__is_archived=False)
    members: dict[int, set[int]] = defaultdict(set)
    for model in (Assignment, Allocation):
        for project_id, resource_id in (
            model.objects.filter(person, project_id__in=project_ids)
            .values_list("project_id", "resource_id")
            .distinct()
            .order_by()
        ):
            members[project_id].add(resource_id)
    people = set().union(*members.values()) if members else set()
    if not people:
        return {}
    capacity = {
        pk: float(sum(float(hours) for hours in weekday_hours))
        for pk, weekday_hours in Resource.objects.filter(pk__in=people).values_list("pk", "weekday_hours")
    }
    demand: dict[int, list[float]] = defaultdict(lambda: [0.0] * OVERLOAD_WEEKS)
    window_start_moment = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    window_end_moment = timezone.make_aware(datetime.combine(window_end, datetime.min.time()))
    assignments = Assignment.objects.filter(
        resource_id__in=people,
        activity__start__lt=window_end_moment,
        activity__finish__gte=window_start_moment,
        activity__actual_finish__isnull=True,
    ).values_list("resource_id", "planned_hours", "activity__percent_complete", "activity__start", "activity__finish")
    for resource_id, hours, percent, start, finish in assignments.order_by():
        remaining = _float(hours) * (1.0 - _float(percent) / 100.0)
        begin = max(local_date(start), as_of + timedelta(days=1))
        end = local_date(finish)
        days = (end - begin).days + 1
        if remaining <= 0 or days <= 0:
            continue
        per_day = remaining / days
        for index, monday in enumerate(weeks):
            overlap = (min(end, monday + timedelta(days=6)) - max(begin, monday)).days + 1
            if overlap > 0:
                demand[resource_id][index] += per_day * overlap
    allocations = Allocation.objects.filter(
        resource_id__in=people, period_start__lt=window_end, period_start__gte=first - timedelta(days=31)
    ).values_list("resource_id", "period_kind", "period_start", "hours")
    for resource_id, kind, start, hours in allocations.order_by():
        if kind == PeriodKind.WEEK:
            if start in weeks:
                demand[resource_id][weeks.index(start)] += _float(hours)
            continue
        month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        per_day = _float(hours) / ((month_end - start).days + 1)
        for index, monday in enumerate(weeks):
            overlap = (min(month_end, monday + timedelta(days=6)) - max(start, monday)).days + 1
            if overlap > 0:
                demand[resource_id][index] += per_day * overlap
    load = {}
    for resource_id in people:
        hours = capacity.get(resource_id, 0.0)
        if hours > 0:
            load[resource_id] = 100.0 * max(demand[resource_id]) / hours
    result = {}
    for project_id, resource_ids in members.items():
        loads = [load[pk] for pk in resource_ids if pk in load]
        if loads:
            result[project_id] = (float(sum(value > 100.0 for value in loads)), max(loads))
    return result


def compute_figures(project_ids: Iterable[int], as_of: date) -> dict[int, Figures]:
    """Every figure of METRICS for each project, at the end of ``as_of``'s week (see the module).
    A constant number of queries: about fifteen, plus those of the registered providers."""
    ids = sorted(set(project_ids))
    if not ids:
        return {}
    period_end = week_end(as_of)
    projects, committed = {}, {}
    measured = set()
    rows = Project.objects.filter(pk__in=ids).values_list("pk", "budget", "planned_finish", "plan__status_date")
    for pk, budget, planned_finish, status_date in rows:
        projects[pk], committed[pk] = budget, planned_finish
        if status_date is not None:
            measured.add(pk)
    curves, milestones = baseline_curves(ids)
    plan = _plan_rows(ids)
    weekly_cost = _actual_cost(ids, period_end)
    earned = _earned_value(curves, plan, weekly_cost, period_end, labour=_labour_planned(ids), measured=measured)
    raid = _raid(ids, period_end)
    changes = _changes(ids)
    overload = _overload(ids, period_end)
    result: dict[int, Figures] = {}
    for project_id in ids:
        if project_id not in projects:
            continue
        figures = empty_figures()
        figures["budget"] = None if projects[project_id] is None else _float(projects[project_id])
        figures.update(earned.get(project_id, {}))
        figures.update(
            _schedule(
                curves.get(project_id),
                milestones.get(project_id, []),
                plan.get(project_id, []),
                committed.get(project_id),
                period_end,
            )
        )
        figures.update(raid.get(project_id, {}))
        pending, approved, cost = changes.get(project_id, (0.0, 0.0, 0.0))
        figures["pending_changes"], figures["approved_changes"] = pending, approved
        bac = figures.get("bac")
        figures["scope_change_pct"] = 100.0 * cost / bac if bac else None
        if project_id in overload:
            figures["overloaded_people"], figures["overload_pct"] = overload[project_id]
        result[project_id] = figures
    for provider in _FIGURE_PROVIDERS:
        for project_id, extra in provider(ids, period_end).items():
            if project_id in result:
                result[project_id].update({name: value for name, value in extra.items() if name in METRICS})
    return result
