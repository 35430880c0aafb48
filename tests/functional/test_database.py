"""How the service uses its database connections: readers and writers."""
import pytest
import sqlalchemy as sa

from placement.db import engine as db_engine
from placement.db import tables


@pytest.fixture
def database(service):
    return db_engine.Database(service.engine)


def test_readers_on_postgresql_skip_the_transaction(database):
    with database.reader() as conn:
        level = conn.get_isolation_level()
    if database.dialect == 'postgresql':
        # READ COMMITTED gives each statement its own snapshot anyway.
        assert conn.get_execution_options()['isolation_level'] == \
            'AUTOCOMMIT'
    else:
        assert level != 'AUTOCOMMIT'


def test_writers_after_readers_still_roll_back(database):
    """A reader's connection goes back to the pool; the writer that takes
    it next is transactional again."""
    for _ in range(3):
        with database.reader() as conn:
            conn.execute(sa.select(sa.func.count()).select_from(
                tables.traits)).scalar()
    before = database.read(lambda conn: conn.execute(
        sa.select(sa.func.count()).select_from(tables.traits)).scalar())
    with pytest.raises(RuntimeError):
        with database.writer() as conn:
            conn.execute(tables.traits.insert().values(name='CUSTOM_GONE'))
            raise RuntimeError('fail after the insert')
    after = database.read(lambda conn: conn.execute(
        sa.select(sa.func.count()).select_from(tables.traits)).scalar())
    assert after == before
