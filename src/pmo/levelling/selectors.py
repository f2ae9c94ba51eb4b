"""What the levelling pages show: load histograms (per person, per working day, with the capacity
line) before and after a run, and the load of a target's people as the plans stand now."""

from dataclasses import dataclass
from datetime import date, datetime, time

from pmo.levelling import adapters
from pmo.levelling.models import LevellingRun
from pmo.portfolio.models import Project

BAR_WIDTH = 4
CHART_HEIGHT = 80


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    value: int
    day: str
    over: bool


@dataclass(frozen=True)
class Histogram:
    """One person's daily peak load as bars, with the 100 % line."""

    resource_id: int | None
    name: str
    width: int
    height: int
    capacity_y: int
    capacity: int
    bars: tuple[Bar, ...]
    peak: int
    overloaded_days: int


def histogram(resource_id: int | None, name: str, days: list[str], values: list[int], capacity: int) -> Histogram:
    top = 2 * max(capacity, 1)  # the capacity line at half height; loads above twice it are cut

    def y_of(value: int) -> int:
        return CHART_HEIGHT - round(min(value, top) * CHART_HEIGHT / top)

    bars = tuple(
        Bar(
            x=i * BAR_WIDTH,
            y=y_of(value),
            height=CHART_HEIGHT - y_of(value),
            value=value,
            day=day,
            over=value > capacity,
        )
        for i, (day, value) in enumerate(zip(days, values, strict=True))
        if value
    )
    return Histogram(
        resource_id=resource_id,
        name=name,
        width=max(len(days), 1) * BAR_WIDTH,
        height=CHART_HEIGHT,
        capacity_y=y_of(capacity),
        capacity=capacity,
        bars=bars,
        peak=max(values, default=0),
        overloaded_days=sum(1 for value in values if value > capacity),
    )


@dataclass(frozen=True)
class LoadComparison:
    resource_id: int | None
    name: str
    before: Histogram
    after: Histogram | None


def run_histograms(run: LevellingRun, *, overloaded_only: bool = True) -> list[LoadComparison]:
    """Each person's load before and after the run; by default those overloaded before or after."""
    days = run.load.get("days", [])
    comparisons = []
    for row in run.load.get("resources", []):
        before = histogram(row["id"], row["name"], days, row["before"], row["capacity"])
        after = histogram(row["id"], row["name"], days, row["after"], row["capacity"])
        if overloaded_only and not (before.overloaded_days or after.overloaded_days):
            continue
        comparisons.append(LoadComparison(row["id"], row["name"], before, after))
    return comparisons


@dataclass(frozen=True)
class CurrentLoad:
    first_day: date | None
    last_day: date | None
    histograms: list[Histogram]
    people: int
    overloaded_people: int


def current_load(projects: list[Project], *, from_day: date, overloaded_only: bool = False) -> CurrentLoad:
    """The daily peak load of the people working on ``projects``, as the plans stand now (their
    work on other projects included), from ``from_day``."""
    data = adapters.build_input(projects, now=datetime.combine(from_day, time()), with_release=False)
    horizon = data.horizon + 1
    loads = adapters.load_profile(data, data.current, horizon)
    days, peaks = adapters.daily_peaks(data.clock, loads, horizon)
    labels = [day.isoformat() for day in days]
    charts = [
        histogram(resource.resource_id, resource.name, labels, peaks[key], resource.capacity)
        for key, resource in sorted(data.resources.items(), key=lambda item: item[1].name)
    ]
    overloaded = [chart for chart in charts if chart.overloaded_days]
    return CurrentLoad(
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        histograms=overloaded if overloaded_only else charts,
        people=len(charts),
        overloaded_people=len(overloaded),
    )
