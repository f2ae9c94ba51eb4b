"""PSPLIB single-mode project files (``.sm``, the j30/j60/j90/j120 sets) read as a levelling :class:`Problem`.

A ``.sm`` file has a header of ``name : value`` lines, then four sections, each opened by its title
line and closed by a line of asterisks:

- ``PROJECT INFORMATION``: one row ``pronr. #jobs rel.date duedate tardcost MPM-Time``;
- ``PRECEDENCE RELATIONS``: per job ``jobnr. #modes #successors successors...``;
- ``REQUESTS/DURATIONS``: per job ``jobnr. mode duration`` and its demand on each resource, the
  columns named ``R 1``, ``R 2``... (renewable), ``N 1``... (nonrenewable), ``D 1``... (doubly
  constrained);
- ``RESOURCEAVAILABILITIES``: the resource names, then one row of capacities.

Jobs are keyed by their number as a string ("1" to "n", the dummy source and sink of duration 0
included), resources "R1" to "Rk", every successor becomes a finish-to-start link with lag 0, and
the objective is the makespan. The project is keyed by the file's name (without ``.sm``) when read
from a path, else by its number in the file; its due date is the file's ``duedate``, its weight the
``tardcost`` (1 when that is 0), and ``rel.date`` is every job's release.

Only what pmo's scheduler models is accepted: a demand above 0 on a nonrenewable or doubly
constrained resource, or a job with more than one mode, is refused with a
:class:`~pmo_engine.formats.errors.FileFormatError` naming the line.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pmo_engine.formats.errors import FileFormatError
from pmo_engine.levelling.problem import Job, Link, LinkKind, Objective, Problem, Project

_JOB_COUNT = re.compile(r"^jobs\b.*:\s*(\S+)", re.IGNORECASE)
_RESOURCE_LABEL = re.compile(r"\b([RND])\s*(\d+)\b")
_SECTIONS = ("PROJECT INFORMATION", "PRECEDENCE RELATIONS", "REQUESTS/DURATIONS", "RESOURCEAVAILABILITIES")
_KIND_NAMES = {"N": "nonrenewable", "D": "doubly constrained"}


@dataclass(frozen=True, slots=True)
class _Row:
    """The whitespace-separated fields of one line and its number in the file (from 1)."""

    line: int
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Section:
    """A section's rows after its title line, and the last line it spans."""

    title: str
    rows: tuple[_Row, ...]
    last_line: int


def read_sm(source: str | Path | bytes, *, name: str | None = None) -> Problem:
    """The problem in a PSPLIB single-mode file.

    ``source`` is the file's contents (``bytes``, or a ``str`` holding a line break) or its path
    (a ``Path``, or a ``str`` without a line break). ``name`` keys the project; by default the
    file's name without its suffix, or the project number in the file for contents.

    Raises :class:`~pmo_engine.formats.errors.FileFormatError` (with the line) for a file cut
    short, a field that is not a whole number, a successor that is not a job of the file, a
    section that disagrees with the header, multi-mode jobs, and demands on nonrenewable or doubly
    constrained resources.
    """
    if isinstance(source, bytes):
        text = source.decode("utf-8-sig", errors="replace")
    elif isinstance(source, str) and "\n" in source:
        text = source
    else:
        path = Path(source)
        if not path.is_file():
            raise FileFormatError(f"There is no file at {path}.")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        name = path.stem if name is None else name
    return _SmFile(text.splitlines()).problem(name)


class _SmFile:
    """One file's lines, cut into its header and sections, and turned into a :class:`Problem`."""

    def __init__(self, lines: list[str]):
        self.line_count = len(lines)
        self.header: list[_Row] = []
        self.sections: dict[str, _Section] = {}
        self._split(lines)

    def _split(self, lines: list[str]) -> None:
        title: str | None = None
        rows: list[_Row] = []
        for number, text in enumerate(lines, start=1):
            stripped = text.strip()
            opened = next((s for s in _SECTIONS if stripped.upper().startswith(s)), None)
            if opened is not None or stripped.startswith("*"):
                if title is not None:
                    self.sections[title] = _Section(title, tuple(rows), number - 1)
                title, rows = opened, []
            elif title is None:
                self.header.append(_Row(number, (stripped,)))
            elif stripped and not stripped.startswith("-"):
                rows.append(_Row(number, tuple(stripped.split())))
        if title is not None:
            self.sections[title] = _Section(title, tuple(rows), self.line_count)

    def problem(self, name: str | None) -> Problem:
        job_count = self._job_count()
        number, release, due, weight = self._project()
        successors = self._precedences(job_count)
        labels, durations, demands = self._requests(job_count)
        capacities = self._availabilities(labels)
        key = name or number
        jobs = tuple(
            Job(str(job), durations[job], demands[job], project=key, release=release) for job in range(1, job_count + 1)
        )
        links = tuple(
            Link(str(job), str(successor), LinkKind.FINISH_TO_START, 0)
            for job in range(1, job_count + 1)
            for successor in successors[job]
        )
        project = Project(key, weight=weight, due=due, name=key)
        return Problem(jobs, capacities, links, (project,), Objective.MAKESPAN)

    def _job_count(self) -> int:
        for row in self.header:
            match = _JOB_COUNT.match(row.fields[0])
            if match:
                count = _whole(match.group(1), row.line, "the number of jobs")
                if count < 1:
                    raise FileFormatError(f"The file declares {count} jobs.", line=row.line)
                return count
        raise FileFormatError(
            "No 'jobs (incl. supersource/sink ) : n' line before the sections; is this a PSPLIB .sm file?",
            line=self.header[-1].line if self.header else 1,
        )

    def _section(self, title: str) -> _Section:
        if title not in self.sections:
            raise FileFormatError(
                f"The file ends before its {title} section; it is cut short or not a PSPLIB .sm file.",
                line=self.line_count,
            )
        return self.sections[title]

    def _data_rows(self, section: _Section, count: int, what: str) -> Iterator[_Row]:
        """The ``count`` rows after the column titles; fewer mean a file cut short."""
        rows = section.rows[1:]
        if len(rows) < count:
            raise FileFormatError(
                f"{section.title} ends after {len(rows)} of {count} {what}; the file is cut short.",
                line=section.last_line,
            )
        if len(rows) > count:
            raise FileFormatError(f"{section.title} has more {what} than the {count} expected.", line=rows[count].line)
        return iter(rows)

    def _project(self) -> tuple[str, int, int, int]:
        """The project's number, release, due date and weight."""
        section = self._section("PROJECT INFORMATION")
        row = next(self._data_rows(section, 1, "project rows"))
        if len(row.fields) < 5:
            raise FileFormatError(
                f"Expected pronr., #jobs, rel.date, duedate and tardcost, found {len(row.fields)} fields.",
                line=row.line,
            )
        number = _whole(row.fields[0], row.line, "the project number")
        release = _whole(row.fields[2], row.line, "the release date")
        due = _whole(row.fields[3], row.line, "the due date")
        tardiness_cost = _whole(row.fields[4], row.line, "the tardiness cost")
        return str(number), release, due, max(tardiness_cost, 1)

    def _precedences(self, job_count: int) -> dict[int, list[int]]:
        section = self._section("PRECEDENCE RELATIONS")
        successors: dict[int, list[int]] = {}
        for expected, row in enumerate(self._data_rows(section, job_count, "jobs"), start=1):
            if len(row.fields) < 3:
                raise FileFormatError(
                    f"Expected jobnr., #modes and #successors, found {len(row.fields)} fields.", line=row.line
                )
            job = _job_number(row, expected)
            modes = _whole(row.fields[1], row.line, f"the number of modes of job {job}")
            if modes != 1:
                raise FileFormatError(
                    f"Job {job} has {modes} modes; only single-mode files (.sm) can be read.", line=row.line
                )
            count = _whole(row.fields[2], row.line, f"the number of successors of job {job}")
            listed = row.fields[3:]
            if len(listed) != count:
                raise FileFormatError(f"Job {job} declares {count} successors but lists {len(listed)}.", line=row.line)
            successors[job] = []
            for field in listed:
                successor = _whole(field, row.line, f"a successor of job {job}")
                if not 1 <= successor <= job_count:
                    raise FileFormatError(
                        f"Job {job} names successor {successor}, but the file has jobs 1 to {job_count}.",
                        line=row.line,
                    )
                if successor == job:
                    raise FileFormatError(f"Job {job} names itself as its successor.", line=row.line)
                successors[job].append(successor)
        return successors

    def _requests(self, job_count: int) -> tuple[list[str], dict[int, int], dict[int, dict[str, int]]]:
        """The resource columns (``R1``, ``N1``...), and per job its duration and renewable demands."""
        section = self._section("REQUESTS/DURATIONS")
        labels = _resource_labels(section, "jobnr. mode duration R 1 R 2 ...")
        durations: dict[int, int] = {}
        demands: dict[int, dict[str, int]] = {}
        for expected, row in enumerate(self._data_rows(section, job_count, "jobs"), start=1):
            if len(row.fields) != 3 + len(labels):
                raise FileFormatError(
                    f"Expected job, mode, duration and {len(labels)} demands ({', '.join(labels)}), "
                    f"found {len(row.fields)} fields; multi-mode files (.mm) cannot be read.",
                    line=row.line,
                )
            job = _job_number(row, expected)
            mode = _whole(row.fields[1], row.line, f"the mode of job {job}")
            if mode != 1:
                raise FileFormatError(
                    f"Job {job} has a mode {mode}; only single-mode files can be read.", line=row.line
                )
            durations[job] = _whole(row.fields[2], row.line, f"the duration of job {job}")
            demands[job] = {}
            for label, field in zip(labels, row.fields[3:], strict=True):
                units = _whole(field, row.line, f"the demand of job {job} for {label}")
                if label[0] != "R" and units:
                    raise FileFormatError(
                        f"Job {job} needs {units} of the {_KIND_NAMES[label[0]]} resource {label}; only "
                        "renewable resources can be scheduled.",
                        line=row.line,
                    )
                if label[0] == "R":
                    demands[job][label] = units
        return labels, durations, demands

    def _availabilities(self, labels: list[str]) -> dict[str, int]:
        """The capacity of every renewable resource; the columns must match those of the requests."""
        section = self._section("RESOURCEAVAILABILITIES")
        names = _resource_labels(section, "R 1 R 2 ...")
        if names != labels:
            raise FileFormatError(
                f"The resources {', '.join(names)} differ from those of REQUESTS/DURATIONS ({', '.join(labels)}).",
                line=section.rows[0].line,
            )
        row = next(self._data_rows(section, 1, "rows of capacities"))
        if len(row.fields) != len(names):
            raise FileFormatError(
                f"Expected {len(names)} capacities ({', '.join(names)}), found {len(row.fields)}.", line=row.line
            )
        return {
            label: _whole(field, row.line, f"the capacity of {label}")
            for label, field in zip(names, row.fields, strict=True)
            if label[0] == "R"
        }


def _resource_labels(section: _Section, layout: str) -> list[str]:
    """The resource columns named in a section's title row, as ``R1``, ``N2``..."""
    if not section.rows:
        raise FileFormatError(
            f"{section.title} has no column titles ({layout}); the file is cut short.", line=section.last_line
        )
    row = section.rows[0]
    return [kind + number for kind, number in _RESOURCE_LABEL.findall(" ".join(row.fields))]


def _job_number(row: _Row, expected: int) -> int:
    """The job number opening a row, which must be the next in order."""
    job = _whole(row.fields[0], row.line, "the job number")
    if job != expected:
        raise FileFormatError(f"Expected job {expected} here, found job {job}.", line=row.line)
    return job


def _whole(field: str, line: int, what: str) -> int:
    """``field`` as a whole number of at least 0."""
    if not field.isdigit():
        raise FileFormatError(f"Expected a whole number (0 or more) for {what}, not {field!r}.", line=line)
    return int(field)
