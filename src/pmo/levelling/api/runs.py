"""API: levelling runs. ``POST`` queues one (202: poll the run until its state is ``ready`` or
``failed``), ``scenario`` reads the moved dates and the load before and after, ``accept`` writes
the dates into the plans, ``discard`` sets the scenario aside."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.views import ApiViewSet, HistoryMixin
from pmo.core.choices import Action
from pmo.core.errors import NotFound
from pmo.core.filtersets import IdFilter
from pmo.levelling import services
from pmo.levelling.choices import Goal, RunState, Scope
from pmo.levelling.models import LevellingMove, LevellingRun

TARGET_FIELDS = ("project", "programme", "portfolio")


class LevellingRunSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:levelling-run-detail")

    class Meta:
        model = LevellingRun
        fields = [
            "id",
            "url",
            "scope",
            "project",
            "programme",
            "portfolio",
            "requested_by",
            "created_at",
            "level_from",
            "goal",
            "keep_plan",
            "time_limit_seconds",
            "weights",
            "state",
            "progress",
            "message",
            "started_at",
            "finished_at",
            "solver_status",
            "method",
            "activities_count",
            "resources_count",
            "objective",
            "lower_bound",
            "gap",
            "finish_before",
            "finish_after",
            "overload_before_hours",
            "overload_after_hours",
            "moved_count",
            "seconds",
            "outcomes",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class LevellingRequestSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices)
    target = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The id of the project, programme or portfolio; none for the whole organisation.",
    )

    def validate(self, data):
        if data["scope"] != Scope.ORGANISATION and "target" not in data:
            raise serializers.ValidationError({"target": f"A {data['scope']} levelling names its {data['scope']}."})
        if data["scope"] == Scope.ORGANISATION and "target" in data:
            raise serializers.ValidationError({"target": "The whole organisation's levelling takes no target."})
        return data

    level_from = serializers.DateField(
        required=False, help_text="Nothing moves to before this day (today when not given)."
    )
    goal = serializers.ChoiceField(choices=Goal.choices, default=Goal.MAKESPAN)
    keep_plan = serializers.BooleanField(default=True)
    time_limit_seconds = serializers.IntegerField(min_value=1, max_value=services.MAX_TIME_LIMIT, default=10)
    weights = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=1000),
        required=False,
        help_text="Priority weight per project id, for the least-delay goal (1 when not given).",
    )


class LevellingMoveSerializer(serializers.ModelSerializer):
    activity_name = serializers.CharField(source="activity.name", read_only=True)

    class Meta:
        model = LevellingMove
        fields = [
            "activity",
            "activity_name",
            "project",
            "start_before",
            "finish_before",
            "start_after",
            "finish_after",
            "shift_hours",
            "delay_minutes",
            "is_fixed",
        ]
        read_only_fields = fields


class LevellingScenarioSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    state = serializers.CharField()
    moves = LevellingMoveSerializer(many=True)
    load = serializers.JSONField(help_text="Days, and per person the daily peak load in % before and after.")


class LevellingDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LevellingRunFilterSet(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(choices=Scope.choices)
    state = django_filters.ChoiceFilter(choices=RunState.choices)
    project = IdFilter(field_name="project_id")
    programme = IdFilter(field_name="programme_id")
    portfolio = IdFilter(field_name="portfolio_id")

    class Meta:
        model = LevellingRun
        fields = ["scope", "state", "project", "programme", "portfolio"]


class LevellingRunViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Levelling runs of projects, programmes and portfolios, for whoever holds the right on the
    target itself."""

    queryset = LevellingRun.objects.none()
    serializer_class = LevellingRunSerializer
    filterset_class = LevellingRunFilterSet
    ordering_fields = ("created_at",)

    @extend_schema(request=LevellingRequestSerializer, responses={202: LevellingRunSerializer})
    def create(self, request, *args, **kwargs):
        ask = LevellingRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        data = ask.validated_data
        target = None
        if data["scope"] != Scope.ORGANISATION:
            model = services.TARGET_MODELS[Scope(data["scope"])]
            target = model.objects.visible_to(request.user, Action.VIEW).filter(pk=data["target"]).first()
            if target is None:
                raise NotFound(f"No {model._meta.verbose_name} with id {data['target']} is visible to you.")
        run = services.start_run(
            actor=request.user,
            scope=data["scope"],
            target=target,
            goal=data["goal"],
            keep_plan=data["keep_plan"],
            time_limit_seconds=data["time_limit_seconds"],
            weights=data.get("weights") or {},
            level_from=data.get("level_from"),
        )
        return Response(self.representation(run), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The scenario: every levelled activity's dates, and the load", responses=LevellingScenarioSerializer
    )
    @action(detail=True, methods=["get"])
    def scenario(self, request, pk=None):
        run = self.get_object()
        moves = run.moves.select_related("activity").order_by("id")
        return Response(
            {
                "run": run.pk,
                "state": run.state,
                "moves": LevellingMoveSerializer(moves, many=True).data,
                "load": run.load,
            }
        )

    def _decide(self, request, service):
        run = self.get_object()
        decision = LevellingDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        service(actor=request.user, run=run, reason=decision.validated_data.get("reason", ""))
        return Response(self.representation(run))

    @extend_schema(summary="Accept: write the scenario's dates into the plans", request=LevellingDecisionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, services.accept_run)

    @extend_schema(summary="Discard: leave the plans as they are", request=LevellingDecisionSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return self._decide(request, services.discard_run)


def register(router) -> None:
    router.register("levelling-runs", LevellingRunViewSet, basename="levelling-run")
