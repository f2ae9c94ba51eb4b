"""API: timesheets and their approvals.

``timesheets``: the weeks the user may read (their own, those with a part they may decide, every
week for a role that views across the organisation); ``POST`` gives the week of a resource, made
as a draft on first use; ``PUT {id}/lines/`` replaces its lines; ``POST {id}/submit/`` sends it
for approval; ``POST {id}/reopen/`` unlocks an approved week. ``timesheet-approvals``: the parts
of submitted weeks, one per project (or one for the PMO); ``POST {id}/approve/`` and
``{id}/reject/`` decide one. The services check every rule; the views only parse and call them.
"""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pmo.core.api.serializers import ReasonSerializer, VisibleRelatedField
from pmo.core.api.views import ApiViewSet, HistoryMixin
from pmo.core.choices import Action
from pmo.core.filtersets import IdFilter
from pmo.planning.models import Activity
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ApprovalStatus, NonProjectCategory, TimesheetStatus
from pmo.resourcing.models import Resource, Timesheet, TimesheetApproval, TimesheetLine, week_of
from pmo.resourcing.selectors import timesheets as selectors
from pmo.resourcing.services import timesheets as services

TIMESTAMPS = ("created_at", "updated_at")


# --- serializers -----------------------------------------------------------------------------


class TimesheetLineSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="What the line books to, as shown on screen.")
    hours = serializers.ListField(
        child=serializers.FloatField(), read_only=True, help_text="Seven numbers of hours, Monday first."
    )

    class Meta:
        model = TimesheetLine
        fields = [
            "id",
            "project",
            "activity",
            "category",
            "label",
            "is_billable",
            "hours",
            "total_hours",
            "cost",
            "note",
        ]
        read_only_fields = fields


class TimesheetPartSerializer(serializers.ModelSerializer):
    """A part of a week as shown on the week: who decides it and how it stands."""

    # Plain text here: the choice set is documented once, on the part's own resource.
    status = serializers.CharField(read_only=True, help_text="pending, approved or rejected.")
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TimesheetApproval
        fields = ["id", "project", "status", "decided_by", "decided_at", "comment"]
        read_only_fields = fields


class TimesheetSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:timesheet-detail")
    display = serializers.CharField(source="__str__", read_only=True, help_text="How the week is named on screen.")
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    is_editable = serializers.BooleanField(read_only=True, help_text="Whether its owner can still change it.")
    lines = TimesheetLineSerializer(many=True, read_only=True)
    approvals = TimesheetPartSerializer(many=True, read_only=True)

    class Meta:
        model = Timesheet
        fields = [
            "id",
            "url",
            "display",
            "resource",
            "resource_name",
            "week_start",
            "status",
            "is_editable",
            "submitted_at",
            "approved_at",
            "total_hours",
            "lines",
            "approvals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TimesheetCreateSerializer(serializers.Serializer):
    resource = VisibleRelatedField(queryset=Resource.objects.all(), help_text="Whose week (a named person).")
    week_start = serializers.DateField(help_text="Any day of the week; the week is named by its Monday.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Kept in the audit trail.")


class TimesheetTargetField(serializers.PrimaryKeyRelatedField):
    """A project or activity id among those the user can see or the week's resource works on,
    so that ids cannot be used to find out about other projects."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        timesheet = self.context.get("timesheet")
        user = getattr(request, "user", None)
        visible = queryset.visible_to(user, Action.VIEW).values("pk")
        if timesheet is None:
            return queryset.filter(pk__in=visible)
        worked = (
            Q(assignments__resource_id=timesheet.resource_id) | Q(allocations__resource_id=timesheet.resource_id)
            if queryset.model is Project
            else Q(assignments__resource_id=timesheet.resource_id)
        )
        return queryset.filter(Q(pk__in=visible) | Q(pk__in=queryset.model.objects.filter(worked).values("pk")))


class TimesheetLineInputSerializer(serializers.Serializer):
    project = TimesheetTargetField(
        queryset=Project.objects.all(), required=False, allow_null=True, help_text="The project (for project work)."
    )
    activity = TimesheetTargetField(
        queryset=Activity.objects.all(),
        required=False,
        allow_null=True,
        help_text="The activity, when the hours go to one (its project is taken when no project is given).",
    )
    category = serializers.ChoiceField(
        choices=NonProjectCategory.choices,
        required=False,
        allow_blank=True,
        help_text="The kind of non-project time, instead of a project.",
    )
    is_billable = serializers.BooleanField(
        required=False, help_text="Whether the hours are billed; when left out, as the assignment says."
    )
    hours = serializers.ListField(
        child=serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False),
        min_length=7,
        max_length=7,
        help_text="Seven numbers of hours, Monday first, each from 0 to 24 with at most two decimals.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TimesheetLinesSerializer(serializers.Serializer):
    lines = TimesheetLineInputSerializer(
        many=True, help_text="Every line of the week; lines whose hours are all zero are dropped."
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Kept in the audit trail.")


class TimesheetApprovalSerializer(serializers.ModelSerializer):
    """A part of a submitted week for its approver: whose week, which project, the hours."""

    url = serializers.HyperlinkedIdentityField(view_name="api:timesheet-approval-detail")
    display = serializers.CharField(source="__str__", read_only=True, help_text="How the part is named on screen.")
    timesheet = serializers.HyperlinkedRelatedField(view_name="api:timesheet-detail", read_only=True)
    resource = serializers.IntegerField(source="timesheet.resource_id", read_only=True)
    resource_name = serializers.CharField(source="timesheet.resource.name", read_only=True)
    week_start = serializers.DateField(source="timesheet.week_start", read_only=True)
    timesheet_status = serializers.CharField(source="timesheet.status", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lines = serializers.SerializerMethodField(help_text="The lines of the week that this part decides on.")
    total_hours = serializers.SerializerMethodField()
    billable_hours = serializers.SerializerMethodField()

    class Meta:
        model = TimesheetApproval
        fields = [
            "id",
            "url",
            "display",
            "timesheet",
            "resource",
            "resource_name",
            "week_start",
            "timesheet_status",
            "project",
            "status",
            "decided_by",
            "decided_at",
            "comment",
            "total_hours",
            "billable_hours",
            "lines",
        ]
        read_only_fields = fields

    def _item(self, approval) -> selectors.QueueItem:
        return selectors.QueueItem(approval=approval, lines=selectors.part_lines(approval))

    @extend_schema_field(TimesheetLineSerializer(many=True))
    def get_lines(self, approval) -> list:
        return TimesheetLineSerializer(self._item(approval).lines, many=True).data

    def get_total_hours(self, approval) -> str:
        return str(self._item(approval).total)

    def get_billable_hours(self, approval) -> str:
        return str(self._item(approval).billable_hours)


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, help_text="Why the hours are rejected (needed to reject), or a note."
    )


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the approved week is reopened; kept in the audit trail.")


# --- filters ---------------------------------------------------------------------------------


class TimesheetFilterSet(django_filters.FilterSet):
    week = django_filters.DateFilter(method="filter_week", label="Any day of the week")
    resource = IdFilter(field_name="resource_id", label="Resource (id)")
    status = django_filters.ChoiceFilter(choices=TimesheetStatus.choices)

    class Meta:
        model = Timesheet
        fields = ["week", "resource", "status"]

    def filter_week(self, queryset, name, value):
        return queryset.filter(week_start=week_of(value))


class TimesheetApprovalFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices)
    project = IdFilter(field_name="project_id", label="Project (id)")
    is_waiting_for_me = django_filters.BooleanFilter(
        method="filter_waiting", label="Only the parts waiting for my decision"
    )

    class Meta:
        model = TimesheetApproval
        fields = ["status", "project", "is_waiting_for_me"]

    def filter_waiting(self, queryset, name, value):
        waiting = selectors.decidable_approvals(self.request.user).values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)


# --- views -----------------------------------------------------------------------------------


class TimesheetViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Weekly timesheets. Lines are replaced with ``PUT {id}/lines/``; the week moves on with
    ``submit`` (its owner) and ``reopen`` (a role with change across the organisation)."""

    queryset = Timesheet.objects.none()
    serializer_class = TimesheetSerializer
    filterset_class = TimesheetFilterSet
    ordering_fields = ("week_start", "status", "total_hours", *TIMESTAMPS)
    ordering = ("-week_start", "resource__name", "pk")

    def get_queryset(self):
        return (
            selectors.timesheets_visible_to(self.request.user)
            .select_related("resource")
            .prefetch_related(
                Prefetch("lines", queryset=TimesheetLine.objects.select_related("project", "activity").order_by("id")),
                Prefetch("approvals", queryset=TimesheetApproval.objects.select_related("decided_by")),
            )
        )

    @extend_schema(
        summary="The week of a resource",
        description="Returns the resource's timesheet for the week holding week_start, made as a draft on first use "
        "(201) or as it stands (200). Its owner, or a role with change across the organisation, may ask.",
        request=TimesheetCreateSerializer,
        responses={200: TimesheetSerializer, 201: TimesheetSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = TimesheetCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        existed = Timesheet.objects.filter(resource=data["resource"], week_start=week_of(data["week_start"])).exists()
        timesheet = services.week_for(
            actor=request.user, resource=data["resource"], week_start=data["week_start"], reason=data.get("reason", "")
        )
        answer = self.representation(timesheet)
        if existed:
            return Response(answer)
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Location": str(answer["url"])})

    @extend_schema(
        summary="Replace the lines of the week",
        description="Every line of a draft or rejected week in one go; everything is checked before anything is "
        "written, and each problem names its line and day.",
        request=TimesheetLinesSerializer,
        responses={200: TimesheetSerializer},
    )
    @action(detail=True, methods=["put"], filter_backends=[], pagination_class=None)
    def lines(self, request, pk=None):
        timesheet = self.get_object()
        context = {**self.get_serializer_context(), "timesheet": timesheet}
        body = TimesheetLinesSerializer(data=request.data, context=context)
        body.is_valid(raise_exception=True)
        timesheet = services.save_lines(
            actor=request.user,
            timesheet=timesheet,
            lines=[dict(line) for line in body.validated_data["lines"]],
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.representation(timesheet))

    @extend_schema(
        summary="Submit the week for approval",
        description="Asks every project the week books time to (or the PMO, for a week of non-project time only).",
        request=ReasonSerializer,
        responses={200: TimesheetSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request, pk=None):
        timesheet = self.get_object()
        reason = self.validated_reason(request)
        timesheet = services.submit(actor=request.user, timesheet=timesheet, reason=reason)
        return Response(self.representation(timesheet))

    @extend_schema(
        summary="Reopen an approved week",
        description="Unlocks an approved week for a correction: it becomes a draft and leaves the actuals until it "
        "is approved again. Needs a role with change across the organisation.",
        request=ReopenSerializer,
        responses={200: TimesheetSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request, pk=None):
        timesheet = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        timesheet = services.reopen(actor=request.user, timesheet=timesheet, reason=body.validated_data["reason"])
        return Response(self.representation(timesheet))


class TimesheetApprovalViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The parts of submitted weeks: one per project the week books time to, decided by whoever
    may change the project, or one for a week of non-project time, decided by the PMO. Nobody
    decides on their own week."""

    queryset = TimesheetApproval.objects.none()
    serializer_class = TimesheetApprovalSerializer
    filterset_class = TimesheetApprovalFilterSet
    ordering_fields = ("status", "decided_at")
    ordering = ("-timesheet__week_start", "timesheet__resource__name", "project__code", "pk")

    def get_queryset(self):
        return (
            selectors.approvals_visible_to(self.request.user)
            .select_related("timesheet__resource", "project", "decided_by")
            .prefetch_related(
                Prefetch(
                    "timesheet__lines",
                    queryset=TimesheetLine.objects.select_related("project", "activity").order_by("id"),
                )
            )
        )

    def _decide(self, request, *, approve: bool):
        approval = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        approval = services.decide(
            actor=request.user, approval=approval, approve=approve, comment=body.validated_data.get("comment", "")
        )
        return Response(self.representation(approval))

    @extend_schema(summary="Approve the part", request=DecisionSerializer, responses={200: TimesheetApprovalSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request, pk=None):
        return self._decide(request, approve=True)

    @extend_schema(
        summary="Reject the part",
        description="Sends the week back to its owner to correct; the comment saying why is needed.",
        request=DecisionSerializer,
        responses={200: TimesheetApprovalSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reject(self, request, pk=None):
        return self._decide(request, approve=False)


def register(router) -> None:
    router.register("timesheets", TimesheetViewSet, basename="timesheet")
    router.register("timesheet-approvals", TimesheetApprovalViewSet, basename="timesheet-approval")
