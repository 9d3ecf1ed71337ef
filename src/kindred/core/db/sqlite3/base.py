"""SQLite whose write transactions wait their turn in line instead of in a sleep loop.

SQLite lets one writer in at a time. Without help, a transaction that finds the database
locked sleeps and retries (1, 2, 5, 10 … ms), so under many concurrent writers (encounters
submitted by a busy clinic, a spike of signatures) most of the time goes to sleeping, and a
late-comer can overtake a request that has waited far longer. Here every write transaction
(``BEGIN IMMEDIATE``, i.e. every ``transaction.atomic``) first takes an exclusive ``flock``
on a file next to the database: waiting threads and processes block in the kernel and are
woken the moment the previous transaction commits or rolls back. Single statements outside a
transaction, and in-memory databases (the test suite), are unchanged.

The lock is released on commit, rollback and close; if a process dies, the kernel releases
it. gunicorn's worker timeout bounds how long a stuck transaction could hold it.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def _lock_path(self) -> str:
        return f"{self.settings_dict['NAME']}.write-lock"

    def _start_transaction_under_autocommit(self):
        if not self.is_in_memory_db():
            if self._lock_fd is None:
                self._lock_fd = os.open(self._lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            self._lock_held = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._lock_held:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
