"""``pmo manage export_resources FILE [--user USERNAME]``: the resource register as an Excel
workbook (.xlsx) that ``import_resources`` reads back. Without ``--user`` it holds everything
(the server's owner runs the command line); with it, what that login may see."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pmo.resourcing.exports.register import register_workbook


class Command(BaseCommand):
    help = "Export the resource register (people, skills, rates and a skills matrix) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="export what this login may see (default: everything)")

    def handle(self, *args, file: Path, user: str | None, **options):
        if file.suffix.lower() != ".xlsx":
            raise CommandError(f"{file.name}: the register is written as an Excel workbook; name the file .xlsx.")
        if not file.parent.is_dir():
            raise CommandError(f"{file.parent}: no such folder.")
        actor = None
        if user is not None:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active login is named {user!r}.")
        file.write_bytes(register_workbook(actor))
        self.stdout.write(self.style.SUCCESS(f"Wrote the resource register to {file}."))
