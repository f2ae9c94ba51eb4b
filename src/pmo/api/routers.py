"""The one router of the API, gathering the routers of every app."""

from rest_framework.routers import DefaultRouter, SimpleRouter


class ApiRouter(DefaultRouter):
    """A browsable root listing every resource; no ``.json`` suffix routes (``Accept`` chooses)."""

    include_format_suffixes = False

    def include(self, app_router: SimpleRouter) -> None:
        """Take over an app's registrations; a basename used twice is refused by ``register``."""
        for prefix, viewset, basename in app_router.registry:
            self.register(prefix, viewset, basename=basename)
