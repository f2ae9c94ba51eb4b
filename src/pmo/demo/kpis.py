"""KPIs for the demo: the PMO's standard set at project, programme and portfolio level, half a
year of weekly measurements computed from the projects' snapshots (so patterns and
recommendations appear where the figures drift), a few values corrected by hand, and some of the
recommendations accepted into actions or dismissed.

The KPIs are saved in bulk, as the other demo steps do; the measurements come from the same
service the weekly task runs, and the corrections and decisions from the services people use (so
they are audited as they would be).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from pmo.demo.context import DemoContext
from pmo.demo.logins import ADMINISTRATOR_USERNAME
from pmo.kpis import services as kpi_services
from pmo.kpis.choices import Direction, Frequency, KPILevel, RecommendationStatus
from pmo.kpis.models import KPI, Measurement, Recommendation

HISTORY_WEEKS = 26
# (code, name, level, formula, unit, target, amber, red, direction, frequency, description)
STANDARD_KPIS = (
    ("SPI", "Schedule performance index", KPILevel.PROJECT, "spi", "ratio", 1.0, 0.95, 0.9, Direction.HIGHER,
     Frequency.WEEKLY, "Earned value over planned value: below 1 the work is behind the baseline."),
    ("CPI", "Cost performance index", KPILevel.PROJECT, "cpi", "ratio", 1.0, 0.95, 0.9, Direction.HIGHER,
     Frequency.WEEKLY, "Earned value over actual cost: below 1 the work costs more than budgeted."),
    ("MS-ON-TIME", "Milestones on time", KPILevel.PROJECT, "100 - percent(milestones_late, milestones_due)", "%",
     100.0, 90.0, 75.0, Direction.HIGHER, Frequency.WEEKLY,
     "Share of the milestones due that were met on their baseline date."),
    ("SPENT-VS-DONE", "Spent ahead of done", KPILevel.PROJECT, "percent_spent - percent_complete", "points",
     0.0, 5.0, 10.0, Direction.LOWER, Frequency.WEEKLY,
     "Percentage points of budget spent beyond the work completed."),
    ("TCPI", "To-complete performance index", KPILevel.PROJECT, "tcpi", "ratio", 1.0, 1.05, 1.1,
     Direction.LOWER, Frequency.WEEKLY, "The cost efficiency the rest of the work needs to finish on budget."),
    ("OVERDUE-ACTIONS", "Overdue actions", KPILevel.PROJECT, "overdue_actions", "count", 0.0, 2.0, 5.0,
     Direction.LOWER, Frequency.WEEKLY, "Open actions past their due date."),
    ("RISK-EXPOSURE", "Risk exposure", KPILevel.PROJECT, "risk_exposure", "score", 30.0, 50.0, 80.0,
     Direction.LOWER, Frequency.WEEKLY, "Sum of the open risks' residual scores."),
    ("FINISH-SLIP", "Forecast finish slip", KPILevel.PROJECT, "max(finish_slip_days, 0)", "days", 0.0, 10.0,
     30.0, Direction.LOWER, Frequency.MONTHLY, "Calendar days the forecast finish is past the baseline finish."),
    ("PGM-SPI", "Programme schedule performance", KPILevel.PROGRAMME, "spi", "ratio", 1.0, 0.95, 0.9,
     Direction.HIGHER, Frequency.WEEKLY, "The programme's earned value over its planned value."),
    ("PF-SPI", "Portfolio schedule performance", KPILevel.PORTFOLIO, "spi", "ratio", 1.0, 0.95, 0.9,
     Direction.HIGHER, Frequency.WEEKLY, "The portfolio's earned value over its planned value."),
    ("PF-CPI", "Portfolio cost performance", KPILevel.PORTFOLIO, "cpi", "ratio", 1.0, 0.95, 0.9,
     Direction.HIGHER, Frequency.WEEKLY, "The portfolio's earned value over its actual cost."),
    ("PF-SPENT-VS-DONE", "Portfolio spent ahead of done", KPILevel.PORTFOLIO, "percent_spent - percent_complete",
     "points", 0.0, 3.0, 8.0, Direction.LOWER, Frequency.WEEKLY,
     "Percentage points of the portfolio's budget spent beyond the work completed."),
)  # fmt: skip
CORRECTIONS = 3
ACCEPTED_SHARE = 0.35
DISMISSED_SHARE = 0.15
MOST_DECISIONS = 24
DISMISS_REASONS = (
    "A one-off: the supplier's quarterly invoice was booked in one week.",
    "Known and already in hand through the recovery plan agreed at the last board.",
    "The baseline is being re-planned through an approved change; the figure will reset.",
)


def make_kpis(ctx: DemoContext) -> None:
    owner = (ctx.posts.get("pmo_analyst") or ctx.posts.get("pmo_head") or [None])[0]
    ctx.save_all(
        KPI,
        [
            KPI(
                code=code,
                name=name,
                level=level,
                formula=formula,
                unit=unit,
                target=target,
                amber=amber,
                red=red,
                direction=direction,
                frequency=frequency,
                description=description,
                owner=owner,
            )
            for code, name, level, formula, unit, target, amber, red, direction, frequency, description in (
                STANDARD_KPIS
            )
        ],
    )
    periods = kpi_services.snapshot_periods(weeks=HISTORY_WEEKS, until=ctx.today + timedelta(days=6))
    if not periods:
        return
    kpi_services.measure_periods(periods=periods)
    ctx.counts[Measurement._meta.label] = Measurement.objects.count()
    admin = get_user_model().objects.get(username=ADMINISTRATOR_USERNAME)
    _correct_by_hand(ctx, admin, periods)
    _decide(ctx, admin)
    ctx.counts[Recommendation._meta.label] = Recommendation.objects.count()


def _correct_by_hand(ctx: DemoContext, admin, periods) -> None:
    """A few of the latest CPIs corrected after the finance close, the login project's first."""
    rng = ctx.random("kpis.corrections")
    cpi = KPI.objects.get(code="CPI")
    latest = periods[-1]
    if latest > ctx.today:
        latest = periods[-2] if len(periods) > 1 else latest
    measured = list(
        Measurement.objects.filter(kpi=cpi, period_end=latest).select_related("project").order_by("project__code")
    )
    if not measured:
        return
    first = [m for m in measured if ctx.login_project is not None and m.project_id == ctx.login_project.pk]
    chosen = first + rng.sample([m for m in measured if m not in first], min(CORRECTIONS, len(measured) - len(first)))
    for measurement in chosen[:CORRECTIONS]:
        kpi_services.record_measurement(
            actor=admin,
            kpi=cpi,
            project=measurement.project,
            period_end=latest,
            value=round(measurement.value * rng.uniform(0.96, 1.02), 3),
            note="Corrected after the month's finance close: a supplier invoice was booked a week late.",
            reason="Finance close",
        )


def _decide(ctx: DemoContext, admin) -> None:
    """Accept some recommendations into actions and dismiss a few, the login project's first."""
    rng = ctx.random("kpis.decisions")
    proposals = list(
        Recommendation.objects.filter(status=RecommendationStatus.PROPOSED)
        .select_related("kpi", "kpi__owner", "project", "programme", "portfolio")
        .order_by("since", "pk")
    )
    login_project = ctx.login_project.pk if ctx.login_project is not None else None
    proposals.sort(key=lambda r: (r.project_id != login_project, r.since, r.pk))
    decisions = 0
    for recommendation in proposals:
        if decisions >= MOST_DECISIONS:
            break
        draw = rng.random()
        if draw < ACCEPTED_SHARE:
            kpi_services.accept_recommendation(
                actor=admin,
                recommendation=recommendation,
                due_on=ctx.today + timedelta(days=rng.choice((7, 14, 21))),
                reason="Agreed at the PMO's weekly review",
            )
        elif draw < ACCEPTED_SHARE + DISMISSED_SHARE:
            kpi_services.dismiss_recommendation(
                actor=admin, recommendation=recommendation, reason=rng.choice(DISMISS_REASONS)
            )
        else:
            continue
        decisions += 1
