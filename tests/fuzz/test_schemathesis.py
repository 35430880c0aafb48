"""Fuzz the live service from its own OpenAPI description.

A real gunicorn (2 workers) on a fresh database (SQLite, or
PLACEMENT_TEST_DB) is seeded with a small cloud; then for each of several
microversions schemathesis loads ``GET /openapi.json`` as the service
publishes it and runs its engine against every operation the document
describes: the examples, coverage, fuzzing and stateful phases, with data
that fits the schemas and data that does not. Every response is checked:
no server error, a documented status, content type and headers, a body
its schema accepts, invalid data refused, created things found and deleted
ones gone. Any failure fails the test, with the requests that reproduce it.

Bounded for CI: PLACEMENT_FUZZ_EXAMPLES (default 25) examples per
operation and phase, derandomized so that every run sends the same
requests. A longer run (README.rst, Tests)::

    PLACEMENT_FUZZ_EXAMPLES=500 python3 run.py test tests/fuzz

PLACEMENT_FUZZ_SEED=<n> draws random data from seed n instead;
PLACEMENT_FUZZ_VERSIONS=1.2,1.39 picks the microversions.
"""
import collections
import os
import time

import httpx
import pytest
import schemathesis
from schemathesis import engine as st_engine
from schemathesis.engine import Status, StopReason, events

from tests import dbs
from tests.functional.server import GunicornServer

# 1.0, 1.14 (provider trees), 1.28 (consumer generations) and the latest;
# the documents of the others come from the same code.
VERSIONS = os.environ.get('PLACEMENT_FUZZ_VERSIONS',
                          '1.0,1.14,1.28,1.39').split(',')
EXAMPLES = int(os.environ.get('PLACEMENT_FUZZ_EXAMPLES', '25'))
SEED = os.environ.get('PLACEMENT_FUZZ_SEED')
# noauth2: an admin that is also a service (the reshaper is services only).
CALLER = {'X-Auth-Token': 'admin', 'X-Roles': 'admin,service'}
VERSION_HEADER = 'OpenStack-API-Version'

CHECKS = {
    'not_a_server_error': True,
    'status_code_conformance': True,
    'content_type_conformance': True,
    'response_headers_conformance': True,
    'response_schema_conformance': True,
    'negative_data_rejection': True,
    'unsupported_method': True,
    'use_after_free': True,
    'ensure_resource_availability': True,
    # Off, each for a reason of the API's (drop-in: as upstream):
    # 400 for valid-looking data the schemas cannot rule out (an unknown
    # parent, reserved above total, a trait path name without CUSTOM_).
    'positive_data_acceptance': False,
    # The version header is required to get *this* microversion; without
    # it the answer is 1.0's, as upstream gives it.
    'missing_required_header': False,
    # noauth2 takes any token by design; there is one caller.
    'ignored_auth': False,
    'object_level_authorization': False,
    # 405's Allow names the route's methods at any microversion (upstream's
    # router does), where each document has only its own.
    'allow_header_conformance': False,
}

# Figures of each run, for the terminal summary (conftest.py).
SUMMARY = []


def _seed(client):
    """A small cloud for the fuzzer to find through the listings: a tree
    with inventories, a custom class and trait, an aggregate and a
    consumer's allocations."""
    root, child, agg = ('%s-0000-4000-8000-00000000f022' % prefix
                        for prefix in ('f0220000', 'f0220001', 'f0220002'))
    consumer = 'f0220003-0000-4000-8000-00000000f022'

    def call(method, path, body=None):
        response = client.request(method, path, json=body)
        assert response.status_code < 300, (method, path, response.text)
        return response

    call('PUT', '/resource_classes/CUSTOM_FUZZ')
    call('PUT', '/traits/CUSTOM_FUZZ')
    call('POST', '/resource_providers', {'name': 'fuzz-root', 'uuid': root})
    call('POST', '/resource_providers', {
        'name': 'fuzz-child', 'uuid': child, 'parent_provider_uuid': root})
    call('PUT', '/resource_providers/%s/inventories' % root, {
        'resource_provider_generation': 0, 'inventories': {
            'DISK_GB': {'total': 1000, 'reserved': 10, 'max_unit': 500},
            'CUSTOM_FUZZ': {'total': 4}}})
    call('PUT', '/resource_providers/%s/inventories' % child, {
        'resource_provider_generation': 0, 'inventories': {
            'VCPU': {'total': 16, 'allocation_ratio': 4.0},
            'MEMORY_MB': {'total': 32768, 'step_size': 256}}})
    call('PUT', '/resource_providers/%s/traits' % child, {
        'resource_provider_generation': 1, 'traits': ['CUSTOM_FUZZ']})
    call('PUT', '/resource_providers/%s/aggregates' % root, {
        'resource_provider_generation': 1, 'aggregates': [agg]})
    call('PUT', '/allocations/%s' % consumer, {
        'allocations': {root: {'resources': {'DISK_GB': 100}},
                        child: {'resources': {'VCPU': 2,
                                              'MEMORY_MB': 1024}}},
        'project_id': 'fuzz-project', 'user_id': 'fuzz-user',
        'consumer_generation': None, 'consumer_type': 'INSTANCE'})


@pytest.fixture(scope='module')
def server():
    database = dbs.TestDatabase()
    # No request-line limit: long query strings are the application's to
    # refuse, not gunicorn's (its 414 is no answer of the API's).
    service = GunicornServer(database.url, workers=2,
                             args=('--limit-request-line', '0'))
    try:
        with httpx.Client(base_url=service.url, timeout=60, headers=dict(
                CALLER, **{VERSION_HEADER: 'placement latest'})) as client:
            _seed(client)
        yield service
    finally:
        service.stop()
        database.drop()


def _config(url, version):
    generation = {
        'mode': 'all',
        'max-examples': EXAMPLES,
        # The token comes from the headers below, never generated.
        'with-security-parameters': False,
        # Nothing kept between runs: each run is the same run.
        'database': 'none',
    }
    if SEED is None:
        generation['deterministic'] = True
    config = {
        'base-url': url,
        'headers': dict(CALLER, **{VERSION_HEADER: 'placement %s' % version}),
        'generation': generation,
        'checks': {name: {'enabled': enabled}
                   for name, enabled in CHECKS.items()},
        # Methods no route has at any microversion: a route's own methods
        # outside their microversions answer the version gate's 404.
        'phases': {'coverage': {
            'unexpected-methods': ['OPTIONS', 'PATCH', 'TRACE']}},
        'cache': {'enabled': False},
        'request-timeout': 60,
        'workers': 1,
    }
    if SEED is not None:
        config['seed'] = int(SEED)
    return schemathesis.Config.from_dict(config)


def _keeps_version(context, case):
    """Drop the cases whose invalid part is the microversion header: it is
    fixed per document (other versions have their own documents; a
    missing header means 1.0, a wrong one a 400 or 406 of its own)."""
    meta = case.meta
    if meta is None:
        return True
    header = meta.components.get('header')
    if header is not None and header.mode.is_negative:
        return False
    return not (meta.generation.mode.is_negative
                and getattr(meta.phase.data, 'parameter_location', None)
                == 'header')


def _fuzz(url, version):
    # Fetched here rather than by schemathesis, which would leave out the
    # operation that serves the document.
    document = httpx.get('%s/openapi.json' % url, timeout=60, headers=dict(
        CALLER, **{VERSION_HEADER: 'placement %s' % version}))
    assert document.status_code == 200, document.text
    schema = schemathesis.openapi.from_dict(
        document.json(), config=_config(url, version))
    schema.hook('filter_case')(_keeps_version)
    described = {'%s %s' % (method.upper(), path)
                 for path, item in schema.raw_schema['paths'].items()
                 for method in item
                 if method in ('get', 'put', 'post', 'delete', 'patch')}
    covered = set()
    requests = 0
    failures = collections.OrderedDict()
    errors = []
    finished = None
    for event in st_engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for case_id in recorder.interactions:
                requests += 1
                covered.add(recorder.cases[case_id].value.operation.label)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status != Status.FAILURE or not check.failure_info:
                        continue
                    failure = check.failure_info.failure
                    key = (recorder.label, check.name, failure.title)
                    failures.setdefault(key, []).append(
                        check.failure_info.code_sample)
        elif isinstance(event, events.NonFatalError):
            errors.append('%s: %s' % (event.label, event.info.title))
        elif isinstance(event, events.FatalError):
            errors.append('fatal: %r' % (event.exception,))
        elif isinstance(event, events.EngineFinished):
            finished = event
    return {'described': described, 'covered': covered,
            'requests': requests, 'failures': failures, 'errors': errors,
            'finished': finished}


def _report(version, result):
    lines = []
    for (label, check, title), samples in result['failures'].items():
        lines.append('%s: %s (%s), %d time(s), e.g.\n    %s' % (
            label, title, check, len(samples), samples[0][:2000]))
    lines.extend(result['errors'])
    return ('schemathesis at %s found %d failure(s):\n' % (
        version, sum(map(len, result['failures'].values())))
        + '\n'.join(lines))


def _server_errors(server):
    """The errors (with tracebacks) the server logged, the last ones."""
    # Read through a file of its own: gunicorn writes through the server's.
    with open(server.log.name, errors='replace') as log:
        lines = [line for line in log if ' ERROR ' in line]
    if not lines:
        return ''
    return '\n\nserver errors (the last):\n' + ''.join(lines[-60:])


@pytest.mark.parametrize('version', VERSIONS)
def test_fuzz(server, version):
    started = time.monotonic()
    result = _fuzz(server.url, version)
    failed = sum(map(len, result['failures'].values()))
    SUMMARY.append(
        'placement %s on %s: %d/%d operations, %d requests, %d failures, '
        '%.0fs' % (version, dbs.KIND, len(result['covered']),
                   len(result['described']), result['requests'], failed,
                   time.monotonic() - started))
    assert not result['failures'] and not result['errors'], (
        _report(version, result) + _server_errors(server))
    finished = result['finished']
    assert finished is not None
    assert finished.stop_reason == StopReason.COMPLETED, finished.stop_reason
    # Every operation of the document was reached.
    assert result['covered'] == result['described'], sorted(
        result['described'] - result['covered'])
