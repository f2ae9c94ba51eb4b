"""Fixtures of the KPI tests: weekly project snapshots built in bulk (the health app records them
in production), and a standard pair of KPIs."""

from datetime import date, timedelta

import pytest

from pmo.health.models import ProjectSnapshot
from pmo.kpis import services
from pmo_engine.metrics import derive

# A Sunday: periods end on Sundays.
FIRST_PERIOD = date(2026, 1, 4)


def period(index: int) -> date:
    return FIRST_PERIOD + timedelta(weeks=index)


def figures(*, bac=100_000.0, pv, ev, ac, **more) -> dict:
    base = {"bac": bac, "pv": pv, "ev": ev, "ac": ac, **more}
    return {**base, **derive(base)}


def add_snapshots(project, cpis, *, start=0, spi=1.0, **more):
    """One snapshot a week for ``project`` whose CPI follows ``cpis``."""
    rows = []
    for offset, cpi in enumerate(cpis):
        pv = 5_000.0 * (start + offset + 1)
        ev = pv * spi
        ac = ev / cpi
        values = figures(pv=pv, ev=ev, ac=ac, **more)
        rows.append(
            ProjectSnapshot(
                project=project,
                period_end=period(start + offset),
                bac=values["bac"],
                pv=pv,
                ev=ev,
                ac=ac,
                spi=values["spi"],
                cpi=values["cpi"],
                figures=values,
            )
        )
    ProjectSnapshot.objects.bulk_create(rows)


@pytest.fixture
def cpi_kpi(world):
    return services.create_kpi(
        actor=world.admin,
        code="CPI",
        name="Cost performance index",
        level="project",
        formula="ev / ac",
        unit="ratio",
        target=1.0,
        amber=0.95,
        red=0.9,
        direction="higher",
    )


@pytest.fixture
def portfolio_cpi(world):
    return services.create_kpi(
        actor=world.admin,
        code="PF-CPI",
        name="Portfolio cost performance",
        level="portfolio",
        formula="cpi",
        unit="ratio",
        target=1.0,
        amber=0.95,
        red=0.9,
        direction="higher",
    )
