"""Pages: importing the resource register from Excel or CSV (with a row-by-row report of every
problem, and nothing imported while there is one), exporting it to Excel, and the blank template."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.generic import FormView, View

from pmo.core.errors import PermissionRefused
from pmo.resourcing.exports.register import XLSX_CONTENT_TYPE, register_template, register_workbook
from pmo.resourcing.forms.transfer import ResourceImportForm
from pmo.resourcing.imports import MAXIMUM_ROWS, REGISTER_COLUMNS, column_notes, import_register, may_import

# A page lists this many problems; the count says how many more there are.
LISTED_PROBLEMS = 500
NOT_PERMITTED = (
    "Importing the resource register creates and changes people, resources, skills and rates for the whole "
    "organisation. That needs a role that may create and change records across the organisation, such as "
    "administrator, PMO head or PMO administrator. You can still export the register."
)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ResourceImportView(LoginRequiredMixin, FormView):
    """Upload a register; every problem is listed by sheet, row and column, or the result is shown."""

    form_class = ResourceImportForm
    template_name = "resourcing/transfer_import.html"

    def dispatch(self, request, *args, **kwargs):
        # Anonymous visitors fall through to LoginRequiredMixin, which sends them to sign in.
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied(NOT_PERMITTED)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(register_columns=REGISTER_COLUMNS, maximum_rows=f"{MAXIMUM_ROWS:,}")
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = import_register(
                actor=self.request.user,
                data=upload.read(),
                name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        if report.problems:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    report=report,
                    problems=report.problems[:LISTED_PROBLEMS],
                    unlisted=max(len(report.problems) - LISTED_PROBLEMS, 0),
                )
            )
        return render(self.request, "resourcing/transfer_import_result.html", {"report": report})


class ResourceExportView(LoginRequiredMixin, View):
    """The register the user may see, as an Excel workbook the import reads back."""

    def get(self, request):
        content = register_workbook(request.user)
        return _xlsx(content, f"resource-register-{timezone.localdate().isoformat()}.xlsx")


class ResourceImportTemplateView(LoginRequiredMixin, View):
    """A blank register: the headers (each with a comment saying what it holds) and an example row."""

    def get(self, request):
        return _xlsx(register_template(column_notes()), "resource-register-template.xlsx")


urlpatterns = [
    path("resources/import/", ResourceImportView.as_view(), name="resource_import"),
    path("resources/import/template/", ResourceImportTemplateView.as_view(), name="resource_import_template"),
    path("resources/export/", ResourceExportView.as_view(), name="resource_export"),
]
