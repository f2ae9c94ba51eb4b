"""Reads of change control for pages, exports and the API; every query through ``visible_to``."""

from django.contrib.contenttypes.models import ContentType

from pmo.changes.models import ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.choices import Action
from pmo.governance.models import ActionItem


def change_register(user, filterset_class, params):
    """The change requests ``user`` may see, filtered as on the register page (None if invalid)."""
    queryset = ChangeRequest.objects.visible_to(user, Action.VIEW).select_related("project", "requested_by")
    filterset = filterset_class(params or None, queryset=queryset)
    if filterset.is_bound and not filterset.is_valid():
        return None, filterset
    rows = filterset.qs if filterset.is_bound else queryset
    return rows.order_by("project__code", "number"), filterset


def review_actions(user, review: QualityReview):
    """The follow-up actions of a review that ``user`` may see."""
    return (
        ActionItem.objects.visible_to(user, Action.VIEW)
        .filter(source_type=ContentType.objects.get_for_model(QualityReview), source_id=review.pk)
        .select_related("owner")
        .order_by("due_on", "id")
    )


def item_changes(user, item: ConfigurationItem):
    return item.change_requests.visible_to(user, Action.VIEW).order_by("-number")


def item_reviews(user, item: ConfigurationItem):
    return item.quality_reviews.visible_to(user, Action.VIEW).order_by("-planned_on")
