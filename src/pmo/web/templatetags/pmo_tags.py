"""Template helpers for the page frame and list tables."""

import datetime
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

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
