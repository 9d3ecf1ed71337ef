"""The policy tracker's filters swap the results without nesting the container."""

from kindred.core.tests.htmx import assert_swap_does_not_nest
from kindred.policy.tests.factories import make_policy


def test_a_filter_replaces_the_results_instead_of_nesting_them(client, db):
    make_policy()
    assert_swap_does_not_nest(client, "/policy/", "results", q="leave")
