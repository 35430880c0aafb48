"""GET /resource_providers/{uuid}/tree and GET /capacity read with a fixed
number of statements, whatever the size of the tree or the cloud."""
import contextlib
import uuid

import httpx
import pytest
import sqlalchemy as sa

HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39',
           'accept': 'application/json'}
AGG = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'


@pytest.fixture
def client(service):
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        yield c


def _ok(response):
    assert response.status_code < 300, response.text
    return response


@contextlib.contextmanager
def counting(engine):
    """Count the statements sent (every one, BEGIN included)."""
    sent = []

    def on_execute(conn, cursor, statement, *args):
        sent.append(statement)
    sa.event.listen(engine, 'before_cursor_execute', on_execute)
    try:
        yield sent
    finally:
        sa.event.remove(engine, 'before_cursor_execute', on_execute)


def _selects(sent):
    return [s for s in sent if s.lstrip().upper().startswith('SELECT')]


def build_tree(client, name, size):
    """A tree of ``size`` providers (a root, children, grandchildren),
    each with inventory, a trait and an aggregate, and allocations on
    every provider. Returns the root's uuid."""
    _ok(client.put('/traits/CUSTOM_LOADED'))
    uuids = []
    for index in range(size):
        body = {'name': '%s-%d' % (name, index), 'uuid': str(uuid.uuid4())}
        if index:
            # Children of the root, then grandchildren of those.
            body['parent_provider_uuid'] = uuids[0 if index < 8
                                                 else index % 7 + 1]
        _ok(client.post('/resource_providers', json=body))
        uuids.append(body['uuid'])
        gen = _ok(client.put(
            '/resource_providers/%s/inventories' % body['uuid'], json={
                'resource_provider_generation': 0, 'inventories': {
                    'VCPU': {'total': 8, 'allocation_ratio': 2.0},
                    'MEMORY_MB': {'total': 2048}}})).json()[
            'resource_provider_generation']
        gen = _ok(client.put(
            '/resource_providers/%s/traits' % body['uuid'], json={
                'resource_provider_generation': gen,
                'traits': ['CUSTOM_LOADED', 'HW_CPU_X86_AVX2']})).json()[
            'resource_provider_generation']
        _ok(client.put(
            '/resource_providers/%s/aggregates' % body['uuid'], json={
                'resource_provider_generation': gen, 'aggregates': [AGG]}))
        _ok(client.put('/allocations/%s' % uuid.uuid4(), json={
            'allocations': {body['uuid']: {'resources': {
                'VCPU': 1, 'MEMORY_MB': 64}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
            'consumer_type': 'INSTANCE'}))
    return uuids


def _tree_statements(service, client, rp_uuid):
    with counting(service.engine) as sent:
        body = _ok(client.get('/resource_providers/%s/tree' % rp_uuid)).json()
    return _selects(sent), body


def _count(node):
    return 1 + sum(_count(child) for child in node['children'])


def test_tree_reads_a_fixed_number_of_statements(service, client):
    alone = build_tree(client, 'alone', 1)
    big = build_tree(client, 'big', 50)
    small_selects, small = _tree_statements(service, client, alone[0])
    big_selects, body = _tree_statements(service, client, big[-1])
    assert small['provider_count'] == _count(small['root']) == 1
    assert body['provider_count'] == _count(body['root']) == 50
    assert body['root']['uuid'] == big[0]
    assert len(body['root']['children']) == 7
    assert body['root']['inventories']['VCPU'] == {
        'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 2147483647,
        'step_size': 1, 'allocation_ratio': 2.0, 'capacity': 16, 'used': 1,
        'free': 15}
    assert body['root']['consumer_count'] == 1
    assert body['root']['traits'] == ['CUSTOM_LOADED', 'HW_CPU_X86_AVX2']
    assert len(small_selects) == len(big_selects) <= 6, big_selects


def test_capacity_reads_a_fixed_number_of_statements(service, client):
    query = {'resources': 'VCPU:2,MEMORY_MB:128', 'group_by': 'aggregate',
             'method': 'tree', 'member_of': AGG,
             'required': 'CUSTOM_LOADED', 'resource_class': 'VCPU'}
    build_tree(client, 'first', 1)
    counts = []
    for size in (0, 30):
        if size:
            build_tree(client, 'more', size)
        with counting(service.engine) as sent:
            body = _ok(client.get('/capacity', params=query)).json()
        counts.append(len(_selects(sent)))
    assert body['resource_classes']['VCPU']['providers'] == 31
    # Each provider: min(15 // 2, 1984 // 128) = 7; each tree the sum.
    assert body['fits']['count'] == 31 * 7
    assert counts[0] == counts[1], counts
