"""Fresh databases for tests: SQLite always; PostgreSQL or MariaDB when
PLACEMENT_TEST_DB says so (CI runs all three). An unreachable server is an
error, never a skip."""
import os
import tempfile
import uuid

import sqlalchemy as sa

KIND = os.environ.get('PLACEMENT_TEST_DB', 'sqlite')
SERVERS = {
    'postgresql': os.environ.get(
        'PLACEMENT_TEST_PG_URL', 'postgresql+psycopg://postgres@127.0.0.1:5432'),
    'mysql': os.environ.get(
        'PLACEMENT_TEST_MYSQL_URL', 'mysql+pymysql://root@127.0.0.1:3306'),
}
ADMIN_DB = {'postgresql': 'postgres', 'mysql': 'mysql'}


class TestDatabase:
    """A database that exists until ``drop()``."""

    def __init__(self, kind=KIND):
        self.kind = kind
        self.name = 'placement_test_%s' % uuid.uuid4().hex[:12]
        if kind == 'sqlite':
            self._dir = tempfile.TemporaryDirectory(prefix='placement-test-')
            self.url = 'sqlite:///%s' % os.path.join(self._dir.name, 'db.sqlite')
            return
        if kind not in SERVERS:
            raise ValueError('PLACEMENT_TEST_DB must be sqlite, postgresql '
                             'or mysql, not %r' % kind)
        server = SERVERS[kind]
        self._admin = sa.create_engine('%s/%s' % (server, ADMIN_DB[kind]),
                                       isolation_level='AUTOCOMMIT',
                                       poolclass=sa.pool.NullPool)
        with self._admin.connect() as conn:
            extra = ' CHARACTER SET utf8mb4' if kind == 'mysql' else ''
            conn.exec_driver_sql('CREATE DATABASE %s%s' % (self.name, extra))
        self.url = '%s/%s' % (server, self.name)

    def drop(self):
        if self.kind == 'sqlite':
            self._dir.cleanup()
            return
        with self._admin.connect() as conn:
            if self.kind == 'postgresql':
                conn.exec_driver_sql(
                    'DROP DATABASE IF EXISTS %s WITH (FORCE)' % self.name)
            else:
                conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % self.name)
        self._admin.dispose()
