"""Plans from the files users bring: every shared sample file is imported into a project,
exported as MS Project XML and imported again into another project, keeping the same activities,
links and dates; for plans saved by MS Project, pmo's dates equal the file's."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.errors import DomainError, NotFound
from pmo.core.models import AuditEvent
from pmo.planning import adapters
from pmo.planning.exports import export_plan
from pmo.planning.imports import import_plan
from pmo.planning.models import Activity, Link
from pmo.portfolio import services as portfolio_services
from pmo_engine.formats import read_mspdi, read_plan_file, write_mspdi

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "project-files"
FILES = sorted(path.name for path in DATA.iterdir())


def _new_project(world, code: str):
    return portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code=code, name=code)


def _shape(project) -> tuple[list, list]:
    activities = [
        (
            a.wbs_code,
            a.name,
            a.is_milestone,
            a.is_summary,
            a.duration_minutes if not a.is_summary else None,
            adapters.to_local(a.start),
            adapters.to_local(a.finish),
        )
        for a in Activity.objects.filter(project=project).order_by("position", "id")
    ]
    links = sorted(
        (link.predecessor.wbs_code, link.successor.wbs_code, link.link_type, link.lag_minutes)
        for link in Link.objects.filter(successor__project=project).select_related("predecessor", "successor")
    )
    return activities, links


@pytest.mark.parametrize("name", FILES)
def test_import_export_import_keeps_activities_links_and_dates(world, name):
    first = _new_project(world, "FILE-1")
    result = import_plan(actor=world.admin, project=first, plan=read_plan_file(DATA / name), source=name)
    assert result.activities > 0
    exported = write_mspdi(export_plan(first).plan)
    second = _new_project(world, "FILE-2")
    import_plan(actor=world.admin, project=second, plan=read_mspdi(exported), source=f"{name} (exported)")
    assert _shape(second) == _shape(first)
    assert AuditEvent.objects.filter(action="project.plan_imported").count() == 2


def test_dates_agree_with_a_file_saved_by_ms_project(world):
    project = _new_project(world, "MSP-2019")
    name = "mpxj_task-durations-project2019-mspdi.xml"
    result = import_plan(actor=world.admin, project=project, plan=read_plan_file(DATA / name), source=name)
    assert result.activities == 111 - 1  # the file's project summary task is not an activity
    assert result.differences == []


def test_multi_project_file_keeps_resources_and_assignments(world):
    project = _new_project(world, "MPSPLIB")
    plan = read_plan_file(DATA / "mpsplib_16_mp_j30_a5_nr1.xml")
    result = import_plan(actor=world.admin, project=project, plan=plan, source="mpsplib")
    assert result.resources == len(plan.resources) > 0
    assert result.assignments == len(plan.assignments) > 0
    again = export_plan(project).plan
    assert {(r.uid, r.name) for r in again.resources} == {(r.uid, r.name) for r in plan.resources}
    assert len(again.assignments) == len(plan.assignments)


def test_a_second_import_needs_replace_and_then_replaces(world):
    project = _new_project(world, "TWICE")
    plan = read_plan_file(DATA / "projectlibre_New_Product.xml")
    import_plan(actor=world.admin, project=project, plan=plan, source="one")
    count = Activity.objects.filter(project=project).count()
    with pytest.raises(DomainError, match="has a plan already"):
        import_plan(actor=world.admin, project=project, plan=plan, source="two")
    import_plan(actor=world.admin, project=project, plan=plan, source="two", replace=True)
    assert Activity.objects.filter(project=project).count() == count


def test_a_plan_with_a_cycle_is_refused_and_nothing_is_written(world):
    project = _new_project(world, "CYCLE")
    plan = read_plan_file(DATA / "projectlibre_New_Product.xml")
    xml = write_mspdi(plan).decode()
    link = plan.links[0]
    first, second = link.predecessor_uid, link.successor_uid
    # The predecessor of a link also waits on its successor: a loop.
    needle = f"<UID>{first}</UID>"
    position = xml.index(needle, xml.index("<Tasks>"))
    close = xml.index("</Task>", position)
    looped = (
        xml[:close]
        + (f"<PredecessorLink><PredecessorUID>{second}</PredecessorUID><Type>1</Type></PredecessorLink>")
        + xml[close:]
    )
    with pytest.raises(DomainError, match="loop"):
        import_plan(actor=world.admin, project=project, plan=read_mspdi(looped.encode()), source="looped")
    assert not Activity.objects.filter(project=project).exists()
    assert not AuditEvent.objects.filter(action="project.plan_imported").exists()


def test_an_outsider_cannot_import_into_a_project(world):
    plan = read_plan_file(DATA / "projectlibre_New_Product.xml")
    with pytest.raises(NotFound):
        import_plan(actor=world.elsewhere_user, project=world.project, plan=plan, source="x")
    assert not Activity.objects.filter(project=world.project).exists()


def test_import_page_uploads_a_file_and_reports_the_dates(world):
    client = Client()
    client.force_login(world.permitted)
    url = reverse("planning:plan_import", args=[world.project.pk])
    with open(DATA / "projectlibre_New_Product.mpp", "rb") as handle:
        response = client.post(url, {"file": handle})
    assert response.status_code == 200, response.content[:2000]
    page = response.content.decode()
    assert "Plan imported into" in page and "equal the dates in the file" in page
    export = client.get(reverse("planning:plan_export", args=[world.project.pk]) + "?format=xml")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xml"')
    assert len(read_mspdi(export.content).activities) == Activity.objects.filter(project=world.project).count()


def test_import_page_names_a_bad_file_and_keeps_nothing(world):
    client = Client()
    client.force_login(world.permitted)
    url = reverse("planning:plan_import", args=[world.project.pk])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol2;</Name></Project>'
    )
    response = client.post(url, {"file": SimpleUploadedFile("bomb.xml", bomb)})
    assert response.status_code == 200
    assert "bomb.xml" in str(response.context["form"].errors["file"])
    assert not Activity.objects.filter(project=world.project).exists()


def test_import_page_is_refused_to_outsiders(world):
    client = Client()
    client.force_login(world.elsewhere_user)
    assert client.get(reverse("planning:plan_import", args=[world.project.pk])).status_code == 404
    assert client.get(reverse("planning:plan_export", args=[world.project.pk])).status_code == 404


def test_api_import_and_export(world):
    client = APIClient()
    client.force_login(world.permitted)
    with open(DATA / "mpsplib_46_mp_j120_a2_nr1.xml", "rb") as handle:
        response = client.post(
            reverse("api:plan-import-file"), {"project": world.project.pk, "file": handle}, format="multipart"
        )
    assert response.status_code == 200, response.content[:2000]
    body = response.json()
    assert body["activities"] > 200 and body["differences"] == []
    export = client.get(reverse("api:plan-export", args=[body["plan"]["id"]]))
    assert export.status_code == 200
    assert len(read_mspdi(export.content).activities) == body["activities"]
    bad = client.post(
        reverse("api:plan-import-file"),
        {"project": world.project.pk, "file": SimpleUploadedFile("x.xml", b"not xml")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()["errors"]


def test_excel_export_then_import_into_another_project_keeps_the_plan(world):
    first = _new_project(world, "XL-1")
    import_plan(
        actor=world.admin, project=first, plan=read_plan_file(DATA / "projectlibre_New_Product.xml"), source="x"
    )
    client = Client()
    client.force_login(world.admin)
    workbook = client.get(reverse("planning:plan_export", args=[first.pk]) + "?format=xlsx")
    assert workbook.status_code == 200 and workbook["Content-Disposition"].endswith('.xlsx"')
    second = _new_project(world, "XL-2")
    response = client.post(
        reverse("planning:plan_import", args=[second.pk]), {"file": SimpleUploadedFile("plan.xlsx", workbook.content)}
    )
    assert response.status_code == 200 and "equal the dates in the file" in response.content.decode()
    assert _shape(second) == _shape(first)


def test_a_workbook_with_bad_rows_is_refused_row_by_row_and_nothing_is_kept(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Activities"
    sheet.append(["Name", "Duration (days)", "Predecessors"])
    sheet.append(["Design", 3, ""])
    sheet.append(["Build", -2, "1"])
    sheet.append(["Test", "two", "9XX"])
    data = io.BytesIO()
    book.save(data)
    client = Client()
    client.force_login(world.permitted)
    response = client.post(
        reverse("planning:plan_import", args=[world.project.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", data.getvalue())},
    )
    assert response.status_code == 200
    messages = response.context["form"].errors["file"]
    assert len(messages) == 3, messages
    assert messages[0].startswith("Row 3, Duration (days)") and messages[2].startswith("Row 4, Predecessors")
    assert not Activity.objects.filter(project=world.project).exists()
