"""Critical path method: forward and backward passes on a random layered network, against networkx.

The network: ``--activities`` activities spread over ``--layers`` layers (labels shuffled), about
``--links-per-activity`` links per activity, each from an activity of one of the ``--window``
layers just before its successor's, all four link types with positive and negative lags. Every
figure comes from one seeded ``numpy.random.Generator``.

Timed, each ``--runs`` times after a warm-up, from the same arrays:
- ``cpm``: ``pmo_engine.critical_path_arrays`` (topological levels, forward and backward
  passes, total and free float);
- ``networkx``: the same computation the usual way: build a weighted ``DiGraph``, walk
  ``topological_sort`` for the early starts and its reverse for the late starts;
- ``schedule``: ``pmo_engine.schedule`` on Activity and Link objects built beforehand (reading
  the objects, working calendars, dates out, critical paths): the whole engine as the app uses it.
The early and late dates of ``cpm`` must equal networkx's, and the floats of ``schedule`` those
of ``cpm``; the run fails otherwise.
"""

import argparse
import importlib.metadata
import json
import sys
import time
from datetime import date

import networkx
import numpy as np

from benchmarks.common import environment, peak_rss_mb, progress, time_runs, timing_figures
from pmo_engine import Activity, Link, LinkType, critical_path_arrays, schedule

DESCRIPTION = "Critical path method on a 100,000-activity network: median pass time and ratio to networkx"

TARGET_MEDIAN_S = 0.5
TARGET_RATIO = 20.0
_LINK_TYPES = (LinkType.FINISH_TO_START, LinkType.START_TO_START, LinkType.FINISH_TO_FINISH, LinkType.START_TO_FINISH)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--activities", type=int, default=100_000, help="activities in the network (100000)")
    parser.add_argument("--links-per-activity", type=float, default=3.0, help="links per activity, about (3)")
    parser.add_argument("--layers", type=int, default=100, help="layers of the random network (100)")
    parser.add_argument("--window", type=int, default=5, help="a link spans 1 to this many layers (5)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (5)")
    parser.add_argument("--seed", type=int, default=20250310, help="seed of the random generator")


def build_network(
    rng: np.random.Generator, *, activities: int, links_per_activity: float, layers: int, window: int
) -> dict[str, np.ndarray]:
    """A random layered activity network as arrays: durations in working minutes (0 to 10 days,
    1 in 20 a milestone), links (70% FS, 10% SS, 15% FF, 5% SF; 30% with a lag of -1 to +2 days)."""
    layers = max(1, min(layers, activities))
    layer_of_slot = np.arange(activities) * layers // activities
    first_slot = np.searchsorted(layer_of_slot, np.arange(layers + 1))
    label = rng.permutation(activities)  # slot -> activity index, so that indices say nothing of order
    wanted = round(activities * links_per_activity)
    later_slots = np.flatnonzero(layer_of_slot > 0)
    if later_slots.size == 0:
        wanted = 0
    successor_slot = rng.choice(later_slots, size=wanted) if wanted else np.empty(0, dtype=np.int64)
    successor_layer = layer_of_slot[successor_slot]
    predecessor_layer = successor_layer - 1 - rng.integers(0, np.minimum(window, successor_layer))
    span = first_slot[predecessor_layer + 1] - first_slot[predecessor_layer]
    predecessor_slot = first_slot[predecessor_layer] + rng.integers(0, span)
    pairs = np.stack((label[predecessor_slot], label[successor_slot]), axis=1)
    _, first = np.unique(pairs, axis=0, return_index=True)
    pairs = pairs[np.sort(first)]  # one link per pair of activities, in drawing order
    count = len(pairs)
    duration = rng.integers(0, 10 * 480 + 1, size=activities)
    duration[rng.random(activities) < 0.05] = 0
    lag = np.where(rng.random(count) < 0.3, rng.integers(-480, 2 * 480 + 1, size=count), 0)
    return {
        "duration": duration.astype(np.int64),
        "predecessor": pairs[:, 0].astype(np.int64),
        "successor": pairs[:, 1].astype(np.int64),
        "link_type": rng.choice(4, size=count, p=[0.70, 0.10, 0.15, 0.05]).astype(np.int64),
        "lag": lag.astype(np.int64),
    }


def networkx_passes(network: dict[str, np.ndarray], build_seconds: list[float]) -> tuple[list[int], list[int]]:
    """Early and late starts the networkx way; appends the graph-building time to ``build_seconds``."""
    started = time.perf_counter()
    duration = network["duration"]
    predecessor, successor, codes = network["predecessor"], network["successor"], network["link_type"]
    # A link is "successor start >= predecessor start + weight" once both ends are read as starts.
    predecessor_offset = np.where((codes == 1) | (codes == 3), 0, duration[predecessor])
    successor_offset = np.where(codes >= 2, duration[successor], 0)
    weight = predecessor_offset + network["lag"] - successor_offset
    graph = networkx.DiGraph()
    graph.add_nodes_from(range(len(duration)))
    graph.add_weighted_edges_from(zip(predecessor.tolist(), successor.tolist(), weight.tolist(), strict=True))
    build_seconds.append(time.perf_counter() - started)
    order = list(networkx.topological_sort(graph))
    durations = duration.tolist()
    early = [0] * len(durations)
    for node in order:
        best = early[node]
        for before, data in graph.pred[node].items():
            candidate = early[before] + data["weight"]
            if candidate > best:  # noqa: PLR1730 - faster than max() in CPython: a fair reference
                best = candidate
        early[node] = best
    project_finish = max((early[node] + durations[node] for node in range(len(durations))), default=0)
    late = [project_finish - length for length in durations]
    for node in reversed(order):
        best = late[node]
        for after, data in graph.succ[node].items():
            candidate = late[after] - data["weight"]
            if candidate < best:  # noqa: PLR1730 - faster than min() in CPython: a fair reference
                best = candidate
        late[node] = best
    return early, late


def _objects(network: dict[str, np.ndarray]) -> tuple[list[Activity], list[Link]]:
    keys = [f"A{index}" for index in range(len(network["duration"]))]
    activities = [
        Activity(key, duration, is_milestone=duration == 0)
        for key, duration in zip(keys, network["duration"].tolist(), strict=True)
    ]
    links = [
        Link(keys[before], keys[after], _LINK_TYPES[code], lag)
        for before, after, code, lag in zip(
            network["predecessor"].tolist(),
            network["successor"].tolist(),
            network["link_type"].tolist(),
            network["lag"].tolist(),
            strict=True,
        )
    ]
    return activities, links


def run(options: argparse.Namespace) -> dict:
    rng = np.random.default_rng(options.seed)
    progress(f"cpm: building a network of {options.activities} activities")
    network = build_network(
        rng,
        activities=options.activities,
        links_per_activity=options.links_per_activity,
        layers=options.layers,
        window=options.window,
    )
    arguments = (network["duration"], network["predecessor"], network["successor"], network["link_type"])

    def ours() -> object:
        return critical_path_arrays(*arguments, network["lag"])

    progress(f"cpm: timing pmo_engine.critical_path_arrays ({len(network['predecessor'])} links)")
    ours_seconds = time_runs(ours, runs=options.runs)
    result = critical_path_arrays(*arguments, network["lag"])

    build_seconds: list[float] = []
    progress("cpm: timing networkx")
    reference_seconds = time_runs(lambda: networkx_passes(network, build_seconds), runs=options.runs)
    early, late = networkx_passes(network, [])
    dates_equal = bool(np.array_equal(result.early_start, early) and np.array_equal(result.late_start, late))
    assert dates_equal, "pmo_engine and networkx disagree on early or late starts"

    progress("cpm: timing pmo_engine.schedule on Activity and Link objects")
    activities, links = _objects(network)
    project_start = date(2025, 3, 10)
    schedule_seconds = time_runs(lambda: schedule(activities, links, project_start=project_start), runs=options.runs)
    scheduled = schedule(activities, links, project_start=project_start)
    floats = np.array([scheduled[activity.key].total_float_minutes for activity in activities])
    floats_equal = bool(np.array_equal(floats, result.total_float))
    assert floats_equal, "pmo_engine.schedule and critical_path_arrays disagree on total float"

    figures = {
        **timing_figures("cpm", ours_seconds),
        **timing_figures("networkx", reference_seconds),
        **timing_figures("networkx_build", build_seconds[-options.runs :]),
        **timing_figures("schedule", schedule_seconds),
    }
    ratio = figures["networkx_median_s"] / figures["cpm_median_s"]
    return {
        "benchmark": "cpm",
        "activities": options.activities,
        "links": len(network["predecessor"]),
        "layers": options.layers,
        "window": options.window,
        "levels": int(result.levels.max()) + 1 if options.activities else 0,
        "seed": options.seed,
        "runs": options.runs,
        **figures,
        "networkx_ratio": round(ratio, 2),
        "dates_equal_networkx": dates_equal,
        "schedule_floats_equal_cpm": floats_equal,
        "critical_activities": int((result.total_float <= 0).sum()),
        "critical_paths": len(scheduled.critical_paths),
        "target_median_s": TARGET_MEDIAN_S,
        "target_ratio": TARGET_RATIO,
        "meets_targets": figures["cpm_median_s"] <= TARGET_MEDIAN_S and ratio >= TARGET_RATIO,
        "peak_rss_mb": peak_rss_mb(),
        **environment(),
        "networkx": importlib.metadata.version("networkx"),
    }


def format_table(result: dict) -> str:
    rows = [
        ("network", f"{result['activities']:,} activities, {result['links']:,} links, {result['levels']} levels"),
        ("seed / runs", f"{result['seed']} / {result['runs']} after a warm-up"),
        (
            "pmo_engine passes",
            f"{result['cpm_median_s']:.4f} s median ({result['cpm_min_s']:.4f} to {result['cpm_max_s']:.4f})",
        ),
        (
            "networkx",
            f"{result['networkx_median_s']:.4f} s median, "
            f"graph building {result['networkx_build_median_s']:.4f} s of it",
        ),
        ("ratio networkx / ours", f"{result['networkx_ratio']:.1f}x (target {result['target_ratio']:.0f}x)"),
        ("schedule() on objects", f"{result['schedule_median_s']:.4f} s median"),
        ("same dates as networkx", "yes" if result["dates_equal_networkx"] else "NO"),
        ("critical activities", f"{result['critical_activities']:,} in {result['critical_paths']} path(s)"),
        ("meets targets", "yes" if result["meets_targets"] else "no"),
        ("peak memory", f"{result['peak_rss_mb']} MB"),
        ("versions", f"Python {result['python']}, numpy {result['numpy']}, networkx {result['networkx']}"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpm", description=DESCRIPTION)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    add_arguments(parser)
    options = parser.parse_args(arguments)
    result = run(options)
    print(json.dumps(result, indent=2, sort_keys=True) if options.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
