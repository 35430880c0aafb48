"""[placement_database] slave_connection: which requests read the replica.

The "replica" here is a second database that nothing replicates into, so
whatever a request answers shows which database it read: candidates and
the read-only operator views read the replica, every other request and
every write the primary. tests/cluster/test_replica.py does the same with
a real PostgreSQL streaming replica."""
import uuid

import pytest

from placement import app
from placement.db import sync
from placement.db import engine as db_engine
from tests import dbs
from tests.functional import app as test_app
from tests.functional.client import admin_client


@pytest.fixture
def replica_db():
    database = dbs.TestDatabase()
    engine = db_engine.create_engine(
        test_app.make_conf(database.url).placement_database)
    sync.upgrade(engine)
    sync.sync_standard_names(engine)  # as replication would bring them
    engine.dispose()
    yield database
    database.drop()


@pytest.fixture
def primary(replica_db):
    service = test_app.Service(
        {('placement_database', 'slave_connection'): replica_db.url})
    yield service
    service.close()


@pytest.fixture
def replica(replica_db):
    """The replica database served on its own, to put a stale copy of
    the primary's data there."""
    conf = test_app.make_conf(replica_db.url)
    engine = db_engine.create_engine(conf.placement_database)
    service = type('ReplicaService', (), {})()
    service.app = app.build_app(conf, engine)
    yield service
    engine.dispose()


def make_provider(client, rp_uuid, vcpus):
    response = client.post('/resource_providers', json={
        'name': 'cn-%s' % rp_uuid[:8], 'uuid': rp_uuid})
    assert response.status_code == 200, response.text
    response = client.put('/resource_providers/%s/inventories' % rp_uuid,
                          json={'resource_provider_generation': 0,
                                'inventories': {'VCPU': {'total': vcpus}}})
    assert response.status_code == 200, response.text


def claim(client, rp_uuid):
    return client.put('/allocations/%s' % uuid.uuid4(), json={
        'allocations': {rp_uuid: {'resources': {'VCPU': 1}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'})


def test_candidates_and_operator_views_read_the_replica(primary):
    rp_uuid = str(uuid.uuid4())
    with admin_client(primary) as client:
        make_provider(client, rp_uuid, 4)
        # Everything else, and writes, use the primary ...
        assert client.get('/resource_providers/%s' % rp_uuid) \
            .status_code == 200
        assert len(client.get('/resource_providers').json()[
            'resource_providers']) == 1
        assert claim(client, rp_uuid).status_code == 204
        assert client.get('/resource_providers/%s/usages' % rp_uuid).json()[
            'usages'] == {'VCPU': 1}
        # ... the candidate search and the read-only views the replica,
        # where the provider is not (yet).
        found = client.get('/allocation_candidates',
                           params={'resources': 'VCPU:1'})
        assert found.status_code == 200
        assert found.json()['allocation_requests'] == []
        assert client.get('/resource_providers/%s/tree' % rp_uuid) \
            .status_code == 404
        explained = client.get('/allocation_candidates/explain',
                               params={'resources': 'VCPU:1'})
        assert explained.status_code == 200, explained.text
        assert explained.json()['providers'] == []
        assert client.get('/capacity').json() == {'resource_classes': {}}


def test_without_a_replica_candidates_read_the_primary():
    service = test_app.Service()
    try:
        rp_uuid = str(uuid.uuid4())
        with admin_client(service) as client:
            make_provider(client, rp_uuid, 4)
            found = client.get('/allocation_candidates',
                               params={'resources': 'VCPU:1'}).json()
            assert list(found['provider_summaries']) == [rp_uuid]
            assert client.get('/resource_providers/%s/tree' % rp_uuid) \
                .status_code == 200
            assert client.get('/capacity').json()['resource_classes'][
                'VCPU']['capacity'] == 4
    finally:
        service.close()


def test_a_stale_candidate_is_refused(primary, replica):
    """The replica still shows a provider's last VCPU free after the
    primary gave it away: the claim built from that candidate is a 409 and
    the provider is not over capacity."""
    rp_uuid = str(uuid.uuid4())
    with admin_client(primary) as client, admin_client(replica) as stale:
        make_provider(client, rp_uuid, 1)
        make_provider(stale, rp_uuid, 1)
        assert claim(client, rp_uuid).status_code == 204
        found = client.get('/allocation_candidates',
                           params={'resources': 'VCPU:1'}).json()
        assert [list(r['allocations']) for r in found[
            'allocation_requests']] == [[rp_uuid]]  # stale: still free
        refused = claim(client, rp_uuid)
        assert refused.status_code == 409, refused.text
        assert 'exceed' in refused.json()['errors'][0]['detail']
        assert client.get('/resource_providers/%s/usages' % rp_uuid).json()[
            'usages'] == {'VCPU': 1}
