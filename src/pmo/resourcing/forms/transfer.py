"""The form that uploads the resource register. It only takes the file: the import itself checks
what is in it, row by row."""

from django import forms

from pmo.resourcing.imports import file_too_large


class ResourceImportForm(forms.Form):
    file = forms.FileField(
        label="Register file",
        help_text="An Excel workbook (.xlsx) with the sheets People, Skills and Rates, or a CSV file (.csv) "
        "holding one of them; at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Check only",
        help_text="Check every row and show what the import would do, without importing anything.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        too_large = file_too_large(upload.size)
        if too_large:
            raise forms.ValidationError(too_large)
        return upload
