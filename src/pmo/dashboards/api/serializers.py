"""The shape of the dashboards' answers, for the OpenAPI schema (the views answer the selector's
plain data, the same figures as the pages)."""

from rest_framework import serializers


class DashboardStatusCountsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    not_assessed = serializers.IntegerField()


class DashboardManagerRagSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()


class DashboardDimensionCountsSerializer(DashboardStatusCountsSerializer):
    dimension = serializers.CharField()
    label = serializers.CharField()


class DashboardEvmSerializer(serializers.Serializer):
    bac = serializers.FloatField(allow_null=True, help_text="Budget at completion.")
    pv = serializers.FloatField(allow_null=True)
    ev = serializers.FloatField(allow_null=True)
    ac = serializers.FloatField(allow_null=True)
    sv = serializers.FloatField(allow_null=True, help_text="EV - PV.")
    cv = serializers.FloatField(allow_null=True, help_text="EV - AC.")
    spi = serializers.FloatField(allow_null=True, help_text="Total EV over total PV.")
    cpi = serializers.FloatField(allow_null=True, help_text="Total EV over total AC.")
    eac = serializers.FloatField(allow_null=True, help_text="BAC / CPI.")
    etc = serializers.FloatField(allow_null=True)
    vac = serializers.FloatField(allow_null=True, help_text="BAC - EAC.")
    tcpi = serializers.FloatField(allow_null=True)
    percent_complete = serializers.FloatField(allow_null=True)
    projects_recorded = serializers.IntegerField(help_text="Projects with a snapshot.")
    projects_with_baseline = serializers.IntegerField()
    period_end = serializers.DateField(allow_null=True, help_text="The latest snapshot's period end.")


class DashboardPerformancePointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    spi = serializers.FloatField()
    cpi = serializers.FloatField()
    bac = serializers.FloatField(allow_null=True)
    health = serializers.CharField()
    health_label = serializers.CharField()
    url = serializers.CharField()


class DashboardSeriesPointSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    pv = serializers.FloatField(allow_null=True)
    ev = serializers.FloatField(allow_null=True)
    ac = serializers.FloatField(allow_null=True)


class DashboardMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    project_id = serializers.IntegerField()
    project_code = serializers.CharField()
    project_name = serializers.CharField()
    forecast = serializers.DateField()
    baseline = serializers.DateField(allow_null=True, help_text="The primary baseline's date.")
    slip_days = serializers.FloatField(allow_null=True, help_text="Forecast minus baseline, in calendar days.")
    is_critical = serializers.BooleanField()
    url = serializers.CharField()


class DashboardMilestonesSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    to = serializers.DateField()
    count = serializers.IntegerField(help_text="Milestones due in the window.")
    late = serializers.IntegerField(help_text="Of them, forecast after their baseline date.")
    items = DashboardMilestoneSerializer(many=True, help_text="The soonest ones.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class DashboardRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    nature = serializers.CharField()
    register = serializers.CharField(help_text="The project's, programme's or portfolio's code.")
    project_id = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField()
    residual_score = serializers.IntegerField(allow_null=True)
    rank = serializers.IntegerField(help_text="Residual score, else the inherent score.")
    band = serializers.CharField()
    owner = serializers.CharField()
    url = serializers.CharField()


class DashboardRisksSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    items = DashboardRiskSerializer(many=True)


class DashboardValueRiskCostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(help_text="Weight of the objectives served, shared by contribution.")
    risk_exposure = serializers.FloatField()
    cost = serializers.FloatField(help_text="BAC, else the approved budget.")
    health = serializers.CharField()
    health_label = serializers.CharField()
    url = serializers.CharField()


class DashboardLoadBandSerializer(serializers.Serializer):
    band = serializers.CharField()
    label = serializers.CharField()
    projects = serializers.IntegerField()


class DashboardOverloadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    overloaded_people = serializers.IntegerField()
    overload_pct = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class DashboardCapacitySerializer(serializers.Serializer):
    overloaded_people = serializers.IntegerField(help_text="Over projects: a person counts on each project.")
    worst_overload_pct = serializers.FloatField(allow_null=True)
    projects_with_overload = serializers.IntegerField()
    bands = DashboardLoadBandSerializer(many=True)
    projects_not_recorded = serializers.IntegerField()
    top = DashboardOverloadSerializer(many=True)


class GroupDashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    projects = serializers.IntegerField()
    health = DashboardStatusCountsSerializer(help_text="Projects by latest overall health.")
    manager_rag = DashboardManagerRagSerializer(help_text="Projects by their manager's RAG.")
    dimensions = DashboardDimensionCountsSerializer(many=True)
    evm = DashboardEvmSerializer()
    performance = DashboardPerformancePointSerializer(many=True)
    s_curve = DashboardSeriesPointSerializer(many=True)
    milestones = DashboardMilestonesSerializer()
    risks = DashboardRisksSerializer()
    value_risk_cost = DashboardValueRiskCostSerializer(many=True)
    capacity = DashboardCapacitySerializer()


class DashboardProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    rag = serializers.CharField()


class DashboardHealthDimensionSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class DashboardFindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    dimension = serializers.CharField()
    status = serializers.CharField()
    message = serializers.CharField()


class DashboardProjectHealthSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    overall = serializers.CharField()
    overall_label = serializers.CharField()
    dimensions = DashboardHealthDimensionSerializer(many=True)
    fired = DashboardFindingSerializer(many=True)


class DashboardBaselinePointSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    pv = serializers.FloatField(allow_null=True)


class DashboardProjectSeriesSerializer(serializers.Serializer):
    has_baseline = serializers.BooleanField()
    baseline_pv = DashboardBaselinePointSerializer(many=True, help_text="Cumulative PV of the primary baseline.")
    recorded = DashboardSeriesPointSerializer(many=True, help_text="PV, EV and AC recorded each week.")


class ProjectDashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    project = DashboardProjectRefSerializer()
    health = DashboardProjectHealthSerializer(allow_null=True)
    evm = DashboardEvmSerializer()
    figures = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="The latest snapshot's earned value core, risk exposure and overload figures.",
    )
    s_curve = DashboardProjectSeriesSerializer()
    milestones = DashboardMilestonesSerializer()
    risks = DashboardRisksSerializer()
    capacity = DashboardCapacitySerializer()
