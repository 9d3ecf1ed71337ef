"""The library's filter forms swap their results without nesting the container: no duplicate
ids, no live region inside a copy of itself."""

import pytest

from kindred.core.tests.htmx import assert_swap_does_not_nest
from kindred.library.tests.factories import community_with, make_event, make_resource


@pytest.mark.parametrize(
    ("url", "container", "params"),
    [
        ("/library/events/", "events", {"mode": "in_person"}),
        ("/library/stories/", "stories", {"topic": "play"}),
        ("/library/", "results", {"q": "bedtime"}),
    ],
)
def test_a_filter_replaces_the_results_instead_of_nesting_them(
    client, alice, url, container, params
):
    make_event(community_with(alice), proposer=alice)
    make_resource("Calm bedtime routines")
    assert_swap_does_not_nest(client, url, container, **params)
