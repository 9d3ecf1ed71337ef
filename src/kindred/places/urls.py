from django.urls import path

from kindred.places import views

app_name = "places"

urlpatterns = [
    path("", views.state_list, name="index"),
    path("<str:usps>/", views.state_detail, name="state"),
]
