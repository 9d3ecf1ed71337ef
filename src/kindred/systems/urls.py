from django.urls import path

app_name = "systems"

urlpatterns: list = []
