"""The MPXJ bridge (optional extra ``mpxj``, Java 17): other formats to MSPDI, one reader for all.

These tests need the extra; without it they fail with the message of
:class:`~pmo_engine.formats.OptionalDependencyError` ("install pmo[mpxj] and Java 17").
"""

import sys
from pathlib import Path

import pytest

from pmo_engine.formats import (
    FileFormatError,
    OptionalDependencyError,
    convert_to_mspdi,
    is_mspdi,
    read_mspdi,
    read_plan_file,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "project-files"


def test_an_mpp_file_converts_to_the_same_plan_as_its_mspdi_export():
    # projectlibre_New_Product.xml is MPXJ's MSPDI of projectlibre_New_Product.mpp.
    data = convert_to_mspdi(DATA / "projectlibre_New_Product.mpp")
    assert is_mspdi(data)
    assert read_mspdi(data) == read_mspdi((DATA / "projectlibre_New_Product.xml").read_bytes())


def test_bytes_convert_like_the_file():
    from_bytes = convert_to_mspdi((DATA / "mpxj_project1.planner").read_bytes())
    assert read_mspdi(from_bytes) == read_plan_file(DATA / "mpxj_project1.planner")


def test_ganttproject_and_planner_files_become_plans():
    gantt = read_plan_file(DATA / "ganttproject_HouseBuildingSample.gan")
    assert len(gantt.activities) == 20
    assert [activity.name for activity in gantt.activities if activity.parent_uid is None] == [
        "Architectural design",
        "Interior design",
        "Construction phase",
        "Decoration phase",
        "GanttProject 3.3",
    ]
    assert {resource.name for resource in gantt.resources} >= {"Jack House", "John Black", "Tom White"}
    planner = read_plan_file(DATA / "mpxj_project1.planner")
    assert len(planner.activities) == 30
    lagged = next(link for link in planner.links if link.lag_minutes)
    assert (lagged.predecessor_uid, lagged.lag_minutes, lagged.lag_is_elapsed) == (16, 1440, True)


def test_a_format_mpxj_does_not_know_is_refused_with_the_formats_it_knows():
    with pytest.raises(FileFormatError, match=r"MPXJ does not recognise the format of the file; pmo reads Microsoft"):
        convert_to_mspdi(b"just some text, not a plan")


def test_a_missing_file_is_refused():
    with pytest.raises(FileFormatError, match=r"There is no file at .*nothing-here\.mpp"):
        convert_to_mspdi(DATA / "nothing-here.mpp")


def test_without_the_extra_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpxj", None)  # as if the package were not installed
    with pytest.raises(OptionalDependencyError, match=r"install pmo\[mpxj\] and Java 17"):
        convert_to_mspdi(DATA / "projectlibre_New_Product.mpp")


def test_mspdi_files_are_read_without_mpxj(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpxj", None)
    assert len(read_plan_file(DATA / "projectlibre_New_Product.xml").activities) == 42
    assert not is_mspdi((DATA / "ganttproject_HouseBuildingSample.gan").read_bytes())
    assert not is_mspdi((DATA / "projectlibre_New_Product.mpp").read_bytes())
