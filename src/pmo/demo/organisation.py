"""The organisation of the demo: units and the people in them, each hired for a post.

Posts say what a person is there to do ("executive", "project_manager", "staff", ...); later steps
give people roles, offices and projects according to their post.
"""

import math
from dataclasses import dataclass

from pmo.core.models import OrganisationUnit, Person
from pmo.demo.context import DemoContext
from pmo.demo.names import (
    DELIVERY_UNIT_WEIGHTS,
    EXECUTIVE_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    STAFF_TITLES,
    UNIT_WEIGHTS,
    UNITS,
)

EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class Post:
    kind: str
    unit_code: str
    job_title: str


def directorate_of(code: str) -> str:
    """The top-level unit under the executive office that ``code`` belongs to."""
    parents = {unit_code: parent for unit_code, _, parent in UNITS}
    while parents[code] not in (None, "EXEC"):
        code = parents[code]
    return code


def make_units(ctx: DemoContext) -> None:
    """The unit tree, saved one level at a time so that each child's parent has its key."""
    rows = UNITS[: ctx.size.units]
    depth: dict[str, int] = {}
    for code, _, parent in rows:
        depth[code] = 0 if parent is None else depth[parent] + 1
    for level in range(max(depth.values()) + 1):
        level_units = [
            OrganisationUnit(code=code, name=name, parent=ctx.unit_by_code.get(parent))
            for code, name, parent in rows
            if depth[code] == level
        ]
        for unit in ctx.save_all(OrganisationUnit, level_units):
            ctx.unit_by_code[unit.code] = unit
    ctx.units = [ctx.unit_by_code[code] for code, _, _ in rows]


def _head_title(unit_name: str) -> str:
    return f"Head of {unit_name[0].lower()}{unit_name[1:]}"


def _posts(ctx: DemoContext) -> list[Post]:
    size = ctx.size
    rng = ctx.random("posts")
    codes = [unit.code for unit in ctx.units]
    business = [code for code in codes if code not in ("EXEC", "PMO")]
    posts = [Post("executive", "EXEC", title) for title in EXECUTIVE_TITLES[: size.executives]]
    posts += [Post("unit_head", code, _head_title(ctx.unit_by_code[code].name)) for code in business]
    posts.append(Post("pmo_head", "PMO", "Head of PMO"))
    posts += [Post("pmo_analyst", "PMO", "PMO analyst")] * size.pmo_analysts
    posts += [Post("pmo_administrator", "PMO", "PMO administrator")] * size.pmo_administrators
    posts += [Post("pmo_consultant", "PMO", "PMO consultant")] * size.pmo_consultants
    posts += [Post("portfolio_manager", "PMO", "Portfolio manager")] * size.portfolios
    posts += [Post("programme_support", "PMO", "Programme support officer")] * size.programmes
    posts += [Post("project_support", "PMO", "Project support officer")] * size.project_offices
    posts.append(Post("it_admin", "IT-INFRA" if "IT-INFRA" in codes else "IT", "Systems administrator"))

    delivery_units = [code for code in business if directorate_of(code) in DELIVERY_UNIT_WEIGHTS]
    delivery_weights = [DELIVERY_UNIT_WEIGHTS[directorate_of(code)] for code in delivery_units]
    for kind, title, count in (
        ("programme_manager", "Programme manager", size.programmes),
        ("project_manager", "Project manager", math.ceil(size.projects / size.projects_per_manager)),
    ):
        posts += [Post(kind, unit, title) for unit in rng.choices(delivery_units, delivery_weights, k=count)]

    # Everyone else is ordinary staff, spread by the weight of their directorate; a directorate's
    # weight is shared between its own unit and its sub-units.
    directorates = [directorate_of(code) for code in business]
    staff_weights = [UNIT_WEIGHTS[top] / directorates.count(top) for top in directorates]
    remaining = size.people - len(posts)
    if remaining < 0:
        raise ValueError(f"The {size.name} size has more posts ({len(posts)}) than people ({size.people}).")
    for code in rng.choices(business, staff_weights, k=remaining):
        posts.append(Post("staff", code, rng.choice(STAFF_TITLES[directorate_of(code)])))
    return posts


def _email(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return f"{local}@{EMAIL_DOMAIN}"


def make_people(ctx: DemoContext) -> None:
    """One person per post, with names unique across the organisation."""
    posts = _posts(ctx)
    rng = ctx.random("people")
    combinations = len(FIRST_NAMES) * len(LAST_NAMES)
    if len(posts) > combinations:
        raise ValueError(f"Only {combinations} distinct names; {len(posts)} people asked for.")
    picks = rng.sample(range(combinations), len(posts))
    people = []
    for post, pick in zip(posts, picks, strict=True):
        first, last = FIRST_NAMES[pick // len(LAST_NAMES)], LAST_NAMES[pick % len(LAST_NAMES)]
        people.append(
            Person(
                full_name=f"{first} {last}",
                email=_email(first, last),
                job_title=post.job_title,
                unit=ctx.unit_by_code[post.unit_code],
            )
        )
    ctx.people = ctx.save_all(Person, people)
    for post, person in zip(posts, ctx.people, strict=True):
        ctx.posts[post.kind].append(person)
