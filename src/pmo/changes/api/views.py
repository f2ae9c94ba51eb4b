"""Views of the change control API: change requests and their flow, configuration items,
quality reviews and approval limits. Views validate and call services; reads go through
``visible_to``."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.changes import services
from pmo.changes.api.serializers import (
    ApprovalPolicyCreateSerializer,
    ApprovalPolicySerializer,
    ChangeApprovalSerializer,
    ChangeDecisionSerializer,
    ChangeImpactSerializer,
    ChangeImplementationSerializer,
    ChangeRequestCreateSerializer,
    ChangeRequestSerializer,
    ChangeStepSerializer,
    ConfigurationItemCreateSerializer,
    ConfigurationItemSerializer,
    ConfigurationItemVersionSerializer,
    QualityReviewCreateSerializer,
    QualityReviewSerializer,
    ReviewResultSerializer,
)
from pmo.changes.filtersets import (
    ApprovalPolicyFilterSet,
    ChangeRequestFilterSet,
    ConfigurationItemFilterSet,
    QualityReviewFilterSet,
)
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.api.views import CreateThroughServiceMixin, ReadViewSet, UpdateThroughServiceMixin

TIMESTAMPS = ("created_at", "updated_at")


class CreateAndUpdateViewSet(UpdateThroughServiceMixin, CreateThroughServiceMixin, ReadViewSet):
    """Create, read and update; no DELETE (405): the records stay, their history in the audit trail."""

    create_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        return self.serializer_class


def _created(view, instance) -> Response:
    data = view.representation(instance)
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])})


class ChangeRequestViewSet(CreateAndUpdateViewSet):
    """Change requests on projects, with the engine's impact analysis and the decision flow:
    ``submit`` (analyses and routes to the board), ``analyse`` (again, on the plan as it is now),
    ``approve``/``reject``/``defer`` (a member of the board the change requires), ``withdraw`` and
    ``implement`` (applies the plan changes, optionally re-baselining)."""

    queryset = ChangeRequest.objects.none()
    serializer_class = ChangeRequestSerializer
    create_serializer_class = ChangeRequestCreateSerializer
    filterset_class = ChangeRequestFilterSet
    select_related_fields = ("project",)
    prefetch_related_lookups = ("activity_changes", "configuration_items")
    ordering_fields = ("number", "raised_on", "status", "delay_days", "cost_impact", *TIMESTAMPS)
    search_fields = ("title", "description")
    service_object_argument = "change"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        instance = services.create_change_request(
            actor=request.user,
            project=fields.pop("project"),
            reason=fields.pop("reason", ""),
            activity_changes=[dict(row) for row in fields.pop("activity_changes", [])],
            configuration_items=fields.pop("configuration_items", []),
            **fields,
        )
        return _created(self, instance)

    @staticmethod
    def update_service(*, actor, change, changes, reason=""):
        rows = changes.pop("activity_changes", None)
        items = changes.pop("configuration_items", None)
        return services.update_change_request(
            actor=actor,
            change=change,
            changes=changes,
            activity_changes=None if rows is None else [dict(row) for row in rows],
            configuration_items=items,
            reason=reason,
        )

    def _step(self, request, service, serializer_class, **renamed):
        change = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for old, new in renamed.items():
            data[new] = data.pop(old)
        change = service(actor=request.user, change=change, **data)
        return Response(self.representation(change))

    @extend_schema(summary="Submit for a decision", request=ChangeStepSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, services.submit_change_request, ChangeStepSerializer)

    @extend_schema(summary="Analyse the impact again", request=ChangeStepSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def analyse(self, request, pk=None):
        return self._step(request, services.analyse_change_request, ChangeStepSerializer)

    @extend_schema(summary="Approve", request=ChangeApprovalSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, services.approve_change_request, ChangeApprovalSerializer)

    @extend_schema(summary="Reject", request=ChangeDecisionSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, services.reject_change_request, ChangeDecisionSerializer)

    @extend_schema(summary="Defer", request=ChangeDecisionSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def defer(self, request, pk=None):
        return self._step(request, services.defer_change_request, ChangeDecisionSerializer)

    @extend_schema(summary="Withdraw", request=ChangeStepSerializer, responses=ChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, services.withdraw_change_request, ChangeStepSerializer)

    @extend_schema(
        summary="Mark implemented", request=ChangeImplementationSerializer, responses=ChangeRequestSerializer
    )
    @action(detail=True, methods=["post"])
    def implement(self, request, pk=None):
        return self._step(request, services.implement_change_request, ChangeImplementationSerializer)

    @extend_schema(
        summary="Impact and routing",
        description="The last impact analysis, whether the plan moved on since, and which board decides.",
        responses=ChangeImpactSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def impact(self, request, pk=None):
        change = self.get_object()
        return Response(ChangeImpactSerializer(services.change_impact(change)).data)


class ConfigurationItemViewSet(CreateAndUpdateViewSet):
    """Products, deliverables and other items under configuration control, with their versions."""

    queryset = ConfigurationItem.objects.none()
    serializer_class = ConfigurationItemSerializer
    create_serializer_class = ConfigurationItemCreateSerializer
    filterset_class = ConfigurationItemFilterSet
    ordering_fields = ("identifier", "name", "status", *TIMESTAMPS)
    search_fields = ("identifier", "name")
    service_object_argument = "item"
    update_service = staticmethod(services.update_configuration_item)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        instance = services.create_configuration_item(
            actor=request.user, project=fields.pop("project"), reason=fields.pop("reason", ""), **fields
        )
        return _created(self, instance)

    @extend_schema(summary="Versions", responses=ConfigurationItemVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def versions(self, request, pk=None):
        item = self.get_object()
        page = self.paginate_queryset(item.versions.all())
        return self.get_paginated_response(ConfigurationItemVersionSerializer(page, many=True).data)


class QualityReviewViewSet(CreateAndUpdateViewSet):
    """Quality reviews of configuration items or deliverables: checklist, reviewers, result and
    follow-up actions (``record-result``)."""

    queryset = QualityReview.objects.none()
    serializer_class = QualityReviewSerializer
    create_serializer_class = QualityReviewCreateSerializer
    filterset_class = QualityReviewFilterSet
    prefetch_related_lookups = ("criteria", "reviewers")
    ordering_fields = ("planned_on", "held_on", "result", *TIMESTAMPS)
    search_fields = ("title", "deliverable")
    service_object_argument = "review"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        instance = services.create_quality_review(
            actor=request.user,
            project=fields.pop("project"),
            reason=fields.pop("reason", ""),
            reviewers=fields.pop("reviewers", []),
            criteria=fields.pop("checklist", []),
            **fields,
        )
        return _created(self, instance)

    @staticmethod
    def update_service(*, actor, review, changes, reason=""):
        return services.update_quality_review(
            actor=actor,
            review=review,
            reviewers=changes.pop("reviewers", None),
            criteria=changes.pop("checklist", None),
            changes=changes,
            reason=reason,
        )

    @extend_schema(summary="Record the result", request=ReviewResultSerializer, responses=QualityReviewSerializer)
    @action(detail=True, methods=["post"], url_path="record-result")
    def record_result(self, request, pk=None):
        review = self.get_object()
        serializer = ReviewResultSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        outcomes = {row["criterion"]: (row["outcome"], row.get("note", "")) for row in data.pop("outcomes", [])}
        review = services.record_review_result(
            actor=request.user,
            review=review,
            outcomes=outcomes,
            actions=[dict(row) for row in data.pop("actions", [])],
            **data,
        )
        return Response(self.representation(review))


class ApprovalPolicyViewSet(CreateAndUpdateViewSet):
    """The project board's limits (cost, days of delay) for the organisation, a programme or a
    project; a change above either limit goes to the programme board."""

    queryset = ApprovalPolicy.objects.none()
    serializer_class = ApprovalPolicySerializer
    create_serializer_class = ApprovalPolicyCreateSerializer
    filterset_class = ApprovalPolicyFilterSet
    select_related_fields = ("programme", "project")
    ordering_fields = ("cost_limit", "delay_days_limit", *TIMESTAMPS)
    search_fields = ("notes",)
    service_object_argument = "policy"
    update_service = staticmethod(services.update_policy)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        instance = services.create_policy(
            actor=request.user,
            programme=fields.pop("programme", None),
            project=fields.pop("project", None),
            reason=fields.pop("reason", ""),
            **fields,
        )
        return _created(self, instance)
