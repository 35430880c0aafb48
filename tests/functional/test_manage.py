"""placement-manage db sync/version/stamp and placement-status, on a real
database (SQLite, or PLACEMENT_TEST_DB)."""
import os_resource_classes
import pytest
import sqlalchemy as sa

from placement.cmd import manage, status
from placement.db import sync, tables


@pytest.fixture
def conf_file(database, tmp_path):
    path = tmp_path / 'placement.conf'
    path.write_text('[placement_database]\nconnection = %s\n' % database.url)
    return str(path)


def _engine(database):
    return sa.create_engine(database.url)


def test_sync_creates_schema_and_standard_names(conf_file, database):
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 0
    engine = _engine(database)
    with engine.connect() as conn:
        assert sync.current_revision(conn) == sync.head_revision()
        names = set(conn.execute(sa.select(
            tables.resource_classes.c.name)).scalars())
        assert set(os_resource_classes.STANDARDS) <= names
        assert conn.execute(sa.select(sa.func.count()).select_from(
            tables.traits)).scalar() > 100
    # Running it again changes nothing and does not fail.
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 0
    engine.dispose()


def test_a_fresh_database_can_go_back_to_upstream(conf_file, database):
    """Upstream's db sync reads its revision from alembic_version: ours
    records upstream's head there, so upstream finds nothing to do."""
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 0
    engine = _engine(database)
    with engine.connect() as conn:
        assert conn.execute(sa.text(
            'SELECT version_num FROM alembic_version')).scalars().all() == \
            [sync.UPSTREAM_HEAD]
    engine.dispose()
    # Going round again (ours, ours) keeps the one row.
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 0
    engine = _engine(database)
    with engine.connect() as conn:
        assert conn.execute(sa.text(
            'SELECT count(*) FROM alembic_version')).scalar() == 1
    engine.dispose()


def test_version_prints_the_revision(conf_file, capsys):
    manage.main(['--config-file', conf_file, 'db', 'sync'])
    capsys.readouterr()
    manage.main(['--config-file', conf_file, 'db', 'version'])
    assert capsys.readouterr().out.strip() == sync.head_revision()


def _make_upstream_database(engine, revision):
    """What upstream's own db sync leaves: its tables, its alembic table."""
    tables.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.text('CREATE TABLE alembic_version '
                             '(version_num VARCHAR(32) NOT NULL)'))
        conn.execute(sa.text('INSERT INTO alembic_version VALUES (:r)'),
                     {'r': revision})
        conn.execute(tables.resource_providers.insert().values(
            id=1, uuid='5a4b4c59-8f6e-4c7b-9d38-1c0e1f6f7a11',
            name='kept', generation=3, root_provider_id=None))


def test_adopts_an_upstream_database(conf_file, database):
    engine = _engine(database)
    _make_upstream_database(engine, sync.UPSTREAM_HEAD)
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 0
    with engine.connect() as conn:
        assert sync.current_revision(conn) == sync.head_revision()
        indexes = {i['name'] for i in sa.inspect(conn).get_indexes(
            'inventories')}
        assert 'inventories_rc_rp_idx' in indexes
        # Upstream's own bookkeeping and data are left as they were.
        assert conn.execute(sa.text(
            'SELECT version_num FROM alembic_version')).scalar() == \
            sync.UPSTREAM_HEAD
        assert conn.execute(sa.select(
            tables.resource_providers.c.generation)).scalar() == 3
    engine.dispose()


def test_refuses_an_older_upstream_schema(conf_file, database, capsys):
    engine = _engine(database)
    _make_upstream_database(engine, 'b4ed3a175331')
    assert manage.main(['--config-file', conf_file, 'db', 'sync']) == 1
    assert 'b4ed3a175331' in capsys.readouterr().err
    engine.dispose()


def test_status_checks(conf_file, database):
    assert status.main(['--config-file', conf_file, 'upgrade', 'check']) == \
        status.FAILURE  # no schema yet
    manage.main(['--config-file', conf_file, 'db', 'sync'])
    assert status.main(['--config-file', conf_file, 'upgrade', 'check']) == \
        status.SUCCESS
    engine = _engine(database)
    with engine.begin() as conn:
        conn.execute(tables.resource_providers.insert().values(
            uuid='6a4b4c59-8f6e-4c7b-9d38-1c0e1f6f7a11', name='orphan',
            generation=0, root_provider_id=None))
    assert status.main(['--config-file', conf_file, 'upgrade', 'check']) == \
        status.FAILURE
    engine.dispose()


def test_standard_name_sync_is_idempotent(database):
    engine = _engine(database)
    sync.upgrade(engine)
    sync.sync_standard_names(engine)
    with engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(
            tables.traits)).scalar()
    sync.sync_standard_names(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            tables.traits)).scalar() == before
    engine.dispose()
