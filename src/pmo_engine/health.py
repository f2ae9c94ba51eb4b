"""Health rules: judge a project's named figures (``pmo_engine.metrics``) against thresholds.

Each :class:`Rule` reads one figure and belongs to one dimension (schedule, cost, scope, risk,
resources, governance). Its ``direction`` says which side is bad: for ``BELOW`` rules (indices
such as SPI and CPI) a low value is bad, for ``ABOVE`` rules (slips, counts, percentages) a high
one. A threshold is the value *at which* the rule turns that colour, so a value exactly at a
threshold takes its colour:

- ``ABOVE``: value >= red is red, else value >= amber is amber, else green;
- ``BELOW``: value <= red is red, else value <= amber is amber, else green.

A figure that is None (not known: no baseline yet, nothing spent yet...) leaves its rule *not
assessed*. A dimension takes the status of its worst assessed rule and is not assessed when none
of its rules could be; the overall status is the worst dimension. :func:`assess` explains every
rule in a plain sentence, so anyone can see why a project is amber.

Thresholds are validated: both finite, and amber strictly on the safe side of red (above red for
``BELOW`` rules, below red for ``ABOVE`` rules). The PMO may override any rule's thresholds and
switch rules off (:class:`RuleSetting`).

Pure Python; cost O(rules).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import isfinite

from pmo_engine.errors import InvalidInput
from pmo_engine.metrics import METRICS

# Dimensions, in the order they are shown.
SCHEDULE = "schedule"
COST = "cost"
SCOPE = "scope"
RISK = "risk"
RESOURCES = "resources"
GOVERNANCE = "governance"
DIMENSIONS = (SCHEDULE, COST, SCOPE, RISK, RESOURCES, GOVERNANCE)

# Statuses, from worst to best; NOT_ASSESSED ranks below GREEN (it never hides a colour).
RED = "red"
AMBER = "amber"
GREEN = "green"
NOT_ASSESSED = "not_assessed"
_RANK = {RED: 3, AMBER: 2, GREEN: 1, NOT_ASSESSED: 0}

BELOW = "below"  # a value at or below the threshold is bad (indices)
ABOVE = "above"  # a value at or above the threshold is bad (slips, counts)


@dataclass(frozen=True)
class Rule:
    """One health rule.

    ``meaning`` explains the value in plain words; it may use ``{value}`` (the figure as shown),
    ``{pence}`` (a ratio as pence in the pound) and ``{plural}`` ("s" unless the value is 1).
    ``missing`` says why the rule cannot be assessed when its figure is not known.
    """

    code: str
    label: str
    dimension: str
    figure: str
    direction: str
    amber: float
    red: float
    meaning: str
    missing: str

    def __post_init__(self):
        if self.dimension not in DIMENSIONS:
            raise InvalidInput(f"Rule {self.code}: unknown dimension {self.dimension!r}.", field="dimension")
        if self.figure not in METRICS:
            raise InvalidInput(f"Rule {self.code}: unknown figure {self.figure!r}.", field="figure")
        if self.direction not in (BELOW, ABOVE):
            raise InvalidInput(f"Rule {self.code}: direction must be {BELOW!r} or {ABOVE!r}.", field="direction")
        check_thresholds(self, self.amber, self.red)


@dataclass(frozen=True)
class RuleSetting:
    """The PMO's tuning of a rule: thresholds and whether it is used."""

    amber: float
    red: float
    enabled: bool = True


@dataclass(frozen=True)
class Finding:
    """What one rule found: the figure's value, the thresholds used, the status and why."""

    rule: str
    label: str
    dimension: str
    figure: str
    direction: str
    value: float | None
    amber: float
    red: float
    status: str
    message: str
    enabled: bool = True

    @property
    def fired(self) -> bool:
        return self.status in (RED, AMBER)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "label": self.label,
            "dimension": self.dimension,
            "figure": self.figure,
            "direction": self.direction,
            "value": self.value,
            "amber": self.amber,
            "red": self.red,
            "status": self.status,
            "message": self.message,
            "enabled": self.enabled,
        }


@dataclass(frozen=True)
class HealthAssessment:
    overall: str
    dimensions: dict[str, str]
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def fired(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.fired)


def check_thresholds(rule: Rule, amber: float, red: float) -> None:
    """Refuse thresholds that are not finite numbers or put amber on the bad side of red."""
    for name, value in (("amber", amber), ("red", red)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            raise InvalidInput(f"The {name} threshold of {rule.label} must be a finite number.", field=name)
    if rule.direction == BELOW and not amber > red:
        raise InvalidInput(
            f"{rule.label} is bad when low: its amber threshold ({_number(amber)}) must be above its red "
            f"threshold ({_number(red)}).",
            field="amber",
        )
    if rule.direction == ABOVE and not amber < red:
        raise InvalidInput(
            f"{rule.label} is bad when high: its amber threshold ({_number(amber)}) must be below its red "
            f"threshold ({_number(red)}).",
            field="amber",
        )


def _number(value: float) -> str:
    """A figure as a person reads it: whole numbers without decimals, others to two places."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


_NO_BASELINE = "no primary baseline, nothing planned by now, or progress not measured yet"

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "spi",
            "SPI",
            SCHEDULE,
            "spi",
            BELOW,
            0.95,
            0.85,
            "{pence}p of work is done for each pound of work planned by now",
            _NO_BASELINE,
        ),
        Rule(
            "spi_t",
            "SPI(t)",
            SCHEDULE,
            "spi_t",
            BELOW,
            0.95,
            0.85,
            "each week that passes earns {value} weeks of the planned schedule",
            _NO_BASELINE,
        ),
        Rule(
            "milestone_slip",
            "Worst milestone slip",
            SCHEDULE,
            "milestone_slip_days",
            ABOVE,
            5,
            15,
            "the latest milestone is {value} day{plural} behind its baseline date",
            "no milestone in the primary baseline",
        ),
        Rule(
            "milestones_late",
            "Milestones late",
            SCHEDULE,
            "milestones_late",
            ABOVE,
            1,
            3,
            "{value} milestone{plural} finished, or forecast, after the baseline date",
            "no milestone in the primary baseline",
        ),
        Rule(
            "finish_slip",
            "Finish slip",
            SCHEDULE,
            "finish_slip_days",
            ABOVE,
            5,
            20,
            "the forecast finish is {value} day{plural} after the baseline finish",
            "no primary baseline or no schedule yet",
        ),
        Rule(
            "float_consumed",
            "Float consumed",
            SCHEDULE,
            "float_consumed_pct",
            ABOVE,
            50,
            100,
            "the critical path has used {value}% of the margin before the committed finish",
            "no committed finish date after the baseline finish",
        ),
        Rule(
            "cpi",
            "CPI",
            COST,
            "cpi",
            BELOW,
            0.95,
            0.85,
            "each pound spent earns {pence}p of planned work",
            "no primary baseline, or no approved cost booked yet",
        ),
        Rule(
            "tcpi",
            "TCPI",
            COST,
            "tcpi",
            ABOVE,
            1.05,
            1.15,
            "the remaining work must earn {value} pounds of plan per pound spent to finish within budget",
            "no primary baseline, or the budget is already spent",
        ),
        Rule(
            "pending_changes",
            "Pending changes",
            SCOPE,
            "pending_changes",
            ABOVE,
            3,
            6,
            "{value} change request{plural} wait for a decision",
            "change requests are not known",
        ),
        Rule(
            "scope_change",
            "Scope change",
            SCOPE,
            "scope_change_pct",
            ABOVE,
            5,
            10,
            "approved changes add {value}% to the budget at completion",
            "no budget at completion to compare the approved changes with",
        ),
        Rule(
            "open_high_risks",
            "Open high risks",
            RISK,
            "open_high_risks",
            ABOVE,
            1,
            3,
            "{value} open risk{plural} score in the red band of the risk scale",
            "risks are not known",
        ),
        Rule(
            "overdue_issues",
            "Overdue issues",
            RISK,
            "overdue_issues",
            ABOVE,
            1,
            3,
            "{value} open issue{plural} past the target date",
            "issues are not known",
        ),
        Rule(
            "overloaded_people",
            "Overloaded people",
            RESOURCES,
            "overloaded_people",
            ABOVE,
            1,
            3,
            "{value} of the project's people booked above capacity in the next four weeks",
            "nobody is assigned to the project",
        ),
        Rule(
            "worst_overload",
            "Worst overload",
            RESOURCES,
            "overload_pct",
            ABOVE,
            110,
            130,
            "the busiest person on the project is booked at {value}% of capacity in the next four weeks",
            "nobody with capacity is assigned to the project",
        ),
        Rule(
            "overdue_actions",
            "Overdue actions",
            GOVERNANCE,
            "overdue_actions",
            ABOVE,
            1,
            5,
            "{value} open action{plural} past the due date",
            "actions are not known",
        ),
        Rule(
            "reports_missing",
            "Highlight reports missing",
            GOVERNANCE,
            "reports_missing",
            ABOVE,
            1,
            2,
            "{value} reporting period{plural} ended without a submitted highlight report",
            "highlight reports are not tracked",
        ),
        Rule(
            "report_days_late",
            "Highlight report late",
            GOVERNANCE,
            "report_days_late",
            ABOVE,
            3,
            10,
            "the oldest missing highlight report is {value} day{plural} past due",
            "highlight reports are not tracked",
        ),
    )
}


def status_of(rule: Rule, value: float | None, amber: float, red: float) -> str:
    """The colour of ``value`` against the thresholds (see the module docstring)."""
    if value is None or not isfinite(value):
        return NOT_ASSESSED
    if rule.direction == ABOVE:
        return RED if value >= red else AMBER if value >= amber else GREEN
    return RED if value <= red else AMBER if value <= amber else GREEN


def worst(statuses) -> str:
    """The worst of ``statuses`` (NOT_ASSESSED when there are none or none was assessed)."""
    return max(statuses, key=_RANK.__getitem__, default=NOT_ASSESSED)


def assess(
    figures: Mapping[str, float | None], settings: Mapping[str, RuleSetting | Mapping] | None = None
) -> HealthAssessment:
    """Judge ``figures`` by every rule of :data:`RULES`, with ``settings`` overriding the
    thresholds (and switching rules off) by rule code.

    Returns the status per dimension, the overall status and a finding per rule: those that
    fired first (red before amber), then green, then the rules not assessed; in rule order within
    each. Raises :class:`InvalidInput` for an unknown rule code or bad thresholds.
    """
    chosen = _settings(settings or {})
    findings = []
    for order, rule in enumerate(RULES.values()):
        setting = chosen.get(rule.code)
        value = figures.get(rule.figure)
        value = None if value is None or not isfinite(value) else float(value)
        if setting is None:
            finding = _finding(rule.code, value, rule.amber, rule.red, True)
        else:
            finding = _finding(rule.code, value, setting.amber, setting.red, setting.enabled)
        findings.append((order, finding))
    dimensions = {
        dimension: worst(finding.status for _, finding in findings if finding.dimension == dimension)
        for dimension in DIMENSIONS
    }
    findings.sort(key=lambda pair: (-_RANK[pair[1].status], pair[0]))
    return HealthAssessment(
        overall=worst(dimensions.values()),
        dimensions=dimensions,
        findings=tuple(finding for _, finding in findings),
    )


@lru_cache(maxsize=8192)
def _finding(code: str, value: float | None, amber: float, red: float, enabled: bool) -> Finding:
    """One rule's finding (cached: counts and thresholds repeat across projects and weeks, and a
    Finding is immutable)."""
    rule = RULES[code]
    setting = RuleSetting(amber, red, enabled)
    if not enabled:
        status = NOT_ASSESSED
        message = f"{rule.label} is switched off by the PMO."
    else:
        status = status_of(rule, value, amber, red)
        message = _message(rule, value, setting, status)
    return Finding(
        rule=rule.code,
        label=rule.label,
        dimension=rule.dimension,
        figure=rule.figure,
        direction=rule.direction,
        value=value,
        amber=float(amber),
        red=float(red),
        status=status,
        message=message,
        enabled=enabled,
    )


def _settings(settings: Mapping[str, RuleSetting | Mapping]) -> dict[str, RuleSetting]:
    chosen = {}
    for code, given in settings.items():
        rule = RULES.get(code)
        if rule is None:
            raise InvalidInput(f"There is no health rule {code!r}; the rules are {', '.join(RULES)}.", field="rule")
        setting = given
        if isinstance(given, Mapping):
            unknown = set(given) - {"amber", "red", "enabled"}
            if unknown:
                raise InvalidInput(
                    f"A setting of {rule.label} holds amber, red and enabled, not {', '.join(sorted(unknown))}.",
                    field="rule",
                )
            setting = RuleSetting(
                amber=given.get("amber", rule.amber),
                red=given.get("red", rule.red),
                enabled=bool(given.get("enabled", True)),
            )
        check_thresholds(rule, setting.amber, setting.red)
        chosen[code] = replace(setting, amber=float(setting.amber), red=float(setting.red))
    return chosen


def _message(rule: Rule, value: float | None, setting: RuleSetting, status: str) -> str:
    if status == NOT_ASSESSED:
        return f"{rule.label} is not assessed: {rule.missing}."
    shown = _number(round(value, 2))
    meaning = rule.meaning.format(value=shown, pence=_number(round(value * 100)), plural="" if shown == "1" else "s")
    threshold = setting.red if status == RED else setting.amber
    if status == GREEN:
        side = "above" if rule.direction == BELOW else "below"
        return f"{rule.label} {shown} is {side} the amber threshold {_number(setting.amber)}: {meaning}."
    side = "at" if value == threshold else ("below" if rule.direction == BELOW else "above")
    return f"{rule.label} {shown} is {side} the {status} threshold {_number(threshold)}: {meaning}."
