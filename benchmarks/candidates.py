"""Time GET /allocation_candidates on the worlds of benchmarks/worlds.py.

    .venv/bin/python -m benchmarks.candidates --db sqlite
    .venv/bin/python -m benchmarks.candidates --db postgresql --scenarios scale100k
    .venv/bin/python -m benchmarks.candidates --upstream-venv /tmp/upstream-venv
    .venv/bin/python -m benchmarks.candidates --scenarios explain

With --upstream-venv DIR the same database is served by upstream
openstack-placement 16.0.0 too (installed into that virtualenv, with
gunicorn and the drivers, if it is not there yet) and the ratio of
medians is printed. Each scenario gets a fresh database.
"""
import argparse
import time

import httpx
import sqlalchemy as sa

from benchmarks import common, worlds

WIDE_MAX = '[placement]\nmax_allocation_candidates = 1000\n'


def _agg(loader):
    return loader.aggregates['agg'][0]


def scenario_flat(loader):
    loader.trees(worlds.flat(1000))
    base = {'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256',
            'member_of': _agg(loader), 'required': 'HW_CPU_X86_AVX2'}
    return '', [('flat 1000', base),
                ('flat 1000 limit=50', dict(base, limit='50'))]


NESTED = {'resources_COMPUTE': 'VCPU:2,MEMORY_MB:1024',
          'resources_ACCEL': 'CUSTOM_FPGA:1',
          'required_ACCEL': 'CUSTOM_FPGA_INTEL',
          'same_subtree': '_COMPUTE,_ACCEL', 'group_policy': 'none'}


def scenario_nested(loader):
    loader.trees(worlds.nested(1000))
    return '', [('nested 1000x7 same_subtree', NESTED)]


def scenario_traits(loader):
    """The nested world with 50 more traits on every compute node (real
    nodes report dozens): what reading traits costs at that count."""
    loader.trees(worlds.dressed(worlds.nested(1000)))
    return '', [('nested 1000x7, 50 traits/node', NESTED)]


def scenario_flat_traits(loader):
    loader.trees(worlds.dressed(worlds.flat(1000)))
    return '', [('flat 1000, 50 traits/node', {
        'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256',
        'member_of': _agg(loader), 'required': 'HW_CPU_X86_AVX2'})]


def scenario_wide(loader):
    loader.trees(worlds.wide(21))
    queries = []
    for groups in (8, 16, 21):
        params = {'resources%d' % i: 'SRIOV_NET_VF:1'
                  for i in range(1, groups + 1)}
        params['group_policy'] = 'isolate'
        queries.append(('wide %d groups' % groups, params))
    return WIDE_MAX, queries


def _scale(count):
    def scenario(loader):
        for start in range(0, count, 10000):
            loader.trees(worlds.flat(min(10000, count - start), start))
        resources = {'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256'}
        queries = [('scale %d limit=1000' % count,
                    dict(resources, limit='1000'))]
        if count <= 10000:
            # Every provider is a candidate: the whole answer is rendered.
            queries.append(('scale %d' % count, resources))
        return '', queries
    return scenario


EXPLAIN = '/allocation_candidates/explain'


def scenario_explain(loader):
    """GET /allocation_candidates/explain next to the candidates query
    itself on 10,000 compute nodes (ours only: upstream has no explain):
    every node fits; with required=AVX2 half the trees are removed (each
    with its reason); with limit=1000 explain still reads every tree."""
    loader.trees(worlds.flat(10000))
    plain = {'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256'}
    avx = dict(plain, required='HW_CPU_X86_AVX2', member_of=_agg(loader))
    limited = dict(plain, limit='1000')
    queries = []
    for label, params in (('', plain), (' AVX2', avx),
                          (' limit=1000', limited)):
        queries.append(('candidates 10k%s' % label, params))
        queries.append(('explain 10k%s' % label, params, EXPLAIN))
    return '', queries


SCENARIOS = {'flat': scenario_flat, 'nested': scenario_nested,
             'traits': scenario_traits, 'flat-traits': scenario_flat_traits,
             'wide': scenario_wide, 'scale10k': _scale(10000),
             'scale100k': _scale(100000), 'explain': scenario_explain}


def run(args):
    if args.upstream_venv:
        common.ensure_upstream_venv(args.upstream_venv)
    rows = []
    for name in args.scenarios.split(','):
        database = common.Database(args.db)
        try:
            common.sync(common.our_venv(), database.url)
            engine = sa.create_engine(database.url)
            if args.no_analyze:
                common.no_autoanalyze(engine)
            loader = worlds.Loader(engine)
            started = time.monotonic()
            extra, queries = SCENARIOS[name](loader)
            if not args.no_analyze:
                common.analyze(engine)
            engine.dispose()
            print('# %s loaded in %.1fs' % (name, time.monotonic() - started),
                  flush=True)
            servers = [('ours', common.our_venv(), common.ROOT)]
            if args.upstream_venv and name not in args.skip_upstream.split(','):
                servers.append(('upstream', args.upstream_venv, None))
            results = {}
            for label, venv, cwd in servers:
                server = common.Server(venv, database.url, extra_conf=extra,
                                       cwd=cwd)
                try:
                    with httpx.Client(base_url=server.url,
                                      headers=common.HEADERS) as client:
                        for query, params, *path in queries:
                            path = path[0] if path else \
                                '/allocation_candidates'
                            if path == EXPLAIN and label == 'upstream':
                                continue
                            median, p95, body = common.timed(
                                client, path, params, args.runs)
                            found = body['candidates'] if path == EXPLAIN \
                                else len(body['allocation_requests'])
                            results[(query, label)] = (median, p95, found)
                            print('%-28s %-8s median %9.1f ms  p95 %9.1f ms'
                                  '  candidates %d' % ((query, label) + results[
                                      (query, label)]), flush=True)
                finally:
                    server.stop()
            for query, *_ in queries:
                ours = results[(query, 'ours')]
                theirs = results.get((query, 'upstream'))
                rows.append((query, ours, theirs))
        finally:
            database.drop()
    print('\n| query (%s) | ours median / p95 ms | upstream median / p95 ms '
          '| speed-up | candidates |' % args.db)
    print('|---|---|---|---|---|')
    for query, ours, theirs in rows:
        print('| %s | %.1f / %.1f | %s | %s | %d%s |' % (
            query, ours[0], ours[1],
            '%.1f / %.1f' % theirs[:2] if theirs else 'n/a',
            '%.1fx' % (theirs[0] / ours[0]) if theirs else 'n/a', ours[2],
            '' if not theirs or theirs[2] == ours[2]
            else ' (upstream %d)' % theirs[2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--db', default='sqlite',
                        choices=['sqlite', 'postgresql', 'mysql'])
    parser.add_argument('--scenarios', default='flat,nested,wide,scale10k')
    parser.add_argument('--no-analyze', action='store_true',
                        help='leave the planner without statistics, as in '
                             'a freshly restored database')
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--upstream-venv')
    parser.add_argument('--skip-upstream', default='',
                        help='scenarios not to run against upstream')
    run(parser.parse_args())


if __name__ == '__main__':
    main()
