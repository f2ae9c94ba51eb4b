"""API: rebalancing runs (POST asks the optimiser) and their proposals (accept or reject each)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.serializers import VisibleRelatedField
from pmo.core.api.views import ApiViewSet, ReadViewSet
from pmo.core.errors import PermissionRefused
from pmo.core.filtersets import IdFilter
from pmo.core.models import OrganisationUnit
from pmo.resourcing.choices import ProposalStatus
from pmo.resourcing.models import RebalanceProposal, RebalanceRun
from pmo.resourcing.selectors.rebalancing import MAX_SECONDS, MAX_WEEKS, plan_rebalancing
from pmo.resourcing.services import rebalancing as services


class ProposalSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:rebalance-proposal-detail")
    activity_name = serializers.CharField(source="assignment.activity.name", read_only=True)

    class Meta:
        model = RebalanceProposal
        fields = [
            "id",
            "url",
            "run",
            "project",
            "assignment",
            "activity_name",
            "from_resource",
            "to_resource",
            "hours",
            "overload_removed_hours",
            "reason",
            "status",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:rebalance-run-detail")

    class Meta:
        model = RebalanceRun
        fields = [
            "id",
            "url",
            "requested_by",
            "created_at",
            "start",
            "weeks",
            "unit",
            "overload_threshold",
            "status",
            "is_optimal",
            "movable_items",
            "overload_before_hours",
            "overload_after_hours",
            "seconds",
        ]
        read_only_fields = fields


class RunRequestSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The horizon starts on the Monday of this date's week.")
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_WEEKS, default=12)
    unit = VisibleRelatedField(queryset=OrganisationUnit.objects.all(), required=False, allow_null=True)
    overload_threshold = serializers.FloatField(min_value=0.5, max_value=2.0, default=1.0)
    max_seconds = serializers.FloatField(min_value=1, max_value=MAX_SECONDS, default=10.0)


class RunWithProposalsSerializer(RunSerializer):
    proposals = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "proposals"]
        read_only_fields = fields

    @extend_schema_field(ProposalSerializer(many=True))
    def get_proposals(self, run) -> list[dict]:
        return ProposalSerializer(self.context["proposals"], many=True, context=self.context).data


class ProposalDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProposalFilterSet(django_filters.FilterSet):
    run = IdFilter(field_name="run_id")
    project = IdFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)

    class Meta:
        model = RebalanceProposal
        fields = ["run", "project", "status"]


class RebalanceRunViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Runs of the rebalancing optimiser. ``POST`` runs it (synchronously, within ``max_seconds``
    of solver time) over ``weeks`` weeks from ``start`` and answers the run with its proposals."""

    queryset = RebalanceRun.objects.none()
    serializer_class = RunSerializer
    select_related_fields = ("unit",)
    ordering_fields = ("created_at",)

    @extend_schema(request=RunRequestSerializer, responses={201: RunWithProposalsSerializer})
    def create(self, request, *args, **kwargs):
        ask = RunRequestSerializer(data=request.data, context=self.get_serializer_context())
        ask.is_valid(raise_exception=True)
        data = ask.validated_data
        if not services.may_rebalance(request.user):
            raise PermissionRefused(
                "Rebalancing needs a role that reads across the organisation or that may change projects."
            )
        computed = plan_rebalancing(
            request.user,
            start=data["start"],
            weeks=data["weeks"],
            unit=data.get("unit"),
            overload_threshold=data["overload_threshold"],
            max_seconds=data["max_seconds"],
        )
        plan = computed.plan
        run = services.record_run(
            actor=request.user,
            start=computed.start,
            weeks=computed.weeks,
            unit=computed.unit,
            overload_threshold=computed.overload_threshold,
            status=plan.status,
            is_optimal=plan.is_optimal,
            movable_items=plan.movable_item_count,
            overload_before_hours=plan.overload_before_hours,
            overload_after_hours=plan.overload_after_hours,
            seconds=plan.seconds,
            moves=computed.moves,
        )
        proposals = (
            RebalanceProposal.objects.visible_to(request.user).filter(run=run).select_related("assignment__activity")
        )
        context = {**self.get_serializer_context(), "proposals": proposals}
        return Response(RunWithProposalsSerializer(run, context=context).data, status=status.HTTP_201_CREATED)


class RebalanceProposalViewSet(ReadViewSet):
    """Proposed moves; ``accept`` reassigns the assignment (the project's manager decides)."""

    queryset = RebalanceProposal.objects.none()
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    select_related_fields = ("assignment__activity",)
    ordering_fields = ("overload_removed_hours", "hours")

    def _decide(self, request, service):
        proposal = self.get_object()
        decision = ProposalDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        service(actor=request.user, proposal=proposal, reason=decision.validated_data.get("reason", ""))
        return Response(self.representation(proposal))

    @extend_schema(summary="Accept: move the assignment", request=ProposalDecisionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, services.accept)

    @extend_schema(summary="Reject", request=ProposalDecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.reject)


def register(router) -> None:
    router.register("rebalance-runs", RebalanceRunViewSet, basename="rebalance-run")
    router.register("rebalance-proposals", RebalanceProposalViewSet, basename="rebalance-proposal")
