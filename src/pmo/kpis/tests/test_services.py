"""KPI services: definitions, scheduled and manual measurements, patterns and recommendations."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.governance.models import ActionItem
from pmo.kpis import services, tasks
from pmo.kpis.models import KPI, Measurement, Recommendation
from pmo.kpis.tests.conftest import add_snapshots, period
from pmo.portfolio import services as portfolio_services

pytestmark = pytest.mark.django_db


def test_a_formula_mistake_is_refused_with_its_column_and_nothing_is_stored(world):
    with pytest.raises(InvalidData) as error:
        services.create_kpi(
            actor=world.admin, code="BAD", name="Bad", formula="ev / spj", target=1.0, amber=0.9, red=0.8
        )
    assert error.value.errors == {"formula": ["Unknown figure 'spj' at column 6 (did you mean 'spi'?)"]}
    with pytest.raises(InvalidData) as error:
        services.create_kpi(
            actor=world.admin, code="BAD", name="Bad", formula="min(cpi, spi", target=1.0, amber=0.9, red=0.8
        )
    assert "Missing ')' at column 13" in error.value.errors["formula"][0]
    assert not KPI.objects.exists()


def test_thresholds_must_agree_with_the_direction(world):
    with pytest.raises(InvalidData) as error:
        services.create_kpi(
            actor=world.admin, code="X", name="X", formula="cpi", target=1.0, amber=0.9, red=0.95, direction="higher"
        )
    assert "red threshold" in error.value.errors["red"][0]
    services.create_kpi(
        actor=world.admin,
        code="OVERDUE",
        name="Overdue",
        formula="overdue_actions",
        target=0,
        amber=2,
        red=5,
        direction="lower",
    )
    assert KPI.objects.get(code="OVERDUE").direction == "lower"


def test_only_the_pmo_defines_kpis(world, cpi_kpi):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused):
        services.create_kpi(actor=world.permitted, code="Y", name="Y", formula="spi", target=1, amber=0.9, red=0.8)
    with pytest.raises(PermissionRefused):
        services.update_kpi(actor=world.permitted, kpi=cpi_kpi, changes={"name": "Changed"})
    assert AuditEvent.objects.count() == events
    updated = services.update_kpi(actor=world.org_head, kpi=cpi_kpi, changes={"formula": "ratio(ev, ac)"})
    assert updated.formula == "ratio(ev, ac)"
    with pytest.raises(InvalidData) as error:
        services.update_kpi(actor=world.org_head, kpi=cpi_kpi, changes={"formula": "ratio(ev)"})
    assert "ratio() at column 1 takes 2 arguments, not 1" in error.value.errors["formula"][0]
    cpi_kpi.refresh_from_db()
    assert cpi_kpi.formula == "ratio(ev, ac)"


def test_a_kpi_for_one_project_names_a_project(world):
    with pytest.raises(InvalidData) as error:
        services.create_kpi(
            actor=world.admin,
            code="Z",
            name="Z",
            level="project",
            programme=world.programme,
            formula="cpi",
            target=1,
            amber=0.9,
            red=0.8,
        )
    assert "programme" in error.value.errors


def test_measurements_come_from_the_snapshots_and_add_up_for_the_portfolio(world, cpi_kpi, portfolio_cpi):
    second = portfolio_services.create_project(
        actor=world.admin, portfolio=world.portfolio, code="HERE-2", name="Second project"
    )
    add_snapshots(world.project, [1.0])
    add_snapshots(second, [0.8])
    written = services.measure_kpis(period_end=period(0))
    assert written == 3  # two projects and the portfolio
    values = {m.project_id: m for m in Measurement.objects.filter(kpi=cpi_kpi)}
    assert values[world.project.pk].value == pytest.approx(1.0)
    assert values[world.project.pk].status == "green"
    assert values[second.pk].value == pytest.approx(0.8) and values[second.pk].status == "red"
    portfolio = Measurement.objects.get(kpi=portfolio_cpi)
    # EV over AC summed, not the mean of the CPIs: (5000 + 5000) / (5000 + 6250).
    assert portfolio.portfolio_id == world.portfolio.pk
    assert portfolio.value == pytest.approx(10_000 / 11_250)
    assert AuditEvent.objects.filter(action="kpi.measured").count() == 2
    # Measuring the same period again changes nothing and adds no measurements.
    assert services.measure_kpis(period_end=period(0)) == 3
    assert Measurement.objects.count() == 3


def test_periods_end_on_sundays(world, cpi_kpi):
    with pytest.raises(InvalidData) as error:
        services.measure_kpis(period_end=date(2026, 1, 5))
    assert "2026-01-05 is a Monday" in error.value.errors["period_end"][0]


def test_a_falling_cpi_is_flagged_and_a_recommendation_proposed_once(world, cpi_kpi):
    cpis = [1.0, 1.01, 0.99, 1.0, 1.02, 0.99, 0.97, 0.95, 0.93, 0.92]
    add_snapshots(world.project, cpis)
    for index in range(len(cpis)):
        services.measure_kpis(period_end=period(index))
    latest = Measurement.objects.get(kpi=cpi_kpi, period_end=period(9))
    codes = {flag["code"] for flag in latest.flags}
    assert "worsening" in codes
    worsening = next(flag for flag in latest.flags if flag["code"] == "worsening")
    # The fall began after the 1.02 of the fifth period: five periods down in a row.
    assert worsening["since"] == period(4).isoformat()
    assert worsening["evidence"]["periods"] == 5
    proposals = Recommendation.objects.filter(kpi=cpi_kpi, rule="cost-worsening")
    assert proposals.count() == 1
    assert proposals.get().since == period(4)
    assert "estimate to complete" in proposals.get().text
    # No flags where the series was flat.
    assert Measurement.objects.get(kpi=cpi_kpi, period_end=period(3)).flags == []


def test_a_dismissed_pattern_is_not_proposed_again_while_it_lasts(world, cpi_kpi):
    add_snapshots(world.project, [1.0, 0.99, 0.98, 0.97, 0.96])
    for index in range(4):
        services.measure_kpis(period_end=period(index))
    proposal = Recommendation.objects.get(kpi=cpi_kpi, rule="cost-worsening")
    services.dismiss_recommendation(actor=world.permitted, recommendation=proposal, reason="Known: rates rose")
    services.measure_kpis(period_end=period(4))
    assert Recommendation.objects.filter(kpi=cpi_kpi, rule="cost-worsening").count() == 1


def test_manual_values_correct_scheduled_ones_and_are_kept(world, cpi_kpi):
    add_snapshots(world.project, [1.0])
    services.measure_kpis(period_end=period(0))
    with pytest.raises(NotFound):
        services.record_measurement(
            actor=world.elsewhere_user, kpi=cpi_kpi, project=world.project, period_end=period(0), value=0.5
        )
    row = services.record_measurement(
        actor=world.permitted,
        kpi=cpi_kpi,
        project=world.project,
        period_end=period(0),
        value=0.85,
        note="Invoices booked late",
        reason="Corrected after the finance close",
    )
    assert (row.value, row.status, row.source) == (0.85, "red", "manual")
    event = AuditEvent.objects.filter(action="measurement.corrected").get()
    assert event.before["value"] == pytest.approx(1.0) and event.after["value"] == 0.85
    services.measure_kpis(period_end=period(0))
    assert Measurement.objects.get(kpi=cpi_kpi, project=world.project).value == 0.85


def test_manual_values_are_checked(world, cpi_kpi, portfolio_cpi):
    cases = [
        ({"project": world.project, "period_end": date(2026, 1, 6), "value": 1.0}, "period_end"),
        ({"project": world.project, "period_end": period(0), "value": float("nan")}, "value"),
        ({"portfolio": world.portfolio, "period_end": period(0), "value": 1.0}, "portfolio"),
        ({"period_end": period(0), "value": 1.0}, "target"),
        ({"project": world.project, "period_end": date(2099, 1, 4), "value": 1.0}, "period_end"),
    ]
    for arguments, field in cases:
        with pytest.raises(InvalidData) as error:
            services.record_measurement(actor=world.permitted, kpi=cpi_kpi, **arguments)
        assert field in error.value.errors, (arguments, error.value.errors)
    assert not Measurement.objects.exists()


def test_accepting_a_recommendation_puts_an_action_on_the_register(world, cpi_kpi):
    add_snapshots(world.project, [1.0, 0.97, 0.94, 0.91])
    for index in range(4):
        services.measure_kpis(period_end=period(index))
    proposal = Recommendation.objects.get(kpi=cpi_kpi, rule="cost-worsening")
    with pytest.raises(NotFound):
        services.accept_recommendation(actor=world.elsewhere_user, recommendation=proposal)
    accepted = services.accept_recommendation(actor=world.permitted, recommendation=proposal, reason="Agreed")
    action = ActionItem.objects.get(pk=accepted.action_id)
    assert action.project_id == world.project.pk
    assert action.title.startswith("CPI on HERE-1: Review the estimate to complete")
    assert action.source == accepted
    assert accepted.status == "accepted" and accepted.decided_by == world.permitted
    assert AuditEvent.objects.filter(action="recommendation.accepted").count() == 1
    with pytest.raises(DomainError):
        services.accept_recommendation(actor=world.permitted, recommendation=proposal)
    assert ActionItem.objects.count() == 1


def test_dismissing_needs_a_reason(world, cpi_kpi):
    add_snapshots(world.project, [1.0, 0.97, 0.94, 0.91])
    for index in range(4):
        services.measure_kpis(period_end=period(index))
    proposal = Recommendation.objects.get(kpi=cpi_kpi, rule="cost-worsening")
    with pytest.raises(InvalidData):
        services.dismiss_recommendation(actor=world.permitted, recommendation=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_monthly_kpis_are_measured_on_the_last_sunday_of_the_month(world):
    kpi = services.create_kpi(
        actor=world.admin,
        code="M-SPI",
        name="Monthly SPI",
        formula="spi",
        target=1,
        amber=0.95,
        red=0.9,
        frequency="monthly",
    )
    add_snapshots(world.project, [1.0] * 5)
    for index in range(5):
        services.measure_kpis(period_end=period(index))
    assert list(Measurement.objects.filter(kpi=kpi).values_list("period_end", flat=True)) == [date(2026, 1, 25)]


def test_measuring_costs_the_same_queries_for_more_projects(world, cpi_kpi, portfolio_cpi):
    add_snapshots(world.project, [1.0, 0.98])
    services.measure_kpis(period_end=period(0))
    with CaptureQueriesContext(connection) as few:
        services.measure_kpis(period_end=period(1))
    for number in range(2, 8):
        project = portfolio_services.create_project(
            actor=world.admin, portfolio=world.portfolio, code=f"HERE-{number}", name=f"Project {number}"
        )
        add_snapshots(project, [1.0, 0.97, 0.96])
    services.measure_kpis(period_end=period(0))
    with CaptureQueriesContext(connection) as many:
        services.measure_kpis(period_end=period(2))
    assert Measurement.objects.filter(period_end=period(2)).count() == 7
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_measuring_many_periods_at_once_agrees_with_one_at_a_time(world, cpi_kpi, portfolio_cpi):
    cpis = [1.0, 1.01, 0.99, 1.0, 1.02, 0.99, 0.97, 0.95, 0.93, 0.92, 0.8]
    add_snapshots(world.project, cpis)
    periods = [period(index) for index in range(len(cpis))]
    for day in periods:
        services.measure_kpis(period_end=day)
    one_at_a_time = list(Measurement.objects.order_by("kpi", "period_end").values_list("value", "status", "flags"))
    proposals = sorted(Recommendation.objects.values_list("kpi", "rule", "since"))
    Recommendation.objects.all().delete()
    Measurement.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        written = services.measure_periods(periods=periods)
    assert written == 2 * len(cpis)
    assert list(Measurement.objects.order_by("kpi", "period_end").values_list("value", "status", "flags")) == (
        one_at_a_time
    )
    assert sorted(Recommendation.objects.values_list("kpi", "rule", "since")) == proposals
    assert len(queries.captured_queries) < 25


def test_the_command_measures_and_reports(world, cpi_kpi):
    add_snapshots(world.project, [1.0])
    out = StringIO()
    call_command("measure_kpis", "--period-end", period(0).isoformat(), stdout=out)
    assert "Measured 1 value" in out.getvalue()
    with pytest.raises(CommandError, match="is a Saturday"):
        call_command("measure_kpis", "--period-end", "2026-01-03", stdout=out)
    with pytest.raises(CommandError, match="not a date"):
        call_command("measure_kpis", "--period-end", "last week", stdout=out)
    add_snapshots(world.project, [0.9, 0.8], start=1)
    call_command("measure_kpis", "--weeks", "3", stdout=out)
    assert "Measured 3 value(s) for 3 periods" in out.getvalue()
    assert Measurement.objects.filter(kpi=cpi_kpi).count() == 3


def test_the_task_measures_the_latest_period_or_the_one_named(world, cpi_kpi):
    add_snapshots(world.project, [1.0, 0.99])
    assert tasks.measure_kpis.call() == 1
    assert list(Measurement.objects.values_list("period_end", flat=True)) == [period(1)]
    assert tasks.measure_kpis.call(period(0).isoformat()) == 1
    assert Measurement.objects.count() == 2
