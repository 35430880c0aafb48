"""[placement_database] slave_connection on a real PostgreSQL streaming
replica (scripts/pg-replica): candidates come from the replica, and claims
built from candidates the replica's lag has made stale are refused (409),
never taking a provider over capacity."""
import concurrent.futures
import random
import threading
import time
import uuid

import httpx
import psycopg
import pytest

from tests.cluster import support

pytestmark = support.skip_unless_wanted

LIMIT_SECONDS = 120


@pytest.fixture(scope='module')
def servers():
    # (The script's start is bounded on its own.)
    with support.script_cluster('pg-replica') as description:
        yield description


def _connect(url, dbname='postgres'):
    host_port = url.rsplit('@', 1)[1]
    host, port = host_port.split(':')
    return psycopg.connect(host=host, port=int(port), user='postgres',
                           dbname=dbname, autocommit=True)


def _lsn(conn, function):
    return conn.execute('SELECT %s()' % function).fetchone()[0]


def wait_replayed(primary, replica, timeout=20):
    """The replica has replayed everything the primary has written."""
    target = _lsn(primary, 'pg_current_wal_insert_lsn')
    deadline = time.monotonic() + timeout
    while True:
        if replica.execute('SELECT pg_last_wal_replay_lsn() >= %s',
                           [target]).fetchone()[0]:
            return
        if time.monotonic() > deadline:
            raise AssertionError('replica did not catch up')
        time.sleep(0.05)


def names(found):
    return sorted(found.json()['provider_summaries'])


def claim(client, allocations):
    return client.put('/allocations/%s' % uuid.uuid4(), json={
        'allocations': allocations, 'project_id': 'p', 'user_id': 'u',
        'consumer_generation': None, 'consumer_type': 'INSTANCE'})


@pytest.fixture(scope='module')
def served(servers):
    primary_url = servers['primary']['url']
    replica_url = servers['replica']['url']
    with _connect(primary_url) as conn:
        conn.execute('CREATE DATABASE placement')
    support.manage(primary_url + '/placement', 'db', 'sync')
    primary = _connect(primary_url, 'placement')
    replica = _connect(replica_url, 'placement')
    server = support.ApiServer(
        primary_url + '/placement', workers=2,
        extra_conf='slave_connection = %s/placement\n' % replica_url)
    try:
        yield server, primary, replica
    finally:
        server.stop()
        primary.close()
        replica.close()


def test_candidates_come_from_the_replica(served):
    server, primary, replica = served
    with support.time_limit(LIMIT_SECONDS), httpx.Client(
            base_url=server.url, headers=support.HEADERS,
            timeout=30) as client:
        first, = support.make_providers(client, 'before-pause', 1,
                                        {'VCPU': {'total': 2}})
        wait_replayed(primary, replica)
        found = client.get('/allocation_candidates',
                           params={'resources': 'VCPU:1'})
        assert names(found) == [first]

        replica.execute('SELECT pg_wal_replay_pause()')
        try:
            second, = support.make_providers(client, 'during-pause', 1,
                                             {'VCPU': {'total': 2}})
            # The primary answers everything but the replica's requests.
            assert client.get('/resource_providers/%s' % second) \
                .status_code == 200
            assert client.get('/resource_providers/%s/inventories'
                              % second).status_code == 200
            found = client.get('/allocation_candidates',
                               params={'resources': 'VCPU:1'})
            assert names(found) == [first]
            assert client.get('/resource_providers/%s/tree' % second) \
                .status_code == 404
            assert client.get('/capacity').json()['resource_classes'][
                'VCPU']['providers'] == 1
            explained = client.get('/allocation_candidates/explain',
                                   params={'resources': 'VCPU:1'}).json()
            # "Every resource provider": one, on the replica.
            assert explained['groups'][0]['funnels'][0]['steps'][0][
                'providers'] == 1

            # Claims under lag: the replica goes on offering the first
            # provider's 2 VCPUs after a claim took both; claims from that
            # stale candidate are refused by the capacity check.
            allocations = found.json()['allocation_requests'][0][
                'allocations']
            taken = claim(client, {first: {'resources': {'VCPU': 2}}})
            assert taken.status_code == 204, taken.text
            stale = client.get('/allocation_candidates',
                               params={'resources': 'VCPU:1'})
            assert names(stale) == [first]
            refused = claim(client, allocations)
            assert refused.status_code == 409, refused.text
            assert 'exceed the capacity' in refused.json()['errors'][0][
                'detail']
        finally:
            replica.execute('SELECT pg_wal_replay_resume()')
        wait_replayed(primary, replica)
        found = client.get('/allocation_candidates',
                           params={'resources': 'VCPU:1'})
        assert names(found) == [second]
        assert client.get('/resource_providers/%s/usages' % first).json()[
            'usages'] == {'VCPU': 2}


def _claimer(url, accepted, statuses, lock, deadline):
    with httpx.Client(base_url=url, headers=support.HEADERS,
                      timeout=30) as client:
        while time.monotonic() < deadline:
            found = client.get('/allocation_candidates',
                               params={'resources': 'VCPU:1', 'limit': '3'})
            with lock:
                statuses[('candidates', found.status_code)] = statuses.get(
                    ('candidates', found.status_code), 0) + 1
            if found.status_code != 200:
                return
            requests = found.json()['allocation_requests']
            if not requests:
                return
            consumer = str(uuid.uuid4())
            choice = random.choice(requests)
            response = client.put('/allocations/%s' % consumer, json={
                'allocations': choice['allocations'],
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': None, 'consumer_type': 'INSTANCE'})
            with lock:
                key = ('claim', response.status_code)
                statuses[key] = statuses.get(key, 0) + 1
                if response.status_code == 204:
                    accepted[consumer] = choice['allocations']


@pytest.mark.parametrize('paused', [False, True], ids=['streaming', 'paused'])
def test_concurrent_claims_under_lag(served, paused):
    """20 claimers taking candidates from the replica, as it streams or
    with its replay paused (every candidate but the first claim's stale):
    every refusal a 409, no provider over capacity, every accepted claim
    held on the primary."""
    server, primary, replica = served
    with support.time_limit(LIMIT_SECONDS), httpx.Client(
            base_url=server.url, headers=support.HEADERS,
            timeout=30) as client:
        providers = support.make_providers(
            client, 'lag-%s' % paused, 3, {'VCPU': {'total': 5}})
        wait_replayed(primary, replica)
        if paused:
            replica.execute('SELECT pg_wal_replay_pause()')
        accepted, statuses, lock = {}, {}, threading.Lock()
        deadline = time.monotonic() + (5 if paused else 60)
        try:
            with concurrent.futures.ThreadPoolExecutor(20) as pool:
                for future in [pool.submit(_claimer, server.url, accepted,
                                           statuses, lock, deadline)
                               for _ in range(20)]:
                    future.result()
        finally:
            if paused:
                replica.execute('SELECT pg_wal_replay_resume()')
        print(sorted(statuses.items()))
        assert set(status for _, status in statuses) <= {200, 204, 409}
        everything = [rp['uuid'] for rp in client.get(
            '/resource_providers').json()['resource_providers']]
        assert support.over_capacity(client, everything) == []
        held = support.allocations_seen(client, everything)
        for consumer, allocations in accepted.items():
            assert held[consumer] == {rp: entry['resources'] for rp, entry
                                      in allocations.items()}
        used = sum(client.get('/resource_providers/%s/usages' % rp).json()[
            'usages'].get('VCPU', 0) for rp in providers)
        if paused:
            # The stale candidates kept offering room that was gone.
            assert statuses.get(('claim', 409), 0) > 0
            assert used <= 15
        else:
            assert used == 15  # everything was claimed
