"""Schema creation and upgrade (alembic), adoption of an upstream database,
and the start-up sync of standard resource classes and traits."""
import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
import os_resource_classes
import os_traits
import sqlalchemy as sa
from sqlalchemy import exc

from placement import migrations
from placement.db import tables

VERSION_TABLE = 'placement_schema_version'
UPSTREAM_VERSION_TABLE = 'alembic_version'
# Upstream Placement's last schema revision; its tables equal our 0001.
UPSTREAM_HEAD = 'a082b8bb98d0'
ADOPTED_REVISION = '0001'
# Upstream gives custom resource classes ids from here on; standard ones
# take their index in os_resource_classes.STANDARDS.
CUSTOM_RC_MIN_ID = 10000


class SchemaError(Exception):
    pass


def _alembic_config(conn):
    cfg = Config()
    cfg.set_main_option('script_location', os.path.dirname(migrations.__file__))
    cfg.attributes['connection'] = conn
    return cfg


def current_revision(conn):
    ctx = MigrationContext.configure(conn, opts={'version_table': VERSION_TABLE})
    return ctx.get_current_revision()


def head_revision():
    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def _upstream_revision(conn):
    if not sa.inspect(conn).has_table(UPSTREAM_VERSION_TABLE):
        return None
    return conn.execute(sa.text(
        'SELECT version_num FROM %s' % UPSTREAM_VERSION_TABLE)).scalar()


def upgrade(engine):
    """Bring the schema to our head, adopting an upstream database first.

    A writer's transaction: on SQLite it takes the write lock first (see
    engine._setup_sqlite), so a sync run while the service writes waits
    for its turn instead of failing "database is locked"."""
    with engine.connect() as conn, \
            conn.execution_options(writer=True).begin():
        if current_revision(conn) is None:
            upstream = _upstream_revision(conn)
            if upstream is not None:
                if upstream != UPSTREAM_HEAD:
                    raise SchemaError(
                        'this database was created by upstream Placement at '
                        'schema revision %s; upgrade it with upstream '
                        "placement-manage db sync to %s first"
                        % (upstream, UPSTREAM_HEAD))
                command.stamp(_alembic_config(conn), ADOPTED_REVISION)
        command.upgrade(_alembic_config(conn), 'head')


def stamp(engine, revision):
    with engine.begin() as conn:
        command.stamp(_alembic_config(conn), revision)


def _insert_missing(engine, table, rows):
    """Insert the rows whose name is absent; tolerate a concurrent starter."""
    for _attempt in range(3):
        try:
            with engine.begin() as conn:
                present = set(conn.execute(sa.select(table.c.name)).scalars())
                missing = [row for row in rows if row['name'] not in present]
                if missing:
                    conn.execute(table.insert(), missing)
            return
        except exc.IntegrityError:
            # Another worker inserted some of them first; look again.
            continue
    raise SchemaError('could not sync %s' % table.name)


def sync_standard_names(engine):
    """Make the standard resource classes and traits exist (idempotent)."""
    _insert_missing(engine, tables.resource_classes, [
        {'id': index, 'name': name}
        for index, name in enumerate(os_resource_classes.STANDARDS)])
    _insert_missing(engine, tables.traits, [
        {'name': name} for name in os_traits.get_traits()])
