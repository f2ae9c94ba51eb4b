"""Reading typed values from the cells of a row, recording a :class:`WorkbookProblem` for each value
that is not what its column expects (the reader goes on, so that one error lists every problem).

Every reader returns ``None`` for a blank cell and for a bad one (after recording the problem);
:meth:`RowCells.is_blank` tells the two apart when it matters.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from pmo_engine.formats.xlsx.template import (
    NO_WORDS,
    YES_WORDS,
    Conversion,
    TimeAmount,
    WorkbookProblem,
    header_key,
    number_text,
    parse_time_amount,
)
from pmo_engine.formats.xlsx.workbook import SheetRow

_QUOTED = re.compile(r'"[^"]*"')
_DATE_EXAMPLE = "write it like 2025-03-10 or 2025-03-10 08:00"


def show(value: object) -> str:
    """A cell value as a message quotes it: text in quotes, numbers and dates as Excel shows them."""
    if isinstance(value, str):
        return f"'{value.strip()}'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.second == 0 else value.isoformat(" ")
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_percent_format(number_format: str) -> bool:
    return "%" in _QUOTED.sub("", number_format)


class RowCells:
    """The cells of one row of ``sheet``, by column header: ``columns`` maps each header's
    :func:`header_key` to its index, so that case and spacing of the headers do not matter."""

    def __init__(self, sheet: str, row: SheetRow, columns: dict[str, int], problems: list[WorkbookProblem]):
        self.sheet = sheet
        self.number = row.number
        self._row = row
        self._columns = columns
        self._problems = problems

    def fail(self, column: str, message: str) -> None:
        """Record a problem with this row's cell in ``column``."""
        self._problems.append(WorkbookProblem(self.number, str(column), message, self.sheet))

    def value(self, column: str) -> object:
        """The raw value (``None`` when the column is absent or the cell blank or only spaces)."""
        index = self._columns.get(header_key(column))
        if index is None or index >= len(self._row.values):
            return None
        value = self._row.values[index]
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def is_blank(self, column: str) -> bool:
        return self.value(column) is None

    def _number_format(self, column: str) -> str:
        index = self._columns.get(header_key(column))
        return "General" if index is None or index >= len(self._row.formats) else self._row.formats[index]

    def text(self, column: str, *, strip: bool = True) -> str:
        """The cell as text (``""`` when blank): numbers as Excel shows them (``3``, ``1.5``)."""
        value = self.value(column)
        if value is None:
            return ""
        if _is_number(value):
            return number_text(value)  # type: ignore[arg-type]
        if isinstance(value, datetime):
            return show(value)
        text = str(value)
        return text.strip() if strip else text

    def flag(self, column: str) -> bool | None:
        """yes/no (also y/n, true/false, 1/0, x, and Excel's TRUE/FALSE)."""
        value = self.value(column)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        words = header_key(self.text(column))
        if words in YES_WORDS:
            return True
        if words in NO_WORDS:
            return False
        self.fail(column, f"{show(value)} is not yes or no")
        return None

    def moment(self, column: str) -> datetime | None:
        """A date and time: an Excel date, or text such as ``2025-03-10`` or ``2025-03-10 08:00``
        (a date alone is midnight at its start); rounded to the second."""
        value = self.value(column)
        if value is None:
            return None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, datetime.min.time())
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                self.fail(column, f"{show(value)} is not a date ({_DATE_EXAMPLE})")
                return None
        else:
            self.fail(column, f"{show(value)} is not a date (format the cell as a date, or {_DATE_EXAMPLE})")
            return None
        moment = moment.replace(tzinfo=None)
        if moment.microsecond:
            moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1_000_000))
        return moment

    def whole_number(self, column: str, *, minimum: int, maximum: int | None = None) -> int | None:
        """A whole number from ``minimum`` to ``maximum`` (no upper bound when ``None``)."""
        value = self.value(column)
        if value is None:
            return None
        number: int | None = None
        if _is_number(value) and float(value).is_integer():  # type: ignore[arg-type]
            number = int(value)  # type: ignore[call-overload]
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        if number is None or number < minimum or (maximum is not None and number > maximum):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f"of {minimum} or more"
            self.fail(column, f"{show(value)} is not a whole number {bound}")
            return None
        return number

    def duration(self, column: str, conversion: Conversion, *, allow_elapsed: bool = True) -> TimeAmount | None:
        """A duration: a number of working days, or text with a unit (``4h``, ``2.5d``, ``3ed``)."""
        value = self.value(column)
        if value is None:
            return None
        if _is_number(value):
            if value < 0:  # type: ignore[operator]
                self.fail(column, f"{show(value)} is negative")
                return None
            return TimeAmount(round(value * conversion.minutes_per_day))  # type: ignore[operator]
        text = self.text(column)
        amount = parse_time_amount(text, conversion)
        if amount is None:
            if text.startswith("-") and parse_time_amount(text[1:], conversion) is not None:
                self.fail(column, f"{show(value)} is negative")
            else:
                self.fail(column, f"{show(value)} is not a number of days (or a duration like 4h or 2ed)")
            return None
        if amount.is_elapsed and not allow_elapsed:
            self.fail(column, f"{show(value)} is elapsed time; give working time (such as 3 or 4h)")
            return None
        return amount

    def percent(self, column: str) -> float | None:
        """A percentage from 0 to 100: ``85``, ``85%``, or a cell formatted as a percentage (0.85)."""
        value = self.value(column)
        if value is None:
            return None
        if _is_number(value):
            percent = float(value) * (100 if _is_percent_format(self._number_format(column)) else 1)  # type: ignore[arg-type]
        else:
            try:
                percent = float(self.text(column).removesuffix("%").strip())
            except ValueError:
                self.fail(column, f"{show(value)} is not a percentage")
                return None
        if not 0 <= percent <= 100:
            self.fail(column, f"{show(value)} is not from 0 to 100")
            return None
        return percent

    def money(self, column: str) -> Decimal | None:
        """An amount: a number, or text such as ``1234.50``."""
        value = self.value(column)
        if value is None:
            return None
        try:
            amount = Decimal(self.text(column)) if not isinstance(value, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.fail(column, f"{show(value)} is not an amount")
            return None
        return amount
