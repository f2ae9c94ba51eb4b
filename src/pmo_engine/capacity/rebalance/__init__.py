"""Rebalancing: proposals to move whole demand items from overloaded people to people who hold the
skill, so that overload falls as far as it can with as few moves, then as few hours moved, as possible.

The problem. Each resource has capacity per period (hours) and skills (levels 1..5); each item
puts hours per period on one resource. Cell (r, p) is overloaded by
``max(0, load[r, p] - overload_threshold * capacity[r, p])`` (amounts up to ``HOURS_TOLERANCE``
count as none). :func:`propose_rebalancing` reassigns whole items to minimise, in this order, the
total overload (summed over resources and periods), the number of moves and the hours moved.

The moves considered, which keep the model small and make each move acceptable on its own:

- only items on an overloaded resource with hours in one of its overloaded periods (all other
  demand is fixed load); never an item marked ``is_fixed`` or one naming no required skill;
- a candidate holds the required skill at ``minimum_proficiency`` or more, and the move, applied
  alone to the current plan, lowers total overload. That rules out anyone with no capacity over
  the item's periods and anyone the item would overload by as much as it relieves; of the rest,
  the ``max_candidates`` with the most spare hours (below the threshold) over the item's periods
  are kept, ties by key.

So every proposed move, accepted on its own, lowers total overload by its
``overload_removed_hours`` (> 0). Moves are chosen together: two moves to one person may overload
that person where each alone would not (the plan's ``overload_after_hours`` counts that), so after
accepting part of a plan, propose again. Chains that help only together (A's item to B so that B's
item can go to C) are not proposed.

Solving. A greedy pass (the move that lowers overload most, again and again) gives a first plan
in well under a second even for hundreds of movable items; CP-SAT starts from it, so the plan is
never worse than the greedy one. CP-SAT works in whole hundredths of an hour
(:data:`UNITS_PER_HOUR`): each item's hours and each threshold capacity are rounded to the nearest
0.01 h per period; every figure reported is recomputed in exact hours. Stage 1 minimises overload
with up to 3/4 of ``max_time_seconds``; stage 2 keeps overload at most at stage 1's and minimises
moves, then hours moved, from stage 1's plan with the rest of the time. A move whose withdrawal
leaves total overload unchanged is then withdrawn (possible only when a stage stopped on its time
limit). A plan cut short by the time limit is ``feasible``, not ``optimal``, and its
``overload_bound_hours`` tells how far from the best it can be.

Determinism: with ``num_workers=1`` and both stages ending before their limits, the plan depends on
the input alone (not on its order). A stage stopped by the time limit, or more than one worker,
may give a different plan of the same or nearly the same quality from run to run.

Cost: O(N * P) to read N items over P periods; O(H * P) per movable item to rank its H holders of
the skill; the greedy pass and a model of M * (K + 1) booleans for M movable items and K
candidates, one overload variable per cell those items can reach. ``max_time_seconds`` bounds
CP-SAT's search; reading, ranking, the greedy pass and building the model come on top (about 2 s
for 500 people, 26 weeks and 400 movable items).

Modules: ``inputs`` (the validated data classes, and :func:`rebalance_inputs` to read them from a
capacity analysis), ``candidates`` (loads as arrays and the moves considered), ``solver`` (the
CP-SAT model and its two stages), ``plan`` (the entry point :func:`propose_rebalancing`),
``results`` (what it returns).
"""

from pmo_engine.capacity.rebalance.inputs import (
    RebalanceInputs,
    RebalanceItem,
    RebalanceResource,
    rebalance_inputs,
)
from pmo_engine.capacity.rebalance.plan import propose_rebalancing
from pmo_engine.capacity.rebalance.results import (
    RebalanceMove,
    RebalancePlan,
    RebalanceStatus,
    ResourceOverload,
)
from pmo_engine.capacity.rebalance.solver import UNITS_PER_HOUR

__all__ = [
    "UNITS_PER_HOUR",
    "RebalanceInputs",
    "RebalanceItem",
    "RebalanceMove",
    "RebalancePlan",
    "RebalanceResource",
    "RebalanceStatus",
    "ResourceOverload",
    "propose_rebalancing",
    "rebalance_inputs",
]
