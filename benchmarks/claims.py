"""Claims per second with N concurrent schedulers, and a check that no
provider ended over capacity.

    .venv/bin/python -m benchmarks.claims --db postgresql --claimers 1,10,50
"""
import argparse
import concurrent.futures
import random
import threading
import time
import uuid

import httpx

from benchmarks import common

PROVIDERS = 50
VCPUS = 40


def world(client, providers=PROVIDERS, vcpus=VCPUS, prefix='claim-cn'):
    """``providers`` providers of ``vcpus`` VCPU each, made through the
    API; their uuids."""
    uuids = []
    for index in range(providers):
        rp_uuid = client.post('/resource_providers', json={
            'name': '%s%d' % (prefix, index)}).json()['uuid']
        client.put('/resource_providers/%s/inventories' % rp_uuid, json={
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': vcpus}}}).raise_for_status()
        uuids.append(rp_uuid)
    return uuids


def race(client, providers, vcpus, claimers, claimer, target):
    """Run ``claimers`` threads of ``claimer(target, counts, lock)``
    until they stop; (seconds, {status: count}, how many ``providers``
    ended with more than ``vcpus`` VCPU used, read through ``client``)."""
    counts, lock = {}, threading.Lock()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(claimers) as pool:
        for future in [pool.submit(claimer, target, counts, lock)
                       for _ in range(claimers)]:
            future.result()
    elapsed = time.monotonic() - started
    over = sum(1 for rp in providers
               if client.get('/resource_providers/%s/usages' % rp)
               .json()['usages'].get('VCPU', 0) > vcpus)
    return elapsed, counts, over


def _claimer(url, counts, lock):
    with httpx.Client(base_url=url, headers=common.HEADERS,
                      timeout=120) as client:
        while True:
            found = client.get('/allocation_candidates', params={
                'resources': 'VCPU:1', 'limit': '20'}).json()
            if not found['allocation_requests']:
                return
            choice = random.choice(found['allocation_requests'])
            response = client.put('/allocations/%s' % uuid.uuid4(), json={
                'allocations': choice['allocations'], 'project_id': 'p',
                'user_id': 'u', 'consumer_generation': None,
                'consumer_type': 'INSTANCE'})
            with lock:
                counts[response.status_code] = counts.get(
                    response.status_code, 0) + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--db', default='sqlite',
                        choices=['sqlite', 'postgresql', 'mysql'])
    parser.add_argument('--claimers', default='1,10,50')
    parser.add_argument('--workers', type=int, default=4)
    args = parser.parse_args()
    print('| db | claimers | claims | claims/s | 409s | other | '
          'oversubscribed providers |')
    print('|---|---|---|---|---|---|---|')
    for claimers in [int(n) for n in args.claimers.split(',')]:
        with common.served(args.db, args.workers) as server:
            with httpx.Client(base_url=server.url,
                              headers=common.HEADERS) as client:
                providers = world(client)
                elapsed, counts, over = race(client, providers, VCPUS,
                                             claimers, _claimer, server.url)
        accepted = counts.get(204, 0)
        other = sum(v for k, v in counts.items() if k not in (204, 409))
        print('| %s | %d | %d | %.0f | %d | %d | %d |' % (
            args.db, claimers, accepted, accepted / elapsed,
            counts.get(409, 0), other, over), flush=True)


if __name__ == '__main__':
    main()
