"""Pages: training."""

urlpatterns = []
