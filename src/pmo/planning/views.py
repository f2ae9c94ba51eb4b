"""Plan pages: the Gantt of a project or programme (with its data as JSON), the activity
editor, rescheduling, baselines, and the schedule panel of the project page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ObjectEditView, ServiceFormView
from pmo.planning import selectors, services
from pmo.planning.exports import EXPORT_WRITERS, export_plan
from pmo.planning.forms import ActivityForm, BaselineForm, CalendarForm, PlanImportForm, ProgressForm, RescheduleForm
from pmo.planning.imports import import_plan, read_upload
from pmo.planning.models import Activity, Baseline, Calendar
from pmo.portfolio.models import Programme, Project


def _visible_project(user, pk) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user, Action.VIEW).select_related("portfolio", "programme"), pk=pk
    )


class GanttView(LoginRequiredMixin, TemplateView):
    """The Gantt chart of one project or of every project of a programme the user can see."""

    template_name = "planning/gantt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "programme_pk" in kwargs:
            programme = get_object_or_404(Programme.objects.visible_to(self.request.user), pk=kwargs["programme_pk"])
            context.update(subject=programme, data_query=f"programme={programme.pk}", programme=programme)
            projects = Project.objects.visible_to(self.request.user).filter(programme=programme, is_archived=False)
            context["can_edit"] = projects.visible_to(self.request.user, Action.CHANGE).exists()
        else:
            project = _visible_project(self.request.user, kwargs["pk"])
            context.update(subject=project, data_query=f"project={project.pk}", project=project)
            context["can_edit"] = (
                Project.objects.visible_to(self.request.user, Action.CHANGE).filter(pk=project.pk).exists()
            )
        context["reschedule_form"] = RescheduleForm()
        context["baseline_form"] = BaselineForm()
        return context


class GanttDataView(LoginRequiredMixin, View):
    """``?project=ID`` or ``?programme=ID``: the Gantt's data as JSON (see selectors.gantt_data)."""

    def get(self, request):
        visible = Project.objects.visible_to(request.user).filter(is_archived=False)
        if request.GET.get("programme", "").isdigit():
            projects = list(visible.filter(programme_id=int(request.GET["programme"])).order_by("code"))
        elif request.GET.get("project", "").isdigit():
            projects = list(visible.filter(pk=int(request.GET["project"])))
        else:
            return JsonResponse({"detail": "Give ?project=ID or ?programme=ID."}, status=400)
        if not projects:
            return JsonResponse({"detail": "No such project or programme is visible to you."}, status=404)
        return JsonResponse(selectors.gantt_data(request.user, projects))


class RescheduleView(LoginRequiredMixin, View):
    """POST: reschedule a project (or a programme's projects) at an optional status date."""

    def post(self, request, pk=None, programme_pk=None):
        # Back to the plan page either way (never to a Referer header, which anyone can set).
        plan_page = (
            reverse("planning:programme_gantt", args=[programme_pk])
            if programme_pk is not None
            else reverse("planning:project_gantt", args=[pk])
        )
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Status date: {' '.join(form.errors.get('status_date', []))}")
            return redirect(plan_page)
        try:
            if programme_pk is not None:
                programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_pk)
                summary = services.reschedule_programme(
                    actor=request.user, programme=programme, status_date=form.cleaned_data["status_date"]
                )
                target = "planning:programme_gantt", programme.pk
            else:
                project = _visible_project(request.user, pk)
                summary = services.reschedule(
                    actor=request.user, projects=[project], status_date=form.cleaned_data["status_date"]
                )
                target = "planning:project_gantt", project.pk
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(plan_page)
        conflicts = sum(len(plan["conflicts"]) for plan in summary["projects"].values())
        messages.success(
            request,
            f"Rescheduled {summary['activities']} activities in {summary['seconds']:.2f} s"
            + (f"; {conflicts} constraint(s) or deadline(s) not met." if conflicts else "."),
        )
        return redirect(*target)


class BaselineSetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        project = _visible_project(request.user, pk)
        form = BaselineForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Baseline: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return redirect("planning:project_gantt", project.pk)
        try:
            baseline = services.set_baseline(actor=request.user, project=project, **form.cleaned_data)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{baseline} set with {baseline.entries.count()} activities.")
        return redirect("planning:project_gantt", project.pk)


class ActivityEditView(ObjectEditView):
    model = Activity
    form_class = ActivityForm
    title = "Edit activity"

    def perform(self, form):
        services.update_activity(actor=self.request.user, activity=self.object, changes=form.plan_changes())
        return _GanttOf(self.object.project)


class ProgressEditView(ObjectEditView):
    model = Activity
    form_class = ProgressForm
    title = "Record progress"

    def perform(self, form):
        services.record_progress(actor=self.request.user, activity=self.object, changes=form.cleaned_data)
        return _GanttOf(self.object.project)


class PlanImportView(ObjectEditView):
    """Upload a plan file into the project; the result page lists what was read and any date
    the engine computes differently from the file."""

    model = Project
    form_class = PlanImportForm
    template_name = "planning/plan_import.html"
    title = "Import a plan"
    success_message = "Plan imported."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("user", None)
        return kwargs

    def perform(self, form):
        upload = form.cleaned_data["file"]
        plan = read_upload(upload, self.object)
        self.result = import_plan(
            actor=self.request.user,
            project=self.object,
            plan=plan,
            source=upload.name,
            replace=form.cleaned_data["replace"],
        )
        return self.object

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(self, "result", None) is None:
            return response
        return render(self.request, "planning/plan_import_result.html", {"result": self.result, "project": self.object})


class PlanExportView(LoginRequiredMixin, View):
    """Download the project's plan: ``?format=xml`` (Microsoft Project XML)."""

    def get(self, request, pk):
        project = _visible_project(request.user, pk)
        if not project.activities.exists():
            raise Http404("This project has no plan to export.")
        writer = EXPORT_WRITERS.get(request.GET.get("format", "xml"))
        if writer is None:
            return HttpResponseBadRequest(f"Unknown format; choose one of {', '.join(EXPORT_WRITERS)}.")
        suffix, content_type, write = writer
        response = HttpResponse(write(export_plan(project).plan), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{project.code}{suffix}"'
        return response


class BaselineComparisonView(LoginRequiredMixin, TemplateView):
    """The current plan against any of the project's baselines (``?number=N``, default the primary)."""

    template_name = "planning/baseline_comparison.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = _visible_project(self.request.user, kwargs["pk"])
        baselines = list(Baseline.objects.filter(project=project).order_by("number"))
        context.update(project=project, baselines=baselines)
        if not baselines:
            return context
        number = self.request.GET.get("number", "")
        chosen = next((b for b in baselines if number.isdigit() and b.number == int(number)), None)
        chosen = chosen or next((b for b in baselines if b.is_primary), baselines[0])
        context.update(selectors.baseline_comparison(project, chosen))
        return context


class ActivityCreateView(ObjectEditView):
    """Add an activity to the project's plan (from the plan page)."""

    model = Project
    form_class = ActivityForm
    title = "New activity"
    success_message = "Activity added; reschedule to place it."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Activity(project=self.object)
        return kwargs

    def perform(self, form):
        services.create_activity(actor=self.request.user, project=self.object, **form.plan_changes())
        return _GanttOf(self.object)


class _GanttOf:
    """Where to go after adding an activity: the project's plan page."""

    def __init__(self, project: Project):
        self.project = project

    def get_absolute_url(self) -> str:
        return reverse("planning:project_gantt", args=[self.project.pk])


class ScheduleSummaryView(LoginRequiredMixin, TemplateView):
    """The schedule panel of the project page: key dates and variance against the baseline."""

    template_name = "planning/partials/schedule_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = _visible_project(self.request.user, kwargs["pk"])
        context.update(project=project, **selectors.key_dates(project))
        return context


class CalendarListView(LoginRequiredMixin, TemplateView):
    template_name = "planning/calendar_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["calendars"] = (
            Calendar.objects.visible_to(self.request.user).select_related("project").order_by("project__code", "name")
        )
        context["may_create"] = grants_for(self.request.user).allows_everywhere(Action.CREATE)
        return context


class CalendarFormView(ServiceFormView):
    """Create an organisation calendar (``?project=ID`` for a project's own) or edit one."""

    form_class = CalendarForm
    template_name = "core/object_form.html"
    success_message = "Calendar saved."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.calendar = None
        if "pk" in kwargs:
            self.calendar = get_object_or_404(
                Calendar.objects.visible_to(request.user).prefetch_related("exceptions"), pk=kwargs["pk"]
            )
        self.title = f"Edit calendar {self.calendar}" if self.calendar else "New calendar"
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        kwargs["calendar"] = self.calendar
        return kwargs

    def perform(self, form):
        fields, exceptions = form.service_fields()
        if self.calendar is not None:
            return services.update_calendar(
                actor=self.request.user, calendar=self.calendar, changes=fields, exceptions=exceptions
            )
        project_id = self.request.GET.get("project", "")
        project = _visible_project(self.request.user, project_id) if project_id.isdigit() else None
        return services.create_calendar(actor=self.request.user, project=project, exceptions=exceptions, **fields)


class CalendarDetailView(LoginRequiredMixin, TemplateView):
    template_name = "planning/calendar_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calendar = get_object_or_404(
            Calendar.objects.visible_to(self.request.user).prefetch_related("exceptions"), pk=kwargs["pk"]
        )
        weekday_names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        context.update(
            calendar=calendar,
            can_change=Calendar.objects.visible_to(self.request.user, Action.CHANGE).filter(pk=calendar.pk).exists()
            and (calendar.project_id is not None or grants_for(self.request.user).allows_everywhere(Action.CHANGE)),
            weekdays=[weekday_names[day] for day in sorted(calendar.working_weekdays)],
            periods=[
                f"{start // 60:02d}:{start % 60:02d} to {end // 60:02d}:{end % 60:02d}"
                for start, end in calendar.working_periods
            ],
        )
        return context
