"""Provider domain logic on a real database (SQLite, or PLACEMENT_TEST_DB):
trees, re-parenting, capacity filters."""
import uuid

import pytest
import sqlalchemy as sa

from placement import errors, inventories, providers
from placement.db.tables import allocations


def new(conn, name, parent=None):
    return providers.create(conn, str(uuid.uuid4()), name,
                            parent.uuid if parent else None)


@pytest.fixture
def conn(service):
    with service.engine.begin() as connection:
        yield connection


def test_root_is_itself_and_children_inherit_it(conn):
    root = new(conn, 'root')
    child = new(conn, 'child', root)
    grandchild = new(conn, 'grandchild', child)
    assert root.root_provider_id == root.id
    assert root.parent_provider_uuid is None
    assert child.root_provider_uuid == root.uuid
    assert grandchild.root_provider_uuid == root.uuid
    assert grandchild.parent_provider_uuid == child.uuid


def test_moving_a_subtree_updates_every_root(conn):
    old_root, new_root = new(conn, 'old'), new(conn, 'new')
    middle = new(conn, 'middle', old_root)
    leaf = new(conn, 'leaf', middle)
    providers.update(conn, middle, 'middle', new_root.uuid, set_parent=True,
                     allow_reparent=True)
    assert providers.get(conn, leaf.uuid).root_provider_uuid == new_root.uuid
    assert providers.get(conn, middle.uuid).parent_provider_uuid == \
        new_root.uuid


def test_unparenting_makes_a_new_tree(conn):
    root = new(conn, 'root')
    middle = new(conn, 'middle', root)
    leaf = new(conn, 'leaf', middle)
    providers.update(conn, middle, 'middle', None, set_parent=True,
                     allow_reparent=True)
    assert providers.get(conn, middle.uuid).root_provider_uuid == middle.uuid
    assert providers.get(conn, leaf.uuid).root_provider_uuid == middle.uuid


@pytest.mark.parametrize('target', ['self', 'child', 'grandchild'])
def test_loops_are_refused(conn, target):
    root = new(conn, 'root')
    child = new(conn, 'child', root)
    grandchild = new(conn, 'grandchild', child)
    parent = {'self': root, 'child': child, 'grandchild': grandchild}[target]
    with pytest.raises(errors.BadRequest, match='loop'):
        providers.update(conn, root, 'root', parent.uuid, set_parent=True,
                         allow_reparent=True)


def test_reparenting_needs_1_37(conn):
    first, second = new(conn, 'first'), new(conn, 'second')
    child = new(conn, 'child', first)
    with pytest.raises(errors.BadRequest, match='re-parenting'):
        providers.update(conn, child, 'child', second.uuid, set_parent=True,
                         allow_reparent=False)
    with pytest.raises(errors.BadRequest, match='un-parenting'):
        providers.update(conn, child, 'child', None, set_parent=True,
                         allow_reparent=False)


def test_deleting_a_parent_is_refused(conn):
    root = new(conn, 'root')
    new(conn, 'child', root)
    with pytest.raises(errors.Conflict) as caught:
        providers.delete(conn, root)
    assert caught.value.code == errors.PROVIDER_CANNOT_DELETE_PARENT


def test_in_tree_filter_lists_the_whole_tree(conn):
    root = new(conn, 'root')
    child = new(conn, 'child', root)
    new(conn, 'other')
    found = providers.list_filtered(conn, in_tree=root.root_provider_id)
    assert {row.uuid for row in found} == {root.uuid, child.uuid}


def test_resources_filter_counts_each_providers_own_usage(conn):
    """Usage on one provider must not count against another."""
    alpha, bravo = new(conn, 'alpha'), new(conn, 'bravo')
    vcpu = 0  # VCPU's id among the standard classes
    for provider, total in ((alpha, 6), (bravo, 8)):
        inventories.add(conn, provider, vcpu,
                        inventories.with_defaults({'total': total}))
    conn.execute(allocations.insert().values(
        resource_provider_id=bravo.id, resource_class_id=vcpu,
        consumer_id=str(uuid.uuid4()), used=6))
    names = lambda amount: {row.name for row in providers.list_filtered(  # noqa
        conn, resources={vcpu: amount})}
    assert names(2) == {'alpha', 'bravo'}
    assert names(3) == {'alpha'}
    assert names(7) == set()


def test_vcpu_has_upstreams_id(conn):
    assert conn.execute(sa.text(
        "SELECT id FROM resource_classes WHERE name = 'VCPU'")).scalar() == 0
