def test_home_shows_live_numbers(client, alice, bob):
    response = client.get("/")
    assert response.status_code == 200
    # Two people exist, so the page must say 2, not a hard-coded figure.
    assert b'<span class="stat">2</span>' in response.content


def test_home_offers_join_and_sign_in_to_visitors(client, db):
    body = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in body
    assert 'href="/accounts/login/"' in body
