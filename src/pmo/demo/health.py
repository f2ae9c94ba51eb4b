"""Health history for the demo: 26 weeks of figures and health checks for every project past
initiation (planning, delivery, closing), ending with the current week.

The current week's figures are the real ones (``pmo.health.selectors.project_figures``). Earlier
weeks are derived from the same data: PV from the primary baseline's weekly curve, AC from the
approved timesheets booked up to that week, and EV following progress, as if the schedule
efficiency had drifted steadily from on plan at the project's start to where it stands now (EV
never above today's and never falling). Earned schedule is worked out over each project's whole
history by the engine; the other figures (RAID, changes, overload) are today's. Each week is
judged by the health rules with the PMO's thresholds, so the history shows schedule and cost
turning amber or red where the project is slipping today.
"""

from datetime import date, timedelta

import numpy as np
from django.utils import timezone

from pmo.demo.context import DemoContext
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.health.selectors import earned_value_inputs, project_figures, rule_rows
from pmo.portfolio.choices import LifecycleStage
from pmo_engine.evm import analyse_earned_value
from pmo_engine.health import RuleSetting, assess
from pmo_engine.metrics import derive

HISTORY_WEEKS = 26
ASSESSED_STAGES = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING)
CORE = ("bac", "pv", "ev", "ac", "spi", "cpi")
TIME_FIGURES = ("es", "at", "sv_t", "spi_t", "ieac_t")


def make_health(ctx: DemoContext) -> None:
    projects = [p for p in ctx.projects if p.stage in ASSESSED_STAGES and not p.is_archived]
    if not projects:
        return
    ids = [project.pk for project in projects]
    current = project_figures(ids, as_of=ctx.today)
    curves, weekly_cost = earned_value_inputs(ids, as_of=ctx.today)
    settings = {row.code: RuleSetting(row.amber, row.red, row.enabled) for row in rule_rows() if row.is_tuned}
    this_sunday = ctx.today - timedelta(days=ctx.today.weekday()) + timedelta(days=6)
    period_ends = [this_sunday - timedelta(days=7 * n) for n in range(HISTORY_WEEKS - 1, -1, -1)]
    now = timezone.now()
    snapshots, checks = [], []
    for project_id in ids:
        history = _history(curves.get(project_id), weekly_cost.get(project_id, {}), current[project_id], period_ends)
        for period_end, figures in zip(period_ends, history, strict=True):
            is_latest = period_end == this_sunday
            snapshots.append(
                ProjectSnapshot(
                    project_id=project_id,
                    period_end=period_end,
                    recorded_at=now,
                    is_latest=is_latest,
                    figures=figures,
                    **{name: figures.get(name) for name in CORE},
                )
            )
            assessment = assess(figures, settings)
            checks.append(
                HealthCheck(
                    project_id=project_id,
                    period_end=period_end,
                    checked_at=now,
                    is_latest=is_latest,
                    overall=assessment.overall,
                    findings=[finding.as_dict() for finding in assessment.findings],
                    **assessment.dimensions,
                )
            )
    ctx.save_all(ProjectSnapshot, snapshots)
    ctx.save_all(HealthCheck, checks)


def _history(curve, weekly_cost: dict[date, float], current: dict, period_ends: list[date]) -> list[dict]:
    """The figures of each week in ``period_ends`` (the last is the current week)."""
    if curve is None or curve.origin is None or not curve.bac:
        return [dict(current) for _ in period_ends]
    now_period = max(1, curve.period_of(period_ends[-1]))
    ev_now = current["ev"] or 0.0
    spi_now = current["spi"] if current["spi"] is not None else 1.0
    # Cumulative AC per period of the baseline's weeks, from the approved weekly cost.
    mondays = [curve.origin + timedelta(days=7 * k) for k in range(now_period)]
    booked_before = sum(cost for monday, cost in weekly_cost.items() if monday < curve.origin)
    ac = np.cumsum([weekly_cost.get(monday, 0.0) for monday in mondays]) + booked_before
    periods = np.arange(1, now_period + 1)
    pv = np.array([curve.pv_at(int(k)) for k in periods])
    drift = 1.0 + (spi_now - 1.0) * periods / now_period
    ev = np.maximum.accumulate(np.minimum(pv * drift, ev_now))
    ev[-1] = ev_now
    # Today's AC also holds the non-labour costs accrued with progress: spread them as EV grew.
    accrued = max((current["ac"] or 0.0) - sum(weekly_cost.values()), 0.0)
    if ev_now > 0:
        ac = ac + accrued * ev / ev_now
    ac = np.minimum(ac, current["ac"] or 0.0)  # rounding noise of the float sums above today's
    ac[-1] = current["ac"] or 0.0
    horizon = max(curve.weeks, now_period)
    pv_curve = np.concatenate([curve.curve, np.full(horizon - curve.weeks, curve.bac)])
    result = analyse_earned_value(
        planned_value=[pv_curve],
        earned_value=[np.minimum(ev, curve.bac)],
        actual_cost=[ac],
        budget_at_completion=[curve.bac],
    )
    rows = []
    for period_end in period_ends:
        period = curve.period_of(period_end)
        figures = dict(current)
        if period_end != period_ends[-1]:
            if period < 1:
                figures.update(dict.fromkeys((*CORE, *TIME_FIGURES), None))
                figures.update(bac=curve.bac, pv=0.0, ev=0.0, ac=float(booked_before))
            else:
                column = min(period, now_period) - 1
                measured = current["ev"] is not None  # no status date: progress never measured
                figures.update(pv=float(pv[column]), ev=float(ev[column]) if measured else None, ac=float(ac[column]))
                for name, values in (
                    ()
                    if not measured
                    else (
                        ("es", result.earned_schedule),
                        ("sv_t", result.schedule_variance_time),
                        ("spi_t", result.spi_time),
                        ("ieac_t", result.ieac_time),
                    )
                ):
                    value = float(values[0, column])
                    figures[name] = None if np.isnan(value) else value
                figures["at"] = float(column + 1)
                if not measured:
                    figures.update(dict.fromkeys(("es", "sv_t", "spi_t", "ieac_t"), None))
            figures.update(derive(figures))
            figures["eac_bottom_up"] = None
        rows.append(figures)
    return rows
