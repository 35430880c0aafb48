"""Direct seeding and loading over HTTP give the same cloud, on every
database (PLACEMENT_TEST_DB), as read back through the API."""
import pytest

from placement.testcloud import http_client, http_load, seed, snapshot
from placement.testcloud import scenario as scenario_mod
from tests.functional import app as test_app


@pytest.fixture
def services():
    made = []

    def make():
        made.append(test_app.Service())
        return made[-1]
    yield make
    for service in made:
        service.close()


@pytest.mark.parametrize('name', scenario_mod.builtin_names())
def test_http_load_equals_direct_seeding(services, name):
    loaded = scenario_mod.load(name)
    seeded, over_http = services(), services()
    seed.seed(seeded.engine, loaded)
    assert http_load.load(http_client.Client(app=over_http.app),
                          loaded) == (1, 39)
    direct = snapshot.snapshot(http_client.Client(app=seeded.app))
    via_api = snapshot.snapshot(http_client.Client(app=over_http.app))
    assert direct == via_api
    # And the state is the scenario's, not merely equal.
    assert sorted(direct['providers']) == sorted(
        p.uuid for p in loaded.providers)
    assert sorted(direct['consumers']) == sorted(
        c.uuid for c in loaded.consumers)


def test_seeded_state_reads_as_written(services):
    loaded = scenario_mod.load('mixed')
    service = services()
    seed.seed(service.engine, loaded)
    client = http_client.Client(app=service.app, version='1.39')
    index = loaded.index()
    migration = client.get('/allocations/%s' % index['consumers'][
        'flat-migration-0']).json()
    assert migration['consumer_type'] == 'MIGRATION'
    assert migration['consumer_generation'] == 1
    legacy = client.get('/allocations/%s' % index['consumers'][
        'flat-vm-1']).json()
    assert legacy['consumer_type'] == 'unknown'
    child = client.get('/resource_providers/%s' % index['providers'][
        'numa-compute-0_NUMA0']).json()
    assert child['parent_provider_uuid'] == index['providers'][
        'numa-compute-0']
    # Created, then inventories and traits written: generation 2; then
    # one allocation: 3.
    assert child['generation'] == 3
    pool = index['providers']['shared-storage-pool']
    sharing = client.get('/resource_providers?member_of=%s&required='
                         'MISC_SHARES_VIA_AGGREGATE'
                         % index['aggregates']['shared-storage']).json()
    assert [rp['uuid'] for rp in sharing['resource_providers']] == [pool]
    candidates = client.get(
        '/allocation_candidates?resources=VCPU:1,DISK_GB:10'
        '&member_of=%s' % index['aggregates']['shared-storage']).json()
    assert candidates['allocation_requests']
    assert all(pool in r['allocations']
               for r in candidates['allocation_requests'])


def test_load_refuses_a_server_too_old_for_the_scenario(services):
    service = services()
    client = http_client.Client(app=service.app)

    class Old:
        def request(self, method, path, **kwargs):
            response = client.request(method, path, **kwargs)
            if path == '/':
                response.body = (b'{"versions": [{"max_version": "1.10", '
                                 b'"min_version": "1.0"}]}')
            return response
    with pytest.raises(http_load.LoadError, match='needs microversion 1.14'):
        http_load.load(Old(), scenario_mod.load('numa'))


def test_load_into_a_non_empty_cloud_says_what_failed(services):
    service = services()
    client = http_client.Client(app=service.app)
    http_load.load(client, scenario_mod.load('flat'))
    with pytest.raises(http_load.LoadError,
                       match='POST /resource_providers answered 409'):
        http_load.load(client, scenario_mod.load('flat'))
