"""Django's database sessions, kept with whose they are, and read together with that person.

Every signed-in request reads its session and then its user: two statements. Here the
session table also holds the user's id (``kindred.core.models.Session``), so one statement,
built once per process and prepared on PostgreSQL (``kindred.core.db.fast``), reads both. The
user read with the session is handed to Django's own ``auth.get_user`` for that request only
(``AuthenticationMiddleware``), which checks it exactly as before (its backend, that it is
active, the session's password hash). Storage, expiry, keys and signing are Django's own.

``SESSION_ENGINE = "kindred.core.sessions"``; the middleware replaces Django's
``AuthenticationMiddleware``.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache

from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kindred.core.db import fast

# The session store of the request whose user ``auth.get_user`` is finding right now.
_finding_user_of: ContextVar[SessionStore | None] = ContextVar("finding_user_of", default=None)


@cache
def _select(model, user_model, alias: str, vendor: str) -> str:
    quote = connections[alias].ops.quote_name
    table, users = quote(model._meta.db_table), quote(user_model._meta.db_table)
    user_pk = quote(user_model._meta.pk.column)
    # Names from the models' metadata, quoted; the key and the time are bound.
    return (
        f"SELECT {fast.columns(model, 's', alias)}, {fast.columns(user_model, 'u', alias)}"  # noqa: S608
        f" FROM {table} s LEFT JOIN {users} u ON u.{user_pk} = s.{quote('user_id')}"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


def _user_pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):  # signed out, or a key of another kind
        return None


class SessionStore(db.SessionStore):
    # The person the loaded session belongs to, read with it (None: nobody or not loaded).
    loaded_user = None

    @classmethod
    def get_model_class(cls):
        from kindred.core.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_pk(data.get(auth.SESSION_KEY))
        return session

    def _get_session_from_db(self):
        model = self.model
        user_model = auth.get_user_model()
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
        with fast.cursor(connection) as cursor:
            cursor.execute(
                _select(model, user_model, alias, connection.vendor), [self.session_key, now]
            )
            row = cursor.fetchone()
        self.loaded_user = None
        if row is None:
            self._session_key = None
            return None
        split = fast.width(model)
        if row[split] is not None:
            self.loaded_user = fast.from_row(user_model, row[split:], alias)
        return fast.from_row(model, row[:split], alias)


def user_loaded_with_session(model, pk, *, using: str | None = None):
    """The user with this primary key if it was read with the session of the request whose
    user is being found right now (each is handed out once); else None."""
    store = _finding_user_of.get()
    user = getattr(store, "loaded_user", None)
    if (
        user is None
        or type(user) is not model
        or str(user.pk) != str(pk)
        or (using is not None and using != user._state.db)
    ):
        return None
    store.loaded_user = None
    return user


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _finding_user_of.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _finding_user_of.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, finding ``request.user`` with the user read along with the session."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))
