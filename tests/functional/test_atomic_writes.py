"""A failure midway through a multi-part write leaves nothing behind:
POST /allocations and the reshaper are all or nothing."""
import uuid

import httpx
import pytest

from placement import allocations

HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39'}
SERVICE = {'x-auth-token': 'nova', 'x-roles': 'service',
           'openstack-api-version': 'placement 1.39'}


@pytest.fixture
def client(service):
    with httpx.Client(transport=httpx.WSGITransport(app=service.app),
                      base_url='http://placement', headers=HEADERS) as c:
        yield c


def _provider(client, name, vcpu):
    rp = client.post('/resource_providers', json={'name': name}).json()
    client.put('/resource_providers/%s/inventories' % rp['uuid'], json={
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': vcpu}}}).raise_for_status()
    return rp['uuid']


def _snapshot(client, providers, consumers):
    return ([client.get('/resource_providers/%s/usages' % p).json()
             for p in providers],
            [client.get('/allocations/%s' % c).json() for c in consumers])


class Boom(Exception):
    pass


def _fail_after_insert(monkeypatch):
    """Blow up after the allocation rows are written, before commit."""
    def explode(*args, **kwargs):
        raise Boom()
    monkeypatch.setattr(allocations, '_check_capacity', explode)


def test_post_allocations_is_all_or_nothing(client, monkeypatch):
    rp = _provider(client, 'cn', 8)
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    client.put('/allocations/%s' % old, json={
        'allocations': {rp: {'resources': {'VCPU': 2}}}, 'project_id': 'p',
        'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'}).raise_for_status()
    before = _snapshot(client, [rp], [old, new])
    _fail_after_insert(monkeypatch)
    body = {consumer: {'allocations': {rp: {'resources': {'VCPU': 1}}},
                       'project_id': 'p', 'user_id': 'u',
                       'consumer_generation': gen,
                       'consumer_type': 'MIGRATION'}
            for consumer, gen in ((old, 1), (new, None))}
    # The app turns the failure into a 500; the transaction is rolled back.
    assert client.post('/allocations', json=body).status_code == 500
    monkeypatch.undo()
    assert _snapshot(client, [rp], [old, new]) == before


def test_reshape_is_all_or_nothing(client, monkeypatch):
    root = _provider(client, 'root', 8)
    child = client.post('/resource_providers', json={
        'name': 'numa', 'parent_provider_uuid': root}).json()['uuid']
    consumer = str(uuid.uuid4())
    client.put('/allocations/%s' % consumer, json={
        'allocations': {root: {'resources': {'VCPU': 2}}}, 'project_id': 'p',
        'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'}).raise_for_status()
    before = _snapshot(client, [root, child], [consumer])
    inventories_before = [client.get('/resource_providers/%s/inventories'
                                     % p).json() for p in (root, child)]
    gen = {p: client.get('/resource_providers/%s' % p).json()['generation']
           for p in (root, child)}
    _fail_after_insert(monkeypatch)
    assert client.post('/reshaper', headers=SERVICE, json={
            'inventories': {
                root: {'resource_provider_generation': gen[root],
                       'inventories': {}},
                child: {'resource_provider_generation': gen[child],
                        'inventories': {'VCPU': {'total': 8}}}},
            'allocations': {consumer: {
                'allocations': {child: {'resources': {'VCPU': 2}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': 1, 'consumer_type': 'INSTANCE'}}},
    ).status_code == 500
    monkeypatch.undo()
    assert _snapshot(client, [root, child], [consumer]) == before
    assert [client.get('/resource_providers/%s/inventories' % p).json()
            for p in (root, child)] == inventories_before


def test_a_consumer_created_meanwhile_refuses_the_write(client, monkeypatch):
    """Two writers create the same new consumer: the one whose insert
    meets the other's row answers 409 and writes nothing (its
    transaction ends there: there is no savepoint to go on from)."""
    from placement import consumers
    rp = _provider(client, 'cn', 8)
    consumer = str(uuid.uuid4())
    body = {'allocations': {rp: {'resources': {'VCPU': 2}}},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
            'consumer_type': 'INSTANCE'}
    client.put('/allocations/%s' % consumer, json=body).raise_for_status()
    before = _snapshot(client, [rp], [consumer])
    # The second writer read no consumer before the first one committed.
    monkeypatch.setattr(consumers, 'get', lambda conn, uuid: None)
    late = client.put('/allocations/%s' % consumer, json=dict(
        body, allocations={rp: {'resources': {'VCPU': 5}}}))
    assert late.status_code == 409, late.text
    assert 'consumer generation conflict - expected 1 but got None' in \
        late.json()['errors'][0]['detail']
    monkeypatch.undo()
    assert _snapshot(client, [rp], [consumer]) == before
    assert client.get('/resource_providers/%s' % rp).json()[
        'generation'] == 2  # the first write's bump only
