"""Names accepted by ``pmo bench NAME``, each the module that runs it."""

BENCHMARKS = {
    "capacity": "benchmarks.capacity",
    "capacity_pages": "benchmarks.capacity_pages",
    "cpm": "benchmarks.cpm",
    "dashboard": "benchmarks.dashboard",
    "lists": "benchmarks.lists",
    "mpsplib": "benchmarks.mpsplib",
    "psplib": "benchmarks.psplib",
    "rebalance": "benchmarks.rebalance",
}
