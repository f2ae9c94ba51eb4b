"""MSPDI's codes and value formats, both ways: link and constraint types, duration formats,
ISO 8601 durations, dates, times of day, money.

MSPDI conventions kept here: durations are ISO 8601 (``PT8H0M0S``, working time unless the
format says elapsed); ``LinkLag`` is in tenths of a minute (a plain percentage for percent lags,
as MPXJ reads and writes them); money amounts (``Cost``) are in hundredths of the currency;
rates (``StandardRate``) are per hour; units (``MaxUnits``, ``Units``) are fractions.
"""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, SubElement

from pmo_engine.formats.common import DurationUnit
from pmo_engine.model import MINUTES_PER_DAY, ConstraintType, LinkType

NAMESPACE = "http://schemas.microsoft.com/project"
NO_CALENDAR = -1  # CalendarUID / BaseCalendarUID meaning "none"
NO_RESOURCE = -65535  # ResourceUID of MS Project's placeholder assignment of a task without resources

LINK_TYPES = {
    0: LinkType.FINISH_TO_FINISH,
    1: LinkType.FINISH_TO_START,
    2: LinkType.START_TO_FINISH,
    3: LinkType.START_TO_START,
}
LINK_TYPE_CODES = {link_type: code for code, link_type in LINK_TYPES.items()}

CONSTRAINT_TYPES = {
    0: ConstraintType.AS_SOON_AS_POSSIBLE,
    1: ConstraintType.AS_LATE_AS_POSSIBLE,
    2: ConstraintType.MUST_START_ON,
    3: ConstraintType.MUST_FINISH_ON,
    4: ConstraintType.START_NO_EARLIER_THAN,
    5: ConstraintType.START_NO_LATER_THAN,
    6: ConstraintType.FINISH_NO_EARLIER_THAN,
    7: ConstraintType.FINISH_NO_LATER_THAN,
}
CONSTRAINT_TYPE_CODES = {constraint: code for code, constraint in CONSTRAINT_TYPES.items()}

# DurationFormat / LagFormat: (unit, elapsed); 35-44 are the same units marked "estimated",
# 53 is "no format" (MS Project shows days).
_UNIT_CODES = {
    3: (DurationUnit.MINUTES, False),
    4: (DurationUnit.MINUTES, True),
    5: (DurationUnit.HOURS, False),
    6: (DurationUnit.HOURS, True),
    7: (DurationUnit.DAYS, False),
    8: (DurationUnit.DAYS, True),
    9: (DurationUnit.WEEKS, False),
    10: (DurationUnit.WEEKS, True),
    11: (DurationUnit.MONTHS, False),
    12: (DurationUnit.MONTHS, True),
}
DURATION_FORMATS = {
    **_UNIT_CODES,
    **{code + 32: value for code, value in _UNIT_CODES.items()},
    21: (DurationUnit.DAYS, False),
    53: (DurationUnit.DAYS, False),
}
PERCENT_FORMATS = {19: False, 51: False, 20: True, 52: True}  # code: elapsed
DURATION_FORMAT_CODES = {value: code for code, value in _UNIT_CODES.items()}
PERCENT_FORMAT_CODES = {False: 19, True: 20}

# Resource Type: 0 material, 1 work, 2 cost (MS Project 2007+ also marks cost resources IsCostResource).
MATERIAL_RESOURCE, WORK_RESOURCE, COST_RESOURCE = 0, 1, 2

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration_minutes(text: str) -> float:
    """Minutes in an ISO 8601 duration such as ``PT8H0M0S`` (480.0); a day ``D`` is 24 hours.

    Raises ``ValueError`` (with a reason a person can act on) for anything else, for negative
    durations and for years and months, whose length in minutes is not defined.
    """
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT8H0M0S")
    if match["sign"]:
        raise ValueError(f"{text!r} is a negative duration; durations must be 0 or more")
    if match["years"] or match["months"]:
        raise ValueError(f"{text!r} counts years or months; write it in hours, such as PT8H0M0S")
    parts = {name: float(match[name] or 0) for name in ("days", "hours", "minutes", "seconds")}
    return parts["days"] * MINUTES_PER_DAY + parts["hours"] * 60 + parts["minutes"] + parts["seconds"] / 60


def format_duration(minutes: int) -> str:
    """Whole minutes as MS Project writes durations: ``PT8H0M0S`` (hours may exceed 24)."""
    hours, rest = divmod(minutes, 60)
    return f"PT{hours}H{rest}M0S"


def parse_datetime(text: str) -> datetime:
    """A naive ``datetime`` from ``2004-07-19T08:00:00``; an offset, if a tool wrote one, is
    dropped (MSPDI moments are local time). Raises ``ValueError``."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time such as 2024-05-27T08:00:00") from None
    return moment.replace(tzinfo=None)


def format_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


_TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?$")


def parse_time_minutes(text: str, *, is_end: bool) -> int:
    """Minutes after midnight of ``08:00:00``; an end time of ``00:00:00`` or ``24:00:00`` is the
    end of the day (1440). Raises ``ValueError``."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time of day such as 08:00:00")
    minutes = int(match["hour"]) * 60 + int(match["minute"])
    if minutes > MINUTES_PER_DAY or int(match["minute"]) >= 60:
        raise ValueError(f"{text!r} is not a time of day such as 08:00:00")
    if is_end and minutes == 0:
        return MINUTES_PER_DAY
    if minutes == MINUTES_PER_DAY and not is_end:
        raise ValueError(f"{text!r} cannot start a working period")
    return minutes


def format_time(minutes: int) -> str:
    """``08:00:00`` for 480; the end of the day (1440) as ``00:00:00``, as MS Project writes it."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def parse_boolean(text: str) -> bool:
    """MSPDI booleans: ``1``/``0`` (and ``true``/``false``). Raises ``ValueError``."""
    value = text.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise ValueError(f"{text!r} is not a boolean (1 or 0)")


def parse_decimal(text: str) -> Decimal:
    """A decimal number such as ``22.5``. Raises ``ValueError``."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


def parse_money(text: str) -> Decimal:
    """An amount from MSPDI's hundredths (``416538`` is 4165.38). Raises ``ValueError``."""
    return parse_decimal(text) / 100


def format_money(amount: Decimal) -> str:
    """An amount in MSPDI's hundredths, without exponent."""
    return format_decimal(amount * 100)


def format_decimal(value: Decimal | float) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


# Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def add_element(parent: Element, name: str, text: str | None = None) -> Element:
    """A new child ``name`` (in MSPDI's namespace) of ``parent``, holding ``text`` if given; the
    characters XML cannot carry (control characters such as a pasted form feed) are left out."""
    element = SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element
