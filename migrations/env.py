from alembic import context

from placement.db import tables

VERSION_TABLE = 'placement_schema_version'


def run_migrations_online():
    connection = context.config.attributes['connection']
    context.configure(connection=connection, target_metadata=tables.metadata,
                      version_table=VERSION_TABLE,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit('offline (SQL script) migrations are not supported')
run_migrations_online()
