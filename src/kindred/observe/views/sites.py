"""Site pages: the dashboard, the audit log, downloads, reliability, content packs, staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kindred.core.models import AuditEvent
from kindred.observe import exports, services
from kindred.observe.access import client_ip, get_site_for, record
from kindred.observe.dashboard import network_numbers, site_numbers
from kindred.observe.engine.content_pack import ContentPackError
from kindred.observe.forms import AuditFilterForm, ContentPackForm, MemberForm
from kindred.observe.models import Encounter, Site
from kindred.observe.reliability_report import reliability_report


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sites = list(Site.objects.visible_to(request.user).select_related("organization"))
    if len(sites) == 1:
        return redirect(sites[0])
    return render(request, "observe/home.html", {"sites": sites})


@login_required
def site_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug)
    record(request, "site.dashboard_viewed", site, site=site)
    today = timezone.localdate()
    visits_today = (
        Encounter.objects.filter(site=site, date=today)
        .select_related("family")
        .order_by("-created")[:30]
    )
    context = {
        "site": site,
        "membership": site.membership_for(request.user),
        "numbers": site_numbers(site, today=today),
        "visits_today": visits_today,
    }
    return render(request, "observe/site_detail.html", context)


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug, need="admin")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(details__site=site.pk)
    if form.is_valid():
        data = form.cleaned_data
        if data["verb"]:
            events = events.filter(verb__icontains=data["verb"])
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"])
        if data["target"]:
            events = events.filter(
                Q(target_label__icontains=data["target"]) | Q(details__family=data["target"])
            )
        if data["since"]:
            events = events.filter(created__date__gte=data["since"])
        if data["until"]:
            events = events.filter(created__date__lte=data["until"])
    page = Paginator(events.order_by("-created", "-id"), 50).get_page(request.GET.get("page"))
    record(request, "site.audit_viewed", site, site=site)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "observe/site_audit.html",
        {"site": site, "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def site_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx", "ndjson"}:
        raise Http404("Unknown format.")
    site = get_site_for(request, slug, need="admin")
    count = exports.export_rows(site).count()
    record(request, "site.exported", site, site=site, format=fmt, rows=count)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(site), content_type="text/csv")
    elif fmt == "ndjson":
        response = StreamingHttpResponse(
            exports.ndjson_lines(site), content_type="application/fhir+ndjson"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(site),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{site.slug}-{stamp}.{fmt}"'
    return response


@login_required
def site_reliability(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug)
    record(request, "site.reliability_viewed", site, site=site)
    report = reliability_report(site, language=get_language() or "en")
    return render(request, "observe/site_reliability.html", {"site": site, "report": report})


@login_required
def content_packs(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug, need="admin")
    form = ContentPackForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload_content_pack(
                site,
                form.cleaned_data["instrument_version"],
                upload.read(),
                filename=upload.name,
                language=form.cleaned_data["language"],
                by=request.user,
                ip=client_ip(request),
            )
        except ContentPackError as exc:
            problems = exc.problems
            form.add_error("file", _("This pack does not match the instrument; nothing was saved."))
        else:
            messages.success(request, _("Content pack saved."))
            return redirect("observe:content-packs", slug=site.slug)
    packs = site.content_packs.select_related("instrument_version__instrument", "uploaded_by")
    return render(
        request,
        "observe/site_content_packs.html",
        {"site": site, "form": form, "packs": packs, "problems": problems},
    )


@login_required
def site_members(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug, need="admin")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No Kindred account uses this email address."))
        else:
            services.add_site_member(
                site, user, role=form.cleaned_data["role"], by=request.user, ip=client_ip(request)
            )
            messages.success(
                request,
                _(
                    "Saved. They will be asked to set up two-factor "
                    "sign-in before they see any family."
                ),
            )
            return redirect("observe:site-members", slug=site.slug)
    members = site.memberships.select_related("user").order_by("role", "user__email")
    return render(
        request, "observe/site_members.html", {"site": site, "form": form, "members": members}
    )


@login_required
def network_summary(request: HttpRequest) -> HttpResponse:
    """Across every site, for network staff: counts only, cells under 11 suppressed."""
    if not request.user.is_staff:
        raise PermissionDenied
    record(request, "observe.network_summary_viewed", None, site=None)
    return render(
        request,
        "observe/network_summary.html",
        {"numbers": network_numbers()},
    )
