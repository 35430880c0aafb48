"""Claims per second on a three-node Galera cluster against one MariaDB.

    .venv/bin/python -m benchmarks.galera_claims --claimers 10,30

Three API servers (gunicorn, --workers each) in every setup, each claimer
sending each request to a random one of them:

``one MariaDB``
    the local MariaDB at 127.0.0.1:3306 (common.SERVERS), all three
    servers on it;
``Galera, one node``
    a cluster from scripts/galera-cluster, all three servers on its first
    node (the others replicate);
``Galera, three nodes``
    the same cluster, server i on node i (multi-master: writes to one
    provider from different nodes meet in certification, and are retried).

Each claimer does GET /allocation_candidates -> PUT /allocations until
--providers x --vcpus VCPUs are claimed; claims/s, 409s, other statuses
and providers over capacity are printed as a table.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid

import httpx
import sqlalchemy as sa

from benchmarks import claims, common


def _claimer(urls, counts, lock):
    clients = [httpx.Client(base_url=url, headers=common.HEADERS,
                            timeout=120) for url in urls]
    try:
        while True:
            found = random.choice(clients).get(
                '/allocation_candidates',
                params={'resources': 'VCPU:1', 'limit': '20'}).json()
            if not found['allocation_requests']:
                return
            choice = random.choice(found['allocation_requests'])
            response = random.choice(clients).put(
                '/allocations/%s' % uuid.uuid4(), json={
                    'allocations': choice['allocations'], 'project_id': 'p',
                    'user_id': 'u', 'consumer_generation': None,
                    'consumer_type': 'INSTANCE'})
            with lock:
                counts[response.status_code] = counts.get(
                    response.status_code, 0) + 1
    finally:
        for client in clients:
            client.close()


def measure(db_urls, claimers, workers, providers, vcpus):
    """Serve a fresh schema (made through the first URL) with one server
    per URL; run the claimers; (claims/s, counts, providers over)."""
    common.sync(common.our_venv(), db_urls[0])
    servers = [common.Server(common.our_venv(), url, workers=workers,
                             cwd=common.ROOT) for url in db_urls]
    try:
        urls = [server.url for server in servers]
        with httpx.Client(base_url=urls[0], headers=common.HEADERS,
                          timeout=120) as client:
            rps = claims.world(client, providers, vcpus, prefix='galera-cn')
            time.sleep(0.5)  # let the other nodes apply the world
            elapsed, counts, over = claims.race(client, rps, vcpus,
                                                claimers, _claimer, urls)
    finally:
        for server in servers:
            server.stop()
    return counts.get(204, 0) / elapsed, counts, over


def _create(server_url, name):
    engine = sa.create_engine(server_url + '/mysql',
                              isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
        conn.exec_driver_sql('CREATE DATABASE %s CHARACTER SET utf8mb4'
                             % name)
    engine.dispose()
    return '%s/%s' % (server_url, name)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--claimers', default='10,30')
    parser.add_argument('--workers', type=int, default=2,
                        help='gunicorn workers per API server')
    parser.add_argument('--providers', type=int, default=50)
    parser.add_argument('--vcpus', type=int, default=20)
    parser.add_argument('--setups', default='single,galera-one,galera')
    args = parser.parse_args()
    parent = tempfile.mkdtemp(prefix='placement-bench-galera-', dir='/tmp')
    os.chmod(parent, 0o755)
    script = os.path.join(common.ROOT, 'scripts', 'galera-cluster')
    cluster = os.path.join(parent, 'cluster')
    rows = []
    try:
        nodes = json.loads(subprocess.run(
            [script, 'start', '--dir', cluster, '--json'], check=True,
            capture_output=True, text=True).stdout.splitlines()[-1])['nodes']
        galera = [node['url'] for node in nodes]
        for claimers in [int(n) for n in args.claimers.split(',')]:
            for setup in args.setups.split(','):
                name = 'placement_bench_%s' % uuid.uuid4().hex[:8]
                if setup == 'single':
                    label = 'one MariaDB'
                    urls = [_create(common.SERVERS['mysql'], name)] * 3
                elif setup == 'galera-one':
                    label = 'Galera, one node'
                    urls = [_create(galera[0], name)] * 3
                else:
                    label = 'Galera, three nodes'
                    urls = [_create(galera[0], name).replace(
                        galera[0], node) for node in galera]
                rate, counts, over = measure(urls, claimers, args.workers,
                                             args.providers, args.vcpus)
                other = sum(v for k, v in counts.items()
                            if k not in (204, 409))
                rows.append((label, claimers, counts.get(204, 0), rate,
                             counts.get(409, 0), other, over))
                print('%-20s claimers %3d  claims %5d  %6.1f/s  409s %4d  '
                      'other %d  over capacity %d' % rows[-1], flush=True)
                server = common.SERVERS['mysql'] if setup == 'single' \
                    else galera[0]
                engine = sa.create_engine(server + '/mysql',
                                          isolation_level='AUTOCOMMIT')
                with engine.connect() as conn:
                    conn.exec_driver_sql('DROP DATABASE %s' % name)
                engine.dispose()
    finally:
        subprocess.run([script, 'stop', '--dir', cluster],
                       capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
    print('\n| setup | claimers | claims | claims/s | 409s | other | '
          'providers over capacity |')
    print('|---|---|---|---|---|---|---|')
    for row in rows:
        print('| %s | %d | %d | %.0f | %d | %d | %d |' % row)


if __name__ == '__main__':
    main()
