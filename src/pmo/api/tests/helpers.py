"""Small helpers the API tests share."""

from urllib.parse import urlencode

from django.urls import reverse

from pmo.core.models import AuditEvent

PASSWORD = "correct-horse-battery-9"


def url(basename: str, pk=None, route: str | None = None, /, **query) -> str:
    """``api:<basename>-list`` / ``-detail`` / ``-<route>`` (an extra action such as ``archive``),
    with the keyword arguments as the query string."""
    if route is not None:
        path = reverse(f"api:{basename}-{route}", args=[pk])
    elif pk is not None:
        path = reverse(f"api:{basename}-detail", args=[pk])
    else:
        path = reverse(f"api:{basename}-list")
    if query:
        path += "?" + urlencode(query, doseq=True)
    return path


def events_about(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(obj).order_by("id"))
