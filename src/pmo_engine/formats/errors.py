"""Errors of the file formats: every one is an :class:`~pmo_engine.errors.EngineError`, so that the
Django side turns it into a message for the person who uploaded the file.

- :class:`FileFormatError`: the file cannot be read as the format it claims to be (not XML, an XML
  bomb, a missing element, a bad value, a link to a task that is not there); the message says what
  is wrong and where (the element, the task UID, the line).
- :class:`UnsupportedFeatureError`: the file is fine, but it uses something pmo's scheduler cannot
  represent (different working hours on different days, a task in another project file).
- :class:`OptionalDependencyError`: reading this format needs an optional extra that is missing.
"""

from pmo_engine.errors import EngineError


class FileFormatError(EngineError):
    """A file that cannot be read: ``element``, ``task_uid`` and ``line`` locate the fault when known.

    The message starts with the location ("Task UID 12, <Duration>, line 345: ...") so that it can
    be shown as it is.
    """

    def __init__(
        self,
        message: str,
        *,
        element: str | None = None,
        task_uid: int | None = None,
        line: int | None = None,
    ):
        places = []
        if task_uid is not None:
            places.append(f"Task UID {task_uid}")
        if element is not None:
            places.append(f"<{element}>")
        if line is not None:
            places.append(f"line {line}")
        full_message = f"{', '.join(places)}: {message}" if places else message
        super().__init__(full_message, field=element)
        self.element = element
        self.task_uid = task_uid
        self.line = line


class UnsupportedFeatureError(EngineError):
    """A valid plan that uses a feature pmo's scheduler does not model; the message names it and
    says what to change in the plan."""


class OptionalDependencyError(EngineError):
    """An optional extra (such as ``pmo[mpxj]`` with Java 17) is needed and missing."""
