"""An SDK-style suite run against a Placement test cloud.

It uses only the fixtures of the placement-testcloud pytest plugin: the
cloud is started once per session and reset to a known scenario before
every test, so tests may change anything they like.
"""
import time

import pytest

from placement.testcloud.handle import TestCloud

NEWEST_KNOWN = (1, 39)   # the newest microversion this "SDK" speaks


def negotiate(session):
    """What an SDK does first: the highest version both sides speak."""
    served = session.get('/').json()['versions'][0]['max_version']
    served = tuple(int(part) for part in served.split('.'))
    return '%d.%d' % min(served, NEWEST_KNOWN)


def at(version):
    return {'openstack-api-version': 'placement %s' % version}


def put_allocations(session, consumer, body, version, attempts=3):
    """Write a consumer's allocations, retrying a generation conflict the
    way a client should: read the consumer again, then write again."""
    for attempt in range(attempts):
        response = session.put('/allocations/%s' % consumer, json=body,
                               headers=at(version))
        if response.status_code != 409 or response.json()['errors'][0][
                'code'] != 'placement.concurrent_update':
            return response
        current = session.get('/allocations/%s' % consumer,
                              headers=at(version)).json()
        body['consumer_generation'] = current.get('consumer_generation')
    return response


def test_negotiation_picks_the_newest_common_version(placement_session):
    assert negotiate(placement_session) == '1.39'


def test_compute_nodes_with_room(placement_session, placement_cloud):
    response = placement_session.get(
        '/resource_providers', params={
            'resources': 'VCPU:8,MEMORY_MB:16384',
            'required': 'HW_CPU_X86_AVX2',
            'member_of': placement_cloud.uuid('az-1')},
        headers=at('1.39'))
    names = {rp['name'] for rp in response.json()['resource_providers']}
    assert names == {'compute-0', 'compute-1'}


@pytest.mark.testcloud_scenario('numa')
def test_pinned_cpus_come_from_one_numa_node(placement_session,
                                             placement_cloud):
    response = placement_session.get('/allocation_candidates', params={
        'resources1': 'PCPU:6,MEMORY_MB:4096', 'group_policy': 'none',
        'root_required': 'HW_NUMA_ROOT'}, headers=at('1.39'))
    assert response.status_code == 200
    requests = response.json()['allocation_requests']
    # numa-compute-0_NUMA0 has 4 of its 8 PCPUs taken: 3 NUMA nodes fit.
    providers = {next(iter(r['allocations'])) for r in requests}
    assert placement_cloud.uuid('numa-compute-0_NUMA0') not in providers
    assert len(providers) == 3


def test_claim_then_the_next_test_starts_clean(placement_session,
                                               placement_cloud):
    consumer = '11111111-2222-3333-4444-555555555555'
    response = put_allocations(placement_session, consumer, {
        'allocations': {placement_cloud.uuid('compute-2'): {
            'resources': {'VCPU': 4, 'MEMORY_MB': 4096}}},
        'project_id': 'sdk-project', 'user_id': 'sdk-user',
        'consumer_generation': None, 'consumer_type': 'INSTANCE'}, '1.39')
    assert response.status_code == 204
    usages = placement_session.get(
        '/usages', params={'project_id': 'sdk-project'},
        headers=at('1.39')).json()['usages']
    assert usages['INSTANCE'] == {'VCPU': 4, 'MEMORY_MB': 4096,
                                  'consumer_count': 1}


def test_reset_removed_the_claim(placement_session):
    usages = placement_session.get(
        '/usages', params={'project_id': 'sdk-project'},
        headers=at('1.39')).json()['usages']
    assert usages == {}


def test_migration_record_holds_the_source_allocations(placement_session,
                                                       placement_cloud):
    migration = placement_session.get(
        '/allocations/%s' % placement_cloud.uuid('flat-migration-0'),
        headers=at('1.38')).json()
    assert migration['consumer_type'] == 'MIGRATION'
    assert list(migration['allocations']) == [
        placement_cloud.uuid('compute-1')]


def test_retry_after_a_generation_conflict(placement_session,
                                           placement_cloud):
    placement_cloud.faults(conflicts=1)
    consumer = placement_cloud.uuid('flat-vm-0')
    current = placement_session.get('/allocations/%s' % consumer,
                                    headers=at('1.38')).json()
    response = put_allocations(placement_session, consumer, {
        'allocations': {placement_cloud.uuid('compute-0'): {
            'resources': {'VCPU': 1, 'MEMORY_MB': 1024}}},
        'project_id': current['project_id'], 'user_id': current['user_id'],
        'consumer_generation': current['consumer_generation'],
        'consumer_type': 'INSTANCE'}, '1.38')
    assert response.status_code == 204
    assert placement_cloud.status()['faults']['conflicts'] == 0


def test_back_off_while_unavailable(placement_session, placement_cloud):
    placement_cloud.faults(unavailable=2)
    statuses = []
    for attempt in range(5):
        statuses.append(placement_session.get('/').status_code)
        if statuses[-1] != 503:
            break
        time.sleep(0.01 * 2 ** attempt)
    assert statuses == [503, 503, 200]


def test_latency_is_visible_to_the_client(placement_session,
                                          placement_cloud):
    placement_cloud.faults(latency_ms=200)
    started = time.monotonic()
    placement_session.get('/resource_providers')
    assert time.monotonic() - started >= 0.2


def test_an_old_cloud_gets_an_old_request():
    """A second cloud, with Queens' ceiling, for the negotiation path."""
    with TestCloud.start(scenario='flat', release='queens') as queens:
        import httpx
        with httpx.Client(base_url=queens.endpoint,
                          headers={'x-auth-token': queens.token}) as session:
            assert negotiate(session) == '1.17'
            refused = session.get('/resource_providers', headers=at('1.29'))
            assert refused.status_code == 406
            assert refused.json()['errors'][0]['max_version'] == '1.17'
            assert session.get('/resource_providers',
                               headers=at('1.17')).status_code == 200
