app_name = "observe"

urlpatterns: list = []
