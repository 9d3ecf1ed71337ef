import pytest
from django.core.exceptions import ImproperlyConfigured

from kindred.lib.env import env_bool, env_int, env_list, env_str, env_url, parse_email_url


@pytest.fixture
def env(monkeypatch):
    def set_(value: str | None):
        if value is None:
            monkeypatch.delenv("KINDRED_X", raising=False)
        else:
            monkeypatch.setenv("KINDRED_X", value)

    return set_


def test_env_str_strips_and_defaults(env):
    env(None)
    assert env_str("KINDRED_X", "fallback") == "fallback"
    env("  value  ")
    assert env_str("KINDRED_X") == "value"


@pytest.mark.parametrize("raw", ["1", "true", "True", "yes", "on", " ON "])
def test_env_bool_true(env, raw):
    env(raw)
    assert env_bool("KINDRED_X") is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_env_bool_false(env, raw):
    env(raw)
    assert env_bool("KINDRED_X", True) is False


def test_env_bool_default_when_unset(env):
    env(None)
    assert env_bool("KINDRED_X", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_env_bool_rejects_anything_else_naming_the_variable(env, raw):
    env(raw)
    with pytest.raises(ImproperlyConfigured, match=r"KINDRED_X must be true or false"):
        env_bool("KINDRED_X")


def test_env_int(env):
    env(None)
    assert env_int("KINDRED_X", 5) == 5
    env(" ")
    assert env_int("KINDRED_X", 5) == 5
    env("12")
    assert env_int("KINDRED_X", 5, minimum=1) == 12


def test_env_int_rejects_words_and_small_numbers(env):
    env("abc")
    with pytest.raises(ImproperlyConfigured, match=r"KINDRED_X must be a whole number, not 'abc'"):
        env_int("KINDRED_X", 5)
    env("0")
    with pytest.raises(ImproperlyConfigured, match=r"KINDRED_X must be at least 1, not 0"):
        env_int("KINDRED_X", 5, minimum=1)


def test_env_list(env):
    env(None)
    assert env_list("KINDRED_X", ["a"]) == ["a"]
    env(" kindred.example.org, ,www.kindred.example.org ")
    assert env_list("KINDRED_X", []) == ["kindred.example.org", "www.kindred.example.org"]


def test_env_url(env):
    env(None)
    assert env_url("KINDRED_X", "http://localhost:8000/", schemes={"http"}) == (
        "http://localhost:8000"
    )
    env("https://kindred.example.org/")
    assert env_url("KINDRED_X", "", schemes={"http", "https"}) == "https://kindred.example.org"


@pytest.mark.parametrize("raw", ["ftp://x", "kindred.example.org", "https://"])
def test_env_url_rejects_other_schemes_and_missing_hosts(env, raw):
    env(raw)
    with pytest.raises(ImproperlyConfigured, match="KINDRED_X"):
        env_url("KINDRED_X", "", schemes={"http", "https"})


def test_parse_email_url_console():
    conf = parse_email_url("EMAIL_URL", "console://")
    assert conf == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_parse_email_url_smtp_with_credentials():
    conf = parse_email_url("EMAIL_URL", "submission://me%40x.org:p%2Fw@mail.x.org")
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == ("mail.x.org", 587)
    assert (conf["EMAIL_HOST_USER"], conf["EMAIL_HOST_PASSWORD"]) == ("me@x.org", "p/w")
    assert conf["EMAIL_USE_TLS"] is True and conf["EMAIL_USE_SSL"] is False


def test_parse_email_url_ports_and_tls_flag():
    assert parse_email_url("E", "smtps://mail.x.org")["EMAIL_PORT"] == 465
    assert parse_email_url("E", "smtps://mail.x.org")["EMAIL_USE_SSL"] is True
    conf = parse_email_url("E", "smtp://mail.x.org:2525?tls=1")
    assert (conf["EMAIL_PORT"], conf["EMAIL_USE_TLS"]) == (2525, True)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("pigeon://", "must start with one of"),
        ("smtp://", "needs a host name"),
        ("smtp://mail.x.org:port", "port that is not a number"),
    ],
)
def test_parse_email_url_rejects_bad_values_naming_the_variable(raw, message):
    with pytest.raises(ImproperlyConfigured, match=f"EMAIL_URL.*{message}|{message}"):
        parse_email_url("EMAIL_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url("EMAIL_URL", raw)
