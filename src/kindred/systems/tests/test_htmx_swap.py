"""The systems lists' filters swap the results without nesting the container."""

import pytest

from kindred.core.tests.htmx import assert_swap_does_not_nest


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/systems/commitments/", {}),
        ("/systems/services/", {"need": "doula-care"}),
        ("/systems/referrals/", {"status": "open"}),
    ],
)
def test_a_filter_replaces_the_results_instead_of_nesting_them(
    client_as, rosa, service, url, params
):
    assert_swap_does_not_nest(client_as(rosa), url, "results", **params)
