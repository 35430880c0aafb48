"""How the service uses its database connections: readers and writers."""
import math

import pytest
import sqlalchemy as sa

from placement import capacity
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


def _rows(*rows, names):
    """A subquery of literal rows, standing in for inventories."""
    return sa.union_all(*[
        sa.select(*[sa.literal(value).label(name)
                    for name, value in zip(names, row)])
        for row in rows]).subquery('inv')


WHOLE = [
    # (total, reserved, allocation_ratio): floor((total - reserved) * ratio)
    (10, 0, 1.0), (3, 0, 1.5), (7, 2, 16.0), (5, 5, 1.0),
    (2147483647, 0, 2000000000.0),   # the largest cast on SQLite
    (2147483647, 0, 2000000001.0),   # past it: floor()
    (2147483647, 1, 3.4e38), (10, 12, 1.25),  # reserved over total
]


def test_whole_capacity_on_every_path(database):
    """capacity.whole_capacity: on SQLite a cast to INTEGER where the
    product surely fits one, floor() elsewhere; the same floors on every
    database, exact integers wherever they fit."""
    inv = _rows(*[(i,) + row for i, row in enumerate(WHOLE)],
                names=('id', 'total', 'reserved', 'allocation_ratio'))
    found = dict(database.read(lambda conn: conn.execute(
        sa.select(inv.c.id, capacity.whole_capacity(inv))).all()))
    for i, (total, reserved, ratio) in enumerate(WHOLE):
        expected = math.floor((total - reserved) * ratio)
        assert found[i] == pytest.approx(expected, rel=1e-7), (i, found[i])
        if abs(expected) < 2 ** 53:
            assert found[i] == expected


TIMES = [
    # (room, amount): floor(room / amount)
    (10, 3), (9, 3), (0, 5), (7, 8), (1e30, 7), (7.0, 2),
]


def test_times_fit_on_every_path(database):
    """capacity.times_fit's quotient: SQLite divides integers as integers
    and floors reals; every database answers the same."""
    rooms = _rows(*[(i, room, 1, 100, 1) for i, (room, _) in
                    enumerate(TIMES)],
                  names=('id', 'free', 'min_unit', 'max_unit', 'step_size'))
    amount = sa.case({i: sa.literal(value) for i, (_, value) in
                      enumerate(TIMES)}, value=rooms.c.id)
    found = dict(database.read(lambda conn: conn.execute(sa.select(
        rooms.c.id, capacity.times_fit(amount, rooms.c.free, rooms))).all()))
    for i, (room, amount) in enumerate(TIMES):
        assert found[i] == pytest.approx(math.floor(room / amount),
                                         rel=1e-7), (i, found[i])
