"""How big each demo organisation is."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSize:
    """The shape of one demo organisation. Counts are exact unless noted."""

    name: str
    units: int
    people: int
    portfolios: int
    programmes_per_portfolio: int
    projects: int
    standalone_share: float  # share of projects outside any programme
    objectives: int
    executives: int
    pmo_analysts: int
    pmo_administrators: int
    pmo_consultants: int
    project_offices: int
    dependencies: int
    projects_per_manager: float
    team_share: float  # share of ordinary staff who work on projects

    @property
    def programmes(self) -> int:
        return self.portfolios * self.programmes_per_portfolio


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        name="small",
        units=8,
        people=120,
        portfolios=2,
        programmes_per_portfolio=3,
        projects=40,
        standalone_share=0.2,
        objectives=6,
        executives=6,
        pmo_analysts=2,
        pmo_administrators=2,
        pmo_consultants=1,
        project_offices=2,
        dependencies=8,
        projects_per_manager=2.2,
        team_share=0.75,
    ),
    "large": DemoSize(
        name="large",
        units=30,
        people=5000,
        portfolios=5,
        programmes_per_portfolio=8,
        projects=1000,
        standalone_share=0.15,
        objectives=10,
        executives=12,
        pmo_analysts=6,
        pmo_administrators=8,
        pmo_consultants=4,
        project_offices=10,
        dependencies=200,
        projects_per_manager=2.2,
        team_share=0.7,
    ),
}
