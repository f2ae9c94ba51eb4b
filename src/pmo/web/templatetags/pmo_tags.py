"""Template helpers for the page frame and list tables."""

import datetime
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def cell(row, column):
    """The display value of ``column`` for ``row``: dates ISO, money grouped, booleans as words."""
    value = column.value(row)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return intcomma(f"{value:,.0f}".replace(",", ""))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if column.css_class == "rag":
        return format_html('<span class="rag rag-{}">{}</span>', value, str(value).title())
    return value


@register.simple_tag
def sort_link(column, current_sort: str, querystring: str) -> str:
    """The query string that sorts by ``column``, toggling the direction on a second click."""
    key = column.order_by
    new = f"-{key}" if current_sort == key else key
    prefix = f"{querystring}&" if querystring else ""
    return f"?{prefix}sort={new}"


@register.filter
def rag_badge(value: str):
    return format_html('<span class="rag rag-{}">{}</span>', value, value.title())


@register.filter
def money(value) -> str:
    if value in (None, ""):
        return "—"
    return intcomma(f"{Decimal(value):.0f}")


class _ChartEncoder(DjangoJSONEncoder):
    """Figures for plotly.js: decimals as numbers (not strings), dates as ISO text."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


@register.simple_tag
def chart(figure: dict, chart_id: str, label: str = "", height: int = 320, clickable: bool = False):
    """An interactive chart: a plotly figure ``{"data": [...], "layout": {...}}`` drawn in the
    browser by ``web/charts.js`` with plotly.js from the plotly package. ``label`` describes the
    chart for screen readers; with ``clickable``, a point whose customdata is a path opens it."""
    data_id = f"{chart_id}-figure"
    return format_html(
        '<div class="chart" id="{}" data-chart="{}" role="img" aria-label="{}" style="min-height:{}px"{}></div>{}',
        chart_id,
        data_id,
        label,
        height,
        mark_safe(' data-click-url="1"') if clickable else "",
        json_script(figure, data_id, encoder=_ChartEncoder),
    )
