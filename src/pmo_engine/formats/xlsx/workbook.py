"""Opening an uploaded workbook safely, and taking the cells of the sheets a plan uses.

Before openpyxl sees the file: its size, what it is (an .xlsx is a zip archive; an encrypted
workbook or an .xls is an OLE file; an .ods has an OpenDocument mimetype) and the sizes its zip
entries declare (Python's zipfile never inflates an entry past its declared size, so the sum bounds
the memory a zip bomb could take). openpyxl reads in read-only mode (rows streamed, not kept) and
parses XML through defusedxml (entities and external references refused). The number of rows read
is bounded too. Every failure is a :class:`PlanWorkbookError` saying what to do.
"""

import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from pmo_engine.formats.xlsx.template import MAXIMUM_COLUMNS, PlanWorkbookError

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML package holds
_OPENDOCUMENT_MIMETYPE = b"application/vnd.oasis.opendocument"
_MEGABYTE = 1024 * 1024
_KEY_VALUE_COLUMNS = 2  # a field and its value, even under a header row with one cell


@dataclass(frozen=True)
class Limits:
    """What a reading accepts: ``maximum_rows`` per sheet, ``maximum_file_bytes`` of file and
    ``maximum_uncompressed_bytes`` once unzipped."""

    maximum_rows: int
    maximum_file_bytes: int
    maximum_uncompressed_bytes: int


@dataclass(frozen=True)
class SheetRow:
    """A row below the header: its ``number`` as Excel shows it, a value and a number format per column."""

    number: int
    values: tuple[object, ...]
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """A sheet's ``headers`` (first row, ``""`` for a blank cell) and the rows below holding a value."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.1f} MB"


def _check_file(data: bytes, limits: Limits) -> None:
    if len(data) > limits.maximum_file_bytes:
        raise PlanWorkbookError(
            f"The file is {_megabytes(len(data))}; pmo reads workbooks of at most "
            f"{_megabytes(limits.maximum_file_bytes)}. Split the plan, or remove pictures and unused sheets."
        )
    if data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTION_STREAM in data:
            raise PlanWorkbookError(
                "The workbook is protected with a password (encrypted), so it cannot be read. Open it in Excel, "
                "remove the password (File > Info > Protect Workbook > Encrypt with Password) and upload it again."
            )
        raise PlanWorkbookError(
            "The file is an Excel 97-2003 workbook (.xls) or another old Office file; save it as an Excel "
            "Workbook (.xlsx) and upload that."
        )
    if not data.startswith(b"PK"):
        raise PlanWorkbookError("The file is not an Excel workbook (.xlsx); save the plan as .xlsx and upload that.")


def _check_archive(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in archive.namelist() else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise PlanWorkbookError(
            f"The workbook is damaged (the file is cut short or is not a complete .xlsx): {error}."
        ) from None
    if mimetype.startswith(_OPENDOCUMENT_MIMETYPE):
        raise PlanWorkbookError(
            "The file is an OpenDocument spreadsheet (.ods); save it as an Excel Workbook (.xlsx) and upload that."
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise PlanWorkbookError("The file is a zip archive but not an Excel workbook (.xlsx).")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise PlanWorkbookError("The workbook's parts are encrypted; remove the password and upload it again.")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > limits.maximum_uncompressed_bytes:
        raise PlanWorkbookError(
            f"The workbook unpacks to {_megabytes(inflated)}; pmo reads at most "
            f"{_megabytes(limits.maximum_uncompressed_bytes)} (a file that small unpacking that much is either "
            "a very large plan or a zip bomb). Split the plan into smaller workbooks."
        )


def _read_sheet(worksheet: "ReadOnlyWorksheet", limits: Limits) -> Sheet:
    worksheet.reset_dimensions()  # the stored dimensions may be wrong; read what is there
    header_cells = next(worksheet.iter_rows(min_row=1, max_row=1, max_col=MAXIMUM_COLUMNS, values_only=True), ())
    headers = ["" if value is None else str(value).strip() for value in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        return Sheet(worksheet.title, (), ())
    width = max(len(headers), _KEY_VALUE_COLUMNS)
    rows = []
    for number, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=width), start=2):
        values = tuple(cell.value for cell in cells)
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        if len(rows) == limits.maximum_rows:
            raise PlanWorkbookError(
                f"The {worksheet.title} sheet has more than {limits.maximum_rows:,} rows (row {number} is past the "
                "limit); split the plan into smaller workbooks."
            )
        formats = tuple(getattr(cell, "number_format", None) or "General" for cell in cells)
        rows.append(SheetRow(number, values, formats))
    return Sheet(worksheet.title, tuple(headers), tuple(rows))


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """True when defusedxml refused the XML, even when openpyxl wrapped its error in another."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def read_sheets(data: bytes, limits: Limits, wanted: Callable[[str], bool]) -> tuple[list[str], list[Sheet]]:
    """The names of all the sheets of the workbook in ``data``, and the sheets whose names ``wanted``
    accepts, in workbook order.

    Raises :class:`PlanWorkbookError` for a file that is too large, not an .xlsx, encrypted or damaged.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PlanWorkbookError(f"A workbook is read from its bytes, not from {type(data).__name__}.")
    data = bytes(data)
    _check_file(data, limits)
    _check_archive(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips; they do not matter here
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
            try:
                names = [sheet.title for sheet in workbook.worksheets]
                return names, [_read_sheet(sheet, limits) for sheet in workbook.worksheets if wanted(sheet.title)]
            finally:
                workbook.close()
    except PlanWorkbookError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file; all mean the same here
        if _caused_by_defusedxml(error):
            raise PlanWorkbookError(
                "The workbook holds XML entity declarations or external references, which Excel never writes and "
                "which are how XML bombs are built; it was refused. Save it again from Excel or LibreOffice."
            ) from None
        raise PlanWorkbookError(
            f"The workbook is damaged or not an Excel workbook, and cannot be read ({type(error).__name__}: {error})."
        ) from None
