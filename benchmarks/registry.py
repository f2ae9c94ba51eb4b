"""Names accepted by ``pmo bench NAME``, each the module that runs it."""

BENCHMARKS = {
    "capacity": "benchmarks.capacity",
    "cpm": "benchmarks.cpm",
    "lists": "benchmarks.lists",
}
