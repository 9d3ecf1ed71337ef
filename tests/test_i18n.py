"""Kindred speaks English and Spanish everywhere; every app must pass these checks.

(a) Each Spanish catalog is complete (no empty, no fuzzy entry) and its .mo is compiled
    from the current .po.
(b) No template shows text outside a translation tag.
(c) Switching language works for visitors and is remembered for signed-in people.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client

SRC = Path(__file__).resolve().parent.parent / "src" / "kindred"
PO_FILES = sorted(SRC.glob("*/locale/es/LC_MESSAGES/*.po"))
TEMPLATES = sorted(
    path
    for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt")
    for path in SRC.glob(pattern)
)


def _short(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


# --- (a) catalogs ----------------------------------------------------------------------------


def _messages(catalog) -> dict:
    """(context, msgid) -> translation(s), for the entries a .mo actually carries."""
    found = {}
    for entry in catalog:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[key] for key in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        found[(entry.msgctxt, entry.msgid)] = value
    return found


def test_every_app_has_a_spanish_catalog():
    apps = sorted(path.parent.name for path in SRC.glob("*/apps.py"))
    missing = [app for app in apps if not list(SRC.glob(f"{app}/locale/es/LC_MESSAGES/*.po"))]
    assert not missing, f"apps without locale/es/LC_MESSAGES/django.po: {missing}"


@pytest.mark.parametrize("po_path", PO_FILES, ids=_short)
def test_the_spanish_catalog_is_complete(po_path):
    catalog = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"{_short(po_path)}: untranslated: {untranslated}"
    assert not fuzzy, f"{_short(po_path)}: marked fuzzy (check, then remove the flag): {fuzzy}"


@pytest.mark.parametrize("po_path", PO_FILES, ids=_short)
def test_the_compiled_catalog_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_short(po_path)} is not compiled: run compilemessages"
    expected = _messages(polib.pofile(str(po_path)))
    compiled = _messages(polib.mofile(str(mo_path)))
    stale = sorted(str(key[1]) for key in expected.keys() ^ compiled.keys())[:10]
    assert not stale, f"{_short(mo_path)} is older than its .po (e.g. {stale}): compilemessages"
    changed = sorted(key[1] for key in expected if expected[key] != compiled[key])[:10]
    assert not changed, f"{_short(mo_path)} has old translations of {changed}: compilemessages"


# --- (b) templates ---------------------------------------------------------------------------

# Text that needs no translation: the brand name, and symbols.
ALLOWED_WORDS = {"Kindred"}
LETTER = re.compile(r"[^\W\d_]")
# Attributes whose values people read or hear.
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
# Text inside these is code or data, not prose.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp"}


def _blank(match: re.Match) -> str:
    """Remove a piece of template syntax but keep its line breaks, so line numbers hold."""
    return "\n" * match.group(0).count("\n")


def _strip_template_syntax(source: str) -> str:
    patterns = [
        r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}",
        r"{#.*?#}",
        r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}",
        r"{%.*?%}",
        r"{{.*?}}",
    ]
    for pattern in patterns:
        source = re.sub(pattern, _blank, source, flags=re.DOTALL)
    return source


def _untranslated(text: str) -> bool:
    for word in ALLOWED_WORDS:
        text = re.sub(rf"\b{re.escape(word)}\b", "", text)
    return bool(LETTER.search(text))


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.found: list[tuple[int, str]] = []

    def _report(self, text: str, line: int | None = None, *, shown: str = "") -> None:
        if _untranslated(text):
            text = " ".join(text.split())[:80]
            self.found.append((line or self.getpos()[0], shown.format(text) if shown else text))

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in VISIBLE_ATTRIBUTES:
                self._report(value, shown=f'{name}="{{}}"')
        kind = values.get("type", "").lower()
        if tag == "input" and kind in {"submit", "button", "reset"}:
            self._report(values.get("value", ""), shown='value="{}"')
        if tag == "meta" and values.get("name", "").lower() == "description":
            self._report(values.get("content", ""), shown='content="{}"')
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            # getpos() is where the data starts; report the line of the first word.
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self._report(data, line)


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of every piece of visible text outside a translation tag."""
    parser = _VisibleText()
    parser.feed(_strip_template_syntax(source))
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>{% translate 'Hello' %}</p>", []),
        ("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>", []),
        ("<p>{% blocktrans count n=3 %}one{% plural %}many{% endblocktrans %}</p>", []),
        ("{% comment %}Not shown{% endcomment %}{# nor this #}<!-- nor this -->", []),
        ("<script>var hello = 1;</script><style>p { color: red }</style>", []),
        ("<p>{{ count }} · — 42% Kindred</p>", []),
        ('<a href="/x" class="button">{% translate "Go" %}</a>', []),
        ("<p>Hello</p>", [(1, "Hello")]),
        ("<p>\n  {{ n }} people\n</p>", [(2, "people")]),
        ('<img src="x.png" alt="A baby">', [(1, 'alt="A baby"')]),
        ('<input type="submit" value="Send">', [(1, 'value="Send"')]),
        ('<input placeholder="{% translate "Name" %}">', []),
        ('<meta name="description" content="About us">', [(1, 'content="About us"')]),
        ('<meta name="description" content="{% translate "About" %}">', []),
        ('<button aria-label="Close">×</button>', [(1, 'aria-label="Close"')]),
    ],
)
def test_the_template_scanner(source, expected):
    assert untranslated_text(source) == expected


def test_templates_show_no_text_outside_translation_tags():
    problems = []
    for path in TEMPLATES:
        for line, text in untranslated_text(path.read_text(encoding="utf-8")):
            problems.append(f"{_short(path)}:{line}: {text}")
    assert not problems, "Visible text outside {% translate %}:\n" + "\n".join(problems)


# --- (c) switching language ------------------------------------------------------------------


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_visitor_switches_to_spanish(client, db):
    response = client.post("/language/", {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["kindred_language"].value == "es"
    page = client.get("/")
    assert _lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert "Saltar al contenido principal" in page.content.decode()


def test_the_browser_language_is_used_on_a_first_visit(db):
    page = Client(headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"}).get("/")
    assert _lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert "Accept-Language" in page["Vary"]


def test_english_is_the_default(client, db):
    page = client.get("/")
    assert _lang(page) == "en" and page["Content-Language"] == "en"


def test_an_unknown_language_is_ignored(client, db):
    client.post("/language/", {"language": "xx", "next": "/"})
    assert _lang(client.get("/")) == "en"


def test_a_signed_in_persons_choice_is_saved_and_follows_them(client_as, alice):
    client_as(alice).post("/language/", {"language": "es", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "es"
    # A new browser, without the cookie, that prefers English: the account still wins.
    other_browser = client_as(alice)
    other_browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = other_browser.get("/")
    assert _lang(page) == "es" and page["Content-Language"] == "es"


def test_the_switcher_only_goes_back_to_this_site(client, db):
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_switching_needs_post(client, db):
    assert client.get("/language/?language=es").status_code == 405
