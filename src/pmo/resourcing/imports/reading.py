"""Reading an uploaded register into tables of cells, and checking the value of each cell.

A workbook is read by openpyxl in read-only mode (rows streamed), which parses its XML through
defusedxml; its size, and the size its parts declare once unzipped, are bounded before that. A CSV
file may be UTF-8 (with or without a byte order mark) or Windows-1252, with ``,``, ``;`` or tab
between values. Row numbers are those Excel shows: the header is row 1, blank rows count.
"""

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from pmo.resourcing.choices import EmploymentType
from pmo.resourcing.imports.report import (
    IGNORED_SHEETS,
    MAXIMUM_COLUMNS,
    MAXIMUM_ROWS,
    MAXIMUM_UNCOMPRESSED_BYTES,
    PEOPLE,
    RATES,
    REGISTER_COLUMNS,
    SHEETS,
    SKILLS,
    ImportProblem,
    file_too_large,
)
from pmo.resourcing.models import DAYS_IN_WEEK

_CENT = Decimal("0.01")
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_DATE_HINT = "write it as year-month-day, e.g. 2026-03-31, or format the cell as a date"


@dataclass
class Table:
    sheet: str
    headers: list[str]
    rows: list[tuple[int, tuple]]  # (row number as Excel shows it, values)
    label: Callable[[int], str] = str  # how to name a column without a header, from its number (1 first)


class Refused(Exception):
    """The file cannot be read at all; the message says why."""


def as_text(value) -> str:
    """A cell's value as text: dates as ISO dates, numbers as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value).strip()


def shown_value(value) -> str:
    """A value as a problem quotes it (long text cut short)."""
    text = as_text(value)
    return text if len(text) <= 120 else text[:117] + "..."


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_workbook(data: bytes, problems: list[ImportProblem]) -> list[Table]:
    if data.startswith(_OLE_SIGNATURE):
        raise Refused(
            "The file is an Excel 97-2003 workbook (.xls) or a workbook protected with a password; save it as "
            "an Excel Workbook (.xlsx) without a password and import that."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Refused("The file is not an Excel workbook (.xlsx), or it is damaged; save it again as .xlsx.") from None
    if not any(entry.filename.startswith("xl/") for entry in entries):
        raise Refused("The file is a zip archive but not an Excel workbook (.xlsx).")
    if sum(entry.file_size for entry in entries) > MAXIMUM_UNCOMPRESSED_BYTES:
        raise Refused(
            f"The workbook unpacks to more than {MAXIMUM_UNCOMPRESSED_BYTES // 1_048_576} MB; remove pictures and "
            "other sheets, or split it into several files."
        )
    try:
        # Read-only streams the rows; openpyxl parses the XML through defusedxml, which is installed.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file; all mean the same here
        raise Refused(f"The workbook is damaged and cannot be read ({type(error).__name__}).") from None
    known = {name.lower(): name for name in SHEETS}
    ignored = {name.lower() for name in IGNORED_SHEETS}
    tables, total = [], 0
    try:
        for worksheet in workbook.worksheets:
            title = worksheet.title.strip()
            if title.lower() in ignored:
                continue
            if title.lower() not in known:
                problems.append(
                    ImportProblem(
                        title, None, "", "", f"pmo imports the sheets {', '.join(SHEETS)}; rename or delete this sheet."
                    )
                )
                continue
            worksheet.reset_dimensions()  # the stored dimensions may be wrong: read what is there
            rows = worksheet.iter_rows(values_only=True)
            headers = [as_text(value) for value in next(rows, ())[:MAXIMUM_COLUMNS]]
            table = Table(known[title.lower()], headers, [], label=get_column_letter)
            for number, values in enumerate(rows, start=2):
                if all(is_blank(value) for value in values):
                    continue
                total += 1
                if total > MAXIMUM_ROWS:
                    raise Refused(f"The file has more than {MAXIMUM_ROWS:,} rows; split it into several files.")
                table.rows.append((number, tuple(values[:MAXIMUM_COLUMNS])))
            tables.append(table)
    finally:
        workbook.close()
    if not tables and not problems:
        raise Refused(f"The workbook has none of the sheets {', '.join(SHEETS)}.")
    return tables


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise Refused(
            "The file holds binary data or UTF-16 text; save it as CSV (UTF-8) or as an Excel workbook (.xlsx)."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused("The file's text is neither UTF-8 nor Windows-1252; save it as CSV (UTF-8).")


def _recognise(headers: list[str]) -> str | None:
    keys = {header_key(header) for header in headers}
    if keys & {"effective_from", "cost_per_hour", "bill_rate_per_hour"}:
        return RATES
    if "full_name" in keys:
        return PEOPLE
    if "name" in keys:
        return SKILLS
    return None


def _read_csv(data: bytes) -> list[Table]:
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # The header row names columns, which hold no delimiter: the most frequent candidate is it.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise Refused(f"The CSV file cannot be read: {error}.") from None
    numbered = [(number, tuple(values)) for number, values in enumerate(records, start=1)]
    numbered = [(number, values) for number, values in numbered if not all(is_blank(value) for value in values)]
    if not numbered:
        raise Refused("The file is empty.")
    (_, header_values), rows = numbered[0], numbered[1:]
    if len(rows) > MAXIMUM_ROWS:
        raise Refused(f"The file has more than {MAXIMUM_ROWS:,} rows; split it into several files.")
    headers = [value.strip() for value in header_values[:MAXIMUM_COLUMNS]]
    sheet = _recognise(headers)
    if sheet is None:
        expected = "; ".join(
            f"{name}: {', '.join(column.name for column in REGISTER_COLUMNS[name])}" for name in SHEETS
        )
        raise Refused(f"The header row does not say which table the file holds. Use the columns of {expected}.")
    return [Table(sheet, headers, [(number, values[:MAXIMUM_COLUMNS]) for number, values in rows], label=str)]


def read_tables(data: bytes, name: str, problems: list[ImportProblem]) -> list[Table]:
    too_large = file_too_large(len(data))
    if too_large:
        raise Refused(too_large)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xlsx":
        return _read_workbook(data, problems)
    if suffix in ("csv", "txt"):
        return _read_csv(data)
    raise Refused(f"pmo imports the register from an Excel workbook (.xlsx) or a CSV file (.csv); {name!r} is neither.")


# --- checking the cells of a row -------------------------------------------------------------


def header_key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


class Bad(Exception):
    """A cell's value is not what its column holds; the message says why."""


class Cells:
    """The cells of one row by column name; ``get`` converts a cell or records the problem."""

    def __init__(self, sheet: str, number: int, values: tuple, columns: dict[str, int], problems: list):
        self.sheet, self.number, self._values, self._columns, self._problems = sheet, number, values, columns, problems
        self.failed = False

    def raw(self, column: str):
        index = self._columns.get(column)
        if index is None or index >= len(self._values) or is_blank(self._values[index]):
            return None
        value = self._values[index]
        return value.strip() if isinstance(value, str) else value

    def text(self, column: str) -> str:
        return as_text(self.raw(column))

    def shown(self, column: str) -> str:
        return shown_value(self.raw(column))

    def fail(self, column: str, message: str) -> None:
        self.failed = True
        self._problems.append(ImportProblem(self.sheet, self.number, column, self.shown(column), message))

    def get(self, column: str, convert, *args):
        value = self.raw(column)
        if value is None:
            return None
        try:
            return convert(value, *args)
        except Bad as error:
            self.fail(column, str(error))
            return None


def to_text(value, max_length: int) -> str:
    text = as_text(value)
    if len(text) > max_length:
        raise Bad(f"This is {len(text)} characters long; at most {max_length} fit.")
    return text


def to_email(value) -> str:
    text = to_text(value, 254)
    try:
        validate_email(text)
    except ValidationError:
        raise Bad("This is not an email address.") from None
    return text


def to_decimal(value, minimum: Decimal, maximum: Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Bad("This is not a number.")
    if isinstance(value, float):
        number = Decimal(repr(round(value, 9)))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = value.replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:  # the last separator is the decimal one; drop the other (thousands)
            decimal_point = max(text.rfind(","), text.rfind("."))
            text = text[:decimal_point].replace(",", "").replace(".", "") + "." + text[decimal_point + 1 :]
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise Bad("This is not a number (write it like 42.50 or 42,50, without a currency sign).")
        number = Decimal(text)
    if not minimum <= number <= maximum:
        raise Bad(f"This must be from {minimum} to {maximum}.")
    try:
        if number != number.quantize(_CENT):
            raise Bad("This has more than two decimal places.")
    except InvalidOperation:
        raise Bad("This is not a number pmo can store.") from None
    return number.quantize(_CENT)


def to_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    serial = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = value
    elif isinstance(value, str):
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            if not value.isdigit():
                raise Bad(f"This is not a date pmo can read without guessing; {_DATE_HINT}.") from None
            serial = int(value)
    if serial is None or not 1 <= serial <= 2_958_465:  # Excel's day numbers, 1900-01-01 to 9999-12-31
        raise Bad(f"This is not a date; {_DATE_HINT}.")
    return from_excel(serial).date()


def to_employment_type(value) -> str:
    text = as_text(value).lower()
    for choice, label in EmploymentType.choices:
        if text in (choice, label.lower()):
            return choice
    raise Bad(f"Choose {' or '.join(EmploymentType.values)}.")


def to_weekday_hours(value) -> list[float]:
    text = as_text(value)
    # "8;8;7,5;..." uses decimal commas; otherwise commas (or spaces) separate the days.
    parts = re.split(r"\s*;\s*", text) if ";" in text else re.split(r"[\s,]+", text)
    parts = [part for part in parts if part]
    if len(parts) != DAYS_IN_WEEK:
        raise Bad(f"Give seven numbers of hours, Monday first (e.g. 8,8,8,8,4,0,0); this has {len(parts)}.")
    try:
        return [float(to_decimal(part, Decimal(0), Decimal(24))) for part in parts]
    except Bad:
        raise Bad("Each day's hours must be a number from 0 to 24, e.g. 8,8,8,8,4,0,0.") from None


def to_skills(value, known: dict[str, str]) -> list[tuple[str, int]]:
    """``Python:4; SQL:3`` as (skill name in lower case, level); ``known`` maps lower-case names to names."""
    held, problems = {}, []
    for part in re.split(r"[;\n]", as_text(value)):
        if not part.strip():
            continue
        name, separator, level = part.rpartition(":")
        name, level = name.strip(), level.strip()
        if not separator or not name:
            problems.append(f"'{part.strip()}' is not a skill and level like Python:4")
        elif not level.isdigit() or not 1 <= int(level) <= 5:
            problems.append(f"{name}'s level '{level}' is not a whole number from 1 to 5")
        elif name.lower() not in known:
            close = difflib.get_close_matches(name.lower(), known, n=1)
            hint = f" (did you mean {known[close[0]]}?)" if close else ""
            problems.append(f"'{name}' is not a skill in pmo or in the Skills sheet{hint}")
        elif name.lower() in held:
            problems.append(f"{name} is listed twice")
        else:
            held[name.lower()] = int(level)
    if problems:
        raise Bad("; ".join(problems) + ".")
    return list(held.items())


def check_columns(table: Table, problems: list[ImportProblem]) -> dict[str, int] | None:
    """Each known column of ``table``'s header row (by name) and its index; None after recording the
    header's problems (unknown, repeated, missing or blank columns)."""
    spec = REGISTER_COLUMNS[table.sheet]
    names = [column.name for column in spec]
    columns, before = {}, len(problems)
    width = max((len(values) for _, values in table.rows), default=0)
    headers = [*table.headers, *[""] * (width - len(table.headers))]
    for index, header in enumerate(headers):
        if not header.strip():
            used = next(
                (number for number, values in table.rows if index < len(values) and not is_blank(values[index])), 0
            )
            if used:
                where = f"(column {table.label(index + 1)})"
                problems.append(ImportProblem(table.sheet, 1, where, "", "This column has values but no header."))
            continue
        key = header_key(header)
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"Did you mean {close[0]}? " if close else ""
            problems.append(
                ImportProblem(
                    table.sheet, 1, header, header, f"Unknown column. {hint}The columns are: {', '.join(names)}."
                )
            )
        elif key in columns:
            problems.append(ImportProblem(table.sheet, 1, header, header, "This column appears twice."))
        else:
            columns[key] = index
    for column in spec:
        if column.required and column.name not in columns:
            problems.append(ImportProblem(table.sheet, 1, column.name, "", "This column is required and missing."))
    if table.sheet == RATES and not {"email", "full_name"} & set(columns):
        problems.append(ImportProblem(RATES, 1, "email", "", "Give an email or a full_name column to say whose rates."))
    return columns if len(problems) == before else None
