"""Template tags for systems, used where other apps' pages include systems partials."""

from __future__ import annotations

from django import template

from kindred.systems.models import Referral
from kindred.systems.services import matching_services, needs_for_result

register = template.Library()


def _age_months(family) -> int | None:
    age_days = getattr(family, "age_days", None)
    if not callable(age_days):
        return None
    try:
        return max(int(age_days() // 30.44), 0)
    except (TypeError, ValueError):
        return None


def _sharing_consent(family) -> bool:
    allows = getattr(family, "allows", None)
    return bool(callable(allows) and allows("sharing"))


@register.simple_tag
def result_services(needs, site=None, family=None, limit: int = 5) -> dict:
    """Services that fit an observation result: matching its needs, serving the site's
    county, the child's age and the family's language (then without the language when
    nothing matches, since interpreters are common)."""
    organization = getattr(site, "organization", None)
    county = getattr(organization, "county", None)
    slugs = needs_for_result(needs or []) or None
    age = _age_months(family)
    language = getattr(family, "language", None)
    services = matching_services(
        county=county, need=slugs, age_months=age, language=language, limit=limit
    )
    if not services and language:
        services = matching_services(county=county, need=slugs, age_months=age, limit=limit)
    return {
        "services": services,
        "urgencies": Referral.Urgency.choices,
        "has_sharing_consent": _sharing_consent(family),
    }


@register.simple_tag(takes_context=True)
def result_referrals_sent(context, site=None, family=None, limit: int = 10) -> list:
    """Referrals this site's organization already sent for the family, newest first, as far
    as the person looking may see them: where the clinician sees the loop close."""
    request = context.get("request")
    user = getattr(request, "user", None)
    organization = getattr(site, "organization", None)
    code = getattr(family, "code", None)
    if user is None or not getattr(organization, "pk", None) or not code:
        return []
    return list(
        Referral.objects.visible_to(user)
        .filter(
            from_organization=organization,
            subject_kind=Referral.SubjectKind.FAMILY,
            subject_ref=code,
        )
        .select_related("service", "to_organization")
        .order_by("-created")[:limit]
    )
