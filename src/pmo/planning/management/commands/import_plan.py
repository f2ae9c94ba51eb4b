"""``pmo import FILE``: a plan from MS Project XML, .mpp, Primavera, Planner, GanttProject or
Excel into an existing project (``--project``) or a new one (``--portfolio`` and ``--code``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pmo.core.errors import DomainError
from pmo.planning.imports import import_plan
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo_engine import EngineError
from pmo_engine.formats import read_plan_file


class Command(BaseCommand):
    help = "Import a plan file into a project (run as the server's owner; audited without a user)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--project", help="code of an existing project to import into")
        parser.add_argument("--replace", action="store_true", help="replace the project's plan if it has one")
        parser.add_argument("--portfolio", help="code of the portfolio of a new project")
        parser.add_argument("--programme", help="code of the programme of a new project (optional)")
        parser.add_argument("--code", help="code of a new project")
        parser.add_argument("--name", help="name of a new project (default: the plan's name)")

    def handle(self, *args, file: Path, project, replace, portfolio, programme, code, name, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if bool(project) == bool(portfolio):
            raise CommandError("Give --project CODE (an existing project) or --portfolio CODE --code NEW (a new one).")
        try:
            plan = read_plan_file(file)
        except EngineError as error:
            problems = "".join(f"\n  {problem}" for problem in getattr(error, "problems", ()))
            raise CommandError(f"{file.name}: {error.message}{problems}\nNothing was imported.") from None
        try:
            with transaction.atomic():
                target = self._project(project, portfolio, programme, code, name or plan.name)
                result = import_plan(actor=None, project=target, plan=plan, source=file.name, replace=replace)
        except DomainError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name} into {result.project}: {result.activities} activities, {result.links} links, "
                f"{result.calendars} calendars, {result.baselines} baselines, {result.resources} resources, "
                f"{result.assignments} assignments."
            )
        )
        if result.skipped_inactive:
            self.stdout.write(f"  {result.skipped_inactive} inactive tasks were left out.")
        for conflict in result.conflicts:
            self.stdout.write(f"  Not met: {conflict['message']}")
        if result.differences:
            self.stdout.write(f"  {len(result.differences)} activities have dates that differ from the file's:")
            for difference in result.differences[:20]:
                in_file = f"{difference.file_start:%Y-%m-%d %H:%M} to {difference.file_finish:%Y-%m-%d %H:%M}"
                in_pmo = f"{difference.start:%Y-%m-%d %H:%M} to {difference.finish:%Y-%m-%d %H:%M}"
                self.stdout.write(f"    {difference.name}: file {in_file}, pmo {in_pmo}")
        else:
            self.stdout.write("  Every activity's dates as scheduled by pmo equal the dates in the file.")

    def _project(self, project_code, portfolio_code, programme_code, code, name) -> Project:
        if project_code:
            found = Project.objects.filter(code=project_code).first()
            if found is None:
                raise CommandError(f"No project with the code {project_code!r}.")
            return found
        if not code:
            raise CommandError("A new project needs --code.")
        portfolio = Portfolio.objects.filter(code=portfolio_code).first()
        if portfolio is None:
            raise CommandError(f"No portfolio with the code {portfolio_code!r}.")
        programme = None
        if programme_code:
            programme = Programme.objects.filter(code=programme_code, portfolio=portfolio).first()
            if programme is None:
                raise CommandError(f"No programme {programme_code!r} in {portfolio}.")
        return portfolio_services.create_project_as_system(
            portfolio=portfolio, programme=programme, code=code, name=name[:200]
        )
