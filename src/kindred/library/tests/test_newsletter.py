"""Newsletter: double opt-in, no duplicates, signed unsubscribe links, sending by task."""

import re
import time

import pytest
from django.core import mail, signing

from kindred.library import services
from kindred.library.emails import UNSUBSCRIBE_SALT, unsubscribe_url
from kindred.library.models import NewsletterDelivery, Subscriber
from kindred.library.tests.factories import topic


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def active_subscriber(email="reader@example.org", language="en") -> Subscriber:
    subscriber, _sent = services.subscribe(email=email, language=language)
    return services.confirm_subscription(link_in(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[-1])


def test_double_opt_in(client, db):
    play = topic()
    response = client.post(
        "/library/newsletter/",
        {"email": "Reader@Example.org", "language": "es", "topics": [play.pk]},
    )
    assert "Check your email" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org" and subscriber.status == "pending"
    assert list(subscriber.topics.all()) == [play]
    # The confirmation goes out in the chosen language.
    assert mail.outbox[0].to == ["reader@example.org"]
    assert "Confirme su suscripción" in mail.outbox[0].subject
    client.get(link_in(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert subscriber.status == "active" and subscriber.confirmed_at


def test_subscribing_twice_makes_no_duplicate(client, db):
    for _attempt in range(2):
        client.post("/library/newsletter/", {"email": "reader@example.org", "language": "en"})
    client.post("/library/newsletter/", {"email": "READER@example.org", "language": "en"})
    assert Subscriber.objects.count() == 1


def test_an_active_subscription_is_not_changed_by_someone_else(client, db):
    subscriber = active_subscriber()
    mail.outbox.clear()
    response = client.post(
        "/library/newsletter/", {"email": "reader@example.org", "language": "es"}
    )
    assert "Check your email" in response.content.decode()  # same answer: nothing leaks
    subscriber.refresh_from_db()
    assert subscriber.language == "en" and subscriber.status == "active"
    assert mail.outbox == []


def test_bad_email_is_explained(client, db):
    response = client.post("/library/newsletter/", {"email": "not-an-email", "language": "en"})
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_unsubscribe_page_then_one_click(client, db):
    subscriber = active_subscriber()
    url = unsubscribe_url(subscriber).replace("http://127.0.0.1:8000", "")
    page = client.get(url)
    assert page.status_code == 200 and "reader@example.org" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "active"  # a link scanner's GET changes nothing
    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at


def test_mail_client_one_click_post_needs_no_csrf_token(db):
    from django.test import Client

    subscriber = active_subscriber()
    url = unsubscribe_url(subscriber).replace("http://127.0.0.1:8000", "")
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "garbage"]
)
def test_tampered_unsubscribe_link_is_refused_politely(client, db, mangle):
    subscriber = active_subscriber()
    token = unsubscribe_url(subscriber).rstrip("/").rsplit("/", 1)[-1]
    response = client.post(f"/library/newsletter/unsubscribe/{mangle(token)}/")
    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "active"


def test_expired_unsubscribe_link_is_refused_politely(client, db, monkeypatch):
    subscriber = active_subscriber()
    # A link signed 400 days ago (links last a year).
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 400 * 24 * 3600)
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT)
    monkeypatch.setattr(signing.time, "time", real_time)
    response = client.post(f"/library/newsletter/unsubscribe/{token}/")
    assert response.status_code == 400 and "has expired" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "active"
    # The page offers a fresh link, which arrives by email.
    mail.outbox.clear()
    client.post("/library/newsletter/new-link/", {"email": "reader@example.org"})
    assert mail.outbox[0].to == ["reader@example.org"] and "unsubscribe" in mail.outbox[0].body


def test_a_link_for_another_subscriber_is_refused(client, db):
    first = active_subscriber("one@example.org")
    token = signing.dumps({"s": first.pk, "e": "two@example.org"}, salt=UNSUBSCRIBE_SALT)
    assert client.post(f"/library/newsletter/unsubscribe/{token}/").status_code == 400
    first.refresh_from_db()
    assert first.status == "active"


def test_staff_sends_an_issue_to_matching_subscribers_once(client_as, staff):
    play = topic()
    everything = active_subscriber("all@example.org")
    player = active_subscriber("play@example.org")
    player.topics.set([play])
    spanish = active_subscriber("es@example.org", language="es")
    services.subscribe(email="pending@example.org", language="en")
    mail.outbox.clear()
    response = client_as(staff).post(
        "/library/newsletter/issues/",
        {
            "subject": "Play in spring",
            "body": "Go **outside**.",
            "language": "en",
            "topics": [play.pk],
        },
    )
    issue_url = response["Location"]
    response = client_as(staff).post(issue_url)
    assert "/tasks/" in response["Location"]  # the progress page
    sent_to = sorted(message.to[0] for message in mail.outbox)
    assert sent_to == ["all@example.org", "play@example.org"]
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "Go outside." in message.body
    # Sending again (a retried task) reaches nobody twice.
    from kindred.library.models import NewsletterIssue
    from kindred.library.tasks import send_newsletter_issue

    issue = NewsletterIssue.objects.get()
    assert issue.status == "sent" and issue.recipient_count == 2
    send_newsletter_issue.call(issue.pk)
    assert NewsletterDelivery.objects.count() == 2 and len(mail.outbox) == 2
    assert spanish.deliveries.count() == 0 and everything.deliveries.count() == 1


def test_export_is_for_staff(client_as, staff, alice):
    active_subscriber("=cmd@example.org")
    assert client_as(alice).get("/library/newsletter/subscribers.csv").status_code == 403
    response = client_as(staff).get("/library/newsletter/subscribers.csv")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0] == "email,language,status,topics,created,confirmed"
    assert "'=cmd@example.org,en,active" in body  # a formula-like cell is defused
