from django.urls import path

app_name = "observe"

urlpatterns: list = []
