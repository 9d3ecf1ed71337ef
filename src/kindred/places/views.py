from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kindred.places.models import State


def state_list(request: HttpRequest) -> HttpResponse:
    return render(request, "places/state_list.html", {"states": State.objects.all()})


def state_detail(request: HttpRequest, usps: str) -> HttpResponse:
    try:
        state = State.objects.get(usps=usps.upper())
    except State.DoesNotExist:
        raise Http404 from None
    counties = state.counties.all()
    return render(request, "places/state_detail.html", {"state": state, "counties": counties})
