from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kindred.places.models import County, State


def index(request: HttpRequest) -> HttpResponse:
    stats = {
        "people": get_user_model().objects.filter(is_active=True).count(),
        "states": State.objects.count(),
        "counties": County.objects.count(),
    }
    return render(request, "home/index.html", {"stats": stats})
