"""The candidate search's bulk tree loads: the id list travels as one
parameter and the rows come off the DBAPI cursor; both must give exactly
what plain SQLAlchemy gives, on every database."""
import httpx
import pytest
import sqlalchemy as sa

from placement.candidates import trees
from placement.candidates.request import CandidateRequest, Group
from placement.candidates.world import World
from placement.db import id_list, raw_rows, tables

HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39'}


def _tree(client, name):
    """A root provider with one child: their uuids."""
    root = client.post('/resource_providers',
                       json={'name': name}).json()['uuid']
    child = client.post('/resource_providers', json={
        'name': name + '-numa', 'parent_provider_uuid': root}).json()['uuid']
    return root, child


@pytest.fixture
def loaded(service):
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        agg = '5e0f4b2e-3d2a-4b8f-9a51-d7c64c0a1f00'
        for n in range(3):
            root, child = _tree(c, 'cn%d' % n)
            c.put('/resource_providers/%s/inventories' % root, json={
                'resource_provider_generation': 0, 'inventories': {
                    'DISK_GB': {'total': 100, 'reserved': 3,
                                'allocation_ratio': 1.1}}}
                  ).raise_for_status()
            c.put('/resource_providers/%s/inventories' % child, json={
                'resource_provider_generation': 0, 'inventories': {
                    'VCPU': {'total': 8, 'allocation_ratio': 16.0,
                             'max_unit': 4, 'step_size': 2}}}
                  ).raise_for_status()
            c.put('/traits/CUSTOM_T%d' % n).raise_for_status()
            c.put('/resource_providers/%s/traits' % child, json={
                'resource_provider_generation': 1,
                'traits': ['HW_CPU_X86_AVX2', 'CUSTOM_T%d' % n]}
                  ).raise_for_status()
            c.put('/resource_providers/%s/aggregates' % root, json={
                'resource_provider_generation': 1, 'aggregates': [agg]}
                  ).raise_for_status()
            c.put('/allocations/%d0000000-0000-4000-8000-000000000000' % n,
                  json={'allocations': {
                      root: {'resources': {'DISK_GB': 7 + n}},
                      child: {'resources': {'VCPU': 2}}},
                      'project_id': 'p', 'user_id': 'u',
                      'consumer_generation': None,
                      'consumer_type': 'INSTANCE'}).raise_for_status()
    with service.engine.connect() as conn:
        roots = conn.exec_driver_sql(
            'SELECT id FROM resource_providers '
            'WHERE parent_provider_id IS NULL').scalars().all()
    return roots


@pytest.mark.parametrize('name', ['TREE_PROVIDERS', 'TREE_PROVIDERS_TRAITS',
                                  'TREE_INVENTORY', 'TREE_TRAITS',
                                  'TREE_AGGREGATES'])
def test_raw_rows_equal_sqlalchemy_rows(service, loaded, name):
    statement = getattr(trees, name)
    some = sorted(loaded)[:2]
    params = {'roots': id_list.encode(some)}
    with service.engine.connect() as conn:
        expected = sorted(tuple(row) for row in
                          conn.execute(statement, params).all())
        got = sorted(raw_rows.fetch_all(conn, statement, params))
    assert got == expected
    assert got, 'the two trees asked for have rows'
    # Only the asked-for trees: the third one's providers are absent.
    with service.engine.connect() as conn:
        everything = raw_rows.fetch_all(
            conn, statement, {'roots': id_list.encode(loaded)})
    assert len(everything) > len(got)


def _labelled_world(conn, roots, mentioned, traits_in_column):
    world = World()
    request = CandidateRequest(groups=[Group('', {'VCPU': 1})])
    param = {'roots': id_list.encode(roots)}
    trees.load_trees(conn, world, param, mentioned, traits_in_column)
    trees.load_labels(conn, world, request, param, mentioned,
                      traits_in_column)
    return world


def test_both_ways_of_reading_traits_give_the_same_world(service, loaded):
    """Traits read as one column with the providers (SQLite, MySQL) or one
    row per trait (PostgreSQL): every provider's traits listed in trait id
    order, and only the request's traits indexed."""
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        names = ['CUSTOM_Z%02d' % n for n in range(12)]
        for name in reversed(names):  # ids in the reverse name order
            c.put('/traits/%s' % name).raise_for_status()
        root = c.get('/resource_providers', params={'name': 'cn1'}).json()[
            'resource_providers'][0]
        c.put('/resource_providers/%s/traits' % root['uuid'], json={
            'resource_provider_generation': root['generation'],
            'traits': names}).raise_for_status()
    mentioned = frozenset({'HW_CPU_X86_AVX2', 'CUSTOM_Z03', 'CUSTOM_T1'})
    with service.engine.connect() as conn:
        ids = dict(conn.execute(sa.select(tables.traits.c.name,
                                          tables.traits.c.id)).all())
        column, rows = (_labelled_world(conn, loaded, mentioned, form)
                        for form in (True, False))
    assert column.trait_order == rows.trait_order
    assert column.traits == rows.traits
    assert column.with_trait == rows.with_trait
    listed = sorted(column.trait_order.values(), key=len)
    assert listed[-1] == sorted(names, key=ids.get) == names[::-1]
    assert [len(names) for names in listed] == [2, 2, 2, 12]
    assert set(column.with_trait) == {'HW_CPU_X86_AVX2', 'CUSTOM_Z03',
                                      'CUSTOM_T1'}
    assert len(column.with_trait['HW_CPU_X86_AVX2']) == 3
    assert all(traits <= mentioned for traits in column.traits.values())


def test_an_empty_id_list_matches_nothing(service, loaded):
    with service.engine.connect() as conn:
        assert raw_rows.fetch_all(conn, trees.TREE_PROVIDERS,
                                  {'roots': id_list.encode([])}) == []


def test_inventory_rows_carry_usage_and_capacity(service, loaded):
    with service.engine.connect() as conn:
        names = dict(conn.exec_driver_sql(
            'SELECT id, name FROM resource_classes').all())
        provider_ids = [r[0] for r in raw_rows.fetch_all(
            conn, trees.TREE_PROVIDERS, {'roots': id_list.encode(loaded)})]
        rows, shown = trees.inventory_of(
            conn, provider_ids, {'roots': id_list.encode(loaded)}, names,
            {'VCPU'})
    disks = sorted((used, capacity) for listed in shown.values()
                   for name, capacity, used in listed if name == 'DISK_GB')
    # capacity int((100 - 3) * 1.1) = 106
    assert disks == [(7, 106), (8, 106), (9, 106)]
    # Only the requested classes are given to the search.
    assert not any('DISK_GB' in r for r in rows.values())
    vcpus = [r['VCPU'] for r in rows.values() if 'VCPU' in r]
    assert [(v.used, v.capacity, v.max_unit, v.step_size) for v in vcpus] \
        == [(2, 128, 4, 2)] * 3


def test_database_errors_are_raised_as_sqlalchemy_errors(service):
    broken = sa.select(sa.column('nope')).select_from(
        sa.table('no_such_table'))
    with service.engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError):
            raw_rows.fetch_all(conn, broken, {})


def _count_queries(service, monkeypatch, client, params):
    """Statements one GET /allocation_candidates sends, however sent."""
    count = [0]

    def on_execute(*args):
        count[0] += 1
    real = raw_rows.fetch_all

    def counting(conn, statement, params):
        count[0] += 1
        return real(conn, statement, params)
    monkeypatch.setattr(raw_rows, 'fetch_all', counting)
    sa.event.listen(service.engine, 'before_cursor_execute', on_execute)
    try:
        response = client.get('/allocation_candidates', params=params)
    finally:
        sa.event.remove(service.engine, 'before_cursor_execute', on_execute)
        monkeypatch.setattr(raw_rows, 'fetch_all', real)
    assert response.status_code == 200, response.text
    return count[0], len(response.json()['allocation_requests'])


def _add_trees(client, start, count):
    for n in range(start, start + count):
        _, child = _tree(client, 'host%d' % n)
        client.put('/resource_providers/%s/inventories' % child, json={
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': 4}}}).raise_for_status()


@pytest.mark.parametrize('params', [
    {'resources': 'VCPU:1'},
    {'resources': 'VCPU:1', 'limit': '2'},
])
def test_queries_do_not_grow_with_the_number_of_trees(
        service, monkeypatch, params):
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        _add_trees(c, 0, 3)
        few, answers = _count_queries(service, monkeypatch, c, params)
        assert answers == int(params.get('limit', 3))
        _add_trees(c, 3, 40)
        many, answers = _count_queries(service, monkeypatch, c, params)
        assert answers == int(params.get('limit', 43))
    assert many == few


def test_older_mysql_servers_get_the_same_rows(service, loaded, monkeypatch):
    """MariaDB before 10.6 (and MySQL before 8.0) has no JSON_TABLE: the
    id list is then matched with FIND_IN_SET, with the same rows."""
    if service.engine.dialect.name != 'mysql':
        pytest.skip('a MySQL/MariaDB fallback')
    engine = sa.create_engine(service.engine.url, query_cache_size=0)
    monkeypatch.setattr(raw_rows, '_compiled', {})
    some = {'roots': id_list.encode(sorted(loaded)[:2])}
    none = {'roots': id_list.encode([])}
    try:
        with engine.connect() as conn:
            expected = {name: sorted(raw_rows.fetch_all(
                conn, getattr(trees, name), some))
                for name in ('TREE_PROVIDERS', 'TREE_PROVIDERS_TRAITS',
                             'TREE_INVENTORY', 'TREE_TRAITS',
                             'TREE_AGGREGATES')}
        monkeypatch.setattr(raw_rows, '_compiled', {})
        monkeypatch.setattr(id_list, 'json_table_supported',
                            lambda dialect: False)
        with engine.connect() as conn:
            sql = str(trees.TREE_PROVIDERS.compile(conn))
            assert 'FIND_IN_SET' in sql and 'JSON_TABLE' not in sql
            for name, rows in expected.items():
                statement = getattr(trees, name)
                assert sorted(raw_rows.fetch_all(conn, statement,
                                                 some)) == rows, name
                assert raw_rows.fetch_all(conn, statement, none) == []
    finally:
        engine.dispose()


def test_json_table_is_used_from_mysql_8_and_mariadb_10_6():
    class Dialect:
        def __init__(self, version, mariadb):
            self.server_version_info = version
            self.is_mariadb = mariadb
    assert id_list.json_table_supported(Dialect((10, 6, 1), True))
    assert not id_list.json_table_supported(Dialect((10, 5, 27), True))
    assert id_list.json_table_supported(Dialect((8, 0, 36), False))
    assert not id_list.json_table_supported(Dialect((5, 7, 44), False))
    assert id_list.json_table_supported(Dialect(None, False))


def test_a_tree_gone_between_queries_is_left_out(service, monkeypatch):
    """On PostgreSQL each query sees the database as it is when it starts:
    a tree can vanish between the roots query and the tree loads, and the
    loads after it can see providers the first one did not. Simulated
    here: the tree load 'misses' one tree (its inventory and trait rows
    still come back); the answer leaves that tree out, without a 500."""
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        c.put('/traits/CUSTOM_GONE').raise_for_status()
        roots = []
        for n in range(3):
            root, child = _tree(c, 'gone%d' % n)
            roots.append(root)
            for uuid in (root, child):
                c.put('/resource_providers/%s/inventories' % uuid, json={
                    'resource_provider_generation': 0,
                    'inventories': {'VCPU': {'total': 4}}}
                ).raise_for_status()
            c.put('/resource_providers/%s/traits' % child, json={
                'resource_provider_generation': 1,
                'traits': ['CUSTOM_GONE']}).raise_for_status()
        with service.engine.connect() as conn:
            gone = conn.execute(sa.select(tables.resource_providers.c.id)
                                .where(tables.resource_providers.c.uuid
                                       == roots[1])).scalar_one()
        real = trees.load_trees

        def missing_one(conn, world, param, *args):
            new = real(conn, world, param, *args)
            for pid in world.tree_members.pop(gone, []):
                del world.providers[pid]
                new.remove(pid)
                # Where traits come with the providers (traits_in_column),
                # a provider not read has none read either.
                world.trait_order.pop(pid, None)
                world.traits.pop(pid, None)
                for pids in world.with_trait.values():
                    pids.discard(pid)
            return new
        monkeypatch.setattr(trees, 'load_trees', missing_one)
        for params in ({'resources': 'VCPU:1'},
                       {'resources1': 'VCPU:1', 'required1': 'CUSTOM_GONE'},
                       {'resources': 'VCPU:1', 'limit': '5'}):
            response = c.get('/allocation_candidates', params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            assert roots[1] not in body['provider_summaries']
            assert roots[0] in body['provider_summaries']
            assert len(body['allocation_requests']) == (
                2 if 'required1' in params else 4)
