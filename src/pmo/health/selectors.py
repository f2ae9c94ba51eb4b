"""Read-side queries of project health: the named figures of many projects, a project's health
(recorded, or judged now when nothing is recorded yet), its earned value series and charts, and
the portfolio S-curve summed in SQL."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum
from django.utils import timezone

from pmo.core.choices import Action
from pmo.core.permissions import grants_for
from pmo.health import adapters
from pmo.health.choices import Dimension, HealthStatus
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot
from pmo.portfolio.models import Project
from pmo_engine.health import DIMENSIONS, RULES, assess
from pmo_engine.metrics import METRICS

# The measures of the EVM table, in the order they are shown.
EVM_MEASURES = (
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "eac_cpi_spi",
    "eac_bottom_up",
    "etc",
    "vac",
    "tcpi",
    "es",
    "at",
    "sv_t",
    "spi_t",
    "ieac_t",
)


def project_figures(project_ids: Collection[int], *, as_of: date) -> dict[int, dict[str, float | None]]:
    """Every figure of METRICS for each project, at the end of ``as_of``'s week, with a constant
    number of queries (see :mod:`pmo.health.adapters`). No permission check: pass visible ids."""
    return adapters.compute_figures(project_ids, as_of)


def earned_value_inputs(project_ids: Collection[int], *, as_of: date) -> tuple[dict, dict[int, dict[date, float]]]:
    """The primary baseline of each project as weekly planned value (``adapters.BaselineCurve``),
    and the approved cost per project and week up to the end of ``as_of``'s week. Three queries."""
    curves, _ = adapters.baseline_curves(project_ids)
    return curves, adapters.actual_cost_by_week(project_ids, adapters.week_end(as_of))


def today() -> date:
    return timezone.localdate()


@dataclass
class ProjectHealth:
    """What the panel and the page show: a recorded check, or (``is_live``) one judged now."""

    project: Project
    period_end: date
    overall: str
    dimensions: list[tuple[str, str, str]]  # (dimension, label, status)
    findings: list[dict]
    is_live: bool
    checked_at: object = None

    @property
    def fired(self) -> list[dict]:
        return [finding for finding in self.findings if finding.get("status") in (HealthStatus.RED, HealthStatus.AMBER)]

    @property
    def not_assessed_reasons(self) -> dict[str, list[str]]:
        """Per dimension not assessed, why: the messages of its rules."""
        reasons = {}
        for dimension, _, status in self.dimensions:
            if status == HealthStatus.NOT_ASSESSED:
                reasons[dimension] = [f["message"] for f in self.findings if f.get("dimension") == dimension]
        return reasons


def _labelled(statuses: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(dimension, Dimension(dimension).label, statuses[dimension]) for dimension in DIMENSIONS]


def project_health(project: Project) -> ProjectHealth:
    """The project's latest recorded check, else a check judged now from its current figures
    (not stored). Two queries when recorded; about fifteen when judged now."""
    check = HealthCheck.objects.filter(project=project, is_latest=True).first()
    if check is not None:
        return ProjectHealth(
            project=project,
            period_end=check.period_end,
            overall=check.overall,
            dimensions=_labelled({dimension: check.status_of(dimension) for dimension in DIMENSIONS}),
            findings=check.findings,
            is_live=False,
            checked_at=check.checked_at,
        )
    as_of = today()
    figures = adapters.compute_figures([project.pk], as_of)[project.pk]
    assessment = assess(figures, adapters.current_rule_settings())
    return ProjectHealth(
        project=project,
        period_end=adapters.week_end(as_of),
        overall=assessment.overall,
        dimensions=_labelled(assessment.dimensions),
        findings=[finding.as_dict() for finding in assessment.findings],
        is_live=True,
    )


def check_history(project: Project, limit: int = 26) -> list[HealthCheck]:
    """The project's recorded checks, newest first. One query."""
    return list(HealthCheck.objects.filter(project=project).order_by("-period_end")[:limit])


def health_checks_visible_to(user) -> QuerySet[HealthCheck]:
    """The latest check of every project ``user`` may see, for the list page and the API."""
    return (
        HealthCheck.objects.visible_to(user, Action.VIEW)
        .filter(is_latest=True, project__is_archived=False)
        .select_related("project", "project__portfolio", "project__programme")
    )


def snapshots_visible_to(user) -> QuerySet[ProjectSnapshot]:
    return ProjectSnapshot.objects.visible_to(user, Action.VIEW).select_related("project")


def may_refresh(user, project: Project) -> bool:
    return Project.objects.visible_to(user, Action.CHANGE).filter(pk=project.pk).exists()


def may_tune_rules(user) -> bool:
    return grants_for(user).allows_everywhere(Action.CHANGE)


@dataclass
class RuleRow:
    code: str
    label: str
    dimension: str
    figure: str
    figure_label: str
    direction: str
    default_amber: float
    default_red: float
    amber: float
    red: float
    enabled: bool
    is_tuned: bool
    description: str


def rule_rows() -> list[RuleRow]:
    """Every rule with its defaults and the PMO's tuning. One query."""
    tuned = {setting.rule: setting for setting in HealthRuleSetting.objects.all()}
    rows = []
    for rule in RULES.values():
        setting = tuned.get(rule.code)
        rows.append(
            RuleRow(
                code=rule.code,
                label=rule.label,
                dimension=rule.dimension,
                figure=rule.figure,
                figure_label=METRICS[rule.figure].label,
                direction=rule.direction,
                default_amber=rule.amber,
                default_red=rule.red,
                amber=setting.amber if setting else rule.amber,
                red=setting.red if setting else rule.red,
                enabled=setting.enabled if setting else True,
                is_tuned=setting is not None,
                description=METRICS[rule.figure].description,
            )
        )
    return rows


# --- earned value series and charts ---------------------------------------------------------


def evm_series(project: Project, *, as_of: date | None = None) -> dict:
    """One project's earned value over time: the weekly period ends of the whole primary baseline
    with its cumulative PV, the EV and AC recorded in its snapshots plus the current figures, and
    every measure now. ``has_baseline`` is False (and the lists empty) without a primary baseline.
    About fifteen queries."""
    as_of = as_of or today()
    curves, _ = adapters.baseline_curves([project.pk])
    figures = adapters.compute_figures([project.pk], as_of)[project.pk]
    measures = [
        {
            "name": name,
            "label": METRICS[name].label,
            "unit": METRICS[name].unit,
            "value": figures.get(name),
            "description": METRICS[name].description,
        }
        for name in EVM_MEASURES
    ]
    curve = curves.get(project.pk)
    if curve is None or curve.origin is None:
        return {
            "has_baseline": curve is not None,
            "period_ends": [],
            "pv": [],
            "history": [],
            "measures": measures,
            "figures": figures,
        }
    current_end = adapters.week_end(as_of)
    periods = max(curve.weeks, curve.period_of(as_of))
    period_ends = [curve.period_end(k) for k in range(1, periods + 1)]
    history = {
        row["period_end"]: row
        for row in ProjectSnapshot.objects.filter(project=project, period_end__lte=current_end)
        .order_by("period_end")
        .values("period_end", "pv", "ev", "ac", "spi", "cpi")
    }
    history[current_end] = {
        "period_end": current_end,
        **{name: figures.get(name) for name in ("pv", "ev", "ac", "spi", "cpi")},
    }
    return {
        "has_baseline": True,
        "period_ends": period_ends,
        "pv": [curve.pv_at(k) for k in range(1, periods + 1)],
        "history": [history[key] for key in sorted(history)],
        "measures": measures,
        "figures": figures,
    }


def portfolio_series(projects: QuerySet[Project]) -> dict:
    """PV, EV and AC of ``projects`` summed by period end from their snapshots, in ONE query:
    the programme's or portfolio's S-curve."""
    rows = (
        ProjectSnapshot.objects.filter(project__in=projects.values("pk"))
        .values("period_end")
        .annotate(pv=Sum("pv"), ev=Sum("ev"), ac=Sum("ac"))
        .order_by("period_end")
    )
    series = {"period_ends": [], "pv": [], "ev": [], "ac": []}
    for row in rows:
        series["period_ends"].append(row["period_end"])
        for name in ("pv", "ev", "ac"):
            series[name].append(row[name])
    return series


def _line(name: str, x: list, y: list, colour: str, dash: str = "solid") -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers" if len(x) < 40 else "lines",
        "name": name,
        "x": [f"{day:%Y-%m-%d}" for day in x],
        "y": [None if value is None else round(float(value), 2) for value in y],
        "line": {"color": colour, "dash": dash},
    }


def s_curve_figure(series: dict, title: str = "Planned value, earned value and actual cost") -> dict:
    """A plotly figure (plain dict) of PV over the baseline and the EV and AC recorded."""
    history = series.get("history", [])
    data = [
        _line("PV (planned value)", series["period_ends"], series["pv"], "#1f77b4", "dot"),
        _line("EV (earned value)", [row["period_end"] for row in history], [row["ev"] for row in history], "#2ca02c"),
        _line("AC (actual cost)", [row["period_end"] for row in history], [row["ac"] for row in history], "#d62728"),
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": title},
            "xaxis": {"title": {"text": "Week ending"}},
            "yaxis": {"title": {"text": "Cumulative cost"}, "rangemode": "tozero"},
            "legend": {"orientation": "h"},
            "margin": {"t": 40, "r": 10},
        },
    }


def indices_figure(series: dict) -> dict:
    """SPI and CPI per recorded period, with the 1.0 line."""
    history = [row for row in series.get("history", []) if row.get("spi") is not None or row.get("cpi") is not None]
    x = [row["period_end"] for row in history]
    data = [
        _line("SPI", x, [row.get("spi") for row in history], "#1f77b4"),
        _line("CPI", x, [row.get("cpi") for row in history], "#ff7f0e"),
    ]
    shapes = []
    if x:
        shapes.append(
            {
                "type": "line",
                "x0": f"{x[0]:%Y-%m-%d}",
                "x1": f"{x[-1]:%Y-%m-%d}",
                "y0": 1,
                "y1": 1,
                "line": {"color": "#888", "dash": "dash"},
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {"text": "SPI and CPI over time"},
            "yaxis": {"title": {"text": "Index"}},
            "shapes": shapes,
            "legend": {"orientation": "h"},
            "margin": {"t": 40, "r": 10},
        },
    }


def portfolio_s_curve_figure(series: dict, title: str = "Planned value, earned value and actual cost") -> dict:
    """The portfolio S-curve (:func:`portfolio_series`) as a plotly figure."""
    x = series["period_ends"]
    return {
        "data": [
            _line("PV", x, series["pv"], "#1f77b4", "dot"),
            _line("EV", x, series["ev"], "#2ca02c"),
            _line("AC", x, series["ac"], "#d62728"),
        ],
        "layout": {
            "title": {"text": title},
            "yaxis": {"title": {"text": "Cumulative cost"}, "rangemode": "tozero"},
            "legend": {"orientation": "h"},
            "margin": {"t": 40, "r": 10},
        },
    }
