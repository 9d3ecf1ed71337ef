"""kindred.core.db.fast outside observe: a lookup by key as the ORM does it (the user of
every signed-in request), on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindred.accounts.models import User
from kindred.core.db import fast


def _values(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_get_reads_what_the_orm_reads(db):
    user = User.objects.create_user("noor@example.org", "a long enough password", name="Noor")

    read = fast.get(User, user.pk)

    assert _values(read) == _values(User.objects.filter(pk=user.pk).get())
    assert not read._state.adding and read._state.db == "default"


def test_get_says_what_the_orm_says_for_a_missing_row_or_a_bad_key(db):
    with pytest.raises(User.DoesNotExist):
        fast.get(User, 123456789)
    with pytest.raises(ValueError, match="expected a number"):
        fast.get(User, "not-a-number")


def test_the_user_manager_uses_it_for_a_lookup_by_pk_only(db):
    user = User.objects.create_user("ola@example.org", "a long enough password")

    with CaptureQueriesContext(connection) as by_pk:
        assert User.objects.get(pk=user.pk) == user
    with CaptureQueriesContext(connection) as by_email:
        assert User.objects.get(email="ola@example.org") == user

    assert ' t WHERE t."id" = ' in by_pk.captured_queries[0]["sql"]
    assert '"accounts_user"."email" = ' in by_email.captured_queries[0]["sql"]
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk + 1000)
