"""The engine stands alone: no Django, no pmo, and nothing read from the clock, the environment or
a global random state (rule 1 of docs: ARCHITECTURE.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import pmo_engine

ENGINE = Path(pmo_engine.__file__).parent
FORBIDDEN_IMPORTS = {"django", "rest_framework", "pmo", "random", "os", "time", "secrets"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "getenv", "perf_counter", "monotonic"}


def test_importing_the_engine_loads_neither_django_nor_pmo():
    code = (
        "import sys, pmo_engine, pmo_engine.cpm, pmo_engine.calendar; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('django', 'pmo', 'rest_framework')))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def engine_modules():
    return sorted(ENGINE.rglob("*.py"))


def test_engine_sources_use_no_clock_environment_or_global_random_state():
    found = []
    for path in engine_modules():
        if path == ENGINE / "stopwatch.py":
            continue  # time limits: the one clock the engine reads, never for a result's content
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            found += [f"{path.name}: import {name}" for name in names if name.split(".")[0] in FORBIDDEN_IMPORTS]
            if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_CALLS:
                found.append(f"{path.name}: .{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr == "random" and getattr(node.value, "id", "") == "np":
                found.append(f"{path.name}: np.random")
    assert engine_modules(), "no engine sources found"
    assert found == []


def test_public_api_is_explicit():
    source = (ENGINE / "__init__.py").read_text()
    assert "import *" not in source
    for name in pmo_engine.__all__:
        assert hasattr(pmo_engine, name), name
