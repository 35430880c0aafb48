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


@pytest.mark.parametrize('value, expected', [
    (1.5, 1), (-1.5, -2), (7, 7), (1e38, 1e38), (-3.4e38, -3.4e38),
    (2.0 ** 63 + 4096, 2.0 ** 63 + 4096)])
def test_floor_of_any_capacity(database, value, expected):
    """capacity.whole_capacity floors capacities up to 2**31 * 3.4e38: on
    SQLite that was Python's math.floor (SQLAlchemy registers it), whose
    integers past 2**63 SQLite refused ("string or blob too big")."""
    floored = database.read(lambda conn: conn.execute(
        sa.select(sa.func.floor(sa.literal(value)))).scalar())
    assert floored == expected
