from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kindred.api import api
from kindred.core import views as core_views
from kindred.library.views import feeds as library_feeds

urlpatterns = [
    # First: the API carries the hot paths (signing, encounters), and is matched in one step.
    path("api/", api.urls),
    path("", include("kindred.home.urls")),
    path("", include("kindred.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("kindred.accounts.urls")),
    path("places/", include("kindred.places.urls")),
    path("network/", include("kindred.network.urls")),
    path("library/", include("kindred.library.urls")),
    path("events.ics", library_feeds.site_feed, name="events-ics"),
    path("systems/", include("kindred.systems.urls")),
    path("policy/", include("kindred.policy.urls")),
    path("observe/", include("kindred.observe.urls")),
    path("research/", include("kindred.research.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "kindred.core.views.error_403"
handler404 = "kindred.core.views.error_404"
handler500 = "kindred.core.views.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
