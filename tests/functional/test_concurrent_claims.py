"""Many schedulers claiming at once against a real multi-worker gunicorn:
no provider ever goes over capacity, every accepted claim is stored, and
every refusal is a 409."""
import concurrent.futures
import random
import threading
import uuid

import httpx
import pytest

from tests import dbs
from tests.functional.server import GunicornServer

CLAIMERS = 24
PROVIDERS = 4
VCPUS_PER_PROVIDER = 12
HEADERS = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39',
           'accept': 'application/json'}


@pytest.fixture
def server():
    database = dbs.TestDatabase()
    srv = GunicornServer(database.url, workers=4)
    yield srv
    srv.stop()
    database.drop()


def _make_world(client):
    providers = []
    for index in range(PROVIDERS):
        rp = client.post('/resource_providers', json={'name': 'cn%d' % index})
        assert rp.status_code == 200, rp.text
        rp_uuid = rp.json()['uuid']
        inv = client.put('/resource_providers/%s/inventories' % rp_uuid, json={
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': VCPUS_PER_PROVIDER}}})
        assert inv.status_code == 200, inv.text
        providers.append(rp_uuid)
    return providers


def _claimer(url, accepted, refused, unexpected, lock):
    """Claim 1 VCPU at a time until no candidate is left."""
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as client:
        while True:
            found = client.get('/allocation_candidates',
                               params={'resources': 'VCPU:1', 'limit': '10'})
            if found.status_code != 200:
                with lock:
                    unexpected.append(('GET', found.status_code, found.text))
                return
            requests = found.json()['allocation_requests']
            if not requests:
                return
            choice = random.choice(requests)
            consumer = str(uuid.uuid4())
            claim = client.put('/allocations/%s' % consumer, json={
                'allocations': choice['allocations'],
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': None, 'consumer_type': 'INSTANCE'})
            with lock:
                if claim.status_code == 204:
                    accepted[consumer] = next(iter(choice['allocations']))
                elif claim.status_code == 409:
                    error = claim.json()['errors'][0]
                    refused.append((error['code'], error['detail']))
                else:
                    unexpected.append(('PUT', claim.status_code, claim.text))


def test_concurrent_claims_never_oversubscribe(server):
    with httpx.Client(base_url=server.url, headers=HEADERS) as client:
        providers = _make_world(client)
        accepted, refused, unexpected = {}, [], []
        lock = threading.Lock()
        with concurrent.futures.ThreadPoolExecutor(CLAIMERS) as pool:
            futures = [pool.submit(_claimer, server.url, accepted, refused,
                                   unexpected, lock)
                       for _ in range(CLAIMERS)]
            for future in futures:
                future.result()

        assert unexpected == [], server.logs()
        # A refusal is either a lost race or a provider filled meanwhile.
        for code, detail in refused:
            assert (code == 'placement.concurrent_update'
                    or 'would exceed the capacity' in detail), detail
        # Capacity is used up exactly, and never exceeded.
        assert len(accepted) == PROVIDERS * VCPUS_PER_PROVIDER
        for rp_uuid in providers:
            usages = client.get('/resource_providers/%s/usages' % rp_uuid)
            assert usages.json()['usages']['VCPU'] == VCPUS_PER_PROVIDER
        # Every accepted claim is in the database, where it was claimed.
        for consumer, rp_uuid in accepted.items():
            held = client.get('/allocations/%s' % consumer).json()
            assert held['allocations'] == {rp_uuid: {
                'resources': {'VCPU': 1}, 'generation': held['allocations'][
                    rp_uuid]['generation']}}
