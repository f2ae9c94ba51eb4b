"""The register's sheets and columns, and the report an import answers with."""

from dataclasses import dataclass, field

PEOPLE, SKILLS, RATES = "People", "Skills", "Rates"
SHEETS = (PEOPLE, SKILLS, RATES)
# Sheets the export writes for people to read, never imported.
IGNORED_SHEETS = ("Skills matrix",)
FILE = "File"

MAXIMUM_FILE_BYTES = 5 * 1024 * 1024
MAXIMUM_ROWS = 20_000
MAXIMUM_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAXIMUM_COLUMNS = 100


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header (as ``header_key`` reads it), and what it holds."""

    name: str
    required: bool = False
    help: str = ""


REGISTER_COLUMNS: dict[str, tuple[Column, ...]] = {
    PEOPLE: (
        Column("full_name", True, "The person's name as pmo shows it."),
        Column(
            "email",
            help="The key that finds the person already in pmo; once per file. A person pmo holds without an "
            "email is found by full name and given this one; when blank, the person is found by full name.",
        ),
        Column("job_title", help="The person's job title."),
        Column("unit_code", help="The code of an organisation unit in pmo, e.g. IT-OPS."),
        Column("employment_type", help="permanent or contingent (contractor, agency, fixed term)."),
        Column("contract_end", help="Last working day of a contingent contract: a date such as 2026-12-31."),
        Column("hours_per_day", help="The full working day in hours, from 0.25 to 24 (8 when not given)."),
        Column("weekday_hours", help="Hours on each day, Monday first: seven numbers such as 8,8,8,8,4,0,0."),
        Column(
            "skills",
            help="Skills held, each with a level from 1 (novice) to 5 (expert): Python:4; SQL:3. Skills not "
            "listed are kept.",
        ),
    ),
    SKILLS: (
        Column("name", True, "The skill's name; once per file. An existing skill is found by name."),
        Column("category", help="A group of skills, e.g. Engineering."),
        Column("description", help="What the skill covers."),
    ),
    RATES: (
        Column("email", help="The person the rate is for (a person of the People sheet or of pmo)."),
        Column("full_name", help="Finds the person when the email is blank (only when one person has the name)."),
        Column("effective_from", True, "The first day the rate applies: a date such as 2026-01-01."),
        Column("cost_per_hour", True, "The cost of an hour of the person's time, 0 or more."),
        Column("bill_rate_per_hour", help="The charge-out rate of an hour, 0 or more."),
    ),
}


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: ``row`` as Excel numbers it (None for the whole file or
    sheet), the ``column`` header, the ``value`` as written and what is wrong with it."""

    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        place = self.sheet if self.row is None else f"{self.sheet} row {self.row}"
        column = f", {self.column}" if self.column else ""
        value = f" ({self.value!r})" if self.value else ""
        return f"{place}{column}{value}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do) per sheet, or why it did nothing."""

    source: str
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    problems: tuple[ImportProblem, ...] = ()
    dry_run: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return any(counts.created or counts.updated for counts in self.counts.values())

    def summary(self) -> str:
        if self.problems:
            count = len(self.problems)
            return f"{self.source}: {count} problem{'s' if count != 1 else ''} found; nothing was imported."
        parts = "; ".join(
            f"{sheet}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for sheet, c in self.counts.items()
        )
        if self.dry_run:
            return f"{self.source} was checked and nothing was imported. Importing it would give {parts}."
        if not self.has_changes:
            return f"{self.source}: nothing to change, pmo already holds everything in the file ({parts})."
        return f"{self.source} imported. {parts}."

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "changed": self.has_changes and not self.dry_run,
            "summary": self.summary(),
            "sheets": [
                {"sheet": sheet, "created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for sheet, c in self.counts.items()
            ],
            "problems": [problem.as_dict() for problem in self.problems],
        }


def file_too_large(size: int) -> str | None:
    if size > MAXIMUM_FILE_BYTES:
        return (
            f"The file is {size / 1_048_576:.1f} MB; pmo imports registers of at most "
            f"{MAXIMUM_FILE_BYTES // 1_048_576} MB. Split it into several files."
        )
    return None


def column_notes() -> dict[str, dict[str, str]]:
    """What each column holds, by sheet and column name (the template's header comments)."""
    return {
        sheet: {column.name: column.help + (" Required." if column.required else "") for column in columns}
        for sheet, columns in REGISTER_COLUMNS.items()
    }
