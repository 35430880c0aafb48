"""The capacity rule, in Python (candidates) and in SQL (filters)."""
import pytest
import sqlalchemy as sa

from placement import capacity
from placement.candidates.world import inventory_row, room_for
from placement.db import tables


def inventory(total=10, reserved=0, min_unit=1, max_unit=10, step_size=1,
              ratio=1.0, used=0):
    return inventory_row(total, reserved, min_unit, max_unit, step_size,
                         ratio, used)


@pytest.mark.parametrize('inv, amount, expected', [
    (inventory(), 10, True),
    (inventory(), 11, False),                   # above max_unit
    (inventory(reserved=2), 9, False),          # reserved counts
    (inventory(used=8), 2, True),
    (inventory(used=8), 3, False),
    (inventory(ratio=2.0, max_unit=20), 20, True),
    (inventory(min_unit=2), 1, False),
    (inventory(step_size=4), 6, False),
    (inventory(step_size=4), 8, True),
])
def test_room_for(inv, amount, expected):
    assert room_for(inv, amount) is expected


def test_room_for_counts_amounts_already_in_candidate():
    assert room_for(inventory(used=4), 3, already=3)
    assert not room_for(inventory(used=4), 3, already=4)


@pytest.mark.parametrize('amount, expected', [(1, True), (4, True),
                                              (5, False), (3, False)])
def test_sql_fits_agrees(amount, expected):
    engine = sa.create_engine('sqlite://')
    tables.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(tables.inventories.insert().values(
            resource_provider_id=1, resource_class_id=0, total=10,
            reserved=2, min_unit=1, max_unit=8, step_size=1,
            allocation_ratio=1.0))
        conn.execute(tables.allocations.insert().values(
            resource_provider_id=1, resource_class_id=0, consumer_id='c',
            used=4))
        if amount == 3:
            conn.execute(tables.inventories.update().values(step_size=2))
        used = capacity.usage_of(tables.inventories.c.resource_provider_id,
                                 tables.inventories.c.resource_class_id)
        found = conn.execute(sa.select(sa.func.count()).where(
            capacity.fits(amount, used))).scalar()
    assert bool(found) is expected


@pytest.mark.parametrize('amount', [1, 2, 3, 4, 5, 8, 9])
def test_correlated_and_set_based_room_agree(amount):
    """capacity.room_per_provider (per provider, for paged reads) and
    capacity.provider_has_room (set-based) pick the same providers."""
    engine = sa.create_engine('sqlite://')
    tables.metadata.create_all(engine)
    rp = tables.resource_providers
    with engine.begin() as conn:
        for pid, (total, reserved, max_unit, step, used) in enumerate([
                (10, 2, 8, 1, 4), (10, 0, 9, 1, 0), (6, 0, 6, 2, 2),
                (4, 0, 4, 1, 4), (8, 1, 8, 3, 0)], start=1):
            conn.execute(rp.insert().values(id=pid, uuid='u%d' % pid,
                                            name='p%d' % pid))
            conn.execute(tables.inventories.insert().values(
                resource_provider_id=pid, resource_class_id=0, total=total,
                reserved=reserved, min_unit=1, max_unit=max_unit,
                step_size=step, allocation_ratio=1.0))
            # Usage of another class must not count.
            conn.execute(tables.allocations.insert(), [
                {'resource_provider_id': pid, 'resource_class_id': 0,
                 'consumer_id': 'c%d' % pid, 'used': used},
                {'resource_provider_id': pid, 'resource_class_id': 1,
                 'consumer_id': 'c%d' % pid, 'used': 100}])

        def chosen(condition):
            return set(conn.execute(sa.select(rp.c.id).where(
                condition(rp.c.id, 0, amount))).scalars())
        correlated = chosen(capacity.room_per_provider)
        assert correlated == chosen(capacity.provider_has_room)
    expected = {pid for pid, (free, max_unit, step) in {
        1: (4, 8, 1), 2: (10, 9, 1), 3: (4, 6, 2), 4: (0, 4, 1),
        5: (7, 8, 3)}.items()
        if amount <= free and amount <= max_unit and amount % step == 0}
    assert correlated == expected
