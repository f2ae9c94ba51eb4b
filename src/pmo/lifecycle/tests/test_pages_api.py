"""The lifecycle through its pages and its API: the charter, standards, terms of reference, and a
project passing its gate (refused with what is missing, then evidenced, approved and moved)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.testing.harness import form_data
from pmo.governance.models import ActionItem
from pmo.lifecycle import services
from pmo.lifecycle.models import GateCheckItem, GateReview, PMOCharter, Standard
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.forms import ProjectForm


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def controlling(gw) -> PMOCharter:
    draft = services.start_charter_draft(actor=gw.head)
    services.update_charter(actor=gw.head, charter=draft, changes={"purpose": "Govern.", "pmo_model": "controlling"})
    return services.publish_charter(actor=gw.head, charter=draft)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_charter_page_shows_the_model_and_only_the_pmo_head_publishes(gw):
    response = web(gw.manager).get(reverse("lifecycle:charter"))
    assert response.status_code == 200 and "(no charter is published yet" in response.text
    response = web(gw.head).post(reverse("lifecycle:charter_new_draft"))
    draft = PMOCharter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("lifecycle:charter_edit", args=[draft.pk])
    form = {
        "purpose": "Govern the portfolio.",
        "authority": "",
        "reporting_lines": "",
        "resources": "",
        "budget": "250000",
        "pmo_model": "controlling",
    }
    assert web(gw.head).post(reverse("lifecycle:charter_edit", args=[draft.pk]), form).status_code == 302
    assert web(gw.permitted).post(reverse("lifecycle:charter_publish", args=[draft.pk])).status_code == 403
    assert services.current_pmo_model() == "supportive"
    web(gw.head).post(reverse("lifecycle:charter_publish", args=[draft.pk]))
    response = web(gw.manager).get(reverse("lifecycle:charter"))
    assert '<strong id="pmo-model">Controlling</strong>' in response.text
    # A published version is frozen: its edit form refuses and says why.
    response = web(gw.head).post(reverse("lifecycle:charter_edit", args=[draft.pk]), {**form, "budget": "1"})
    assert response.status_code == 200 and "published and frozen" in response.text


def test_the_standards_library_filters_by_project_type(gw):
    for title, tags in (("Agile delivery", "it, software"), ("Site safety", "construction"), ("Gates", "")):
        standard = services.create_standard(actor=gw.head, title=title, body="Body.", applies_to=tags)
        services.publish_standard(actor=gw.head, standard=standard)
    response = web(gw.manager).get(reverse("lifecycle:standard_list"), {"project_type": "IT"})
    assert sorted(row.title for row in response.context["object_list"]) == ["Agile delivery", "Gates"]
    answer = api(gw.manager).get(reverse("api:standard-list"), {"project_type": "construction"}).json()
    assert sorted(row["title"] for row in answer["results"]) == ["Gates", "Site safety"]
    detail = web(gw.manager).get(reverse("lifecycle:standard_detail", args=[Standard.objects.get(title="Gates").pk]))
    assert "every project" in detail.text


def test_terms_of_reference_from_the_project_page(gw):
    client = web(gw.manager)
    assert "Write the first version" in client.get(reverse("lifecycle:project_terms", args=[gw.project.pk])).text
    response = client.post(reverse("lifecycle:project_terms_new", args=[gw.project.pk]))
    terms = gw.project.terms_of_reference.get()
    assert response["Location"] == reverse("lifecycle:terms_edit", args=[terms.pk])
    response = client.post(reverse("lifecycle:terms_publish", args=[terms.pk]), follow=True)
    assert "State the project&#x27;s objectives before publishing." in response.text
    assert client.get(reverse("lifecycle:project_terms", args=[gw.project.pk]))["Location"] == terms.get_absolute_url()


def test_a_project_passes_its_gate_through_the_pages(gw, media):
    controlling(gw)
    manager = web(gw.manager)
    panel = manager.get(gw.project.get_absolute_url())
    assert "Move to Delivery" in panel.text and "no gate review has been opened" in panel.text
    move = reverse("lifecycle:project_move", args=[gw.project.pk])
    outside = manager.post(move, {"stage": "delivery", "next": "https://elsewhere.example/"})
    assert outside["Location"] == gw.project.get_absolute_url()
    refused = manager.post(move, {"stage": "delivery"}, follow=True)
    assert "Planning → Delivery needs an approved gate review" in refused.text
    manager.post(reverse("lifecycle:review_open", args=[gw.project.pk]), {"to_stage": "delivery"})
    review = GateReview.objects.get(project=gw.project)
    for item in review.items.filter(evidence_required=True):
        data = {"evidence_url": "", "evidence_figure": "", "evidence_unit": "", "evidence_note": "Signed."}
        if item.evidence_kind == "document":
            data["document"] = SimpleUploadedFile("case.pdf", b"%PDF case")
        elif item.evidence_kind == "figure":
            data.update(evidence_figure="120000", evidence_unit="EUR")
        else:
            data["evidence_url"] = "https://plans.example/baseline"
        response = manager.post(reverse("lifecycle:evidence_edit", args=[item.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
    document = GateCheckItem.objects.get(review=review, text="Business case approved")
    download = web(gw.executive).get(reverse("lifecycle:evidence_document", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF case"
    assert web(gw.elsewhere_user).get(reverse("lifecycle:evidence_document", args=[document.pk])).status_code == 404
    # The project manager may not decide; the sponsor may.
    page = manager.get(review.get_absolute_url())
    assert 'id="decide-form"' not in page.text
    sponsor = web(gw.executive)
    assert 'id="decide-form"' in sponsor.get(review.get_absolute_url()).text
    sponsor.post(reverse("lifecycle:review_decide", args=[review.pk]), {"decision": "go", "role": "sponsor"})
    review.refresh_from_db()
    assert review.status == "approved"
    moved = manager.post(reverse("lifecycle:project_move", args=[gw.project.pk]), {"stage": "delivery"}, follow=True)
    assert "HERE-1 moved to Delivery." in moved.text
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.DELIVERY


def test_the_api_refuses_the_move_then_evidence_and_conditions_let_it_through(gw, media):
    controlling(gw)
    manager = api(gw.manager)
    refused = manager.post(reverse("api:project-stage", args=[gw.project.pk]), {"stage": "delivery"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["stage"][0].startswith("Planning → Delivery needs an approved gate review")
    state = manager.get(reverse("api:project-gate-detail", args=[gw.project.pk])).json()
    assert state["is_ready"] is False and state["missing_evidence"] == [
        "Business case approved",
        "Plan baselined",
        "Budget confirmed",
    ]
    opened = manager.post(reverse("api:gate-review-list"), {"project": gw.project.pk}, format="json")
    assert opened.status_code == 201, opened.content
    review = opened.json()
    assert [item["text"] for item in review["items"]][:3] == state["missing_evidence"]
    for item in review["items"][:3]:
        url = reverse("api:gate-check-item-detail", args=[item["id"]])
        if item["evidence_kind"] == "document":
            answer = manager.patch(url, {"document": SimpleUploadedFile("case.pdf", b"x")}, format="multipart")
        elif item["evidence_kind"] == "figure":
            answer = manager.patch(url, {"evidence_figure": "5", "evidence_unit": "FTE"}, format="json")
        else:
            answer = manager.patch(url, {"evidence_url": "not a link"}, format="json")
            assert answer.status_code == 400 and "evidence_url" in answer.json()["errors"]
            answer = manager.patch(url, {"evidence_url": "https://plans.example/b"}, format="json")
        assert answer.status_code == 200 and answer.json()["has_evidence"], answer.content
    decide = reverse("api:gate-review-decide", args=[review["id"]])
    assert manager.post(decide, {"decision": "go"}, format="json").status_code == 403
    answer = api(gw.executive).post(
        decide, {"decision": "go_with_conditions", "conditions": ["Name a test manager"]}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "approved_with_conditions"
    assert ActionItem.objects.filter(project=gw.project, title="Name a test manager").exists()
    moved = manager.post(reverse("api:project-stage", args=[gw.project.pk]), {"stage": "delivery"}, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == "delivery"


def test_the_api_stops_a_project_only_for_a_directive_pmo_head(gw):
    url = reverse("api:project-gate-stop", args=[gw.project.pk])
    refused = api(gw.head).post(url, {"reason": "Duplicate."}, format="json")
    assert refused.status_code == 400 and "directive" in refused.json()["detail"]
    draft = services.start_charter_draft(actor=gw.head)
    services.update_charter(actor=gw.head, charter=draft, changes={"purpose": "Direct.", "pmo_model": "directive"})
    services.publish_charter(actor=gw.head, charter=draft)
    assert api(gw.manager).post(url, {"reason": "No."}, format="json").status_code == 403
    assert api(gw.head).post(url, {}, format="json").status_code == 400
    answer = api(gw.head).post(url, {"reason": "Duplicate."}, format="json")
    assert answer.status_code == 200 and answer.json()["stage"] == "cancelled"


LISTS = (
    "api:gate-review-list",
    "api:project-gate-list",
    "api:terms-of-reference-list",
    "api:gate-check-item-list",
    "api:gate-approval-list",
    "lifecycle:review_list",
    "lifecycle:terms_list",
)


def test_lists_cost_the_same_for_any_number_of_reviews(gw, django_assert_max_num_queries):
    review = services.open_review(actor=gw.admin, project=gw.project)
    services.decide(actor=gw.admin, review=review, decision="hold")
    services.start_terms_draft(actor=gw.admin, project=gw.project)
    client = api(gw.permitted)
    pages = web(gw.permitted)

    def read_every_list():
        for name in LISTS:
            answer = (pages if name.startswith("lifecycle:") else client).get(reverse(name))
            assert answer.status_code == 200, name

    with django_assert_max_num_queries(60) as few:
        read_every_list()
    gw.other_project.stage = "planning"
    gw.other_project.save(update_fields=["stage"])
    services.open_review(actor=gw.admin, project=gw.other_project)
    for code in ("HERE-2", "HERE-3"):
        project = portfolio_services.create_project(
            actor=gw.admin, portfolio=gw.portfolio, code=code, name=code, stage="planning"
        )
        review = services.open_review(actor=gw.admin, project=project)
        services.decide(actor=gw.admin, review=review, decision="hold")
        services.start_terms_draft(actor=gw.admin, project=project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        read_every_list()
    assert GateReview.objects.count() == 4


def test_every_lifecycle_page_opens(gw):
    controlling(gw)
    review = services.open_review(actor=gw.manager, project=gw.project)
    services.decide(actor=gw.executive, review=review, decision="hold", comment="Not yet.")
    terms = services.start_terms_draft(actor=gw.manager, project=gw.project)
    criterion = gw.criteria[0]
    client = web(gw.head)
    for name, args in (
        ("lifecycle:charter", []),
        ("lifecycle:charter_list", []),
        ("lifecycle:standard_list", []),
        ("lifecycle:standard_create", []),
        ("lifecycle:criterion_list", []),
        ("lifecycle:criterion_create", []),
        ("lifecycle:criterion_history", [criterion.pk]),
        ("lifecycle:review_list", []),
        ("lifecycle:review_detail", [review.pk]),
        ("lifecycle:review_history", [review.pk]),
        ("lifecycle:terms_list", []),
        ("lifecycle:terms_detail", [terms.pk]),
        ("lifecycle:project_gates", [gw.project.pk]),
        ("portfolio:project_detail", [gw.project.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
    project_page = web(gw.manager).get(gw.project.get_absolute_url()).text
    assert 'id="project-gate"' in project_page and "Move to Delivery" in project_page
    assert "Planning → Delivery</strong> is closed: its review is on hold" in project_page
    gates = client.get(reverse("lifecycle:project_gates", args=[gw.project.pk])).text
    assert "its review is on hold" in gates and "Move to Cancelled" not in gates
    assert "Hold (sam.sponsor)" in gates


def test_the_project_edit_form_shows_the_gate_refusal_beside_the_stage(gw):
    controlling(gw)
    data = form_data(ProjectForm, gw.project, stage="delivery")
    response = web(gw.permitted).post(reverse("portfolio:project_edit", args=[gw.project.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["stage"][0].startswith("Planning → Delivery needs an approved gate review")
    gw.project.refresh_from_db()
    assert gw.project.stage == "planning"
