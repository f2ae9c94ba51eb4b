"""The CP-SAT model of rebalancing and its two stages.

Units: whole hundredths of an hour (:data:`UNITS_PER_HOUR`); each item's hours and each threshold
capacity are rounded to the nearest 0.01 h per period. One boolean per (item, option), the
current resource first, exactly one true per item; one overload variable per cell (resource,
period) that some option reaches and that can go over the threshold, at least the cell's load
minus its threshold capacity. Stage 1 minimises the sum of the overload variables with up to
3/4 of the time, starting from the greedy plan (a complete hint); stage 2 adds "overload at most
that of stage 1's plan" and minimises moves times (all movable hours + 1) plus hours moved, from
stage 1's plan, with the rest of the time. CP-SAT's presolve is off: on models of a few thousand
options its reductions took the whole time limit without improving the search.
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from pmo_engine.capacity.rebalance.candidates import Candidates, Loads, greedy_moves

UNITS_PER_HOUR = 100  # CP-SAT's integer unit: a hundredth of an hour (36 seconds)
_FIRST_STAGE_SHARE = 0.75  # of max_time_seconds; the second stage has the rest


@dataclass(frozen=True, eq=False)
class Solution:
    """The moves chosen (item index -> new row), whether both stages were proven optimal, a lower
    bound on the overload of the cells the model holds (``cell_rows``, ``cell_periods``) in hours,
    and CP-SAT's wall time over both stages."""

    target: dict[int, int]
    is_optimal: bool
    bound_hours: float
    cell_rows: np.ndarray
    cell_periods: np.ndarray
    seconds: float


@dataclass(frozen=True, eq=False)
class _Model:
    """The CP-SAT model: one boolean per option (``option_item``, ``option_row``; each item's
    current row first, from ``first_option[k]`` on for the k-th movable item), one overload
    variable per cell that can go over (``cell_rows``, ``cell_periods``, with the cell's load
    outside the options minus its threshold capacity in ``cell_base``), and the terms of those cells:
    option ``term_option`` puts ``term_units`` on cell ``term_cell``."""

    model: cp_model.CpModel
    choices: list[cp_model.IntVar]
    overloads: list[cp_model.IntVar]
    option_item: np.ndarray
    option_row: np.ndarray
    first_option: np.ndarray
    cell_rows: np.ndarray
    cell_periods: np.ndarray
    cell_base: np.ndarray
    term_option: np.ndarray
    term_cell: np.ndarray
    term_units: np.ndarray

    def overload_units(self, picked: np.ndarray) -> np.ndarray:
        """The overload of each cell when the options ``picked`` (booleans) are chosen."""
        on = picked[self.term_option]
        load = np.bincount(self.term_cell[on], weights=self.term_units[on], minlength=len(self.cell_base))
        return np.maximum(self.cell_base + load.astype(np.int64), 0)

    def options_of(self, target: dict[int, int]) -> np.ndarray:
        """The options picked (booleans) when the items of ``target`` go to their rows, the others stay."""
        picked = np.zeros(len(self.choices), dtype=bool)
        picked[self.first_option] = True
        stops = np.append(self.first_option[1:], len(self.choices)).tolist()
        for first, stop in zip(self.first_option.tolist(), stops, strict=True):
            row = target.get(int(self.option_item[first]))
            if row is not None:
                picked[first] = False
                picked[first + int(np.flatnonzero(self.option_row[first:stop] == row)[0])] = True
        return picked

    def hint(self, picked: np.ndarray) -> None:
        self.model.clear_hints()
        for choice, flag in zip(self.choices, picked.tolist(), strict=True):
            self.model.add_hint(choice, flag)
        for over, value in zip(self.overloads, self.overload_units(picked).tolist(), strict=True):
            self.model.add_hint(over, value)


def _build(loads: Loads, candidates: Candidates) -> _Model:
    """The model of the candidate moves; O(options * P) numpy work and one Python step per option and per cell."""
    periods = loads.capacity.shape[1]
    units = np.rint(loads.hours * UNITS_PER_HOUR).astype(np.int64)
    movable = np.array(candidates.items, dtype=np.int64)
    counts = np.array([len(rows) + 1 for rows in candidates.rows], dtype=np.int64)
    option_item = np.repeat(movable, counts)
    option_row = np.concatenate(
        [np.concatenate(([loads.owner[index]], rows)) for index, rows in zip(movable, candidates.rows, strict=True)]
    ).astype(np.int64)
    first_option = np.cumsum(counts) - counts
    term_option, term_period = np.nonzero(units[option_item] > 0)
    term_units = units[option_item[term_option], term_period]
    cell_of_term = option_row[term_option] * periods + term_period
    fixed = loads.load.copy()
    np.subtract.at(fixed, loads.owner[movable], loads.hours[movable])
    base = np.rint(fixed * UNITS_PER_HOUR).astype(np.int64) - np.rint(loads.limit * UNITS_PER_HOUR).astype(np.int64)
    cells, term_cell = np.unique(cell_of_term, return_inverse=True)
    cell_base = base.ravel()[cells]
    top = cell_base + np.bincount(term_cell, weights=term_units, minlength=len(cells)).astype(np.int64)
    can_overload = top > 0
    # Keep the cells that can go over, renumbered; terms on other cells drop out.
    new_number = np.cumsum(can_overload) - 1
    kept_terms = can_overload[term_cell]
    term_option, term_units, term_cell = (
        term_option[kept_terms],
        term_units[kept_terms],
        new_number[term_cell[kept_terms]],
    )
    cells, top, cell_base = cells[can_overload], top[can_overload], cell_base[can_overload]

    model = cp_model.CpModel()
    choices = [model.new_bool_var("") for _ in range(len(option_item))]
    for first, count in zip(first_option.tolist(), counts.tolist(), strict=True):
        model.add_exactly_one(choices[first : first + count])
    order = np.argsort(term_cell, kind="stable")
    bounds = np.searchsorted(term_cell[order], np.arange(len(cells) + 1))
    overloads = []
    for cell, (low, high) in enumerate(itertools.pairwise(bounds.tolist())):
        over = model.new_int_var(0, int(top[cell]), "")
        terms = order[low:high]
        expression = cp_model.LinearExpr.weighted_sum(
            [choices[k] for k in term_option[terms].tolist()], term_units[terms].tolist()
        )
        model.add(over >= int(cell_base[cell]) + expression)
        overloads.append(over)
    return _Model(
        model=model,
        choices=choices,
        overloads=overloads,
        option_item=option_item,
        option_row=option_row,
        first_option=first_option,
        cell_rows=cells // periods,
        cell_periods=cells % periods,
        cell_base=cell_base,
        term_option=term_option,
        term_cell=term_cell,
        term_units=term_units,
    )


def solve(
    loads: Loads, candidates: Candidates, *, max_time_seconds: float, num_workers: int, random_seed: int
) -> Solution:
    """The two stages of the module docstring on the candidate moves."""
    built = _build(loads, candidates)
    model = built.model
    greedy = greedy_moves(loads, candidates)
    picked = built.options_of(greedy)
    built.hint(picked)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = random_seed
    solver.parameters.cp_model_presolve = False  # see the module docstring
    solver.parameters.max_time_in_seconds = _FIRST_STAGE_SHARE * max_time_seconds
    total = cp_model.LinearExpr.sum(built.overloads)
    model.minimize(total)
    first = solver.solve(model)
    seconds = solver.wall_time
    if first not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # stopped before it even read the hint
        return Solution(greedy, False, 0.0, built.cell_rows, built.cell_periods, seconds)
    bound_hours = math.ceil(solver.best_objective_bound - 1e-9) / UNITS_PER_HOUR
    picked = np.array([solver.boolean_value(choice) for choice in built.choices], dtype=bool)

    # Stage 2: no more overload than stage 1's plan has (counted from its choices, since a plan
    # found before the limit may leave slack in the overload variables), the fewest moves, then
    # the fewest hours moved.
    model.add(total <= int(built.overload_units(picked).sum()))
    built.hint(picked)
    is_move = np.ones(len(built.choices), dtype=bool)
    is_move[built.first_option] = False
    item_units = np.rint(loads.hours[built.option_item] * UNITS_PER_HOUR).astype(np.int64).sum(axis=1)
    per_move = int(item_units[built.first_option].sum()) + 1
    moves = np.flatnonzero(is_move)
    model.minimize(
        cp_model.LinearExpr.weighted_sum(
            [built.choices[k] for k in moves.tolist()], (per_move + item_units[moves]).tolist()
        )
    )
    solver.parameters.max_time_in_seconds = max_time_seconds - min(seconds, _FIRST_STAGE_SHARE * max_time_seconds)
    second = solver.solve(model)
    seconds += solver.wall_time
    if second in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picked = np.array([solver.boolean_value(choice) for choice in built.choices], dtype=bool)
    chosen = np.flatnonzero(picked & is_move)
    target = dict(zip(built.option_item[chosen].tolist(), built.option_row[chosen].tolist(), strict=True))
    is_optimal = first == cp_model.OPTIMAL and second == cp_model.OPTIMAL
    return Solution(target, is_optimal, bound_hours, built.cell_rows, built.cell_periods, seconds)
