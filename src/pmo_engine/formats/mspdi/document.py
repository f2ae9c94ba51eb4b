"""Safe parsing of an MSPDI file, and typed access to its elements with errors that say where.

Parsing goes through ``defusedxml`` and refuses any document type declaration: MSPDI files never
have one, and a DTD is how an XML bomb (entities expanding to gigabytes) or an external entity
(reading a server file or URL) gets in. Line numbers of elements are recorded while parsing so
that every error can name the line.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from pmo_engine.formats.errors import FileFormatError
from pmo_engine.formats.mspdi.codes import NAMESPACE, parse_boolean, parse_datetime, parse_decimal

Value = TypeVar("Value")

_SAVE_AS = "In Microsoft Project or ProjectLibre, save the plan as 'XML Format (*.xml)'."


class _LineRecordingBuilder(TreeBuilder):
    """A tree builder that notes the line on which each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[Element, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def _current_line(parser: DefusedXMLParser) -> int | None:
    try:
        return int(parser.parser.CurrentLineNumber)
    except AttributeError:
        return None


def parse_document(data: bytes) -> "Document":
    """The MSPDI document in ``data``; raises :class:`~pmo_engine.formats.errors.FileFormatError`
    for anything but a well-formed XML file whose root is MSPDI's ``<Project>``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FileFormatError(f"read_mspdi takes the file's bytes, not {type(data).__name__}.")
    builder = _LineRecordingBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(bytes(data))
        root = parser.close()
    except DefusedXmlException as error:
        raise FileFormatError(
            f"The file declares a document type (DTD) or entities ({type(error).__name__}); MSPDI files never do, "
            "and pmo refuses them because they can expand into an 'XML bomb' or read other files. " + _SAVE_AS,
            line=_current_line(parser),
        ) from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise FileFormatError(
            f"The file is not well-formed XML ({reason} at column {column}). " + _SAVE_AS, line=line
        ) from None
    if root.tag == f"{{{NAMESPACE}}}Project":
        namespace = f"{{{NAMESPACE}}}"
    elif root.tag == "Project":
        namespace = ""  # some tools leave the namespace out; MS Project reads such files too
    else:
        raise FileFormatError(
            f"The file is XML but not a Microsoft Project XML (MSPDI) file: its root element is <{root.tag}>, not "
            f'<Project xmlns="{NAMESPACE}">. ' + _SAVE_AS,
            line=builder.lines.get(root),
        )
    return Document(root, builder.lines, namespace)


class Document:
    """A parsed MSPDI document: child lookup without the namespace, and typed values whose errors
    name the element, the task UID and the line."""

    def __init__(self, root: Element, lines: dict[Element, int], namespace: str):
        self.root = root
        self._lines = lines
        self._namespace = namespace

    def line(self, element: Element) -> int | None:
        return self._lines.get(element)

    def child(self, element: Element, name: str) -> Element | None:
        return element.find(self._namespace + name)

    def children(self, element: Element, name: str) -> list[Element]:
        return element.findall(self._namespace + name)

    def path(self, element: Element, *names: str) -> list[Element]:
        """The elements at ``names`` below ``element`` (``path(root, "Tasks", "Task")``)."""
        return element.findall("/".join(self._namespace + name for name in names))

    def error(
        self, message: str, element: Element, name: str | None = None, *, task_uid: int | None = None
    ) -> FileFormatError:
        """A :class:`FileFormatError` located at ``element`` (or its child ``name``)."""
        located = self.child(element, name) if name is not None else None
        shown = name if name is not None else element.tag.split("}")[-1]
        return FileFormatError(
            message, element=shown, task_uid=task_uid, line=self.line(located if located is not None else element)
        )

    def text(self, element: Element, name: str) -> str | None:
        """The stripped text of child ``name``; ``None`` when absent or empty."""
        found = self.child(element, name)
        if found is None or found.text is None or not found.text.strip():
            return None
        return found.text.strip()

    def words(self, element: Element | None, name: str) -> str:
        """The text of child ``name`` exactly as the file has it (names, notes); "" when absent."""
        found = self.child(element, name) if element is not None else None
        return found.text if found is not None and found.text is not None else ""

    def value(
        self,
        element: Element,
        name: str,
        convert: Callable[[str], Value],
        *,
        task_uid: int | None = None,
    ) -> Value | None:
        """Child ``name`` converted by ``convert`` (whose ``ValueError`` says why it failed);
        ``None`` when absent or empty."""
        text = self.text(element, name)
        if text is None:
            return None
        try:
            return convert(text)
        except ValueError as error:
            raise self.error(f"{error}.", element, name, task_uid=task_uid) from None

    def integer(self, element: Element, name: str, *, task_uid: int | None = None) -> int | None:
        return self.value(element, name, _parse_integer, task_uid=task_uid)

    def required_integer(self, element: Element, name: str, *, task_uid: int | None = None) -> int:
        value = self.integer(element, name, task_uid=task_uid)
        if value is None:
            raise self.error(f"<{name}> is required here and missing or empty.", element, task_uid=task_uid)
        return value

    def boolean(self, element: Element, name: str, *, default: bool, task_uid: int | None = None) -> bool:
        value = self.value(element, name, parse_boolean, task_uid=task_uid)
        return default if value is None else value

    def moment(self, element: Element, name: str, *, task_uid: int | None = None) -> datetime | None:
        return self.value(element, name, parse_datetime, task_uid=task_uid)

    def number(self, element: Element, name: str, *, task_uid: int | None = None) -> Decimal | None:
        return self.value(element, name, parse_decimal, task_uid=task_uid)


def _parse_integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
