from pmo.governance.views import urlpatterns as page_urls

app_name = "governance"

urlpatterns = [*page_urls]
