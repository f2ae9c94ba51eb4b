"""``pmo manage measure_kpis [--period-end YYYY-MM-DD] [--weeks N]``: measure the active KPIs from
the project snapshots of one period (default the latest), flag patterns and propose corrective
actions. Run it weekly after the snapshots are recorded, or let the worker's task do it. With
``--weeks N`` it measures the last N periods with snapshots up to that one (a backfill after new
KPIs are defined)."""

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
        parser.add_argument(
            "--weeks", type=int, default=1, help="Measure this many periods with snapshots, ending at that one."
        )

    def handle(self, *args, **options):
        period_end = _date(options["period_end"]) if options["period_end"] else None
        weeks = options["weeks"]
        if weeks < 1 or weeks > 520:
            raise CommandError(f"--weeks: {weeks} is not a number of weeks from 1 to 520.")
        try:
            if weeks == 1:
                count = services.measure_kpis(period_end=period_end)
            else:
                periods = services.snapshot_periods(weeks=weeks, until=period_end)
                count = services.measure_periods(periods=periods)
        except DomainError as error:
            raise CommandError(error.message) from None
        when = period_end.isoformat() if period_end else "the latest period"
        if weeks > 1:
            when = f"{weeks} periods up to {when}"
        self.stdout.write(self.style.SUCCESS(f"Measured {count} value(s) for {when}."))
