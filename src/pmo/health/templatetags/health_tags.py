"""Template helpers of health pages: a status as a badge, a figure in its unit."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from pmo.health.choices import HealthStatus
from pmo_engine.metrics import METRICS

register = template.Library()


@register.filter
def status_badge(value: str):
    """A RAG badge (the markup of ``rag_badge``); "not assessed" in grey."""
    if value in (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN):
        return format_html('<span class="rag rag-{}">{}</span>', value, value.title())
    return format_html('<span class="rag rag-none">{}</span>', "Not assessed")


@register.filter
def in_unit(value, unit: str) -> str:
    """A figure as a person reads it in its unit (money grouped, ratios to two places...)."""
    if value is None or value == "":
        return "—"
    value = float(value)
    if unit == "money":
        return intcomma(f"{value:.0f}")  # as the ``money`` filter shows it
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "percent":
        return f"{value:.1f} %"
    if unit == "weeks":
        return f"{value:.1f} wk"
    if unit == "days":
        return f"{value:.0f} d"
    return f"{value:g}"


@register.filter
def figure_value(value, figure: str) -> str:
    """A named figure's value in its unit (see METRICS)."""
    metric = METRICS.get(figure)
    return in_unit(value, metric.unit if metric else "")


@register.filter
def figure_label(figure: str) -> str:
    metric = METRICS.get(figure)
    return metric.label if metric else figure
