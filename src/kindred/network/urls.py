from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("", include("kindred.network.urls_partners")),
]
