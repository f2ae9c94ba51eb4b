"""Reads of the KPI app: a target's KPIs with their latest values and trend, a KPI's targets, and
the trend charts (plain plotly figures). Every read goes through ``visible_to``; each function
costs a fixed number of queries whatever the number of rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from pmo.core.choices import Action
from pmo.core.errors import NotFound
from pmo.kpis.choices import Direction, Frequency, KPILevel
from pmo.kpis.models import KPI, Measurement
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo_engine import kpi as engine
from pmo_engine.metrics import METRICS

TARGET_MODELS = {KPILevel.PROJECT: Project, KPILevel.PROGRAMME: Programme, KPILevel.PORTFOLIO: Portfolio}
TREND_WEEKS = 26
STATUS_ORDER = {"red": 0, "amber": 1, "green": 2, "not_assessed": 3}
# How far back a KPI's page looks for each target's latest value.
LATEST_WEEKS = {Frequency.WEEKLY: 6, Frequency.MONTHLY: 10}


def visible_target(user, level: str, pk: int):
    """The project, programme or portfolio ``pk`` if ``user`` may see it; else ``NotFound``."""
    model = TARGET_MODELS.get(level)
    if model is None:
        raise NotFound(f"No level {level!r}: choose project, programme or portfolio.")
    target = model.objects.visible_to(user, Action.VIEW).filter(pk=pk).first()
    if target is None:
        raise NotFound(f"No {model._meta.verbose_name} with id {pk} is visible to you.")
    return target


def kpis_for_target(user, target):
    """The active KPIs, visible to ``user``, that measure ``target``."""
    level = target._meta.model_name
    own = Q(project__isnull=True, programme__isnull=True, portfolio__isnull=True) | Q(**{level: target})
    return KPI.objects.visible_to(user, Action.VIEW).filter(own, level=level, is_active=True).order_by("code")


def figure_help() -> list[dict]:
    """The named figures a formula may read, with their meaning, for the formula help."""
    return [
        {"name": metric.name, "label": metric.label, "unit": metric.unit, "description": metric.description}
        for metric in METRICS.values()
    ]


def function_help() -> list[str]:
    return [usage for _, _, usage in engine.FUNCTIONS.values()]


@dataclass
class TargetKPI:
    """One KPI on a target's panel: its latest value, status, trend arrow and flags."""

    kpi: KPI
    points: list[Measurement] = field(default_factory=list)

    @property
    def latest(self) -> Measurement | None:
        return self.points[-1] if self.points else None

    @property
    def trend(self) -> str:
        """'up', 'down' or 'flat' over the recent points."""
        if len(self.points) < 2:
            return "flat"
        return engine.analyse([p.value for p in self.points], direction=self.kpi.direction).direction_of_travel

    @property
    def trend_is_good(self) -> bool | None:
        trend = self.trend
        if trend == "flat":
            return None
        return (trend == "up") == (self.kpi.direction == Direction.HIGHER)

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓"}.get(self.trend, "→")


def target_panel(user, target) -> list[TargetKPI]:
    """The KPIs of ``target`` with their recent measurements (two queries)."""
    kpis = list(kpis_for_target(user, target))
    level = target._meta.model_name
    rows = {kpi.pk: TargetKPI(kpi) for kpi in kpis}
    if not rows:
        return []
    measured = Measurement.objects.filter(kpi__in=kpis, **{level: target})
    recent = measured.filter(period_end__gte=_since(measured, TREND_WEEKS)).order_by("period_end")
    for measurement in recent:
        rows[measurement.kpi_id].points.append(measurement)
    return sorted(rows.values(), key=lambda row: (STATUS_ORDER[row.latest.status] if row.latest else 9, row.kpi.code))


def _since(measurements, weeks: int) -> date:
    """``weeks`` before the latest period of ``measurements`` (the start of time when none)."""
    latest = measurements.order_by("-period_end").values_list("period_end", flat=True).first()
    return latest - timedelta(weeks=weeks) if latest else date.min


@dataclass
class KPITarget:
    target: object
    level: str
    points: list[Measurement] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.level}-{self.target.pk}"

    @property
    def latest(self) -> Measurement:
        return self.points[-1]


def kpi_targets(user, kpi: KPI) -> list[KPITarget]:
    """The targets of ``kpi`` the user may see with their recent measurements (the last few
    periods: enough for the latest value of each), the worst status first (two queries)."""
    weeks = LATEST_WEEKS[kpi.frequency]
    rows = (
        Measurement.objects.visible_to(user, Action.VIEW)
        .filter(kpi=kpi, period_end__gte=_since(Measurement.objects.filter(kpi=kpi), weeks))
        .select_related("project", "programme", "portfolio")
        .order_by("period_end")
    )
    targets: dict[tuple, KPITarget] = {}
    for row in rows:
        key = (row.level, row.target_id)
        if key not in targets:
            targets[key] = KPITarget(row.target, row.level)
        targets[key].points.append(row)
    return sorted(targets.values(), key=lambda t: (STATUS_ORDER[t.latest.status], t.target.code))


def load_series(user, kpi: KPI, targets: list[KPITarget]) -> None:
    """Replace the points of ``targets`` with their last half year of measurements (one query)."""
    if not targets:
        return
    wanted = Q(pk__in=[])
    for target in targets:
        wanted |= Q(**{f"{target.level}_id": target.target.pk})
    rows = (
        Measurement.objects.visible_to(user, Action.VIEW)
        .filter(wanted, kpi=kpi, period_end__gte=_since(Measurement.objects.filter(kpi=kpi), TREND_WEEKS))
        .order_by("period_end")
    )
    series: dict[tuple, list] = defaultdict(list)
    for row in rows:
        series[(row.level, row.target_id)].append(row)
    for target in targets:
        target.points = series.get((target.level, target.target.pk), target.points)


def trend_figure(kpi: KPI, points: list[Measurement], *, title: str = "") -> dict:
    """A plotly figure of a target's measurements: the values, the target line, the XmR centre
    line and natural process limits, and the points where patterns were flagged."""
    x = [point.period_end.isoformat() for point in points]
    y = [point.value for point in points]
    data: list[dict] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": kpi.code,
            "x": x,
            "y": y,
            "line": {"color": "#1f4e79", "width": 2},
            "hovertemplate": "%{x}: %{y:.3g}<extra></extra>",
        }
    ]
    if x:
        ends = [x[0], x[-1]]
        data.append(_line("Target", ends, kpi.target, "#2e7d32", "dash"))
        limits = engine.control_limits(y)
        if limits is not None:
            data.append(_line("Centre line", ends, limits.centre, "#888888", "dot"))
            data.append(_line("Upper limit", ends, limits.upper, "#b0b0b0", "dashdot"))
            data.append(_line("Lower limit", ends, limits.lower, "#b0b0b0", "dashdot"))
        flagged = [point for point in points if point.flags]
        if flagged:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "Flagged",
                    "x": [point.period_end.isoformat() for point in flagged],
                    "y": [point.value for point in flagged],
                    "text": ["<br>".join(flag["message"] for flag in point.flags) for point in flagged],
                    "marker": {"color": "#c62828", "size": 12, "symbol": "circle-open", "line": {"width": 2}},
                    "hovertemplate": "%{x}<br>%{text}<extra></extra>",
                }
            )
    return {
        "data": data,
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "margin": {"l": 50, "r": 10, "t": 36 if title else 10, "b": 40},
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": kpi.unit}},
            "legend": {"orientation": "h", "y": -0.2},
            "hovermode": "closest",
        },
    }


def _line(name: str, ends: list[str], value: float, color: str, dash: str) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": ends,
        "y": [value, value],
        "line": {"color": color, "dash": dash, "width": 1},
        "hoverinfo": "name+y",
    }
