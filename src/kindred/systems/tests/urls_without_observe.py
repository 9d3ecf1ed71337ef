"""The project's URLs without observe's (tests only): the result hook before the view."""

from kindred.urls import urlpatterns as project_urls

urlpatterns = [p for p in project_urls if getattr(p, "namespace", None) != "observe"]
