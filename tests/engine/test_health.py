"""Health rules: statuses at and around the thresholds, figures not known, the PMO's settings,
refused thresholds, the plain messages, and properties over random figures."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_engine.errors import InvalidInput
from pmo_engine.health import (
    ABOVE,
    AMBER,
    BELOW,
    DIMENSIONS,
    GREEN,
    NOT_ASSESSED,
    RED,
    RULES,
    Rule,
    RuleSetting,
    assess,
    status_of,
)
from pmo_engine.metrics import METRICS


def finding(assessment, code):
    return next(item for item in assessment.findings if item.rule == code)


def test_every_rule_reads_a_named_figure_and_every_dimension_has_a_rule():
    assert {rule.figure for rule in RULES.values()} <= set(METRICS)
    assert {rule.dimension for rule in RULES.values()} == set(DIMENSIONS)
    required = {"spi", "spi_t", "cpi", "tcpi", "milestone_slip", "milestones_late", "finish_slip", "float_consumed"}
    required |= {"open_high_risks", "overdue_issues", "overdue_actions", "overloaded_people", "worst_overload"}
    required |= {"reports_missing", "report_days_late", "pending_changes", "scope_change"}
    assert required <= set(RULES)


def test_cpi_below_red_explains_itself_in_pence():
    result = assess({"cpi": 0.82})
    cpi = finding(result, "cpi")
    assert cpi.status == RED
    assert cpi.message == "CPI 0.82 is below the red threshold 0.85: each pound spent earns 82p of planned work."
    assert result.dimensions["cost"] == RED
    assert result.overall == RED
    assert result.findings[0].rule == "cpi"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.96, GREEN), (0.95, AMBER), (0.9, AMBER), (0.85, RED), (0.5, RED), (1.3, GREEN)],
)
def test_below_rule_takes_the_colour_of_the_threshold_it_reaches(value, expected):
    assert finding(assess({"spi": value}), "spi").status == expected


@pytest.mark.parametrize(("value", "expected"), [(0, GREEN), (4.9, GREEN), (5, AMBER), (14, AMBER), (15, RED)])
def test_above_rule_takes_the_colour_of_the_threshold_it_reaches(value, expected):
    assert finding(assess({"milestone_slip_days": value}), "milestone_slip").status == expected


def test_message_at_the_threshold_says_at():
    slip = finding(assess({"milestone_slip_days": 15}), "milestone_slip")
    assert slip.message.startswith("Worst milestone slip 15 is at the red threshold 15:")
    assert "15 days behind" in slip.message


def test_green_message_names_the_safe_side_and_singular_counts():
    result = assess({"overdue_actions": 0, "overdue_issues": 1})
    assert finding(result, "overdue_actions").message.startswith("Overdue actions 0 is below the amber threshold 1")
    issues = finding(result, "overdue_issues")
    assert issues.status == AMBER
    assert "1 open issue past the target date" in issues.message


def test_missing_figures_leave_rules_and_dimensions_not_assessed():
    result = assess({})
    assert result.overall == NOT_ASSESSED
    assert set(result.dimensions.values()) == {NOT_ASSESSED}
    assert all(item.status == NOT_ASSESSED for item in result.findings)
    assert finding(result, "spi").message == (
        "SPI is not assessed: no primary baseline, nothing planned by now, "
        "or progress not measured yet."
    )


def test_a_dimension_is_its_worst_assessed_rule_and_overall_the_worst_dimension():
    result = assess({"spi": 1.0, "milestone_slip_days": 7, "cpi": None, "overdue_actions": 0, "open_high_risks": 3})
    assert result.dimensions["schedule"] == AMBER
    assert result.dimensions["cost"] == NOT_ASSESSED
    assert result.dimensions["governance"] == GREEN
    assert result.dimensions["risk"] == RED
    assert result.overall == RED
    statuses = [item.status for item in result.findings]
    assert statuses[:2] == [RED, AMBER]
    assert statuses.index(GREEN) < statuses.index(NOT_ASSESSED)


def test_nan_is_not_assessed():
    assert finding(assess({"cpi": math.nan}), "cpi").status == NOT_ASSESSED


def test_settings_override_the_defaults_and_may_switch_a_rule_off():
    figures = {"cpi": 0.9, "overdue_actions": 2}
    assert finding(assess(figures), "cpi").status == AMBER
    tuned = assess(figures, {"cpi": RuleSetting(amber=0.8, red=0.7), "overdue_actions": {"enabled": False}})
    cpi = finding(tuned, "cpi")
    assert (cpi.status, cpi.amber, cpi.red) == (GREEN, 0.8, 0.7)
    actions = finding(tuned, "overdue_actions")
    assert actions.status == NOT_ASSESSED and not actions.enabled
    assert "switched off" in actions.message
    assert tuned.dimensions["governance"] == NOT_ASSESSED


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"cpi": {"amber": 0.8, "red": 0.9}}, "must be above its red threshold"),
        ({"cpi": {"amber": 0.85, "red": 0.85}}, "must be above its red threshold"),
        ({"overdue_actions": {"amber": 5, "red": 2}}, "must be below its red threshold"),
        ({"cpi": {"amber": math.inf, "red": 0.5}}, "finite number"),
        ({"cpi": {"amber": "high", "red": 0.5}}, "finite number"),
        ({"nonsense": {"amber": 1, "red": 2}}, "no health rule 'nonsense'"),
        ({"cpi": {"amber": 1, "red": 0.5, "colour": "x"}}, "not colour"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(settings, message):
    with pytest.raises(InvalidInput, match=message):
        assess({"cpi": 0.9}, settings)


def test_a_rule_with_amber_on_the_wrong_side_cannot_be_defined():
    with pytest.raises(InvalidInput, match="amber threshold"):
        Rule("x", "X", "cost", "cpi", BELOW, 0.8, 0.9, "", "")
    with pytest.raises(InvalidInput, match="unknown figure"):
        Rule("x", "X", "cost", "nothing", ABOVE, 1, 2, "", "")


def test_findings_serialise_to_plain_data():
    data = finding(assess({"tcpi": 1.2}), "tcpi").as_dict()
    assert data["status"] == RED and data["value"] == 1.2 and data["red"] == 1.15
    assert "1.20 pounds of plan per pound" in data["message"]


values = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


@given(st.fixed_dictionaries({rule.figure: values for rule in RULES.values()}))
def test_overall_is_the_worst_dimension_and_every_rule_is_reported_once(figures):
    result = assess(figures)
    rank = [NOT_ASSESSED, GREEN, AMBER, RED]
    assert rank.index(result.overall) == max(rank.index(status) for status in result.dimensions.values())
    assert sorted(item.rule for item in result.findings) == sorted(RULES)
    order = [rank.index(item.status) for item in result.findings]
    assert order == sorted(order, reverse=True)
    for item in result.findings:
        assert (item.value is None) == (item.status == NOT_ASSESSED)


@given(
    st.sampled_from(sorted(RULES)),
    st.floats(min_value=-1e4, max_value=1e4),
    st.floats(min_value=-1e4, max_value=1e4),
)
def test_worse_values_never_get_a_better_colour(code, first, second):
    rule = RULES[code]
    rank = [GREEN, AMBER, RED]
    better, worse = sorted((first, second), reverse=rule.direction == BELOW)
    assert rank.index(status_of(rule, worse, rule.amber, rule.red)) >= rank.index(
        status_of(rule, better, rule.amber, rule.red)
    )
