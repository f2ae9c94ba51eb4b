from collections import Counter
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Sum
from django.utils import timezone

from pmo.core.choices import Action, OfficeKind, PMOStaffRole, Role, ScopeType
from pmo.core.errors import DomainError
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.demo.build import DEMO_LOADED, build_demo
from pmo.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from pmo.demo.tests.conftest import TODAY, fingerprint
from pmo.planning.models import Activity, Baseline, Link, ProjectPlan
from pmo.portfolio.choices import RAG, LifecycleStage
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)

pytestmark = pytest.mark.django_db


# --- shape of the small organisation --------------------------------------------------------


def test_small_demo_has_the_documented_counts(small_demo):
    assert Portfolio.objects.count() == 2
    assert Programme.objects.count() == 6
    assert 38 <= Project.objects.count() <= 42
    assert set(Project.objects.values_list("stage", flat=True)) == set(LifecycleStage.values)
    assert Person.objects.count() == 120
    assert OrganisationUnit.objects.count() == 8
    assert 5 <= StrategicObjective.objects.count() <= 7
    assert get_user_model().objects.count() == len(DEMO_LOGINS) == 9


def test_summary_counts_match_the_database(small_demo):
    models = {
        "core.OrganisationUnit": OrganisationUnit,
        "core.Person": Person,
        "core.PMOOffice": PMOOffice,
        "core.OfficeMembership": OfficeMembership,
        "core.RoleAssignment": RoleAssignment,
        "auth.User": get_user_model(),
        "portfolio.StrategicObjective": StrategicObjective,
        "portfolio.Portfolio": Portfolio,
        "portfolio.Programme": Programme,
        "portfolio.Project": Project,
        "portfolio.ProjectObjective": ProjectObjective,
        "portfolio.ProjectDependency": ProjectDependency,
        "planning.ProjectPlan": ProjectPlan,
        "planning.Activity": Activity,
        "planning.Link": Link,
    }
    assert small_demo.counts() == {label: model.objects.count() for label, model in models.items()}
    assert dict(small_demo.projects_by_stage) == Counter(Project.objects.values_list("stage", flat=True))
    assert (small_demo.size, small_demo.seed, small_demo.today) == ("small", 2026, TODAY)


def test_units_form_a_tree_under_the_executive_office(small_demo):
    root = OrganisationUnit.objects.get(parent=None)
    assert root.code == "EXEC"
    assert OrganisationUnit.objects.filter(parent=root).count() == 7
    assert {"FIN", "IT", "OPS", "HR", "PMO"} <= set(OrganisationUnit.objects.values_list("code", flat=True))
    assert not Person.objects.filter(unit=None).exists()


def test_hierarchy_has_three_programmes_per_portfolio_and_standalone_projects(small_demo):
    for portfolio in Portfolio.objects.all():
        assert portfolio.programmes.count() == 3
        assert portfolio.manager is not None
    for programme in Programme.objects.all():
        assert programme.projects.count() >= 2
        assert programme.manager is not None and programme.sro is not None
        assert not programme.projects.exclude(portfolio=programme.portfolio_id).exists()
    assert Project.objects.filter(programme=None).exists()
    assert all(code.startswith("PRJ-") and len(code) == 7 for code in Project.objects.values_list("code", flat=True))
    assert Project.objects.values("name").distinct().count() == Project.objects.count()


def test_project_dates_follow_the_stage(small_demo):
    for project in Project.objects.all():
        assert project.planned_start < project.planned_finish, project
        if project.stage == LifecycleStage.CLOSED:
            assert project.planned_finish < TODAY, project
        elif project.stage == LifecycleStage.PROPOSED:
            assert project.planned_start > TODAY, project
        elif project.stage == LifecycleStage.DELIVERY:
            assert project.planned_start <= TODAY <= project.planned_finish, project
        elif project.stage in (LifecycleStage.INITIATION, LifecycleStage.PLANNING):
            assert project.planned_start <= TODAY < project.planned_finish, project


def test_budgets_and_rag_look_like_a_real_portfolio(small_demo):
    budgets = list(Project.objects.values_list("budget", flat=True))
    assert all(Decimal("40000") <= budget <= Decimal("12000000") for budget in budgets)
    assert len(set(budgets)) > len(budgets) // 2
    rag = Counter(Project.objects.values_list("rag", flat=True))
    assert rag[RAG.GREEN] > rag[RAG.AMBER] > 0
    assert rag[RAG.RED] > 0


def test_objectives_and_project_links(small_demo):
    for objective in StrategicObjective.objects.all():
        assert objective.owner is not None and objective.weight > 0
        assert objective.active_from <= TODAY and (objective.active_to is None or objective.active_to >= TODAY)
    for project in Project.objects.annotate(total=Sum("objective_links__contribution_weight")):
        assert project.total == 100, project


def test_dependencies_are_few_mostly_within_a_programme_and_acyclic(small_demo):
    dependencies = list(ProjectDependency.objects.select_related("dependent", "provider"))
    assert 5 <= len(dependencies) <= 12
    within = [
        d for d in dependencies if d.dependent.programme_id and d.dependent.programme_id == d.provider.programme_id
    ]
    assert len(within) > len(dependencies) / 2
    assert len(within) < len(dependencies)
    for dependency in dependencies:
        assert dependency.provider.planned_start < dependency.dependent.planned_start


def test_offices_follow_the_p3o_model(small_demo):
    portfolio_office = PMOOffice.objects.get(kind=OfficeKind.PORTFOLIO_OFFICE)
    assert portfolio_office.is_permanent and portfolio_office.scope_type == ScopeType.ORGANISATION
    staff_roles = set(portfolio_office.memberships.values_list("staff_role", flat=True))
    assert staff_roles == {PMOStaffRole.HEAD, PMOStaffRole.ANALYST, PMOStaffRole.ADMINISTRATOR, PMOStaffRole.CONSULTANT}
    programme_offices = PMOOffice.objects.filter(kind=OfficeKind.PROGRAMME_OFFICE)
    programme_ids = sorted(Programme.objects.values_list("pk", flat=True))
    assert sorted(programme_offices.values_list("scope_id", flat=True)) == programme_ids
    assert programme_offices.filter(is_permanent=False).exclude(closes_on=None).exists()
    assert 1 <= PMOOffice.objects.filter(kind=OfficeKind.PROJECT_OFFICE).count() <= 2
    for office in PMOOffice.objects.all():
        assert office.memberships.exists(), office


def test_every_row_passes_its_models_validation(small_demo):
    for model in (
        OrganisationUnit,
        Person,
        PMOOffice,
        OfficeMembership,
        RoleAssignment,
        StrategicObjective,
        Portfolio,
        Programme,
        Project,
        ProjectObjective,
        ProjectDependency,
        get_user_model(),
    ):
        for instance in model.objects.all():
            instance.full_clean()


def test_roles_make_sense(small_demo):
    for portfolio in Portfolio.objects.all():
        assert RoleAssignment.objects.filter(
            person=portfolio.manager, role=Role.PORTFOLIO_MANAGER, scope_type=ScopeType.PORTFOLIO, scope_id=portfolio.pk
        ).exists()
    for programme in Programme.objects.all():
        assert RoleAssignment.objects.filter(
            person=programme.manager, role=Role.PORTFOLIO_MANAGER, scope_type=ScopeType.PROGRAMME, scope_id=programme.pk
        ).exists()
    for project in Project.objects.exclude(manager=None):
        assert RoleAssignment.objects.filter(
            person=project.manager_id, role=Role.PROJECT_MANAGER, scope_type=ScopeType.PROJECT, scope_id=project.pk
        ).exists()
    # Every SRO can see what they sponsor, through an organisation, programme or project role.
    for project in Project.objects.all():
        roles = RoleAssignment.objects.filter(person=project.sro_id, role=Role.EXECUTIVE)
        scopes = set(roles.values_list("scope_type", "scope_id"))
        covering = {
            (ScopeType.ORGANISATION, None),
            (ScopeType.PROGRAMME, project.programme_id),
            (ScopeType.PROJECT, project.pk),
        }
        assert scopes & covering, project
    team = Counter(RoleAssignment.objects.filter(role=Role.TEAM_MEMBER).values_list("person", flat=True))
    assert team and set(team.values()) <= {1, 2, 3}
    administrators = RoleAssignment.objects.filter(role=Role.ADMINISTRATOR)
    assert not administrators.exclude(scope_type=ScopeType.ORGANISATION).exists()


# --- logins ---------------------------------------------------------------------------------


def _assignments(person) -> set:
    return set(RoleAssignment.objects.filter(person=person).values_list("role", "scope_type", "scope_id"))


def test_every_login_authenticates_with_the_demo_password(small_demo):
    for login in DEMO_LOGINS:
        user = authenticate(username=login.username, password=DEMO_PASSWORD)
        assert user is not None, login.username
        assert user.person.user_id == user.pk
        assert authenticate(username=login.username, password="wrong") is None
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert not get_user_model().objects.exclude(username="admin").filter(is_staff=True).exists()
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_each_login_holds_exactly_its_documented_role(small_demo):
    person = {login.username: Person.objects.get(user__username=login.username) for login in DEMO_LOGINS}
    organisation = ScopeType.ORGANISATION
    for username, role in (
        ("admin", Role.ADMINISTRATOR),
        ("pmo.head", Role.PMO_HEAD),
        ("pmo.analyst", Role.PMO_ANALYST),
        ("pmo.admin", Role.PMO_ADMINISTRATOR),
        ("executive", Role.EXECUTIVE),
    ):
        assert _assignments(person[username]) == {(role, organisation, None)}, username

    first_portfolio = Portfolio.objects.order_by("code").first()
    expected = {(Role.PORTFOLIO_MANAGER, ScopeType.PORTFOLIO, first_portfolio.pk)}
    assert _assignments(person["portfolio.manager"]) == expected

    [(role, scope_type, programme_id)] = _assignments(person["programme.manager"])
    assert (role, scope_type) == (Role.PORTFOLIO_MANAGER, ScopeType.PROGRAMME)
    assert Programme.objects.get(pk=programme_id).manager == person["programme.manager"]

    [(role, scope_type, project_id)] = _assignments(person["project.manager"])
    assert (role, scope_type) == (Role.PROJECT_MANAGER, ScopeType.PROJECT)
    project = Project.objects.get(pk=project_id)
    assert project.stage == LifecycleStage.DELIVERY and project.manager == person["project.manager"]

    team = _assignments(person["team.member"])
    assert len(team) == 2
    assert {(role, scope_type) for role, scope_type, _ in team} == {(Role.TEAM_MEMBER, ScopeType.PROJECT)}

    labels = {login.username: login.role for login in DEMO_LOGINS}
    assert labels["programme.manager"] == Role.PORTFOLIO_MANAGER.label
    assert labels["executive"] == Role.EXECUTIVE.label


def test_logins_see_what_their_scope_covers(small_demo):
    def visible(username):
        user = get_user_model().objects.get(username=username)
        return Project.objects.visible_to(user, Action.VIEW)

    total = Project.objects.count()
    for username in ("admin", "pmo.head", "pmo.analyst", "pmo.admin", "executive"):
        assert visible(username).count() == total, username
    portfolio = Portfolio.objects.order_by("code").first()
    assert set(visible("portfolio.manager")) == set(portfolio.projects.all())
    programme = Programme.objects.get(manager__user__username="programme.manager")
    assert set(visible("programme.manager")) == set(programme.projects.all())
    assert visible("project.manager").count() == 1
    assert visible("team.member").count() == 2
    assert set(visible("project.manager")) <= set(visible("team.member"))


# --- determinism, refusal, audit, atomicity -------------------------------------------------


def test_refuses_a_database_that_has_projects(small_demo):
    before = fingerprint()
    with pytest.raises(DomainError, match="already has projects"):
        build_demo(size="small", seed=1, today=TODAY)
    assert fingerprint() == before
    assert AuditEvent.objects.filter(action=DEMO_LOADED).count() == 1


def test_one_audit_event_records_the_load(small_demo):
    [event] = AuditEvent.objects.filter(action=DEMO_LOADED)
    # Beside it, only what the planning services record of the system's scheduling and baselines.
    others = set(AuditEvent.objects.exclude(action=DEMO_LOADED).values_list("action", "actor_name"))
    assert others == {("project.rescheduled", "system"), ("project.baseline_set", "system")}
    first_portfolio = Portfolio.objects.order_by("code").first()
    assert event.action == DEMO_LOADED
    assert event.actor is None and event.actor_name == "system"
    assert event.content_type.model_class() is Portfolio and event.object_id == str(first_portfolio.pk)
    assert event.after == small_demo.counts()
    assert event.after["portfolio.Project"] == Project.objects.count()
    assert "seed 2026" in event.reason


# --- scale ----------------------------------------------------------------------------------


# --- plans ----------------------------------------------------------------------------------

PLANNED = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)


def test_every_project_in_planning_or_later_has_a_scheduled_baselined_plan(small_demo):
    planned = Project.objects.filter(stage__in=PLANNED)
    for project in planned:
        activities = project.activities.all()
        assert 20 <= activities.count() <= 300, project.code
        assert not activities.filter(finish__isnull=True).exists(), project.code
        assert Baseline.objects.filter(project=project, number=0).exists(), project.code
        if activities.filter(children__isnull=True, actual_finish__isnull=True).exists():  # done work is never critical
            assert ProjectPlan.objects.get(project=project).critical_paths, project.code
    assert not Activity.objects.exclude(project__stage__in=PLANNED).exists()


def test_some_links_cross_projects_within_a_programme(small_demo):
    crossing = [
        link
        for link in Link.objects.select_related("predecessor__project", "successor__project")
        if link.predecessor.project_id != link.successor.project_id
    ]
    assert crossing
    assert all(link.predecessor.project.programme_id == link.successor.project.programme_id for link in crossing)


def test_progress_fits_each_stage(small_demo):
    today_evening = timezone.make_aware(datetime(TODAY.year, TODAY.month, TODAY.day, 17))
    tasks = Activity.objects.filter(children__isnull=True)
    assert not tasks.filter(project__stage=LifecycleStage.PLANNING, actual_start__isnull=False).exists()
    assert not tasks.filter(project__stage=LifecycleStage.CLOSED, actual_finish__isnull=True).exists()
    assert not tasks.filter(actual_start__gt=today_evening).exists()
    under_way = tasks.filter(
        project__stage=LifecycleStage.DELIVERY, actual_start__isnull=False, actual_finish__isnull=True
    )
    assert under_way.exists()
    # Amber and red projects forecast later than their approved plan somewhere.
    late = [
        activity
        for activity in tasks.filter(
            project__rag__in=["amber", "red"], project__stage=LifecycleStage.DELIVERY
        ).prefetch_related("baseline_entries")
        if activity.baseline_entries.all() and activity.finish > activity.baseline_entries.all()[0].finish
    ]
    assert late
