"""Bench-only URLconf: Kindred's URLs plus a bare insert view used as the baseline."""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from kindred.urls import urlpatterns as kindred_urlpatterns


@csrf_exempt
def bare_insert(request):
    """The floor: parse the same JSON body and insert one row, nothing else."""
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO policy_bench_insert (email, zip, created) VALUES (%s, %s, %s)",
            [data["email"], data["zip"], timezone.now()],
        )
    return JsonResponse({"status": "ok"}, status=201)


urlpatterns = [path("bench/insert", bare_insert), *kindred_urlpatterns]
