"""Time GET /capacity (our extension) on a big cloud.

    .venv/bin/python -m benchmarks.capacity --db postgresql
    .venv/bin/python -m benchmarks.capacity --db sqlite --providers 10000

The cloud: N compute nodes (benchmarks/worlds.py ``flat``: VCPU,
MEMORY_MB, DISK_GB; AVX2 on every other one; all in one aggregate), a
consumer on every third node holding VCPU 8, MEMORY_MB 16384 and DISK_GB
100, and 20 sharing providers of DISK_GB in the aggregate. Each query is
timed over ``--runs`` requests after a warm-up (median and p95).
"""
import argparse
import time
import uuid

import httpx
import sqlalchemy as sa

from benchmarks import common, worlds
from placement.db import tables as t

QUERIES = [
    ('every class', {}),
    ('group_by=aggregate', {'group_by': 'aggregate'}),
    ('group_by=trait', {'group_by': 'trait'}),
    ('required=AVX2', {'required': 'HW_CPU_X86_AVX2'}),
    ('fits provider', {'resources': 'VCPU:4,MEMORY_MB:8192,DISK_GB:20'}),
    ('fits tree', {'resources': 'VCPU:4,MEMORY_MB:8192,DISK_GB:20',
                   'method': 'tree'}),
    ('fits sharing', {'resources': 'VCPU:4,MEMORY_MB:8192,DISK_GB:20',
                      'method': 'sharing'}),
    ('fits by aggregate', {'resources': 'VCPU:4,MEMORY_MB:8192',
                           'group_by': 'aggregate'}),
]


def _allocate(engine, every=3):
    """A consumer on every ``every``-th compute node."""
    with engine.begin() as conn:
        classes = dict(conn.execute(sa.select(
            t.resource_classes.c.name, t.resource_classes.c.id)).all())
        project = conn.execute(t.projects.insert().values(
            external_id='bench', created_at=worlds.NOW)).inserted_primary_key[0]
        user = conn.execute(t.users.insert().values(
            external_id='bench', created_at=worlds.NOW)).inserted_primary_key[0]
        nodes = conn.execute(sa.select(t.resource_providers.c.id).where(
            t.resource_providers.c.name.like('cn%')).order_by(
            t.resource_providers.c.id)).scalars().all()[::every]
        consumers, allocations = [], []
        for node in nodes:
            consumer = str(uuid.uuid4())
            consumers.append({'uuid': consumer, 'project_id': project,
                              'user_id': user, 'generation': 1,
                              'created_at': worlds.NOW})
            for name, used in (('VCPU', 8), ('MEMORY_MB', 16384),
                               ('DISK_GB', 100)):
                allocations.append({
                    'resource_provider_id': node, 'consumer_id': consumer,
                    'resource_class_id': classes[name], 'used': used,
                    'created_at': worlds.NOW})
        worlds._insert(conn, t.consumers, consumers)
        worlds._insert(conn, t.allocations, allocations)


def load(engine, count):
    loader = worlds.Loader(engine)
    for start in range(0, count, 10000):
        loader.trees(worlds.flat(min(10000, count - start), start))
    loader.trees([[{'name': 'shared%d' % i,
                    'inventory': {'DISK_GB': (100000, 1.0)},
                    'traits': ['MISC_SHARES_VIA_AGGREGATE'],
                    'aggregates': ['agg']}] for i in range(20)])
    _allocate(engine)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--db', default='postgresql',
                        choices=['sqlite', 'postgresql', 'mysql'])
    parser.add_argument('--providers', type=int, default=100000)
    parser.add_argument('--runs', type=int, default=10)
    args = parser.parse_args()
    database = common.Database(args.db)
    try:
        common.sync(common.our_venv(), database.url)
        engine = sa.create_engine(database.url)
        started = time.monotonic()
        load(engine, args.providers)
        common.analyze(engine)
        engine.dispose()
        print('# %d providers loaded in %.1fs' % (
            args.providers, time.monotonic() - started), flush=True)
        server = common.Server(common.our_venv(), database.url,
                               cwd=common.ROOT)
        try:
            with httpx.Client(base_url=server.url,
                              headers=common.HEADERS) as client:
                print('\n| GET /capacity, %d providers (%s) | median ms | '
                      'p95 ms | fits |' % (args.providers, args.db))
                print('|---|---|---|---|')
                for label, params in QUERIES:
                    median, p95, body = common.timed(
                        client, '/capacity', params, args.runs)
                    fits = body.get('fits', {}).get('count', '')
                    print('| %s | %.1f | %.1f | %s |' % (
                        label, median, p95, fits), flush=True)
        finally:
            server.stop()
    finally:
        database.drop()


if __name__ == '__main__':
    main()
