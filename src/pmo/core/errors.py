"""Errors raised by services when a domain rule refuses a request.

One handler per entry point (web form, API, CLI) turns these into a message a person can act on.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A request that breaks a rule of the domain; the message says which and why."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "detail": [self.message]}


class PermissionRefused(DomainError):
    """The actor may not do this to this object (or cannot see it)."""


class NotFound(DomainError):
    """The object does not exist, or the actor cannot see it: the two are told apart to nobody."""


class InvalidData(DomainError):
    """Field values that break the model's rules, with a message per field."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = {field: list(messages) for field, messages in errors.items()}
        summary = "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in self.errors.items()
        )
        super().__init__(summary)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "InvalidData":
        if hasattr(error, "error_dict"):
            return cls(
                {field: [str(m) for m in ValidationError(items).messages] for field, items in error.error_dict.items()}
            )
        return cls({"__all__": [str(m) for m in error.messages]})

    def as_dict(self) -> dict[str, list[str]]:
        return {("non_field_errors" if k == "__all__" else k): v for k, v in self.errors.items()}
