from axes.models import AccessAttempt

from kindred.accounts.tests.helpers import PASSWORD


def fail(client, login):
    return client.post("/accounts/login/", {"login": login, "password": "not my password"})


def test_five_failures_lock_the_account_even_for_the_right_password(client, alice):
    for _ in range(4):
        assert fail(client, alice.email).status_code == 200
    fifth = fail(client, "ALICE@example.org")  # any spelling counts against the same account

    assert fifth.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5
    sixth = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})

    assert sixth.status_code == 429
    assert "Too many sign-in attempts" in sixth.content.decode()
    assert 'href="/accounts/password/reset/"' in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_account_only(client, alice, bob):
    for _ in range(5):
        fail(client, alice.email)

    response = client.post("/accounts/login/", {"login": bob.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_a_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(4):
        fail(client, alice.email)
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    client.post("/accounts/logout/")

    response = fail(client, alice.email)

    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=4).exists()


def test_allauths_own_rate_limit_stays_on(client, alice, settings):
    # With axes' limit out of the way, allauth's per-account limit (5 in 5 minutes) answers.
    settings.AXES_FAILURE_LIMIT = 100
    for _ in range(5):
        fail(client, alice.email)

    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
