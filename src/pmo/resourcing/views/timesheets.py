"""Pages: the weekly timesheet grid, a timesheet's page, the approvals queue, reopening an
approved week, and the resources and actuals panel of the project page.

The views parse the request and call the services; a refusal shows the page again with what the
user typed and a message naming the line and the day.
"""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.portfolio.models import Project
from pmo.resourcing.choices import TimesheetStatus
from pmo.resourcing.forms.timesheets import ApprovalDecisionsForm, ReopenForm, TimesheetGridForm, WeekChoiceForm
from pmo.resourcing.models import DAYS_IN_WEEK, Resource, Timesheet, TimesheetApproval, week_of
from pmo.resourcing.selectors import timesheets as selectors
from pmo.resourcing.selectors.timesheets import GridRow
from pmo.resourcing.services import timesheets as services


def _hours(value) -> str:
    return selectors.hours_text(value) or "0"


def _on_the_row(message: str, line: int, label: str) -> str:
    """A problem as shown on its own row: without the "Line 2 (label)" that names the row."""
    for prefix in (f"Line {line} ({label})", f"Line {line}"):
        if message.startswith(prefix):
            rest = message[len(prefix) :].lstrip(",: ")
            return rest[:1].upper() + rest[1:]
    return message


# --- the week --------------------------------------------------------------------------------


class TimesheetWeekView(LoginRequiredMixin, View):
    """``?week=YYYY-MM-DD`` (any day of the week; this week by default) and, for a role that
    enters hours for others, ``?resource=ID``. GET shows the grid; POST saves, submits, or adds a
    row (without saving)."""

    template_name = "resourcing/timesheet_week.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.choice = WeekChoiceForm(request.GET)
        self.week_error = ""
        if not self.choice.is_valid():
            self.week_error = f"'{request.GET.get('week', '')}' is not a date like 2026-03-02; showing this week."
        self.week_start = week_of(self.choice.chosen_week(timezone.localdate()))

    @cached_property
    def own_resource(self) -> Resource | None:
        return selectors.resource_of(self.request.user)

    def _resource(self) -> Resource | None:
        user = self.request.user
        own = self.own_resource
        wanted = self.choice.cleaned_data.get("resource") if self.choice.is_valid() else None
        if wanted is None or (own is not None and wanted == own.pk):
            return own
        if not grants_for(user).allows_everywhere(Action.VIEW):
            raise Http404("No such person's timesheet is visible to you.")
        return get_object_or_404(Resource.objects.visible_to(user).people().select_related("person"), pk=wanted)

    def _url(self, resource: Resource | None, week_start: date) -> str:
        query = {"week": week_start.isoformat()}
        if resource is not None and resource != self.own_resource:
            query["resource"] = resource.pk
        return f"{reverse('resourcing:timesheet_week')}?{urlencode(query)}"

    def get(self, request):
        resource = self._resource()
        if resource is None:
            return self._render(None, None, rows=None)
        timesheet = Timesheet.objects.filter(resource=resource, week_start=self.week_start).first()
        return self._render(resource, timesheet, rows=None)

    def post(self, request):
        resource = self._resource()
        if resource is None:
            raise Http404("Your login is not linked to a resource, so it has no timesheet.")
        timesheet = Timesheet.objects.filter(resource=resource, week_start=self.week_start).first()
        if not self._may_enter(resource):
            raise PermissionDenied(f"You may not enter hours for {resource}.")
        form = TimesheetGridForm(request.POST)
        choices = selectors.entry_choices(resource, self.week_start)
        labels = selectors.row_labels(choices, timesheet)
        if not form.is_valid():
            errors = [message for messages_ in form.errors.values() for message in messages_]
            return self._render(resource, timesheet, rows=form.grid_rows(labels), errors=errors)
        action = form.cleaned_data["action"]
        rows = form.grid_rows(labels)
        if action == "add":
            return self._render(
                resource, timesheet, rows=self._with_row(rows, form.cleaned_data["add_target"], choices)
            )
        try:
            with transaction.atomic():
                week = services.week_for(actor=request.user, resource=resource, week_start=self.week_start)
                week = services.save_lines(actor=request.user, timesheet=week, lines=form.service_lines())
                if action == "submit":
                    week = services.submit(actor=request.user, timesheet=week)
        except services.InvalidLines as error:
            day_problems = self._mark(rows, error.problems)
            every = [problem.message for problem in error.problems]
            return self._render(resource, timesheet, rows=rows, errors=every, day_problems=day_problems)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except InvalidData as error:
            errors = [message for messages_ in error.errors.values() for message in messages_]
            return self._render(resource, timesheet, rows=rows, errors=errors)
        except DomainError as error:
            return self._render(resource, timesheet, rows=rows, errors=[error.message])
        # (On a refusal above, the week as it was stored is shown: the transaction undid the rest.)
        named = f"the week of {self.week_start.isoformat()}"
        if action == "submit":
            parts = ", ".join(
                approval.project.code if approval.project else "the PMO"
                for approval in week.approvals.select_related("project").order_by("project__code")
            )
            messages.success(request, f"Submitted {named} ({_hours(week.total_hours)} hours) for approval by {parts}.")
        else:
            messages.success(request, f"Saved {named}: {_hours(week.total_hours)} hours.")
        return redirect(self._url(resource, self.week_start))

    def _may_enter(self, resource: Resource) -> bool:
        person = resource.person
        is_owner = person is not None and person.user_id == self.request.user.pk
        return is_owner or selectors.may_enter_for_others(self.request.user)

    @staticmethod
    def _with_row(rows: list[GridRow], key: str, choices: selectors.EntryChoices) -> list[GridRow]:
        choice = choices.by_key.get(key)
        if choice is None or any(row.key == key for row in rows):
            return rows
        return [
            *rows,
            GridRow(key=key, label=choice.label, is_billable=choice.is_billable, cells=[""] * DAYS_IN_WEEK),
        ]

    @staticmethod
    def _mark(rows: list[GridRow], problems) -> dict[int, list[str]]:
        """Put each problem on its row and cell; the problems of whole days are returned by day."""
        by_day: dict[int, list[str]] = {}
        for problem in problems:
            if problem.line is None:
                if problem.day is not None:
                    by_day.setdefault(problem.day, []).append(problem.message)
                continue
            row = rows[problem.line - 1]
            row.problems.append(_on_the_row(problem.message, problem.line, row.label))
            if problem.day is not None:
                row.invalid_days.add(problem.day)
        return by_day

    def _render(
        self,
        resource: Resource | None,
        timesheet: Timesheet | None,
        *,
        rows: list[GridRow] | None,
        errors: list[str] = (),
        day_problems: dict | None = None,
    ):
        user = self.request.user
        context = {
            "week_start": self.week_start,
            "week_end": self.week_start + timedelta(days=DAYS_IN_WEEK - 1),
            "week_error": self.week_error,
            "resource": resource,
            "resources": selectors.resources_for_entry(user),
            "errors": list(errors),
        }
        if resource is not None:
            may_enter = self._may_enter(resource)
            can_edit = may_enter and (timesheet is None or timesheet.is_editable)
            grid = selectors.week_grid(resource, self.week_start, timesheet, with_suggestions=can_edit and rows is None)
            if rows is not None:
                grid.rows = rows
            grid.day_problems = day_problems or {}
            context.update(
                grid=grid,
                timesheet=timesheet,
                can_edit=can_edit,
                is_owner=resource.person is not None and resource.person.user_id == user.pk,
                status=selectors.week_status(timesheet),
                recent=[
                    {"week": week, "url": self._url(resource, week.week_start)}
                    for week in selectors.recent_weeks(resource)
                ],
                this_week_url=self._url(resource, week_of(timezone.localdate())),
                previous_url=self._url(resource, self.week_start - timedelta(days=7)),
                next_url=self._url(resource, self.week_start + timedelta(days=7)),
                post_url=self._url(resource, self.week_start),
            )
        return render(self.request, self.template_name, context)


# --- one timesheet ---------------------------------------------------------------------------


class TimesheetDetailView(LoginRequiredMixin, TemplateView):
    """A week as its owner, its approvers and the PMO see it, with the parts the user may decide."""

    template_name = "resourcing/timesheet_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        timesheet = get_object_or_404(
            selectors.timesheets_visible_to(user).select_related("resource__person"), pk=kwargs["pk"]
        )
        rows = selectors.stored_rows(timesheet)
        grid = selectors.WeekGrid(
            resource=timesheet.resource,
            week_start=timesheet.week_start,
            timesheet=timesheet,
            rows=rows,
            choices=selectors.EntryChoices([], [], []),
        )
        decidable = set(selectors.decidable_approvals(user).filter(timesheet=timesheet).values_list("pk", flat=True))
        person = timesheet.resource.person
        is_owner = person is not None and person.user_id == user.pk
        week_url = f"{reverse('resourcing:timesheet_week')}?week={timesheet.week_start.isoformat()}"
        if not is_owner:
            week_url += f"&resource={timesheet.resource_id}"
        context.update(
            timesheet=timesheet,
            grid=grid,
            status=selectors.week_status(timesheet),
            decidable=decidable,
            is_owner=is_owner,
            can_reopen=timesheet.status == TimesheetStatus.APPROVED
            and grants_for(user).allows_everywhere(Action.CHANGE),
            reopen_form=ReopenForm(),
            week_url=week_url if is_owner or grants_for(user).allows_everywhere(Action.VIEW) else "",
        )
        return context


class TimesheetReopenView(LoginRequiredMixin, View):
    """POST: reopen an approved week for a correction, with the reason."""

    def post(self, request, pk):
        timesheet = get_object_or_404(selectors.timesheets_visible_to(request.user), pk=pk)
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Reopening needs a reason: " + " ".join(form.errors.get("reason", [])))
            return redirect(timesheet)
        try:
            services.reopen(actor=request.user, timesheet=timesheet, reason=form.cleaned_data["reason"])
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Reopened {timesheet}; {timesheet.resource} can correct and submit it again.")
        return redirect(timesheet)


# --- the approvals queue ---------------------------------------------------------------------


class TimesheetApprovalsView(LoginRequiredMixin, View):
    """The parts of submitted weeks waiting for the user's decision (``?project=ID`` narrows to
    one project); POST approves or rejects one part, or approves the ticked ones."""

    template_name = "resourcing/timesheet_approvals.html"

    def _project_id(self) -> int | None:
        value = self.request.GET.get("project", "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    def get(self, request):
        return self._render()

    def post(self, request):
        part_ids = list(selectors.decidable_approvals(request.user).values_list("pk", flat=True))
        form = ApprovalDecisionsForm(request.POST, part_ids=part_ids)
        if not form.is_valid():
            errors = [message for messages_ in form.errors.values() for message in messages_]
            return self._render(errors=errors, comments=form.comments())
        approvals = TimesheetApproval.objects.select_related("timesheet__resource", "project").in_bulk(
            [pk for pk, _, _ in form.decisions()]
        )
        done, part_errors = [], {}
        for pk, approve, comment in form.decisions():
            approval = approvals[pk]
            try:
                services.decide(actor=request.user, approval=approval, approve=approve, comment=comment)
            except PermissionRefused as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                part_errors[pk] = error.message
            else:
                done.append((approval, approve))
        for approval, approve in done:
            what = selectors.QueueItem(approval=approval, lines=[]).part_name
            verb = "Approved" if approve else "Rejected"
            messages.success(
                request,
                f"{verb} {approval.timesheet.resource}'s hours on {what}, week of "
                f"{approval.timesheet.week_start.isoformat()}.",
            )
        if part_errors:
            return self._render(part_errors=part_errors, comments=form.comments())
        return HttpResponseRedirect(self._next_url())

    def _next_url(self) -> str:
        wanted = self.request.POST.get("next", "")
        if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            return wanted
        project_id = self._project_id()
        url = reverse("resourcing:timesheet_approvals")
        return f"{url}?project={project_id}" if project_id else url

    def _render(self, *, errors=(), part_errors=None, comments=None):
        user = self.request.user
        project_id = self._project_id()
        queue = selectors.approvals_queue(user, project_id=project_id)
        part_errors = dict(part_errors or {})
        for item in queue:
            item.comment = (comments or {}).get(item.approval.pk, "")
            item.error = part_errors.pop(item.approval.pk, "")
        # Parts no longer in the queue (decided meanwhile) are reported at the top.
        errors = [*errors, *part_errors.values()]
        context = {
            "queue": queue,
            "projects": selectors.queue_projects(user),
            "project_id": project_id,
            "errors": list(errors),
            "days": [
                {"name": name, "short": short}
                for name, short in zip(selectors.DAY_NAMES, selectors.SHORT_DAY_NAMES, strict=True)
            ],
        }
        return render(self.request, self.template_name, context)


# --- the project page's panel ----------------------------------------------------------------


class ProjectResourcesSummaryView(LoginRequiredMixin, TemplateView):
    """The resources and actuals panel of the project page: planned against actual hours and
    cost per person, hours waiting for approval, and the parts waiting for the user."""

    template_name = "resourcing/partials/timesheet_project_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = get_object_or_404(Project.objects.visible_to(user, Action.VIEW), pk=kwargs["pk"])
        may_change = Project.objects.visible_to(user, Action.CHANGE).filter(pk=project.pk).exists()
        context.update(
            project=project,
            # Costs reveal people's rates: shown to those who manage the project or the organisation.
            show_costs=may_change or grants_for(user).allows_everywhere(Action.VIEW),
            waiting_for_me=selectors.decidable_approvals(user).filter(project=project).count(),
            **selectors.project_actuals(project),
        )
        return context


urlpatterns = [
    path("timesheets/", TimesheetWeekView.as_view(), name="timesheet_week"),
    path("timesheets/approvals/", TimesheetApprovalsView.as_view(), name="timesheet_approvals"),
    path("timesheets/<int:pk>/", TimesheetDetailView.as_view(), name="timesheet_detail"),
    path("timesheets/<int:pk>/reopen/", TimesheetReopenView.as_view(), name="timesheet_reopen"),
    path(
        "projects/<int:pk>/resources/summary/",
        ProjectResourcesSummaryView.as_view(),
        name="project_resources_summary",
    ),
]
