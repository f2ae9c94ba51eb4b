"""Key performance indicators: a safe formula language over named figures, the status of a value
against its thresholds, trends and patterns over a series of measurements, and the corrective
actions recommended when a pattern appears.

Formulas
    ``parse(text, known_names)`` reads a formula such as ``ev / ac`` or
    ``percent(milestones_late, milestones_due)`` into a tree; nothing in the text is ever run as
    Python. The language has numbers (``12``, ``0.85``, ``1e6``), names of figures, ``+ - * /``,
    unary minus, parentheses and the functions ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs(x)``,
    ``round(x)`` / ``round(x, n)`` (``n`` a whole number 0-10 written as is), ``ratio(a, b)``
    (``a / b``) and ``percent(a, b)`` (``100 x a / b``). A formula is at most ``MAX_LENGTH``
    characters and nests at most ``MAX_DEPTH`` levels. Mistakes raise ``FormulaError`` with the
    1-based column and a message a person can act on.

    ``Formula.evaluate(figures)`` gives a float, or None (no value) when a figure it needs is None
    (not known), when it divides by zero, or when the result is not a finite number. Dividing by
    zero is not an error: a project without actual cost simply has no CPI yet.

Status
    ``rag(value, target=..., amber=..., red=..., direction=...)``: with ``higher`` better a value
    below ``red`` is red, below ``amber`` amber, else green (``lower`` better: above). A value
    exactly on a threshold is on the better side. Without an amber threshold the target is used.

Trends and patterns (``analyse``)
    The least-squares slope per period; XmR (individuals and moving range) natural process limits,
    mean +- 2.66 x the mean moving range (Wheeler, *Understanding Variation*); and at each point
    the patterns found, each with its evidence: a run of periods worsening (three by default), a
    point beyond a limit computed from the points before it (Western Electric rule 1), a run of
    seven or more on the bad side of the centre line (the run rule of Western Electric / Nelson
    rule 2 with seven points), and a move into red.

Recommendations (``recommend``)
    ``RULES`` is the table from (kind of KPI, pattern) to a corrective action with its rationale.
    The kind comes from the figures the formula reads (``KINDS``); a pattern with no rule for the
    kind gets the general rule for that pattern.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from itertools import pairwise
from math import isfinite

MAX_LENGTH = 500
MAX_DEPTH = 25
# round(x, n): n is written as a whole number in this range.
MAX_DIGITS = 10


class FormulaError(ValueError):
    """A formula that cannot be read; ``column`` is 1-based (0 when about the whole text)."""

    def __init__(self, message: str, column: int = 0):
        super().__init__(message)
        self.message = message
        self.column = column


# --- tokens ---------------------------------------------------------------------------------

NUMBER, NAME, OPERATOR, OPEN, CLOSE, COMMA, END = "number", "name", "operator", "(", ")", ",", "end"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int  # 1-based
    value: float = 0.0


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an END token. Linear in the length of the text."""
    tokens: list[Token] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        column = position + 1
        if char in " \t\r\n":
            position += 1
        elif char.isascii() and (char.isdigit() or (char == "." and _digit_at(text, position + 1))):
            start = position
            while position < length and _digit_at(text, position):
                position += 1
            if position < length and text[position] == ".":
                position += 1
                while position < length and _digit_at(text, position):
                    position += 1
            if position < length and text[position] in "eE":
                mark = position + 1
                if mark < length and text[mark] in "+-":
                    mark += 1
                if _digit_at(text, mark):
                    position = mark
                    while position < length and _digit_at(text, position):
                        position += 1
            literal = text[start:position]
            value = float(literal)
            if not isfinite(value):
                raise FormulaError(f"The number {literal} at column {column} is too large", column)
            if position < length and (text[position].isalpha() or text[position] in "_."):
                raise FormulaError(
                    f"Unexpected '{text[position]}' after the number {literal} at column {position + 1}", position + 1
                )
            tokens.append(Token(NUMBER, literal, column, value))
        elif char.isascii() and (char.isalpha() or char == "_"):
            start = position
            while (
                position < length and text[position].isascii() and (text[position].isalnum() or text[position] == "_")
            ):
                position += 1
            tokens.append(Token(NAME, text[start:position], column))
        elif char in "+-*/":
            tokens.append(Token(OPERATOR, char, column))
            position += 1
        elif char in "(),":
            tokens.append(Token(char, char, column))
            position += 1
        else:
            hint = " (comparisons are not part of formulas: use thresholds)" if char in "<>=!" else ""
            if char == "^":
                hint = " (powers are not part of formulas: multiply instead)"
            raise FormulaError(f"Unexpected character {char!r} at column {column}{hint}", column)
    tokens.append(Token(END, "", length + 1))
    return tokens


def _digit_at(text: str, position: int) -> bool:
    return position < len(text) and text[position] in "0123456789"


# --- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Figure:
    name: str


@dataclass(frozen=True)
class Negate:
    operand: object


@dataclass(frozen=True)
class Binary:
    operator: str
    left: object
    right: object


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple


# name -> (fewest arguments, most arguments or None for any number, description)
FUNCTIONS: dict[str, tuple[int, int | None, str]] = {
    "min": (1, None, "min(a, b, ...): the smallest value"),
    "max": (1, None, "max(a, b, ...): the largest value"),
    "abs": (1, 1, "abs(x): the value without its sign"),
    "round": (1, 2, "round(x) or round(x, n): rounded to n decimals (n written as a whole number, 0-10)"),
    "ratio": (2, 2, "ratio(a, b): a / b, no value when b is 0"),
    "percent": (2, 2, "percent(a, b): 100 x a / b, no value when b is 0"),
}


class _Parser:
    """Recursive descent over the grammar::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | "+" unary | primary
    primary    := NUMBER | NAME | NAME "(" arguments ")" | "(" expression ")"
    """

    def __init__(self, tokens: list[Token], known: frozenset[str]):
        self.tokens = tokens
        self.index = 0
        self.known = known
        self.names: list[str] = []

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self):
        if self.current.kind == END:
            raise FormulaError("The formula is empty: write an expression such as ev / ac", 1)
        tree = self.expression(0)
        token = self.current
        if token.kind == CLOSE:
            raise FormulaError(f"Unmatched ')' at column {token.column}", token.column)
        if token.kind != END:
            raise FormulaError(f"Expected an operator before {_describe(token)} at column {token.column}", token.column)
        return tree

    def _deeper(self, depth: int, token: Token) -> int:
        if depth + 1 > MAX_DEPTH:
            raise FormulaError(
                f"The formula nests too deeply at column {token.column} (at most {MAX_DEPTH} levels)", token.column
            )
        return depth + 1

    def expression(self, depth: int):
        left = self.term(depth)
        while self.current.kind == OPERATOR and self.current.text in "+-":
            operator = self.advance().text
            left = Binary(operator, left, self.term(depth))
        return left

    def term(self, depth: int):
        left = self.unary(depth)
        while self.current.kind == OPERATOR and self.current.text in "*/":
            operator = self.advance().text
            left = Binary(operator, left, self.unary(depth))
        return left

    def unary(self, depth: int):
        token = self.current
        if token.kind == OPERATOR and token.text in "+-":
            self.advance()
            operand = self.unary(self._deeper(depth, token))
            return Negate(operand) if token.text == "-" else operand
        return self.primary(depth)

    def primary(self, depth: int):
        token = self.current
        if token.kind == NUMBER:
            self.advance()
            return Number(token.value)
        if token.kind == OPEN:
            self.advance()
            inner = self.expression(self._deeper(depth, token))
            self.expect_close(token)
            return inner
        if token.kind == NAME:
            self.advance()
            if self.current.kind == OPEN:
                return self.call(token, depth)
            return self.figure(token)
        if token.kind == END:
            raise FormulaError(f"The formula ends too soon: a value is missing at column {token.column}", token.column)
        raise FormulaError(f"Expected a value but found {_describe(token)} at column {token.column}", token.column)

    def expect_close(self, opening: Token) -> None:
        token = self.current
        if token.kind != CLOSE:
            raise FormulaError(
                f"Missing ')' at column {token.column} to close the '(' at column {opening.column}", token.column
            )
        self.advance()

    def figure(self, token: Token) -> Figure:
        name = token.text
        if name in FUNCTIONS:
            raise FormulaError(f"'{name}' is a function at column {token.column}: write {name}(...)", token.column)
        if name not in self.known:
            guess = get_close_matches(name, sorted(self.known), n=1, cutoff=0.6)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            raise FormulaError(f"Unknown figure '{name}' at column {token.column}{hint}", token.column)
        if name not in self.names:
            self.names.append(name)
        return Figure(name)

    def call(self, name_token: Token, depth: int) -> Call:
        name = name_token.text
        column = name_token.column
        if name not in FUNCTIONS:
            guess = get_close_matches(name, sorted(FUNCTIONS), n=1, cutoff=0.6)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f" (the functions are {', '.join(FUNCTIONS)})"
            raise FormulaError(f"Unknown function '{name}' at column {column}{hint}", column)
        opening = self.advance()
        depth = self._deeper(depth, opening)
        arguments = []
        if self.current.kind != CLOSE:
            arguments.append(self.expression(depth))
            while self.current.kind == COMMA:
                self.advance()
                arguments.append(self.expression(depth))
        self.expect_close(opening)
        fewest, most, usage = FUNCTIONS[name]
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            raise FormulaError(
                f"{name}() at column {column} takes {_arity(fewest, most)}, not {len(arguments)}: {usage}", column
            )
        if name == "round" and len(arguments) == 2:
            digits = arguments[1]
            if not (isinstance(digits, Number) and digits.value.is_integer() and 0 <= digits.value <= MAX_DIGITS):
                raise FormulaError(
                    f"round() at column {column}: the number of decimals must be written as a whole number "
                    f"from 0 to {MAX_DIGITS}",
                    column,
                )
        return Call(name, tuple(arguments))


def _arity(fewest: int, most: int | None) -> str:
    if most is None:
        return f"at least {fewest} argument{'s' if fewest != 1 else ''}"
    if fewest == most:
        return f"{fewest} argument{'s' if fewest != 1 else ''}"
    return f"{fewest} to {most} arguments"


def _describe(token: Token) -> str:
    if token.kind == END:
        return "the end"
    return f"'{token.text}'"


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, its tree and the figures it reads (in order of first use)."""

    text: str
    tree: object
    names: tuple[str, ...]

    def evaluate(self, figures: Mapping[str, float | None]) -> float | None:
        """The value over ``figures`` (name -> number or None); None when a figure it needs is not
        known, on a division by zero, or when the result is not a finite number."""
        value = _evaluate(self.tree, figures)
        return None if value is None or not isfinite(value) else float(value)


def parse(text: str, known_names: Iterable[str]) -> Formula:
    """Read ``text`` into a ``Formula`` over the figures ``known_names``; ``FormulaError`` says
    what is wrong and where. Linear in the length of the text (which is limited)."""
    if not isinstance(text, str):
        raise FormulaError("A formula is text", 0)
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"The formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed", MAX_LENGTH + 1
        )
    parser = _Parser(tokenize(text), frozenset(known_names))
    tree = parser.parse()
    return Formula(text=text.strip(), tree=tree, names=tuple(parser.names))


def _evaluate(node, figures: Mapping[str, float | None]) -> float | None:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Figure):
        value = figures.get(node.name)
        if value is None:
            return None
        value = float(value)
        return value if isfinite(value) else None
    if isinstance(node, Negate):
        value = _evaluate(node.operand, figures)
        return None if value is None else -value
    if isinstance(node, Binary):
        left = _evaluate(node.left, figures)
        if left is None:
            return None
        right = _evaluate(node.right, figures)
        if right is None:
            return None
        if node.operator == "+":
            result = left + right
        elif node.operator == "-":
            result = left - right
        elif node.operator == "*":
            result = left * right
        else:
            if right == 0:
                return None
            result = left / right
        return result if isfinite(result) else None
    return _call(node, figures)


def _call(node: Call, figures) -> float | None:
    values = []
    for argument in node.arguments:
        value = _evaluate(argument, figures)
        if value is None:
            return None
        values.append(value)
    name = node.function
    if name == "min":
        return min(values)
    if name == "max":
        return max(values)
    if name == "abs":
        return abs(values[0])
    if name == "round":
        return float(round(values[0], int(values[1]) if len(values) == 2 else 0))
    if values[1] == 0:
        return None
    result = values[0] / values[1] * (100.0 if name == "percent" else 1.0)
    return result if isfinite(result) else None


# --- status ---------------------------------------------------------------------------------

GREEN, AMBER, RED, NOT_ASSESSED = "green", "amber", "red", "not_assessed"
HIGHER, LOWER = "higher", "lower"


def check_thresholds(*, target: float, amber: float | None, red: float | None, direction: str) -> list[str]:
    """The problems with a KPI's thresholds, as sentences (empty when they are consistent)."""
    problems = []
    if direction not in (HIGHER, LOWER):
        return [f"The direction must be '{HIGHER}' or '{LOWER}' is better, not {direction!r}."]
    amber_line = target if amber is None else amber
    worse = "below" if direction == HIGHER else "above"
    if amber is not None and _is_better(amber, target, direction):
        problems.append(f"The amber threshold {amber:g} must not be better than the target {target:g}.")
    if red is not None and _is_better(red, amber_line, direction):
        problems.append(
            f"With {direction} values better, the red threshold ({red:g}) must be at or {worse} the amber "
            f"threshold ({amber_line:g})."
        )
    return problems


def _is_better(value: float, than: float, direction: str) -> bool:
    return value > than if direction == HIGHER else value < than


def rag(value: float | None, *, target: float, amber: float | None, red: float | None, direction: str) -> str:
    """Green, amber or red for ``value``; not assessed when there is no value."""
    if value is None:
        return NOT_ASSESSED
    amber_line = target if amber is None else amber
    if red is not None and _is_better(red, value, direction):
        return RED
    if _is_better(amber_line, value, direction):
        return AMBER
    return GREEN


# --- trends and patterns --------------------------------------------------------------------

# Wheeler's scaling constant for the individuals chart: 3 / d2 with d2 = 1.128 for moving ranges of two.
XMR_FACTOR = 2.66
WORSENING_PERIODS = 3
RUN_LENGTH = 7
# Points needed before a point's own limits are computed from those before it.
BASELINE_POINTS = 5

WORSENING, BEYOND_LIMIT, RUN, ENTERED_RED = "worsening", "beyond_limit", "run", "entered_red"
PATTERNS = {
    WORSENING: "Worsening run",
    BEYOND_LIMIT: "Beyond a control limit",
    RUN: "Run on the bad side of the centre line",
    ENTERED_RED: "Turned red",
}


@dataclass(frozen=True)
class Limits:
    """XmR natural process limits of a series (needs two values or more)."""

    centre: float
    moving_range: float
    upper: float
    lower: float
    points: int


def control_limits(values: Sequence[float]) -> Limits | None:
    """Centre line (the mean) and natural process limits (mean +- 2.66 x mean moving range)."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in pairwise(values)]
    moving_range = sum(ranges) / len(ranges)
    return Limits(
        centre=centre,
        moving_range=moving_range,
        upper=centre + XMR_FACTOR * moving_range,
        lower=centre - XMR_FACTOR * moving_range,
        points=len(values),
    )


def slope(values: Sequence[float]) -> float | None:
    """Least-squares slope of ``values`` against their position (change per period)."""
    count = len(values)
    if count < 2:
        return None
    mean_x = (count - 1) / 2
    mean_y = sum(values) / count
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    denominator = sum((x - mean_x) ** 2 for x in range(count))
    return numerator / denominator


@dataclass(frozen=True)
class Analysis:
    """Trend of a series and the patterns found at each of its points (``flags[i]`` for point i)."""

    slope: float | None
    limits: Limits | None
    flags: tuple[tuple[dict, ...], ...]

    @property
    def direction_of_travel(self) -> str:
        """'up', 'down' or 'flat' (a slope under 1% of the typical moving range counts as flat)."""
        if self.slope is None:
            return "flat"
        tolerance = 0.01 * (self.limits.moving_range if self.limits and self.limits.moving_range else abs(self.slope))
        if abs(self.slope) <= tolerance:
            return "flat"
        return "up" if self.slope > 0 else "down"


def analyse(
    values: Sequence[float],
    *,
    direction: str,
    statuses: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    worsening_periods: int = WORSENING_PERIODS,
    run_length: int = RUN_LENGTH,
    baseline_points: int = BASELINE_POINTS,
) -> Analysis:
    """The trend of ``values`` (oldest first) and the patterns at each point, judged on the data up
    to that point only (so a point's flags do not change when later points arrive).

    Each flag is ``{"code", "message", "since", "evidence"}``: ``since`` is the label (period) at
    which the pattern began, so the same continuing pattern can be recognised period after period.
    ``labels`` name the points in messages (periods' dates); positions are used without them.
    O(n x (run_length + worsening_periods)) plus O(n) per point for the limits.
    """
    if direction not in (HIGHER, LOWER):
        raise ValueError(f"direction must be {HIGHER!r} or {LOWER!r}")
    names = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    worse = -1.0 if direction == HIGHER else 1.0  # the sign of a change for the worse
    flags = []
    # Running sums give each point's limits from the points before it in O(1).
    total = 0.0
    range_total = 0.0
    for i, value in enumerate(values):
        found: list[dict] = []
        # A run of periods worsening: each of the last N changes in the bad direction.
        if i >= worsening_periods:
            window = values[i - worsening_periods : i + 1]
            changes = [b - a for a, b in pairwise(window)]
            if all(change * worse > 0 for change in changes):
                start = i - worsening_periods
                while start > 0 and (values[start] - values[start - 1]) * worse > 0:
                    start -= 1
                periods = i - start
                found.append(
                    {
                        "code": WORSENING,
                        "message": f"{'Fell' if worse < 0 else 'Rose'} {periods} periods in a row, "
                        f"from {values[start]:.4g} to {value:.4g}",
                        "since": names[start],
                        "evidence": {"periods": periods, "from": values[start], "to": value},
                    }
                )
        # A point beyond the natural process limits of the points before it.
        if i >= baseline_points:
            centre = total / i
            moving_range = range_total / (i - 1)
            upper = centre + XMR_FACTOR * moving_range
            lower = centre - XMR_FACTOR * moving_range
            beyond = value > upper if worse > 0 else value < lower
            if moving_range > 0 and beyond:
                limit = upper if worse > 0 else lower
                found.append(
                    {
                        "code": BEYOND_LIMIT,
                        "message": f"{value:.4g} is beyond the {'upper' if worse > 0 else 'lower'} control limit "
                        f"{limit:.4g} of the {i} periods before",
                        "since": names[i],
                        "evidence": {"value": value, "limit": limit, "centre": centre, "points": i},
                    }
                )
        # A run on the bad side of the centre line of the points before the run.
        if i >= run_length - 1 and i >= baseline_points + run_length - 1:
            base = i - run_length + 1
            centre = sum(values[:base]) / base
            window = values[base : i + 1]
            if all((point - centre) * worse > 0 for point in window):
                # Date the run from its first point, so a run that goes on is one pattern.
                start = base
                while start > baseline_points and (values[start - 1] - centre) * worse > 0:
                    start -= 1
                found.append(
                    {
                        "code": RUN,
                        "message": f"{i - start + 1} periods in a row {'below' if worse < 0 else 'above'} "
                        f"the centre line {centre:.4g}",
                        "since": names[start],
                        "evidence": {"periods": i - start + 1, "centre": centre},
                    }
                )
        if statuses is not None and statuses[i] == RED and (i == 0 or statuses[i - 1] != RED):
            found.append(
                {
                    "code": ENTERED_RED,
                    "message": f"Turned red at {value:.4g}",
                    "since": names[i],
                    "evidence": {"value": value, "previous": statuses[i - 1] if i else None},
                }
            )
        flags.append(tuple(found))
        if i >= 1:
            range_total += abs(value - values[i - 1])
        total += value
    return Analysis(slope=slope(values), limits=control_limits(values), flags=tuple(flags))


# --- recommendations ------------------------------------------------------------------------

# The kinds of KPI, told apart by the figures their formula reads (first match wins).
# fmt: off
KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("cost", frozenset({"ac", "cv", "cpi", "eac", "eac_cpi_spi", "eac_bottom_up", "etc", "vac", "tcpi",
                        "percent_spent"})),
    ("schedule", frozenset({"pv", "sv", "spi", "es", "at", "sv_t", "spi_t", "ieac_t", "percent_complete",
                            "percent_planned",
                            "milestones_due", "milestones_late", "milestone_slip_days", "finish_slip_days",
                            "float_consumed_pct", "critical_float_days"})),
    ("risk", frozenset({"open_risks", "open_high_risks", "risk_exposure"})),
    ("issues", frozenset({"open_issues", "overdue_issues"})),
    ("governance", frozenset({"open_actions", "overdue_actions", "reports_missing", "report_days_late"})),
    ("scope", frozenset({"pending_changes", "approved_changes", "scope_change_pct"})),
    ("resources", frozenset({"overloaded_people", "overload_pct"})),
)
# fmt: on
ANY = "any"


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # a kind of KINDS or ANY
    pattern: str  # a pattern code of PATTERNS
    action: str
    rationale: str


# fmt: off
RULES: tuple[Rule, ...] = (
    Rule("cost-worsening", "cost", WORSENING,
         "Review the estimate to complete and the cost drivers behind the fall; if the overrun will not "
         "recover, raise a change request to re-baseline the budget.",
         "A cost index falling period after period is a systematic cause (rates, rework, scope creep), not "
         "noise; CPI rarely recovers unaided after 20% of the work."),
    Rule("cost-beyond-limit", "cost", BEYOND_LIMIT,
         "Investigate this period's cost bookings for a one-off cause (a late invoice, a miscoded timesheet) "
         "and correct or explain them before the next report.",
         "A point outside the natural process limits signals an assignable cause for that period."),
    Rule("cost-run", "cost", RUN,
         "Re-forecast the estimate at completion from the current cost performance and agree with the sponsor "
         "whether to recover, descope or release contingency.",
         "A sustained shift below the usual level means the cost baseline no longer describes the project."),
    Rule("cost-red", "cost", ENTERED_RED,
         "Escalate to the project board with a recovery plan: the cost drivers, the options (descope, "
         "re-phase, contingency) and a change request if the budget must move.",
         "Red means the cost tolerance is breached; the board decides on exceptions."),
    Rule("schedule-worsening", "schedule", WORSENING,
         "Review the critical path and the slipping activities with their owners; plan schedule compression "
         "(fast-tracking or crashing) or raise a change request for the dates.",
         "Schedule performance that keeps falling points at a persistent constraint: resources, dependencies "
         "or an unrealistic plan."),
    Rule("schedule-beyond-limit", "schedule", BEYOND_LIMIT,
         "Find what stopped progress this period (a blocked dependency, an absence, a late delivery) and "
         "record it as an issue with an owner.",
         "A point beyond the control limits has a specific cause worth naming."),
    Rule("schedule-run", "schedule", RUN,
         "Re-plan the remaining work against current productivity and check the forecast finish against "
         "committed milestones.",
         "A run on the bad side of the centre line shows the plan's pace is not being achieved."),
    Rule("schedule-red", "schedule", ENTERED_RED,
         "Escalate the slippage to the project board with the recovery options and their cost; consider an "
         "exception plan.",
         "Red means the schedule tolerance is breached."),
    Rule("risk-worsening", "risk", WORSENING,
         "Hold a risk review: re-score the top risks, check that each has an owner and a response action, and "
         "escalate those above the threshold.",
         "Growing exposure means responses are not keeping up with new or growing risks."),
    Rule("risk-red", "risk", ENTERED_RED,
         "Ask the board to review the risk appetite and fund or approve the responses for the highest risks.",
         "Exposure beyond tolerance needs a decision above the project."),
    Rule("issues-worsening", "issues", WORSENING,
         "Triage the open issues: give each an owner and a target date, and close or escalate the oldest.",
         "A growing issue backlog slows delivery and hides the ones that matter."),
    Rule("governance-worsening", "governance", WORSENING,
         "Chase the overdue actions with their owners, re-date or cancel the stale ones and review them at the "
         "next board.",
         "Overdue actions that keep growing show decisions are not being followed through."),
    Rule("governance-red", "governance", ENTERED_RED,
         "Ask the sponsor to confirm ownership of overdue actions and reports; escalate persistent "
         "non-compliance to the PMO head.",
         "Governance red means the controls the board relies on are not operating."),
    Rule("scope-worsening", "scope", WORSENING,
         "Review the change log with the sponsor: confirm the benefits of approved changes and tighten change "
         "control before approving more.",
         "Scope that keeps growing erodes budget and schedule contingency."),
    Rule("resources-worsening", "resources", WORSENING,
         "Level the resources: move or re-sequence work off the overloaded people, or request more capacity.",
         "Sustained overload leads to slippage, errors and attrition."),
    Rule("any-worsening", ANY, WORSENING,
         "Review the causes of the decline with the KPI's owner and agree a corrective action with a date.",
         "Three or more periods moving the wrong way is a trend, not chance."),
    Rule("any-beyond-limit", ANY, BEYOND_LIMIT,
         "Investigate this period for a specific cause and record what was found.",
         "A point outside the natural process limits signals an assignable cause (Western Electric rule 1)."),
    Rule("any-run", ANY, RUN,
         "Check whether the process has shifted; if so, re-set the expectation or act to restore it.",
         "Seven or more points on one side of the centre line show a sustained shift."),
    Rule("any-red", ANY, ENTERED_RED,
         "Escalate to the owner of the KPI's target with a recovery plan.",
         "Red means the agreed tolerance is breached."),
)
# fmt: on
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def kind_of(names: Iterable[str]) -> str:
    """The kind of a KPI from the figures its formula reads (ANY when none is recognised)."""
    used = set(names)
    for kind, figures in KINDS:
        if used & figures:
            return kind
    return ANY


@dataclass(frozen=True)
class Recommendation:
    rule: str
    text: str
    rationale: str
    since: str
    evidence: str


def recommend(names: Iterable[str], flags: Iterable[Mapping]) -> list[Recommendation]:
    """The recommended corrective actions for the patterns ``flags`` found at one point of a KPI
    whose formula reads ``names``: the kind's own rule for each pattern, else the general one."""
    kind = kind_of(names)
    result = []
    for flag in flags:
        rule = next((r for r in RULES if r.kind == kind and r.pattern == flag["code"]), None)
        if rule is None:
            rule = next(r for r in RULES if r.kind == ANY and r.pattern == flag["code"])
        result.append(
            Recommendation(
                rule=rule.code,
                text=rule.action,
                rationale=rule.rationale,
                since=str(flag.get("since", "")),
                evidence=str(flag.get("message", "")),
            )
        )
    return result
