"""Reads of governance: registers as a user sees them, the heat map, the exposure trend, a
person's actions."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from pmo.core.choices import Action
from pmo.governance.choices import EscalationState, RiskStatus
from pmo.governance.models import RAID_MODELS, ActionItem, Decision, Escalation, ExposureSnapshot, Risk, RiskScale
from pmo.portfolio.models import Portfolio, Programme, Project

TARGET_MODELS = {"project": Project, "programme": Programme, "portfolio": Portfolio}
ENTRY_RELATIONS = {
    "risk": ("owner", "project", "programme", "portfolio"),
    "assumption": ("owner", "project", "programme", "portfolio"),
    "issue": ("owner", "project", "programme", "portfolio", "risk"),
    "dependency": (
        "owner",
        "project",
        "programme",
        "portfolio",
        "project_dependency__dependent",
        "project_dependency__provider",
    ),
}


def register_entries(user, target, kind: str):
    """The ``kind`` entries (risk, assumption, issue, dependency, decision) on ``target``'s
    register that ``user`` may see, with what the register's table shows."""
    if kind == "decision":
        return (
            Decision.objects.visible_to(user, Action.VIEW)
            .on_register(target)
            .select_related("decided_by", "project", "programme", "portfolio")
        )
    model = RAID_MODELS[kind]
    queryset = model.objects.visible_to(user, Action.VIEW).shown_on(target).select_related(*ENTRY_RELATIONS[kind])
    if hasattr(model, "escalations"):
        queryset = queryset.annotate(
            active_escalations=Count("escalations", filter=Q(escalations__state=EscalationState.ACTIVE))
        ).order_by(*model._meta.ordering)  # the model's ordering is dropped by the grouping
    return queryset


def register_counts(user, target) -> dict[str, int]:
    counts = {kind: register_entries(user, target, kind).count() for kind in (*RAID_MODELS, "decision")}
    counts["action"] = register_actions(user, target).count()
    return counts


def register_actions(user, target):
    return (
        ActionItem.objects.visible_to(user, Action.VIEW)
        .on_register(target)
        .select_related("owner", "project", "programme", "portfolio", "source_type")
        .prefetch_related("source")
    )


def escalation_history(user, entry):
    return (
        Escalation.objects.visible_to(user, Action.VIEW)
        .filter(**{entry.kind: entry})
        .select_related("programme", "portfolio", "escalated_by", "withdrawn_by")
    )


def my_actions(user, *, include_closed: bool = False):
    """The user's own actions (they own them through their person), across every register,
    overdue first then by due date."""
    queryset = (
        ActionItem.objects.filter(owner__user_id=user.pk)
        .select_related("owner", "project", "programme", "portfolio", "source_type")
        .prefetch_related("source")
    )
    if not include_closed:
        queryset = queryset.open()
    return queryset.order_by("status", "due_on", "id")


# --- heat map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    score: int
    band: str
    count: int


@dataclass(frozen=True)
class HeatMap:
    """Rows from the highest probability down; columns from the lowest impact up."""

    is_residual: bool
    levels: int
    rows: list[tuple[str, list[HeatCell]]]
    impact_labels: list[str]
    total: int


def heat_map(risks, *, scale: RiskScale | None = None, is_residual: bool = False) -> HeatMap:
    """Count open risks per (probability, impact) cell, inherent or residual (risks without a
    residual assessment are left out of the residual map)."""
    scale = scale or RiskScale.current()
    fields = ("residual_probability", "residual_impact") if is_residual else ("probability", "impact")
    counted = (
        risks.filter(status=RiskStatus.OPEN, **{f"{fields[0]}__isnull": False})
        .order_by()
        .values_list(*fields)
        .annotate(n=Count("id", distinct=True))
    )
    counts = {(p, i): n for p, i, n in counted}
    levels = scale.levels
    rows = []
    for probability in range(levels, 0, -1):
        cells = [
            HeatCell(
                probability=probability,
                impact=impact,
                score=probability * impact,
                band=scale.band(probability * impact),
                count=counts.get((probability, impact), 0),
            )
            for impact in range(1, levels + 1)
        ]
        rows.append((scale.label("probability", probability), cells))
    return HeatMap(
        is_residual=is_residual,
        levels=levels,
        rows=rows,
        impact_labels=[scale.label("impact", impact) for impact in range(1, levels + 1)],
        total=sum(counts.values()),
    )


# --- exposure trend ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """The exposure over time as SVG coordinates (the page draws them; no script)."""

    points: list[ExposureSnapshot]
    width: int
    height: int
    exposure_line: str
    residual_line: str
    maximum: int
    first: date | None
    last: date | None
    ticks: list[tuple[float, str]]
    dots: list[tuple[str, str]] = ()  # (x, y) of each recorded exposure, drawn when there are few


def exposure_trend(user, target, *, days: int = 183, today: date | None = None, width: int = 640, height: int = 180):
    """``target``'s recorded exposure over the last ``days`` days, scaled into a ``width`` x
    ``height`` drawing (the last recorded value carries over days without a record)."""
    queryset = ExposureSnapshot.objects.visible_to(user, Action.VIEW).on_register(target)
    if today is not None:
        queryset = queryset.filter(taken_on__lte=today, taken_on__gte=today - timedelta(days=days))
    else:
        last = queryset.order_by("-taken_on").values_list("taken_on", flat=True).first()
        if last is not None:
            queryset = queryset.filter(taken_on__gte=last - timedelta(days=days))
    points = list(queryset.order_by("taken_on"))
    if not points:
        return Trend([], width, height, "", "", 0, None, None, [], [])
    first, last = points[0].taken_on, points[-1].taken_on
    span = max((last - first).days, 1)
    maximum = max([1, *(point.exposure for point in points)])
    margin = 4

    def xy(point: ExposureSnapshot, value: int) -> str:
        x = margin + (width - 2 * margin) * (point.taken_on - first).days / span
        y = height - margin - (height - 2 * margin) * value / maximum
        return f"{x:.1f},{y:.1f}"

    ticks = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            ticks.append((margin + (width - 2 * margin) * (month - first).days / span, f"{month:%b %Y}"))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    exposure_xy = [xy(point, point.exposure) for point in points]
    return Trend(
        points=points,
        width=width,
        height=height,
        exposure_line=" ".join(exposure_xy),
        residual_line=" ".join(xy(point, point.residual_exposure) for point in points),
        maximum=maximum,
        first=first,
        last=last,
        ticks=ticks,
        dots=[tuple(pair.split(",")) for pair in exposure_xy] if len(points) <= 40 else [],
    )


def risks_for_heat_map(user, target):
    return Risk.objects.visible_to(user, Action.VIEW).shown_on(target)
