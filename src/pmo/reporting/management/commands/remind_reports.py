"""``pmo manage remind_reports [--date YYYY-MM-DD] [--queue]``: remind the managers of reporting
projects of highlight reports due within the policy's reminder days, or late, in the application
and by email; never twice the same day for the same report. ``--queue`` hands the job to the
worker instead of running it here."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pmo.reporting import services
from pmo.reporting.tasks import remind_reports


class Command(BaseCommand):
    help = "Remind managers of highlight reports due soon or late."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="the day to remind as of (YYYY-MM-DD); today if omitted")
        parser.add_argument("--queue", action="store_true", help="queue the job for the worker")

    def handle(self, *args, on: str | None, queue: bool, **options):
        if queue:
            if on:
                raise CommandError("--date cannot be queued: the worker reminds as of the day it runs.")
            remind_reports.enqueue()
            self.stdout.write(self.style.SUCCESS("Queued the report reminders for the worker."))
            return
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--date must be a date as YYYY-MM-DD, not {on!r}.") from None
        sent = services.remind_reports(today=today)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} highlight report reminder(s)."))
