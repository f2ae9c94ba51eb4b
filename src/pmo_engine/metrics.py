"""The named figures of a project's performance, and how they add up over many projects.

A project's figures for one period are a plain mapping ``{name: float | None}`` (None: not
known, e.g. no baseline yet). Health rules (``pmo_engine.health``) and KPI formulas
(``pmo_engine.kpi``) read them by these names; programme and portfolio figures are the
``aggregate`` of their projects' figures: money and counts add up, indices are recomputed from
the sums (a portfolio's SPI is its total EV over its total PV, not the mean of its projects'
SPIs), slips take the worst project, shares are weighted by budget at completion.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import isfinite

# How a figure adds up over projects.
SUM = "sum"  # money, counts
WORST = "max"  # slips, days late: the worst project speaks for the group
LEAST = "min"  # floats, margins: the tightest project speaks for the group
WEIGHTED = "weighted"  # shares and percentages, weighted by BAC
DERIVED = "derived"  # recomputed from the sums (indices and variances)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str  # "money", "ratio", "percent", "days", "weeks", "count", "hours"
    aggregation: str
    description: str


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        # Earned value (money in the organisation's currency, cumulative at the period's end).
        Metric("bac", "Budget at completion", "money", SUM, "BAC: the primary baseline's total cost."),
        Metric("pv", "Planned value", "money", SUM, "PV: the baseline cost planned to be done by now."),
        Metric("ev", "Earned value", "money", SUM, "EV: the baseline cost of the work done."),
        Metric("ac", "Actual cost", "money", SUM, "AC: the cost booked so far (approved timesheets)."),
        Metric("sv", "Schedule variance", "money", DERIVED, "SV = EV - PV."),
        Metric("cv", "Cost variance", "money", DERIVED, "CV = EV - AC."),
        Metric("spi", "Schedule performance index", "ratio", DERIVED, "SPI = EV / PV."),
        Metric("cpi", "Cost performance index", "ratio", DERIVED, "CPI = EV / AC."),
        Metric("eac", "Estimate at completion", "money", DERIVED, "EAC = BAC / CPI."),
        Metric("eac_cpi_spi", "EAC (CPI x SPI)", "money", DERIVED, "EAC = AC + (BAC - EV) / (CPI x SPI)."),
        Metric("eac_bottom_up", "EAC (bottom-up)", "money", SUM, "EAC = AC + the remaining planned cost."),
        Metric("etc", "Estimate to complete", "money", DERIVED, "ETC = EAC - AC."),
        Metric("vac", "Variance at completion", "money", DERIVED, "VAC = BAC - EAC."),
        Metric("tcpi", "To-complete performance index", "ratio", DERIVED, "TCPI = (BAC - EV) / (BAC - AC)."),
        Metric("es", "Earned schedule", "weeks", WORST, "ES: the time at which the EV earned was planned."),
        Metric("at", "Actual time", "weeks", WORST, "AT: weeks from the baseline's start to the status date."),
        Metric("sv_t", "Schedule variance (time)", "weeks", LEAST, "SV(t) = ES - AT."),
        Metric("spi_t", "SPI (time)", "ratio", WEIGHTED, "SPI(t) = ES / AT."),
        Metric("ieac_t", "Forecast duration", "weeks", WORST, "IEAC(t) = PD / SPI(t)."),
        Metric("percent_complete", "Percent complete", "percent", DERIVED, "EV / BAC x 100."),
        Metric("percent_planned", "Percent planned", "percent", DERIVED, "PV / BAC x 100."),
        Metric("percent_spent", "Percent spent", "percent", DERIVED, "AC / BAC x 100."),
        Metric("budget", "Approved budget", "money", SUM, "The project's approved budget."),
        # Schedule.
        Metric("milestones", "Milestones", "count", SUM, "Milestones in the plan."),
        Metric("milestones_due", "Milestones due", "count", SUM, "Milestones whose baseline date has passed."),
        Metric(
            "milestones_late",
            "Milestones late",
            "count",
            SUM,
            "Milestones finished, or forecast, after their baseline date.",
        ),
        Metric(
            "milestone_slip_days",
            "Worst milestone slip",
            "days",
            WORST,
            "The largest slip of a milestone against its baseline, in calendar days.",
        ),
        Metric(
            "finish_slip_days",
            "Finish slip",
            "days",
            WORST,
            "Forecast finish against the baseline finish, in calendar days (negative: early).",
        ),
        Metric(
            "float_consumed_pct",
            "Float consumed",
            "percent",
            WORST,
            "Share of the schedule margin (committed finish minus baseline finish) the critical path has used.",
        ),
        Metric(
            "critical_float_days",
            "Critical path float",
            "days",
            LEAST,
            "Least total float on the critical path, in working days (negative: a deadline or constraint is missed).",
        ),
        # Risk.
        Metric("open_risks", "Open risks", "count", SUM, "Risks not closed."),
        Metric(
            "open_high_risks",
            "Open high risks",
            "count",
            SUM,
            "Open risks whose residual score reaches the scale's high level.",
        ),
        Metric("risk_exposure", "Risk exposure", "count", SUM, "Sum of the open risks' residual scores."),
        Metric("open_issues", "Open issues", "count", SUM, "Issues not closed."),
        Metric("overdue_issues", "Overdue issues", "count", SUM, "Open issues past their target date."),
        # Governance.
        Metric("open_actions", "Open actions", "count", SUM, "Actions not done or cancelled."),
        Metric("overdue_actions", "Overdue actions", "count", SUM, "Open actions past their due date."),
        Metric(
            "reports_missing",
            "Reports missing",
            "count",
            SUM,
            "Reporting periods ended without a submitted highlight report.",
        ),
        Metric(
            "report_days_late",
            "Report days late",
            "days",
            WORST,
            "Days the oldest missing highlight report is past due.",
        ),
        # Scope.
        Metric("pending_changes", "Pending changes", "count", SUM, "Change requests submitted and not yet decided."),
        Metric("approved_changes", "Approved changes", "count", SUM, "Change requests approved or implemented."),
        Metric(
            "scope_change_pct",
            "Scope change",
            "percent",
            WEIGHTED,
            "Cost impact of approved changes against the budget at completion.",
        ),
        # Resources.
        Metric(
            "overloaded_people",
            "Overloaded people",
            "count",
            SUM,
            "People on the project booked above their capacity in the next four weeks.",
        ),
        Metric(
            "overload_pct",
            "Worst overload",
            "percent",
            WORST,
            "The highest load (booked over available hours) of a person on the project in the next four weeks.",
        ),
    )
}


def aggregate(figures: Iterable[Mapping[str, float | None]]) -> dict[str, float | None]:
    """The figures of a group of projects (a programme, a portfolio) from theirs.

    A figure no project knows stays None; a project that does not know a figure is left out of
    that figure only. Indices are recomputed from the summed money, as EVM practice demands.
    """
    rows = list(figures)
    result: dict[str, float | None] = {}
    for metric in METRICS.values():
        if metric.aggregation == DERIVED:
            continue
        known = [(row[metric.name], row.get("bac") or 0.0) for row in rows if _known(row.get(metric.name))]
        if not known:
            result[metric.name] = None
        elif metric.aggregation == SUM:
            result[metric.name] = float(sum(value for value, _ in known))
        elif metric.aggregation == WORST:
            result[metric.name] = float(max(value for value, _ in known))
        elif metric.aggregation == LEAST:
            result[metric.name] = float(min(value for value, _ in known))
        else:  # WEIGHTED by BAC; equal weights when no project has a BAC
            weight = sum(bac for _, bac in known)
            if weight > 0:
                result[metric.name] = float(sum(value * bac for value, bac in known) / weight)
            else:
                result[metric.name] = float(sum(value for value, _ in known) / len(known))
    # Money figures that only make sense together: sum PV, EV, AC over the projects that know all
    # three, so that a project without actuals does not distort the indices.
    result.update(derive(result))
    return result


def derive(figures: Mapping[str, float | None]) -> dict[str, float | None]:
    """The indices and variances from BAC, PV, EV and AC (None where undefined)."""
    bac, pv, ev, ac = (figures.get(name) for name in ("bac", "pv", "ev", "ac"))
    spi = _ratio(ev, pv)
    cpi = _ratio(ev, ac)
    eac = _ratio(bac, cpi)
    eac_cpi_spi = None
    if None not in (ac, bac, ev, cpi, spi):
        remaining = _ratio(bac - ev, cpi * spi)
        eac_cpi_spi = None if remaining is None else ac + remaining
    return {
        "sv": None if None in (ev, pv) else ev - pv,
        "cv": None if None in (ev, ac) else ev - ac,
        "spi": spi,
        "cpi": cpi,
        "eac": eac,
        "eac_cpi_spi": eac_cpi_spi,
        "etc": None if None in (eac, ac) else eac - ac,
        "vac": None if None in (bac, eac) else bac - eac,
        "tcpi": _ratio(None if None in (bac, ev) else bac - ev, None if None in (bac, ac) else bac - ac),
        "percent_complete": _percent(ev, bac),
        "percent_planned": _percent(pv, bac),
        "percent_spent": _percent(ac, bac),
    }


def _known(value) -> bool:
    return value is not None and isfinite(value)


def _ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    ratio = numerator / denominator
    return ratio if isfinite(ratio) else None  # a tiny denominator: no meaningful index


def _percent(part, whole):
    ratio = _ratio(part, whole)
    return None if ratio is None else 100.0 * ratio
