from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kindred.home.stats import home_stats
from kindred.library.services.home import latest_for_home


def index(request: HttpRequest) -> HttpResponse:
    context = {"stats": home_stats(), "latest": latest_for_home()}
    return render(request, "home/index.html", context)
