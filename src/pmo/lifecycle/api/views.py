"""Views of the lifecycle API: the PMO charter, terms of reference, standards, gate criteria, gate
reviews with their checklists and approvals, and the gate state of each project."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from pmo.core.api.serializers import ReasonSerializer
from pmo.core.api.views import (
    ApiViewSet,
    ArchivableViewSet,
    HistoryMixin,
    ReadViewSet,
    UpdateThroughServiceMixin,
)
from pmo.core.choices import Action
from pmo.core.errors import NotFound
from pmo.lifecycle import services
from pmo.lifecycle.api.serializers import (
    GateApprovalSerializer,
    GateCheckItemSerializer,
    GateCriterionSerializer,
    GateDecisionSerializer,
    GateReviewSerializer,
    GateStateSerializer,
    NewTermsSerializer,
    OpenReviewSerializer,
    PMOCharterSerializer,
    StandardSerializer,
    StopProjectSerializer,
    TermsOfReferenceSerializer,
)
from pmo.lifecycle.filtersets import (
    GateApprovalFilterSet,
    GateCheckItemFilterSet,
    GateCriterionFilterSet,
    GateReviewFilterSet,
    PMOCharterFilterSet,
    StandardFilterSet,
    TermsOfReferenceFilterSet,
)
from pmo.lifecycle.models import (
    GateApproval,
    GateCheckItem,
    GateCriterion,
    GateReview,
    PMOCharter,
    Standard,
    TermsOfReference,
)
from pmo.lifecycle.services.gates import EVIDENCE_FIELDS
from pmo.portfolio.models import Project

TIMESTAMPS = ("created_at", "updated_at")


def _visible_project(user, pk) -> Project:
    project = Project.objects.visible_to(user, Action.VIEW).filter(pk=pk).first()
    if project is None:
        raise NotFound(f"No project with id {pk} is visible to you.")
    return project


class PMOCharterViewSet(UpdateThroughServiceMixin, ReadViewSet):
    """Versions of the PMO charter, newest first. ``POST`` starts a new draft (a copy of the latest
    version); a draft is changed with PATCH and put in force with ``{id}/publish/`` (PMO head or
    administrator); published versions are frozen. The PMO model in force is the latest published
    version's."""

    queryset = PMOCharter.objects.none()
    serializer_class = PMOCharterSerializer
    filterset_class = PMOCharterFilterSet
    select_related_fields = ("published_by",)
    ordering_fields = ("version", "published_at", *TIMESTAMPS)
    service_object_argument = "charter"
    update_service = staticmethod(services.update_charter)

    @extend_schema(summary="Start a new draft", request=ReasonSerializer, responses={201: PMOCharterSerializer})
    def create(self, request, *args, **kwargs):
        draft = services.start_charter_draft(actor=request.user, reason=self.validated_reason(request))
        return Response(self.representation(draft), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Publish: put this version in force", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        charter = services.publish_charter(
            actor=request.user, charter=self.get_object(), reason=self.validated_reason(request)
        )
        return Response(self.representation(charter))


class TermsOfReferenceViewSet(UpdateThroughServiceMixin, ReadViewSet):
    """Versions of each project's terms of reference. ``POST`` with a project starts its next draft;
    PATCH changes a draft; ``{id}/publish/`` freezes it."""

    queryset = TermsOfReference.objects.none()
    serializer_class = TermsOfReferenceSerializer
    filterset_class = TermsOfReferenceFilterSet
    select_related_fields = ("project", "published_by")
    ordering_fields = ("version", "published_at", *TIMESTAMPS)
    service_object_argument = "terms"
    update_service = staticmethod(services.update_terms)

    @extend_schema(
        summary="Start a project's next draft", request=NewTermsSerializer, responses={201: TermsOfReferenceSerializer}
    )
    def create(self, request, *args, **kwargs):
        body = NewTermsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = _visible_project(request.user, body.validated_data["project"])
        terms = services.start_terms_draft(
            actor=request.user, project=project, reason=body.validated_data.get("reason", "")
        )
        return Response(self.representation(terms), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Publish: freeze this version", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        terms = services.publish_terms(
            actor=request.user, terms=self.get_object(), reason=self.validated_reason(request)
        )
        return Response(self.representation(terms))


class StandardViewSet(UpdateThroughServiceMixin, ReadViewSet):
    """The PMO's standards library: methods, templates and tailoring guidance. Filter with
    ``project_type`` for the standards that apply to a kind of project."""

    queryset = Standard.objects.none()
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet
    ordering_fields = ("title", "version", "status", *TIMESTAMPS)
    service_object_argument = "standard"
    update_service = staticmethod(services.update_standard)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        reason = fields.pop("reason", "")
        standard = services.create_standard(actor=request.user, reason=reason, **fields)
        return Response(self.representation(standard), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Publish", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        standard = services.publish_standard(
            actor=request.user, standard=self.get_object(), reason=self.validated_reason(request)
        )
        return Response(self.representation(standard))

    @extend_schema(summary="Retire", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        standard = services.retire_standard(
            actor=request.user, standard=self.get_object(), reason=self.validated_reason(request)
        )
        return Response(self.representation(standard))


class GateCriterionViewSet(ArchivableViewSet):
    """The checklist of each gate, kept by the PMO: a review copies its gate's criteria when it opens."""

    queryset = GateCriterion.objects.none()
    serializer_class = GateCriterionSerializer
    filterset_class = GateCriterionFilterSet
    ordering_fields = ("stage", "order", *TIMESTAMPS)
    service_object_argument = "criterion"
    create_service = staticmethod(services.create_criterion)
    update_service = staticmethod(services.update_criterion)
    archive_service = staticmethod(services.archive_criterion)


class GateReviewViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Reviews of projects at their gates, with their checklists and approvals. ``POST`` opens the
    review of a project's next gate; ``{id}/decide/`` records an approver's decision (go, go with
    conditions, hold, stop)."""

    queryset = GateReview.objects.none()
    serializer_class = GateReviewSerializer
    filterset_class = GateReviewFilterSet
    select_related_fields = ("project",)
    prefetch_related_lookups = (
        Prefetch("items", queryset=GateCheckItem.objects.order_by("order", "id")),
        Prefetch("approvals", queryset=GateApproval.objects.order_by("role")),
    )
    ordering_fields = ("created_at", "decided_at")

    @extend_schema(summary="Open a review", request=OpenReviewSerializer, responses={201: GateReviewSerializer})
    def create(self, request, *args, **kwargs):
        body = OpenReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        review = services.open_review(
            actor=request.user,
            project=_visible_project(request.user, data["project"]),
            to_stage=data.get("to_stage"),
            reason=data.get("reason", ""),
        )
        return Response(self.representation(review), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Record an approver's decision", request=GateDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        review = self.get_object()
        body = GateDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.decide(
            actor=request.user,
            review=review,
            decision=data["decision"],
            role=data.get("role"),
            comment=data.get("comment", ""),
            conditions="\n".join(data.get("conditions", [])),
            reason=data.get("reason", ""),
        )
        return Response(self.representation(review))


class GateCheckItemViewSet(ReadViewSet):
    """The criteria of reviews and their evidence. PATCH records evidence: a link, a figure with
    its unit, a note, or (multipart) a document."""

    queryset = GateCheckItem.objects.none()
    serializer_class = GateCheckItemSerializer
    filterset_class = GateCheckItemFilterSet
    parser_classes = (JSONParser, MultiPartParser, FormParser)
    ordering_fields = ("order", "evidenced_at")

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = services.record_evidence(
            actor=request.user,
            item=item,
            changes={name: data[name] for name in EVIDENCE_FIELDS if name in data},
            document=data.get("document"),
            reason=data.get("reason", ""),
        )
        return Response(self.representation(item))


class GateApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Approvers' decisions on reviews, read-only: they are given with ``gate-reviews/{id}/decide/``."""

    queryset = GateApproval.objects.none()
    serializer_class = GateApprovalSerializer
    filterset_class = GateApprovalFilterSet
    ordering_fields = ("created_at",)


class ProjectGateViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    """What each project's next move needs under the PMO model in force; ``{id}/stop/`` is the
    directive PMO stopping the project."""

    queryset = Project.objects.none()
    serializer_class = GateStateSerializer
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().order_by("code")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(GateStateSerializer(services.gate_states(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(GateStateSerializer(services.gate_state(self.get_object())).data)

    @extend_schema(
        summary="Stop the project (directive PMO)", request=StopProjectSerializer, responses=GateStateSerializer
    )
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        body = StopProjectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.stop_project(
            actor=request.user, project=self.get_object(), reason=body.validated_data["reason"]
        )
        return Response(GateStateSerializer(services.gate_state(project)).data)


def register(router) -> None:
    router.register("pmo-charters", PMOCharterViewSet, basename="pmo-charter")
    router.register("terms-of-reference", TermsOfReferenceViewSet, basename="terms-of-reference")
    router.register("standards", StandardViewSet, basename="standard")
    router.register("gate-criteria", GateCriterionViewSet, basename="gate-criterion")
    router.register("gate-reviews", GateReviewViewSet, basename="gate-review")
    router.register("gate-check-items", GateCheckItemViewSet, basename="gate-check-item")
    router.register("gate-approvals", GateApprovalViewSet, basename="gate-approval")
    router.register("project-gates", ProjectGateViewSet, basename="project-gate")
