"""The project's URLs plus a stand-in for observe's future send-referral view (tests only)."""

from django.http import HttpResponse
from django.urls import include, path

from kindred.urls import urlpatterns as project_urls

observe_stub = (
    [
        path(
            "encounters/<int:pk>/send-referral/",
            lambda request, pk: HttpResponse(),
            name="send-referral",
        )
    ],
    "observe",
)

urlpatterns = [
    path("observe-stub/", include(observe_stub)),
    *[p for p in project_urls if getattr(p, "namespace", None) != "observe"],
]
