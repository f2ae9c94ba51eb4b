"""API: capacity against demand, read-only.

``GET /api/v1/capacity/heatmap/``, ``skills/``, ``utilisation/``, ``mix/`` and ``cell/`` take the
query parameters of the capacity pages (``start``, ``periods``, ``kind``, ``unit``, ``skill``,
``threshold`` in %, ``burnout_weeks``, and per endpoint ``rows``, ``sort``, ``overloaded``,
``level``, ``page``, ``page_size``, ``resource``, ``period``). Hours are numbers of hours,
utilisation a fraction (1.0 is 100 %) and ``null`` in a period without capacity (overloaded when
there is demand all the same). A wrong parameter answers 400 with a message naming it; a user
without a role, 403.
"""

import math
from datetime import timedelta

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.serializers import ErrorSerializer
from pmo.core.api.views import ApiAutoSchema
from pmo.core.errors import InvalidData
from pmo.resourcing.forms.capacity import (
    HEATMAP_SORTS,
    ROWS,
    TOTALS_SORTS,
    CapacityFilterForm,
    CellForm,
    HeatmapForm,
    SkillDemandForm,
    UtilisationForm,
)
from pmo.resourcing.selectors import capacity as selectors

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _hours(values) -> list[float]:
    return [round(float(value), 2) for value in values]


def _fraction(value: float | None) -> float | None:
    if value is None or math.isinf(value):
        return None
    return round(float(value), 4)


# --- query parameters ---------------------------------------------------------------------------


class PageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)


def _valid(form) -> dict:
    if not form.is_valid():
        raise InvalidData({field: list(messages) for field, messages in form.errors.items()})
    return form.cleaned_data


def _page(request, items: list) -> tuple[list, dict]:
    data = _valid(PageForm(request.query_params))
    size = data["page_size"] or DEFAULT_PAGE_SIZE
    pages = max(1, math.ceil(len(items) / size))
    number = data["page"] or 1
    if number > pages:
        raise InvalidData({"page": [f"There are {pages} page(s) of {size}; page {number} does not exist."]})
    first = (number - 1) * size
    return items[first : first + size], {"count": len(items), "page": number, "pages": pages, "page_size": size}


def _parameter(name: str, kind, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


HORIZON_PARAMETERS = [
    _parameter("start", OpenApiTypes.DATE, "First day; moved back to its Monday or month's first day. Default: today."),
    _parameter("periods", OpenApiTypes.INT, f"Number of weeks or months, 1 to {selectors.MAX_PERIODS} (default 12)."),
    _parameter("kind", OpenApiTypes.STR, "week (default) or month.", enum=["week", "month"]),
    _parameter("unit", OpenApiTypes.INT, "An organisation unit's id: its people and those of the units below it."),
    _parameter("skill", OpenApiTypes.INT, "A skill's id: the people holding it and the unassigned demand for it."),
    _parameter("threshold", OpenApiTypes.INT, "Overloaded above this % of capacity, 1 to 500 (default 100)."),
    _parameter("burnout_weeks", OpenApiTypes.INT, "Periods in a row above the threshold that make a burnout risk (3)."),
]
PAGE_PARAMETERS = [
    _parameter("page", OpenApiTypes.INT, "Page number (default 1)."),
    _parameter("page_size", OpenApiTypes.INT, f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."),
]
LEVEL_PARAMETER = _parameter("level", OpenApiTypes.INT, "Skill rows: proficiency level 1 to 5 (default 1).")


# --- answers ------------------------------------------------------------------------------------


class CapacityHorizonSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day of the horizon.")
    end = serializers.DateField(help_text="Last day of the horizon.")
    kind = serializers.CharField()
    periods = serializers.IntegerField()
    period_starts = serializers.ListField(child=serializers.DateField())
    threshold = serializers.IntegerField(help_text="Overloaded above this % of capacity.")
    unit = serializers.IntegerField(allow_null=True)
    skill = serializers.IntegerField(allow_null=True)


class CapacitySummarySerializer(serializers.Serializer):
    people = serializers.IntegerField()
    overloaded_people = serializers.IntegerField()
    overloaded_cells = serializers.IntegerField()
    burnout_risks = serializers.IntegerField()
    capacity_hours = serializers.FloatField()
    demand_hours = serializers.FloatField()
    billable_hours = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)
    unassigned_demand_hours = serializers.FloatField()
    skill_gaps = serializers.IntegerField()


class CapacityHeatmapRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    resource = serializers.IntegerField(allow_null=True, help_text="The person's resource id (people rows).")
    skill = serializers.IntegerField(allow_null=True, help_text="The skill's id (skill rows).")
    name = serializers.CharField()
    unit = serializers.CharField(help_text="The person's unit (empty for skill rows).")
    holders = serializers.IntegerField(help_text="Skill rows: people holding the skill at the level or more.")
    peak_utilisation = serializers.FloatField(allow_null=True)
    is_overloaded = serializers.BooleanField(help_text="Overloaded in at least one period.")
    capacity_hours = serializers.ListField(child=serializers.FloatField())
    demand_hours = serializers.ListField(child=serializers.FloatField())
    billable_hours = serializers.ListField(child=serializers.FloatField())
    utilisation = serializers.ListField(child=serializers.FloatField(allow_null=True))
    overloaded = serializers.ListField(child=serializers.BooleanField())
    bands = serializers.ListField(child=serializers.CharField(), help_text="low, mid, high, over or none.")


class CapacityBurnoutRiskSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    name = serializers.CharField()
    first_period_start = serializers.DateField()
    periods = serializers.IntegerField()
    demand_hours = serializers.FloatField()
    capacity_hours = serializers.FloatField()
    overallocated_hours = serializers.FloatField()
    peak_utilisation = serializers.FloatField(allow_null=True)


class CapacityHeatmapSerializer(CapacityHorizonSerializer):
    rows = serializers.CharField(help_text="people or skills.")
    level = serializers.IntegerField()
    summary = CapacitySummarySerializer()
    unassigned_demand_hours = serializers.ListField(child=serializers.FloatField())
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = CapacityHeatmapRowSerializer(many=True)
    burnout_risks = CapacityBurnoutRiskSerializer(many=True)


class CapacityCourseSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    name = serializers.CharField()
    provider = serializers.CharField()
    level = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    duration_days = serializers.DecimalField(max_digits=5, decimal_places=1)


class CapacitySkillGapSerializer(serializers.Serializer):
    first_period_start = serializers.DateField()
    periods = serializers.IntegerField()
    weeks = serializers.FloatField()
    is_open_ended = serializers.BooleanField()
    required_level = serializers.IntegerField()
    gap_hours = serializers.ListField(child=serializers.FloatField())
    total_gap_hours = serializers.FloatField()
    peak_gap_hours = serializers.FloatField()
    mean_gap_hours_per_week = serializers.FloatField()
    full_time_equivalents = serializers.FloatField()
    recommendation = serializers.CharField(help_text="reschedule, training, permanent_hire or contingent_hire.")
    recommendation_label = serializers.CharField()
    reason = serializers.CharField()
    courses = CapacityCourseSerializer(many=True)


class CapacitySkillLoadSerializer(serializers.Serializer):
    skill = serializers.IntegerField()
    name = serializers.CharField()
    holders = serializers.IntegerField()
    demand_hours = serializers.ListField(child=serializers.FloatField())
    capacity_hours = serializers.ListField(child=serializers.FloatField())
    gaps = CapacitySkillGapSerializer(many=True)


class CapacitySkillsSerializer(CapacityHorizonSerializer):
    level = serializers.IntegerField()
    skills = CapacitySkillLoadSerializer(many=True)


class CapacityTotalsSerializer(serializers.Serializer):
    key = serializers.CharField()
    resource = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    unit = serializers.CharField()
    people = serializers.IntegerField()
    capacity_hours = serializers.FloatField()
    demand_hours = serializers.FloatField()
    billable_hours = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)
    billable_utilisation = serializers.FloatField(allow_null=True)
    overloaded_periods = serializers.IntegerField()


class CapacityUtilisationSerializer(CapacityHorizonSerializer):
    summary = CapacitySummarySerializer()
    units = CapacityTotalsSerializer(many=True)
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = CapacityTotalsSerializer(many=True, help_text="People, one page.")


class CapacityMixRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    permanent_people = serializers.IntegerField()
    contingent_people = serializers.IntegerField()
    permanent_hours = serializers.FloatField()
    contingent_hours = serializers.FloatField()
    contingent_share = serializers.FloatField(allow_null=True)


class CapacityContractEndSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    contract_end = serializers.DateField()
    demand_after_hours = serializers.FloatField()


class CapacityMixSerializer(CapacityHorizonSerializer):
    units = CapacityMixRowSerializer(many=True)
    by_period = CapacityMixRowSerializer(many=True)
    contracts_ending = CapacityContractEndSerializer(many=True)


class CapacityDemandLineSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="assignment or allocation.")
    source_id = serializers.IntegerField(allow_null=True, help_text="Null for a project you cannot see.")
    project = serializers.IntegerField(allow_null=True, help_text="Null for a project you cannot see.")
    project_name = serializers.CharField()
    label = serializers.CharField(help_text="The activity or allocation; empty for a project you cannot see.")
    hours = serializers.FloatField()
    is_billable = serializers.BooleanField()


class CapacityCellSerializer(serializers.Serializer):
    resource = serializers.IntegerField(allow_null=True, help_text="Null for the unassigned demand.")
    name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    capacity_hours = serializers.FloatField()
    demand_hours = serializers.FloatField()
    utilisation = serializers.FloatField(allow_null=True)
    is_overloaded = serializers.BooleanField()
    lines = CapacityDemandLineSerializer(many=True)


# --- building the answers -----------------------------------------------------------------------


def _horizon(view, form) -> dict:
    grid = view.grid
    data = form.cleaned_data
    return {
        "start": grid.start,
        "end": grid.end - timedelta(days=1),
        "kind": grid.kind.value,
        "periods": grid.periods,
        "period_starts": list(view.period_starts),
        "threshold": data["threshold"],
        "unit": data["unit"].pk if data["unit"] else None,
        "skill": data["skill"].pk if data["skill"] else None,
    }


def _summary(view) -> dict:
    summary = dict(view.summary)
    summary["utilisation"] = _fraction(summary["utilisation"])
    for key in ("capacity_hours", "demand_hours", "billable_hours", "unassigned_demand_hours"):
        summary[key] = round(summary[key], 2)
    return summary


def heatmap_row(row) -> dict:
    return {
        "key": row.key,
        "resource": row.resource_id,
        "skill": row.skill_id,
        "name": row.name,
        "unit": row.unit_name,
        "holders": row.holders,
        "peak_utilisation": _fraction(row.peak_utilisation),
        "is_overloaded": row.is_overloaded,
        "capacity_hours": _hours(cell.capacity_hours for cell in row.cells),
        "demand_hours": _hours(cell.demand_hours for cell in row.cells),
        "billable_hours": _hours(cell.billable_hours for cell in row.cells),
        "utilisation": [_fraction(cell.utilisation) for cell in row.cells],
        "overloaded": [cell.is_overloaded for cell in row.cells],
        "bands": [cell.band for cell in row.cells],
    }


def totals_row(row) -> dict:
    return {
        "key": row.key,
        "resource": row.resource_id,
        "name": row.name,
        "unit": row.unit_name,
        "people": row.people,
        "capacity_hours": round(row.capacity_hours, 2),
        "demand_hours": round(row.demand_hours, 2),
        "billable_hours": round(row.billable_hours, 2),
        "utilisation": _fraction(row.utilisation),
        "billable_utilisation": _fraction(row.billable_utilisation),
        "overloaded_periods": row.overloaded_periods,
    }


def mix_row(row) -> dict:
    return {
        "key": row.key,
        "name": row.name,
        "period_start": row.period_start,
        "permanent_people": row.permanent_people,
        "contingent_people": row.contingent_people,
        "permanent_hours": round(row.permanent_hours, 2),
        "contingent_hours": round(row.contingent_hours, 2),
        "contingent_share": _fraction(row.contingent_share),
    }


CELL_PARAMETERS = ("kind", "unit", "skill", "threshold")
ERRORS = {400: ErrorSerializer, 403: ErrorSerializer}


class CapacityViewSet(viewsets.ViewSet):
    """Capacity against demand of the people in scope over a horizon of weeks or months."""

    schema = ApiAutoSchema()

    def _analysis(self, request, form_class):
        selectors.require_viewer(request.user)
        form = form_class(request.query_params, user=request.user)
        _valid(form)
        return form, selectors.capacity_analysis(request.user, **form.analysis_arguments())

    @extend_schema(
        summary="Capacity heatmap",
        description="People (or skills) by period: capacity, demand, utilisation and overloads, one page of "
        "rows; with the summary, the unassigned demand per period and the burnout risks.",
        parameters=[
            *HORIZON_PARAMETERS,
            _parameter("rows", OpenApiTypes.STR, "people (default) or skills.", enum=[value for value, _ in ROWS]),
            _parameter("sort", OpenApiTypes.STR, "peak (default), name or unit.", enum=[v for v, _ in HEATMAP_SORTS]),
            _parameter("overloaded", OpenApiTypes.BOOL, "true: only rows overloaded in some period."),
            LEVEL_PARAMETER,
            *PAGE_PARAMETERS,
        ],
        responses={200: CapacityHeatmapSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def heatmap(self, request):
        form, view = self._analysis(request, HeatmapForm)
        data = form.cleaned_data
        level = data["level"]
        if data["rows"] == "skills":
            order = view.skill_order(sort=data["sort"], overloaded_only=data["overloaded"], level=level)
            chosen, page = _page(request, order.tolist())
            rows = [view.skill_row(index, level=level) for index in chosen]
        else:
            order = view.people_order(sort=data["sort"], overloaded_only=data["overloaded"])
            chosen, page = _page(request, order.tolist())
            rows = [view.person_row(index) for index in chosen]
        risks = [
            {
                "resource": view.inputs.people[risk.resource_key].resource_id,
                "name": view.inputs.people[risk.resource_key].name,
                "first_period_start": risk.first_period_start,
                "periods": risk.periods,
                "demand_hours": round(risk.demand_hours, 2),
                "capacity_hours": round(risk.capacity_hours, 2),
                "overallocated_hours": round(risk.overallocated_hours, 2),
                "peak_utilisation": _fraction(risk.peak_utilisation),
            }
            for risk in view.result.burnout_risks
        ]
        body = {
            **_horizon(view, form),
            "rows": data["rows"],
            "level": level,
            "summary": _summary(view),
            "unassigned_demand_hours": _hours(view.result.unassigned_demand_hours.tolist()),
            **page,
            "results": [heatmap_row(row) for row in rows],
            "burnout_risks": risks,
        }
        return Response(CapacityHeatmapSerializer(body).data)

    @extend_schema(
        summary="Skills: demand against capacity, and gaps",
        description="Per skill with demand or holders in scope: demand needing the skill at the level or more "
        "and the capacity of its holders at that level, per period; the gap forecast with the engine's "
        "recommendation and reason, and the register's courses teaching the skill at the level needed.",
        parameters=[*HORIZON_PARAMETERS, LEVEL_PARAMETER],
        responses={200: CapacitySkillsSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def skills(self, request):
        form, view = self._analysis(request, SkillDemandForm)
        level = form.cleaned_data["level"]
        load = view.result.by_skill
        indices = [index for index, key in enumerate(load.skill_keys) if view.scope_skill_key in (None, key)]
        wanted: dict[int, int] = {}
        for gap in view.result.skill_gaps:
            wanted[int(gap.skill_key)] = min(wanted.get(int(gap.skill_key), 5), gap.required_level)
        courses = selectors.courses_for(request.user, wanted)
        skills = []
        for index in indices:
            row = view.skill_row(index, level=level)
            gaps = [
                {
                    "first_period_start": gap.first_period_start,
                    "periods": gap.periods,
                    "weeks": round(gap.weeks, 2),
                    "is_open_ended": gap.is_open_ended,
                    "required_level": gap.required_level,
                    "gap_hours": _hours(gap.gap_hours),
                    "total_gap_hours": round(gap.total_gap_hours, 2),
                    "peak_gap_hours": round(gap.peak_gap_hours, 2),
                    "mean_gap_hours_per_week": round(gap.mean_gap_hours_per_week, 2),
                    "full_time_equivalents": round(gap.full_time_equivalents, 3),
                    "recommendation": gap.recommendation.value,
                    "recommendation_label": selectors.RECOMMENDATIONS[gap.recommendation.value],
                    "reason": view.gap_reason(gap),
                    "courses": [
                        {
                            "course": course.course_id,
                            "name": course.name,
                            "provider": course.provider,
                            "level": course.level,
                            "cost": course.cost,
                            "duration_days": course.duration_days,
                        }
                        for course in courses.get(row.skill_id, [])
                        if course.level >= gap.required_level
                    ],
                }
                for gap in view.skill_gaps(row.key)
            ]
            skills.append(
                {
                    "skill": row.skill_id,
                    "name": row.name,
                    "holders": row.holders,
                    "demand_hours": _hours(cell.demand_hours for cell in row.cells),
                    "capacity_hours": _hours(cell.capacity_hours for cell in row.cells),
                    "gaps": gaps,
                }
            )
        skills.sort(key=lambda skill: skill["name"].casefold())
        body = {**_horizon(view, form), "level": level, "skills": skills}
        return Response(CapacitySkillsSerializer(body).data)

    @extend_schema(
        summary="Utilisation and billable utilisation",
        description="Totals over the horizon per person (one page) and per organisation unit.",
        parameters=[
            *HORIZON_PARAMETERS,
            _parameter(
                "sort",
                OpenApiTypes.STR,
                "name (default), unit, or a figure; '-' first for highest first.",
                enum=[value for value, _ in TOTALS_SORTS],
            ),
            *PAGE_PARAMETERS,
        ],
        responses={200: CapacityUtilisationSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def utilisation(self, request):
        form, view = self._analysis(request, UtilisationForm)
        sort = form.cleaned_data["sort"]
        people, page = _page(request, selectors.sort_totals(view.person_totals, sort))
        body = {
            **_horizon(view, form),
            "summary": _summary(view),
            "units": [totals_row(row) for row in selectors.sort_totals(view.unit_totals, sort)],
            **page,
            "results": [totals_row(row) for row in people],
        }
        return Response(CapacityUtilisationSerializer(body).data)

    @extend_schema(
        summary="Permanent and contingent mix",
        description="Capacity of permanent and contingent staff per organisation unit over the horizon and per "
        "period for the whole scope; contingent contracts ending inside the horizon.",
        parameters=HORIZON_PARAMETERS,
        responses={200: CapacityMixSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def mix(self, request):
        form, view = self._analysis(request, CapacityFilterForm)
        body = {
            **_horizon(view, form),
            "units": [mix_row(row) for row in selectors.unit_mix(view)],
            "by_period": [mix_row(row) for row in selectors.period_mix(view)],
            "contracts_ending": [
                {
                    "resource": contract.resource_id,
                    "name": contract.name,
                    "unit": contract.unit_name,
                    "contract_end": contract.contract_end,
                    "demand_after_hours": round(contract.demand_after_hours, 2),
                }
                for contract in selectors.contracts_ending(view)
            ],
        }
        return Response(CapacityMixSerializer(body).data)

    @extend_schema(
        summary="What fills a heatmap cell",
        description="The assignments and allocations in one person's period (or, resource=unassigned, the "
        "unassigned demand), largest first; they add up to the cell's demand. Projects you cannot see are "
        "counted but not named.",
        parameters=[
            OpenApiParameter(
                "resource",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="A person resource's id, or 'unassigned'.",
            ),
            OpenApiParameter(
                "period",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=True,
                description="A day of the period (its first day, usually).",
            ),
            *(
                parameter
                for parameter in HORIZON_PARAMETERS
                if parameter.name in ("kind", "unit", "skill", "threshold")
            ),
        ],
        responses={200: CapacityCellSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def cell(self, request):
        selectors.require_viewer(request.user)
        form = CellForm(request.query_params, user=request.user)
        _valid(form)
        (cell,) = selectors.resource_breakdown(request.user, **form.breakdown_arguments())
        body = {
            "resource": cell.resource_id,
            "name": cell.name,
            "period_start": cell.period_start,
            "period_end": cell.period_end,
            "capacity_hours": round(cell.capacity_hours, 2),
            "demand_hours": round(cell.demand_hours, 2),
            "utilisation": _fraction(cell.utilisation),
            "is_overloaded": cell.is_overloaded,
            "lines": [
                {
                    "source": line.source,
                    "source_id": line.source_id if line.project_id is not None else None,
                    "project": line.project_id,
                    "project_name": line.project,
                    "label": line.label,
                    "hours": round(line.hours, 2),
                    "is_billable": line.is_billable,
                }
                for line in cell.lines
            ],
        }
        return Response(CapacityCellSerializer(body).data)


def register(router) -> None:
    router.register("capacity", CapacityViewSet, basename="capacity")
