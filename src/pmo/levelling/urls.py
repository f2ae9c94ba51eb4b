from pmo.levelling.views import urlpatterns as page_urls

app_name = "levelling"

urlpatterns = [*page_urls]
