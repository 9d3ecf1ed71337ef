"""The library's pieces for the home page and state pages."""

import datetime as dt

from django.template.loader import render_to_string

from kindred.library import services
from kindred.library.tests.factories import community_with, make_event, make_resource
from kindred.places.models import State


def test_latest_for_home_and_its_partial(alice, staff, django_assert_max_num_queries):
    community = community_with(alice)
    make_resource("Newest guide")
    make_event(community, proposer=alice, title="Next play group")
    make_event(community, proposer=alice, title="Long ago", starts_in=dt.timedelta(days=-30))
    story = services.submit_story(
        title="Bath songs",
        body="We sing.",
        teller_name="Ana",
        teller_role="parent",
        attribution="anonymous",
        teller_email="ana@example.org",
    )
    services.moderate_story(story, by=staff, publish=True)
    with django_assert_max_num_queries(6):
        latest = services.latest_for_home()
        html = render_to_string("library/_home_section.html", {"library": latest})
    assert "Newest guide" in html and "Next play group" in html and "Bath songs" in html
    assert "Long ago" not in html


def test_latest_for_state(alice, staff):
    oklahoma, texas = State.objects.get(usps="OK"), State.objects.get(usps="TX")
    community = community_with(alice)  # in Tulsa County, Oklahoma
    make_event(community, proposer=alice, title="Tulsa play group")
    for title, state in [("Oklahoma story", oklahoma), ("Texas story", texas)]:
        story = services.submit_story(
            title=title,
            body="We read.",
            teller_name="Ana",
            teller_role="parent",
            attribution="anonymous",
            teller_email="ana@example.org",
            state=state,
        )
        services.moderate_story(story, by=staff, publish=True)
    make_resource("Any guide")
    latest = services.latest_for_state(oklahoma)
    html = render_to_string("library/_state_section.html", {"library": latest})
    assert "Tulsa play group" in html and "Oklahoma story" in html and "Any guide" in html
    assert "Texas story" not in html
    empty = render_to_string(
        "library/_state_section.html", {"library": services.latest_for_state(texas)}
    )
    assert "No events here yet." in empty
