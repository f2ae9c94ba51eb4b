"""Server time and query count of the main list pages and list endpoints on demo data.

Builds the demo (``--size large`` by default: 1,000 projects, 5,000 people) in a fresh SQLite
file (or the database of ``--database-url``), then times each page through Django's test client,
signed in as the administrator (who sees every row) and as a portfolio manager.
"""

import argparse
import dataclasses
import json
import os
import tempfile
from datetime import date
from functools import partial

from benchmarks.common import environment, peak_rss_mb, progress, time_runs, timing_figures

DESCRIPTION = "median server time and query count of list pages and endpoints on demo data"

PAGES = {
    "home": "/",
    "project_list": "/projects/",
    "project_list_filtered": "/projects/?stage=delivery&sort=-budget",
    "programme_list": "/programmes/",
    "person_list": "/people/?sort=unit__name",
    "api_project_list": "/api/v1/projects/",
    "api_person_list": "/api/v1/people/",
}


class _QueryCounter:
    """A database execute wrapper that keeps the SQL of each query it lets through."""

    def __init__(self):
        self.queries: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None, help="an empty database to fill (default: a new SQLite file)")


def run(options: argparse.Namespace) -> dict:
    workdir = tempfile.mkdtemp(prefix="pmo-bench-lists-")
    os.environ["PMO_VAR_DIR"] = workdir
    os.environ["PMO_DATABASE_URL"] = options.database_url or f"sqlite:///{workdir}/pmo.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    # Django and pmo are imported only now: the settings read the variables set just above.
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from pmo.demo.build import build_demo

    progress(f"migrating and loading the {options.size} demo into {workdir}")
    call_command("migrate", verbosity=0, interactive=False)
    summary = build_demo(size=options.size, seed=options.seed, today=date(2026, 11, 22))

    result: dict = {
        "size": options.size,
        "seed": options.seed,
        "runs": options.runs,
        "demo": dataclasses.asdict(summary),
    }
    for username in ("admin", "portfolio.manager"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for name, url in PAGES.items():
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} for {username}")
            key = f"{name}_{username.split('.')[0]}"
            result.update(timing_figures(key, time_runs(partial(client.get, url), runs=options.runs)))
            result[f"{key}_queries"] = len(counter.queries)
            progress(f"{key}: {result[f'{key}_median_s'] * 1000:.1f} ms, {len(counter.queries)} queries")
    result["peak_rss_mb"] = peak_rss_mb()
    result.update(environment())
    return result


def format_table(result: dict) -> str:
    lines = [f"List pages on the {result['size']} demo (median of {result['runs']} runs)", ""]
    lines.append(f"{'page':34} {'median ms':>10} {'max ms':>10} {'queries':>8}")
    for key in sorted(k.removesuffix("_median_s") for k in result if k.endswith("_median_s")):
        median_ms, max_ms = result[key + "_median_s"] * 1000, result[key + "_max_s"] * 1000
        lines.append(f"{key:34} {median_ms:10.1f} {max_ms:10.1f} {result[key + '_queries']:8d}")
    lines.append(f"\npeak RSS {result['peak_rss_mb']} MB; Python {result['python']}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    add_arguments(parser)
    arguments = parser.parse_args()
    figures = run(arguments)
    print(json.dumps(figures, indent=2, sort_keys=True) if arguments.json else format_table(figures))
