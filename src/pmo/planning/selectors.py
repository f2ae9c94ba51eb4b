"""Reads for plan pages: the Gantt data, key dates and variance against a baseline, in a fixed
number of queries whatever the size of the plan."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from pmo.core.choices import Action
from pmo.planning.models import Activity, Baseline, BaselineActivity, Link, ProjectPlan
from pmo.portfolio.models import Project

DEFAULT_MINUTES_PER_DAY = 480


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="minutes") if moment else None


def primary_baselines(projects) -> dict[int, Baseline]:
    baselines = Baseline.objects.filter(project__in=projects).order_by("project_id", "-is_primary", "number")
    chosen: dict[int, Baseline] = {}
    for baseline in baselines:
        chosen.setdefault(baseline.project_id, baseline)
    return chosen


def gantt_data(user, projects: list[Project]) -> dict:
    """Everything the Gantt page draws for ``projects`` (which the caller has checked are visible):
    activities in outline order with computed and baseline dates, links among them, what the
    user may edit, and the status date. Six queries for any number of activities."""
    project_ids = [project.pk for project in projects]
    editable = set(
        Project.objects.visible_to(user, Action.CHANGE).filter(pk__in=project_ids).values_list("pk", flat=True)
    )
    activities = list(
        Activity.objects.filter(project_id__in=project_ids)
        .select_related("project", "calendar")
        .order_by("project__code", "position", "id")
    )
    baselines = primary_baselines(project_ids)
    entries = {
        entry.activity_id: entry
        for entry in BaselineActivity.objects.filter(baseline__in=baselines.values(), activity__isnull=False)
    }
    links = Link.objects.filter(Q(successor__project_id__in=project_ids) & Q(predecessor__project_id__in=project_ids))
    plans = {plan.project_id: plan for plan in ProjectPlan.objects.filter(project_id__in=project_ids)}
    depth: dict[int, int] = {}
    rows = []
    for activity in activities:
        level = depth[activity.parent_id] + 1 if activity.parent_id in depth else 0
        depth[activity.pk] = level
        entry = entries.get(activity.pk)
        minutes_per_day = activity.calendar.minutes_per_day if activity.calendar_id else DEFAULT_MINUTES_PER_DAY
        rows.append(
            {
                "id": activity.pk,
                "project": activity.project_id,
                "project_code": activity.project.code,
                "parent": activity.parent_id,
                "level": level,
                "wbs": activity.wbs_code,
                "name": activity.name,
                "is_summary": activity.is_summary,
                "is_milestone": activity.is_milestone,
                "is_critical": activity.is_critical,
                "duration_days": round(activity.duration_minutes / minutes_per_day, 2),
                "minutes_per_day": minutes_per_day,
                "percent_complete": float(activity.percent_complete),
                "actual_start": _iso(activity.actual_start),
                "actual_finish": _iso(activity.actual_finish),
                "start": _iso(activity.start),
                "finish": _iso(activity.finish),
                "early_start": _iso(activity.early_start),
                "late_finish": _iso(activity.late_finish),
                "total_float_days": (
                    round(activity.total_float_minutes / minutes_per_day, 2)
                    if activity.total_float_minutes is not None
                    else None
                ),
                "levelling_delay_days": round(activity.levelling_delay_minutes / minutes_per_day, 2),
                "baseline_start": _iso(entry.start) if entry else None,
                "baseline_finish": _iso(entry.finish) if entry else None,
                "can_edit": activity.project_id in editable,
            }
        )
    _roll_up_progress(rows)
    status_dates = [plan.status_date for plan in plans.values() if plan.status_date]
    return {
        "projects": [
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "can_edit": p.pk in editable,
                "finish": _iso(plans[p.pk].early_finish) if p.pk in plans else None,
                "baseline": baselines[p.pk].name if p.pk in baselines else None,
            }
            for p in projects
        ],
        "activities": rows,
        "links": [
            {
                "id": link.pk,
                "from": link.predecessor_id,
                "to": link.successor_id,
                "type": link.link_type,
                "lag_minutes": link.lag_minutes,
            }
            for link in links
        ],
        "status_date": max(status_dates).isoformat() if status_dates else None,
        "today": timezone.localdate().isoformat(),
    }


def _roll_up_progress(rows: list[dict]) -> None:
    """A summary's % complete: its tasks' % complete weighted by their durations (as MS Project)."""
    by_id = {row["id"]: row for row in rows}
    done: dict[int, float] = {}
    total: dict[int, float] = {}
    for row in rows:
        if row["is_summary"]:
            continue
        weight = row["duration_days"] or 0.0
        parent = row["parent"]
        while parent is not None and parent in by_id:
            done[parent] = done.get(parent, 0.0) + weight * row["percent_complete"]
            total[parent] = total.get(parent, 0.0) + weight
            parent = by_id[parent]["parent"]
    for summary_id, weight in total.items():
        by_id[summary_id]["percent_complete"] = round(done[summary_id] / weight, 1) if weight else 0.0


def key_dates(project: Project) -> dict:
    """Start, finish and milestones of the current schedule beside the primary baseline's, with
    the variance in days (positive: later than the baseline)."""
    plan = ProjectPlan.objects.filter(project=project).first()
    baseline = primary_baselines([project.pk]).get(project.pk)
    activities = Activity.objects.filter(project=project)
    entries = {e.activity_id: e for e in BaselineActivity.objects.filter(baseline=baseline)} if baseline else {}
    milestones = []
    for activity in activities.filter(is_milestone=True).order_by("position"):
        entry = entries.get(activity.pk)
        milestones.append(
            {
                "name": activity.name,
                "finish": activity.finish,
                "baseline": entry.finish if entry else None,
                "variance_days": _variance_days(activity.finish, entry.finish if entry else None),
                "is_critical": activity.is_critical,
                "is_done": activity.actual_finish is not None,
            }
        )
    bounds = [(a.start, a.finish) for a in activities.filter(parent__isnull=True) if a.start and a.finish]
    start = min((b[0] for b in bounds), default=None)
    finish = plan.early_finish if plan else None
    baseline_finish = max((e.finish for e in entries.values() if e.finish), default=None)
    return {
        "plan": plan,
        "baseline": baseline,
        "start": start,
        "finish": finish,
        "baseline_finish": baseline_finish,
        "finish_variance_days": _variance_days(finish, baseline_finish),
        "milestones": milestones,
        "activity_count": activities.count(),
        "critical_count": activities.filter(is_critical=True).count(),
    }


def _variance_days(current: datetime | None, baseline: datetime | None) -> float | None:
    if current is None or baseline is None:
        return None
    return round((current - baseline).total_seconds() / 86400, 1)


def baseline_comparison(project: Project, baseline: Baseline) -> dict:
    """Every activity's current dates, duration and cost beside ``baseline``'s, with variances
    (finish variance in days, positive when later than the baseline). Three queries."""
    entries = {entry.activity_id: entry for entry in BaselineActivity.objects.filter(baseline=baseline)}
    rows = []
    for activity in Activity.objects.filter(project=project).order_by("position", "id"):
        entry = entries.pop(activity.pk, None)
        rows.append(
            {
                "activity": activity,
                "baseline_start": entry.start if entry else None,
                "baseline_finish": entry.finish if entry else None,
                "baseline_duration_minutes": entry.duration_minutes if entry else None,
                "baseline_cost": entry.cost if entry else None,
                "start_variance_days": _variance_days(activity.start, entry.start if entry else None),
                "finish_variance_days": _variance_days(activity.finish, entry.finish if entry else None),
                "duration_variance_minutes": activity.duration_minutes - entry.duration_minutes if entry else None,
                "cost_variance": activity.cost - entry.cost if entry else None,
                "is_new": entry is None,
            }
        )
    removed = list(entries.values())
    late = [row for row in rows if (row["finish_variance_days"] or 0) > 0]
    return {"rows": rows, "removed": removed, "late_count": len(late), "baseline": baseline}
