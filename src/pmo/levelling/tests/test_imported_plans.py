"""Levelling a plan imported from a file with its own resources: the MPSPLIB multi-project file
(five projects sharing twelve resources, each with several units) is over-allocated as the file
schedules it; levelled within each resource's maximum units, nothing is over."""

from datetime import date, datetime
from pathlib import Path

import pytest

from pmo.levelling import adapters, services
from pmo.levelling.choices import RunState
from pmo.planning.imports import import_plan
from pmo.portfolio import services as portfolio_services
from pmo_engine.formats import read_plan_file

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "project-files"


def test_an_imported_multi_project_plan_levels_within_its_resources(world):
    project = portfolio_services.create_project(
        actor=world.admin, portfolio=world.portfolio, code="MPSPLIB", name="Five projects, twelve resources"
    )
    plan = read_plan_file(DATA / "mpsplib_16_mp_j30_a5_nr1.xml")
    import_plan(actor=world.admin, project=project, plan=plan, source="mpsplib_16_mp_j30_a5_nr1.xml")

    data = adapters.build_input([project], now=datetime(2025, 12, 1))
    capacities = data.problem.capacities
    assert len(capacities) == 12
    assert {resource.capacity for resource in data.resources.values()} == set(capacities.values())
    assert max(capacities.values()) == 2200  # R 2: 22 units

    run = services.start_run(
        actor=world.admin, scope="project", target=project, level_from=date(2025, 12, 1), time_limit_seconds=5
    )
    run = services.execute_run(run.pk)
    assert run.state == RunState.READY, run.message
    assert run.resources_count == 12
    assert run.overload_before_hours > 0  # the file's own dates over-allocate its resources
    assert run.overload_after_hours == 0
    assert run.lower_bound <= run.objective
