"""Every visible word in the network templates goes through translation, and no template
carries inline styles or scripts (the CSP forbids them)."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).parent.parent / "templates").rglob("*.html"))

BLOCKS = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment)\b.*?%}.*?{%\s*end(blocktranslate|blocktrans|comment)\s*%}",
    re.S,
)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
ATTRIBUTES = re.compile(r'\b(aria-label|alt|title|placeholder)="([^"]*)"')
HTML = re.compile(r"<[^>]*>", re.S)
ENTITIES = re.compile(r"&[a-z#0-9]+;")


def visible_text(source: str) -> str:
    text = BLOCKS.sub(" ", source)
    text = TAGS.sub(" ", text)
    text = HTML.sub(" ", text)
    text = ENTITIES.sub(" ", text)
    return re.sub(r"[^\w]+", " ", text).strip()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_untranslated_text(path):
    source = path.read_text()
    assert re.sub(r"\d+", "", visible_text(source)).strip() == "", path.name
    for name, value in ATTRIBUTES.findall(BLOCKS.sub(" ", source)):
        assert not re.sub(r"[^A-Za-z]", "", TAGS.sub("", value)), f"{path.name}: {name}={value}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_inline_style_or_script(path):
    source = path.read_text()
    assert "style=" not in source
    assert not re.search(r"<script(?![^>]*\bsrc=)", source)
    assert not re.search(r"\bon[a-z]+=\"", source)


def test_the_scanner_finds_untranslated_text():
    assert visible_text("<p>Hello {{ name }}</p>") == "Hello"
    assert visible_text('<p>{% translate "Hello" %} {{ name }}</p>') == ""
