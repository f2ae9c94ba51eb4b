app_name = "lifecycle"

urlpatterns = []
