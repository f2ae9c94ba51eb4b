"""Pages of highlight reporting: the PMO's board of reports for a period, a project's reports,
a report (draft, edit, submit, review, PDF), report packs (collate, issue, PDF, Excel) and the
reporting policy. Views parse the request and call services; reads go through ``visible_to``."""

import contextlib
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ServiceFormView
from pmo.health.choices import Dimension
from pmo.portfolio.models import Project
from pmo.reporting import exports, selectors, services
from pmo.reporting import facts as report_data
from pmo.reporting.choices import ReportStatus
from pmo.reporting.filtersets import ReportBoardFilterSet, ReportPackFilterSet
from pmo.reporting.forms import (
    HighlightReportForm,
    PackCreateForm,
    ReasonOnlyForm,
    ReportCreateForm,
    ReportingPolicyForm,
    ReviewForm,
)
from pmo.reporting.models import HighlightReport, ReportPack
from pmo.reporting.periods import last_ended_period, next_period, period_label, previous_period
from pmo.reporting.tables import PACK_COLUMNS

# --- the PMO's board ------------------------------------------------------------------------------


class ReportBoardView(LoginRequiredMixin, TemplateView):
    """Every reporting project the user may see, with its report for one period (the period that
    ended last unless chosen); late ones highlighted."""

    template_name = "reporting/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = report_data.reporting_policy()
        projects = Project.objects.visible_to(self.request.user, Action.VIEW)
        filterset = ReportBoardFilterSet(self.request.GET or None, queryset=projects, request=self.request)
        today = timezone.localdate()
        start, end = last_ended_period(policy.frequency, today)
        status = ""
        if filterset.is_bound and filterset.is_valid():
            projects = filterset.qs
            if filterset.form.cleaned_data.get("period"):
                start, end = policy.period_of(filterset.form.cleaned_data["period"])
            status = filterset.form.cleaned_data.get("status") or ""
        elif filterset.is_bound:
            projects = projects.none()
        rows = selectors.report_board(
            self.request.user, period_start=start, period_end=end, projects=projects, today=today
        )
        if status == "missing":
            rows = [row for row in rows if row["report"] is None]
        elif status == "late":
            rows = [row for row in rows if row["is_late"]]
        elif status:
            rows = [row for row in rows if row["status"] == status]
        counts = dict.fromkeys(("approved", "submitted", "draft", "returned", "missing", "late"), 0)
        for row in rows:
            counts[row["status"] or "missing"] += 1
            counts["late"] += int(row["is_late"])
        earlier, later = previous_period(policy.frequency, start), next_period(policy.frequency, start)
        context.update(
            title="Highlight reports",
            filterset=filterset,
            rows=rows,
            counts=counts,
            period_label=period_label(policy.frequency, start, end),
            period_start=start,
            due_on=policy.due_on(end),
            earlier=earlier[0],
            later=later[0] if later[0] <= today else None,
            policy=policy,
            may_collate=services.may_collate_anywhere(self.request.user),
        )
        return context


# --- a project's reports ----------------------------------------------------------------------------


class ProjectReportsView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/project_reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Project.objects.visible_to(self.request.user, Action.VIEW).select_related("manager")
        project = get_object_or_404(visible, pk=kwargs["pk"])
        policy = report_data.reporting_policy()
        reports = list(HighlightReport.objects.filter(project=project).order_by("-period_start"))
        missing = report_data.missing_reports(
            list(report_data.reporting_projects(Project.objects.filter(pk=project.pk), policy)),
            today=timezone.localdate(),
            policy=policy,
        ).get(project.pk, [])
        context.update(
            project=project,
            reports=reports,
            missing=[{**row, "label": period_label(policy.frequency, row["start"], row["end"])} for row in missing],
            policy=policy,
            is_reporting=project.stage in policy.stages and not project.is_archived,
            can_change=Project.objects.visible_to(self.request.user, Action.CHANGE).filter(pk=project.pk).exists(),
        )
        return context


class ReportCreateView(ObjectEditView):
    """Draft a project's report for a period, pre-filled from its figures."""

    model = Project
    form_class = ReportCreateForm
    title = "Draft a highlight report"
    success_message = "Report drafted with the project's figures: write the narrative, then submit it."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform(self, form):
        return services.create_report(
            actor=self.request.user, project=self.object, period_day=form.cleaned_data["period_day"]
        )


# --- one report ---------------------------------------------------------------------------------------


class ReportDetailView(ObjectDetailView):
    model = HighlightReport
    template_name = "reporting/report_detail.html"
    select_related = ("project", "project__manager", "submitted_by", "reviewed_by", "created_by")
    history_url_name = "reporting:report_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            facts=report.facts or {},
            may_review=report.status == ReportStatus.SUBMITTED and services.may_review(self.request.user, report),
            problems=services.submission_problems(report) if report.is_editable else {},
            review_form=ReviewForm(user=self.request.user),
        )
        return context


class ReportEditView(ObjectEditView):
    model = HighlightReport
    form_class = HighlightReportForm
    template_name = "reporting/report_form.html"
    title = "Write the highlight report"
    success_message = "Report saved."

    def perform(self, form):
        return services.update_report(actor=self.request.user, report=self.object, changes=form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            facts=self.object.facts or {},
            dimensions=[
                {
                    "label": d.label,
                    "rag": context["form"][f"rag_{d.value}"],
                    "comment": context["form"][f"comment_{d.value}"],
                    "computed": ((self.object.facts or {}).get("health") or {}).get("dimensions", {}).get(d.value, ""),
                }
                for d in Dimension
            ],
        )
        return context


class ReportSubmitView(ObjectEditView):
    """Confirm and submit a report; what stops it is listed, by field."""

    model = HighlightReport
    form_class = ReasonOnlyForm
    template_name = "reporting/report_submit.html"
    title = "Submit the highlight report"
    success_message = "Report submitted to the PMO for review."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("user", None)
        return kwargs

    def perform(self, form):
        return services.submit_report(actor=self.request.user, report=self.object, reason=form.cleaned_data["reason"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["problems"] = services.submission_problems(self.object)
        return context


class ReportRefreshView(LoginRequiredMixin, View):
    """POST: take the project's figures again (a draft or returned report)."""

    def post(self, request, pk):
        report = get_object_or_404(HighlightReport.objects.visible_to(request.user, Action.VIEW), pk=pk)
        try:
            services.refresh_report(actor=request.user, report=report)
        except NotFound as error:
            raise Http404(error.message) from None
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Figures taken again from the project's data.")
        return redirect(report)


class ReportReviewView(ObjectEditView):
    """Approve a submitted report, or return it to the manager with a comment."""

    model = HighlightReport
    action = Action.VIEW
    form_class = ReviewForm
    template_name = "reporting/report_review.html"
    title = "Review the highlight report"

    def perform(self, form):
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        if decision == ReportStatus.APPROVED:
            self.success_message = "Report approved."
            return services.approve_report(actor=self.request.user, report=self.object, comment=comment)
        self.success_message = "Report returned to the manager."
        return services.return_report(actor=self.request.user, report=self.object, comment=comment)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        visible = HighlightReport.objects.visible_to(request.user, Action.VIEW)
        report = get_object_or_404(visible.select_related("project", "project__manager", "reviewed_by"), pk=pk)
        name = f"highlight-report-{report.project.code}-{report.period_start:%Y-%m-%d}.pdf"
        return _file(exports.report_pdf(report), exports.PDF_CONTENT_TYPE, name)


# --- packs ----------------------------------------------------------------------------------------------


class PackListView(ObjectListView):
    model = ReportPack
    filterset_class = ReportPackFilterSet
    columns = PACK_COLUMNS
    select_related = ("portfolio", "programme")
    default_ordering = ("-period_start", "title")
    title = "Report packs"
    create_url_name = "reporting:pack_create"

    def may_create(self) -> bool:
        return services.may_collate_anywhere(self.request.user)


class PackCreateView(ServiceFormView):
    form_class = PackCreateForm
    title = "Collate a report pack"
    success_message = "Pack collated from the period's reports."

    def get_initial(self):
        initial = super().get_initial()
        for name in ("programme", "portfolio"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        period = self.request.GET.get("period", "")
        with contextlib.suppress(ValueError):
            initial["period_day"] = date.fromisoformat(period) if period else None
        return initial

    def perform(self, form):
        data = form.cleaned_data
        return services.create_pack(
            actor=self.request.user,
            programme=data.get("programme"),
            portfolio=None if data.get("programme") else data.get("portfolio"),
            period_day=data.get("period_day"),
            title=data.get("title") or "",
        )


class PackDetailView(ObjectDetailView):
    model = ReportPack
    template_name = "reporting/pack_detail.html"
    select_related = ("portfolio", "programme", "created_by", "issued_by")
    history_url_name = "reporting:pack_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pack = self.object
        context.update(
            content=pack.content or {},
            may_collate=services.may_collate(
                self.request.user, portfolio_id=pack.portfolio_id, programme_id=pack.programme_id
            ),
        )
        return context


PACK_STEPS = {
    "refresh": (services.refresh_pack, "Pack gathered again from the reports as they are now."),
    "issue": (services.issue_pack, "Pack issued: its content is frozen."),
}


class PackStepView(LoginRequiredMixin, View):
    """POST: gather a draft pack again, or issue it."""

    def post(self, request, pk, step):
        if step not in PACK_STEPS:
            raise Http404("No such step.")
        pack = get_object_or_404(ReportPack.objects.visible_to(request.user, Action.VIEW), pk=pk)
        service, done = PACK_STEPS[step]
        try:
            service(actor=request.user, pack=pack)
        except NotFound as error:
            raise Http404(error.message) from None
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(pack)


class PackPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        pack = get_object_or_404(ReportPack.objects.visible_to(request.user, Action.VIEW), pk=pk)
        name = f"report-pack-{pack.scope.code}-{pack.period_start:%Y-%m-%d}.pdf"
        return _file(exports.pack_pdf(pack), exports.PDF_CONTENT_TYPE, name)


class PackXlsxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        pack = get_object_or_404(ReportPack.objects.visible_to(request.user, Action.VIEW), pk=pk)
        name = f"report-pack-{pack.scope.code}-{pack.period_start:%Y-%m-%d}.xlsx"
        return _file(exports.pack_workbook(pack), exports.XLSX_CONTENT_TYPE, name)


# --- the policy -----------------------------------------------------------------------------------------


class SettingsView(ServiceFormView):
    """The reporting policy: everyone with a role reads it, the PMO changes it."""

    form_class = ReportingPolicyForm
    template_name = "reporting/settings.html"
    title = "Reporting policy"
    success_message = "Reporting policy saved."

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not grants_for(request.user).has_any_role:
            raise PermissionDenied("The reporting policy is shown to people with a role.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = report_data.reporting_policy()
        return kwargs

    def perform(self, form):
        return services.update_policy(actor=self.request.user, changes=form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            policy=report_data.reporting_policy(),
            can_change=grants_for(self.request.user).allows_everywhere(Action.CHANGE),
        )
        return context
