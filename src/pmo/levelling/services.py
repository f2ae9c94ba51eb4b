"""Levelling runs: asked for by whoever may change the target, computed in the background, then
accepted (each activity's levelling delay written, the plans rescheduled and audited) or discarded.

A run never changes a plan by itself: the scenario is stored beside the plan until someone decides.
"""

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from pmo.core.audit import record_event
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.levelling import adapters
from pmo.levelling.choices import Goal, RunState, Scope
from pmo.levelling.models import LevellingMove, LevellingRun
from pmo.planning import adapters as planning_adapters
from pmo.planning.services import apply_levelling, fit_levelling_delays, reschedule
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo_engine import levelling as engine
from pmo_engine.errors import EngineError

MAX_TIME_LIMIT = 600
PROGRESS_EVERY_SECONDS = 1.0
TARGET_MODELS = {Scope.PROJECT: Project, Scope.PROGRAMME: Programme, Scope.PORTFOLIO: Portfolio}


def projects_of(scope: str, target) -> list[Project]:
    """The active projects a run on ``target`` levels (every one for the whole organisation), in a
    stable order."""
    projects = Project.objects.active()
    if scope == Scope.PROJECT:
        projects = projects.filter(pk=target.pk)
    elif scope == Scope.PROGRAMME:
        projects = projects.filter(programme=target)
    elif scope == Scope.PORTFOLIO:
        projects = projects.filter(portfolio=target)
    return list(projects.order_by("code", "id"))


def label_of(scope: str, target) -> str:
    return str(target) if scope != Scope.ORGANISATION else "the whole organisation"


def may_level(user, scope: str, target) -> bool:
    """Levelling moves dates, so it needs the right to change the target itself (for the whole
    organisation, to change anything anywhere)."""
    if scope == Scope.ORGANISATION:
        return grants_for(user).allows_everywhere(Action.CHANGE)
    model = TARGET_MODELS[Scope(scope)]
    return model.objects.visible_to(user, Action.CHANGE).filter(pk=target.pk).exists()


def _check_settings(time_limit: int, weights: Mapping, projects: list[Project]) -> dict[str, int]:
    problems = {}
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        problems["time_limit_seconds"] = f"The time limit must be from 1 to {MAX_TIME_LIMIT} seconds, not {time_limit}."
    ids = {project.pk for project in projects}
    clean: dict[str, int] = {}
    for key, weight in (weights or {}).items():
        try:
            project_id, value = int(key), int(weight)
        except (TypeError, ValueError):
            problems["weights"] = f"Weights map project ids to whole numbers; {key!r}: {weight!r} is not one."
            continue
        if project_id not in ids:
            problems["weights"] = f"Project {project_id} is not levelled by this run, so it takes no weight."
        elif not 1 <= value <= 1000:
            problems["weights"] = f"A weight must be from 1 to 1000, not {value} (project {project_id})."
        else:
            clean[str(project_id)] = value
    if problems:
        raise InvalidData(problems)
    return clean


@transaction.atomic
def start_run(
    *,
    actor,
    scope: str,
    target,
    goal: str = Goal.MAKESPAN,
    keep_plan: bool = True,
    time_limit_seconds: int = 10,
    weights: Mapping | None = None,
    level_from: date | None = None,
) -> LevellingRun:
    """Queue a levelling of ``target`` (a project, programme or portfolio as ``scope`` says; None for
    the whole organisation) from ``level_from`` (today when not given)."""
    scope = Scope(scope)
    if (target is None) != (scope == Scope.ORGANISATION):
        if scope == Scope.ORGANISATION:
            raise DomainError("The whole organisation's levelling takes no target.")
        raise DomainError(f"A {scope.label.lower()} levelling needs its {scope.label.lower()}.")
    label = label_of(scope, target)
    if not may_level(actor, scope, target):
        raise PermissionRefused(f"You may not level {label}: that needs the right to change it.")
    if goal not in Goal.values:
        raise InvalidData({"goal": f"The goal must be one of {', '.join(Goal.values)}, not {goal!r}."})
    projects = projects_of(scope, target)
    if not projects:
        raise DomainError(f"{label[0].upper()}{label[1:]} has no active project to level.")
    clean_weights = _check_settings(time_limit_seconds, weights or {}, projects)
    run = LevellingRun.objects.create(
        scope=scope,
        project=target if scope == Scope.PROJECT else None,
        programme=target if scope == Scope.PROGRAMME else None,
        portfolio=target if scope == Scope.PORTFOLIO else None,
        requested_by=actor,
        level_from=level_from or timezone.localdate(),
        goal=goal,
        keep_plan=keep_plan,
        time_limit_seconds=time_limit_seconds,
        weights=clean_weights,
    )
    run.projects.set(projects)
    record_event(
        actor=actor,
        action="levelling.requested",
        obj=run,
        after={"scope": scope, "target": label, "goal": goal, "projects": len(projects)},
    )
    from pmo.levelling.tasks import level_run  # the tasks module imports this one

    transaction.on_commit(lambda: level_run.enqueue(run.pk))
    return run


def _level_reporting(run_id: int, problem, **settings):
    """Run the solver in a thread of its own while this one writes its best so far to the run
    once a second (each write committed at once, so the run's page can show it)."""
    latest: dict = {}

    def remember(objective: int, bound: int, seconds: float) -> None:
        latest.update(objective=int(objective), bound=int(bound), seconds=round(seconds, 1))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="levelling") as pool:
        solving = pool.submit(engine.level, problem, progress=remember, **settings)
        while True:
            try:
                return solving.result(timeout=PROGRESS_EVERY_SECONDS)
            except TimeoutError:
                if latest:
                    LevellingRun.objects.filter(pk=run_id).update(progress=dict(latest))


def execute_run(run_id: int) -> LevellingRun:
    """Compute a queued run's scenario (called by the background task). Never raises for bad
    plans: a run that cannot be computed is stored as failed with the reason."""
    claimed = LevellingRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RUNNING, started_at=timezone.now()
    )
    run = LevellingRun.objects.get(pk=run_id)
    if not claimed:
        return run
    try:
        _compute(run)
    except (DomainError, EngineError) as error:
        LevellingRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, message=str(getattr(error, "message", error)), finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _compute(run: LevellingRun) -> None:
    projects = list(run.projects.order_by("code", "id"))
    weights = {int(key): value for key, value in run.weights.items()}
    now = datetime.combine(run.level_from, time())
    data = adapters.build_input(projects, now=now, weights=weights, goal=run.goal, keep_plan=run.keep_plan)
    result = _level_reporting(run.pk, data.problem, time_limit=float(run.time_limit_seconds), workers=2, seed=run.pk)
    if result.status in (engine.Status.INFEASIBLE, engine.Status.UNKNOWN):
        raise DomainError(result.message or f"The solver found no schedule ({result.status}).")
    starts = dict(data.current) | {key: int(value) for key, value in result.starts.items()}
    horizon = max([data.horizon] + [starts[key] + data.duration[key] for key in data.current]) + 1
    before = adapters.load_profile(data, data.current, horizon)
    after = adapters.load_profile(data, starts, horizon)
    days, peaks_before = adapters.daily_peaks(data.clock, before, horizon)
    _, peaks_after = adapters.daily_peaks(data.clock, after, horizon)
    delays = adapters.levelling_delays(data, starts)
    finishes = {
        "before": max((data.current[key] + data.duration[key] for key in data.activities), default=0),
        "after": max((starts[key] + data.duration[key] for key in data.activities), default=0),
    }
    run.origin = planning_adapters.from_local(data.clock.origin)
    run.solver_status = str(result.status)
    run.method = result.method
    run.activities_count = len(data.activities)
    run.resources_count = len(data.resources)
    run.objective = result.objective
    run.lower_bound = result.lower_bound
    run.gap = result.gap
    run.finish_before = planning_adapters.from_local(data.clock.finish_of(finishes["before"]))
    run.finish_after = planning_adapters.from_local(data.clock.finish_of(finishes["after"]))
    run.overload_before_hours = adapters.overload_hours(before, data.resources)
    run.overload_after_hours = adapters.overload_hours(after, data.resources)
    run.moved_count = sum(1 for key in data.activities if starts[key] != data.current[key])
    run.seconds = result.seconds
    run.fingerprint = data.fingerprint
    run.outcomes = _outcomes(data, projects, starts)
    run.load = {
        "days": [day.isoformat() for day in days],
        "resources": [
            {
                "id": resource.resource_id,
                "name": resource.name,
                "capacity": resource.capacity,
                "before": peaks_before[key],
                "after": peaks_after[key],
            }
            for key, resource in sorted(data.resources.items(), key=lambda item: item[1].name)
        ],
        "raised": {data.resources[key].name: units for key, units in data.raised.items()},
    }
    run.message = _explain(data)
    run.state = RunState.READY
    run.finished_at = timezone.now()
    with transaction.atomic():
        _store_moves(run, data, starts, delays)
        run.save()


def _explain(data: adapters.LevellingInput) -> str:
    if not data.raised:
        return ""
    names = ", ".join(f"{data.resources[key].name} ({units} %)" for key, units in sorted(data.raised.items()))
    return (
        "Work that cannot move (started, fixed to a date, or in other projects) or a single assignment "
        f"asks more than one person of: {names}. Levelling keeps within that, not within 100 %."
    )


def _outcomes(data: adapters.LevellingInput, projects: list[Project], starts: Mapping[str, int]) -> list[dict]:
    """Each project's last finish now and after levelling, and how late that is against its
    planned finish (in working hours)."""
    weight = {project.key: project.weight for project in data.problem.projects}
    outcomes = []
    for project in projects:
        keys = [key for key, activity in data.activities.items() if activity.project_id == project.pk]
        before = max((data.current[key] + data.duration[key] for key in keys), default=0)
        after = max((starts[key] + data.duration[key] for key in keys), default=0)
        due = adapters.due_period(data.clock, project.planned_finish)
        outcomes.append(
            {
                "project": project.pk,
                "name": project.name,
                "weight": weight[str(project.pk)],
                "due": project.planned_finish.isoformat() if project.planned_finish else None,
                "finish_before": data.clock.finish_of(before).isoformat(),
                "finish_after": data.clock.finish_of(after).isoformat(),
                "delay_hours": after - before,
                "late_hours": max(0, after - due) if due is not None else 0,
            }
        )
    return outcomes


def _store_moves(run: LevellingRun, data: adapters.LevellingInput, starts, delays) -> None:
    clock = data.clock
    rows = []
    for key, activity in data.activities.items():
        start, length = starts[key], data.duration[key]
        rows.append(
            LevellingMove(
                run=run,
                activity=activity,
                project_id=activity.project_id,
                start_before=activity.start,
                finish_before=activity.finish,
                start_after=planning_adapters.from_local(clock.start_of(start)),
                finish_after=planning_adapters.from_local(
                    clock.finish_of(start + length) if length else clock.start_of(start)
                ),
                shift_hours=start - data.current[key],
                delay_minutes=delays.get(key, 0),
                is_fixed=key in data.fixed,
            )
        )
    LevellingMove.objects.bulk_create(rows, batch_size=500)


def _locked_run(actor, run: LevellingRun) -> LevellingRun:
    try:
        locked = LevellingRun.objects.select_for_update(of=("self",)).visible_to(actor, Action.CHANGE).get(pk=run.pk)
    except LevellingRun.DoesNotExist:
        raise PermissionRefused(
            "You may not decide this levelling: that needs the right to change what it levels."
        ) from None
    if locked.state != RunState.READY:
        raise DomainError(f"This levelling is {locked.get_state_display().lower()}, so there is nothing to decide.")
    return locked


@transaction.atomic
def accept_run(*, actor, run: LevellingRun, reason: str = "") -> LevellingRun:
    """Write the scenario into the plans: each levelled activity's levelling delay, then one
    reschedule per project. Refused when a plan changed since the run was computed."""
    run = _locked_run(actor, run)
    projects = list(run.projects.select_for_update().order_by("id"))
    for project in projects:
        if not Project.objects.visible_to(actor, Action.CHANGE).filter(pk=project.pk).exists():
            raise PermissionRefused(f"You may not change {project}, so you may not accept a levelling that moves it.")
    moves = list(run.moves.all())
    current = adapters.current_fingerprint(projects)
    if current != run.fingerprint:
        raise DomainError(
            "The plans have changed since this levelling was computed (dates, durations, progress or "
            "assignments), so its dates no longer fit. Level again."
        )
    movable = [move for move in moves if not move.is_fixed]
    delays = fit_levelling_delays(
        projects,
        {move.activity_id: planning_adapters.to_local(move.start_after) for move in movable},
        first_guess={move.activity_id: move.delay_minutes for move in movable},
    )
    by_project: dict[int, dict[int, int]] = {}
    for move in movable:
        by_project.setdefault(move.project_id, {})[move.activity_id] = delays[move.activity_id]
    note = reason or f"Levelling {run.pk} accepted"
    for project in projects:
        apply_levelling(
            actor=actor, project=project, delays=by_project.get(project.pk, {}), reason=note, reschedule_now=False
        )
    reschedule(actor=actor, projects=projects, reason=note)
    run.state = RunState.ACCEPTED
    run.decided_by = actor
    run.decided_at = timezone.now()
    run.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        action="levelling.accepted",
        obj=run,
        after={"moved": run.moved_count, "finish": run.finish_after.isoformat() if run.finish_after else None},
        reason=reason,
    )
    return run


@transaction.atomic
def discard_run(*, actor, run: LevellingRun, reason: str = "") -> LevellingRun:
    """Set the scenario aside; the plans stay as they are."""
    run = _locked_run(actor, run)
    run.state = RunState.DISCARDED
    run.decided_by = actor
    run.decided_at = timezone.now()
    run.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    record_event(actor=actor, action="levelling.discarded", obj=run, reason=reason)
    return run
