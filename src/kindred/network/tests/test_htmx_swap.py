"""The community list's filters swap the results without nesting the container."""

from kindred.core.tests.htmx import assert_swap_does_not_nest
from kindred.network.tests.factories import make_community


def test_a_filter_replaces_the_results_instead_of_nesting_them(client, alice):
    make_community("Tulsa County Families", organizer=alice)
    assert_swap_does_not_nest(client, "/network/communities/", "results", level="county")
