"""Pages: rebalancing."""

urlpatterns = []
