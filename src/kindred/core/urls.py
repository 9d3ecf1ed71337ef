from django.urls import path

from kindred.core import views

app_name = "core"

urlpatterns = [
    path("tasks/<uuid:progress_id>/", views.progress, name="progress"),
    path("language/", views.set_language, name="set-language"),
]
