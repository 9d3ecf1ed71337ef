from django.core import mail
from django_tasks import default_task_backend

from kindred.accounts.tasks import send_email_message


def test_account_emails_are_queued_not_sent_during_the_request(client, alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    client.post("/accounts/password/reset/", {"email": alice.email})

    # The request only queued the email; a worker sends it.
    assert mail.outbox == []
    [queued] = default_task_backend.results
    assert queued.task.name == send_email_message.name
    assert queued.kwargs["to"] == ["alice@example.org"]
    assert "/accounts/password/reset/key/" in queued.kwargs["body"]


def test_emails_use_the_readers_language_not_the_pages(client, alice):
    alice.language = "es"
    alice.save(update_fields=["language"])

    client.post(
        "/accounts/password/reset/", {"email": alice.email}, headers={"Accept-Language": "en"}
    )

    assert "Hola" in mail.outbox[0].body
    assert "Restablecer" in mail.outbox[0].subject or "contraseña" in mail.outbox[0].subject


def test_the_task_sends_text_and_html(db):
    send_email_message.enqueue(subject="Hi", body="Plain", to=["x@example.org"], html="<p>Rich</p>")

    message = mail.outbox[0]
    assert (message.subject, message.body, message.to) == ("Hi", "Plain", ["x@example.org"])
    assert message.alternatives[0][0] == "<p>Rich</p>"
