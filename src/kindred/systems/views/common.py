"""Shared bits of systems views: turning a service refusal into a form error, paging."""

from __future__ import annotations

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from kindred.network.models import Organization
from kindred.systems.models.access import is_staff, organization_ids
from kindred.systems.services import SystemsError

PAGE_SIZE = 25


def add_error(form: forms.Form, error: SystemsError) -> None:
    """Show ``error`` on its field when the form has it, else at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def paginate(request: HttpRequest, qs, size: int = PAGE_SIZE) -> tuple[Page, str]:
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def my_organizations(user, *, admin: bool = False) -> list[Organization]:
    """Organizations ``user`` belongs to (administers, with ``admin``); staff: none extra."""
    ids = organization_ids(user, admin=admin)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def admin_organizations(user) -> list[Organization]:
    """Organizations whose services and commitments ``user`` may manage."""
    if is_staff(user):
        return list(Organization.objects.order_by("name")[:500])
    return my_organizations(user, admin=True)
