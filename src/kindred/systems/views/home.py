from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kindred.systems.models import Commitment, LearningPath, Service
from kindred.systems.views.common import admin_organizations, my_organizations


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "commitments": Commitment.objects.select_related("organization")[:3],
        "commitment_count": Commitment.objects.count(),
        "kept_count": Commitment.objects.filter(status=Commitment.Status.KEPT).count(),
        "service_count": Service.objects.active().count(),
        "paths": LearningPath.objects.visible_to(request.user)[:3],
        "my_organizations": my_organizations(request.user),
        "admin_organizations": admin_organizations(request.user)[:20],
    }
    return render(request, "systems/index.html", context)
