"""``{% load places_maps %}``: the maps of ``kindred.places.maps`` in templates.

    {% us_states_map values title=_("Members by state") %}
    {% state_counties_map state.usps values title=_("Members by county") %}

``values`` maps USPS codes (states) or county FIPS codes (counties) to numbers; leave it out
for a plain map. States link to their places page; counties have no links. For other links
or labels, call the functions in a view and pass the result to the template.
"""

from django import template

from kindred.places.maps import state_counties_svg, us_states_svg

register = template.Library()


@register.simple_tag
def us_states_map(values=None, *, title, description="", html_id="us-map"):
    return us_states_svg(values, title=title, description=description, html_id=html_id)


@register.simple_tag
def state_counties_map(usps, values=None, *, title, description="", html_id="county-map"):
    return state_counties_svg(usps, values, title=title, description=description, html_id=html_id)
