"""Pages and API of change control: the register and its Excel export, the change form with its
affected activities, the impact analysis on the change's page, the decision buttons and their
refusals, configuration items, quality reviews, and query counts that do not grow with rows."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.changes import services
from pmo.changes.choices import ChangeStatus
from pmo.changes.models import ChangeRequest, ConfigurationItem, QualityReview
from pmo.governance.models import ActionItem

DAY = 480


def client(user, *, api=False):
    made = APIClient() if api else Client()
    made.force_login(user)
    return made


def _change(cw, title="Longer documentation", days=6, **fields):
    return services.create_change_request(
        actor=cw.manager,
        project=cw.world.project,
        title=title,
        activity_changes=[{"activity": cw.documentation, "new_duration_minutes": days * DAY}],
        **fields,
    )


def test_the_change_form_raises_a_change_with_its_affected_activities(cw):
    page = client(cw.manager)
    url = reverse("changes:change_create", args=[cw.world.project.pk])
    assert page.get(url).status_code == 200
    data = {
        "title": "Extra interface",
        "raised_on": "2026-03-02",
        "cost_impact": "2500",
        "time_impact_days": "2",
        "risk_level": "medium",
        "activities-TOTAL_FORMS": "2",
        "activities-INITIAL_FORMS": "0",
        "activities-0-activity": str(cw.build.pk),
        "activities-0-new_duration_days": "5",
        "activities-1-activity": "",
    }
    response = page.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    change = ChangeRequest.objects.get(title="Extra interface")
    assert change.number == 1 and change.status == ChangeStatus.DRAFT
    assert [(row.activity_id, row.new_duration_minutes) for row in change.activity_changes.all()] == [
        (cw.build.pk, 5 * DAY)
    ]
    # A bad row is shown on the form and nothing is written.
    data["title"] = "Bad row"
    data["activities-0-lag_days"] = "2"
    response = page.post(url, data)
    assert response.status_code == 200
    assert "A lag belongs to a link" in response.content.decode()
    assert not ChangeRequest.objects.filter(title="Bad row").exists()


def test_the_change_page_shows_the_engines_analysis_and_flags_it_stale(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw))
    page = client(cw.executive).get(change.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "3.00 working days" in html and "Documentation" in html
    assert "the project board decides it" in html
    assert f'formaction="/changes/{change.pk}/approve/"' in html
    assert 'id="stale-analysis"' not in html
    from pmo.planning import services as planning

    planning.update_activity(actor=cw.manager, activity=cw.build, changes={"duration_minutes": 4 * DAY})
    assert 'id="stale-analysis"' in client(cw.executive).get(change.get_absolute_url()).content.decode()


def test_the_decision_buttons_refuse_with_the_boards_reason(cw):
    services.create_policy(
        actor=cw.world.permitted, project=cw.world.project, cost_limit=Decimal("1000"), delay_days_limit=1
    )
    change = services.submit_change_request(actor=cw.manager, change=_change(cw))
    page = client(cw.executive)
    url = reverse("changes:change_transition", args=[change.pk, "approve"])
    response = page.post(url, {"reason": "Fine."}, follow=True)
    assert "above the project board&#x27;s limit of 1: the programme board decides it" in response.content.decode()
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.SUBMITTED
    client(cw.world.permitted).post(url, {"reason": "Strategic."})
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.APPROVED
    client(cw.manager).post(
        reverse("changes:change_transition", args=[change.pk, "implement"]), {"implement": "on", "rebaseline": "on"}
    )
    change = ChangeRequest.objects.get(pk=change.pk)
    assert change.status == ChangeStatus.IMPLEMENTED and change.baseline_number == 0


def test_the_register_filters_and_exports_what_the_user_may_see(cw):
    first = _change(cw, title="First change")
    _change(cw, title="=HYPERLINK(1)")
    services.create_change_request(actor=cw.world.admin, project=cw.world.other_project, title="Elsewhere")
    page = client(cw.manager)
    listed = page.get(reverse("changes:change_list"), {"project": cw.world.project.pk})
    assert {row.title for row in listed.context["object_list"]} == {"First change", "=HYPERLINK(1)"}
    response = page.get(reverse("changes:change_export"), {"project": cw.world.project.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(response.content))["Change register"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("project", "reference", "title", "status")
    assert sorted(row[2] for row in rows[1:]) == ["=HYPERLINK(1)", "First change"]
    assert {row[0] for row in rows[1:]} == {"HERE-1"}
    assert [row[1] for row in rows[1:] if row[2] == "First change"] == [first.reference]
    everything = openpyxl.load_workbook(BytesIO(page.get(reverse("changes:change_export")).content))
    assert "Elsewhere" not in {row[2] for row in everything.active.iter_rows(values_only=True)}
    assert page.get(reverse("changes:change_export"), {"project": "x"}).status_code == 400
    by_programme = page.get(reverse("changes:change_list"), {"programme": cw.world.programme.pk})
    assert {row.title for row in by_programme.context["object_list"]} == {"First change", "=HYPERLINK(1)"}


def test_the_register_costs_the_same_for_any_number_of_changes(cw, django_assert_max_num_queries):
    _change(cw)
    viewer = client(cw.manager)
    api = client(cw.manager, api=True)
    with django_assert_max_num_queries(15) as few:
        viewer.get(reverse("changes:change_list"))
    with django_assert_max_num_queries(15) as few_api:
        api.get("/api/v1/change-requests/")
    for n in range(5):
        _change(cw, title=f"Change {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        viewer.get(reverse("changes:change_list"))
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert api.get("/api/v1/change-requests/").json()["count"] == 6


def test_the_api_raises_analyses_and_decides_a_change(cw):
    api = client(cw.manager, api=True)
    created = api.post(
        "/api/v1/change-requests/",
        {
            "project": cw.world.project.pk,
            "title": "Vendor delay",
            "cost_impact": "70000.00",
            "activity_changes": [{"activity": cw.test.pk, "predecessor": cw.build.pk, "lag_minutes": 2 * DAY}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["reference"] == "CR-1"
    submitted = api.post(f"/api/v1/change-requests/{pk}/submit/", {"reason": "Please decide."}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["delay_days"] == "2.00" and submitted.json()["required_board"] == "programme_board"
    impact = api.get(f"/api/v1/change-requests/{pk}/impact/").json()
    assert impact["is_stale"] is False and "costs 70,000.00" in impact["routing"]
    refused = client(cw.executive, api=True).post(
        f"/api/v1/change-requests/{pk}/approve/", {"reason": "Ok"}, format="json"
    )
    assert refused.status_code == 403 and "the programme board decides it" in refused.json()["detail"]
    missing_reason = client(cw.world.permitted, api=True).post(
        f"/api/v1/change-requests/{pk}/approve/", {}, format="json"
    )
    assert missing_reason.status_code == 400
    approved = client(cw.world.permitted, api=True).post(
        f"/api/v1/change-requests/{pk}/approve/", {"reason": "Needed.", "implement": True}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "implemented"
    bad = api.post(
        "/api/v1/change-requests/",
        {"project": cw.world.project.pk, "title": "Bad", "activity_changes": [{"activity": cw.world.other_project.pk}]},
        format="json",
    )
    assert bad.status_code == 400 and not ChangeRequest.objects.filter(title="Bad").exists()


def test_items_and_reviews_through_the_api_and_the_pages(cw):
    api = client(cw.manager, api=True)
    item = api.post(
        "/api/v1/configuration-items/",
        {"project": cw.world.project.pk, "identifier": "DOC-1", "name": "Design", "kind": "document"},
        format="json",
    )
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]
    assert api.patch(f"/api/v1/configuration-items/{item_id}/", {"version": "1.0"}, format="json").status_code == 200
    assert [v["version"] for v in api.get(f"/api/v1/configuration-items/{item_id}/versions/").json()["results"]] == [
        "1.0",
        "0.1",
    ]
    review = api.post(
        "/api/v1/quality-reviews/",
        {
            "project": cw.world.project.pk,
            "title": "Design review",
            "configuration_item": item_id,
            "planned_on": "2026-03-10",
            "reviewers": [cw.world.person.pk],
            "checklist": ["Complete", "Consistent"],
        },
        format="json",
    )
    assert review.status_code == 201, review.content
    review_id = review.json()["id"]
    criteria = [c["id"] for c in review.json()["criteria"]]
    result = api.post(
        f"/api/v1/quality-reviews/{review_id}/record-result/",
        {
            "result": "failed",
            "held_on": "2026-03-10",
            "outcomes": [{"criterion": criteria[0], "outcome": "pass"}, {"criterion": criteria[1], "outcome": "fail"}],
            "actions": [{"title": "Rework chapter 3", "owner": cw.world.person.pk, "due_on": "2026-03-20"}],
        },
        format="json",
    )
    assert result.status_code == 200, result.content
    assert result.json()["result"] == "failed"
    assert ActionItem.objects.filter(title="Rework chapter 3").exists()
    page = client(cw.manager)
    html = page.get(reverse("changes:review_detail", args=[review_id])).content.decode()
    assert "Rework chapter 3" in html and "Fail" in html
    item_page = page.get(reverse("changes:item_detail", args=[item_id])).content.decode()
    assert "Design review" in item_page
    # The result form of a new review.
    second = services.create_quality_review(
        actor=cw.manager,
        project=cw.world.project,
        title="Second",
        deliverable="Training pack",
        planned_on=date(2026, 3, 2),
        criteria=["Clear"],
    )
    criterion = second.criteria.get()
    response = page.post(
        reverse("changes:review_result", args=[second.pk]),
        {"result": "passed", "held_on": "2026-03-03", f"outcome_{criterion.pk}": "pass", f"note_{criterion.pk}": ""},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert QualityReview.objects.get(pk=second.pk).result == "passed"
    assert ConfigurationItem.objects.get(pk=item_id).version == "1.0"


def test_the_project_page_and_the_menu_lead_to_change_control(cw):
    html = client(cw.manager).get(cw.world.project.get_absolute_url()).content.decode()
    assert reverse("changes:change_create", args=[cw.world.project.pk]) in html
    assert f"{reverse('changes:change_list')}?project={cw.world.project.pk}" in html
    assert f'href="{reverse("changes:change_list")}"' in html
    readonly = client(cw.team).get(cw.world.project.get_absolute_url()).content.decode()
    assert reverse("changes:change_create", args=[cw.world.project.pk]) not in readonly


def _more_rows(cw, n: int, start: int = 0) -> None:
    for index in range(start, start + n):
        item = services.create_configuration_item(
            actor=cw.manager,
            project=cw.world.project,
            identifier=f"ITEM-{index}",
            name=f"Item {index}",
            owner=cw.world.person,
        )
        services.create_quality_review(
            actor=cw.manager,
            project=cw.world.project,
            title=f"Review {index}",
            configuration_item=item,
            planned_on=date(2026, 3, 2),
            reviewers=[cw.world.person],
            criteria=["Complete"],
        )


def test_item_review_and_policy_lists_cost_the_same_for_any_number_of_rows(cw, django_assert_max_num_queries):
    services.create_policy(
        actor=cw.world.permitted, project=cw.world.project, cost_limit=Decimal("1"), delay_days_limit=1
    )
    _more_rows(cw, 1)
    viewer, api = client(cw.world.permitted), client(cw.world.permitted, api=True)
    pages = [reverse("changes:item_list"), reverse("changes:review_list"), reverse("changes:policy_list")]
    endpoints = ["/api/v1/configuration-items/", "/api/v1/quality-reviews/", "/api/v1/approval-policies/"]
    counts = {}
    for address in pages:
        with django_assert_max_num_queries(15) as few:
            viewer.get(address)
        counts[address] = len(few.captured_queries)
    for address in endpoints:
        with django_assert_max_num_queries(15) as few:
            api.get(address)
        counts[address] = len(few.captured_queries)
    _more_rows(cw, 4, start=1)
    services.create_policy(
        actor=cw.world.permitted, programme=cw.world.programme, cost_limit=Decimal("9"), delay_days_limit=9
    )
    for address in pages:
        with django_assert_max_num_queries(counts[address]):
            viewer.get(address)
    for address in endpoints:
        with django_assert_max_num_queries(counts[address]):
            api.get(address)
