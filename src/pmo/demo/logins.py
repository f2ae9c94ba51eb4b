"""One login per role, each linked to a person of the demo whose roles are exactly the ones the
login is documented to have."""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from pmo.core.choices import Role
from pmo.core.models import Person
from pmo.demo.context import DemoContext

DEMO_PASSWORD = "pmo-demo-2026"


class DemoLogin(NamedTuple):
    username: str
    role: str  # the role's label
    scope: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMINISTRATOR.label, "whole organisation"),
    DemoLogin("pmo.head", Role.PMO_HEAD.label, "whole organisation"),
    DemoLogin("pmo.analyst", Role.PMO_ANALYST.label, "whole organisation"),
    DemoLogin("pmo.admin", Role.PMO_ADMINISTRATOR.label, "whole organisation"),
    DemoLogin("portfolio.manager", Role.PORTFOLIO_MANAGER.label, "the first portfolio"),
    DemoLogin("programme.manager", Role.PORTFOLIO_MANAGER.label, "one programme of the first portfolio"),
    DemoLogin("project.manager", Role.PROJECT_MANAGER.label, "one project in delivery, in that programme"),
    DemoLogin("team.member", Role.TEAM_MEMBER.label, "two projects, one of them the project manager's"),
    DemoLogin("executive", Role.EXECUTIVE.label, "whole organisation"),
)

# The post whose first holder each login belongs to (see organisation.make_people).
LOGIN_POSTS = {
    "admin": "it_admin",
    "pmo.head": "pmo_head",
    "pmo.analyst": "pmo_analyst",
    "pmo.admin": "pmo_administrator",
    "portfolio.manager": "portfolio_manager",
    "programme.manager": "programme_manager",
    "project.manager": "project_manager",
    "team.member": "staff",
    "executive": "executive",
}
ADMINISTRATOR_USERNAME = "admin"


def _scope_of(ctx: DemoContext, username: str) -> str:
    """Where the login's role applies, named with the objects of this demo."""
    if username == "portfolio.manager":
        return f"portfolio {ctx.portfolios[0].code} {ctx.portfolios[0].name}"
    if username == "programme.manager":
        return f"programme {ctx.programmes[0].code} {ctx.programmes[0].name}"
    if username == "project.manager":
        return f"project {ctx.login_project}"
    if username == "team.member":
        return "projects " + " and ".join(str(project) for project in ctx.team_member_projects)
    return "whole organisation"


def make_logins(ctx: DemoContext) -> None:
    """Users with the demo password, linked to their people. The administrator login may use the
    admin site (``is_staff``) but is no superuser: what it may do comes from its role."""
    user_model = get_user_model()
    # Every demo login has the same public password: hash it once (the hasher is slow by design).
    hashed_password = make_password(DEMO_PASSWORD)
    users, people = [], []
    for login in DEMO_LOGINS:
        person = ctx.posts[LOGIN_POSTS[login.username]][0]
        first, _, last = person.full_name.partition(" ")
        user = user_model(
            username=login.username,
            email=person.email,
            first_name=first,
            last_name=last,
            is_staff=login.username == ADMINISTRATOR_USERNAME,
            is_superuser=False,
        )
        # Demo passwords are public by design, so they skip the password validators.
        user.password = hashed_password
        users.append(user)
        people.append(person)
        ctx.logins.append((login.username, login.role, _scope_of(ctx, login.username), person.full_name))
    for user, person in zip(ctx.save_all(user_model, users), people, strict=True):
        person.user = user
    Person.objects.bulk_update(people, ["user"])
