import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template

from kindred.places import maps

SVG = "{http://www.w3.org/2000/svg}"


def parse(html) -> ET.Element:
    """The figure parses as XML; return its <svg>."""
    figure = ET.fromstring(str(html))
    assert figure.tag == "figure"
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return figure, svg


def test_the_us_map_has_one_linked_titled_path_per_state():
    figure, svg = parse(maps.us_states_svg(title="Where members are"))
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 51  # 50 states and DC
    assert len(svg.findall(f".//{SVG}path")) == 51
    hrefs = {link.get("href") for link in links}
    assert "/places/ok/" in hrefs and "/places/dc/" in hrefs
    titles = {link.find(f"{SVG}title").text for link in links}
    assert "Oklahoma" in titles and "District of Columbia" in titles
    assert svg.get("role") == "group"  # links must stay reachable for screen readers
    assert svg.get("aria-labelledby") == "us-map-title"
    assert svg.find(f"{SVG}title").text == "Where members are"
    assert svg.get("viewBox") == "0 0 975 610"
    assert figure.find("figcaption") is None  # a plain map needs no legend


def test_every_path_is_drawable():
    _figure, svg = parse(maps.us_states_svg(title="Map"))
    for path in svg.iter(f"{SVG}path"):
        d = path.get("d")
        assert d.startswith("M") and d.endswith("z")
        assert "nan" not in d


def test_a_choropleth_colours_five_classes_and_has_a_legend():
    values = {usps: index for index, usps in enumerate(sorted(maps.states_on_map()))}
    values["TX"] = None
    figure, svg = parse(
        maps.us_states_svg(
            values,
            title="Members by state",
            value_label=lambda v: "no members yet" if v is None else f"{v} members",
        )
    )
    fills = {path.get("fill") for path in svg.iter(f"{SVG}path")}
    assert fills == set(maps.PALETTE) | {maps.NO_DATA_FILL}
    titles = [a.find(f"{SVG}title").text for a in svg.iter(f"{SVG}a")]
    assert "Texas: no members yet" in titles
    assert f"Oklahoma: {values['OK']} members" in titles
    legend = figure.find("figcaption/ul")
    assert legend.get("class") == "map-legend"
    labels = ["".join(item.itertext()).strip() for item in legend.findall("li")]
    assert len(labels) == 6
    assert labels[0].startswith("0 to ")
    assert labels[-1] == "no data"


def test_darker_means_more():
    _figure, svg = parse(maps.us_states_svg({"OK": 1, "TX": 100}, title="Map"))
    fill = {path.get("data-id"): path.get("fill") for path in svg.iter(f"{SVG}path")}
    assert fill["OK"] != fill["TX"]
    assert maps.PALETTE.index(fill["OK"]) < maps.PALETTE.index(fill["TX"])
    assert fill["CA"] == maps.NO_DATA_FILL


def test_explicit_breaks():
    figure, svg = parse(maps.us_states_svg({"OK": 5, "TX": 50}, title="Map", breaks=[10, 100]))
    labels = ["".join(li.itertext()).strip() for li in figure.findall("figcaption/ul/li")]
    assert labels[:2] == ["up to 10", "more than 10, up to 100"]
    with pytest.raises(ValueError):
        maps.us_states_svg({"OK": 5}, title="Map", breaks=[1, 2, 3, 4, 5, 6])


def test_class_breaks():
    assert maps.class_breaks([]) == []
    assert maps.class_breaks([None, None]) == []
    assert maps.class_breaks([3, 1, 2]) == [1, 2, 3]
    assert maps.class_breaks(range(1, 101)) == [20, 40, 60, 80, 100]
    # Many ties (most places have none yet) give fewer, still truthful classes.
    assert maps.class_breaks([0] * 90 + list(range(1, 11))) == [0, 10]


def test_no_links_make_an_image():
    _figure, svg = parse(maps.us_states_svg(title="Map", link=None))
    assert svg.get("role") == "img"
    assert svg.findall(f".//{SVG}a") == []
    assert svg.find(f".//{SVG}path/{SVG}title").text  # tooltips stay


def test_text_is_escaped():
    figure, svg = parse(
        maps.us_states_svg({"OK": 1}, title='<script>"x"</script>', value_label=lambda v: "a&b")
    )
    assert svg.find(f"{SVG}title").text == '<script>"x"</script>'
    assert "Oklahoma: a&b" in [a.find(f"{SVG}title").text for a in svg.iter(f"{SVG}a")]


def test_no_inline_styles():
    html = maps.us_states_svg({"OK": 1}, title="Map") + maps.state_counties_svg("OK", title="M")
    assert "style=" not in html
    assert "<script" not in html


def test_a_state_county_map_fits_the_state():
    figure, svg = parse(
        maps.state_counties_svg("ok", {"40143": 12, "40109": None}, title="Members by county")
    )
    areas = [p for p in svg.iter(f"{SVG}path") if "map-area" in p.get("class")]
    assert len(areas) == 77
    assert {p.get("data-id") for p in areas} >= {"40143", "40109"}
    titles = {p.find(f"{SVG}title").text for p in areas}
    assert "Tulsa County: 12" in titles
    assert "Oklahoma County: no data" in titles
    x, y, width, height = (float(n) for n in svg.get("viewBox").split())
    assert width < 975 / 3 and height < 610 / 3  # zoomed in on Oklahoma
    assert svg.find(f".//{SVG}path[@class='map-outline']") is not None


def test_county_links_are_optional():
    _figure, svg = parse(
        maps.state_counties_svg("DE", title="Delaware", link=lambda fips: f"/counties/{fips}/")
    )
    assert {a.get("href") for a in svg.iter(f"{SVG}a")} == {
        "/counties/10001/",
        "/counties/10003/",
        "/counties/10005/",
    }


@pytest.mark.parametrize("usps", ["PR", "GU", "VI", "AS", "MP", "ZZ", ""])
def test_places_without_shapes_give_an_empty_string(usps):
    assert maps.state_counties_svg(usps, title="Map") == ""


def test_shapes_are_decoded_once():
    assert maps.state_shapes() is maps.state_shapes()
    assert len(maps.state_shapes()) == 51
    assert len(maps.county_shapes()) == 3142


@pytest.mark.django_db
def test_template_tags():
    html = Template(
        "{% load places_maps %}{% us_states_map values title='Members' %}"
        "{% state_counties_map 'OK' title='Counties' %}"
    ).render(Context({"values": {"OK": 3}}))
    assert html.count("<svg") == 2 + 1 + 1  # two maps, and two legend swatches
    assert 'id="us-map"' in html and 'id="county-map"' in html
