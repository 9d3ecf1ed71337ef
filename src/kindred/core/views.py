import sys

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from kindred.core.models import TaskProgress


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitors: 200 when the database answers and every migration is applied."""
    checks = {"database": "ok", "migrations": "ok"}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            checks["migrations"] = f"{len(pending)} pending"
    except Exception as exc:  # any failure to reach the database is "unhealthy"
        checks["database"] = f"error: {exc.__class__.__name__}"
        checks["migrations"] = "unknown"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def progress(request: HttpRequest, progress_id) -> HttpResponse:
    """The progress of one background task; htmx polls the fragment until it finishes."""
    owner = request.user if request.user.is_authenticated else None
    item = get_object_or_404(TaskProgress, pk=progress_id, owner=owner)
    if request.htmx and not item.is_finished and request.GET.get("seen") == item.version:
        # Nothing new: htmx leaves the page alone, so screen readers are not re-told.
        return HttpResponse(status=204)
    template = "core/progress.html"
    if request.htmx:
        template += "#progress"
    response = render(request, template, {"progress": item})
    if request.htmx and item.is_finished:
        # htmx stops polling when it receives 286.
        response.status_code = 286
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, also saved on the account of a signed-in person."""
    response = django_set_language(request)
    code = request.POST.get("language")
    if code and translation.check_for_language(code) and request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Something broke. When it is the database (down, restarting, out of connections), say
    503 with Retry-After: nothing is wrong with the request, and it will work again soon."""
    exception = sys.exc_info()[1]
    unavailable = isinstance(exception, OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = (
            _("The service is briefly unavailable; try again shortly.")
            if unavailable
            else _("Something went wrong on our side.")
        )
        response = JsonResponse({"detail": str(detail)}, status=status)
    else:
        response = render(request, "500.html", {"unavailable": unavailable}, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A friendly page when a form expired (Django's own renders without our layout)."""
    context = {"no_cookie": reason == csrf.REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
