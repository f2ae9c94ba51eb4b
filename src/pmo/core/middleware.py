import re

from pmo.core.audit import bind_request_id, current_request_id, reset_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give each request an id (or keep a proxy's ``X-Request-ID``) that audit events record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = bind_request_id(incoming if _SAFE_ID.match(incoming) else None)
        try:
            request.request_id = current_request_id()
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
        finally:
            reset_request_id(token)
        return response
