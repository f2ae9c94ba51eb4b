"""Microsoft Project XML (MSPDI): :func:`read_mspdi` and :func:`write_mspdi`.

MSPDI (namespace ``http://schemas.microsoft.com/project``) is what MS Project saves as "XML
Format" and ProjectLibre exports; other formats (.mpp, Primavera, Planner, GanttProject) reach it
through :mod:`pmo_engine.formats.mpxj`, so every plan is read by :func:`read_mspdi`.
"""

from pmo_engine.formats.mspdi.codes import NAMESPACE
from pmo_engine.formats.mspdi.reader import read_mspdi
from pmo_engine.formats.mspdi.writer import write_mspdi

__all__ = ["NAMESPACE", "read_mspdi", "write_mspdi"]
