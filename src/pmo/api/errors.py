"""The API's exception handler: domain errors become answers a client can act on, never a 500.

Every 400 has the same shape, whether the serializer or a service found the problem::

    {"detail": "A sentence for a person.", "errors": {"field": ["What is wrong with it."]}}

so that a client needs one way to show errors next to the fields it sent.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused

NON_FIELD_ERRORS = "non_field_errors"


def _field_errors(data) -> dict:
    """DRF's validation data (a dict by field, or a bare list) as a dict by field."""
    if isinstance(data, dict):
        return data
    return {NON_FIELD_ERRORS: data if isinstance(data, list) else [data]}


def _summary(errors: dict) -> str:
    fields = [name for name in errors if name != NON_FIELD_ERRORS]
    general = errors.get(NON_FIELD_ERRORS)
    if general and isinstance(general, list) and not fields:
        return " ".join(str(message) for message in general)
    if fields:
        return f"Correct the fields named in errors: {', '.join(fields)}."
    return "The request is not valid."


def _domain_response(error: DomainError) -> Response:
    if isinstance(error, PermissionRefused):
        return Response({"detail": error.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, NotFound):
        return Response({"detail": error.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(error, InvalidData):
        return Response({"detail": error.message, "errors": error.as_dict()}, status=status.HTTP_400_BAD_REQUEST)
    body = {"detail": error.message}
    if error.field:
        body["errors"] = error.as_dict()
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    """Turn ``DomainError`` into 400/403/404, reshape validation errors, leave the rest to DRF."""
    if isinstance(exc, DjangoValidationError):
        # A model rule reached outside a service (which would have converted it) is still bad input.
        exc = InvalidData.from_validation_error(exc)
    if isinstance(exc, DomainError):
        # Services are atomic on their own; this also undoes the request's transaction if
        # ATOMIC_REQUESTS is ever turned on, so a refused write never leaves anything behind.
        set_rollback()
        return _domain_response(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = _field_errors(response.data)
        response.data = {"detail": _summary(errors), "errors": errors}
    return response
