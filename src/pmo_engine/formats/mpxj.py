"""Other planning formats through MPXJ (Java): .mpp, Primavera .xer and PMXML, Planner, GanttProject...

:func:`convert_to_mspdi` reads a file with MPXJ's ``UniversalProjectReader`` (which recognises the
format from the content) and writes it with MPXJ's ``MSPDIWriter``, so that every format reaches a
:class:`~pmo_engine.formats.plan.Plan` through the one reader,
:func:`~pmo_engine.formats.mspdi.read_mspdi`. MPXJ writes the dates the file holds; it does not
reschedule.

This is the optional extra ``pmo[mpxj]`` (the ``mpxj`` and ``jpype1`` packages, and Java 17 or
later): both are imported here, inside the functions, so that the rest of pmo works without them.
The Java virtual machine starts once per process, on the first conversion, and stays up (JPype
cannot restart it).
"""

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_engine.formats.errors import FileFormatError, OptionalDependencyError

_INSTALL = "install pmo[mpxj] and Java 17 (pip install 'pmo[mpxj]', and a Java 17 runtime on the PATH or JAVA_HOME)"
_FORMATS = (
    "Microsoft Project (.mpp, .mpx, .xml), Primavera P6 (.xer, PMXML) and P3/SureTrak, Planner (.planner), "
    "GanttProject (.gan), ProjectLibre (.pod), Phoenix, Asta, ConceptDraw, FastTrack, Synchro, TurboProject"
)
_START_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Java:
    """The Java classes a conversion uses, and JPype's base class of Java exceptions."""

    reader: Any
    writer: Any
    input_stream: Any
    output_stream: Any
    exception: type[BaseException]


def _java() -> _Java:
    """MPXJ's classes, starting the JVM the first time; raises OptionalDependencyError without the extra."""
    try:
        import jpype
        import mpxj  # noqa: F401  (importing it puts MPXJ's jars on the JVM's class path)
    except ImportError as error:
        raise OptionalDependencyError(
            f"Reading this file needs MPXJ, an optional extra that is not installed ({error}): {_INSTALL}."
        ) from None
    with _START_LOCK:
        if not jpype.isJVMStarted():
            try:
                # statusLoggerLevel: MPXJ brings log4j's API without an implementation, which
                # otherwise prints a warning on stderr at the first read.
                jpype.startJVM("-Dlog4j2.statusLoggerLevel=OFF")
            except (jpype.JVMNotFoundException, jpype.JVMNotSupportedException, OSError) as error:
                raise OptionalDependencyError(
                    f"MPXJ needs Java, which could not be started ({error}): {_INSTALL}."
                ) from None
    try:
        return _Java(
            reader=jpype.JClass("org.mpxj.reader.UniversalProjectReader"),
            writer=jpype.JClass("org.mpxj.mspdi.MSPDIWriter"),
            input_stream=jpype.JClass("java.io.ByteArrayInputStream"),
            output_stream=jpype.JClass("java.io.ByteArrayOutputStream"),
            exception=jpype.JException,
        )
    except TypeError as error:  # JClass raises TypeError for a class missing from the class path
        raise OptionalDependencyError(
            f"The Java virtual machine was started without MPXJ on its class path ({error}); import "
            "pmo_engine.formats.mpxj's conversion before anything else starts Java, or " + _INSTALL + "."
        ) from None


def convert_to_mspdi(source: str | Path | bytes) -> bytes:
    """The plan in ``source`` (a file path, or the file's bytes) as MSPDI bytes, written by MPXJ.

    Raises :class:`~pmo_engine.formats.errors.OptionalDependencyError` without the ``mpxj`` extra
    or Java, and :class:`~pmo_engine.formats.errors.FileFormatError` when the file is missing, its
    format is not one MPXJ reads, or MPXJ fails on it.
    """
    java = _java()
    reader = java.reader()
    try:
        if isinstance(source, bytes | bytearray):
            project = reader.read(java.input_stream(bytes(source)))
            shown = "the file"
        else:
            path = Path(source)
            if not path.is_file():
                raise FileFormatError(f"There is no file at {path}.")
            project = reader.read(str(path))
            shown = path.name
    except java.exception as error:
        raise FileFormatError(f"MPXJ could not read the file: {error}.") from None
    if project is None:
        raise FileFormatError(f"MPXJ does not recognise the format of {shown}; pmo reads {_FORMATS}.")
    output = java.output_stream()
    try:
        java.writer().write(project, output)
    except java.exception as error:
        raise FileFormatError(f"MPXJ could not write the plan as MSPDI: {error}.") from None
    return bytes(output.toByteArray())
