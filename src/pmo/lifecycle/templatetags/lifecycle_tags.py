"""Template tags other apps' pages use to show the lifecycle without depending on it in Python:
the project page renders its gate panel with ``{% load lifecycle_tags %}{% gate_panel project %}``
(inline, so the page makes no extra request for it)."""

from django import template

from pmo.core.choices import Action
from pmo.lifecycle.services import overview
from pmo.portfolio.models import Project

register = template.Library()


@register.inclusion_tag("lifecycle/_gate_panel.html", takes_context=True)
def gate_panel(context, project: Project) -> dict:
    user = context["request"].user
    return {
        **overview.project_gates(user, project),
        "project": project,
        "can_change": Project.objects.visible_to(user, Action.CHANGE).filter(pk=project.pk).exists(),
        "next_url": project.get_absolute_url(),
        "csrf_token": context.get("csrf_token"),
    }
