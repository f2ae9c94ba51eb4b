"""Capacity pages: the heatmap (people or skills by period) with its drill-down into a cell, skill
demand against capacity with the gap forecast, utilisation, and the permanent/contingent mix;
each with its Excel export.

Anyone with a role may open them. The pages only parse the query string (``forms.capacity``) and
call the selectors; a wrong parameter shows the page's filters with the message (400), never a
trace. Rows are paginated, so 5,000 people cost the same page size as 50.
"""

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views import View

from pmo.core.errors import InvalidData, PermissionRefused
from pmo.resourcing.exports import capacity as exports
from pmo.resourcing.forms.capacity import (
    CapacityFilterForm,
    CellForm,
    HeatmapForm,
    PersonExportForm,
    SkillDemandForm,
    UtilisationForm,
)
from pmo.resourcing.selectors import capacity as selectors

ROWS_PER_PAGE = 50
SKILLS_PER_PAGE = 10
BURNOUT_SHOWN = 20
PAGES = [
    ("resourcing:capacity_heatmap", "Heatmap"),
    ("resourcing:capacity_skills", "Skills"),
    ("resourcing:capacity_utilisation", "Utilisation"),
    ("resourcing:capacity_mix", "Permanent and contingent"),
]
SHARED_PARAMETERS = ("start", "periods", "kind", "unit", "skill", "threshold", "burnout_weeks")


def _require_role(user) -> None:
    try:
        selectors.require_viewer(user)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from None


def shared_query(form) -> str:
    """The query string of the filters every capacity page shares (for the tabs and exports)."""
    query = form.data.copy()
    for name in list(query):
        if name not in SHARED_PARAMETERS:
            query.pop(name)
    return query.urlencode()


class CapacityPage(LoginRequiredMixin, View, ABC):
    """GET: validate the query string, compute the capacity view, and render the page (400 with
    the filters and their messages when a parameter is wrong)."""

    form_class = CapacityFilterForm
    template_name = ""
    title = ""
    url_name = ""

    def get(self, request):
        _require_role(request.user)
        form = self.form_class(request.GET, user=request.user)
        context = {"form": form, "title": self.title, "pages": PAGES, "url_name": self.url_name}
        if form.is_valid():
            try:
                view = selectors.capacity_analysis(request.user, **form.analysis_arguments())
            except InvalidData as error:
                for field, messages in error.errors.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                context.update(
                    shared_query=shared_query(form), capacity=view, summary=view.summary, **self.page(view, form)
                )
                return render(request, self.template_name, context)
        context["shared_query"] = ""
        return render(request, self.template_name, context, status=400)

    @abstractmethod
    def page(self, view, form) -> dict:
        """What this page adds to the context, from the analysis ``view`` and the valid ``form``."""


@dataclass(frozen=True)
class Column:
    period_start: object
    label: str
    title: str


def period_columns(view) -> list[Column]:
    monthly = view.grid.kind.value == "month"
    return [
        Column(
            start,
            start.strftime("%b %Y") if monthly else f"{start.day} {start.strftime('%b')}",
            f"Month of {start.strftime('%B %Y')}" if monthly else f"Week of {start.isoformat()}",
        )
        for start in view.period_starts
    ]


def legend(view) -> list[tuple[str, str]]:
    """The colour bands, labelled for the threshold in force (a low threshold leaves out the bands
    it overtakes)."""
    threshold = round(100 * view.threshold)
    bands = [("low", f"Under {min(50, threshold)} %")]
    if threshold > 50:
        bands.append(("mid", f"50 to {min(85, threshold)} %"))
    if threshold > 85:
        bands.append(("high", f"85 to {threshold} %"))
    bands += [
        ("over", f"Overloaded: above {threshold} %"),
        ("none", "No capacity (leave, holidays, part-time days off)"),
    ]
    return bands


def burnout_rows(view) -> list[dict]:
    risks = sorted(
        view.result.burnout_risks, key=lambda risk: (-risk.periods, -risk.overallocated_hours, risk.resource_key)
    )
    return [
        {
            "resource_id": view.inputs.people[risk.resource_key].resource_id,
            "name": view.inputs.people[risk.resource_key].name,
            "first_period_start": risk.first_period_start,
            "periods": risk.periods,
            "overallocated_hours": risk.overallocated_hours,
            "peak_percent": None if math.isinf(risk.peak_utilisation) else round(100 * risk.peak_utilisation),
        }
        for risk in risks
    ]


def _cell_text(cell) -> str:
    if cell.percent is not None:
        return str(cell.percent)
    return "\u221e" if cell.demand_hours > 0 else "\u2013"  # infinity: work on days without capacity


def heatmap_cells(rows, *, rows_are: str, period_starts, cell_url: str) -> list[tuple]:
    """Each row with its period cells as ready HTML: 5,000 cells a page are too many for template
    tags. People's cells link to their drill-down (a plain link, and htmx into the side panel)."""
    days = [start.isoformat() for start in period_starts]
    rendered = []
    for row in rows:
        parts = []
        if rows_are == "skills":
            for day, cell in zip(days, row.cells, strict=True):
                title = f"{day}: demand {cell.demand_hours:.1f} h, capacity of holders {cell.capacity_hours:.1f} h"
                parts.append(f'<td class="cell band-{cell.band}" title="{title}">{_cell_text(cell)}</td>')
        else:
            name = escape(row.name)
            base = escape(f"{cell_url}resource={row.resource_id}&period=")
            for day, cell in zip(days, row.cells, strict=True):
                href = f"{base}{day}"
                title = f"{name}, {day}: {cell.demand_hours:.1f} h of work on {cell.capacity_hours:.1f} h of capacity"
                parts.append(
                    f'<td class="cell band-{cell.band}"><a href="{href}" hx-get="{href}" hx-target="#capacity-cell" '
                    f'title="{title}">{_cell_text(cell)}</a></td>'
                )
        # Safe: names and links are escaped above; everything else is a number, a date or a band.
        rendered.append((row, mark_safe("".join(parts))))
    return rendered


class HeatmapView(CapacityPage):
    """People (or skills) by week or month, coloured by utilisation; a cell opens what fills it."""

    form_class = HeatmapForm
    template_name = "resourcing/capacity_heatmap.html"
    title = "Capacity heatmap"
    url_name = "resourcing:capacity_heatmap"

    def page(self, view, form) -> dict:
        data = form.cleaned_data
        if data["rows"] == "skills":
            order = view.skill_order(sort=data["sort"], overloaded_only=data["overloaded"], level=data["level"])
        else:
            order = view.people_order(sort=data["sort"], overloaded_only=data["overloaded"])
        paginator = Paginator(order.tolist(), ROWS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        if data["rows"] == "skills":
            rows = [view.skill_row(index, level=data["level"]) for index in page.object_list]
        else:
            rows = [view.person_row(index) for index in page.object_list]
        query = form.data.copy()
        query.pop("page", None)
        cell_query = shared_query(form)
        risks = burnout_rows(view)
        cell_url = reverse("resourcing:capacity_cell") + "?" + (cell_query + "&" if cell_query else "")
        return {
            "rows": rows,
            "row_cells": heatmap_cells(
                rows, rows_are=data["rows"], period_starts=view.period_starts, cell_url=cell_url
            ),
            "rows_are": data["rows"],
            "page_obj": page,
            "paginator": paginator,
            "querystring": query.urlencode(),
            "columns": period_columns(view),
            "legend": legend(view),
            "cell_url": cell_url,
            "skill_url": reverse("resourcing:capacity_skills") + "?" + shared_query_without(form, "skill"),
            "unassigned": [
                {"period_start": start, "hours": hours}
                for start, hours in zip(view.period_starts, view.result.unassigned_demand_hours.tolist(), strict=True)
            ],
            "burnout_risks": risks[:BURNOUT_SHOWN],
            "burnout_more": max(0, len(risks) - BURNOUT_SHOWN),
            "export_url": reverse("resourcing:capacity_heatmap_export") + "?" + form.data.urlencode(),
        }


def shared_query_without(form, *names: str) -> str:
    query = form.data.copy()
    for name in list(query):
        if name not in SHARED_PARAMETERS or name in names:
            query.pop(name)
    return query.urlencode() + ("&" if query else "")


class CellView(LoginRequiredMixin, View):
    """What fills one cell: ``?resource=<id>|unassigned&period=<date>`` with the heatmap's filters.
    A fragment for htmx, a whole page otherwise."""

    def get(self, request):
        _require_role(request.user)
        form = CellForm(request.GET, user=request.user)
        template = (
            "resourcing/partials/capacity_cell.html"
            if getattr(request, "htmx", False)
            else "resourcing/capacity_cell.html"
        )
        context = {"form": form, "title": "What fills this period"}
        if form.is_valid():
            try:
                (cell,) = selectors.resource_breakdown(request.user, **form.breakdown_arguments())
            except InvalidData as error:
                for field, messages in error.errors.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                context.update(
                    cell=cell,
                    heatmap_url=reverse("resourcing:capacity_heatmap") + "?" + shared_query(form),
                    export_url=reverse("resourcing:capacity_person_export")
                    + "?"
                    + urlencode({"resource": cell.resource_id or "unassigned"})
                    + ("&" + shared_query(form) if shared_query(form) else ""),
                )
                return render(request, template, context)
        # htmx swaps no 4xx answer into the page: the panel shows the message with a 200 instead.
        return render(request, template, context, status=200 if getattr(request, "htmx", False) else 400)


# --- skills -------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM, CHART_TOP = 720, 190, 48, 22, 10


def skill_chart(row) -> dict:
    """An inline SVG chart: bars of demand per period against a step line of the holders'
    capacity. Coordinates in the SVG's own units."""
    cells = row.cells
    count = max(1, len(cells))
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    top = max([1.0, *(cell.demand_hours for cell in cells), *(cell.capacity_hours for cell in cells)])
    slot = plot_width / count

    def y(hours: float) -> float:
        return round(CHART_TOP + plot_height * (1 - hours / top), 1)

    bars, steps = [], []
    for index, cell in enumerate(cells):
        x = CHART_LEFT + index * slot
        bars.append(
            {
                "x": round(x + slot * 0.15, 1),
                "y": y(cell.demand_hours),
                "width": round(slot * 0.7, 1),
                "height": round(CHART_TOP + plot_height - y(cell.demand_hours), 1),
                "is_over": cell.is_overloaded,
                "title": f"{cell.period_start.isoformat()}: demand {cell.demand_hours:.1f} h, "
                f"capacity {cell.capacity_hours:.1f} h",
            }
        )
        command = "M" if index == 0 else "L"
        steps.append(f"{command}{x:.1f},{y(cell.capacity_hours)} H{x + slot:.1f}")
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": CHART_TOP + plot_height,
        "right": CHART_WIDTH - 8,
        "top_label": f"{top:.0f} h",
        "top": CHART_TOP,
        "bars": bars,
        "capacity_path": " ".join(steps),
        "first_label": cells[0].period_start.isoformat() if cells else "",
        "last_label": cells[-1].period_start.isoformat() if cells else "",
        "label_y": CHART_HEIGHT - 6,
    }


def skill_sections(view, indices, level: int, user) -> list[dict]:
    load = view.result.by_skill
    gaps_by_skill = {load.skill_keys[index]: view.skill_gaps(load.skill_keys[index]) for index in indices}
    wanted = {}
    for key, gaps in gaps_by_skill.items():
        if gaps:
            wanted[int(key)] = min(gap.required_level for gap in gaps)
    courses = selectors.courses_for(user, wanted)
    sections = []
    for index in indices:
        row = view.skill_row(index, level=level)
        key = load.skill_keys[index]
        gaps = [
            {
                "gap": gap,
                "reason": view.gap_reason(gap),
                "recommendation": selectors.RECOMMENDATIONS[gap.recommendation.value],
                "courses": [course for course in courses.get(int(key), []) if course.level >= gap.required_level],
            }
            for gap in gaps_by_skill[key]
        ]
        sections.append({"row": row, "chart": skill_chart(row), "gaps": gaps, "level": level})
    return sections


def skill_indices(view) -> list[int]:
    """The skills to show: the chosen one, or every skill with demand or a gap, biggest gap first."""
    load = view.result.by_skill
    indices = list(range(len(load.skill_keys)))
    if view.scope_skill_key is not None:
        return [index for index in indices if load.skill_keys[index] == view.scope_skill_key]
    gap_totals = load.gap_hours.sum(axis=1).tolist()
    demand_totals = load.demand_hours[:, 0, :].sum(axis=1).tolist()
    shown = [index for index in indices if gap_totals[index] > 0 or demand_totals[index] > 0]
    return sorted(
        shown, key=lambda index: (-gap_totals[index], -demand_totals[index], view.skill_name(load.skill_keys[index]))
    )


class SkillsView(CapacityPage):
    """Per skill: demand against the capacity of its holders, and the gap forecast with courses."""

    form_class = SkillDemandForm
    template_name = "resourcing/capacity_skills.html"
    title = "Skills: demand against capacity"
    url_name = "resourcing:capacity_skills"

    def page(self, view, form) -> dict:
        level = form.cleaned_data["level"]
        indices = skill_indices(view)
        paginator = Paginator(indices, SKILLS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        query = form.data.copy()
        query.pop("page", None)
        return {
            "sections": skill_sections(view, page.object_list, level, self.request.user),
            "page_obj": page,
            "paginator": paginator,
            "querystring": query.urlencode(),
            "level": level,
            "export_url": reverse("resourcing:capacity_skills_export") + "?" + form.data.urlencode(),
        }


class UtilisationView(CapacityPage):
    """Utilisation and billable utilisation per person and per unit over the horizon."""

    form_class = UtilisationForm
    template_name = "resourcing/capacity_utilisation.html"
    title = "Utilisation"
    url_name = "resourcing:capacity_utilisation"

    def page(self, view, form) -> dict:
        sort = form.cleaned_data["sort"]
        people = selectors.sort_totals(view.person_totals, sort)
        paginator = Paginator(people, ROWS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        query = form.data.copy()
        query.pop("page", None)
        sortless = query.copy()
        sortless.pop("sort", None)
        return {
            "people": page.object_list,
            "units": selectors.sort_totals(view.unit_totals, sort),
            "page_obj": page,
            "paginator": paginator,
            "querystring": query.urlencode(),
            "sortless": sortless.urlencode() + ("&" if sortless else ""),
            "sort": sort,
            "export_url": reverse("resourcing:capacity_utilisation_export") + "?" + form.data.urlencode(),
        }


class MixView(CapacityPage):
    """Permanent and contingent capacity by unit and by period; contracts ending in the horizon."""

    template_name = "resourcing/capacity_mix.html"
    title = "Permanent and contingent capacity"
    url_name = "resourcing:capacity_mix"

    def page(self, view, form) -> dict:
        periods = selectors.period_mix(view)
        width = max(1, len(periods))
        slot = 700 / width
        bars = [
            {
                "x": round(10 + index * slot, 1),
                "width": round(max(1.0, slot * 0.8), 1),
                "contingent_height": round(120 * (mix.contingent_share or 0), 1),
                "permanent_height": round(120 * (1 - (mix.contingent_share or 0)) if mix.total_hours else 0, 1),
                "title": f"{mix.period_start.isoformat()}: {mix.permanent_hours:.0f} h permanent, "
                f"{mix.contingent_hours:.0f} h contingent",
            }
            for index, mix in enumerate(periods)
        ]
        return {
            "units": selectors.unit_mix(view),
            "periods": periods,
            "bars": bars,
            "contracts": selectors.contracts_ending(view),
        }


# --- exports ------------------------------------------------------------------------------------


def _workbook(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CapacityExport(LoginRequiredMixin, View, ABC):
    """GET: the page's workbook for the same query string; 400 with the message when it is wrong."""

    form_class = CapacityFilterForm

    def get(self, request):
        _require_role(request.user)
        form = self.form_class(request.GET, user=request.user)
        if form.is_valid():
            try:
                return self.export(form)
            except InvalidData as error:
                return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
        message = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")

    @abstractmethod
    def export(self, form) -> HttpResponse:
        """The workbook of this export for the valid ``form``."""


class HeatmapExport(CapacityExport):
    form_class = HeatmapForm

    def export(self, form):
        data = form.cleaned_data
        view = selectors.capacity_analysis(self.request.user, **form.analysis_arguments())
        if data["rows"] == "skills":
            order = view.skill_order(sort=data["sort"], overloaded_only=data["overloaded"], level=data["level"])
        else:
            order = view.people_order(sort=data["sort"], overloaded_only=data["overloaded"])
        content = exports.heatmap_workbook(view, order, rows_are=data["rows"], level=data["level"])
        return _workbook(content, f"capacity-heatmap-{view.grid.start.isoformat()}.xlsx")


class UtilisationExport(CapacityExport):
    form_class = UtilisationForm

    def export(self, form):
        view = selectors.capacity_analysis(self.request.user, **form.analysis_arguments())
        sort = form.cleaned_data["sort"]
        content = exports.utilisation_workbook(
            view, selectors.sort_totals(view.person_totals, sort), selectors.sort_totals(view.unit_totals, sort)
        )
        return _workbook(content, f"utilisation-{view.grid.start.isoformat()}.xlsx")


class SkillsExport(CapacityExport):
    form_class = SkillDemandForm

    def export(self, form):
        view = selectors.capacity_analysis(self.request.user, **form.analysis_arguments())
        level = form.cleaned_data["level"]
        indices = skill_indices(view)
        gaps = [gap for gap in view.result.skill_gaps if view.scope_skill_key in (None, gap.skill_key)]
        wanted: dict[int, int] = {}
        for gap in gaps:
            wanted[int(gap.skill_key)] = min(wanted.get(int(gap.skill_key), 5), gap.required_level)
        content = exports.skill_gaps_workbook(
            view,
            gaps,
            selectors.courses_for(self.request.user, wanted),
            [view.skill_row(index, level=level) for index in indices],
        )
        return _workbook(content, f"skill-gaps-{view.grid.start.isoformat()}.xlsx")


class PersonExport(CapacityExport):
    """One person's (or the unassigned) demand, period by period, over the heatmap's horizon."""

    form_class = PersonExportForm

    def export(self, form):
        cells = selectors.resource_breakdown(self.request.user, **form.breakdown_arguments())
        name = cells[0].name if cells else ""
        about = [
            ("First day", cells[0].period_start if cells else None),
            ("Periods", f"{len(cells)} {form.cleaned_data['kind']}(s)"),
            ("Overloaded above (%)", form.cleaned_data["threshold"]),
        ]
        content = exports.person_demand_workbook(name, cells, about)
        who = "unassigned" if form.cleaned_data["resource"] is None else f"resource-{form.cleaned_data['resource']}"
        return _workbook(content, f"demand-{who}-{form.cleaned_data['start'].isoformat()}.xlsx")


urlpatterns = [
    path("capacity/", HeatmapView.as_view(), name="capacity_heatmap"),
    path("capacity/cell/", CellView.as_view(), name="capacity_cell"),
    path("capacity/skills/", SkillsView.as_view(), name="capacity_skills"),
    path("capacity/utilisation/", UtilisationView.as_view(), name="capacity_utilisation"),
    path("capacity/mix/", MixView.as_view(), name="capacity_mix"),
    path("capacity/export/heatmap/", HeatmapExport.as_view(), name="capacity_heatmap_export"),
    path("capacity/export/skills/", SkillsExport.as_view(), name="capacity_skills_export"),
    path("capacity/export/utilisation/", UtilisationExport.as_view(), name="capacity_utilisation_export"),
    path("capacity/export/person/", PersonExport.as_view(), name="capacity_person_export"),
]
