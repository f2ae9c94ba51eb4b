"""Fixtures of governance's tests: the small demo, built once per module (see the demo's tests)."""

from pmo.demo.tests.conftest import _small_demo_for_module, small_demo

__all__ = ["_small_demo_for_module", "small_demo"]
