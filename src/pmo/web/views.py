"""The page frame: sign in and out, the home page of the signed-in person, error pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import TemplateView

from pmo.core.choices import Role
from pmo.core.permissions import grants_for
from pmo.portfolio import selectors


class HomeView(LoginRequiredMixin, TemplateView):
    """What the signed-in person needs first: their projects, what needs attention, and totals."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grants = grants_for(self.request.user)
        context.update(selectors.home_overview(self.request.user))
        context["role_labels"] = sorted(Role(role).label for role in grants.roles)
        context["person"] = getattr(self.request.user, "person", None)
        return context


def permission_denied(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
