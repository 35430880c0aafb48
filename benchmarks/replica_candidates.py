"""GET /allocation_candidates throughput with and without a read replica.

    .venv/bin/python -m benchmarks.replica_candidates --clients 4,16

scripts/pg-replica starts a PostgreSQL primary and a streaming replica;
the flat world of benchmarks/worlds.py (1,000 compute nodes) is loaded
into the primary and replayed on the replica. The same gunicorn (--workers)
then serves it twice: without ``slave_connection`` (candidates read the
primary) and with it (candidates read the replica). N client threads send
the flat queries (unlimited: 500 candidates; limit=50) for --seconds each;
requests per second and median / p95 latency are printed as a table,
with how many statements the primary ran meanwhile (pg_stat_database
xact_commit + xact_rollback): what the replica takes off it.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import httpx
import sqlalchemy as sa

from benchmarks import common, worlds

QUERY = {'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256',
         'required': 'HW_CPU_X86_AVX2'}


def _client(url, params, until):
    times = []
    with httpx.Client(base_url=url, headers=common.HEADERS,
                      timeout=120) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = client.get('/allocation_candidates', params=params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text[:300]
    return times


def _transactions(engine):
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            'SELECT xact_commit + xact_rollback FROM pg_stat_database '
            "WHERE datname = 'placement'").scalar()


def measure(url, clients, params, seconds, primary):
    before = _transactions(primary)
    until = time.monotonic() + seconds
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        times = [t for future in [pool.submit(_client, url, params, until)
                                  for _ in range(clients)]
                 for t in future.result()]
    # The statistics collector reports with a small delay.
    time.sleep(1)
    on_primary = _transactions(primary) - before
    times.sort()
    return (len(times) / seconds, statistics.median(times),
            times[int(0.95 * (len(times) - 1))], on_primary / len(times))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--clients', default='4,16')
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--seconds', type=float, default=15)
    parser.add_argument('--providers', type=int, default=1000)
    args = parser.parse_args()
    parent = tempfile.mkdtemp(prefix='placement-bench-replica-', dir='/tmp')
    os.chmod(parent, 0o755)
    script = os.path.join(common.ROOT, 'scripts', 'pg-replica')
    directory = os.path.join(parent, 'pg')
    rows = []
    try:
        state = json.loads(subprocess.run(
            [script, 'start', '--dir', directory, '--json'], check=True,
            capture_output=True, text=True).stdout.splitlines()[-1])
        primary_url = state['primary']['url']
        replica_url = state['replica']['url']
        admin = sa.create_engine(primary_url + '/postgres',
                                 isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE placement')
        admin.dispose()
        common.sync(common.our_venv(), primary_url + '/placement')
        primary = sa.create_engine(primary_url + '/placement',
                                   isolation_level='AUTOCOMMIT')
        loader = worlds.Loader(primary)
        loader.trees(worlds.flat(args.providers))
        common.analyze(primary)
        replica = sa.create_engine(replica_url + '/placement')
        with primary.connect() as conn:
            target = conn.exec_driver_sql(
                'SELECT pg_current_wal_insert_lsn()').scalar()
        while True:
            with replica.connect() as conn:
                if conn.exec_driver_sql(
                        "SELECT pg_last_wal_replay_lsn() >= '%s'"
                        % target).scalar():
                    break
            time.sleep(0.2)
        replica.dispose()
        queries = [('flat %d' % args.providers, QUERY),
                   ('flat %d limit=50' % args.providers,
                    dict(QUERY, limit='50'))]
        for label, extra in (
                ('primary only', ''),
                ('with replica',
                 'slave_connection = %s/placement\n' % replica_url)):
            server = common.Server(common.our_venv(),
                                   primary_url + '/placement',
                                   workers=args.workers, extra_conf=extra,
                                   cwd=common.ROOT)
            try:
                httpx.get(server.url + '/allocation_candidates',
                          params=QUERY, headers=common.HEADERS, timeout=120)
                for query, params in queries:
                    for clients in [int(n) for n in args.clients.split(',')]:
                        result = measure(server.url, clients, params,
                                         args.seconds, primary)
                        rows.append((query, label, clients) + result)
                        print('%-20s %-13s clients %3d  %7.1f req/s  median '
                              '%7.1f ms  p95 %7.1f ms  primary transactions '
                              'per request %.2f' % rows[-1], flush=True)
            finally:
                server.stop()
        primary.dispose()
    finally:
        subprocess.run([script, 'stop', '--dir', directory],
                       capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
    print('\n| query | setup | clients | requests/s | median ms | p95 ms | '
          'primary transactions per request |')
    print('|---|---|---|---|---|---|---|')
    for row in rows:
        print('| %s | %s | %d | %.1f | %.1f | %.1f | %.2f |' % row)


if __name__ == '__main__':
    main()
