"""Benchmarks run by ``pmo bench NAME``; each module here is one benchmark (see ``registry``)."""
