"""The P3O offices of the demo (M1, M21): one permanent portfolio office for the organisation, an
office per programme (temporary for most, closing after the programme's last project), and
project offices for the largest projects under way."""

from datetime import date, timedelta

from pmo.core.choices import OfficeKind, PMOStaffRole, ScopeType
from pmo.core.models import OfficeMembership, PMOOffice
from pmo.demo.context import DemoContext
from pmo.demo.names import OFFICE_MANDATES
from pmo.portfolio.choices import LifecycleStage

PROJECT_OFFICE_STAGES = (LifecycleStage.INITIATION, LifecycleStage.PLANNING, LifecycleStage.DELIVERY)
# The staff role of the support officer each programme and project office has.
SUPPORT_ROLES = {
    OfficeKind.PROGRAMME_OFFICE: PMOStaffRole.ADMINISTRATOR,
    OfficeKind.PROJECT_OFFICE: PMOStaffRole.SUPPORT_OFFICER,
}


def make_offices(ctx: DemoContext) -> None:
    rng = ctx.random("offices")
    pmo_unit = ctx.unit_by_code["PMO"]
    portfolio_office = PMOOffice(
        name="Portfolio office",
        kind=OfficeKind.PORTFOLIO_OFFICE,
        is_permanent=True,
        scope_type=ScopeType.ORGANISATION,
        unit=pmo_unit,
        established_on=date(ctx.today.year - rng.randint(3, 6), 4, 1),
        mandate=OFFICE_MANDATES["portfolio"],
    )
    offices = [portfolio_office]
    for programme in ctx.programmes:
        projects = [project for project in ctx.projects if project.programme_id == programme.pk]
        established = min(project.planned_start for project in projects) - timedelta(days=rng.randint(14, 60))
        is_permanent = rng.random() < 0.3
        closes_on = None if is_permanent else max(project.planned_finish for project in projects) + timedelta(days=60)
        offices.append(
            PMOOffice(
                name=f"{programme.name} programme office",
                kind=OfficeKind.PROGRAMME_OFFICE,
                is_permanent=is_permanent,
                scope_type=ScopeType.PROGRAMME,
                scope_id=programme.pk,
                unit=pmo_unit,
                established_on=established,
                closes_on=closes_on,
                mandate=OFFICE_MANDATES["programme"],
            )
        )
    largest = sorted(
        (project for project in ctx.projects if project.stage in PROJECT_OFFICE_STAGES),
        key=lambda project: (-project.budget, project.code),
    )[: ctx.size.project_offices]
    for project in largest:
        offices.append(
            PMOOffice(
                name=f"{project.name} project office",
                kind=OfficeKind.PROJECT_OFFICE,
                is_permanent=False,
                scope_type=ScopeType.PROJECT,
                scope_id=project.pk,
                unit=pmo_unit,
                established_on=project.planned_start,
                closes_on=project.planned_finish + timedelta(days=30),
                mandate=OFFICE_MANDATES["project"],
            )
        )
    ctx.offices = ctx.save_all(PMOOffice, offices)
    split = 1 + len(ctx.programmes)
    _make_memberships(ctx, rng, portfolio_office, ctx.offices[1:split], ctx.offices[split:])


def _make_memberships(ctx: DemoContext, rng, portfolio_office, programme_offices, project_offices) -> None:
    posts = ctx.posts
    members = [
        OfficeMembership(office=portfolio_office, person=person, staff_role=staff_role)
        for post, staff_role in (
            ("pmo_head", PMOStaffRole.HEAD),
            ("pmo_analyst", PMOStaffRole.ANALYST),
            ("pmo_administrator", PMOStaffRole.ADMINISTRATOR),
        )
        for person in posts[post]
    ]
    # Consultants give most of their time to the portfolio office and the rest to two programmes.
    for consultant in posts["pmo_consultant"]:
        for office, percent in (
            (portfolio_office, 60),
            *((office, 20) for office in rng.sample(programme_offices, min(2, len(programme_offices)))),
        ):
            members.append(
                OfficeMembership(
                    office=office, person=consultant, staff_role=PMOStaffRole.CONSULTANT, allocation_percent=percent
                )
            )
    # Each programme and project office has its own support officer.
    ctx.office_support = [
        *zip(programme_offices, posts["programme_support"], strict=True),
        *zip(project_offices, posts["project_support"], strict=False),
    ]
    members += [
        OfficeMembership(office=office, person=person, staff_role=SUPPORT_ROLES[office.kind])
        for office, person in ctx.office_support
    ]
    ctx.save_all(OfficeMembership, members)
