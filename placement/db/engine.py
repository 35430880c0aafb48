"""Engines for SQLite, PostgreSQL and MySQL/MariaDB, and the one place where
transactions begin and where deadlocks are retried."""
import contextlib
import logging
import math
import time

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url

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


def create_engine(db_conf):
    """An Engine from a ``[placement_database]`` config group."""
    url = _normalize_url(db_conf.connection, db_conf.connection_parameters)
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


def is_retryable(error):
    """True for deadlocks, lock timeouts and serialization failures."""
    orig = getattr(error, 'orig', None)
    code = getattr(orig, 'args', [None])[0] if orig is not None else None
    if code in (1213, 1205):  # MySQL deadlock, lock wait timeout
        return True
    sqlstate = getattr(orig, 'sqlstate', None) or getattr(orig, 'pgcode', None)
    if sqlstate in ('40001', '40P01'):
        return True
    return 'database is locked' in str(orig)


def is_disconnect(error):
    return isinstance(error, exc.DBAPIError) and (
        error.connection_invalidated
        or isinstance(error, (exc.OperationalError, exc.InterfaceError)))


class Database:
    """The engine plus the two ways of using it: ``reader()`` and ``writer()``."""

    def __init__(self, engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self.standard_names_synced = False

    def ensure_standard_names(self):
        """Sync os-resource-classes and os-traits names (once)."""
        from placement.db import sync
        sync.sync_standard_names(self.engine)
        self.standard_names_synced = True

    @contextlib.contextmanager
    def reader(self):
        with self.engine.connect() as conn:
            if self.dialect == 'postgresql':
                # Under READ COMMITTED every statement takes its own
                # snapshot, in a transaction or not: reading outside one
                # spares the BEGIN and ROLLBACK round trips. (SQLite and
                # MySQL keep a transaction: there it gives one snapshot.)
                conn = conn.execution_options(isolation_level='AUTOCOMMIT')
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def writer(self):
        with self.engine.connect() as conn:
            conn = conn.execution_options(writer=True)
            with conn.begin():
                yield conn

    def write(self, func, *args, **kwargs):
        """Run ``func(conn, ...)`` in a write transaction, retrying deadlocks."""
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                with self.writer() as conn:
                    return func(conn, *args, **kwargs)
            except exc.DBAPIError as error:
                if attempt == DEADLOCK_RETRIES or not is_retryable(error):
                    raise
                LOG.debug('retrying after %s', error.orig)
                time.sleep(0.01 * (attempt + 1))

    def read(self, func, *args, **kwargs):
        with self.reader() as conn:
            return func(conn, *args, **kwargs)
