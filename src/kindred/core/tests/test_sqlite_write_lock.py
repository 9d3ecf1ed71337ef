"""SQLite write transactions queue on a file lock (kindred.core.db.sqlite3)."""

import threading
import time

import pytest
from django.db import connection

from kindred.core.db.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def open_database(path) -> DatabaseWrapper:
    settings = dict(connection.settings_dict)
    # No busy timeout: without the file lock, a second BEGIN IMMEDIATE would fail at once
    # with "database is locked"; with it, the second writer waits its turn.
    settings.update(NAME=str(path), OPTIONS={"transaction_mode": "IMMEDIATE", "timeout": 0})
    return DatabaseWrapper(settings, alias="write-lock-check")


def begin(wrapper: DatabaseWrapper) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def test_a_second_writer_waits_for_the_first_then_goes(db, tmp_path):
    first = open_database(tmp_path / "queue.sqlite3")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    events = []

    def second_writer():
        second = open_database(tmp_path / "queue.sqlite3")
        begin(second)
        events.append("second began")
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        second.commit()
        second.set_autocommit(True)
        second.close()

    begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    waiting = threading.Thread(target=second_writer)
    waiting.start()
    time.sleep(0.3)
    assert events == []  # queued behind the first transaction, not failing
    events.append("first committed")
    first.commit()
    first.set_autocommit(True)
    waiting.join(10)
    assert events == ["first committed", "second began"]
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]
    first.close()


def test_a_rollback_or_a_close_lets_the_next_writer_in(db, tmp_path):
    path = tmp_path / "release.sqlite3"
    first = open_database(path)
    begin(first)
    first.rollback()
    first.set_autocommit(True)
    begin(first)
    first.close()  # closed mid-transaction: the lock goes with the connection
    second = open_database(path)
    done = threading.Event()

    def write():
        other = open_database(path)
        begin(other)
        other.rollback()
        other.close()
        done.set()

    threading.Thread(target=write).start()
    assert done.wait(5)
    second.close()
