"""``pmo manage remind_actions [--days N] [--queue]``: notify the owners of open actions due within
N days (3 unless said), or overdue, in the application and by email. ``--queue`` hands the job to
the worker instead of running it here."""

from django.core.management.base import BaseCommand, CommandError

from pmo.governance import services
from pmo.governance.services.reminders import DEFAULT_WITHIN_DAYS
from pmo.governance.tasks import remind_due_actions


class Command(BaseCommand):
    help = "Notify owners of actions due within N days (and of overdue ones)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_WITHIN_DAYS)
        parser.add_argument("--queue", action="store_true", help="queue the job for the worker")

    def handle(self, *args, days: int, queue: bool, **options):
        if not 0 <= days <= 365:
            raise CommandError(f"--days must be from 0 to 365, not {days}.")
        if queue:
            remind_due_actions.enqueue(days)
            self.stdout.write(self.style.SUCCESS("Queued the reminders for the worker."))
            return
        sent = services.remind_due_actions(within_days=days)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s) of actions due within {days} day(s)."))
