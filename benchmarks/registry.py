"""Names accepted by ``pmo bench NAME``, each the module that runs it."""

BENCHMARKS = {
    "cpm": "benchmarks.cpm",
    "lists": "benchmarks.lists",
}
