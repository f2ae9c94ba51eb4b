"""State changes of project health: recording the weekly snapshots and health checks, and the
PMO's tuning of the health rules.

The period of a snapshot is a week, Monday to Sunday, named by its Sunday (``period_end``). By
default :func:`record_snapshots` records the *current* week from the data as it stands today:
the daily task rewrites that row each day, so the row of a week holds the figures of its last
day once the week is over (its Sunday, when the task runs daily). A past ``period_end`` may be
given to record a week again from today's data (progress is not kept per day, so the figures are
those of now, with AC and PV cut at that week's end).
"""

from collections.abc import Collection, Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.errors import InvalidData, PermissionRefused
from pmo.core.services import require_global
from pmo.health import adapters
from pmo.health.adapters import register_figure_provider
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project
from pmo_engine.errors import InvalidInput
from pmo_engine.health import DIMENSIONS, RULES, assess, check_thresholds

__all__ = [
    "ASSESSED_STAGES",
    "record_snapshots",
    "refresh_project",
    "register_figure_provider",
    "reset_rule_setting",
    "update_rule_setting",
]

# Projects judged by the daily task: past initiation and not yet closed.
ASSESSED_STAGES = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING)
CHUNK = 500  # projects computed and written together


def default_period_end(today: date | None = None) -> date:
    """The Sunday ending the current week."""
    return adapters.week_end(today or timezone.localdate())


def _check_period_end(period_end: date) -> date:
    if not isinstance(period_end, date):
        raise InvalidData({"period_end": ["Give the period end as a date (YYYY-MM-DD)."]})
    if period_end.weekday() != 6:
        raise InvalidData({"period_end": [f"A period ends on a Sunday; {period_end:%Y-%m-%d} is a {period_end:%A}."]})
    if period_end > default_period_end():
        raise InvalidData({"period_end": [f"{period_end:%Y-%m-%d} is after the current week: it has no figures yet."]})
    return period_end


def _projects_to_record(actor, project_ids: Collection[int] | None) -> list[int]:
    if project_ids is None:
        return list(
            Project.objects.filter(is_archived=False, stage__in=ASSESSED_STAGES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    wanted = sorted(set(project_ids))
    existing = set(Project.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in existing]
    if missing:
        raise InvalidData({"project_ids": [f"No project with id {', '.join(map(str, missing))}."]})
    if actor is not None:
        allowed = set(
            Project.objects.visible_to(actor, Action.CHANGE).filter(pk__in=wanted).values_list("pk", flat=True)
        )
        refused = [pk for pk in wanted if pk not in allowed]
        if refused:
            raise PermissionRefused("You may not recompute the health of a project you may not change.")
    return wanted


@transaction.atomic
def record_snapshots(*, actor=None, project_ids: Collection[int] | None = None, period_end: date | None = None) -> int:
    """Compute the figures of ``period_end``'s week (default: the current week) for every
    non-archived project past initiation, or for ``project_ids``; store (or replace) their
    snapshots and health checks, judged with the PMO's thresholds, and mark the newest of each
    project as the latest. With an ``actor``, each project must be one they may change (the
    task and the command pass none). Returns how many projects were recorded. Bulk: a constant
    number of queries per 500 projects."""
    period_end = default_period_end() if period_end is None else _check_period_end(period_end)
    ids = _projects_to_record(actor, project_ids)
    settings = adapters.current_rule_settings()
    for start in range(0, len(ids), CHUNK):
        _record_chunk(ids[start : start + CHUNK], period_end, settings)
    _mark_latest(ids)
    return len(ids)


def _record_chunk(ids: list[int], period_end: date, settings) -> None:
    figures = adapters.compute_figures(ids, period_end)
    now = timezone.now()
    snapshots, checks = [], []
    for project_id in ids:
        values = figures[project_id]
        snapshots.append(
            ProjectSnapshot(
                project_id=project_id,
                period_end=period_end,
                recorded_at=now,
                is_latest=False,
                figures=values,
                **{name: values.get(name) for name in ("bac", "pv", "ev", "ac", "spi", "cpi")},
            )
        )
        assessment = assess(values, settings)
        checks.append(
            HealthCheck(
                project_id=project_id,
                period_end=period_end,
                checked_at=now,
                is_latest=False,
                overall=assessment.overall,
                findings=[finding.as_dict() for finding in assessment.findings],
                **assessment.dimensions,
            )
        )
    ProjectSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["project", "period_end"],
        update_fields=["recorded_at", "bac", "pv", "ev", "ac", "spi", "cpi", "figures"],
    )
    HealthCheck.objects.bulk_create(
        checks,
        update_conflicts=True,
        unique_fields=["project", "period_end"],
        update_fields=["checked_at", "overall", *DIMENSIONS, "findings"],
    )


def _mark_latest(ids: Iterable[int]) -> None:
    """Move ``is_latest`` to the newest snapshot and check of each project: one update to clear,
    one per distinct newest period (usually one) to set."""
    ids = list(ids)
    for model in (ProjectSnapshot, HealthCheck):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            model.objects.filter(project_id__in=chunk, is_latest=True).update(is_latest=False)
            newest: dict[date, list[int]] = {}
            for project_id, period_end in (
                model.objects.filter(project_id__in=chunk)
                .values_list("project_id")
                .annotate(newest=Max("period_end"))
                .order_by()
            ):
                newest.setdefault(period_end, []).append(project_id)
            for period_end, project_ids in newest.items():
                model.objects.filter(project_id__in=project_ids, period_end=period_end).update(is_latest=True)


@transaction.atomic
def refresh_project(*, actor, project: Project, reason: str = "") -> HealthCheck:
    """Recompute the project's figures and health now (the current week), for someone who may
    change the project; audited on the project."""
    locked = Project.objects.select_for_update().filter(pk=project.pk)
    if not locked.visible_to(actor, Action.CHANGE).exists():
        if Project.objects.visible_to(actor, Action.VIEW).filter(pk=project.pk).exists():
            raise PermissionRefused("You may not recompute the health of a project you may not change.")
        raise PermissionRefused("No such project is visible to you.")
    period_end = default_period_end()
    record_snapshots(project_ids=[project.pk], period_end=period_end)
    check = HealthCheck.objects.get(project=project, period_end=period_end)
    record_event(
        actor=actor,
        action="health.refreshed",
        obj=project,
        after={"period_end": f"{period_end:%Y-%m-%d}", "overall": check.overall},
        reason=reason,
    )
    return check


RULE_FIELDS = ("amber", "red", "enabled")


def _number(name: str, value) -> float:
    if isinstance(value, bool):
        raise InvalidData({name: ["Give a number."]})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidData({name: [f"{value!r} is not a number."]}) from None
    return number


@transaction.atomic
def update_rule_setting(
    *,
    actor,
    rule: str,
    amber=None,
    red=None,
    enabled: bool | None = None,
    reason: str = "",
) -> HealthRuleSetting:
    """Tune one health rule's thresholds or switch it on or off (the PMO: a role that may change
    across the whole organisation). Values not given keep the current (else default) ones.
    Thresholds are checked by the engine: amber must lie on the safe side of red."""
    require_global(actor, Action.CHANGE, "the health rules")
    definition = RULES.get(rule)
    if definition is None:
        raise InvalidData({"rule": [f"There is no health rule {rule!r}; the rules are {', '.join(RULES)}."]})
    setting = HealthRuleSetting.objects.select_for_update().filter(rule=rule).first()
    current_amber = setting.amber if setting else definition.amber
    current_red = setting.red if setting else definition.red
    new_amber = current_amber if amber is None else _number("amber", amber)
    new_red = current_red if red is None else _number("red", red)
    new_enabled = (setting.enabled if setting else True) if enabled is None else bool(enabled)
    try:
        check_thresholds(definition, new_amber, new_red)
    except InvalidInput as error:
        raise InvalidData({error.field or "amber": [error.message]}) from None
    if setting is None:
        setting = HealthRuleSetting(rule=rule, amber=new_amber, red=new_red, enabled=new_enabled, updated_by=None)
        setting.updated_by = getattr(actor, "person", None)
        setting.save()
        record_event(
            actor=actor, action="healthrulesetting.created", obj=setting, after=snapshot(setting), reason=reason
        )
        return setting
    before = snapshot(setting)
    setting.amber, setting.red, setting.enabled = new_amber, new_red, new_enabled
    setting.updated_by = getattr(actor, "person", None)
    after = snapshot(setting)
    changed = {key for key in RULE_FIELDS if before.get(key) != after.get(key)}
    if changed:
        setting.save()
        record_event(
            actor=actor,
            action="healthrulesetting.changed",
            obj=setting,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
            reason=reason,
        )
    return setting


@transaction.atomic
def reset_rule_setting(*, actor, rule: str, reason: str = "") -> None:
    """Give a rule back its default thresholds (and switch it on)."""
    require_global(actor, Action.CHANGE, "the health rules")
    if rule not in RULES:
        raise InvalidData({"rule": [f"There is no health rule {rule!r}; the rules are {', '.join(RULES)}."]})
    setting = HealthRuleSetting.objects.select_for_update().filter(rule=rule).first()
    if setting is None:
        return
    record_event(actor=actor, action="healthrulesetting.reset", obj=setting, before=snapshot(setting), reason=reason)
    setting.delete()
