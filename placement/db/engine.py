"""Engines for SQLite, PostgreSQL and MySQL/MariaDB, and the one place where
transactions begin and where deadlocks are retried."""
import contextlib
import itertools
import logging
import math
import random
import time

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url

from placement import errors, metrics
from placement.db import write_queue

LOG = logging.getLogger(__name__)

DEADLOCK_RETRIES = 8


class ConfigurationError(Exception):
    pass


def _normalize_url(connection, parameters=''):
    if not connection:
        raise ConfigurationError(
            '[placement_database] connection is not set: give a SQLAlchemy '
            'URL such as sqlite:////var/lib/placement/placement.sqlite')
    if parameters:
        sep = '&' if '?' in connection else '?'
        connection = connection + sep + parameters.lstrip('?&')
    url = make_url(connection)
    backend, _, driver = url.drivername.partition('+')
    if backend == 'postgresql' and driver in ('', 'psycopg2'):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            url = url.set(drivername='postgresql+psycopg')
    elif backend in ('mysql', 'mariadb') and driver in ('', 'mysqldb'):
        try:
            import MySQLdb  # noqa: F401
        except ImportError:
            url = url.set(drivername=backend + '+pymysql')
    if backend in ('mysql', 'mariadb') and 'charset' not in url.query:
        url = url.update_query_dict({'charset': 'utf8mb4'})
    return url


def create_engine(db_conf, connection=None):
    """An Engine from a ``[placement_database]`` config group: for its
    ``connection``, or for ``connection`` (the replica's) when given."""
    url = _normalize_url(connection or db_conf.connection,
                         db_conf.connection_parameters)
    kwargs = {'pool_pre_ping': True,
              'echo': db_conf.connection_debug >= 50}
    if url.get_backend_name() == 'sqlite':
        kwargs['connect_args'] = {'timeout': 30, 'check_same_thread': False}
    else:
        kwargs['pool_recycle'] = db_conf.connection_recycle_time
        for name in ('max_overflow', 'pool_timeout'):
            if getattr(db_conf, name) is not None:
                kwargs[name] = getattr(db_conf, name)
        if db_conf.max_pool_size is not None:
            kwargs['pool_size'] = db_conf.max_pool_size
    if url.get_backend_name() == 'postgresql':
        kwargs['isolation_level'] = 'READ COMMITTED'
    engine = sa.create_engine(url, **kwargs)
    if url.get_backend_name() == 'sqlite':
        _setup_sqlite(engine, db_conf.sqlite_synchronous)
    elif url.get_backend_name() in ('mysql', 'mariadb'):
        _setup_mysql(engine, db_conf.mysql_sql_mode)
    elif url.get_backend_name() == 'postgresql':
        _setup_postgresql(engine)
    return engine


def create_replica_engine(db_conf):
    """The engine of ``slave_connection``, or None when it is not set."""
    if not db_conf.slave_connection:
        return None
    return create_engine(db_conf, db_conf.slave_connection)


def wait_for_connection(engine, max_retries, retry_interval,
                        sleep=time.sleep):
    """Start-up's connection test, as oslo.db makes it: up to
    ``max_retries`` attempts (-1: until one succeeds; 0: no test),
    ``retry_interval`` seconds apart. True once a connection is made,
    False when every attempt failed (the service then serves 503s until
    the database answers, rather than not starting)."""
    attempts = itertools.count() if max_retries == -1 else range(max_retries)
    for attempt in attempts:
        try:
            engine.connect().close()
            return True
        except exc.DBAPIError as error:
            if not is_disconnect(error):
                raise
            left = 'unlimited' if max_retries == -1 else \
                max_retries - attempt - 1
            LOG.warning('database connection failed (%s); %s attempts left',
                        type(error.orig).__name__, left)
            if left:
                sleep(retry_interval)
    return max_retries == 0


def _setup_sqlite(engine, synchronous):
    @event.listens_for(engine, 'connect')
    def on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event decide how transactions start.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if engine.url.database not in (None, '', ':memory:'):
            cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute('PRAGMA busy_timeout=30000')
        if not synchronous:
            cursor.execute('PRAGMA synchronous=OFF')
        cursor.close()
        # (With no statement of the connection's still active.)
        _ensure_floor(dbapi_conn)

    @event.listens_for(engine, 'begin')
    def on_begin(conn):
        # Writers take the write lock up front so two writers never
        # deadlock upgrading shared locks; readers stay deferred.
        if conn.get_execution_options().get('writer'):
            conn.exec_driver_sql('BEGIN IMMEDIATE')
        else:
            conn.exec_driver_sql('BEGIN')


def _floor(value):
    """SQLite's floor(): an integer stays one, a real stays real."""
    if isinstance(value, float) and math.isfinite(value):
        return float(math.floor(value))
    return value


def _ensure_floor(dbapi_conn):
    """floor() for capacity.whole_capacity, as SQLite's math functions
    compute it, on every build: those before 3.35 (or compiled without
    them) have none, and SQLAlchemy's pysqlite dialect registers Python's
    math.floor over the native one, whose integer results past 2**63
    SQLite cannot take (a capacity of 1e38: "string or blob too big")."""
    dbapi_conn.create_function('floor', 1, _floor, deterministic=True)


def _setup_mysql(engine, sql_mode):
    @event.listens_for(engine, 'connect')
    def on_connect(dbapi_conn, _record):
        cursor = dbapi_conn.cursor()
        # Standard resource classes keep upstream's ids, VCPU's being 0.
        modes = ','.join(filter(None, [sql_mode, 'NO_AUTO_VALUE_ON_ZERO']))
        cursor.execute("SET SESSION sql_mode = %s", [modes])
        cursor.execute(
            'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
        # A provider's traits joined in one column (trait_list.py): room
        # for hundreds (MySQL's default is 1,024 characters).
        cursor.execute('SET SESSION group_concat_max_len = 1048576')
        cursor.close()


# Longer than any string column (the longest is 255 characters).
_BEYOND_ANY_COLUMN = '\ufffd' * 256


def _has_nul(value):
    if isinstance(value, str):
        return '\x00' in value
    if isinstance(value, dict):
        return any(map(_has_nul, value.values()))
    if isinstance(value, (list, tuple)):
        return any(map(_has_nul, value))
    return False


def _without_nul(value):
    """A NUL-free stand-in for a string PostgreSQL cannot take: the same
    text (NULs made U+FFFD) made longer than any column, so that like the
    original it equals no stored value and is the prefix of none."""
    if isinstance(value, str) and '\x00' in value:
        return value.replace('\x00', '\ufffd') + _BEYOND_ANY_COLUMN
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_nul(item) for item in value)
    return value


def _setup_postgresql(engine):
    # PostgreSQL's text holds no NUL character (the driver refuses one),
    # so no stored string has one and a lookup by a string that does (a
    # name in the path or the query string) finds nothing, as it finds
    # nothing on the other databases. Writes never get that far: request
    # bodies with a NUL are refused (handlers.util.read_json).
    @event.listens_for(engine, 'before_cursor_execute', retval=True)
    def before_cursor_execute(conn, cursor, statement, parameters, context,
                              executemany):
        if _has_nul(parameters):
            parameters = _without_nul(parameters)
        return statement, parameters


# MySQL/MariaDB: deadlock (also how Galera reports a certification
# failure, at COMMIT or when a replicated write aborts ours), lock wait
# timeout.
RETRYABLE_MYSQL = (1213, 1205)
# MariaDB with Galera may wrap a deadlock met at COMMIT as "Got error N
# during COMMIT".
ERROR_DURING_COMMIT = 1180


def is_retryable(error):
    """True for deadlocks, lock timeouts, serialization failures and Galera
    certification failures: a conflict another attempt can win."""
    orig = getattr(error, 'orig', None)
    code = getattr(orig, 'args', [None])[0] if orig is not None else None
    if code in RETRYABLE_MYSQL:
        return True
    if code == ERROR_DURING_COMMIT and 'deadlock' in str(orig).lower():
        return True
    sqlstate = getattr(orig, 'sqlstate', None) or getattr(orig, 'pgcode', None)
    if sqlstate in ('40001', '40P01'):
        return True
    return 'database is locked' in str(orig)


def is_disconnect(error):
    """A lost or refused connection (the database is unavailable: 503),
    as opposed to a statement the database refused (SQLite's "integer
    overflow" is an OperationalError too, and no outage): the connection
    was invalidated, or the error came while connecting (no statement)."""
    return isinstance(error, exc.DBAPIError) and (
        error.connection_invalidated
        or (isinstance(error, (exc.OperationalError, exc.InterfaceError))
            and error.statement is None))


class Database:
    """The engine plus the ways of using it: ``reader()``, ``writer()``
    and, for the read-heavy requests that may see a replica's slightly
    older data, ``replica_reader()``."""

    def __init__(self, engine, replica=None):
        self.engine = engine
        self.replica = replica
        self.dialect = engine.dialect.name
        self.standard_names_synced = False
        self._writers = write_queue.lock_path(engine)

    def ensure_standard_names(self):
        """Sync os-resource-classes and os-traits names (once)."""
        from placement.db import sync
        sync.sync_standard_names(self.engine)
        self.standard_names_synced = True

    @contextlib.contextmanager
    def reader(self):
        with self._read(self.engine) as conn:
            yield conn

    @contextlib.contextmanager
    def replica_reader(self):
        """A read on ``[placement_database] slave_connection`` when it is
        set (else the primary), for GETs that write nothing and whose
        answers a later write re-checks: allocation candidates (a claim
        from a stale one fails its generation or capacity check with a
        409) and the operator views built on the same data. Never use it
        for what a write then relies on."""
        with self._read(self.replica or self.engine) as conn:
            yield conn

    @staticmethod
    @contextlib.contextmanager
    def _read(engine):
        with engine.connect() as conn:
            if engine.dialect.name == 'postgresql':
                # Under READ COMMITTED every statement takes its own
                # snapshot, in a transaction or not: reading outside one
                # spares the BEGIN and ROLLBACK round trips. (SQLite and
                # MySQL keep a transaction: there it gives one snapshot.)
                conn = conn.execution_options(isolation_level='AUTOCOMMIT')
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def writer(self):
        with write_queue.turn(self._writers), self.engine.connect() as conn:
            conn = conn.execution_options(writer=True)
            with conn.begin():
                yield conn

    def write(self, func, *args, **kwargs):
        """Run ``func(conn, ...)`` in a write transaction, retrying
        deadlocks and Galera certification failures (the one place that
        retries them); when every attempt lost, a 409
        placement.concurrent_update, which clients already retry."""
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                with self.writer() as conn:
                    return func(conn, *args, **kwargs)
            except exc.DBAPIError as error:
                if not is_retryable(error):
                    raise
                if attempt == DEADLOCK_RETRIES:
                    LOG.warning('giving up after %d conflicts: %s',
                                attempt + 1, error.orig)
                    raise errors.ConcurrentUpdate(
                        'Another thread concurrently updated the data. '
                        'Please retry your update') from error
                LOG.debug('retrying after %s', error.orig)
                metrics.conflict_retried('deadlock')
                # Jittered so that writers which collided do not collide
                # again in step.
                time.sleep(0.01 * (attempt + 1) * random.uniform(0.5, 1.5))

    def read(self, func, *args, **kwargs):
        with self.reader() as conn:
            return func(conn, *args, **kwargs)

    def dispose(self):
        self.engine.dispose()
        if self.replica is not None:
            self.replica.dispose()
