"""Pages: the training register (approved courses and the skills they teach) and people's places
on courses (plan, move, complete, cancel). Reads go through ``selectors.training``, writes
through ``services.training``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from pmo.core.choices import Action
from pmo.core.permissions import grants_for
from pmo.core.tables import Column
from pmo.core.views.generic import (
    ArchiveView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceFormView,
)
from pmo.resourcing.choices import TrainingStatus
from pmo.resourcing.forms.training import (
    TrainingCancelForm,
    TrainingCompleteForm,
    TrainingCourseFilterSet,
    TrainingCourseForm,
    TrainingPlanForm,
    TrainingRecordFilterSet,
    TrainingRecordForm,
)
from pmo.resourcing.models import TrainingCourse, TrainingRecord
from pmo.resourcing.selectors import training as selectors
from pmo.resourcing.services import training as services

COURSE_COLUMNS = [
    Column("Course", "name", "name", link=True),
    Column("Provider", "provider", "provider"),
    Column("Skills taught (level reached)", "taught"),
    Column("Cost per person", "cost", "cost", css_class="num"),
    Column("Days", "duration_days", "duration_days", css_class="num"),
    Column("Planned", "people_planned", "people_planned", css_class="num"),
    Column("Trained", "people_trained", "people_trained", css_class="num"),
]
RECORD_COLUMNS = [
    Column("Person", "resource.name", "resource__name"),
    Column("Course", "course.name", "course__name"),
    Column("Provider", "course.provider", "course__provider"),
    Column("First day", "start", "start"),
    Column("Status", "get_status_display", "status"),
    Column("Completed on", "completed_on", "completed_on"),
    Column("Note", "note"),
]


def _global(user, action: str) -> bool:
    return grants_for(user).allows_everywhere(action)


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


# --- the register ---------------------------------------------------------------------------


class CourseListView(ObjectListView):
    model = TrainingCourse
    filterset_class = TrainingCourseFilterSet
    columns = COURSE_COLUMNS
    default_ordering = ("name", "provider", "id")
    title = "Training register"
    create_url_name = "resourcing:course_create"
    template_name = "resourcing/training_list.html"
    partial_template_name = "resourcing/course_table.html"

    def base_queryset(self):
        return selectors.course_register(self.request.user)

    def may_create(self) -> bool:
        return _global(self.request.user, Action.CREATE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            table_template=self.partial_template_name,
            intro="Approved courses, the skills each teaches and the level a participant reaches.",
            is_filtered=bool(self.filterset.is_bound),
            records_link=True,
        )
        return context


class CourseDetailView(ObjectDetailView):
    model = TrainingCourse
    template_name = "resourcing/course_detail.html"
    edit_url_name = "resourcing:course_edit"
    archive_url_name = "resourcing:course_archive"
    history_url_name = "resourcing:course_history"

    def get_queryset(self):
        return selectors.course_register(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(selectors.course_records(self.request.user, self.object))
        context.update(
            taught=self.object.taught.all(),
            planned=[record for record in records if record.status == TrainingStatus.PLANNED],
            completed=[record for record in records if record.status == TrainingStatus.COMPLETED],
            cancelled=[record for record in records if record.status == TrainingStatus.CANCELLED],
            can_plan=_global(self.request.user, Action.CREATE) and not self.object.is_archived,
            can_decide=_global(self.request.user, Action.CHANGE),
        )
        return context


class CourseFormMixin:
    """Shows the course form with its rows of skills; a refusal about the skills is shown there."""

    form_class = TrainingCourseForm
    template_name = "resourcing/course_form.html"

    def report_error(self, form, field, field_messages):
        if field == "skills":
            self.skill_errors = [*getattr(self, "skill_errors", []), *field_messages]
            return
        super().report_error(form, field, field_messages)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["skill_errors"] = getattr(self, "skill_errors", [])
        return context


class CourseCreateView(CourseFormMixin, ServiceFormView):
    title = "New course in the register"
    cancel_url = reverse_lazy("resourcing:course_list")
    success_message = "Course added to the register."

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _global(request.user, Action.CREATE):
            raise PermissionDenied("Adding courses to the training register needs a role across the organisation.")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        return services.create_course(actor=self.request.user, skills=form.skill_levels(), **form.cleaned_data)


class CourseEditView(CourseFormMixin, ObjectEditView):
    model = TrainingCourse
    title = "Edit course"
    success_message = "Course saved."

    def perform(self, form):
        return services.update_course(
            actor=self.request.user, course=self.object, changes=form.cleaned_data, skills=form.skill_levels()
        )


class CourseArchiveView(ArchiveView):
    model = TrainingCourse
    archive_service = services.archive_course
    archive_argument = "course"
    success_message = "Course archived: nobody can be planned on it any more."


# --- places on courses ----------------------------------------------------------------------


class TrainingRecordListView(ObjectListView):
    model = TrainingRecord
    filterset_class = TrainingRecordFilterSet
    columns = RECORD_COLUMNS
    default_ordering = ("-start", "resource__name", "id")
    title = "Training records"
    create_url_name = "resourcing:training_record_create"
    template_name = "resourcing/training_list.html"
    partial_template_name = "resourcing/training_record_table.html"

    def base_queryset(self):
        return selectors.training_records(self.request.user)

    def may_create(self) -> bool:
        return _global(self.request.user, Action.CREATE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            table_template=self.partial_template_name,
            intro="Who is planned on which course, who completed it, and what was cancelled and why.",
            is_filtered=bool(self.filterset.is_bound),
            can_decide=_global(self.request.user, Action.CHANGE),
            courses_link=True,
        )
        return context


class PlanFormMixin:
    """Plans a place; goes back to ``?next=`` (a page of this site) or to the course."""

    form_class = TrainingPlanForm
    template_name = "resourcing/training_form.html"
    success_message = "Training planned."
    course = None
    extra_context = {"submit_label": "Plan training"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _global(request.user, Action.CREATE):
            raise PermissionDenied("Planning training needs a role across the organisation.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["course"] = self.course
        return kwargs

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("resource", "course") if self.request.GET.get(key, "").isdigit()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        course = data.pop("course", None) or self.course
        services.plan_training(actor=self.request.user, course=course, **data)
        return _safe_next(self.request) or course

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = _safe_next(self.request)
        fallback = self.course.get_absolute_url() if self.course else reverse("resourcing:training_records")
        # Never the raw ``next``: only an address on this site is offered as the way back.
        context.update(course=self.course, next=next_url, cancel_url=next_url or fallback)
        return context


class TrainingPlanView(PlanFormMixin, ServiceFormView):
    """Plan a place on this course (from the course page, or a person's page with ``?resource=``)."""

    title = "Plan training"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.course = get_object_or_404(
                selectors.course_register(request.user).prefetch_related(None).prefetch_related("taught__skill"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)


class TrainingRecordCreateView(PlanFormMixin, ServiceFormView):
    """Plan a place on any course of the register (``?resource=`` and ``?course=`` fill the form)."""

    title = "Plan training"


class RecordFormMixin:
    """A change to one place: 404 if the user cannot see it, 403 if they may not change the register."""

    template_name = "resourcing/training_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_object_or_404(selectors.training_records(request.user), pk=kwargs["pk"])
        if not TrainingRecord.objects.visible_to(request.user, Action.CHANGE).filter(pk=self.object.pk).exists():
            raise PermissionDenied("Changing training records needs a role across the organisation.")
        return super().dispatch(request, *args, **kwargs)

    def done(self):
        return _safe_next(self.request) or self.object.course

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = _safe_next(self.request)
        context.update(
            record=self.object,
            course=self.object.course,
            next=next_url,
            cancel_url=next_url or self.object.course.get_absolute_url(),
            is_planned=self.object.status == TrainingStatus.PLANNED,
        )
        return context


class TrainingRecordEditView(RecordFormMixin, ServiceFormView):
    form_class = TrainingRecordForm
    title = "Move or annotate planned training"
    success_message = "Training saved."
    extra_context = {"submit_label": "Save"}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def perform(self, form):
        services.update_training(actor=self.request.user, record=self.object, changes=form.cleaned_data)
        return self.done()


class TrainingCompleteView(RecordFormMixin, ServiceFormView):
    form_class = TrainingCompleteForm
    title = "Record completed training"
    success_message = "Training completed; the skills taught are now on the person's record."
    extra_context = {"submit_label": "Record completion", "shows_preview": True}

    def perform(self, form):
        services.complete_training(actor=self.request.user, record=self.object, **form.cleaned_data)
        return self.done()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = selectors.completion_preview(self.object)
        return context


class TrainingCancelView(RecordFormMixin, ServiceFormView):
    form_class = TrainingCancelForm
    title = "Cancel planned training"
    success_message = "Training cancelled."
    extra_context = {"submit_label": "Cancel the training"}

    def perform(self, form):
        services.cancel_training(actor=self.request.user, record=self.object, reason=form.cleaned_data["reason"])
        return self.done()


urlpatterns = [
    path("training/courses/", CourseListView.as_view(), name="course_list"),
    path("training/courses/new/", CourseCreateView.as_view(), name="course_create"),
    path("training/courses/<int:pk>/", CourseDetailView.as_view(), name="course_detail"),
    path("training/courses/<int:pk>/edit/", CourseEditView.as_view(), name="course_edit"),
    path("training/courses/<int:pk>/archive/", CourseArchiveView.as_view(), name="course_archive"),
    path("training/courses/<int:pk>/history/", ObjectHistoryView.as_view(model=TrainingCourse), name="course_history"),
    path("training/courses/<int:pk>/plan/", TrainingPlanView.as_view(), name="training_plan"),
    path("training/records/", TrainingRecordListView.as_view(), name="training_records"),
    path("training/records/new/", TrainingRecordCreateView.as_view(), name="training_record_create"),
    path("training/records/<int:pk>/edit/", TrainingRecordEditView.as_view(), name="training_record_edit"),
    path("training/records/<int:pk>/complete/", TrainingCompleteView.as_view(), name="training_complete"),
    path("training/records/<int:pk>/cancel/", TrainingCancelView.as_view(), name="training_cancel"),
]
