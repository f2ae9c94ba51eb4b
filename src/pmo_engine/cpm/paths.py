"""Critical paths: the chains of critical nodes joined by critical links."""

from collections.abc import Sequence

import numpy as np


def critical_chains(
    predecessor: np.ndarray,
    successor: np.ndarray,
    is_critical_link: np.ndarray,
    *,
    critical_nodes: np.ndarray,
    sort_keys: Sequence[str],
    limit: int,
) -> tuple[list[list[int]], bool]:
    """Every path of the critical-link subgraph from a critical node with no critical predecessor
    link to one with no critical successor link (a lone critical node is a path of one), as lists
    of node indices, and whether ``limit`` cut the enumeration short.

    The subgraph is a DAG (a subgraph of the network). Paths are enumerated depth first, sources
    and branches in ``sort_keys`` order, so that the answer does not depend on input order.
    O(total length of the paths returned + m).
    """
    chosen = np.flatnonzero(is_critical_link)
    following: dict[int, list[int]] = {}
    has_critical_predecessor = set()
    for link in chosen:
        following.setdefault(int(predecessor[link]), []).append(int(successor[link]))
        has_critical_predecessor.add(int(successor[link]))
    for nodes in following.values():
        nodes.sort(key=lambda node: sort_keys[node])
    sources = sorted(
        (int(node) for node in critical_nodes if int(node) not in has_critical_predecessor), key=lambda n: sort_keys[n]
    )
    chains: list[list[int]] = []
    for source in sources:
        stack: list[tuple[int, int]] = [(source, 0)]  # (node, index of the next branch to follow)
        path = [source]
        while stack:
            node, branch = stack[-1]
            branches = following.get(node, [])
            if not branches and branch == 0:
                if len(chains) == limit:
                    return chains, True
                chains.append(list(path))
            if branch < len(branches):
                stack[-1] = (node, branch + 1)
                stack.append((branches[branch], 0))
                path.append(branches[branch])
            else:
                stack.pop()
                path.pop()
    return chains, False
