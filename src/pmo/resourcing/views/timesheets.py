"""Pages: timesheets."""

urlpatterns = []
