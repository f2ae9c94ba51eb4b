"""Pages: capacity."""

urlpatterns = []
