"""KPI engine: the formula language (worked examples, every error with its column, fuzzing), the
status against thresholds, XmR trends and the pattern rules (each cited where it is tested), and
the recommendation table.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_engine import kpi
from pmo_engine.kpi import FormulaError, analyse, control_limits, parse, rag, recommend, slope
from pmo_engine.metrics import METRICS

FIGURES = {"ev": 90.0, "ac": 100.0, "pv": 120.0, "bac": 400.0, "milestones_late": 1.0, "milestones_due": 4.0}


def value(text: str, figures=FIGURES):
    return parse(text, METRICS).evaluate(figures)


# --- the formula language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ev / ac", 0.9),
        ("ev / pv", 0.75),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),  # left to right
        ("24 / 4 / 2", 3.0),
        ("-ev + 100", 10.0),
        ("--2", 2.0),
        ("+3", 3.0),
        ("2 * -3", -6.0),
        ("percent(milestones_late, milestones_due)", 25.0),
        ("ratio(ev, ac)", 0.9),
        ("min(ev, ac, pv)", 90.0),
        ("max(ev, ac, pv)", 120.0),
        ("abs(ev - ac)", 10.0),
        ("round(ev / pv * 100)", 75.0),
        ("round(2 / 3, 2)", 0.67),
        ("1e3 / 4", 250.0),
        (".5 + 0.25", 0.75),
        ("100 * (ac - ev) / bac", 2.5),
    ],
)
def test_formulas_compute_what_they_say(text, expected):
    assert value(text) == pytest.approx(expected)


def test_the_names_a_formula_reads_in_order_of_first_use():
    assert parse("ev / ac + ev - percent(ac, bac)", METRICS).names == ("ev", "ac", "bac")
    assert parse("42", METRICS).names == ()


def test_no_value_when_a_figure_is_unknown_or_a_division_by_zero():
    # Dividing by zero is not an error: the KPI simply has no value for that period.
    assert value("ev / ac", {"ev": 10.0, "ac": 0.0}) is None
    assert value("ratio(ev, ac)", {"ev": 10.0, "ac": 0.0}) is None
    assert value("percent(ev, ac)", {"ev": 10.0, "ac": 0.0}) is None
    assert value("ev / ac", {"ev": 10.0, "ac": None}) is None
    assert value("ev / ac", {"ev": 10.0}) is None
    assert value("max(ev, ac)", {"ev": 10.0, "ac": None}) is None
    assert value("ev * ac", {"ev": 1e300, "ac": 1e300}) is None  # not finite
    assert value("ev", {"ev": float("nan")}) is None


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("ev / spj", "Unknown figure 'spj' at column 6 (did you mean 'spi'?)", 6),
        ("min(cpi, spi", "Missing ')' at column 13 to close the '(' at column 4", 13),
        ("(cpi", "Missing ')' at column 5 to close the '(' at column 1", 5),
        ("cpi)", "Unmatched ')' at column 4", 4),
        ("", "The formula is empty: write an expression such as ev / ac", 1),
        ("   ", "The formula is empty: write an expression such as ev / ac", 1),
        ("cpi spi", "Expected an operator before 'spi' at column 5", 5),
        ("cpi +", "The formula ends too soon: a value is missing at column 6", 6),
        ("* cpi", "Expected a value but found '*' at column 1", 1),
        ("cpi, spi", "Expected an operator before ',' at column 4", 4),
        ("foo(1)", "Unknown function 'foo' at column 1 (the functions are min, max, abs, round, ratio, percent)", 1),
        ("maxx(1, 2)", "Unknown function 'maxx' at column 1 (did you mean 'max'?)", 1),
        ("min", "'min' is a function at column 1: write min(...)", 1),
        ("abs(1, 2)", "abs() at column 1 takes 1 argument, not 2: abs(x): the value without its sign", 1),
        ("ratio(ev)", "ratio() at column 1 takes 2 arguments, not 1: ratio(a, b): a / b, no value when b is 0", 1),
        ("min()", "min() at column 1 takes at least 1 argument, not 0: min(a, b, ...): the smallest value", 1),
        (
            "round(cpi, cpi)",
            "round() at column 1: the number of decimals must be written as a whole number from 0 to 10",
            1,
        ),
        (
            "round(cpi, 1.5)",
            "round() at column 1: the number of decimals must be written as a whole number from 0 to 10",
            1,
        ),
        ("cpi > 1", "Unexpected character '>' at column 5 (comparisons are not part of formulas: use thresholds)", 5),
        ("cpi ^ 2", "Unexpected character '^' at column 5 (powers are not part of formulas: multiply instead)", 5),
        ("cpi $", "Unexpected character '$' at column 5", 5),
        ("2cpi", "Unexpected 'c' after the number 2 at column 2", 2),
        ("1.2.3", "Unexpected '.' after the number 1.2 at column 4", 4),
        ("1e999", "The number 1e999 at column 1 is too large", 1),
        ("__import__('os')", 'Unexpected character "\'" at column 12', 12),
        (
            "__import__(os)",
            "Unknown function '__import__' at column 1 (the functions are min, max, abs, round, ratio, percent)",
            1,
        ),
        ("cpí", "Unexpected character 'í' at column 3", 3),
    ],
)
def test_mistakes_are_named_with_their_column(text, message, column):
    with pytest.raises(FormulaError) as error:
        parse(text, METRICS)
    assert error.value.message == message
    assert error.value.column == column


def test_limits_on_length_and_depth():
    with pytest.raises(FormulaError, match="at most 500 are allowed"):
        parse("1 + " * 125 + "1", METRICS)
    deep = "(" * (kpi.MAX_DEPTH + 1) + "1" + ")" * (kpi.MAX_DEPTH + 1)
    with pytest.raises(FormulaError, match="nests too deeply"):
        parse(deep, METRICS)
    fine = "(" * kpi.MAX_DEPTH + "1" + ")" * kpi.MAX_DEPTH
    assert parse(fine, METRICS).evaluate({}) == 1.0
    with pytest.raises(FormulaError, match="nests too deeply"):
        parse("-" * 30 + "1", METRICS)


def test_only_the_known_figures_are_names():
    assert parse("a + b", {"a", "b"}).evaluate({"a": 1, "b": 2}) == 3.0
    with pytest.raises(FormulaError, match="Unknown figure 'cpi'"):
        parse("cpi", {"a"})


ALPHABET = "ev ac pv cpi spi bac min max abs round ratio percent ( ) , + - * / . 0 1 2 9 e E _ x < $ 'é\n\t"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_arbitrary_text_raises_nothing_but_formula_error(text):
    try:
        formula = parse(text, METRICS)
    except FormulaError as error:
        assert error.message and 0 <= error.column <= len(text) + 1
        return
    result = formula.evaluate(dict.fromkeys(METRICS, 2.0))
    assert result is None or math.isfinite(result)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_raises_nothing_but_formula_error(text):
    try:
        result = parse(text, METRICS).evaluate({})
    except FormulaError as error:
        assert error.message
    else:
        assert result is None or math.isfinite(result)


def expressions():
    leaves = st.one_of(st.integers(min_value=0, max_value=1000).map(str), st.sampled_from(["ev", "ac", "pv", "bac"]))

    def extend(children):
        return st.one_of(
            st.tuples(children, st.sampled_from("+-*/"), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            children.map(lambda c: f"-{c}"),
            st.tuples(children, children).map(lambda t: f"max({t[0]}, {t[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_generated_formulas_agree_with_python_arithmetic(text):
    figures = {"ev": 90.0, "ac": 100.0, "pv": 120.0, "bac": 400.0}
    try:
        formula = parse(text, METRICS)
    except FormulaError as error:
        assert "nests too deeply" in error.message
        return
    try:
        expected = _reference(text, figures)
    except ZeroDivisionError:
        expected = None
    result = formula.evaluate(figures)
    if expected is None or not math.isfinite(expected):
        assert result is None
    else:
        assert result == pytest.approx(expected, rel=1e-9, abs=1e-9)


def _reference(text: str, figures):
    """The same expression computed by a tiny independent evaluator over Python's own numbers: the
    text is generated by the test (never user input) and uses only + - * / max and parentheses."""
    tokens = text.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split()
    position = 0

    def expression():
        nonlocal position
        result = term()
        while position < len(tokens) and tokens[position] in "+-":
            operator = tokens[position]
            position += 1
            right = term()
            result = result + right if operator == "+" else result - right
        return result

    def term():
        nonlocal position
        result = unary()
        while position < len(tokens) and tokens[position] in ("*", "/"):
            operator = tokens[position]
            position += 1
            right = unary()
            result = result * right if operator == "*" else result / right
        return result

    def unary():
        nonlocal position
        token = tokens[position]
        if token.startswith("-") and token != "-":
            tokens[position] = token[1:]
            return -unary()
        if token == "-":
            position += 1
            return -unary()
        if token == "max":
            position += 2
            a = expression()
            position += 1
            b = expression()
            position += 1
            return max(a, b)
        if token == "(":
            position += 1
            result = expression()
            position += 1
            return result
        position += 1
        return figures[token] if token in figures else float(token)

    return expression()


# --- status ---------------------------------------------------------------------------------


def test_status_higher_is_better():
    thresholds = {"target": 1.0, "amber": 0.95, "red": 0.9, "direction": "higher"}
    assert rag(1.1, **thresholds) == "green"
    assert rag(0.95, **thresholds) == "green"  # on the threshold: the better side
    assert rag(0.94, **thresholds) == "amber"
    assert rag(0.9, **thresholds) == "amber"
    assert rag(0.89, **thresholds) == "red"
    assert rag(None, **thresholds) == "not_assessed"


def test_status_lower_is_better_and_the_target_as_amber_line():
    assert rag(0, target=0, amber=2, red=5, direction="lower") == "green"
    assert rag(3, target=0, amber=2, red=5, direction="lower") == "amber"
    assert rag(6, target=0, amber=2, red=5, direction="lower") == "red"
    assert rag(1, target=0, amber=None, red=None, direction="lower") == "amber"
    assert rag(0, target=0, amber=None, red=None, direction="lower") == "green"


def test_thresholds_are_checked_against_the_direction():
    assert kpi.check_thresholds(target=1, amber=0.95, red=0.9, direction="higher") == []
    assert kpi.check_thresholds(target=0, amber=2, red=5, direction="lower") == []
    assert kpi.check_thresholds(target=1, amber=0.9, red=0.95, direction="higher")
    assert kpi.check_thresholds(target=1, amber=1.1, red=0.9, direction="higher")
    assert kpi.check_thresholds(target=0, amber=2, red=1, direction="lower")
    assert kpi.check_thresholds(target=0, amber=2, red=1, direction="sideways")


# --- trends ---------------------------------------------------------------------------------


def test_xmr_limits_worked_example():
    """Wheeler, *Understanding Variation* (2nd ed., 2000), ch. 5: the natural process limits of an
    individuals chart are the mean +- 2.66 x the average moving range. For 5, 7, 6, 9, 8 the mean is
    7, the moving ranges 2, 1, 3, 1 average 1.75, so the limits are 7 +- 4.655."""
    limits = control_limits([5.0, 7.0, 6.0, 9.0, 8.0])
    assert limits.centre == pytest.approx(7.0)
    assert limits.moving_range == pytest.approx(1.75)
    assert limits.upper == pytest.approx(11.655)
    assert limits.lower == pytest.approx(2.345)
    assert control_limits([1.0]) is None


def test_least_squares_slope():
    assert slope([1.0, 2.0, 3.0, 4.0]) == pytest.approx(1.0)
    assert slope([4.0, 2.0, 0.0]) == pytest.approx(-2.0)
    # y = 2 + 0.5x with noise that cancels: slope of (0,2),(1,3),(2,3),(3,3.5) is 0.45.
    assert slope([2.0, 3.0, 3.0, 3.5]) == pytest.approx(0.45)
    assert slope([5.0]) is None


def codes(analysis, index):
    return [flag["code"] for flag in analysis.flags[index]]


def test_three_periods_of_falling_cpi_are_flagged():
    """The issue's own example: three periods of falling CPI (each period below the one before)."""
    analysis = analyse([1.0, 0.98, 0.96, 0.95], direction="higher", labels=["w1", "w2", "w3", "w4"])
    assert codes(analysis, 2) == []  # two falls only
    assert codes(analysis, 3) == ["worsening"]
    flag = analysis.flags[3][0]
    assert flag["since"] == "w1" and flag["evidence"]["periods"] == 3
    assert flag["message"] == "Fell 3 periods in a row, from 1 to 0.95"
    # For a lower-is-better figure, rising is worsening.
    assert codes(analyse([1, 2, 3, 4], direction="lower"), 3) == ["worsening"]
    assert codes(analyse([4, 3, 2, 1], direction="lower"), 3) == []
    assert codes(analyse([1.0, 0.98, 0.98, 0.95], direction="higher"), 3) == []  # a flat step breaks the run


def test_a_point_beyond_a_limit_on_the_bad_side():
    """Western Electric, *Statistical Quality Control Handbook* (1956), rule 1 (Wheeler's detection
    rule one): a single point outside the 3-sigma (natural process) limits. The limits come from
    the points before it."""
    series = [1.0, 1.02, 0.99, 1.01, 0.98, 1.0, 0.8]
    analysis = analyse(series, direction="higher")
    assert "beyond_limit" in codes(analysis, 6)
    evidence = analysis.flags[6][-1]["evidence"] if codes(analysis, 6)[-1] == "beyond_limit" else None
    assert evidence is not None and evidence["points"] == 6
    assert evidence["limit"] == pytest.approx(1.0 - 2.66 * 0.024)
    # The same jump upwards on a higher-is-better KPI is good news, not a pattern.
    assert codes(analyse([1.0, 1.02, 0.99, 1.01, 0.98, 1.0, 1.2], direction="higher"), 6) == []
    # Too few points before it: no limits yet.
    assert codes(analyse([1.0, 1.02, 0.8], direction="higher"), 2) == []


def test_a_run_of_seven_on_the_bad_side_of_the_centre_line():
    """The run rule (Western Electric rule 4 uses eight, Nelson's rule 2 nine; the AIAG SPC manual
    and this issue use seven): seven points in a row on one side of the centre line show a shift."""
    baseline = [1.0, 1.1, 0.9, 1.05, 0.95]
    shifted = [0.97, 0.96, 0.98, 0.97, 0.96, 0.98, 0.97]
    analysis = analyse(baseline + shifted, direction="higher")
    assert "run" not in codes(analysis, 10)
    assert "run" in codes(analysis, 11)
    run = next(flag for flag in analysis.flags[11] if flag["code"] == "run")
    assert run["evidence"]["periods"] == 7 and run["evidence"]["centre"] == pytest.approx(1.0)


def test_turning_red_is_flagged_once():
    statuses = ["green", "amber", "red", "red"]
    analysis = analyse([1.0, 0.94, 0.85, 0.86], direction="higher", statuses=statuses)
    assert "entered_red" in codes(analysis, 2)
    assert "entered_red" not in codes(analysis, 3)


def test_flags_at_a_point_do_not_change_when_later_points_arrive():
    series = [1.0, 1.02, 0.99, 1.01, 0.98, 1.0, 0.8, 0.95, 0.9, 0.85]
    full = analyse(series, direction="higher")
    for length in range(1, len(series)):
        assert analyse(series[:length], direction="higher").flags == full.flags[:length]


def test_direction_of_travel():
    assert analyse([1.0, 1.1, 1.2], direction="higher").direction_of_travel == "up"
    assert analyse([1.2, 1.1, 1.0], direction="higher").direction_of_travel == "down"
    assert analyse([1.0, 1.0, 1.0], direction="higher").direction_of_travel == "flat"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), max_size=40))
def test_analysis_of_any_series(values):
    analysis = analyse(values, direction="higher")
    assert len(analysis.flags) == len(values)
    if len(values) >= 2:
        assert analysis.limits.lower <= analysis.limits.centre <= analysis.limits.upper
    for flags in analysis.flags:
        for flag in flags:
            assert flag["code"] in kpi.PATTERNS and flag["message"]


# --- recommendations ------------------------------------------------------------------------


def test_every_pattern_has_a_general_rule_and_codes_are_unique():
    assert len(kpi.RULES_BY_CODE) == len(kpi.RULES)
    for pattern in kpi.PATTERNS:
        assert any(rule.kind == kpi.ANY and rule.pattern == pattern for rule in kpi.RULES)
    kinds = {kind for kind, _ in kpi.KINDS}
    assert {rule.kind for rule in kpi.RULES} <= kinds | {kpi.ANY}
    for _, names in kpi.KINDS:
        assert names <= set(METRICS)


def test_the_kind_of_kpi_picks_the_rule():
    falling = [{"code": "worsening", "since": "2026-03-01", "message": "Fell 3 periods in a row"}]
    cost = recommend(["ev", "ac"], falling)
    assert kpi.kind_of(["ev", "ac"]) == "cost"
    assert [advice.rule for advice in cost] == ["cost-worsening"]
    assert "estimate to complete" in cost[0].text and "change request" in cost[0].text
    assert cost[0].since == "2026-03-01" and cost[0].evidence == "Fell 3 periods in a row"
    assert [advice.rule for advice in recommend(["spi"], falling)] == ["schedule-worsening"]
    assert [advice.rule for advice in recommend(["ev", "pv"], falling)] == ["schedule-worsening"]
    assert [advice.rule for advice in recommend(["overdue_actions"], falling)] == ["governance-worsening"]
    # No rule for this kind and pattern: the general rule.
    beyond = [{"code": "beyond_limit", "since": "2026-03-01", "message": "x"}]
    assert [advice.rule for advice in recommend(["risk_exposure"], beyond)] == ["any-beyond-limit"]
    assert [advice.rule for advice in recommend([], falling)] == ["any-worsening"]
    assert recommend(["cpi"], []) == []
