"""``pmo manage import_resources FILE --user USERNAME [--dry-run]``: the resource register from an
Excel workbook or a CSV file, all of it or (if any row is wrong) none of it.

The import goes through the same services as the web page, which check the rights of a login and
record it in the audit trail: ``--user`` names that login (it needs the rights to create and change
across the organisation, e.g. an administrator made with ``pmo createuser --role administrator``).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pmo.core.errors import PermissionRefused
from pmo.resourcing.imports import SHEETS, file_too_large, import_register


class Command(BaseCommand):
    help = "Import people, skills and rates from an .xlsx or .csv register; nothing is imported if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user",
            required=True,
            help="the login the import is made as (checked and audited as that login)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and import nothing")
        parser.add_argument("--reason", default="", help="kept in the audit trail of each change")

    def handle(self, *args, file: Path, user: str, dry_run: bool, reason: str, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active login is named {user!r}.")
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        too_large = file_too_large(file.stat().st_size)
        if too_large:
            raise CommandError(f"{file.name}: {too_large} Nothing was imported.")
        try:
            report = import_register(
                actor=actor, data=file.read_bytes(), name=file.name, dry_run=dry_run, reason=reason
            )
        except PermissionRefused as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for sheet in SHEETS:
            counts = report.counts.get(sheet)
            if counts is not None:
                self.stdout.write(
                    f"  {sheet}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
                )
