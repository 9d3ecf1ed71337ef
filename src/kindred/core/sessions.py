"""Django's database sessions, read with a statement built once per process.

Every signed-in request reads its session; the ORM would build the same SELECT each time
(see kindred.core.db.fast). Storage, expiry, keys and signing are Django's own: only the
read is different. ``SESSION_ENGINE = "kindred.core.sessions"``.
"""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from kindred.core.db import fast


@cache
def _select(model, alias: str, vendor: str) -> str:
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)
    # Names from the model's metadata, quoted; the key and the time are bound.
    return (
        f"SELECT {fast.columns(model, 's', alias)} FROM {table} s"  # noqa: S608
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
        with fast.cursor(connection) as cursor:
            cursor.execute(_select(model, alias, connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return fast.from_row(model, row, alias)
