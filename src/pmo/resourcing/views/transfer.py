"""Pages: transfer."""

urlpatterns = []
