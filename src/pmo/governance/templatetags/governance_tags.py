"""Template tags of governance: the unread notifications count for the page frame, entry fields."""

from django import template

from pmo.governance.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread notifications the signed-in user has (once per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_pmo_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.visible_to(user).unread().count()
        request._pmo_unread_notifications = cached
    return cached


@register.filter
def field_value(obj, name: str):
    """The shown value of a field: its choice label, or the value."""
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(obj, name)
    return "—" if value in (None, "") else value


@register.filter
def field_label(obj, name: str) -> str:
    return obj._meta.get_field(name).verbose_name.capitalize()
