"""State changes of the KPI app: defining KPIs, measuring them (on schedule from the project
snapshots, or by hand), and deciding on the corrective actions recommended. Every function is
atomic, checks permission inside its transaction and writes audit events."""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited, locked_for, require_global, validated
from pmo.governance import services as governance_services
from pmo.health.models import ProjectSnapshot
from pmo.kpis.choices import Frequency, KPILevel, MeasurementSource, RecommendationStatus
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo_engine import kpi as engine
from pmo_engine.metrics import METRICS, aggregate

KPI_FIELDS = (
    "code",
    "name",
    "description",
    "level",
    "project",
    "programme",
    "portfolio",
    "formula",
    "unit",
    "target",
    "amber",
    "red",
    "direction",
    "frequency",
    "owner",
    "is_active",
)
# How far back the trend of a target is read when a new point is judged.
HISTORY_WEEKS = 104
TARGET_MODELS = {KPILevel.PROJECT: Project, KPILevel.PROGRAMME: Programme, KPILevel.PORTFOLIO: Portfolio}
ACTION_DUE_DAYS = 14
BATCH_SIZE = 500
INSERT_CHUNK = 2000


# --- formulas and definitions ---------------------------------------------------------------


def parse_formula(text: str) -> engine.Formula:
    """The formula read over the named figures; ``InvalidData`` on ``formula`` names the problem
    and its column."""
    try:
        return engine.parse(text or "", METRICS)
    except engine.FormulaError as error:
        raise InvalidData({"formula": [error.message]}) from None


def _check_definition(kpi: KPI) -> None:
    parse_formula(kpi.formula)
    for name in ("target", "amber", "red"):
        value = getattr(kpi, name)
        if value is not None and (not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise InvalidData({name: ["Enter a finite number."]})
    if kpi.target is None:
        raise InvalidData({"target": ["Say what value the KPI aims for."]})
    problems = engine.check_thresholds(target=kpi.target, amber=kpi.amber, red=kpi.red, direction=kpi.direction)
    if problems:
        raise InvalidData({"red" if "red threshold" in problems[0] else "amber": problems})
    validated(kpi)


def _unknown(fields: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidData({name: ["Not a field of a KPI."] for name in unknown})


@transaction.atomic
def create_kpi(*, actor, reason: str = "", **fields) -> KPI:
    """Define a KPI (the PMO: a role across the organisation). The formula is read now; a mistake
    is refused with its column."""
    require_global(actor, Action.CREATE, "KPIs")
    _unknown(fields, KPI_FIELDS)
    kpi = KPI(**fields)
    kpi.code = (kpi.code or "").strip()
    kpi.formula = (kpi.formula or "").strip()
    _check_definition(kpi)
    return create_audited(kpi, actor=actor, reason=reason)


@transaction.atomic
def update_kpi(*, actor, kpi: KPI, changes: Mapping, reason: str = "") -> KPI:
    """Change a KPI's definition; its past measurements stay as they were measured."""
    require_global(actor, Action.CHANGE, "KPIs")
    _unknown(changes, KPI_FIELDS)
    row = locked_for(actor, KPI, kpi.pk, Action.CHANGE)
    trial = KPI(**{field: getattr(row, field) for field in KPI_FIELDS if field not in changes}, **changes)
    trial.pk = row.pk
    trial._state.adding = False
    if "formula" in changes:
        changes = {**changes, "formula": (changes["formula"] or "").strip()}
        trial.formula = changes["formula"]
    _check_definition(trial)
    return change_audited(row, changes, actor=actor, allowed=KPI_FIELDS, reason=reason)


# --- measuring ------------------------------------------------------------------------------


def is_period_end(day: date) -> bool:
    return day.weekday() == 6


def is_month_end_period(day: date) -> bool:
    """The last Sunday of its month: when monthly KPIs are measured."""
    return (day + timedelta(days=7)).month != day.month


def _check_period_end(day) -> date:
    if not isinstance(day, date):
        raise InvalidData({"period_end": ["Give the period's end as a date (YYYY-MM-DD)."]})
    if not is_period_end(day):
        raise InvalidData({"period_end": [f"{day:%Y-%m-%d} is a {day:%A}; periods end on a Sunday."]})
    return day


def _target_key(level: str, target_id: int) -> tuple[str, int]:
    return (level, target_id)


def _row_key(row: Mapping) -> tuple[str, int]:
    if row["project_id"]:
        return (KPILevel.PROJECT, row["project_id"])
    if row["programme_id"]:
        return (KPILevel.PROGRAMME, row["programme_id"])
    return (KPILevel.PORTFOLIO, row["portfolio_id"])


def _target_fields(level: str, target_id: int) -> dict:
    return {
        "project_id": target_id if level == KPILevel.PROJECT else None,
        "programme_id": target_id if level == KPILevel.PROGRAMME else None,
        "portfolio_id": target_id if level == KPILevel.PORTFOLIO else None,
    }


def figures_for_periods(periods: Iterable[date]) -> dict[date, dict[str, dict[int, dict]]]:
    """The figures of every project, programme and portfolio at each of ``periods`` (period ->
    level -> id -> figures): projects' from their snapshots, programmes' and portfolios' the
    ``aggregate`` of their active projects'. One query."""
    rows = ProjectSnapshot.objects.filter(period_end__in=list(periods), project__is_archived=False).values_list(
        "period_end", "project_id", "project__programme_id", "project__portfolio_id", "figures"
    )
    projects: dict[date, dict[int, dict]] = defaultdict(dict)
    by_programme: dict[date, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    by_portfolio: dict[date, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for period_end, project_id, programme_id, portfolio_id, stored in rows:
        figures = stored or {}
        projects[period_end][project_id] = figures
        if programme_id:
            by_programme[period_end][programme_id].append(figures)
        by_portfolio[period_end][portfolio_id].append(figures)
    return {
        period_end: {
            KPILevel.PROJECT: projects[period_end],
            KPILevel.PROGRAMME: {pk: aggregate(group) for pk, group in by_programme[period_end].items()},
            KPILevel.PORTFOLIO: {pk: aggregate(group) for pk, group in by_portfolio[period_end].items()},
        }
        for period_end in projects
    }


def _scope_id(kpi: KPI) -> int | None:
    return kpi.project_id or kpi.programme_id or kpi.portfolio_id


def _judge(kpi: KPI, value: float | None) -> str:
    return engine.rag(value, target=kpi.target, amber=kpi.amber, red=kpi.red, direction=kpi.direction)


def _is_due(kpi: KPI, period_end: date) -> bool:
    return kpi.frequency == Frequency.WEEKLY or is_month_end_period(period_end)


def latest_period_end() -> date | None:
    return ProjectSnapshot.objects.order_by("-period_end").values_list("period_end", flat=True).first()


def snapshot_periods(*, weeks: int, until: date | None = None) -> list[date]:
    """The last ``weeks`` periods with project snapshots, up to ``until``, oldest first."""
    periods = ProjectSnapshot.objects.order_by("-period_end").values_list("period_end", flat=True).distinct()
    if until is not None:
        periods = periods.filter(period_end__lte=until)
    return sorted(periods[:weeks])


@transaction.atomic
def measure_kpis(*, period_end: date | None = None, kpi_ids: Iterable[int] | None = None) -> int:
    """Measure the active KPIs due at ``period_end`` (default: the latest period with snapshots)
    for every target that has figures then, find the patterns at that point and propose the
    corrective actions of the rules they match (once per pattern). A value entered by hand is
    kept. Returns the number of measurements written. The system acts: run by the scheduled task
    and the ``measure_kpis`` command. A constant number of queries, plus one audit event per KPI."""
    if period_end is None:
        period_end = latest_period_end()
        if period_end is None:
            return 0
    return measure_periods(periods=[period_end], kpi_ids=kpi_ids)


@transaction.atomic
def measure_periods(*, periods: Iterable[date], kpi_ids: Iterable[int] | None = None, audited: bool = True) -> int:
    """``measure_kpis`` over several periods at once (a backfill, e.g. after a KPI is defined):
    the same result as measuring them one after the other, oldest first, in a constant number of
    queries. ``audited=False`` writes no audit event: for the demo, whose load is one event."""
    periods = sorted({_check_period_end(day) for day in periods})
    if not periods:
        return 0
    kpis = KPI.objects.filter(is_active=True).order_by("pk")
    if kpi_ids is not None:
        kpis = kpis.filter(pk__in=list(kpi_ids))
    formulas = {}
    for kpi in kpis:
        try:
            formulas[kpi.pk] = engine.parse(kpi.formula, METRICS)
        except engine.FormulaError:
            continue  # a figure renamed since the KPI was saved: the KPI's page shows the error
    due = [kpi for kpi in kpis if kpi.pk in formulas and any(_is_due(kpi, day) for day in periods)]
    if not due:
        return 0
    figures = figures_for_periods(periods)
    existing = {
        (row.kpi_id, row.period_end, *_row_key(row.__dict__)): row
        for row in Measurement.objects.filter(kpi__in=due, period_end__in=periods)
    }
    created, updated = [], []
    written: dict[int, int] = defaultdict(int)
    for period_end in periods:
        for kpi in due:
            if not _is_due(kpi, period_end):
                continue
            scope = _scope_id(kpi)
            for target_id, target_figures in figures.get(period_end, {}).get(kpi.level, {}).items():
                if scope is not None and target_id != scope:
                    continue
                value = formulas[kpi.pk].evaluate(target_figures)
                if value is None:
                    continue
                status = _judge(kpi, value)
                row = existing.get((kpi.pk, period_end, kpi.level, target_id))
                if row is None:
                    created.append(
                        Measurement(
                            kpi=kpi,
                            period_end=period_end,
                            value=value,
                            status=status,
                            source=MeasurementSource.SCHEDULED,
                            **_target_fields(kpi.level, target_id),
                        )
                    )
                elif row.source == MeasurementSource.SCHEDULED:
                    row.value, row.status = value, status
                    updated.append(row)
                else:
                    continue
                written[kpi.pk] += 1
    # Patterns first, on the rows in hand and the history stored, so every row is written once.
    changed, candidates = find_patterns({kpi.pk: kpi for kpi in due}, periods, formulas, fresh=created + updated)
    _insert_measurements(created, kpis=due, periods=periods)
    rewritten = {row.pk: row for row in [*updated, *changed]}
    if rewritten:
        Measurement.objects.bulk_update(list(rewritten.values()), ["value", "status", "flags"], batch_size=BATCH_SIZE)
    proposed = _propose({kpi.pk: kpi for kpi in due}, candidates)
    for kpi in due:
        if audited and (written[kpi.pk] or proposed[kpi.pk]):
            record_event(
                actor=None,
                action="kpi.measured",
                obj=kpi,
                after={
                    "periods": [day.isoformat() for day in periods if _is_due(kpi, day)],
                    "measurements": written[kpi.pk],
                    "recommendations": proposed[kpi.pk],
                },
            )
    return sum(written.values())


INSERTED_FIELDS = (
    "kpi",
    "project",
    "programme",
    "portfolio",
    "period_end",
    "value",
    "status",
    "source",
    "note",
    "recorded_by",
    "recorded_at",
    "flags",
)


def _insert_measurements(rows: list[Measurement], *, kpis, periods: list[date]) -> None:
    """Insert new scheduled measurements and set their ids. A backfill writes a row per KPI,
    target and week (a hundred thousand for a large organisation's half year), where the ORM's
    bulk insert spends most of its time compiling SQL: this writes them with one prepared
    statement, each value adapted by its field for the database in use, then reads the ids back
    (two queries, plus one per 2,000 rows)."""
    if not rows:
        return
    meta = Measurement._meta
    fields = [meta.get_field(name) for name in INSERTED_FIELDS]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    period_field, recorded_field, flags_field = (meta.get_field(n) for n in ("period_end", "recorded_at", "flags"))
    now = recorded_field.get_db_prep_save(timezone.now(), connection)
    days = {day: period_field.get_db_prep_save(day, connection) for day in {row.period_end for row in rows}}
    params = [
        (
            row.kpi_id,
            row.project_id,
            row.programme_id,
            row.portfolio_id,
            days[row.period_end],
            row.value,
            row.status,
            row.source,
            row.note,
            row.recorded_by_id,
            now,
            flags_field.get_db_prep_save(row.flags, connection),
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), INSERT_CHUNK):
            cursor.executemany(sql, params[start : start + INSERT_CHUNK])
    ids = {
        (kpi_id, day, *_row_key({"project_id": project, "programme_id": programme, "portfolio_id": portfolio})): pk
        for pk, kpi_id, day, project, programme, portfolio in Measurement.objects.filter(
            kpi__in=kpis, period_end__in=periods
        ).values_list("pk", "kpi_id", "period_end", "project_id", "programme_id", "portfolio_id")
    }
    for row in rows:
        row.pk = ids[(row.kpi_id, row.period_end, *_row_key(row.__dict__))]
        row._state.adding = False


def find_patterns(
    kpis: Mapping[int, KPI],
    periods: list[date],
    formulas: Mapping[int, engine.Formula],
    *,
    fresh: Iterable[Measurement] = (),
    targets: Iterable[tuple[str, int]] | None = None,
) -> tuple[list[Measurement], list[tuple[Measurement, engine.Recommendation]]]:
    """Find the patterns at ``periods`` (and, for the targets named, at the later points too) in
    the series of each KPI and target: the stored history with the ``fresh`` rows in hand (new or
    changed, not yet saved) in place. Sets ``flags`` on the rows; returns the stored rows whose
    flags changed, and the recommendations called for at ``periods``, oldest first. One query."""
    first, last = periods[0], periods[-1]
    history = Measurement.objects.filter(kpi__in=list(kpis), period_end__gte=first - timedelta(weeks=HISTORY_WEEKS))
    if targets is not None:
        wanted = Q(pk__in=[])
        for level, target_id in targets:
            wanted |= Q(**{f"{level}_id": target_id})
        history = history.filter(wanted)
    else:
        history = history.filter(period_end__lte=last)
    points: dict[tuple, Measurement] = {}
    for row in [*history, *fresh]:
        points[(row.kpi_id, *_row_key(row.__dict__), row.period_end)] = row
    series: dict[tuple, list[Measurement]] = defaultdict(list)
    for key in sorted(points, key=lambda key: key[3]):
        series[key[:3]].append(points[key])
    asked = set(periods)
    changed: list[Measurement] = []
    candidates: list[tuple[Measurement, engine.Recommendation]] = []
    for (kpi_id, _level, _target), rows in series.items():
        kpi = kpis[kpi_id]
        if kpi.frequency == Frequency.MONTHLY:
            rows = [row for row in rows if is_month_end_period(row.period_end)]  # noqa: PLW2901
        if not rows or rows[-1].period_end < first:
            continue
        analysis = engine.analyse(
            [row.value for row in rows],
            direction=kpi.direction,
            statuses=[row.status for row in rows],
            labels=[row.period_end.isoformat() for row in rows],
        )
        for row, found in zip(rows, analysis.flags, strict=True):
            if row.period_end < first:
                continue
            flags = [dict(flag) for flag in found]
            if row.flags != flags:
                row.flags = flags
                if row.pk is not None:
                    changed.append(row)
            if row.period_end in asked:
                candidates.extend((row, advice) for advice in engine.recommend(formulas[kpi_id].names, flags))
    candidates.sort(key=lambda pair: pair[0].period_end)
    return changed, candidates


def _propose(kpis: Mapping[int, KPI], candidates: list) -> dict[int, int]:
    """Save the recommendations not yet made for the same pattern (same KPI, target, rule and start),
    nor still proposed for the same KPI, target and rule."""
    made: dict[int, int] = defaultdict(int)
    if not candidates:
        return made
    earliest = min(date.fromisoformat(advice.since) for _, advice in candidates)
    known = Recommendation.objects.filter(kpi__in=list(kpis)).filter(
        Q(status=RecommendationStatus.PROPOSED) | Q(since__gte=earliest)
    )
    seen_pattern = set()
    open_rule = set()
    for row in known.values("kpi_id", "project_id", "programme_id", "portfolio_id", "rule", "since", "status"):
        key = (row["kpi_id"], *_row_key(row), row["rule"])
        seen_pattern.add((*key, row["since"]))
        if row["status"] == RecommendationStatus.PROPOSED:
            open_rule.add(key)
    new = []
    for measurement, advice in candidates:
        key = (measurement.kpi_id, *_row_key(measurement.__dict__), advice.rule)
        since = date.fromisoformat(advice.since)
        if key in open_rule or (*key, since) in seen_pattern:
            continue
        open_rule.add(key)
        seen_pattern.add((*key, since))
        new.append(
            Recommendation(
                kpi_id=measurement.kpi_id,
                measurement=measurement,
                project_id=measurement.project_id,
                programme_id=measurement.programme_id,
                portfolio_id=measurement.portfolio_id,
                rule=advice.rule,
                since=since,
                evidence=advice.evidence[:300],
                text=advice.text,
                rationale=advice.rationale,
            )
        )
        made[measurement.kpi_id] += 1
    Recommendation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return made


def _target_of(*, project=None, programme=None, portfolio=None):
    given = (("project", project), ("programme", programme), ("portfolio", portfolio))
    named = [(name, value) for name, value in given if value is not None]
    if len(named) != 1:
        raise InvalidData({"target": ["Name exactly one project, programme or portfolio."]})
    name, value = named[0]
    model = TARGET_MODELS[name]
    if not isinstance(value, model):
        raise InvalidData({name: [f"Expected a {model._meta.verbose_name}, not {type(value).__name__}."]})
    return value


def may_change_target(actor, target) -> bool:
    return type(target).objects.visible_to(actor, Action.CHANGE).filter(pk=target.pk).exists()


def _require_change(actor, target, what: str, *, is_seen: bool = False) -> None:
    if may_change_target(actor, target):
        return
    if is_seen or type(target).objects.visible_to(actor, Action.VIEW).filter(pk=target.pk).exists():
        raise PermissionRefused(f"You may not {what} of {target}: that needs the right to change it.")
    raise NotFound(f"No {target._meta.verbose_name} {target.pk} is visible to you.")


@transaction.atomic
def record_measurement(
    *,
    actor,
    kpi: KPI,
    period_end: date,
    value: float,
    project: Project | None = None,
    programme: Programme | None = None,
    portfolio: Portfolio | None = None,
    note: str = "",
    reason: str = "",
) -> Measurement:
    """Enter a KPI's value for one target and period by hand (whoever may change the target). A
    value already there, measured or entered, is corrected: the audit trail keeps the old one."""
    if not KPI.objects.visible_to(actor, Action.VIEW).filter(pk=kpi.pk).exists():
        raise NotFound(f"No KPI with id {kpi.pk} is visible to you.")
    target = _target_of(project=project, programme=programme, portfolio=portfolio)
    _require_change(actor, target, "record KPI values")
    kpi = KPI.objects.select_for_update(of=("self",)).get(pk=kpi.pk)
    if not kpi.applies_to(target):
        problem = f"{kpi.code} does not measure {target}: it is for {kpi.scope_label}."
        raise InvalidData({target._meta.model_name: [problem]})
    _check_period_end(period_end)
    latest_allowed = timezone.localdate() + timedelta(days=6)
    if period_end > latest_allowed:
        problem = f"{period_end:%Y-%m-%d} has not started yet; enter values for periods under way or past."
        raise InvalidData({"period_end": [problem]})
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidData({"value": ["Enter a finite number."]})
    value = float(value)
    level = target._meta.model_name
    row = (
        Measurement.objects.select_for_update(of=("self",))
        .filter(kpi=kpi, period_end=period_end, **{level: target})
        .first()
    )
    changes = {
        "value": value,
        "status": _judge(kpi, value),
        "source": MeasurementSource.MANUAL,
        "note": (note or "").strip(),
        "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    if row is None:
        row = create_audited(
            Measurement(kpi=kpi, period_end=period_end, **{level: target}, **changes), actor=actor, reason=reason
        )
    else:
        row = change_audited(
            row, changes, actor=actor, allowed=changes.keys(), reason=reason, action="measurement.corrected"
        )
    formula = engine.parse(kpi.formula, METRICS) if _parses(kpi.formula) else None
    if formula is not None:
        changed, candidates = find_patterns(
            {kpi.pk: kpi}, [period_end], {kpi.pk: formula}, targets=[(level, target.pk)]
        )
        if changed:
            Measurement.objects.bulk_update(changed, ["flags"])
        _propose({kpi.pk: kpi}, candidates)
    row.refresh_from_db()
    return row


def _parses(text: str) -> bool:
    try:
        engine.parse(text, METRICS)
    except engine.FormulaError:
        return False
    return True


# --- recommendations ------------------------------------------------------------------------


def _proposed_for_decision(actor, recommendation: Recommendation) -> Recommendation:
    if not Recommendation.objects.visible_to(actor, Action.VIEW).filter(pk=recommendation.pk).exists():
        raise NotFound(f"No recommendation with id {recommendation.pk} is visible to you.")
    row = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    _require_change(actor, row.target, "decide on the recommendations", is_seen=True)
    if row.status != RecommendationStatus.PROPOSED:
        raise DomainError(f"This recommendation is already {row.get_status_display().lower()}.")
    return row


def action_text(row: Recommendation) -> dict[str, str]:
    """The title and description of the action a recommendation becomes."""
    sentence = row.text.split(";")[0].split(". ")[0].rstrip(".")
    title = f"{row.kpi.code} on {row.target.code}: {sentence}"
    return {
        "title": title if len(title) <= 200 else title[:199] + "…",
        "description": f"{row.text}\n\nWhy: {row.rationale}\nEvidence: {row.evidence} (since {row.since:%Y-%m-%d}).",
    }


@transaction.atomic
def accept_recommendation(
    *,
    actor,
    recommendation: Recommendation,
    owner: Person | None = None,
    due_on: date | None = None,
    reason: str = "",
) -> Recommendation:
    """Accept a proposed recommendation: it becomes an action on its target's register (owned by
    ``owner``, the KPI's owner when none is given, due in two weeks unless ``due_on``) and is linked
    to it. Whoever may change the target may accept."""
    row = _proposed_for_decision(actor, recommendation)
    target = row.target
    action = governance_services.create_action(
        actor=actor,
        **action_text(row),
        owner=owner if owner is not None else row.kpi.owner,
        due_on=due_on or timezone.localdate() + timedelta(days=ACTION_DUE_DAYS),
        source=row,
        reason=reason,
        **{target._meta.model_name: target},
    )
    return change_audited(
        row,
        {
            "status": RecommendationStatus.ACCEPTED,
            "action": action,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
            "decided_at": timezone.now(),
            "decision_reason": (reason or "").strip(),
        },
        actor=actor,
        allowed=("status", "action", "decided_by", "decided_at", "decision_reason"),
        reason=reason,
        action="recommendation.accepted",
    )


@transaction.atomic
def dismiss_recommendation(*, actor, recommendation: Recommendation, reason: str) -> Recommendation:
    """Dismiss a proposed recommendation, saying why (kept on it and in the audit trail)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidData({"reason": ["Say why the recommendation is dismissed."]})
    row = _proposed_for_decision(actor, recommendation)
    return change_audited(
        row,
        {
            "status": RecommendationStatus.DISMISSED,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
            "decided_at": timezone.now(),
            "decision_reason": reason,
        },
        actor=actor,
        allowed=("status", "decided_by", "decided_at", "decision_reason"),
        reason=reason,
        action="recommendation.dismissed",
    )


@transaction.atomic
def delete_kpi(*, actor, kpi: KPI, reason: str = "") -> None:
    """Remove a KPI never measured (the PMO). A KPI with measurements is made inactive instead, so
    that its history stays."""
    require_global(actor, Action.ARCHIVE, "KPIs")
    row = locked_for(actor, KPI, kpi.pk, Action.ARCHIVE)
    if row.measurements.exists():
        raise DomainError(f"{row.code} has measurements; make it inactive instead, so its history stays.")
    record_event(actor=actor, action="kpi.deleted", obj=row, before=snapshot(row), reason=reason)
    row.delete()
