"""``pmo export CODE FILE``: a project's plan as MS Project XML (``.xml``) or Excel (``.xlsx``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pmo.planning.exports import export_plan
from pmo.portfolio.models import Project
from pmo_engine.formats import write_mspdi, write_plan_xlsx

WRITERS = {".xml": write_mspdi, ".xlsx": write_plan_xlsx}


class Command(BaseCommand):
    help = "Export a project's plan to a file: .xml (Microsoft Project XML) or .xlsx (the Excel plan template)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the project's code")
        parser.add_argument("file", type=Path)

    def handle(self, *args, code, file: Path, **options):
        project = Project.objects.filter(code=code).first()
        if project is None:
            raise CommandError(f"No project with the code {code!r}.")
        writer = WRITERS.get(file.suffix.lower())
        if writer is None:
            raise CommandError(f"{file.name}: write to a file ending {' or '.join(WRITERS)}.")
        if not project.activities.exists():
            raise CommandError(f"{project} has no plan to export.")
        exported = export_plan(project)
        file.write_bytes(writer(exported.plan))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {project}'s plan ({len(exported.plan.activities)} activities) to {file}.")
        )
        if exported.left_out_links:
            self.stdout.write(
                f"  {exported.left_out_links} links to other projects' activities were left out: "
                "a file holds one project."
            )
