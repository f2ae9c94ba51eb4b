"""The figures of the management dashboards, read in a fixed number of queries.

Every widget reads the same selection of projects: a queryset of ``Project`` that the caller got
from ``visible_projects(user)`` and filtered (portfolio, programme, objective, stage, manager).
Each widget aggregates in SQL over that selection (a subquery of its ids), so that the number of
queries does not depend on the number of projects, and each read goes through the model's
``visible_to`` as well: a project outside the user's scope never contributes to a figure.

The answer is plain data (numbers, strings, ISO dates) shared by the pages and the API.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, FilteredRelation, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from pmo.core.choices import Action
from pmo.governance.choices import RiskStatus
from pmo.governance.models import Risk, RiskScale
from pmo.health.choices import Dimension, HealthStatus
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.health.selectors import evm_series
from pmo.planning.models import Activity, BaselineActivity
from pmo.portfolio.choices import RAG, LifecycleStage
from pmo.portfolio.models import Project, ProjectObjective
from pmo_engine.metrics import aggregate

# Projects still under way: the dashboards leave out closed and cancelled ones unless a stage
# filter asks for them.
LIVE_STAGES = tuple(
    stage for stage in LifecycleStage.values if stage not in (LifecycleStage.CLOSED, LifecycleStage.CANCELLED)
)
MILESTONE_WINDOW_DAYS = 90
S_CURVE_WEEKS = 52
MILESTONES_SHOWN = 15
RISKS_SHOWN = 10
# The worst load of a person on a project in the next four weeks (booked over available hours, in %).
LOAD_BANDS = (
    ("under_80", "Under 80 %", None, 80.0),
    ("80_100", "80 to 100 %", 80.0, 100.0),
    ("100_120", "100 to 120 %", 100.0, 120.0),
    ("over_120", "Over 120 %", 120.0, None),
)
HEALTH_STATUSES = (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED)
EVM_FIGURES = ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi", "percent_complete")


def visible_projects(user):
    """The projects ``user`` may see, not archived: the base of every dashboard's selection."""
    return Project.objects.visible_to(user, Action.VIEW).filter(is_archived=False)


def live_only(projects):
    """Leave out closed and cancelled projects (the default when no stage is asked for)."""
    return projects.filter(stage__in=LIVE_STAGES)


def with_health(projects, dimension: str, status: str):
    """The projects whose latest health check gives ``status`` to ``dimension`` (or overall); a
    project without a health check yet counts as not assessed, as on the dashboards."""
    checked = HealthCheck.objects.filter(is_latest=True).values("project_id")
    if status == HealthStatus.NOT_ASSESSED:
        return projects.filter(Q(pk__in=checked.filter(**{dimension: status})) | ~Q(pk__in=checked))
    return projects.filter(pk__in=checked.filter(**{dimension: status}))


def _number(value) -> float | None:
    return None if value is None else float(value)


def _rounded(value, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


# --- RAG and health -------------------------------------------------------------------------


def rag_distribution(user, projects) -> dict:
    """Latest overall health per status, beside the managers' own RAG. Two queries."""
    ids = projects.values("id")
    managers = projects.order_by().aggregate(
        total=Count("id"), **{rag: Count("id", filter=Q(rag=rag)) for rag in RAG.values}
    )
    checks = (
        HealthCheck.objects.visible_to(user, Action.VIEW)
        .filter(is_latest=True, project__in=ids)
        .order_by()
        .aggregate(
            checked=Count("id"),
            **{f"overall_{s}": Count("id", filter=Q(overall=s)) for s in HEALTH_STATUSES},
            **{
                f"{dimension}_{s}": Count("id", filter=Q(**{dimension: s}))
                for dimension in Dimension.values
                for s in HEALTH_STATUSES
            },
        )
    )
    total = managers.pop("total")
    unchecked = total - checks["checked"]
    health = {s: checks[f"overall_{s}"] for s in HEALTH_STATUSES}
    # A project without a health check yet is not assessed.
    health[HealthStatus.NOT_ASSESSED] += unchecked
    dimensions = []
    for dimension in Dimension:
        counts = {s: checks[f"{dimension.value}_{s}"] for s in HEALTH_STATUSES}
        counts[HealthStatus.NOT_ASSESSED] += unchecked
        dimensions.append({"dimension": dimension.value, "label": dimension.label, **counts})
    return {
        "projects": total,
        "health": health,
        "manager_rag": {rag: managers[rag] for rag in RAG.values},
        "dimensions": dimensions,
    }


# --- per-project figures: EVM, value, risk, cost, capacity ------------------------------------


# The figures the dashboards read from each latest snapshot: the earned value core (columns) and a
# few named figures picked out of its ``figures`` in SQL, so that a thousand projects do not mean
# a thousand documents to decode.
SNAPSHOT_COLUMNS = ("bac", "pv", "ev", "ac", "spi", "cpi")
SNAPSHOT_FIGURES = ("risk_exposure", "overloaded_people", "overload_pct")
HEALTH_LABELS = dict(HealthStatus.choices)


def _project_url(pk: int) -> str:
    return reverse("portfolio:project_detail", args=[pk])


def project_rows(user, projects) -> list[dict]:
    """One row per project of the selection with its latest snapshot's figures and latest health
    (None where not recorded yet), and its strategic value. Two queries."""
    rows = list(
        projects.annotate(
            latest=FilteredRelation("snapshots", condition=Q(snapshots__is_latest=True)),
            check=FilteredRelation("health_checks", condition=Q(health_checks__is_latest=True)),
            **{f"figure_{name}": F(f"latest__{name}") for name in SNAPSHOT_COLUMNS},
            **{
                f"figure_{name}": Cast(KeyTextTransform(name, "latest__figures"), FloatField())
                for name in SNAPSHOT_FIGURES
            },
        )
        .order_by("code")
        .values(
            "id",
            "code",
            "name",
            "rag",
            "budget",
            "stage",
            "latest__period_end",
            "check__overall",
            *(f"figure_{name}" for name in (*SNAPSHOT_COLUMNS, *SNAPSHOT_FIGURES)),
        )
    )
    values = dict(
        ProjectObjective.objects.visible_to(user, Action.VIEW)
        .filter(project__in=projects.values("id"))
        .order_by()
        .values("project")
        .annotate(value=Sum(F("contribution_weight") * F("objective__weight")))
        .values_list("project", "value")
    )
    # One reverse() for all rows: the project's id goes where the placeholder is.
    placeholder = 2_147_483_647
    url = _project_url(placeholder).replace(str(placeholder), "{}")
    names = (*SNAPSHOT_COLUMNS, *SNAPSHOT_FIGURES)
    result = []
    for row in rows:
        health = row["check__overall"] or HealthStatus.NOT_ASSESSED
        # Contribution weights are shares of 100: the value is the objectives' weight the project carries.
        value = values.get(row["id"])
        result.append(
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "stage": row["stage"],
                "rag": row["rag"],
                "health": health,
                "health_label": HEALTH_LABELS[health],
                "budget": float(row["budget"]),
                "period_end": row["latest__period_end"],
                "figures": {name: row[f"figure_{name}"] for name in names} if row["latest__period_end"] else {},
                "value": None if value is None else round(float(value) / 100.0, 2),
                "url": url.format(row["id"]),
            }
        )
    return result


def evm_summary(rows: list[dict]) -> dict:
    """The selection's earned value figures: ``pmo_engine.metrics.aggregate`` over the latest
    snapshots (indices recomputed from the summed money)."""
    recorded = [row["figures"] for row in rows if row["period_end"] is not None]
    figures = aggregate(recorded) if recorded else {}
    periods = [row["period_end"] for row in rows if row["period_end"] is not None]
    return {
        **{name: _rounded(figures.get(name)) for name in EVM_FIGURES},
        "projects_recorded": len(recorded),
        "projects_with_baseline": sum(1 for row in recorded if row.get("bac") is not None),
        "period_end": max(periods) if periods else None,
        "figures": figures,
    }


def performance_points(rows: list[dict]) -> list[dict]:
    """Projects with both an SPI and a CPI, for the SPI-against-CPI scatter."""
    points = []
    for row in rows:
        spi, cpi = row["figures"].get("spi"), row["figures"].get("cpi")
        if spi is None or cpi is None:
            continue
        points.append(
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "spi": _rounded(spi),
                "cpi": _rounded(cpi),
                "bac": _number(row["figures"].get("bac")),
                "health": row["health"],
                "health_label": row["health_label"],
                "url": row["url"],
            }
        )
    return points


def value_risk_cost(rows: list[dict]) -> list[dict]:
    """Per project: strategic value (objective weights carried), risk exposure (sum of the open
    risks' residual scores at the last snapshot) and cost (BAC, else the approved budget)."""
    points = []
    for row in rows:
        exposure = row["figures"].get("risk_exposure")
        if row["value"] is None or exposure is None:
            continue
        bac = row["figures"].get("bac")
        points.append(
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "value": row["value"],
                "risk_exposure": float(exposure),
                "cost": float(bac) if bac else row["budget"],
                "health": row["health"],
                "health_label": row["health_label"],
                "url": row["url"],
            }
        )
    return points


def capacity_summary(rows: list[dict], figures: dict) -> dict:
    """People booked above their capacity in the next four weeks, from the latest snapshots: the
    total over projects (a person overloaded on two projects counts on each), the worst load, and
    the projects by their worst person's load."""
    bands = {key: 0 for key, *_ in LOAD_BANDS}
    unknown = 0
    overloaded = []
    for row in rows:
        load = row["figures"].get("overload_pct")
        people = row["figures"].get("overloaded_people")
        if load is None:
            unknown += 1
            continue
        for key, _, low, high in LOAD_BANDS:
            if (low is None or load >= low) and (high is None or load < high):
                bands[key] += 1
                break
        if people:
            overloaded.append(
                {
                    "id": row["id"],
                    "code": row["code"],
                    "name": row["name"],
                    "overloaded_people": int(people),
                    "overload_pct": _rounded(load, 1),
                    "url": row["url"],
                }
            )
    overloaded.sort(key=lambda item: (-item["overloaded_people"], -(item["overload_pct"] or 0), item["code"]))
    return {
        "overloaded_people": int(figures.get("overloaded_people") or 0),
        "worst_overload_pct": _rounded(figures.get("overload_pct"), 1),
        "projects_with_overload": len(overloaded),
        "bands": [{"band": key, "label": label, "projects": bands[key]} for key, label, *_ in LOAD_BANDS],
        "projects_not_recorded": unknown,
        "top": overloaded[:10],
    }


# --- S-curves -------------------------------------------------------------------------------


def s_curve(user, projects, *, today: date) -> list[dict]:
    """PV, EV and AC summed over the selection per period end, over the last year (the work read
    stays bounded however long the organisation has recorded snapshots). One grouped query."""
    rows = (
        ProjectSnapshot.objects.visible_to(user, Action.VIEW)
        .filter(project__in=projects.values("id"), period_end__gt=today - timedelta(weeks=S_CURVE_WEEKS))
        .order_by()
        .values("period_end")
        .annotate(pv=Sum("pv"), ev=Sum("ev"), ac=Sum("ac"))
        .order_by("period_end")
    )
    return [
        {"period_end": row["period_end"], "pv": _number(row["pv"]), "ev": _number(row["ev"]), "ac": _number(row["ac"])}
        for row in rows
    ]


# --- milestones -----------------------------------------------------------------------------


def upcoming_milestones(user, projects, *, today: date, limit: int = MILESTONES_SHOWN) -> dict:
    """Milestones not done whose forecast finish falls in the next 90 days, soonest first, with
    the primary baseline's date and the slip in days (positive: later than the baseline; late
    when forecast after it). Three queries: the counts, the first ``limit`` and their baselines."""
    zone = timezone.get_current_timezone()
    window_start = timezone.make_aware(datetime.combine(today, time.min), zone)
    window_end = window_start + timedelta(days=MILESTONE_WINDOW_DAYS + 1)
    baseline_finish = (
        BaselineActivity.objects.filter(activity=OuterRef("pk"), baseline__is_primary=True)
        .order_by()
        .values("finish")[:1]
    )
    milestones = (
        Activity.objects.visible_to(user, Action.VIEW)
        .filter(
            project__in=projects.values("id"),
            is_milestone=True,
            actual_finish__isnull=True,
            finish__gte=window_start,
            finish__lt=window_end,
        )
        .annotate(baseline_finish=Subquery(baseline_finish))
    )
    counts = milestones.order_by().aggregate(
        total=Count("id"), late=Count("id", filter=Q(finish__gt=F("baseline_finish")))
    )
    # The first few without the baseline subquery (which the database would run for every row
    # before sorting them), then their baseline dates.
    rows = list(
        milestones.order_by("finish", "project__code", "id").values(
            "id", "name", "finish", "is_critical", "project_id", "project__code", "project__name"
        )[:limit]
    )
    baselines = dict(
        BaselineActivity.objects.filter(activity_id__in=[row["id"] for row in rows], baseline__is_primary=True)
        .order_by()
        .values_list("activity_id", "finish")
    )
    items = []
    for row in rows:
        baseline = baselines.get(row["id"])
        items.append(
            {
                "id": row["id"],
                "name": row["name"],
                "project_id": row["project_id"],
                "project_code": row["project__code"],
                "project_name": row["project__name"],
                "forecast": timezone.localtime(row["finish"], zone).date(),
                "baseline": timezone.localtime(baseline, zone).date() if baseline else None,
                # As on the plan's key dates: calendar days, positive when later than the baseline.
                "slip_days": round((row["finish"] - baseline).total_seconds() / 86400, 1) if baseline else None,
                "is_critical": row["is_critical"],
                "url": _project_url(row["project_id"]),
            }
        )
    return {
        "window_days": MILESTONE_WINDOW_DAYS,
        "from": today,
        "to": today + timedelta(days=MILESTONE_WINDOW_DAYS),
        "count": counts["total"],
        "late": counts["late"],
        "items": items,
    }


# --- risks ----------------------------------------------------------------------------------


def top_risks(user, projects, *, registers: Q | None = None, limit: int = RISKS_SHOWN) -> dict:
    """The open risks with the highest residual score (inherent where not assessed after the
    response) on the selection's projects (and on the ``registers`` given: a programme's or a
    portfolio's own), that ``user`` may see. Three queries: the scale, the count and the list."""
    where = Q(project__in=projects.values("id"))
    if registers is not None:
        where |= registers
    risks = (
        Risk.objects.visible_to(user, Action.VIEW)
        .filter(where, status=RiskStatus.OPEN)
        .annotate(rank=Coalesce("residual_score", "score"))
    )
    scale = RiskScale.current()
    items = []
    for risk in risks.select_related("project", "programme", "portfolio", "owner").order_by("-rank", "-score", "id")[
        :limit
    ]:
        register = risk.register
        items.append(
            {
                "id": risk.pk,
                "reference": risk.reference,
                "title": risk.title,
                "nature": risk.nature,
                "register": getattr(register, "code", str(register)),
                "project_id": risk.project_id,
                "score": risk.score,
                "residual_score": risk.residual_score,
                "rank": risk.rank,
                "band": scale.band(risk.rank),
                "owner": risk.owner.full_name if risk.owner else "",
                "url": risk.get_absolute_url(),
            }
        )
    return {"open": risks.order_by().count(), "items": items}


def scope_registers(*, portfolio=None, programme=None) -> Q:
    """The programme and portfolio registers whose own risks a dashboard shows beside its
    projects': the programme's; else the portfolio's and its programmes'; else every one (each
    still filtered by what the user may see)."""
    if programme is not None:
        return Q(programme=programme)
    if portfolio is not None:
        return Q(portfolio=portfolio) | Q(programme__portfolio=portfolio)
    return Q(programme__isnull=False) | Q(portfolio__isnull=False)


# --- one project ----------------------------------------------------------------------------


def project_health(user, project: Project) -> dict | None:
    """The project's latest health check: status per dimension and the findings that fired."""
    check = HealthCheck.objects.visible_to(user, Action.VIEW).filter(project=project, is_latest=True).first()
    if check is None:
        return None
    return {
        "period_end": check.period_end,
        "overall": check.overall,
        "overall_label": check.get_overall_display(),
        "dimensions": [
            {
                "dimension": dimension.value,
                "label": dimension.label,
                "status": getattr(check, dimension.value),
                "status_label": HealthStatus(getattr(check, dimension.value)).label,
            }
            for dimension in Dimension
        ],
        "fired": [
            {
                "rule": finding.get("rule", ""),
                "dimension": finding.get("dimension", ""),
                "status": finding.get("status", ""),
                "message": finding.get("message", ""),
            }
            for finding in check.fired
        ],
    }


def project_series(project: Project, *, today: date) -> dict:
    """The project's planned value over its whole primary baseline, week by week, and the PV, EV
    and AC recorded in its snapshots (with this week's figures), from ``pmo.health``'s
    ``evm_series``. A fixed number of queries."""
    series = evm_series(project, as_of=today)
    return {
        "has_baseline": series["has_baseline"],
        "baseline_pv": [
            {"period_end": end, "pv": _number(pv)} for end, pv in zip(series["period_ends"], series["pv"], strict=True)
        ],
        "recorded": [
            {
                "period_end": row["period_end"],
                "pv": _number(row.get("pv")),
                "ev": _number(row.get("ev")),
                "ac": _number(row.get("ac")),
            }
            for row in series["history"]
        ],
    }


# --- the dashboards -------------------------------------------------------------------------


def group_dashboard(user, projects, *, today: date | None = None, registers: Q | None = None) -> dict:
    """Every widget of a portfolio or programme dashboard over ``projects`` (a selection from
    ``visible_projects(user)``). A fixed number of queries whatever the number of projects."""
    today = today or timezone.localdate()
    rows = project_rows(user, projects)
    evm = evm_summary(rows)
    figures = evm.pop("figures")
    return {
        "today": today,
        **rag_distribution(user, projects),
        "evm": evm,
        "performance": performance_points(rows),
        "s_curve": s_curve(user, projects, today=today),
        "milestones": upcoming_milestones(user, projects, today=today),
        "risks": top_risks(user, projects, registers=registers),
        "value_risk_cost": value_risk_cost(rows),
        "capacity": capacity_summary(rows, figures),
    }


def project_dashboard(user, project: Project, *, today: date | None = None) -> dict:
    """The widgets of one project's dashboard (``project`` already checked visible)."""
    today = today or timezone.localdate()
    projects = Project.objects.visible_to(user, Action.VIEW).filter(pk=project.pk)
    rows = project_rows(user, projects)
    evm = evm_summary(rows)
    figures = evm.pop("figures")
    row = rows[0] if rows else None
    return {
        "today": today,
        "project": {"id": project.pk, "code": project.code, "name": project.name, "rag": project.rag},
        "health": project_health(user, project),
        "evm": evm,
        "figures": {name: _rounded(value) for name, value in (row["figures"] if row else {}).items()},
        "s_curve": project_series(project, today=today),
        "milestones": upcoming_milestones(user, projects, today=today),
        "risks": top_risks(user, projects),
        "capacity": capacity_summary(rows, figures),
    }
