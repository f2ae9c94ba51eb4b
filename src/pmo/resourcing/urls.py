"""Routes of resourcing pages. Each page module in ``views`` lists its own ``urlpatterns``; they
are joined here under the ``resourcing`` namespace."""

from pmo.resourcing.views import capacity, rebalancing, resources, timesheets, training, transfer

app_name = "resourcing"

urlpatterns = [
    *resources.urlpatterns,
    *timesheets.urlpatterns,
    *capacity.urlpatterns,
    *transfer.urlpatterns,
    *training.urlpatterns,
    *rebalancing.urlpatterns,
]
