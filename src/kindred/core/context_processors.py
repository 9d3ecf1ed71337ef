from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The six areas, in the order of the brief. An area whose app is not installed yet links to
# the home page's section about it.
AREAS = [
    ("connect", _("Connect"), "network:directory"),
    ("learn", _("Learn"), "library:index"),
    ("understand", _("Understand"), "observe:home"),
    ("systems", _("Systems"), "systems:index"),
    ("policy", _("Policy"), "policy:index"),
    ("research", _("Research"), "research:index"),
]


def _nav(path: str) -> list[dict]:
    items = []
    for key, label, url_name in AREAS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = reverse("home:index") + f"#{key}"
        current = "#" not in url and path.startswith(url)
        items.append({"key": key, "label": label, "url": url, "current": current})
    return items


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "DEBUG": settings.DEBUG,
        "nav_areas": _nav(request.path),
    }
