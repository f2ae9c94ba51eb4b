"""The OpenAPI schema: generated without a warning, valid OpenAPI 3, served with its two viewers."""

import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

from pmo.api.tests.helpers import url

RESOURCE_PATHS = [
    "units", "people", "offices", "office-memberships", "role-assignments", "audit-events",
    "objectives", "portfolios", "programmes", "projects", "project-dependencies",
]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        GENERATOR_STATS.reset()
        generated = SchemaGenerator().get_schema(request=None, public=True)
        # The same test as ``spectacular --validate --fail-on-warn``.
        warnings_and_errors = {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
    return generated, warnings_and_errors


def test_schema_is_generated_without_a_warning(schema):
    _, warnings_and_errors = schema

    assert warnings_and_errors == {}


def test_schema_is_valid_openapi(schema):
    generated, _ = schema

    validate(generated)
    assert generated["openapi"].startswith("3.")


@pytest.mark.parametrize("resource", RESOURCE_PATHS)
def test_every_resource_is_documented(schema, resource):
    generated, _ = schema

    assert f"/api/v1/{resource}/" in generated["paths"]
    assert f"/api/v1/{resource}/{{id}}/" in generated["paths"]


def request_component(operation: dict) -> str:
    return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def response_component(operation: dict, code: str = "200") -> str:
    return operation["responses"][code]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_custom_actions_and_errors_are_documented(schema):
    paths = schema[0]["paths"]

    stage = paths["/api/v1/projects/{id}/stage/"]["post"]
    objectives = paths["/api/v1/projects/{id}/objectives/"]["post"]
    history = paths["/api/v1/projects/{id}/history/"]["get"]
    archive = paths["/api/v1/units/{id}/archive/"]["post"]

    assert request_component(stage) == "ProjectStageRequest"
    assert response_component(stage) == "Project"
    assert request_component(objectives) == "ProjectObjectivesRequest"
    assert response_component(history) == "PaginatedAuditEventList"
    assert response_component(archive) == "OrganisationUnit"
    assert {"400", "403", "404"} <= set(stage["responses"])
    assert response_component(stage, "400") == "Error"
    # Archivable things have no DELETE; removable ones do.
    assert "delete" not in paths["/api/v1/projects/{id}/"]
    assert "delete" in paths["/api/v1/project-dependencies/{id}/"]
    assert "/api/v1/auth/token/" in paths


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:schema", "api:docs", "api:redoc"])
def test_schema_and_viewers_are_served(client_for, name):
    response = client_for(None).get(reverse(name))

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_viewers_load_their_assets_from_the_server(client_for):
    page = client_for(None).get(reverse("api:docs")).content.decode()

    assert "swagger-ui" in page
    assert "cdn.jsdelivr.net" not in page
    assert "unpkg.com" not in page


def test_the_url_names_follow_the_router_basenames():
    assert url("project-dependency") == "/api/v1/project-dependencies/"
    assert url("office-membership", 7) == "/api/v1/office-memberships/7/"
    assert url("audit-event") == "/api/v1/audit-events/"
    assert url("project", 3, "stage") == "/api/v1/projects/3/stage/"
    assert reverse("api:auth-token") == "/api/v1/auth/token/"
