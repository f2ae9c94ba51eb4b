"""Pages: resources."""

urlpatterns = []
