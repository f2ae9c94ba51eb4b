"""What the pages show: the charter's versions, a project's terms and gates, a review's checklist
and approvals, read through ``visible_to`` (they apply the gates' rules, so they live here)."""

from pmo.core.choices import Action
from pmo.lifecycle.choices import ApproverRole, VersionStatus
from pmo.lifecycle.models import GateReview, PMOCharter, TermsOfReference
from pmo.lifecycle.services.gates import gate_state, may_approve_as, required_roles
from pmo.portfolio.choices import STAGE_TRANSITIONS, LifecycleStage


def charter_overview(user) -> dict:
    """The charter in force, the draft being written, and every version, as ``user`` may see them."""
    versions = list(PMOCharter.objects.visible_to(user, Action.VIEW).select_related("published_by"))
    published = [version for version in versions if version.status == VersionStatus.PUBLISHED]
    return {
        "current": published[0] if published else None,
        "draft": next((version for version in versions if version.is_draft), None),
        "versions": versions,
    }


def project_terms(user, project) -> list[TermsOfReference]:
    return list(
        TermsOfReference.objects.visible_to(user, Action.VIEW).filter(project=project).select_related("published_by")
    )


def project_gates(user, project) -> dict:
    """The gate the project's next move must pass, its reviews, and the moves it may make."""
    state = gate_state(project)
    reviews = list(
        GateReview.objects.visible_to(user, Action.VIEW)
        .filter(project=project)
        .select_related("opened_by")
        .prefetch_related("items", "approvals__approver")
    )
    # Cancelling takes a reason and stays on the project's edit page, away from one-click buttons.
    moves = [
        LifecycleStage(stage)
        for stage in LifecycleStage.values
        if stage in STAGE_TRANSITIONS[project.stage] and stage != LifecycleStage.CANCELLED
    ]
    return {"gate": state, "reviews": reviews, "moves": moves}


def review_overview(user, review: GateReview) -> dict:
    """A review's checklist, its approvals by role, and which approvals ``user`` may give."""
    roles = required_roles(review)
    approvals = {approval.role: approval for approval in review.approvals.select_related("approver")}
    return {
        "items": list(review.items.select_related("evidenced_by")),
        "slots": [(ApproverRole(role).label, approvals.get(role)) for role in roles],
        "my_roles": [role for role in roles if may_approve_as(user, review.project, role)],
        "other_approvals": [approval for role, approval in approvals.items() if role not in roles],
    }
