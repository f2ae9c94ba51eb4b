"""Importing the resource register (people, skills and cost rates) from Excel or CSV.

The register is an Excel workbook with the sheets ``People``, ``Skills`` and ``Rates`` (any may be
absent; the ``Skills matrix`` sheet the export adds is ignored), or a CSV file holding one of those
tables, recognised by its header row. Column names ignore case and spacing (``Full name`` reads as
``full_name``); ``REGISTER_COLUMNS`` lists them with what each holds.

An import reads and checks every row of every sheet first, collecting each problem with its sheet,
row (as Excel numbers it: the header is row 1), column and value. Only when there is none does it
write, in one transaction, through the services, so that every change is permission-checked and
audited; if a service refuses a row, that refusal is reported against the row and nothing stays.
People are matched by email (by full name when the email is blank); an existing person is changed
only in the columns the file gives a value for, so importing the same file twice changes nothing
the second time.
"""

from pmo.resourcing.imports.register import import_register, may_import
from pmo.resourcing.imports.report import (
    FILE,
    IGNORED_SHEETS,
    MAXIMUM_FILE_BYTES,
    MAXIMUM_ROWS,
    PEOPLE,
    RATES,
    REGISTER_COLUMNS,
    SHEETS,
    SKILLS,
    Column,
    ImportProblem,
    ImportReport,
    SheetCounts,
    column_notes,
    file_too_large,
)

__all__ = [
    "FILE",
    "IGNORED_SHEETS",
    "MAXIMUM_FILE_BYTES",
    "MAXIMUM_ROWS",
    "PEOPLE",
    "RATES",
    "REGISTER_COLUMNS",
    "SHEETS",
    "SKILLS",
    "Column",
    "ImportProblem",
    "ImportReport",
    "SheetCounts",
    "column_notes",
    "file_too_large",
    "import_register",
    "may_import",
]
