"""Unsafe Markdown or HTML is neutralised wherever people's words are shown, and files
whose content does not match their type are refused."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kindred.library import services
from kindred.library.models import Resource, Story
from kindred.library.tests.factories import PDF_BYTES, community_with, make_event, make_resource
from kindred.library.text import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover me</div>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "[x](&#x6A;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{background:red}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "style", "frame"}


class PageAudit(HTMLParser):
    """Collects everything in a page that could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (
            attributes.get("nonce") or attributes.get("type") == "application/ld+json"
        ):
            self.problems.append("script without our nonce")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("meta http-equiv")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            cleaned = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"{tag}[{name}={value}]")


def audit(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    return parser.problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_renderer_neutralises(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter")
    assert audit(html) == []
    assert "Before" in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_resource_body_is_safe_on_the_page_and_in_the_api(client, db, payload):
    resource = make_resource(body=f"Read this.\n\n{payload}")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert audit(page) == []
    api = client.get(f"/api/library/resources/{resource.slug}").json()
    assert audit(api["body_html"]) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_story_text_is_safe(client, alice, payload):
    story = services.submit_story(
        title="Our evenings",
        body=f"We sing at bedtime.\n\n{payload}",
        teller_name="Ana Ruiz",
        teller_role="parent",
        attribution="first_name",
        teller_email="ana@example.org",
    )
    services.moderate_story(story, by=alice, publish=True)
    page = client.get(story.get_absolute_url()).content.decode()
    assert audit(page) == []
    assert "We sing at bedtime." in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_event_description_and_json_ld_are_safe(client, alice, payload):
    community = community_with(alice)
    event = make_event(community, proposer=alice, description=f"Join us!\n\n{payload}")
    page = client.get(event.get_absolute_url()).content.decode()
    assert audit(page) == []
    # The JSON-LD block cannot be closed early by a description.
    ld = page.split('type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "<" not in ld


def test_title_html_is_escaped(client, db):
    resource = make_resource(title="<b onmouseover=alert(1)>Bold</b> guide")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert audit(page) == []
    assert "&lt;b onmouseover=alert(1)&gt;Bold&lt;/b&gt; guide" in page


# --- Uploads ----------------------------------------------------------------------------


def _resource_form(file) -> dict:
    return {
        "title": "Guide for families",
        "summary": "A short guide.",
        "body": "",
        "type": "toolkit",
        "language": "en",
        "audiences": ["parents"],
        "file": file,
    }


def test_a_real_pdf_is_accepted(client_as, alice):
    upload = SimpleUploadedFile("guide.pdf", PDF_BYTES, content_type="application/pdf")
    response = client_as(alice).post("/library/resources/new/", _resource_form(upload))
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.file.name.endswith(".pdf")
    assert resource.status == "draft" and resource.author == alice


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("guide.pdf", b"<html><script>alert(1)</script></html>", "content is not a PDF"),
        ("guide.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "content is not a PDF"),
        ("guide.pdf", b"MZ\x90\x00 executable", "content is not a PDF"),
        ("guide.exe", PDF_BYTES, "name ends in .pdf"),
        ("guide.html", b"%PDF-1.4 but named html", "name ends in .pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(client_as, alice, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_as(alice).post("/library/resources/new/", _resource_form(upload))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    # What the person typed is kept, and nothing was saved.
    assert 'value="Guide for families"' in body
    assert not Resource.objects.exists()


def test_a_pdf_over_the_size_limit_is_refused(client_as, alice, monkeypatch):
    monkeypatch.setattr("kindred.library.forms.PDF_MAX_BYTES", 20)
    upload = SimpleUploadedFile("guide.pdf", PDF_BYTES, content_type="application/pdf")
    response = client_as(alice).post("/library/resources/new/", _resource_form(upload))
    assert "larger than 10 MB" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_story_photo_that_is_not_an_image_is_refused(client, db):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = client.post(
        "/library/stories/new/",
        {
            "title": "Our story",
            "body": "We read together.",
            "teller_name": "Kim",
            "teller_email": "kim@example.org",
            "teller_role": "parent",
            "attribution": "anonymous",
            "language": "en",
            "photo": SimpleUploadedFile("photo.jpg", svg, content_type="image/jpeg"),
            "photo_alt": "A drawing",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Story.objects.exists()


def test_event_meeting_link_must_be_web(client_as, alice):
    community = community_with(alice)
    start = (timezone.localtime() + timezone.timedelta(days=3)).strftime("%Y-%m-%dT18:00")
    end = (timezone.localtime() + timezone.timedelta(days=3)).strftime("%Y-%m-%dT19:00")
    response = client_as(alice).post(
        "/library/events/new/",
        {
            "host": f"community:{community.pk}",
            "title": "Online circle",
            "description": "Talk and share.",
            "mode": "online",
            "online_url": "javascript:alert(1)",
            "start": start,
            "end": end,
            "timezone": "America/Chicago",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert not community.library_events.exists()
