"""The PSPLIB single-mode reader: jobs, links, capacities and project from a .sm file; errors that
name the line at fault.

The files here are written by ``sm_text()`` in the PSPLIB layout, with ``SMALL`` a hand-made
project of four jobs between the dummy source and sink, on two renewable resources and one
nonrenewable resource nobody uses.
"""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine.formats import FileFormatError
from pmo_engine.formats.psplib import read_sm
from pmo_engine.levelling.problem import LinkKind, Objective, compile_problem

PSPLIB = Path(__file__).resolve().parents[3] / "shared" / "data" / "psplib"
RULE = "*" * 72

# (duration, demands on R 1, R 2, N 1, successors) of jobs 1..6
SMALL = (
    (0, (0, 0, 0), (2, 3)),
    (3, (2, 1, 0), (4,)),
    (2, (1, 0, 0), (4, 5)),
    (4, (3, 2, 0), (6,)),
    (5, (0, 2, 0), (6,)),
    (0, (0, 0, 0), ()),
)
SMALL_CAPACITIES = (4, 3, 9)
SMALL_LABELS = ("R 1", "R 2", "N 1")


def sm_text(
    jobs=SMALL,
    capacities=SMALL_CAPACITIES,
    labels=SMALL_LABELS,
    *,
    due: int = 14,
    tardiness_cost: int = 7,
    modes: int = 1,
) -> str:
    """A .sm file in PSPLIB's layout for ``jobs`` given as (duration, demands, successors)."""
    renewable = sum(1 for label in labels if label.startswith("R"))
    nonrenewable = sum(1 for label in labels if label.startswith("N"))
    lines = [
        RULE,
        "file with basedata            : test.bas",
        "initial value random generator: 1",
        RULE,
        "projects                      :  1",
        f"jobs (incl. supersource/sink ):  {len(jobs)}",
        "horizon                       :  99",
        "RESOURCES",
        f"  - renewable                 :  {renewable}   R",
        f"  - nonrenewable              :  {nonrenewable}   N",
        "  - doubly constrained        :  0   D",
        RULE,
        "PROJECT INFORMATION:",
        "pronr.  #jobs rel.date duedate tardcost  MPM-Time",
        f"    1     {len(jobs) - 2}      0       {due}       {tardiness_cost}       {due}",
        RULE,
        "PRECEDENCE RELATIONS:",
        "jobnr.    #modes  #successors   successors",
    ]
    for number, (_, _, successors) in enumerate(jobs, start=1):
        lines.append(f"  {number}   {modes}   {len(successors)}   " + "  ".join(str(s) for s in successors))
    lines += [RULE, "REQUESTS/DURATIONS:", "jobnr. mode duration  " + "  ".join(labels), "-" * 72]
    for number, (duration, demands, _) in enumerate(jobs, start=1):
        lines.append(f"  {number}   1   {duration}   " + "  ".join(str(d) for d in demands))
    lines += [RULE, "RESOURCEAVAILABILITIES:", "  " + "  ".join(labels), "  " + "  ".join(map(str, capacities)), RULE]
    return "\n".join(lines) + "\n"


def line_of(text: str, fragment: str) -> int:
    """The line (from 1) on which ``fragment`` first appears in ``text``."""
    return text[: text.index(fragment)].count("\n") + 1


def test_reads_jobs_links_capacities_and_project():
    problem = read_sm(sm_text())

    assert [job.key for job in problem.jobs] == ["1", "2", "3", "4", "5", "6"]
    assert [job.duration for job in problem.jobs] == [0, 3, 2, 4, 5, 0]
    assert [dict(job.demands) for job in problem.jobs] == [
        {},
        {"R1": 2, "R2": 1},
        {"R1": 1},
        {"R1": 3, "R2": 2},
        {"R2": 2},
        {},
    ]
    assert problem.capacities == {"R1": 4, "R2": 3}
    assert {(link.before, link.after) for link in problem.links} == {
        ("1", "2"),
        ("1", "3"),
        ("2", "4"),
        ("3", "4"),
        ("3", "5"),
        ("4", "6"),
        ("5", "6"),
    }
    assert all(link.kind is LinkKind.FINISH_TO_START and link.lag == 0 for link in problem.links)
    assert problem.objective is Objective.MAKESPAN
    (project,) = problem.projects
    assert (project.key, project.due, project.weight) == ("1", 14, 7)
    assert {job.project for job in problem.jobs} == {"1"}
    assert compile_problem(problem).critical_path_bound() == 7  # 1 → 2 → 4 → 6: 3 + 4


def test_bytes_and_paths_read_the_same_and_a_path_names_the_project(tmp_path):
    path = tmp_path / "j999_3.sm"
    path.write_text(sm_text())

    from_path = read_sm(path)
    from_text_path = read_sm(str(path))
    from_bytes = read_sm(sm_text().encode())

    assert from_path.projects[0].key == from_text_path.projects[0].key == "j999_3"
    assert {job.project for job in from_path.jobs} == {"j999_3"}
    assert from_bytes.jobs == read_sm(sm_text()).jobs
    assert [(j.key, j.duration, dict(j.demands)) for j in from_path.jobs] == [
        (j.key, j.duration, dict(j.demands)) for j in from_bytes.jobs
    ]
    assert from_path.links == from_bytes.links


def test_a_given_name_keys_the_project_and_a_zero_tardiness_cost_weighs_one():
    problem = read_sm(sm_text(tardiness_cost=0), name="portfolio-a")

    assert problem.projects[0].key == "portfolio-a"
    assert problem.projects[0].weight == 1
    assert {job.project for job in problem.jobs} == {"portfolio-a"}


def _replace_line(text: str, fragment: str, replacement: str) -> tuple[str, int]:
    """``text`` with the line holding ``fragment`` replaced, and that line's number."""
    line = line_of(text, fragment)
    lines = text.split("\n")
    lines[line - 1] = replacement
    return "\n".join(lines), line


@pytest.mark.parametrize(
    ("fragment", "replacement", "message"),
    [
        (
            "  3   1   2   4  5",
            "  3   1   2   4  x5",
            "Expected a whole number (0 or more) for a successor of job 3, not 'x5'",
        ),
        ("  3   1   2   4  5", "  3   1   2   4  7", "Job 3 names successor 7, but the file has jobs 1 to 6"),
        ("  3   1   2   4  5", "  3   1   3   4  5", "Job 3 declares 3 successors but lists 2"),
        ("  3   1   2   4  5", "  3   1   2   3  5", "Job 3 names itself as its successor"),
        ("  3   1   2   4  5", "  4   1   2   4  5", "Expected job 3 here, found job 4"),
        ("  4   1   4   3  2  0", "  4   1   4   3  2  1", "Job 4 needs 1 of the nonrenewable resource N1"),
        ("  4   1   4   3  2  0", "  4   1   -4   3  2  0", "not '-4'"),
        ("  4   1   4   3  2  0", "  4   1   4   3  2", "Expected job, mode, duration and 3 demands (R1, R2, N1)"),
        ("  4   1   4   3  2  0", "  4   2   4   3  2  0", "Job 4 has a mode 2"),
        ("  4  3  9", "  4  3", "Expected 3 capacities (R1, R2, N1), found 2"),
        ("  4  3  9", "  4  3.5  9", "for the capacity of R2, not '3.5'"),
        ("    1     4      0", "    1     4      0       14", "Expected pronr., #jobs, rel.date, duedate and tardcost"),
    ],
)
def test_a_bad_field_names_its_line(fragment, replacement, message):
    text, line = _replace_line(sm_text(), fragment, replacement)

    with pytest.raises(FileFormatError) as raised:
        read_sm(text)

    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")
    assert message in str(raised.value)


def test_more_jobs_than_declared_are_refused_at_the_first_extra_row():
    text = sm_text().replace("  6   1   0   \n", "  6   1   0   \n  7   1   0\n")

    with pytest.raises(FileFormatError, match="PRECEDENCE RELATIONS has more jobs than the 6 expected") as raised:
        read_sm(text)

    assert raised.value.line == line_of(text, "  7   1   0")


def test_a_missing_file_is_named():
    with pytest.raises(FileFormatError, match=r"There is no file at .*j999_1\.sm"):
        read_sm(Path("/nonexistent/j999_1.sm"))


def test_multi_mode_jobs_are_refused_at_their_precedence_line():
    text = sm_text(modes=2)

    with pytest.raises(FileFormatError, match="Job 1 has 2 modes; only single-mode files") as raised:
        read_sm(text)

    assert raised.value.line == line_of(text, "  1   2   2   2  3")


def test_resources_that_differ_between_requests_and_availabilities_are_refused():
    text = sm_text().replace("\n  R 1  R 2  N 1\n", "\n  R 1  R 2  R 3\n")

    with pytest.raises(
        FileFormatError, match=r"The resources R1, R2, R3 differ from those of REQUESTS/DURATIONS"
    ) as raised:
        read_sm(text)

    assert raised.value.line == line_of(text, "\n  R 1  R 2  R 3") + 1


@pytest.mark.parametrize(
    ("cut_before", "message"),
    [
        ("  5   1   5", "REQUESTS/DURATIONS ends after 4 of 6 jobs; the file is cut short"),
        ("RESOURCEAVAILABILITIES", "The file ends before its RESOURCEAVAILABILITIES section"),
        ("  4   1   1   6", "PRECEDENCE RELATIONS ends after 3 of 6 jobs; the file is cut short"),
    ],
)
def test_a_file_cut_short_names_its_last_line(cut_before, message):
    full = sm_text()
    text = full[: full.index(cut_before)]

    with pytest.raises(FileFormatError, match=message) as raised:
        read_sm(text)

    assert raised.value.line == text.count("\n")


def test_a_file_without_a_job_count_is_not_taken_for_psplib():
    with pytest.raises(FileFormatError, match=re.escape("No 'jobs (incl. supersource/sink ) : n' line")):
        read_sm("some text\nthat is not a project\n")


@st.composite
def networks(draw):
    """Random single-mode projects: every job a successor of an earlier one, the sink after all."""
    real = draw(st.integers(1, 8))
    resources = draw(st.integers(1, 3))
    capacities = draw(st.lists(st.integers(1, 20), min_size=resources, max_size=resources))
    jobs = [(0, (0,) * resources, [])]
    for number in range(2, real + 2):
        demands = tuple(draw(st.integers(0, capacity)) for capacity in capacities)
        jobs.append((draw(st.integers(0, 12)), demands, []))
        before = draw(st.sets(st.integers(1, number - 1), min_size=1, max_size=3))
        for predecessor in before:
            jobs[predecessor - 1][2].append(number)
    sink = real + 2
    for _, _, successors in jobs:
        if not successors:
            successors.append(sink)
    jobs.append((0, (0,) * resources, []))
    return [(d, demands, tuple(sorted(s))) for d, demands, s in jobs], capacities


@settings(max_examples=60, deadline=None)
@given(networks())
def test_what_is_written_in_the_layout_reads_back(network):
    jobs, capacities = network
    labels = tuple(f"R {r + 1}" for r in range(len(capacities)))

    problem = read_sm(sm_text(jobs, capacities, labels))

    assert [job.duration for job in problem.jobs] == [duration for duration, _, _ in jobs]
    assert [dict(job.demands) for job in problem.jobs] == [
        {f"R{r + 1}": units for r, units in enumerate(demands) if units} for _, demands, _ in jobs
    ]
    assert problem.capacities == {f"R{r + 1}": capacity for r, capacity in enumerate(capacities)}
    assert [(link.before, link.after) for link in problem.links] == [
        (str(number), str(successor))
        for number, (_, _, successors) in enumerate(jobs, start=1)
        for successor in successors
    ]
    assert compile_problem(problem).size == len(jobs)


def test_reads_the_first_j30_instance():
    problem = read_sm(PSPLIB / "j30" / "j301_1.sm")

    assert len(problem.jobs) == 32
    assert problem.jobs[0].duration == problem.jobs[-1].duration == 0
    assert problem.jobs[1].duration == 8 and problem.jobs[1].demands == {"R1": 4}
    assert problem.capacities == {"R1": 12, "R2": 13, "R3": 4, "R4": 12}
    assert len(problem.links) == 48
    assert (problem.projects[0].key, problem.projects[0].due) == ("j301_1", 38)
    assert compile_problem(problem).critical_path_bound() == 38  # the file's MPM-Time
