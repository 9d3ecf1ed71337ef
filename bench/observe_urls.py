"""Bench-only URLconf: Kindred's URLs plus the floor of the submission benchmark.

``POST /bench/observe-insert`` parses the same JSON body as an encounter submission and
inserts one row with raw SQL, nothing else: the simplest write the same server, middleware
and database can do, so ``ratio`` compares submission speed across noisy machines.
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from kindred.urls import urlpatterns as kindred_urlpatterns

TABLE = "observe_bench_insert"


def create_table() -> None:
    pk = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id {pk}, family bigint, "
            "instrument varchar(50), answers text, created timestamp with time zone)"
        )


@csrf_exempt
def bare_insert(request):
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (family, instrument, answers, created) VALUES (%s, %s, %s, %s)",
            [data["family"], data["instrument"], json.dumps(data["answers"]), timezone.now()],
        )
    return JsonResponse({"status": "ok"}, status=201)


urlpatterns = [path("bench/observe-insert", bare_insert), *kindred_urlpatterns]
