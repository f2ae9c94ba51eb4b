"""Skill gap forecast: where demand for a skill exceeds the capacity of the people who hold it,
and what to do about each run of such periods.

The gap. For skill s, period p and level L (1..5), demand naming s at a minimum level of L or more,
D(>=L), can only be done by people holding s at L or more, capacity C(>=L). The gap is
``max(0, max over L of D(>=L) - C(>=L))``: with nested levels this is exactly the demand that no
assignment of holders to work can cover (Hall's condition on a chain). A holder counts whole
toward each skill held, whatever else they are assigned to: the forecast asks whether the
organisation has the skill, and the heatmap whether people have the time.

A gap run is a maximal run of consecutive periods with a gap (above ``HOURS_TOLERANCE``). Its
*required level* L* is the highest level at which demand exceeds capacity in some period of the
run: adding the gap's hours at level L* (by hiring or training) closes the shortfall at every level,
since each level's excess is at most the gap and levels above L* have none.
The rules, tried in this order (cheapest first); the first that holds is the recommendation:

1. reschedule: the run has at most ``reschedule_max_periods`` periods and the spare hours in the
   ``reschedule_window_periods`` periods on each side of it (within the horizon) cover its total
   gap. Spare hours in period q: ``min over L <= L* of C(>=L) - D(>=L)`` (at least 0), the work
   of level L* that q can take without a shortfall at any level.
2. training: in every period of the run, people holding s below L* have spare hours covering the
   gap: ``(C(>=1) - C(>=L*)) - (D(>=1) - D(>=L*))`` >= gap (never when L* is 1). Train them to L*.
3. permanent hire: the run lasts at least ``permanent_min_weeks`` weeks and is steady: the
   coefficient of variation (standard deviation / mean) of its weekly gap rate (gap / (days / 7)
   per period) is at most ``permanent_max_variation``.
4. contingent hire: any other gap: shorter, or varying (seasonal or growing); the explanation
   then gives the least weekly gap over the run, a floor that permanent staff could cover.

Cost: O(S * 5 * P) numpy work, then O(G * 5 * (w + run length)) for G gap runs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from pmo_engine.capacity.arrays import HOURS_TOLERANCE, DayAxis, runs_of
from pmo_engine.capacity.inputs import GapRules
from pmo_engine.capacity.results import GapRecommendation, SkillGap


def gap_hours_of(capacity_at_least: np.ndarray, demand_at_least: np.ndarray) -> np.ndarray:
    """(S, P) gap hours from (S, 5, P) capacity and demand at each level or more; 0 below the tolerance."""
    if capacity_at_least.shape[0] == 0:
        return np.zeros((0, capacity_at_least.shape[2]))
    gap = np.max(demand_at_least - capacity_at_least, axis=1)
    return np.where(gap > HOURS_TOLERANCE, gap, 0.0)


@dataclass(frozen=True, slots=True, eq=False)
class _RunNumbers:
    """The figures of one gap run that the rules read (hours, weeks, the required level)."""

    skill_key: str
    periods: int
    weeks: float
    required_level: int
    total_gap: float
    mean_weekly: float
    least_weekly: float
    variation: float
    nearby_slack: float
    lower_spare: np.ndarray
    gap: np.ndarray
    full_time_equivalents: float


def skill_gaps(
    skill_keys: Sequence[str],
    *,
    capacity_at_least: np.ndarray,
    demand_at_least: np.ndarray,
    gap_hours: np.ndarray,
    axis: DayAxis,
    period_starts: Sequence[date],
    rules: GapRules,
) -> tuple[SkillGap, ...]:
    """One :class:`SkillGap` per gap run, sorted by skill key then first period (see the module's rules)."""
    excess = demand_at_least - capacity_at_least
    period_days = np.diff(axis.period_offsets)
    periods = axis.period_count
    gaps = []
    for skill, first, length in zip(*(column.tolist() for column in runs_of(gap_hours > 0)), strict=True):
        run = slice(first, first + length)
        required_level = int(np.flatnonzero((excess[skill, :, run] > HOURS_TOLERANCE).any(axis=1))[-1]) + 1
        gap = gap_hours[skill, run]
        weeks = float(period_days[run].sum()) / 7
        weekly_rate = gap / (period_days[run] / 7)
        mean_weekly = float(gap.sum()) / weeks
        variation = float(weekly_rate.std() / weekly_rate.mean())
        lower_capacity = capacity_at_least[skill, 0, run] - capacity_at_least[skill, required_level - 1, run]
        lower_demand = demand_at_least[skill, 0, run] - demand_at_least[skill, required_level - 1, run]
        lower_spare = np.clip(lower_capacity - lower_demand, 0, None)
        nearby_slack = 0.0
        if length <= rules.reschedule_max_periods:
            window = np.r_[
                max(0, first - rules.reschedule_window_periods) : first,
                first + length : min(periods, first + length + rules.reschedule_window_periods),
            ]
            if len(window):
                slack = np.clip(-np.max(excess[skill, :required_level][:, window], axis=0), 0, None)
                nearby_slack = float(slack.sum())
        numbers = _RunNumbers(
            skill_key=skill_keys[skill],
            periods=length,
            weeks=weeks,
            required_level=required_level,
            total_gap=float(gap.sum()),
            mean_weekly=mean_weekly,
            least_weekly=float(weekly_rate.min()),
            variation=variation,
            nearby_slack=nearby_slack,
            lower_spare=lower_spare,
            gap=gap,
            full_time_equivalents=mean_weekly / rules.full_time_hours_per_week,
        )
        recommendation, reason = _recommend(numbers, rules)
        gaps.append(
            SkillGap(
                skill_key=skill_keys[skill],
                first_period=first,
                first_period_start=period_starts[first],
                periods=length,
                weeks=weeks,
                is_open_ended=first + length == periods,
                required_level=required_level,
                gap_hours=tuple(gap.tolist()),
                total_gap_hours=numbers.total_gap,
                peak_gap_hours=float(gap.max()),
                mean_gap_hours_per_week=mean_weekly,
                least_gap_hours_per_week=numbers.least_weekly,
                variation=variation,
                full_time_equivalents=numbers.full_time_equivalents,
                nearby_slack_hours=nearby_slack,
                lower_level_spare_hours=tuple(lower_spare.tolist()),
                recommendation=recommendation,
                reason=reason,
            )
        )
    return tuple(gaps)


def _recommend(run: _RunNumbers, rules: GapRules) -> tuple[GapRecommendation, str]:
    """The first rule of the module docstring that holds, and why, in words and numbers."""
    size = f"{run.skill_key}: short of {run.total_gap:.1f} h over {run.periods} period(s) ({run.weeks:.1f} weeks)"
    level = f"level {run.required_level} or more"
    if run.periods <= rules.reschedule_max_periods and run.nearby_slack >= run.total_gap - HOURS_TOLERANCE:
        return GapRecommendation.RESCHEDULE, (
            f"{size}, at most {rules.reschedule_max_periods} period(s); the {rules.reschedule_window_periods} "
            f"period(s) on each side have {run.nearby_slack:.1f} h spare at {level}: move the work there."
        )
    if run.required_level > 1 and bool(np.all(run.lower_spare >= run.gap - HOURS_TOLERANCE)):
        return GapRecommendation.TRAINING, (
            f"{size} at {level}; people holding it below level {run.required_level} have "
            f"{float(run.lower_spare.sum()):.1f} h spare, enough in every period: train them to level "
            f"{run.required_level}."
        )
    if run.weeks >= rules.permanent_min_weeks and run.variation <= rules.permanent_max_variation:
        return GapRecommendation.PERMANENT_HIRE, (
            f"{size}; a steady gap of {run.mean_weekly:.1f} h a week ({run.full_time_equivalents:.2f} full-time "
            f"equivalents), at least {rules.permanent_min_weeks:g} weeks long and varying by {run.variation:.2f} "
            f"<= {rules.permanent_max_variation:g}: hire permanent staff at {level}."
        )
    why = (
        f"shorter than {rules.permanent_min_weeks:g} weeks"
        if run.weeks < rules.permanent_min_weeks
        else (
            f"varying (seasonal or growing): variation {run.variation:.2f} > {rules.permanent_max_variation:g}, "
            f"at least {run.least_weekly:.1f} h a week throughout"
        )
    )
    return GapRecommendation.CONTINGENT_HIRE, (
        f"{size}; {run.mean_weekly:.1f} h a week ({run.full_time_equivalents:.2f} full-time equivalents), "
        f"{why}: hire contingent staff at {level}."
    )
