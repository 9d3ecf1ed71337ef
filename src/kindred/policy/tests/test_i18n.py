"""Every visible template string is translatable, and the Spanish catalogue is complete."""

import re
from pathlib import Path

import polib

APP = Path(__file__).resolve().parent.parent
TAG_OR_COMMENT = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<!--.*?-->", re.S)
BLOCKS = re.compile(
    r"{%\s*(blocktranslate|comment)\b.*?{%\s*end(blocktranslate|comment)\s*%}", re.S
)
HTML_TAG = re.compile(r"<[^>]+>", re.S)
# Letters that are words; punctuation, numbers and entities between tags are fine.
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


def visible_text(source: str) -> list[str]:
    source = BLOCKS.sub(" ", source)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = TAG_OR_COMMENT.sub(" ", source)
    source = HTML_TAG.sub("\n", source)
    source = re.sub(r"&[a-z]+;", " ", source)
    return [line.strip() for line in source.splitlines() if WORD.search(line)]


def test_templates_have_no_untranslated_text():
    leftovers = {}
    for path in (APP / "templates").rglob("*.html"):
        found = visible_text(path.read_text())
        if found:
            leftovers[str(path.relative_to(APP))] = found
    assert leftovers == {}


def test_the_spanish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(APP / "locale/es/LC_MESSAGES/django.po"))
    assert len(po) > 300
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert (APP / "locale/es/LC_MESSAGES/django.mo").exists()
