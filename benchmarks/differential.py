"""Send one scripted session to our server and to upstream Placement 16.0.0,
each on a fresh database, and print every response that differs (status,
error code, body with request ids and the port in Location left out,
and the headers clients read).

    .venv/bin/python -m benchmarks.differential --upstream-venv /tmp/up
    .venv/bin/python -m benchmarks.differential --upstream-venv /tmp/up --details

Not a test: upstream must be installed (--upstream-venv installs it the
first time), and some differences are expected (see benchmarks/README.rst).
Error details are compared only with --details.
"""
import argparse
import json
import urllib.parse

import httpx

from benchmarks import common

RP1 = '11111111-1111-4111-8111-111111111111'
RP2 = '22222222-2222-4222-8222-222222222222'
RP3 = '33333333-3333-4333-8333-333333333333'
CONSUMER1 = 'c1111111-1111-4111-8111-111111111111'
CONSUMER2 = 'c2222222-2222-4222-8222-222222222222'
AGG = 'a1111111-1111-4111-8111-111111111111'
HEADERS = ('location', 'cache-control', 'content-type',
           'openstack-api-version', 'vary', 'allow')


def _v(version, **headers):
    return dict(headers, **{'openstack-api-version': 'placement ' + version})


def _allocs(rp, resources, version_fields=None):
    body = {'allocations': {rp: {'resources': resources}},
            'project_id': 'p', 'user_id': 'u'}
    body.update(version_fields or {})
    return body


# (method, path, headers, body): a session that builds a small cloud,
# then asks for what operators and schedulers ask, well and badly.
SESSION = [
    ('POST', '/resource_providers', _v('1.20'), {'name': 'cn', 'uuid': RP1}),
    ('POST', '/resource_providers', _v('1.20'),
     {'name': 'numa', 'uuid': RP2, 'parent_provider_uuid': RP1}),
    ('POST', '/resource_providers', _v('1.0'), {'name': 'disk', 'uuid': RP3}),
    ('POST', '/resource_providers', _v('1.20'), {'name': 'cn'}),
    ('POST', '/resource_providers', _v('1.20'), {'name': ''}),
    ('POST', '/resource_providers', _v('1.20'), {'name': 'x', 'uuid': 'bad'}),
    ('PUT', '/resource_providers/%s' % RP1, _v('1.14'),
     {'name': 'cn', 'parent_provider_uuid': RP2}),
    ('PUT', '/resource_providers/%s/inventories' % RP1, _v('1.26'),
     {'resource_provider_generation': 0,
      'inventories': {'DISK_GB': {'total': 100, 'reserved': 5,
                                  'allocation_ratio': 1.5}}}),
    ('PUT', '/resource_providers/%s/inventories' % RP2, _v('1.26'),
     {'resource_provider_generation': 0,
      'inventories': {'VCPU': {'total': 8, 'allocation_ratio': 16.0},
                      'MEMORY_MB': {'total': 4096, 'step_size': 256}}}),
    ('PUT', '/resource_providers/%s/inventories' % RP3, _v('1.26'),
     {'resource_provider_generation': 0,
      'inventories': {'DISK_GB': {'total': 1000, 'reserved': 1001}}}),
    ('PUT', '/resource_providers/%s/inventories' % RP3, _v('1.26'),
     {'resource_provider_generation': 0,
      'inventories': {'DISK_GB': {'total': 1000}}}),
    ('POST', '/resource_providers/%s/inventories' % RP3, _v('1.26'),
     {'resource_class': 'DISK_GB', 'total': 5,
      'resource_provider_generation': 1}),
    ('PUT', '/traits/CUSTOM_X', _v('1.6'), None),
    ('PUT', '/traits/lower', _v('1.6'), None),
    ('PUT', '/resource_providers/%s/traits' % RP2, _v('1.6'),
     {'resource_provider_generation': 1,
      'traits': ['HW_CPU_X86_AVX2', 'CUSTOM_X', 'HW_NUMA_ROOT']}),
    ('PUT', '/resource_providers/%s/traits' % RP3, _v('1.6'),
     {'resource_provider_generation': 1,
      'traits': ['MISC_SHARES_VIA_AGGREGATE']}),
    ('PUT', '/resource_providers/%s/aggregates' % RP1, _v('1.19'),
     {'resource_provider_generation': 1, 'aggregates': [AGG]}),
    ('PUT', '/resource_providers/%s/aggregates' % RP3, _v('1.19'),
     {'resource_provider_generation': 2, 'aggregates': [AGG]}),
    ('PUT', '/resource_classes/CUSTOM_GPU', _v('1.7'), None),
    ('POST', '/resource_classes', _v('1.7'), {'name': 'VCPU'}),
    ('PUT', '/allocations/%s' % CONSUMER1, _v('1.38'),
     _allocs(RP2, {'VCPU': 2, 'MEMORY_MB': 512},
             {'consumer_generation': None, 'consumer_type': 'INSTANCE'})),
    ('PUT', '/allocations/%s' % CONSUMER2, _v('1.38'),
     _allocs(RP3, {'DISK_GB': 20},
             {'consumer_generation': None, 'consumer_type': 'MIGRATION'})),
    ('PUT', '/allocations/%s' % CONSUMER2, _v('1.38'),
     _allocs(RP3, {'DISK_GB': 2000},
             {'consumer_generation': 1, 'consumer_type': 'MIGRATION'})),
    ('PUT', '/allocations/%s' % CONSUMER2, _v('1.38'),
     _allocs(RP2, {'MEMORY_MB': 100},
             {'consumer_generation': 1, 'consumer_type': 'MIGRATION'})),
    ('PUT', '/allocations/%s' % CONSUMER2, _v('1.38'),
     _allocs(RP3, {'DISK_GB': 1},
             {'consumer_generation': 7, 'consumer_type': 'MIGRATION'})),
    ('POST', '/allocations', _v('1.13'), {}),
    ('POST', '/reshaper', _v('1.29'), {}),
    ('PATCH', '/resource_providers', _v('1.38'), None),
    ('DELETE', '/resource_providers/%s/inventories' % RP1, _v('1.4'), None),
    ('GET', '/resource_providers', _v('1.38', accept='text/plain'), None),
    ('GET', '/', _v('1.99'), None),
    ('GET', '/', _v('1.a'), None),
    ('GET', '/', _v('1. 5'), None),
    ('GET', '/nothing', _v('1.38'), None),
    ('DELETE', '/resource_classes/VCPU', _v('1.7'), None),
    ('DELETE', '/resource_providers/%s' % RP1, _v('1.38'), None),
]
for _version in ('1.0', '1.14', '1.17', '1.22', '1.29', '1.36', '1.39'):
    for _path in [
            '/resource_providers', '/resource_providers/%s' % RP2,
            '/resource_providers/%s/inventories' % RP2,
            '/resource_providers/%s/usages' % RP2,
            '/resource_providers/%s/aggregates' % RP1,
            '/resource_providers/%s/traits' % RP2,
            '/resource_providers/%s/allocations' % RP2,
            '/allocations/%s' % CONSUMER1, '/usages?project_id=p',
            '/usages?project_id=p&consumer_type=all',
            '/traits?associated=true', '/resource_classes/CUSTOM_GPU',
            '/resource_providers?member_of=%s' % AGG,
            '/resource_providers?resources=VCPU:1&required=CUSTOM_X',
            '/allocation_candidates?resources=VCPU:1,DISK_GB:10',
            '/allocation_candidates?resources=VCPU:1&limit=0']:
        SESSION.append(('GET', _path, _v(_version), None))


def _comparable(response, details):
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict) and 'errors' in body:
        for error in body['errors']:
            error.pop('request_id', None)
            if not details:
                error.pop('detail', None)
    if isinstance(body, dict) and 'allocation_requests' in body:
        # Upstream's orders here come from Python sets (hash order, and
        # standard trait ids follow its random insertion order): compare
        # candidates, mappings and trait lists as sets.
        for request in body['allocation_requests']:
            for suffix, uuids in request.get('mappings', {}).items():
                request['mappings'][suffix] = sorted(uuids)
        body['allocation_requests'] = sorted(
            json.dumps(r, sort_keys=True) for r in body['allocation_requests'])
    if isinstance(body, dict) and isinstance(body.get('traits'), list):
        body['traits'] = sorted(body['traits'])
    for summary in (body.get('provider_summaries', {}).values()
                    if isinstance(body, dict) else ()):
        if 'traits' in summary:
            summary['traits'] = sorted(summary['traits'])
    headers = {name: response.headers.get(name) for name in HEADERS}
    if headers['location']:
        headers['location'] = urllib.parse.urlsplit(headers['location']).path
    headers['last-modified'] = 'last-modified' in response.headers
    return response.status_code, json.dumps(body, sort_keys=True), headers


def _run(venv, cwd, kind, details):
    database = common.Database(kind)
    try:
        common.sync(venv, database.url)
        server = common.Server(venv, database.url, cwd=cwd)
        try:
            with httpx.Client(base_url=server.url,
                              headers={'x-auth-token': 'admin'}) as client:
                return [_comparable(client.request(
                    method, path, headers=headers,
                    **({} if body is None else {'json': body})), details)
                    for method, path, headers, body in SESSION]
        finally:
            server.stop()
    finally:
        database.drop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--upstream-venv', required=True)
    parser.add_argument('--db', default='sqlite',
                        choices=['sqlite', 'postgresql', 'mysql'])
    parser.add_argument('--details', action='store_true',
                        help='compare error details too')
    args = parser.parse_args()
    common.ensure_upstream_venv(args.upstream_venv)
    ours = _run(common.our_venv(), common.ROOT, args.db, args.details)
    theirs = _run(args.upstream_venv, None, args.db, args.details)
    differences = 0
    for (method, path, headers, _), mine, upstream in zip(SESSION, ours,
                                                          theirs):
        if mine == upstream:
            continue
        differences += 1
        print('%s %s (%s)' % (method, path,
                              headers.get('openstack-api-version')))
        for label, a, b in zip(('status', 'body', 'headers'), mine, upstream):
            if a != b:
                print('  %s ours:     %s' % (label, str(a)[:300]))
                print('  %s upstream: %s' % (label, str(b)[:300]))
    print('%d requests, %d differ' % (len(SESSION), differences))


if __name__ == '__main__':
    main()
