"""The state one demo load carries from step to step."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models

from pmo.core.models import OrganisationUnit, Person, PMOOffice
from pmo.demo.sizes import DemoSize
from pmo.portfolio.models import Portfolio, Programme, Project, StrategicObjective

# Rows per INSERT: well under SQLite's limit on bound variables for every model the demo writes.
BATCH_SIZE = 500


@dataclass
class DemoContext:
    """What the steps of a load share: the seed, the date the data is built around, the size, and
    the objects made so far (steps later in the order read what earlier steps made).

    Each step draws from its own generator (``random(name)``), derived from the seed and the step's
    name, so that adding draws to one step never shifts the data another step makes.
    """

    seed: int
    today: date
    size: DemoSize
    units: list[OrganisationUnit] = field(default_factory=list)
    unit_by_code: dict[str, OrganisationUnit] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    # People by the post they were hired for ("executive", "project_manager", "staff", ...).
    posts: defaultdict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    objectives: list[StrategicObjective] = field(default_factory=list)
    portfolios: list[Portfolio] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    offices: list[PMOOffice] = field(default_factory=list)
    # (office, person): the support officer of each programme and project office.
    office_support: list[tuple[PMOOffice, Person]] = field(default_factory=list)
    # Theme ("technology", "cost", ...) of each objective, programme and project by code; the
    # themes of each portfolio, in order of preference.
    theme_of: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    # The projects the project.manager and team.member logins work on.
    login_project: Project | None = None
    team_member_projects: list[Project] = field(default_factory=list)
    # (username, role label, scope in this demo, person's name)
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # What a group of steps keeps for its own later steps, under the group's name.
    scratch: dict[str, object] = field(default_factory=dict)

    def random(self, step: str) -> random.Random:
        """A generator for one step; the same seed and step name give the same sequence."""
        return random.Random(f"pmo-demo/{self.seed}/{step}")

    def save_all(self, model: type[models.Model], rows: list) -> list:
        """Insert ``rows`` in batches, count them, and return them with their primary keys set."""
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(created)
        return created
