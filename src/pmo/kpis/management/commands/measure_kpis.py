"""``pmo manage measure_kpis [--period-end YYYY-MM-DD]``: measure the active KPIs from the
project snapshots of one period (default the latest), flag patterns and propose corrective
actions. Run it weekly after the snapshots are recorded, or let the worker's task do it."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pmo.core.errors import DomainError
from pmo.kpis import services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--period-end: {text!r} is not a date written YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Measure the active KPIs for one period (a week ending on a Sunday) from the project snapshots."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period-end", type=str, default=None, help="The Sunday ending the period (default: the latest one)."
        )

    def handle(self, *args, **options):
        period_end = _date(options["period_end"]) if options["period_end"] else None
        try:
            count = services.measure_kpis(period_end=period_end)
        except DomainError as error:
            raise CommandError(error.message) from None
        when = period_end.isoformat() if period_end else "the latest period"
        self.stdout.write(self.style.SUCCESS(f"Measured {count} value(s) for {when}."))
