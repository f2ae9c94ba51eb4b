"""One entry point for a plan file of any supported format: :func:`read_plan_file`."""

import re
from pathlib import Path

from pmo_engine.formats.mpxj import convert_to_mspdi
from pmo_engine.formats.mspdi import NAMESPACE, read_mspdi
from pmo_engine.formats.plan import Plan

_SNIFFED_BYTES = 4096
_MSPDI_ROOT = re.compile(r"<Project[\s>/]")


def is_mspdi(data: bytes) -> bool:
    """True when ``data`` starts like an MSPDI file (MS Project's XML namespace, or a ``<Project>``
    root). A guess from the first 4 KB, for choosing a reader; :func:`read_mspdi` decides."""
    head = data[:_SNIFFED_BYTES].decode("utf-8", errors="replace")
    return NAMESPACE in head or _MSPDI_ROOT.search(head) is not None


def read_plan_file(path: str | Path) -> Plan:
    """The plan in the file at ``path``: MSPDI is read directly, any other format (.mpp, .xer,
    .planner, .gan, ...) is converted to MSPDI by MPXJ first (the optional extra ``pmo[mpxj]``).

    Raises the errors of :func:`~pmo_engine.formats.mspdi.read_mspdi` and
    :func:`~pmo_engine.formats.mpxj.convert_to_mspdi`.
    """
    data = Path(path).read_bytes()
    if is_mspdi(data):
        return read_mspdi(data)
    return read_mspdi(convert_to_mspdi(path))


def read_plan_data(data: bytes, name: str = "") -> Plan:
    """The plan in ``data`` (an uploaded file's bytes; ``name`` only helps the messages): MSPDI is
    read directly, other formats are converted by MPXJ as in :func:`read_plan_file`."""
    if is_mspdi(data):
        return read_mspdi(data)
    return read_mspdi(convert_to_mspdi(data))
