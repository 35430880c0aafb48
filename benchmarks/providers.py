"""Load providers through the HTTP API, then time GET /resource_providers
with each filter.

    .venv/bin/python -m benchmarks.providers --db sqlite --count 10000
"""
import argparse
import concurrent.futures
import time
import uuid

import httpx

from benchmarks import common

AGGS = [str(uuid.uuid4()) for _ in range(10)]


def _load_one(client, index):
    """One compute node (with a child every tenth) the way an agent would."""
    rp = client.post('/resource_providers', json={'name': 'cn%d' % index})
    rp.raise_for_status()
    rp_uuid = rp.json()['uuid']
    gen = client.put('/resource_providers/%s/inventories' % rp_uuid, json={
        'resource_provider_generation': 0, 'inventories': {
            'VCPU': {'total': 64, 'allocation_ratio': 4.0},
            'MEMORY_MB': {'total': 262144},
            'DISK_GB': {'total': 2000}}}).json()['resource_provider_generation']
    traits = ['HW_CPU_X86_AVX2'] if index % 2 else ['HW_CPU_X86_SSE']
    gen = client.put('/resource_providers/%s/traits' % rp_uuid, json={
        'resource_provider_generation': gen,
        'traits': traits}).json()['resource_provider_generation']
    client.put('/resource_providers/%s/aggregates' % rp_uuid, json={
        'resource_provider_generation': gen,
        'aggregates': [AGGS[index % len(AGGS)]]}).raise_for_status()
    if index % 10 == 0:
        client.post('/resource_providers', json={
            'name': 'cn%d-nic' % index,
            'parent_provider_uuid': rp_uuid}).raise_for_status()
    return rp_uuid


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--db', default='sqlite',
                        choices=['sqlite', 'postgresql', 'mysql'])
    parser.add_argument('--count', type=int, default=10000)
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--threads', type=int, default=16)
    parser.add_argument('--runs', type=int, default=20)
    args = parser.parse_args()
    with common.served(args.db, args.workers) as server:
        client = httpx.Client(base_url=server.url, headers=common.HEADERS,
                              timeout=120, limits=httpx.Limits(
                                  max_connections=args.threads))
        started = time.monotonic()
        server_cpu, client_cpu = server.cpu_seconds(), time.process_time()
        with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
            uuids = list(pool.map(lambda i: _load_one(client, i),
                                  range(args.count)))
        elapsed = time.monotonic() - started
        server_cpu = server.cpu_seconds() - server_cpu
        client_cpu = time.process_time() - client_cpu
        print('loaded %d providers (+%d children) through the API in '
              '%.1fs: %.0f providers/s; CPU: server %.1fs (%.2f ms per '
              'request), client %.1fs' % (
                  args.count, (args.count + 9) // 10, elapsed,
                  args.count / elapsed, server_cpu,
                  server_cpu * 1000 / (args.count * 4 + args.count // 10),
                  client_cpu))
        queries = [
            ('all', {}),
            ('resources', {'resources': 'VCPU:8,MEMORY_MB:4096'}),
            ('member_of', {'member_of': AGGS[3]}),
            ('required', {'required': 'HW_CPU_X86_AVX2'}),
            ('in_tree', {'in_tree': uuids[len(uuids) // 2]}),
            ('all filters', {'resources': 'VCPU:8',
                             'member_of': 'in:%s,%s' % tuple(AGGS[:2]),
                             'required': '!HW_CPU_X86_SSE'}),
        ]
        print('| filter | providers | median ms | p95 ms |')
        print('|---|---|---|---|')
        for name, params in queries:
            median, p95, body = common.timed(
                client, '/resource_providers', params, args.runs)
            print('| %s | %d | %.1f | %.1f |' % (
                name, len(body['resource_providers']), median, p95))


if __name__ == '__main__':
    main()
