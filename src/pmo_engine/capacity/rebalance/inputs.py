"""The input of rebalancing: frozen, validated data classes, and :func:`rebalance_inputs` to read
them from a capacity analysis.

Units: hours per period; every resource and item covers the same periods. Every ``__post_init__``
raises :class:`~pmo_engine.errors.InvalidInput` naming the field at fault.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from pmo_engine.capacity.arrays import DayAxis, period_pairs, resource_arrays
from pmo_engine.capacity.inputs import CapacityResource, _check_hours, _check_key, _check_level, _pairs
from pmo_engine.capacity.results import CapacityResult
from pmo_engine.errors import InvalidInput


def _hours_tuple(
    value: object, field_name: str, owner: str, *, empty: tuple[float, ...] | None = None
) -> tuple[float, ...]:
    """One finite number of hours (0 or more) per period, as floats; ``empty`` stands for no value
    at all (an error when None)."""
    try:
        values = tuple(value)  # type: ignore[call-overload]
    except TypeError:
        raise InvalidInput(
            f"{owner}: {field_name} must be a sequence of hours, one per period.", field=field_name
        ) from None
    if not values:
        if empty is None:
            raise InvalidInput(f"{owner}: {field_name} needs at least one period.", field=field_name)
        values = empty
    return tuple(_check_hours(hours, field_name, owner) for hours in values)


@dataclass(frozen=True, slots=True)
class RebalanceResource:
    """A person who may give or take work: per period, ``capacity_hours`` and ``fixed_demand_hours``
    (demand not listed as items, which stays; all periods 0 when empty); ``skills``: skill key to
    level (1..5), as a mapping or pairs, stored as pairs sorted by skill key."""

    key: str
    capacity_hours: tuple[float, ...]
    skills: tuple[tuple[str, int], ...] = ()
    fixed_demand_hours: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        _check_key(self.key, "key", "RebalanceResource")
        owner = f"Resource {self.key}"
        capacity = _hours_tuple(self.capacity_hours, "capacity_hours", owner)
        object.__setattr__(self, "capacity_hours", capacity)
        fixed = _hours_tuple(self.fixed_demand_hours, "fixed_demand_hours", owner, empty=(0.0,) * len(capacity))
        if len(fixed) != len(capacity):
            raise InvalidInput(
                f"{owner}: fixed_demand_hours has {len(fixed)} periods, capacity_hours {len(capacity)}.",
                field="fixed_demand_hours",
            )
        object.__setattr__(self, "fixed_demand_hours", fixed)
        skills = _pairs(self.skills, "skills", owner)
        for skill, level in skills:
            _check_key(skill, "skills", owner)
            _check_level(level, "skills", owner)
        object.__setattr__(self, "skills", tuple(sorted(skills)))  # type: ignore[arg-type]

    def proficiency(self, skill_key: str) -> int:
        """The level held in ``skill_key``, 0 when the skill is not held."""
        return next((level for skill, level in self.skills if skill == skill_key), 0)


@dataclass(frozen=True, slots=True)
class RebalanceItem:
    """Demand on ``resource_key``: ``hours`` per period (as many as the resources' capacity_hours).

    It may move only when it names a ``required_skill`` (then to holders at ``minimum_proficiency``
    or more) and is not ``is_fixed``. ``label`` (the key when None) and ``project_key`` name it in
    explanations.
    """

    key: str
    resource_key: str
    hours: tuple[float, ...]
    required_skill: str | None = None
    minimum_proficiency: int = 1
    is_fixed: bool = False
    label: str | None = None
    project_key: str | None = None

    def __post_init__(self) -> None:
        _check_key(self.key, "key", "RebalanceItem")
        owner = f"Item {self.key}"
        _check_key(self.resource_key, "resource_key", owner)
        object.__setattr__(self, "hours", _hours_tuple(self.hours, "hours", owner))
        if self.required_skill is not None:
            _check_key(self.required_skill, "required_skill", owner)
        _check_level(self.minimum_proficiency, "minimum_proficiency", owner)
        if not isinstance(self.is_fixed, bool):
            raise InvalidInput(f"{owner}: is_fixed must be True or False, not {self.is_fixed!r}.", field="is_fixed")
        for name in ("label", "project_key"):
            if getattr(self, name) is not None:
                _check_key(getattr(self, name), name, owner)

    @property
    def is_movable(self) -> bool:
        """Named a required skill and not fixed: rebalancing may propose moving it."""
        return self.required_skill is not None and not self.is_fixed

    @property
    def total_hours(self) -> float:
        return sum(self.hours)


@dataclass(frozen=True, slots=True)
class RebalanceInputs:
    """The input of :func:`propose_rebalancing` read from a capacity analysis (see :func:`rebalance_inputs`)."""

    resources: tuple[RebalanceResource, ...]
    items: tuple[RebalanceItem, ...]
    period_labels: tuple[str, ...]
    overload_threshold: float


def rebalance_inputs(
    result: CapacityResult, resources: Iterable[CapacityResource], *, fixed_item_keys: Iterable[str] = ()
) -> RebalanceInputs:
    """The input of :func:`propose_rebalancing` from a capacity analysis and its resources.

    The demand items of the resources overloaded in ``result`` become items, with their hours per
    period exactly as the heatmap counts them (hours outside the horizon are left out); items in
    ``fixed_item_keys`` are fixed. All other assigned demand becomes the resources'
    ``fixed_demand_hours``. Pass the returned ``overload_threshold`` and ``period_labels`` (the
    ISO dates of the period starts) on. Cost: O(R * D) to lay the working days out again, plus
    O(pairs) over the demand.
    """
    people = sorted(resources, key=attrgetter("key"))
    if tuple(person.key for person in people) != result.resource_keys:
        raise InvalidInput("resources must be the resources the capacity result was computed for.", field="resources")
    axis = DayAxis.of(result.grid)
    arrays = resource_arrays(people, axis, sorted({skill for person in people for skill, _ in person.skills}))
    layout = result.demand_layout
    count, periods = len(people), result.grid.periods
    overloaded = np.append(result.is_overloaded.any(axis=1), False)  # the unassigned row is never listed
    listed = np.flatnonzero(overloaded[layout.row])
    position = np.full(len(layout.items), -1, dtype=np.int64)
    position[listed] = np.arange(len(listed))
    hours = np.zeros((len(listed), periods))
    for item, period, amount in period_pairs(layout, arrays, axis):
        keep = position[item] >= 0
        np.add.at(hours, (position[item[keep]], period[keep]), amount[keep])
    listed_load = np.zeros((count, periods))
    np.add.at(listed_load, layout.row[listed], hours)
    fixed = np.clip(result.demand_hours - listed_load, 0, None)
    fixed[overloaded[:-1]] = 0.0  # all their demand is listed: what is left is rounding noise
    fixed_keys = frozenset(fixed_item_keys)
    items = tuple(
        RebalanceItem(
            key=demand.key,
            resource_key=demand.resource_key,  # type: ignore[arg-type]
            hours=tuple(hours[place].tolist()),
            required_skill=demand.required_skill,
            minimum_proficiency=demand.minimum_proficiency,
            is_fixed=demand.key in fixed_keys,
            project_key=demand.project_key,
        )
        for place, demand in enumerate(layout.items[index] for index in listed.tolist())
        if hours[place].any()
    )
    return RebalanceInputs(
        resources=tuple(
            RebalanceResource(
                person.key,
                tuple(result.capacity_hours[row].tolist()),
                person.skills,
                fixed_demand_hours=tuple(fixed[row].tolist()),
            )
            for row, person in enumerate(people)
        ),
        items=items,
        period_labels=tuple(start.isoformat() for start in result.period_starts),
        overload_threshold=result.overload_threshold,
    )
