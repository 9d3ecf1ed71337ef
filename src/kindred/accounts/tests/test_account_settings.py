from kindred.core.models import AuditEvent


def test_anonymous_people_are_asked_to_sign_in(client, db):
    response = client.get("/accounts/settings/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_page_links_to_email_password_and_two_factor(client_as, alice):
    response = client_as(alice).get("/accounts/settings/")

    body = response.content.decode()
    assert response.status_code == 200
    for url in [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/settings/my-data/",
        "/accounts/settings/delete/",
    ]:
        assert f'href="{url}"' in body
    assert 'value="Alice Owner"' in body


def test_saving_name_and_language_switches_the_page_to_spanish(client_as, alice):
    client = client_as(alice)

    response = client.post("/accounts/settings/", {"name": "Alicia", "language": "es"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.language) == ("Alicia", "es")
    assert response.cookies["kindred_language"].value == "es"
    assert AuditEvent.objects.filter(actor=alice, verb="account.updated").exists()
    page = client.get("/accounts/settings/")
    body = page.content.decode()
    assert '<html lang="es"' in body
    assert "Mi cuenta" in body
    assert "Sus datos se guardaron." in body


def test_the_saved_language_wins_over_the_browser(client_as, alice):
    alice.language = "es"
    alice.save(update_fields=["language"])

    response = client_as(alice).get("/accounts/settings/", headers={"Accept-Language": "en"})

    assert '<html lang="es"' in response.content.decode()


def test_an_unknown_language_changes_nothing(client_as, alice):
    response = client_as(alice).post("/accounts/settings/", {"name": "Alicia", "language": "fr"})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert 'value="Alicia"' in response.content.decode()
    alice.refresh_from_db()
    assert (alice.name, alice.language) == ("Alice Owner", "")
