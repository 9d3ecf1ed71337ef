"""The research agenda's filters swap the results without nesting the container."""

from django.urls import reverse

from kindred.core.tests.htmx import assert_swap_does_not_nest


def test_a_filter_replaces_the_results_instead_of_nesting_them(client, db):
    assert_swap_does_not_nest(client, reverse("research:questions"), "results", theme="barriers")
