"""The governance documents: the PMO charter (and so the PMO model in force), each project's terms
of reference, and the standards library. Charter and terms of reference are versioned: a draft is
edited, a published version is frozen, the next draft starts from the latest version."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.services import change_audited, create_audited, require_global
from pmo.lifecycle.choices import PMOModel, StandardStatus, VersionStatus
from pmo.lifecycle.models import PMOCharter, Standard, TermsOfReference
from pmo.lifecycle.services.common import is_pmo_head, locked
from pmo.portfolio.models import Project

STANDARD_FIELDS = ("title", "body", "version", "applies_to")


def current_charter() -> PMOCharter | None:
    """The charter in force: the latest published version (None before any is published)."""
    return PMOCharter.objects.published().order_by("-version").first()


def current_pmo_model() -> str:
    """The PMO model in force: the latest published charter's, supportive when there is none."""
    charter = current_charter()
    return charter.pmo_model if charter is not None else PMOModel.SUPPORTIVE


def _frozen(document) -> DomainError:
    return DomainError(f"{document} is published and frozen; start a new draft to change it.")


def _copy_of(latest, content_fields) -> dict:
    return {name: getattr(latest, name) for name in content_fields} if latest is not None else {}


# --- the PMO charter ------------------------------------------------------------------------


@transaction.atomic
def start_charter_draft(*, actor, reason: str = "") -> PMOCharter:
    """A new draft of the charter, a copy of the latest version (or empty for the first)."""
    require_global(actor, Action.CHANGE, "the PMO charter")
    # Lock every version so that two drafts cannot start at once.
    versions = list(PMOCharter.objects.select_for_update().order_by("-version"))
    draft = next((version for version in versions if version.is_draft), None)
    if draft is not None:
        raise DomainError(f"Version {draft.version} of the charter is already a draft: edit it or publish it.")
    latest = versions[0] if versions else None
    charter = PMOCharter(version=(latest.version + 1) if latest else 1, **_copy_of(latest, PMOCharter.CONTENT_FIELDS))
    return create_audited(charter, actor=actor, reason=reason)


@transaction.atomic
def update_charter(*, actor, charter: PMOCharter, changes: Mapping, reason: str = "") -> PMOCharter:
    require_global(actor, Action.CHANGE, "the PMO charter")
    charter = locked(actor, PMOCharter, charter.pk, Action.CHANGE)
    if not charter.is_draft:
        raise _frozen(charter)
    if "pmo_model" in changes and changes["pmo_model"] not in PMOModel.values:
        raise InvalidData({"pmo_model": [f"Unknown PMO model {changes['pmo_model']!r}."]})
    return change_audited(charter, changes, actor=actor, allowed=PMOCharter.CONTENT_FIELDS, reason=reason)


@transaction.atomic
def publish_charter(*, actor, charter: PMOCharter, reason: str = "") -> PMOCharter:
    """Publish a draft: it becomes the charter in force, with its PMO model, and is frozen."""
    charter = locked(actor, PMOCharter, charter.pk, Action.VIEW)
    if not is_pmo_head(actor):
        raise PermissionRefused("Only the PMO head or an administrator may publish the PMO charter.")
    if not charter.is_draft:
        raise DomainError(f"{charter} is already published.")
    if not charter.purpose.strip():
        raise InvalidData({"purpose": ["Say what the PMO is for before publishing the charter."]})
    return change_audited(
        charter,
        {"status": VersionStatus.PUBLISHED, "published_at": timezone.now(), "published_by": actor},
        actor=actor,
        allowed={"status", "published_at", "published_by"},
        reason=reason,
        action="pmocharter.published",
    )


# --- terms of reference ---------------------------------------------------------------------


@transaction.atomic
def start_terms_draft(*, actor, project: Project, reason: str = "") -> TermsOfReference:
    """A new draft of a project's terms of reference, a copy of its latest version; the first
    draft starts from the project's scope statement and budget."""
    project = locked(actor, Project, project.pk, Action.CHANGE)
    versions = list(TermsOfReference.objects.filter(project=project).order_by("-version"))
    draft = next((version for version in versions if version.is_draft), None)
    if draft is not None:
        raise DomainError(f"Version {draft.version} of {project.code}'s terms of reference is already a draft.")
    latest = versions[0] if versions else None
    content = _copy_of(latest, TermsOfReference.CONTENT_FIELDS) or {
        "scope": project.scope_statement,
        "budget": project.budget,
    }
    terms = TermsOfReference(project=project, version=(latest.version + 1) if latest else 1, **content)
    return create_audited(terms, actor=actor, reason=reason)


@transaction.atomic
def update_terms(*, actor, terms: TermsOfReference, changes: Mapping, reason: str = "") -> TermsOfReference:
    terms = locked(actor, TermsOfReference, terms.pk, Action.CHANGE)
    if not terms.is_draft:
        raise _frozen(terms)
    return change_audited(terms, changes, actor=actor, allowed=TermsOfReference.CONTENT_FIELDS, reason=reason)


@transaction.atomic
def publish_terms(*, actor, terms: TermsOfReference, reason: str = "") -> TermsOfReference:
    terms = locked(actor, TermsOfReference, terms.pk, Action.CHANGE)
    if not terms.is_draft:
        raise DomainError(f"{terms} is already published.")
    if not terms.objectives.strip():
        raise InvalidData({"objectives": ["State the project's objectives before publishing."]})
    return change_audited(
        terms,
        {"status": VersionStatus.PUBLISHED, "published_at": timezone.now(), "published_by": actor},
        actor=actor,
        allowed={"status", "published_at", "published_by"},
        reason=reason,
        action="termsofreference.published",
    )


# --- standards ------------------------------------------------------------------------------


@transaction.atomic
def create_standard(*, actor, reason: str = "", **fields) -> Standard:
    require_global(actor, Action.CREATE, "standards")
    unknown = sorted(set(fields) - set(STANDARD_FIELDS))
    if unknown:
        raise InvalidData({name: ["Not a field of a standard."] for name in unknown})
    return create_audited(Standard(**fields), actor=actor, reason=reason)


@transaction.atomic
def update_standard(*, actor, standard: Standard, changes: Mapping, reason: str = "") -> Standard:
    require_global(actor, Action.CHANGE, "standards")
    standard = locked(actor, Standard, standard.pk, Action.CHANGE)
    if standard.status == StandardStatus.RETIRED:
        raise DomainError(f"{standard} is retired; write a new standard instead.")
    return change_audited(standard, changes, actor=actor, allowed=STANDARD_FIELDS, reason=reason)


def _set_standard_status(actor, standard: Standard, status: str, reason: str) -> Standard:
    require_global(actor, Action.CHANGE, "standards")
    standard = locked(actor, Standard, standard.pk, Action.CHANGE)
    allowed_from = {
        StandardStatus.PUBLISHED: {StandardStatus.DRAFT},
        StandardStatus.RETIRED: {StandardStatus.DRAFT, StandardStatus.PUBLISHED},
    }[status]
    if standard.status not in allowed_from:
        raise DomainError(f"{standard} is {standard.get_status_display().lower()}; it cannot become {status}.")
    changes = {"status": status}
    if status == StandardStatus.PUBLISHED:
        if not standard.body.strip():
            raise InvalidData({"body": ["A standard needs a body before it is published."]})
        changes["published_at"] = timezone.now()
    return change_audited(
        standard,
        changes,
        actor=actor,
        allowed={"status", "published_at"},
        reason=reason,
        action=f"standard.{status}",
    )


@transaction.atomic
def publish_standard(*, actor, standard: Standard, reason: str = "") -> Standard:
    return _set_standard_status(actor, standard, StandardStatus.PUBLISHED, reason)


@transaction.atomic
def retire_standard(*, actor, standard: Standard, reason: str = "") -> Standard:
    return _set_standard_status(actor, standard, StandardStatus.RETIRED, reason)
