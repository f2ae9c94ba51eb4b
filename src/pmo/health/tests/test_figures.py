"""The figures of a project worked by hand (see pmo.health.testing), and their query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.health import adapters
from pmo.health.selectors import project_figures
from pmo.health.testing import AS_OF
from pmo_engine.metrics import METRICS


@pytest.fixture(autouse=True)
def no_providers(monkeypatch):
    """The figures of this app only: apps above health register providers of their own."""
    monkeypatch.setattr(adapters, "_FIGURE_PROVIDERS", [])


@pytest.fixture
def figures(hw):
    return project_figures([hw.world.project.pk, hw.world.other_project.pk], as_of=AS_OF)


def test_every_metric_is_present(figures, hw):
    for row in figures.values():
        assert set(row) == set(METRICS)


def test_earned_value_from_the_primary_baseline_progress_and_approved_timesheets(figures, hw):
    row = figures[hw.world.project.pk]
    assert row["bac"] == 3000
    assert row["pv"] == 2000
    assert row["ev"] == 1500
    assert row["ac"] == 1800  # the week after and the submitted week are left out
    assert row["sv"] == -500 and row["cv"] == -300
    assert row["spi"] == pytest.approx(0.75)
    assert row["cpi"] == pytest.approx(1500 / 1800)
    assert row["eac"] == pytest.approx(3000 / (1500 / 1800))
    assert row["eac_bottom_up"] == pytest.approx(1800 + 2000 * 0.75)
    assert row["tcpi"] == pytest.approx(1500 / 1200)
    # Earned schedule: EV 1,500 lies halfway between PV 1,000 (week 2) and 2,000 (week 3).
    assert row["es"] == pytest.approx(2.5)
    assert row["at"] == 3
    assert row["sv_t"] == pytest.approx(-0.5)
    assert row["spi_t"] == pytest.approx(2.5 / 3)
    assert row["ieac_t"] == pytest.approx(4 / (2.5 / 3))
    assert row["percent_complete"] == pytest.approx(50)


def test_schedule_figures_against_the_baseline(figures, hw):
    row = figures[hw.world.project.pk]
    assert row["milestones"] == 1
    assert row["milestones_due"] == 0  # due 2026-03-27, after the status week
    assert row["milestones_late"] == 1
    assert row["milestone_slip_days"] == 7
    assert row["finish_slip_days"] == 7
    margin = (date(2026, 12, 18) - date(2026, 3, 27)).days
    assert row["float_consumed_pct"] == pytest.approx(700 / margin)
    assert row["critical_float_days"] == -1


def test_raid_changes_and_resources(figures, hw):
    row = figures[hw.world.project.pk]
    assert (row["open_risks"], row["open_high_risks"], row["risk_exposure"]) == (3, 2, 12 + 12 + 4)
    assert (row["open_issues"], row["overdue_issues"]) == (2, 1)
    assert (row["open_actions"], row["overdue_actions"]) == (1, 1)
    assert (row["pending_changes"], row["approved_changes"]) == (1, 1)
    assert row["scope_change_pct"] == pytest.approx(10)
    assert row["overloaded_people"] == 1
    assert row["overload_pct"] == pytest.approx(150)
    assert row["reports_missing"] is None


def test_non_labour_cost_accrues_with_progress(hw):
    """Build costs 2,000 of which 1,200 is labour: the other 800 (materials, fees) counts as spent
    in proportion to Build's 25 % progress, as MS Project prorates fixed costs."""
    from pmo.resourcing.models import Assignment

    Assignment.objects.filter(activity=hw.build).update(planned_cost=1200)
    row = project_figures([hw.world.project.pk], as_of=AS_OF)[hw.world.project.pk]
    assert row["ac"] == pytest.approx(1800 + 800 * 0.25)
    assert row["cpi"] == pytest.approx(1500 / 2000)


def test_without_a_status_date_or_any_progress_there_is_no_earned_value(hw):
    from pmo.planning.models import Activity

    Activity.objects.filter(project=hw.world.project).update(percent_complete=0)
    row = project_figures([hw.world.project.pk], as_of=AS_OF)[hw.world.project.pk]
    assert row["pv"] == 2000 and row["ac"] == 1800  # planned and paid for, but never measured
    for name in ("ev", "spi", "cpi", "eac", "es", "spi_t", "percent_complete"):
        assert row[name] is None, name


def test_a_project_without_baseline_has_no_earned_value(figures, hw):
    row = figures[hw.world.other_project.pk]
    for name in ("bac", "pv", "ev", "ac", "spi", "cpi", "es", "spi_t", "milestone_slip_days"):
        assert row[name] is None
    assert row["open_risks"] == 0 and row["overloaded_people"] is None


def test_before_the_baseline_starts_nothing_is_planned(hw):
    row = project_figures([hw.world.project.pk], as_of=date(2026, 2, 1))[hw.world.project.pk]
    assert row["pv"] == 0 and row["spi"] is None and row["es"] is None


def test_figure_providers_add_figures(hw):
    adapters.register_figure_provider(lambda ids, as_of: {pk: {"reports_missing": 2, "unknown": 1} for pk in ids})
    row = project_figures([hw.world.project.pk], as_of=AS_OF)[hw.world.project.pk]
    assert row["reports_missing"] == 2 and "unknown" not in row


def test_query_count_does_not_grow_with_projects(hw):
    with CaptureQueriesContext(connection) as one:
        project_figures([hw.world.project.pk], as_of=AS_OF)
    with CaptureQueriesContext(connection) as two:
        project_figures([hw.world.project.pk, hw.world.other_project.pk], as_of=AS_OF)
    assert len(one) == len(two) <= 16
