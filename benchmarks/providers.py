"""Load providers through the HTTP API, then time GET /resource_providers
with each filter.

    .venv/bin/python -m benchmarks.providers --db sqlite --count 10000
"""
import argparse
import concurrent.futures
import http.client
import json
import threading
import time
import urllib.parse
import uuid

import httpx

from benchmarks import common

AGGS = [str(uuid.uuid4()) for _ in range(10)]


class Agent:
    """One client thread's keep-alive connection. The standard library's
    http.client, not httpx: on this 2-core machine the load generator
    shares the CPU with the server, and httpx spends about three times
    the CPU per request (the figures print both)."""

    local = threading.local()

    def __init__(self, url):
        self.address = urllib.parse.urlsplit(url).netloc

    def send(self, method, path, body):
        conn = getattr(self.local, 'conn', None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(
                self.address, timeout=120)
        conn.request(method, path, json.dumps(body), dict(
            common.HEADERS, **{'content-type': 'application/json'}))
        response = conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError('%s %s: %d %s' % (method, path,
                                                 response.status, data))
        return json.loads(data) if data else None

    def load_one(self, index):
        """One compute node (with a child every tenth) the way an agent
        would."""
        rp_uuid = self.send('POST', '/resource_providers',
                            {'name': 'cn%d' % index})['uuid']
        gen = self.send('PUT', '/resource_providers/%s/inventories' % rp_uuid,
                        {'resource_provider_generation': 0, 'inventories': {
                            'VCPU': {'total': 64, 'allocation_ratio': 4.0},
                            'MEMORY_MB': {'total': 262144},
                            'DISK_GB': {'total': 2000}}})[
            'resource_provider_generation']
        traits = ['HW_CPU_X86_AVX2'] if index % 2 else ['HW_CPU_X86_SSE']
        gen = self.send('PUT', '/resource_providers/%s/traits' % rp_uuid,
                        {'resource_provider_generation': gen,
                         'traits': traits})['resource_provider_generation']
        self.send('PUT', '/resource_providers/%s/aggregates' % rp_uuid,
                  {'resource_provider_generation': gen,
                   'aggregates': [AGGS[index % len(AGGS)]]})
        if index % 10 == 0:
            self.send('POST', '/resource_providers',
                      {'name': 'cn%d-nic' % index,
                       'parent_provider_uuid': rp_uuid})
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
        agent = Agent(server.url)
        with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
            uuids = list(pool.map(agent.load_one, range(args.count)))
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
