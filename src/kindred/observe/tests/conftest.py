import pytest

from kindred.observe.api import _versions
from kindred.observe.models import SiteMembership
from kindred.observe.tests.factories import add_staff, make_family, make_site


@pytest.fixture(autouse=True)
def _fresh_instrument_versions():
    # The API keeps published versions in memory; a transactional test's flush gives the
    # next test new ids, so the cache starts over with each test.
    _versions.clear()
    yield
    _versions.clear()


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def other_site(db):
    return make_site("Hillside Home Visiting", kind="home_visiting")


@pytest.fixture
def staff(site, alice, bob, charlie, other_site):
    """alice: clinician at the site; bob: read-only there; charlie: clinician elsewhere."""
    add_staff(site, alice, SiteMembership.Role.CLINICIAN)
    add_staff(site, bob, SiteMembership.Role.READ_ONLY)
    add_staff(other_site, charlie, SiteMembership.Role.CLINICIAN)
    return {"clinician": alice, "read_only": bob, "outsider": charlie}


@pytest.fixture
def family(site, staff):
    return make_family(site, by=staff["clinician"])
