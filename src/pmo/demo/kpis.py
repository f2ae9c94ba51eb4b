"""KPIs for the demo: the PMO's standard set at project, programme and portfolio level, half a
year of weekly measurements computed from the projects' snapshots (so patterns and
recommendations appear where the figures drift), a few values corrected by hand, and some of the
recommendations accepted into actions or dismissed.

The measurements come from the service the weekly task runs (the figures, patterns and
recommendations are the real ones); the KPIs, corrections, actions and decisions are saved in
bulk, as the other demo steps do: the demo's one audit event covers them.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pmo.demo.context import DemoContext
from pmo.demo.logins import ADMINISTRATOR_USERNAME
from pmo.governance.models import ActionItem
from pmo.kpis import services as kpi_services
from pmo.kpis.choices import Direction, Frequency, KPILevel, MeasurementSource, RecommendationStatus
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo_engine import kpi as engine
from pmo_engine.metrics import METRICS

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
    kpi_services.measure_periods(periods=periods, audited=False)
    admin = get_user_model().objects.get(username=ADMINISTRATOR_USERNAME)
    _correct_by_hand(ctx, admin, periods)
    _decide(ctx, admin)
    ctx.counts[Measurement._meta.label] = Measurement.objects.count()
    ctx.counts[Recommendation._meta.label] = Recommendation.objects.count()


def _correct_by_hand(ctx: DemoContext, admin, periods) -> None:
    """A few of the latest CPIs corrected after the finance close, the login project's first."""
    rng = ctx.random("kpis.corrections")
    cpi = KPI.objects.get(code="CPI")
    latest = periods[-1]
    if latest > ctx.today and len(periods) > 1:
        latest = periods[-2]
    measured = list(Measurement.objects.filter(kpi=cpi, period_end=latest).order_by("project__code"))
    if not measured:
        return
    first = [m for m in measured if ctx.login_project is not None and m.project_id == ctx.login_project.pk]
    others = [m for m in measured if m not in first]
    chosen = (first + rng.sample(others, min(CORRECTIONS, len(others))))[:CORRECTIONS]
    for measurement in chosen:
        measurement.value = round(measurement.value * rng.uniform(0.96, 1.02), 3)
        measurement.status = engine.rag(
            measurement.value, target=cpi.target, amber=cpi.amber, red=cpi.red, direction=cpi.direction
        )
        measurement.source = MeasurementSource.MANUAL
        measurement.note = "Corrected after the month's finance close: a supplier invoice was booked a week late."
        measurement.recorded_by = admin
    Measurement.objects.bulk_update(chosen, ["value", "status", "source", "note", "recorded_by"])
    # The patterns at the corrected points, on the corrected values (no recommendations: the run
    # before made them on the same data, give or take the few per cent corrected).
    formula = engine.parse(cpi.formula, METRICS)
    changed, _ = kpi_services.find_patterns(
        {cpi.pk: cpi}, [latest], {cpi.pk: formula}, targets=[("project", m.project_id) for m in chosen]
    )
    Measurement.objects.bulk_update(changed, ["flags"])


def _decide(ctx: DemoContext, admin) -> None:
    """Accept some recommendations into actions on their registers and dismiss a few, the login
    project's first."""
    rng = ctx.random("kpis.decisions")
    proposals = list(
        Recommendation.objects.filter(status=RecommendationStatus.PROPOSED)
        .select_related("kpi", "kpi__owner", "project", "programme", "portfolio")
        .order_by("since", "pk")
    )
    login_project = ctx.login_project.pk if ctx.login_project is not None else None
    proposals.sort(key=lambda r: (r.project_id != login_project, r.since, r.pk))
    decided_at = timezone.make_aware(datetime.combine(ctx.today, time(9, 0)))
    source_type = ContentType.objects.get_for_model(Recommendation)
    accepted, dismissed = [], []
    for recommendation in proposals:
        if len(accepted) + len(dismissed) >= MOST_DECISIONS:
            break
        draw = rng.random()
        if draw < ACCEPTED_SHARE:
            accepted.append(recommendation)
        elif draw < ACCEPTED_SHARE + DISMISSED_SHARE:
            recommendation.status = RecommendationStatus.DISMISSED
            recommendation.decision_reason = rng.choice(DISMISS_REASONS)
            dismissed.append(recommendation)
    actions = ctx.save_all(
        ActionItem,
        [
            ActionItem(
                project=r.project,
                programme=r.programme,
                portfolio=r.portfolio,
                owner=r.kpi.owner,
                due_on=ctx.today + timedelta(days=rng.choice((7, 14, 21))),
                created_by=admin,
                source_type=source_type,
                source_id=r.pk,
                **kpi_services.action_text(r),
            )
            for r in accepted
        ],
    )
    for recommendation, action in zip(accepted, actions, strict=True):
        recommendation.status = RecommendationStatus.ACCEPTED
        recommendation.action = action
        recommendation.decision_reason = "Agreed at the PMO's weekly review"
    for recommendation in [*accepted, *dismissed]:
        recommendation.decided_by = admin
        recommendation.decided_at = decided_at
    Recommendation.objects.bulk_update(
        [*accepted, *dismissed], ["status", "action", "decided_by", "decided_at", "decision_reason"]
    )
