"""Capacity analysis: hand-worked examples, each rule of the skill gap forecast triggered by a
constructed case, and properties checked against a day-by-day reference written the slow way.

Dates: the grid starts on Monday 3 March 2025 unless said otherwise; a full-timer works 8 h from
Monday to Friday.
"""

import math
import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine.capacity import (
    CapacityResource,
    DemandItem,
    EmploymentType,
    GapRecommendation,
    GapRules,
    PeriodGrid,
    PeriodKind,
    analyse_capacity,
)
from pmo_engine.errors import InvalidInput

MONDAY = date(2025, 3, 3)
PART_TIME = (8.0, 8.0, 4.0, 0.0, 0.0, 0.0, 0.0)  # Monday, Tuesday, Wednesday morning: 20 h a week


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def week(index: int) -> date:
    return MONDAY + timedelta(weeks=index)


def person(key: str = "ann", unit: str = "U1", **fields) -> CapacityResource:
    return CapacityResource(key, unit, **fields)


def assigned(key: str, resource_key: str, first: date, last: date, hours: float, **fields) -> DemandItem:
    return DemandItem(
        key, fields.pop("project_key", "P1"), first, last, hours=hours, resource_key=resource_key, **fields
    )


def weekly(key: str, weeks: dict[int, float], **fields) -> DemandItem:
    """Hours given per week of the grid (week index -> hours)."""
    first, last = min(weeks), max(weeks)
    return DemandItem(
        key,
        fields.pop("project_key", "P1"),
        week(first),
        week(last) + timedelta(days=6),
        hours_by_period={week(index): hours for index, hours in weeks.items()},
        **fields,
    )


# Capacity


def test_part_time_person_with_leave_over_two_weeks():
    ann = person(weekday_hours=PART_TIME, non_working_dates={day(8)})  # leave on Tuesday of week 2
    result = analyse_capacity([ann], [], PeriodGrid(MONDAY, 2))
    assert result.capacity_hours.tolist() == [[20.0, 12.0]]
    assert result.daily_capacity_hours[0, :7].tolist() == [8, 8, 4, 0, 0, 0, 0]
    assert result.daily_capacity_hours[0, 7:].tolist() == [8, 0, 4, 0, 0, 0, 0]
    assert result.utilisation.tolist() == [[0.0, 0.0]]
    assert result.idle_hours.tolist() == [[20.0, 12.0]]


def test_contract_ending_mid_period_leaves_no_capacity_after_it():
    bob = person("bob", contract_end=day(2), employment_type=EmploymentType.CONTINGENT)  # last day: Wednesday
    result = analyse_capacity([bob], [], PeriodGrid(MONDAY, 2))
    assert result.capacity_hours.tolist() == [[24.0, 0.0]]


def test_monthly_grid_counts_the_working_days_of_each_calendar_month():
    grid = PeriodGrid(date(2025, 3, 1), 2, PeriodKind.MONTH)
    result = analyse_capacity([person(non_working_dates={date(2025, 4, 18)})], [], grid)
    assert grid.period_starts == (date(2025, 3, 1), date(2025, 4, 1))
    assert grid.end == date(2025, 5, 1)
    assert grid.period_index(date(2025, 4, 30)) == 1
    assert grid.period_index(date(2025, 5, 1)) is None
    assert result.capacity_hours.tolist() == [[21 * 8.0, 21 * 8.0]]  # 21 weekdays; April 22 less Good Friday


# Demand


def test_demand_is_spread_over_the_persons_own_working_days():
    ann = person(weekday_hours=PART_TIME, non_working_dates={day(8)})
    # Working days over the two weeks: Mon, Tue, Wed, then Mon and Wed: 5 days of 8 h.
    result = analyse_capacity([ann], [assigned("d1", "ann", day(0), day(13), 40)], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[24.0, 16.0]]
    assert result.utilisation[0].tolist() == pytest.approx([1.2, 16 / 12])
    assert result.overallocated_hours.tolist() == [[4.0, 4.0]]
    assert result.idle_hours.tolist() == [[0.0, 0.0]]
    assert result.is_overloaded.tolist() == [[True, True]]


def test_demand_skips_weekends_and_holidays_of_a_full_timer():
    ann = person(non_working_dates={day(2)})  # Wednesday of week 1 is a public holiday
    result = analyse_capacity([ann], [assigned("d1", "ann", day(0), day(13), 90)], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[40.0, 50.0]]  # 9 working days of 10 h


def test_demand_after_a_contract_end_falls_on_the_remaining_working_days():
    bob = person("bob", contract_end=day(2))
    result = analyse_capacity([bob], [assigned("d1", "bob", day(0), day(13), 40)], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[40.0, 0.0]]
    assert result.is_overloaded.tolist() == [[True, False]]
    assert result.utilisation[0, 1] == 0.0  # no capacity and no demand: no load


def test_zero_capacity_with_demand_is_reported_as_overload():
    bob = person("bob", contract_end=day(2))
    result = analyse_capacity([bob], [weekly("d1", {1: 5.0}, resource_key="bob")], PeriodGrid(MONDAY, 2))
    assert result.capacity_hours[0, 1] == 0.0
    assert result.demand_hours[0, 1] == 5.0
    assert math.isinf(result.utilisation[0, 1])
    assert result.is_overloaded[0, 1]
    assert result.overallocated_hours[0, 1] == 5.0
    assert result.idle_hours[0, 1] == 0.0


def test_demand_with_no_working_day_goes_on_every_calendar_day_so_no_hour_is_lost():
    bob = person("bob", contract_end=day(2))
    result = analyse_capacity([bob], [assigned("d1", "bob", day(7), day(13), 14)], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[0.0, 14.0]]
    assert math.isinf(result.utilisation[0, 1])


def test_unassigned_demand_is_spread_over_monday_to_friday_and_stays_out_of_the_heatmap():
    item = DemandItem("u1", "P1", day(5), day(13), hours=50, required_skill="rust")  # Saturday to next Sunday
    result = analyse_capacity([person()], [item], PeriodGrid(MONDAY, 2))
    assert result.unassigned_demand_hours.tolist() == [0.0, 50.0]
    assert result.demand_hours.tolist() == [[0.0, 0.0]]
    assert result.by_skill.demand_hours[result.by_skill.row("rust"), 0].tolist() == [0.0, 50.0]


def test_only_the_hours_inside_the_horizon_count():
    item = assigned("d1", "ann", day(-7), day(4), 80)  # two weeks, the first before the grid: 8 h a day
    result = analyse_capacity([person()], [item], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[40.0, 0.0]]


def test_hours_by_period_count_in_the_period_holding_each_date():
    item = DemandItem(
        "d1", "P1", day(0), day(20), hours_by_period={day(3): 6.0, day(9): 7.0, day(15): 9.0}, resource_key="ann"
    )
    result = analyse_capacity([person()], [item], PeriodGrid(MONDAY, 2))
    assert result.demand_hours.tolist() == [[6.0, 7.0]]  # the third date is after the horizon
    assert item.total_hours == 22.0


def test_billable_demand_and_billable_utilisation():
    items = [
        assigned("d1", "ann", day(0), day(4), 30, is_billable=True),
        assigned("d2", "ann", day(0), day(4), 10),
    ]
    result = analyse_capacity([person()], items, PeriodGrid(MONDAY, 1))
    assert result.billable_hours.tolist() == [[30.0]]
    assert result.billable_utilisation.tolist() == [[0.75]]
    assert result.utilisation.tolist() == [[1.0]]
    assert not result.is_overloaded[0, 0]  # exactly at capacity is not above it


def test_overload_threshold_is_a_setting():
    items = [weekly("d1", {0: 46.0, 1: 50.0}, resource_key="ann")]
    result = analyse_capacity([person()], items, PeriodGrid(MONDAY, 2), overload_threshold=1.2)
    assert result.is_overloaded.tolist() == [[False, True]]
    assert result.overallocated_hours.tolist() == [[6.0, 10.0]]  # always against capacity itself


# Burnout


def test_burnout_risk_needs_enough_consecutive_overloaded_periods():
    hours = {0: 30.0, 1: 50.0, 2: 50.0, 3: 44.0, 4: 30.0, 5: 60.0}
    items = [weekly("d1", hours, resource_key="ann"), weekly("d2", {0: 10.0}, resource_key="bob")]
    grid = PeriodGrid(MONDAY, 6)
    result = analyse_capacity([person("bob"), person("ann")], items, grid, burnout_min_periods=3)
    (risk,) = result.burnout_risks
    assert (risk.resource_key, risk.first_period, risk.first_period_start, risk.periods) == ("ann", 1, week(1), 3)
    assert (risk.demand_hours, risk.capacity_hours, risk.overallocated_hours) == (144.0, 120.0, 24.0)
    assert risk.peak_utilisation == 1.25
    shorter = analyse_capacity([person("ann")], items[:1], grid, burnout_min_periods=1)
    assert [(r.first_period, r.periods) for r in shorter.burnout_risks] == [(1, 3), (5, 1)]


# Aggregates


def test_skill_capacity_counts_holders_at_each_level_or_more():
    people = [
        person("a", skills={"python": 2}),
        person("b", skills={"python": 3, "sql": 1}),
        person("c", skills=[("python", 5)]),
        person("d"),
    ]
    items = [
        assigned("d1", "b", day(0), day(4), 20, required_skill="python", minimum_proficiency=3),
        DemandItem("u1", "P2", day(0), day(4), hours=10, required_skill="python"),
        assigned("d2", "d", day(0), day(4), 40),  # names no skill: not in the skill figures
    ]
    result = analyse_capacity(people, items, PeriodGrid(MONDAY, 1))
    skills = result.by_skill
    assert skills.skill_keys == ("python", "sql")
    python = skills.row("python")
    assert skills.capacity_hours[python, :, 0].tolist() == [120.0, 120.0, 80.0, 40.0, 40.0]
    assert skills.holder_counts[python].tolist() == [3, 3, 2, 1, 1]
    assert skills.demand_hours[python, :, 0].tolist() == [30.0, 20.0, 20.0, 0.0, 0.0]
    assert skills.capacity_hours[skills.row("sql"), :, 0].tolist() == [40.0, 0.0, 0.0, 0.0, 0.0]
    assert skills.gap_hours.tolist() == [[0.0], [0.0]]


def test_aggregation_by_organisation_unit_and_employment_type():
    people = [
        person("a", "Finance"),
        person("b", "IT", weekday_hours=PART_TIME),
        person("c", "IT", employment_type=EmploymentType.CONTINGENT),
    ]
    items = [assigned("d1", "b", day(0), day(4), 30, is_billable=True), assigned("d2", "c", day(0), day(4), 20)]
    result = analyse_capacity(people, items, PeriodGrid(MONDAY, 1))
    units = result.by_organisation_unit
    assert units.keys == ("Finance", "IT")
    assert units.resource_counts.tolist() == [1, 2]
    assert units.capacity_hours.tolist() == [[40.0], [60.0]]
    assert units.demand_hours.tolist() == [[0.0], [50.0]]
    assert units.billable_hours.tolist() == [[0.0], [30.0]]
    assert units.utilisation[units.row("IT")].tolist() == pytest.approx([50 / 60])
    kinds = result.by_employment_type
    assert kinds.keys == ("permanent", "contingent")
    assert kinds.capacity_hours.tolist() == [[60.0], [40.0]]
    assert result.employment_mix.tolist() == [[0.6], [0.4]]


# Skill gaps: each rule of the forecast, triggered on purpose


def steady_demand(key: str, skill: str, weeks: range, hours_per_week: float, *, level: int = 1) -> DemandItem:
    """Unassigned demand for ``skill``, ``hours_per_week`` over Monday to Friday of the grid's ``weeks``."""
    return DemandItem(
        key,
        "P1",
        week(weeks.start),
        week(weeks.stop) - timedelta(days=1),
        hours=hours_per_week * len(weeks),
        required_skill=skill,
        minimum_proficiency=level,
    )


def test_a_long_steady_gap_recommends_a_permanent_hire():
    holder = person("a", skills={"rust": 3})
    result = analyse_capacity([holder], [steady_demand("u1", "rust", range(40), 60)], PeriodGrid(MONDAY, 40))
    (gap,) = result.skill_gaps
    assert gap.recommendation is GapRecommendation.PERMANENT_HIRE
    assert (gap.skill_key, gap.first_period, gap.periods, gap.weeks, gap.is_open_ended) == ("rust", 0, 40, 40.0, True)
    assert gap.gap_hours == pytest.approx((20.0,) * 40)
    assert gap.total_gap_hours == pytest.approx(800.0)
    assert gap.variation == pytest.approx(0.0, abs=1e-9)
    assert gap.full_time_equivalents == pytest.approx(0.5)
    assert gap.required_level == 1
    assert "steady gap of 20.0 h a week (0.50 full-time equivalents)" in gap.reason
    longer_minimum = GapRules(permanent_min_weeks=52)
    stricter = analyse_capacity(
        [holder], [steady_demand("u1", "rust", range(40), 60)], PeriodGrid(MONDAY, 40), gap_rules=longer_minimum
    )
    assert stricter.skill_gaps[0].recommendation is GapRecommendation.CONTINGENT_HIRE


def test_a_short_gap_without_slack_around_it_recommends_a_contingent_hire():
    holder = person("a", skills={"rust": 3})
    items = [steady_demand("base", "rust", range(20), 40), steady_demand("peak", "rust", range(6, 14), 20)]
    result = analyse_capacity([holder], items, PeriodGrid(MONDAY, 20))
    (gap,) = result.skill_gaps
    assert (gap.first_period, gap.periods, gap.is_open_ended) == (6, 8, False)
    assert gap.recommendation is GapRecommendation.CONTINGENT_HIRE
    assert gap.total_gap_hours == pytest.approx(160.0)
    assert "shorter than 26 weeks" in gap.reason


def test_a_long_seasonal_gap_recommends_a_contingent_hire():
    holder = person("a", skills={"rust": 3})
    extra = {index: 10.0 if index % 2 == 0 else 40.0 for index in range(30)}
    items = [steady_demand("base", "rust", range(30), 40), weekly("season", extra, required_skill="rust")]
    result = analyse_capacity([holder], items, PeriodGrid(MONDAY, 30))
    (gap,) = result.skill_gaps
    assert gap.periods == 30
    assert gap.variation == pytest.approx(0.6)  # weekly gaps of 10 and 40: standard deviation 15, mean 25
    assert gap.least_gap_hours_per_week == pytest.approx(10.0)
    assert gap.recommendation is GapRecommendation.CONTINGENT_HIRE
    assert "varying (seasonal or growing): variation 0.60 > 0.25" in gap.reason


def test_a_gap_that_lower_level_holders_can_cover_recommends_training():
    people = [person("expert", skills={"rust": 3}), person("novice", skills={"rust": 1})]
    result = analyse_capacity(people, [steady_demand("u1", "rust", range(30), 60, level=3)], PeriodGrid(MONDAY, 30))
    (gap,) = result.skill_gaps
    assert gap.required_level == 3
    assert gap.gap_hours == pytest.approx((20.0,) * 30)
    assert gap.lower_level_spare_hours == pytest.approx((40.0,) * 30)
    assert gap.recommendation is GapRecommendation.TRAINING  # before a permanent hire, though long and steady
    assert "train them to level 3" in gap.reason


def test_training_is_not_recommended_when_lower_level_holders_are_busy():
    people = [person("expert", skills={"rust": 3}), person("novice", skills={"rust": 1})]
    items = [steady_demand("u1", "rust", range(30), 60, level=3), steady_demand("u2", "rust", range(30), 30, level=1)]
    (gap,) = analyse_capacity(people, items, PeriodGrid(MONDAY, 30)).skill_gaps
    assert gap.lower_level_spare_hours == pytest.approx((10.0,) * 30)
    assert gap.recommendation is GapRecommendation.PERMANENT_HIRE


def test_a_short_spike_with_slack_nearby_recommends_rescheduling():
    holder = person("a", skills={"rust": 2})
    items = [steady_demand("base", "rust", range(12), 20), steady_demand("spike", "rust", range(5, 6), 40)]
    result = analyse_capacity([holder], items, PeriodGrid(MONDAY, 12))
    (gap,) = result.skill_gaps
    assert (gap.first_period, gap.periods, gap.total_gap_hours) == (5, 1, pytest.approx(20.0))
    assert gap.nearby_slack_hours == pytest.approx(8 * 20.0)  # four weeks either side with 20 h spare each
    assert gap.recommendation is GapRecommendation.RESCHEDULE
    narrow = analyse_capacity([holder], items, PeriodGrid(MONDAY, 12), gap_rules=GapRules(reschedule_window_periods=0))
    assert narrow.skill_gaps[0].recommendation is GapRecommendation.CONTINGENT_HIRE


def test_demand_for_a_skill_nobody_holds_is_all_gap():
    item = steady_demand("u1", "cobol", range(3), 30, level=2)
    result = analyse_capacity([], [item], PeriodGrid(MONDAY, 3))
    assert result.capacity_hours.shape == (0, 3)
    (gap,) = result.skill_gaps
    assert (gap.skill_key, gap.required_level, gap.gap_hours) == ("cobol", 2, pytest.approx((30.0, 30.0, 30.0)))
    assert gap.recommendation is GapRecommendation.CONTINGENT_HIRE


# Drill-down


def test_drill_down_lists_the_items_filling_a_cell():
    ann = person(weekday_hours=PART_TIME)
    items = [
        assigned("d1", "ann", day(0), day(13), 40, project_key="Alpha", is_billable=True),
        weekly("d2", {1: 5.0}, resource_key="ann", project_key="Beta"),
        assigned("d3", "ann", day(14), day(20), 8),  # after the horizon
        DemandItem("u1", "Gamma", day(7), day(11), hours=10, required_skill="rust"),
    ]
    result = analyse_capacity([ann], items, PeriodGrid(MONDAY, 2))
    cell = result.cell_demand("ann", 1)  # d1: 40 h over 6 working days, 3 of them in week 2
    assert [(c.item_key, c.project_key, c.is_billable) for c in cell] == [("d1", "Alpha", True), ("d2", "Beta", False)]
    assert [c.hours for c in cell] == pytest.approx([20.0, 5.0])
    assert sum(c.hours for c in cell) == pytest.approx(result.demand_hours[0, 1])
    assert result.cell_demand("ann", day(9)) == cell  # a period given by any date inside it
    assert [c.item_key for c in result.cell_demand(None, 1)] == ["u1"]
    with pytest.raises(InvalidInput) as unknown:
        result.cell_demand("zoe", 0)
    assert unknown.value.field == "resource_key"
    with pytest.raises(InvalidInput):
        result.cell_demand("ann", 2)


# Validation


def item_with(**fields) -> DemandItem:
    """A valid assigned demand item, with ``fields`` changed."""
    values = {"key": "d", "project_key": "P", "start": day(0), "end": day(1), "hours": 1.0, "resource_key": "ann"}
    return DemandItem(**(values | fields))


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: PeriodGrid(MONDAY, 0), "periods"),
        (lambda: PeriodGrid(MONDAY, 3, "fortnight"), "kind"),
        (lambda: PeriodGrid(MONDAY, 3, PeriodKind.MONTH), "start"),
        (lambda: PeriodGrid("2025-03-03", 3), "start"),
        (lambda: PeriodGrid(date(9999, 12, 1), 2, PeriodKind.MONTH), "periods"),
        (lambda: person(""), "key"),
        (lambda: person(unit=""), "organisation_unit_key"),
        (lambda: person(employment_type="freelance"), "employment_type"),
        (lambda: person(contract_end="2025-03-05"), "contract_end"),
        (lambda: person(hours_per_day=0), "hours_per_day"),
        (lambda: person(hours_per_day=25), "hours_per_day"),
        (lambda: person(weekday_hours=(8, 8, 8)), "weekday_hours"),
        (lambda: person(weekday_hours=(8, 8, 8, 8, -1, 0, 0)), "weekday_hours"),
        (lambda: person(non_working_dates={MONDAY, "2025-03-04"}), "non_working_dates"),
        (lambda: person(skills={"python": 6}), "skills"),
        (lambda: person(skills={"python": True}), "skills"),
        (lambda: person(skills=[("python", 2), ("python", 3)]), "skills"),
        (lambda: item_with(key=""), "key"),
        (lambda: item_with(start=day(1), end=day(0)), "end"),
        (lambda: item_with(end=MONDAY.isoformat()), "end"),
        (lambda: item_with(project_key=""), "project_key"),
        (lambda: item_with(hours=None), "hours"),
        (lambda: item_with(hours_by_period={}), "hours"),
        (lambda: item_with(hours=-1), "hours"),
        (lambda: item_with(hours=math.nan), "hours"),
        (lambda: item_with(hours=None, hours_by_period={day(5): 1}), "hours_by_period"),
        (lambda: item_with(hours=None, hours_by_period={day(1): -2}), "hours_by_period"),
        (lambda: item_with(resource_key=None), "required_skill"),
        (lambda: item_with(resource_key=""), "resource_key"),
        (lambda: item_with(required_skill="x", minimum_proficiency=0), "minimum_proficiency"),
        (lambda: item_with(is_billable=1), "is_billable"),
        (lambda: GapRules(reschedule_max_periods=-1), "reschedule_max_periods"),
        (lambda: GapRules(permanent_max_variation=math.inf), "permanent_max_variation"),
        (lambda: GapRules(full_time_hours_per_week=0), "full_time_hours_per_week"),
    ],
)  # fmt: skip
def test_invalid_input_names_the_field(build, field):
    with pytest.raises(InvalidInput) as error:
        build()
    assert error.value.field == field


@pytest.mark.parametrize(
    ("resources", "items", "settings_", "field"),
    [
        ([person()], [assigned("d1", "zoe", day(0), day(1), 1)], {}, "resource_key"),
        ([person(), person()], [], {}, "key"),
        ([person()], [assigned("d1", "ann", day(0), day(1), 1), assigned("d1", "ann", day(0), day(1), 1)], {}, "key"),
        ([person()], [], {"overload_threshold": 0}, "overload_threshold"),
        ([person()], [], {"burnout_min_periods": 0}, "burnout_min_periods"),
        (["ann"], [], {}, "resources"),
        ([person()], ["d1"], {}, "demand"),
    ],
)
def test_analysis_refuses_inconsistent_input(resources, items, settings_, field):
    with pytest.raises(InvalidInput) as error:
        analyse_capacity(resources, items, PeriodGrid(MONDAY, 2), **settings_)
    assert error.value.field == field


def test_resource_defaults_and_full_time_equivalent():
    ann = person(weekday_hours=PART_TIME, skills={"sql": 2})
    assert ann.weekly_hours == 20.0
    assert ann.full_time_equivalent == 0.5
    assert ann.proficiency("sql") == 2
    assert ann.proficiency("rust") == 0
    assert person().weekday_hours == (8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0)


# Properties, against a day-by-day reference


def reference_cells(resources, items, grid):
    """Capacity and assigned and unassigned demand per period, counted one day at a time."""
    keys = sorted(resource.key for resource in resources)
    by_key = {resource.key: resource for resource in resources}
    capacity = np.zeros((len(keys), grid.periods))
    demand = np.zeros((len(keys) + 1, grid.periods))

    def hours_on(resource, when):
        if when in resource.non_working_dates or (resource.contract_end and when > resource.contract_end):
            return 0.0
        return resource.weekday_hours[when.weekday()]

    for offset in range(grid.day_count):
        when = grid.start + timedelta(days=offset)
        for row, key in enumerate(keys):
            capacity[row, grid.period_index(when)] += hours_on(by_key[key], when)
    for item in items:
        row = len(keys) if item.resource_key is None else keys.index(item.resource_key)
        if item.hours_by_period is not None:
            for when, hours in item.hours_by_period:
                if grid.period_index(when) is not None:
                    demand[row, grid.period_index(when)] += hours
            continue
        span = [item.start + timedelta(days=offset) for offset in range((item.end - item.start).days + 1)]
        if item.resource_key is None:
            working = [when for when in span if when.weekday() < 5]
        else:
            working = [when for when in span if hours_on(by_key[item.resource_key], when) > 0]
        working = working or span
        for when in working:
            if grid.period_index(when) is not None:
                demand[row, grid.period_index(when)] += item.hours / len(working)
    return capacity, demand


@st.composite
def cases(draw):
    """A grid, up to four resources and up to ten demand items around its horizon."""
    kind = draw(st.sampled_from(PeriodKind))
    periods = draw(st.integers(1, 5))
    grid = PeriodGrid(MONDAY if kind is PeriodKind.WEEK else date(2025, 3, 1), periods, kind)
    span = grid.day_count
    hours = st.sampled_from([0.0, 4.0, 7.5, 8.0])
    resources = []
    for index in range(draw(st.integers(1, 4))):
        leave = draw(st.sets(st.integers(-10, span + 10), max_size=8))
        resources.append(
            CapacityResource(
                f"R{index}",
                draw(st.sampled_from(["U1", "U2"])),
                employment_type=draw(st.sampled_from(EmploymentType)),
                contract_end=draw(st.none() | st.integers(-10, span + 10).map(day)),
                weekday_hours=tuple(draw(st.lists(hours, min_size=7, max_size=7))),
                non_working_dates={day(offset) for offset in leave},
                skills=draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 5), max_size=3)),
            )
        )
    items = []
    for index in range(draw(st.integers(0, 10))):
        first = draw(st.integers(-10, span + 5))
        last = first + draw(st.integers(0, 40))
        resource_key = draw(st.none() | st.sampled_from([resource.key for resource in resources]))
        skill = draw(st.sampled_from(["a", "b", "c"])) if resource_key is None else draw(st.none() | st.just("a"))
        amount = {"hours": draw(st.floats(0, 200, allow_nan=False))}
        if draw(st.booleans()) and draw(st.booleans()):
            dates = draw(st.sets(st.integers(first, last), min_size=1, max_size=3))
            amount = {"hours_by_period": {day(offset): draw(st.floats(0, 50)) for offset in dates}}
        items.append(
            DemandItem(
                f"D{index}",
                draw(st.sampled_from(["P1", "P2"])),
                day(first),
                day(last),
                resource_key=resource_key,
                required_skill=skill,
                minimum_proficiency=draw(st.integers(1, 5)),
                is_billable=draw(st.booleans()),
                **amount,
            )
        )
    return grid, resources, items


def inside(item, grid):
    return grid.start <= item.start and item.end < grid.end


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cases())
def test_capacity_and_demand_match_a_day_by_day_count(case):
    grid, resources, items = case
    result = analyse_capacity(resources, items, grid)
    capacity, demand = reference_cells(resources, items, grid)
    assert result.capacity_hours == pytest.approx(capacity)
    assert result.demand_hours == pytest.approx(demand[:-1], abs=1e-9)
    assert result.unassigned_demand_hours == pytest.approx(demand[-1], abs=1e-9)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cases())
def test_demand_hours_are_conserved_and_capacity_is_never_negative(case):
    grid, resources, items = case
    kept = [item for item in items if inside(item, grid)]
    result = analyse_capacity(resources, kept, grid)
    total = result.demand_hours.sum() + result.unassigned_demand_hours.sum()
    assert total == pytest.approx(sum(item.total_hours for item in kept), rel=1e-9, abs=1e-9)
    assert (result.capacity_hours >= 0).all()
    assert (result.daily_capacity_hours >= 0).all()
    assert (result.demand_hours >= 0).all()
    assert (result.by_skill.gap_hours >= 0).all()
    assert result.billable_hours == pytest.approx(np.minimum(result.billable_hours, result.demand_hours))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cases())
def test_utilisation_is_demand_over_capacity_and_overload_where_capacity_is_zero(case):
    grid, resources, items = case
    result = analyse_capacity(resources, items, grid)
    positive = result.capacity_hours > 0
    expected = result.demand_hours[positive] / result.capacity_hours[positive]
    assert result.utilisation[positive] == pytest.approx(expected)
    empty = ~positive
    busy = result.demand_hours > 1e-6
    assert np.isinf(result.utilisation[empty & busy]).all()
    assert (result.utilisation[empty & ~busy] == 0).all()
    assert result.is_overloaded[empty & busy].all()
    assert result.overallocated_hours - result.idle_hours == pytest.approx(result.demand_hours - result.capacity_hours)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(cases(), st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_input_order(case, seed):
    grid, resources, items = case
    shuffler = random.Random(seed)
    shuffled_resources, shuffled_items = resources[:], items[:]
    shuffler.shuffle(shuffled_resources)
    shuffler.shuffle(shuffled_items)
    first = analyse_capacity(resources, items, grid, burnout_min_periods=1)
    second = analyse_capacity(shuffled_resources, shuffled_items, grid, burnout_min_periods=1)
    assert first.resource_keys == second.resource_keys
    for name in ("capacity_hours", "demand_hours", "billable_hours", "unassigned_demand_hours"):
        assert getattr(first, name) == pytest.approx(getattr(second, name), abs=1e-9)
    assert (first.is_overloaded == second.is_overloaded).all()
    assert first.by_skill.demand_hours == pytest.approx(second.by_skill.demand_hours, abs=1e-9)
    assert first.by_organisation_unit.capacity_hours == pytest.approx(second.by_organisation_unit.capacity_hours)
    assert [(r.resource_key, r.first_period, r.periods) for r in first.burnout_risks] == [
        (r.resource_key, r.first_period, r.periods) for r in second.burnout_risks
    ]
    assert [(g.skill_key, g.first_period, g.periods, g.recommendation) for g in first.skill_gaps] == [
        (g.skill_key, g.first_period, g.periods, g.recommendation) for g in second.skill_gaps
    ]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(cases())
def test_drill_down_adds_up_to_every_cell(case):
    grid, resources, items = case
    result = analyse_capacity(resources, items, grid)
    for row, key in enumerate(result.resource_keys):
        for period in range(grid.periods):
            cell = result.cell_demand(key, period)
            assert sum(c.hours for c in cell) == pytest.approx(result.demand_hours[row, period], abs=1e-9)
            assert all(c.hours > 0 for c in cell)
    for period in range(grid.periods):
        total = sum(c.hours for c in result.cell_demand(None, period))
        assert total == pytest.approx(result.unassigned_demand_hours[period], abs=1e-9)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cases())
def test_skill_gaps_agree_with_the_skill_figures(case):
    grid, resources, items = case
    result = analyse_capacity(resources, items, grid)
    skills = result.by_skill
    excess = (skills.demand_hours - skills.capacity_hours).max(axis=1)
    assert ((skills.gap_hours > 0) == (excess > 1e-6)).all()
    covered = np.zeros_like(skills.gap_hours, dtype=bool)
    for gap in result.skill_gaps:
        row = skills.row(gap.skill_key)
        window = slice(gap.first_period, gap.first_period + gap.periods)
        assert gap.gap_hours == pytest.approx(skills.gap_hours[row, window].tolist())
        covered[row, window] = True
        assert gap.recommendation in GapRecommendation
        assert gap.reason.startswith(gap.skill_key)
    assert (covered == (skills.gap_hours > 0)).all()
