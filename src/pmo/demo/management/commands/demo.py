"""``demo``: load the seeded demo organisation into an empty database."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pmo.core.errors import DomainError
from pmo.demo.build import DEFAULT_SEED, build_demo, database_has_projects
from pmo.demo.logins import DEMO_PASSWORD
from pmo.demo.sizes import SIZES


class Command(BaseCommand):
    help = (
        "Load a demo organisation (units, people, PMO offices, objectives, portfolios, programmes, "
        "projects, roles) and one login per role, all with the same password. The database must "
        "have no projects yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", choices=list(SIZES), default="small", help="small (40 projects, the default) or large (1,000)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Seed of the generator (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and say so) when the database already has projects."
        )

    def handle(self, *args, size: str, seed: int, if_empty: bool, **options):
        if if_empty and database_has_projects():
            self.stdout.write("The database already has projects: no demo data loaded.")
            return
        started = time.perf_counter()
        try:
            summary = build_demo(size=size, seed=seed, today=date.today())
        except DomainError as error:
            raise CommandError(error.message) from None
        seconds = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the {summary.size} demo (seed {summary.seed}, around {summary.today:%d %B %Y}) "
                f"in {seconds:.1f} s."
            )
        )
        for label, count in summary.counts().items():
            self.stdout.write(f"  {label:<30} {count:>7,}")
        stages = ", ".join(f"{stage} {count}" for stage, count in summary.projects_by_stage)
        self.stdout.write(f"  projects by stage: {stages}")
        self.stdout.write("")
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}):")
        width = max(len(username) for username, *_ in summary.logins)
        for username, role, scope, person in summary.logins:
            self.stdout.write(f"  {username:<{width}}  {person}: {role}, {scope}")
