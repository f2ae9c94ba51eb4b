"""What :func:`~pmo_engine.capacity.rebalance.propose_rebalancing` returns. Hours are exact (not
the solver's hundredths)."""

from dataclasses import dataclass
from enum import StrEnum


class RebalanceStatus(StrEnum):
    """How a plan came out; only ``optimal`` and ``feasible`` plans have moves."""

    NO_OVERLOAD = "no_overload"  # nothing above the threshold: nothing to do
    OPTIMAL = "optimal"  # moves proposed, proven best among the moves considered
    FEASIBLE = "feasible"  # moves proposed; the time ran out before CP-SAT proved them best
    NO_IMPROVEMENT = "no_improvement"  # overload remains, and no move considered was found to lower it


@dataclass(frozen=True, slots=True)
class RebalanceMove:
    """Move item ``item_key`` (``hours`` in all) from one resource to another.

    ``overload_removed_hours``: how much total overload falls when this move alone is applied to
    the current plan (always > 0); ``reason``: the move explained in words and numbers.
    """

    item_key: str
    item_label: str
    project_key: str | None
    from_resource_key: str
    to_resource_key: str
    hours: float
    overload_removed_hours: float
    reason: str


@dataclass(frozen=True, slots=True)
class ResourceOverload:
    """A resource's total overload (hours above the threshold, over all periods) before and after the plan."""

    resource_key: str
    before_hours: float
    after_hours: float


@dataclass(frozen=True, slots=True)
class RebalancePlan:
    """What :func:`propose_rebalancing` proposes, with the figures to judge it by.

    - ``moves``: sorted by item key; ``overload_before_hours``, ``overload_after_hours``: total
      overload now and with every move applied; ``moved_hours``: the hours of the moved items;
    - ``overload_bound_hours``: no plan made of the moves considered goes below this (CP-SAT's
      bound, in hundredths of an hour; ``overload_after_hours`` when the plan is optimal);
    - ``is_optimal``: both stages proven (overload, then moves and hours) among the moves considered;
    - ``resource_overloads``: every resource overloaded before or after, sorted by key;
    - ``movable_item_count``, ``candidate_count``: the items and (item, candidate) pairs considered;
    - ``seconds``: CP-SAT's wall time over both stages, as CP-SAT reports it (reading the input,
      the greedy pass and building the model come on top; the engine reads no clock).
    """

    moves: tuple[RebalanceMove, ...]
    status: RebalanceStatus
    is_optimal: bool
    overload_before_hours: float
    overload_after_hours: float
    overload_bound_hours: float
    moved_hours: float
    resource_overloads: tuple[ResourceOverload, ...]
    movable_item_count: int
    candidate_count: int
    seconds: float
