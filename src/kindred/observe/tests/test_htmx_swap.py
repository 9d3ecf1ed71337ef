"""The family search swaps the results without nesting the container."""

from kindred.core.tests.htmx import assert_swap_does_not_nest
from kindred.observe.tests.factories import make_family


def test_a_search_replaces_the_results_instead_of_nesting_them(client_as, staff, site):
    make_family(site, caregiver_name="Caregiver 1")
    url = f"/observe/sites/{site.slug}/families/"
    assert_swap_does_not_nest(client_as(staff["clinician"]), url, "results", q="Caregiver")
