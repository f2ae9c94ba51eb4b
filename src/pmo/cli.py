"""The ``pmo`` command: serve, worker, demo, migrate, createuser, check, bench, and ``manage``
for any other Django management command."""

import argparse
import ctypes
import importlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import django
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

SOURCE_ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1  # prctl(2)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    django.setup()


def _stop_with_parent() -> None:
    """In a child process: receive SIGTERM when the parent ends (Linux; elsewhere it is left to
    the terminal's Ctrl+C, which reaches the whole process group)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _serve(options: argparse.Namespace) -> int:
    _setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    arguments = [
        sys.executable,
        "-m",
        "gunicorn",
        "pmo.config.wsgi:application",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("PMO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    if options.with_worker:
        # One background worker beside the web server, so that one machine needs one command. It
        # is told to stop when the server (this process, once it becomes gunicorn) ends.
        subprocess.Popen([sys.executable, "-m", "pmo.cli", "worker"], preexec_fn=_stop_with_parent)  # noqa: PLW1509 -- no thread runs yet
        print("pmo worker started beside the server, for background tasks", flush=True)
    print(f"pmo serving on http://{options.bind}/ (Ctrl+C stops it)", flush=True)
    os.execv(sys.executable, arguments)
    return 0  # pragma: no cover -- execv does not return


def _worker(options: argparse.Namespace) -> int:
    _setup()
    call_command("db_worker", reload=False, queue_name=options.queue, batch=options.batch, interval=options.interval)
    return 0


def _demo(options: argparse.Namespace) -> int:
    _setup()
    call_command("demo", size=options.size, seed=options.seed, if_empty=options.if_empty)
    return 0


def _migrate(options: argparse.Namespace) -> int:
    _setup()
    call_command("migrate", interactive=False, verbosity=options.verbosity)
    return 0


def _createuser(options: argparse.Namespace) -> int:
    _setup()
    call_command(
        "createuser",
        options.username,
        role=options.role,
        email=options.email,
        full_name=options.full_name,
        password_stdin=options.password_stdin,
    )
    return 0


def _import(options: argparse.Namespace) -> int:
    _setup()
    call_command(
        "import_plan",
        str(options.file),
        project=options.project,
        replace=options.replace,
        portfolio=options.portfolio,
        programme=options.programme,
        code=options.code,
        name=options.name,
    )
    return 0


def _export(options: argparse.Namespace) -> int:
    _setup()
    call_command("export_plan", options.code, str(options.file))
    return 0


def _check(options: argparse.Namespace) -> int:
    _setup()
    call_command("check", deploy=options.deploy, fail_level="WARNING" if options.deploy else "ERROR")
    return 0


def _benchmarks_package():
    """The ``benchmarks`` package of the source tree (it is not installed with pmo)."""
    try:
        return importlib.import_module("benchmarks")
    except ModuleNotFoundError:
        sys.path.insert(0, str(SOURCE_ROOT.parent))
        return importlib.import_module("benchmarks")


def _bench(options: argparse.Namespace, remainder: list[str]) -> int:
    package = _benchmarks_package()
    registry = importlib.import_module(f"{package.__name__}.registry")
    if options.name == "list" or options.name not in registry.BENCHMARKS:
        for name, module_name in sorted(registry.BENCHMARKS.items()):
            module = importlib.import_module(module_name)
            print(f"{name:12} {module.DESCRIPTION}")
        return 0 if options.name == "list" else 2
    module = importlib.import_module(registry.BENCHMARKS[options.name])
    parser = argparse.ArgumentParser(prog=f"pmo bench {options.name}")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    module.add_arguments(parser)
    bench_options = parser.parse_args(remainder)
    if getattr(module, "NEEDS_DJANGO", False):
        _setup()
    result = module.run(bench_options)
    if bench_options.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        print(module.format_table(result))
    return 0


def _manage(options: argparse.Namespace, remainder: list[str]) -> int:
    _setup()
    execute_from_command_line(["pmo manage", *remainder])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pmo", description="pmo: the open Project Management Office platform.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web UI and API with gunicorn")
    serve.add_argument("--bind", default=os.environ.get("PMO_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("PMO_WORKERS", "2")))
    serve.add_argument("--threads", type=int, default=int(os.environ.get("PMO_THREADS", "4")))
    serve.add_argument(
        "--no-worker",
        dest="with_worker",
        action="store_false",
        help="do not start a background worker beside the server (when `pmo worker` runs elsewhere)",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run background tasks from the database queue")
    worker.add_argument("--queue", default="default", help="queues to serve, comma-separated; '*' for all")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
    worker.add_argument("--batch", action="store_true", help="run the tasks waiting now, then stop")
    worker.set_defaults(handler=_worker)

    demo = commands.add_parser("demo", help="load the demo portfolio")
    demo.add_argument("--size", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the database already has projects")
    demo.set_defaults(handler=_demo)

    migrate = commands.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("-v", "--verbosity", type=int, default=1)
    migrate.set_defaults(handler=_migrate)

    createuser = commands.add_parser("createuser", help="create a login (and its person), optionally with a role")
    createuser.add_argument("username")
    createuser.add_argument("--role", help="an organisation-wide role, e.g. administrator or pmo_head")
    createuser.add_argument("--email", default="")
    createuser.add_argument("--full-name", default="")
    createuser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    createuser.set_defaults(handler=_createuser)

    importer = commands.add_parser(
        "import", help="import a plan file (.xml, .mpp, .xer, .planner, .gan) into a project"
    )
    importer.add_argument("file")
    importer.add_argument("--project", help="code of an existing project")
    importer.add_argument("--replace", action="store_true", help="replace the project's plan if it has one")
    importer.add_argument("--portfolio", help="code of the portfolio of a new project")
    importer.add_argument("--programme", help="code of the programme of a new project")
    importer.add_argument("--code", help="code of a new project")
    importer.add_argument("--name", help="name of a new project")
    importer.set_defaults(handler=_import)

    exporter = commands.add_parser("export", help="export a project's plan (.xml: Microsoft Project XML)")
    exporter.add_argument("code", help="the project's code")
    exporter.add_argument("file")
    exporter.set_defaults(handler=_export)

    check = commands.add_parser("check", help="check the configuration")
    check.add_argument("--deploy", action="store_true", help="also check the settings for production")
    check.set_defaults(handler=_check)

    bench = commands.add_parser("bench", help="run a benchmark ('pmo bench list' names them)")
    bench.add_argument("name")
    bench.set_defaults(handler=_bench, takes_remainder=True)

    manage = commands.add_parser("manage", help="run any Django management command")
    manage.set_defaults(handler=_manage, takes_remainder=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options, remainder = parser.parse_known_args(argv)
    try:
        if getattr(options, "takes_remainder", False):
            return options.handler(options, remainder)
        if remainder:
            parser.error(f"unrecognised arguments: {' '.join(remainder)}")
        return options.handler(options)
    except CommandError as error:
        print(f"pmo {options.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
