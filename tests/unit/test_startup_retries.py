"""[placement_database] max_retries and retry_interval at start-up (as
oslo.db's connection test), and which database errors the one write retry
loop retries (deadlocks, Galera certification failures)."""
import logging
import time

import httpx
import pymysql
import pytest
import sqlalchemy as sa

from placement import app, errors
from placement.db import engine as db_engine
from tests.functional.app import make_conf

UNREACHABLE = 'postgresql+psycopg://postgres@127.0.0.1:1/nothing'


def refused():
    # As a failed connect raises it: no statement.
    return sa.exc.OperationalError(
        None, None, Exception('connection refused'))


class FlakyEngine:
    """Refuses the first ``failures`` connections."""

    def __init__(self, failures, error=refused):
        self.failures = failures
        self.attempts = 0
        self.error = error

    def connect(self):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise self.error()
        return self

    def close(self):
        pass


@pytest.mark.parametrize('max_retries,failures,attempts,sleeps,ok', [
    (10, 3, 4, 3, True),     # the database comes up during the retries
    (3, 100, 3, 2, False),   # 3 attempts, slept between them, given up
    (1, 100, 1, 0, False),
    (0, 100, 0, 0, True),    # 0: no connection test at all
    (-1, 25, 26, 25, True),  # -1: until one succeeds
])
def test_attempts_and_sleeps(max_retries, failures, attempts, sleeps, ok):
    engine = FlakyEngine(failures)
    slept = []
    assert db_engine.wait_for_connection(
        engine, max_retries, 7, sleep=slept.append) is ok
    assert engine.attempts == attempts
    assert slept == [7] * sleeps


def test_other_errors_are_not_retried():
    engine = FlakyEngine(5, error=lambda: sa.exc.ProgrammingError(
        'connect', {}, Exception('bad')))
    with pytest.raises(sa.exc.ProgrammingError):
        db_engine.wait_for_connection(engine, 10, 1, sleep=lambda s: None)
    assert engine.attempts == 1


def test_defaults_are_upstreams():
    conf = make_conf('sqlite://')
    assert conf.placement_database.max_retries == 10
    assert conf.placement_database.retry_interval == 10
    assert conf.placement_database.slave_connection is None


def test_the_app_waits_as_configured_then_serves_503(caplog):
    conf = make_conf(UNREACHABLE, {
        ('placement_database', 'max_retries'): 3,
        ('placement_database', 'retry_interval'): 1})
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger='placement.db.engine'):
        application = app.build_app(conf)
    assert time.monotonic() - started >= 2  # two 1 s pauses
    warnings = [r.getMessage() for r in caplog.records
                if 'database connection failed' in r.getMessage()]
    assert [w.rsplit(';', 1)[1] for w in warnings] == [
        ' 2 attempts left', ' 1 attempts left', ' 0 attempts left']
    with httpx.Client(transport=httpx.WSGITransport(app=application),
                      base_url='http://placement') as client:
        response = client.get('/resource_providers', headers={
            'x-auth-token': 'admin',
            'openstack-api-version': 'placement latest'})
    assert response.status_code == 503


def mysql_error(code, message):
    return sa.exc.OperationalError(
        'COMMIT', {}, pymysql.err.OperationalError(code, message))


@pytest.mark.parametrize('error,retryable', [
    (mysql_error(1213, 'Deadlock found when trying to get lock; try '
                       'restarting transaction'), True),
    (mysql_error(1213, 'WSREP detected deadlock/conflict and aborted the '
                       'transaction. Try restarting the transaction'), True),
    (mysql_error(1205, 'Lock wait timeout exceeded'), True),
    (mysql_error(1180, "Got error 149 'Lock deadlock; Retry transaction' "
                       "during COMMIT"), True),
    (mysql_error(1180, "Got error 28 'No space left on device' during "
                       "COMMIT"), False),
    (mysql_error(1062, "Duplicate entry 'x' for key 'uniq'"), False),
    (mysql_error(2003, "Can't connect to MySQL server"), False),
])
def test_retryable_errors(error, retryable):
    assert db_engine.is_retryable(error) is retryable


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    monkeypatch.setattr(db_engine.time, 'sleep', lambda seconds: None)
    engine = db_engine.create_engine(make_conf(
        'sqlite:///%s' % (tmp_path / 'db.sqlite')).placement_database)
    yield db_engine.Database(engine)
    engine.dispose()


def test_write_retries_certification_failures(sqlite_db):
    calls = []

    def func(conn):
        calls.append(conn)
        if len(calls) < 3:
            raise mysql_error(1213, 'WSREP detected deadlock/conflict')
        return 'done'

    assert sqlite_db.write(func) == 'done'
    assert len(calls) == 3


def test_write_that_always_loses_is_a_409(sqlite_db):
    calls = []

    def func(conn):
        calls.append(conn)
        raise mysql_error(1213, 'Deadlock found')

    with pytest.raises(errors.ConcurrentUpdate) as caught:
        sqlite_db.write(func)
    assert len(calls) == db_engine.DEADLOCK_RETRIES + 1
    assert caught.value.status == 409
    assert caught.value.code == errors.CONCURRENT_UPDATE


def test_write_does_not_retry_other_errors(sqlite_db):
    calls = []

    def func(conn):
        calls.append(conn)
        raise mysql_error(1062, 'Duplicate entry')

    with pytest.raises(sa.exc.OperationalError):
        sqlite_db.write(func)
    assert len(calls) == 1
