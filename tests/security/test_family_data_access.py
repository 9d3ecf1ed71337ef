"""Every family-data URL, found by walking the URL configuration, refuses people who may not
see that family: a signed-in outsider and the staff of another site.

New views are covered automatically: any URL in the ``observe`` namespace is family data unless
it is listed in NOT_FAMILY_DATA below with the reason, and a URL whose arguments this test
cannot fill fails loudly until ARGUMENTS learns how.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kindred.observe.models import Alert, InstrumentVersion, SiteMembership
from kindred.observe.services import record_consent, submit_response
from kindred.observe.tests.factories import add_staff, make_encounter, make_family, make_site
from kindred.observe.tests.helpers import phq9_answers

# Pages in the observe namespace that show no family's data, and why.
NOT_FAMILY_DATA = {
    "observe:home": "lists only the sites the person is staff of",
    "observe:network": "network-wide aggregates with small cells suppressed",
    "observe:instruments": "the public catalogue of instruments",
    "observe:instrument-import": "instrument definitions, no family data (staff only)",
}


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern), entry


def family_data_urls() -> list[tuple[str, list[str]]]:
    found = []
    for name, _route, entry in _walk(get_resolver()):
        if name.startswith("observe:") and name not in NOT_FAMILY_DATA:
            found.append((name, list(entry.pattern.converters)))
    return sorted(found)


@pytest.fixture
def world(db, alice, bob, charlie):
    """Site A (alice is its clinician) holds a family with a visit, a response, an alert and a
    consent; bob is a clinician at site B; charlie is a signed-in member with no site."""
    site_a, site_b = make_site("Site A Pediatrics"), make_site("Site B Home Visiting")
    add_staff(site_a, alice, role=SiteMembership.Role.ADMIN)
    add_staff(site_b, bob)
    family = make_family(site_a, by=alice)
    consent = record_consent(family, kind="research", version="1", granted=True, by=alice)
    encounter = make_encounter(family, alice, "phq-9")
    response = encounter.responses.get()
    submit_response(response, phq9_answers(2, 2, 1, 1, 1, 1, 0, 0, 2, difficulty="1"), by=alice)
    observation = InstrumentVersion.objects.published().filter(instrument__slug="wecs").first()
    return {
        "slug": site_a.slug,
        "families": family.pk,
        "visits": encounter.pk,
        "responses": response.pk,
        "alerts": Alert.objects.get(response=response).pk,
        "consent_id": consent.pk,
        "version_id": observation.pk,
        "fmt": "csv",
    }


def _arguments(route: str, converters: list[str], world: dict) -> dict:
    kwargs = {}
    for name in converters:
        if name == "pk":
            section = route.split("/")[1] if route.startswith("observe/") else ""
            assert section in world, f"Teach this test what <pk> means in {route!r}"
            kwargs[name] = world[section]
        else:
            assert name in world, f"Teach this test how to fill <{name}> in {route!r}"
            kwargs[name] = world[name]
    return kwargs


@pytest.mark.parametrize(("name", "converters"), family_data_urls())
def test_family_data_is_refused_to_people_outside_the_site(
    world, client_as, bob, charlie, name, converters
):
    route = next(r for n, r, _ in _walk(get_resolver()) if n == name)
    url = reverse(name, kwargs=_arguments(route, converters, world))
    for who, person in (("an outsider", charlie), ("another site's clinician", bob)):
        client = client_as(person)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in {403, 404, 405}, (
                f"{who} got {response.status_code} from {method.upper()} {url}"
            )


def test_site_staff_can_reach_their_own_family(world, client_as, alice):
    # The same URLs work for the family's own site, so the refusals above are about access.
    response = client_as(alice).get(reverse("observe:family", args=[world["families"]]))
    assert response.status_code == 200


def test_a_refused_family_read_is_audited(world, client_as, bob):
    from kindred.core.models import AuditEvent

    before = AuditEvent.objects.count()
    client_as(bob).get(reverse("observe:family", args=[world["families"]]))
    assert AuditEvent.objects.count() > before
