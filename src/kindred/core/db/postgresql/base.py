"""Django's PostgreSQL backend with two savings on the statements every request runs.

- **Health checks without a round trip.** With ``CONN_HEALTH_CHECKS`` on, Django checks a
  kept connection at the start of every request by running ``SELECT 1``: one more round
  trip on every page and API call (about a tenth of a worker's time on the encounter
  submission bench). Here the check first asks the kernel, without waiting, whether anything
  has arrived on the idle connection's socket. A healthy idle connection has nothing to read.
  A server that restarted, or ended the backend, has sent an error and closed the socket,
  which then reads as ready: only then is ``SELECT 1`` run, and a connection that fails it is
  replaced as before. A connection inside a transaction is always checked the usual way.
- **Prepared statements for the hottest few.** Django binds values on the client, so the
  server parses and plans every statement again (0.4 ms to plan the family lookup, a
  three-table join). ``prepared_cursor()`` binds on the server and prepares each statement
  once per connection; ``kindred.core.db.fast`` uses it for the statements built once per
  process (session read, family lookup, encounter inserts). Every other query is unchanged.
  Set ``DATABASE_PREPARED_STATEMENTS=0`` behind a pooler that cannot keep prepared
  statements (PgBouncer before 1.21 in transaction mode): it then binds on the server only.
"""

from __future__ import annotations

import re
import select
from functools import lru_cache
from itertools import count

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.errors import DataError
from psycopg.pq import Format, TransactionStatus

_PLACEHOLDER = re.compile(r"%[s%]")


@lru_cache(maxsize=256)
def native(query: str) -> str:
    """``query`` with PostgreSQL's own placeholders ($1, $2, …) for Django's ``%s``, once per
    statement: psycopg would otherwise parse again every statement of more than 50 values
    (the encounter inserts), on every call."""
    numbers = count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", query)


class PreparedCursor(base.CursorMixin, psycopg.RawCursor):
    """Values bound on the server; each statement prepared on first use per connection."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(native(query), params, prepare=True, binary=binary)


class DatabaseOperations(base.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # The debug query log (DEBUG, tests): psycopg keeps no text for a prepared statement.
        if isinstance(cursor, PreparedCursor):
            try:
                return self.compose_sql(sql, params)
            except DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Django turns psycopg's prepared statements off (prepare_threshold None) for
        # poolers. Its own cursors bind on the client and never prepare whatever this says,
        # so a threshold only lets PreparedCursor prepare.
        if self.settings_dict.get("PREPARED_STATEMENTS", True):
            connection.prepare_threshold = 5
        return connection

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return super().is_usable()
        try:
            ready, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not ready or super().is_usable()

    def prepared_cursor(self):
        """A cursor (wrapped like ``cursor()``) that binds on the server and prepares."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = PreparedCursor(self.connection)
            tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != tzloader.timezone:
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)
