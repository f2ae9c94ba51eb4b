"""``pmo manage record_health [--project CODE ...] [--period-end YYYY-MM-DD]``: record the weekly
figures and health check of every non-archived project past initiation, or of the projects named
(run it daily, or enqueue ``pmo.health.tasks.record_health``)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pmo.core.errors import DomainError
from pmo.health import services
from pmo.portfolio.models import Project


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--period-end must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = "Record the figures and health check of the week (ending on a Sunday) for the projects."

    def add_arguments(self, parser):
        parser.add_argument(
            "--project", action="append", default=[], metavar="CODE", help="A project's code (repeat for more)."
        )
        parser.add_argument(
            "--period-end", metavar="YYYY-MM-DD", help="The Sunday ending the week (default: the current week)."
        )

    def handle(self, *args, **options):
        period_end = _date(options["period_end"]) if options["period_end"] else None
        project_ids = None
        if options["project"]:
            codes = dict(Project.objects.filter(code__in=options["project"]).values_list("code", "pk"))
            unknown = [code for code in options["project"] if code not in codes]
            if unknown:
                raise CommandError(f"No project with code {', '.join(unknown)}.")
            project_ids = list(codes.values())
        try:
            count = services.record_snapshots(project_ids=project_ids, period_end=period_end)
        except DomainError as error:
            raise CommandError(error.message) from None
        week = period_end or services.default_period_end()
        self.stdout.write(self.style.SUCCESS(f"Recorded the health of {count} project(s) for the week ending {week}."))
