"""Change control's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from datetime import date
from decimal import Decimal

from pmo.changes import services
from pmo.changes.forms import ApprovalPolicyEditForm, ChangeRequestForm, ConfigurationItemForm, QualityReviewForm
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.testing.harness import Resource, form_data


def _item(world) -> ConfigurationItem:
    existing = ConfigurationItem.objects.filter(project=world.project).first()
    return existing or services.create_configuration_item(
        actor=world.admin, project=world.project, identifier="APP-CRM", name="CRM application", kind="software"
    )


def _change(world) -> ChangeRequest:
    existing = ChangeRequest.objects.filter(project=world.project).first()
    return existing or services.create_change_request(
        actor=world.admin,
        project=world.project,
        title="Add a loyalty module",
        cost_impact=Decimal("12000"),
        configuration_items=[_item(world)],
    )


def _review(world) -> QualityReview:
    existing = QualityReview.objects.filter(project=world.project).first()
    return existing or services.create_quality_review(
        actor=world.admin,
        project=world.project,
        title="Design review",
        configuration_item=_item(world),
        planned_on=date(2026, 4, 1),
        criteria=["Meets the requirements"],
    )


def _policy(world) -> ApprovalPolicy:
    existing = ApprovalPolicy.objects.filter(project=world.project).first()
    return existing or services.create_policy(
        actor=world.admin, project=world.project, cost_limit=Decimal("20000"), delay_days_limit=5
    )


CHANGES_RESOURCES = [
    Resource(
        name="change request",
        obj=_change,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="changes:change_list",
        ui_detail="changes:change_detail",
        ui_edit="changes:change_edit",
        edit_form=lambda change: form_data(ChangeRequestForm, change, title="Add a loyalty module and vouchers"),
        api_basename="change-request",
        api_change={"title": "Add a loyalty module and vouchers"},
    ),
    Resource(
        name="configuration item",
        obj=_item,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="changes:item_list",
        ui_detail="changes:item_detail",
        ui_edit="changes:item_edit",
        edit_form=lambda item: form_data(ConfigurationItemForm, item, name="CRM application suite"),
        api_basename="configuration-item",
        api_change={"name": "CRM application suite"},
    ),
    Resource(
        name="quality review",
        obj=_review,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="changes:review_list",
        ui_detail="changes:review_detail",
        ui_edit="changes:review_edit",
        edit_form=lambda review: form_data(QualityReviewForm, review, title="Design review, second round"),
        api_basename="quality-review",
        api_change={"title": "Design review, second round"},
    ),
    Resource(
        name="approval policy",
        obj=_policy,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="changes:policy_list",
        ui_detail="changes:policy_detail",
        ui_edit="changes:policy_edit",
        edit_form=lambda policy: form_data(ApprovalPolicyEditForm, policy, delay_days_limit="7"),
        api_basename="approval-policy",
        api_change={"delay_days_limit": 7},
    ),
]
