"""One entry point for a plan file of any supported format: :func:`read_plan_file` (and
:func:`read_plan_data` for an uploaded file's bytes)."""

import re
from datetime import datetime
from pathlib import Path

from pmo_engine.formats.mpxj import convert_to_mspdi
from pmo_engine.formats.mspdi import NAMESPACE, read_mspdi
from pmo_engine.formats.plan import Plan
from pmo_engine.formats.xlsx import read_plan_xlsx

_SNIFFED_BYTES = 4096
_MSPDI_ROOT = re.compile(r"<Project[\s>/]")
_XLSX_PART = b"xl/workbook.xml"  # zip entry names are stored unpacked, so the name shows in the bytes


def is_mspdi(data: bytes) -> bool:
    """True when ``data`` starts like an MSPDI file (MS Project's XML namespace, or a ``<Project>``
    root). A guess from the first 4 KB, for choosing a reader; :func:`read_mspdi` decides."""
    head = data[:_SNIFFED_BYTES].decode("utf-8", errors="replace")
    return NAMESPACE in head or _MSPDI_ROOT.search(head) is not None


def is_xlsx(data: bytes) -> bool:
    """True when ``data`` looks like an Excel workbook (a zip archive holding ``xl/workbook.xml``).
    A guess for choosing a reader; :func:`~pmo_engine.formats.xlsx.read_plan_xlsx` decides."""
    return data.startswith(b"PK") and _XLSX_PART in data


def read_plan_file(path: str | Path) -> Plan:
    """The plan in the file at ``path``: MSPDI and Excel workbooks (the plan template,
    docs/plan-template.md) are read directly, any other format (.mpp, .xer, .planner, .gan, ...)
    is converted to MSPDI by MPXJ first (the optional extra ``pmo[mpxj]``).

    Raises the errors of :func:`~pmo_engine.formats.mspdi.read_mspdi`,
    :func:`~pmo_engine.formats.xlsx.read_plan_xlsx` and :func:`~pmo_engine.formats.mpxj.convert_to_mspdi`.
    """
    data = Path(path).read_bytes()
    if is_mspdi(data):
        return read_mspdi(data)
    if is_xlsx(data) or Path(path).suffix.lower() == ".xlsx":
        return read_plan_xlsx(data)
    return read_mspdi(convert_to_mspdi(path))


def read_plan_data(data: bytes, name: str = "", *, project_start: datetime | None = None) -> Plan:
    """The plan in ``data`` (an uploaded file's bytes; ``name`` only helps the messages): MSPDI and
    Excel workbooks are read directly, other formats are converted by MPXJ as in :func:`read_plan_file`.
    ``project_start`` serves a workbook that gives no project start of its own."""
    if is_mspdi(data):
        return read_mspdi(data)
    if is_xlsx(data) or name.lower().endswith(".xlsx"):
        return read_plan_xlsx(data, project_start=project_start)
    return read_mspdi(convert_to_mspdi(data))
