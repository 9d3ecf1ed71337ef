from allauth.account.models import EmailAddress
from django.core import mail

from kindred.accounts.tests.helpers import link_in


def test_the_email_page_lists_addresses_in_a_fieldset(client_as, alice):
    response = client_as(alice).get("/accounts/email/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<legend>" in body
    assert "alice@example.org" in body
    assert 'href="/accounts/settings/"' in body  # back to My account


def test_change_email_add_verify_make_primary_remove_old(client_as, alice):
    client = client_as(alice)

    response = client.post("/accounts/email/", {"action_add": "", "email": "alice@new.example"})
    assert response.status_code == 302
    new = EmailAddress.objects.get(email="alice@new.example")
    assert new.user == alice and not new.verified
    client.post(link_in(mail.outbox[-1].body, "/accounts/confirm-email/"))
    new.refresh_from_db()
    assert new.verified

    client.post("/accounts/email/", {"action_primary": "", "email": "alice@new.example"})
    client.post("/accounts/email/", {"action_remove": "", "email": "alice@example.org"})

    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    assert list(EmailAddress.objects.filter(user=alice).values_list("email", flat=True)) == [
        "alice@new.example"
    ]


def test_someone_elses_address_can_never_become_yours(client_as, alice, bob):
    client = client_as(alice)

    client.post("/accounts/email/", {"action_add": "", "email": "bob@example.org"})
    client.post("/accounts/email/", {"action_primary": "", "email": "bob@example.org"})

    # allauth answers as for any address (no enumeration), but it stays unverified, so it
    # can never be alice's primary address or sign her in.
    assert not EmailAddress.objects.filter(
        user=alice, email="bob@example.org", verified=True
    ).exists()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert EmailAddress.objects.get(user=bob, email="bob@example.org").verified
