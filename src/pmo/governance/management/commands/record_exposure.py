"""``pmo manage record_exposure``: store today's open-risk exposure of every active register, so
that the trend has a point for every day (run it daily, like ``remind_actions``)."""

from django.core.management.base import BaseCommand

from pmo.governance import services


class Command(BaseCommand):
    help = "Record today's open-risk exposure of every active project, programme and portfolio."

    def handle(self, *args, **options):
        count = services.record_every_exposure()
        self.stdout.write(self.style.SUCCESS(f"Recorded the exposure of {count} register(s)."))
