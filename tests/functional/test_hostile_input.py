"""Hostile input never gets a 500, on any database (PLACEMENT_TEST_DB).

One class of malformed input per parameter set, each tried where it can
reach the service: request bodies, path segments, query names and values.
Every request must get the status listed (the one the same request gets
on the other databases, and upstream's where upstream answers at all), and
a refused request must write nothing: the world is read back after each.

Requests are sent as a WSGI server hands them over (PEP 3333: the path
percent-decoded to bytes and carried as latin-1, the query string raw), so
that bytes which are not UTF-8 arrive as they would over a socket.
"""
import io
import json
import sys
import urllib.parse
import uuid

import pytest
import sqlalchemy as sa

from placement.db import engine as db_engine
from tests.functional import app as test_app

ADMIN = {'x-auth-token': 'admin', 'accept': 'application/json',
         'openstack-api-version': 'placement latest'}
RP = 'c0ffee00-0000-4000-8000-000000000001'
CONSUMER = 'c0ffee00-0000-4000-8000-000000000002'
AGG = 'c0ffee00-0000-4000-8000-000000000003'
NEW = 'c0ffee00-0000-4000-8000-0000000000ff'


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)


def call(application, method, target, body=None, headers=None,
         chunked=False):
    """One request, with ``target`` the path and query as they would be on
    the request line (percent-encoded), ``body`` bytes, str or JSON data."""
    path, _, query = target.partition('?')
    if body is not None and not isinstance(body, bytes):
        body = (body if isinstance(body, str) else json.dumps(body)).encode(
            'utf-8', 'surrogatepass')
    environ = {
        'REQUEST_METHOD': method, 'SCRIPT_NAME': '',
        'PATH_INFO': urllib.parse.unquote_to_bytes(path).decode('latin-1'),
        'QUERY_STRING': query, 'SERVER_NAME': 'placement',
        'SERVER_PORT': '80', 'SERVER_PROTOCOL': 'HTTP/1.1',
        'wsgi.version': (1, 0), 'wsgi.url_scheme': 'http',
        'wsgi.input': io.BytesIO(body or b''), 'wsgi.errors': sys.stderr,
        'wsgi.multithread': False, 'wsgi.multiprocess': False,
        'wsgi.run_once': False}
    sent = dict(ADMIN)
    if body is not None:
        sent['content-type'] = 'application/json'
        if chunked:
            # As gunicorn hands over a chunked body: decoded, no length.
            sent['transfer-encoding'] = 'chunked'
            environ['wsgi.input_terminated'] = True
        else:
            environ['CONTENT_LENGTH'] = str(len(body))
    sent.update(headers or {})
    for name, value in sent.items():
        if value is None:
            continue
        key = name.upper().replace('-', '_')
        environ[key if key == 'CONTENT_TYPE' else 'HTTP_' + key] = value
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen.update(status=int(status.split()[0]), headers=response_headers)

    content = b''.join(application(environ, start_response))
    return Response(seen['status'], seen['headers'], content)


def allocation(amount, provider=RP, **fields):
    body = {'allocations': {provider: {'resources': {'VCPU': amount}}},
            'project_id': 'hostile-project', 'user_id': 'hostile-user',
            'consumer_generation': None, 'consumer_type': 'INSTANCE'}
    body.update(fields)
    return body


def nested(depth):
    return '[' * depth + '1' + ']' * depth


# (method, target, body, expected status), per class of hostile input.
CLASSES = {
    'deep-nesting': [
        ('POST', '/resource_providers', nested(50000), 400),
        ('POST', '/resource_providers', '{"name": %s}' % nested(5000), 400),
        ('PUT', '/allocations/%s' % NEW,
         '{"allocations": %s}' % nested(50000), 400),
        ('POST', '/allocations', '{"%s": %s}' % (NEW, nested(3000)), 400),
        ('POST', '/reshaper', nested(50000), 400,
         {'x-roles': 'admin,service'}),
    ],
    'nul': [
        ('POST', '/resource_providers', {'name': 'zebra\0'}, 400),
        ('PUT', '/resource_providers/%s' % RP, {'name': '\0'}, 400),
        ('PUT', '/allocations/%s' % NEW,
         allocation(1, project_id='project\0'), 400),
        ('PUT', '/resource_providers/%s/traits' % RP,
         {'resource_provider_generation': 2, 'traits': ['CUSTOM_\0']}, 400),
        ('GET', '/resource_providers/%00', None, 404),
        ('DELETE', '/resource_providers/a%00b', None, 404),
        ('GET', '/traits/CUSTOM_%00', None, 404),
        ('PUT', '/traits/CUSTOM_%00', None, 400),
        ('DELETE', '/resource_classes/CUSTOM_%00', None, 404),
        ('PUT', '/resource_classes/CUSTOM_%00', None, 400),
        ('GET', '/resource_providers/%s/inventories/VCPU%%00' % RP, None,
         404),
        ('DELETE', '/allocations/%00', None, 404),
        ('GET', '/usages?project_id=hostile%00', None, 200),
        ('GET', '/resource_providers?name=zebra%00', None, 200),
        ('GET', '/resource_providers?required=CUSTOM_%00', None, 400),
        ('GET', '/resource_providers?in_tree=%00', None, 400),
        ('GET', '/traits?name=startswith:CUSTOM_%00', None, 200),
        ('GET', '/allocation_candidates?resources=VCPU%00:1', None, 400),
        ('GET', '/allocation_candidates?resources=VCPU:1&member_of=%00',
         None, 400),
    ],
    'surrogates': [
        ('POST', '/resource_providers', '{"name": "zebra\\ud800"}', 400),
        ('POST', '/resource_providers',
         b'{"name": "zebra\xed\xa0\x80"}', 400),
        ('PUT', '/allocations/%s' % NEW,
         allocation(1, user_id='\udc00'), 400),
        ('PUT', '/allocations/%s' % NEW,
         allocation(1, project_id='\ud800x'), 400),
        ('PUT', '/resource_providers/%s/traits' % RP,
         '{"resource_provider_generation": 2, "traits": ["CUSTOM_\\udfff"]}',
         400),
        ('PUT', '/traits/CUSTOM_%ed%a0%80', None, 400),
        ('PUT', '/resource_classes/CUSTOM_%ed%a0%80', None, 400),
        ('GET', '/traits/CUSTOM_%ed%a0%80', None, 404),
        ('GET', '/usages?project_id=%ed%a0%80', None, 200),
        ('GET', '/resource_providers?name=%ed%a0%80', None, 200),
        ('GET', '/resource_providers?required=%ed%a0%80', None, 400),
    ],
    'big-integers': [
        # Upstream: capacity exceeded.
        ('PUT', '/allocations/%s' % NEW, allocation(2 ** 31), 409),
        ('PUT', '/allocations/%s' % NEW, allocation(2 ** 63), 409),
        ('PUT', '/allocations/%s' % NEW, allocation(10 ** 30), 409),
        ('POST', '/allocations', {NEW: allocation(2 ** 63)}, 409),
        ('PUT', '/allocations/%s' % NEW,
         {'allocations': [{'resource_provider': {'uuid': RP},
                           'resources': {'VCPU': 2 ** 63}}]}, 409,
         {'openstack-api-version': 'placement 1.0'}),
        ('PUT', '/resource_providers/%s/inventories/VCPU' % RP,
         {'resource_provider_generation': 2, 'total': 2 ** 63}, 400),
        ('GET', '/resource_providers?resources=VCPU:2147483648', None, 200),
        ('GET', '/resource_providers?resources=VCPU:%d' % 2 ** 63, None, 200),
        ('GET', '/allocation_candidates?resources=VCPU:%d' % 2 ** 63, None,
         200),
        ('GET', '/allocation_candidates?resources=VCPU:%d' % 10 ** 30, None,
         200),
        ('GET', '/allocation_candidates?resources=VCPU:1&limit=%d'
         % 2 ** 63, None, 200),
        ('GET', '/allocation_candidates/explain?resources=VCPU:%d'
         % 2 ** 63, None, 200),
        ('GET', '/capacity?resources=VCPU:2147483648', None, 200),
        ('GET', '/capacity?resources=VCPU:%d&group_by=root' % 2 ** 63, None,
         200),
        ('GET', '/capacity?resources=VCPU:%d' % 10 ** 40, None, 200),
    ],
    'urn-uuid-aggregates': [
        ('GET', '/resource_providers?member_of=urn:uuid:%s' % AGG, None, 200),
        ('GET', '/allocation_candidates?resources=VCPU:1&member_of='
         'in:urn:uuid:%s,{%s}' % (AGG, AGG), None, 200),
        ('GET', '/resource_providers/urn:uuid:%s' % RP, None, 404),
    ],
    'non-utf8-query-names': [
        ('GET', '/resource_providers?na%ffme=x', None, 400),
        ('GET', '/resource_providers?%ed%a0%80=1', None, 400),
        ('GET', '/allocation_candidates?resources=VCPU:1&resources%ff=VCPU:1',
         None, 400),
        ('GET', '/allocation_candidates?resources=VCPU:1&%ff=1', None, 400),
        ('GET', '/usages?project_id=p&%ff=1', None, 400),
        ('GET', '/traits?%ff=1', None, 400),
        ('GET', '/capacity?%ff=1', None, 400),
    ],
}


@pytest.fixture(scope='module')
def world():
    """One service for the module, with a provider holding inventory, a
    trait, an aggregate and a consumer's allocation."""
    service = test_app.Service()
    app = service.app
    for method, target, body in [
            ('PUT', '/traits/CUSTOM_HOSTILE', None),
            ('POST', '/resource_providers', {'name': 'hostile', 'uuid': RP}),
            ('PUT', '/resource_providers/%s/inventories' % RP,
             {'resource_provider_generation': 0,
              'inventories': {'VCPU': {'total': 8}}}),
            ('PUT', '/resource_providers/%s/aggregates' % RP,
             {'resource_provider_generation': 1, 'aggregates': [AGG]}),
            ('PUT', '/allocations/%s' % CONSUMER, allocation(2))]:
        response = call(app, method, target, body)
        assert response.status < 300, (target, response.body)
    yield app
    service.close()


def snapshot(app):
    """Everything a refused request might have written."""
    targets = ['/resource_providers', '/resource_providers/%s/usages' % RP,
               '/resource_providers/%s/traits' % RP,
               '/resource_providers/%s/aggregates' % RP,
               '/resource_providers/%s/inventories' % RP,
               '/allocations/%s' % CONSUMER, '/allocations/%s' % NEW,
               '/usages?project_id=hostile-project',
               '/traits?name=startswith:CUSTOM_', '/resource_classes']
    return {target: call(app, 'GET', target).json() for target in targets}


def _cases():
    for kind, cases in CLASSES.items():
        for number, case in enumerate(cases):
            yield pytest.param(case, id='%s-%d-%s' % (kind, number, case[0]))


@pytest.mark.parametrize('case', list(_cases()))
def test_hostile_input_gets_its_status_and_writes_nothing(world, case):
    method, target, body, status = case[:4]
    headers = case[4] if len(case) > 4 else None
    before = snapshot(world)
    response = call(world, method, target, body, headers)
    assert response.status == status, response.body[:500]
    if status >= 400:
        error = response.json()['errors'][0]
        assert error['status'] == status
    assert snapshot(world) == before


def test_capacity_beyond_any_integer_fits_nowhere(world):
    body = call(world, 'GET', '/capacity?resources=VCPU:%d&group_by=root'
                % 2 ** 63).json()
    assert body['fits']['count'] == 0 and body['fits']['top'] == []
    assert [group['fits'] for group in body['groups']] == [0]
    # The same question within range does fit.
    body = call(world, 'GET', '/capacity?resources=VCPU:1').json()
    assert body['fits']['count'] == 6


def test_urn_uuid_aggregates_are_stored_in_canonical_form():
    """A ``urn:uuid:`` or braced aggregate (longer than the column) is
    stored in canonical form and found by either spelling; a form that
    fits is stored as given, as upstream stores it."""
    service = test_app.Service()
    try:
        app = service.app
        assert call(app, 'POST', '/resource_providers',
                    {'name': 'urn', 'uuid': RP}).status == 200
        plain, braced = uuid.uuid4(), uuid.uuid4()
        given = ['urn:uuid:%s' % AGG.upper(), '{%s}' % braced, plain.hex]
        response = call(app, 'PUT', '/resource_providers/%s/aggregates' % RP,
                        {'resource_provider_generation': 0,
                         'aggregates': given})
        assert response.status == 200, response.body
        stored = sorted([AGG, str(braced), plain.hex])
        assert sorted(response.json()['aggregates']) == stored
        shown = call(app, 'GET', '/resource_providers/%s/aggregates' % RP)
        assert sorted(shown.json()['aggregates']) == stored
        for spelling in ('urn:uuid:%s' % AGG, AGG, '{%s}' % AGG):
            found = call(app, 'GET', '/resource_providers?member_of=%s'
                         % spelling).json()['resource_providers']
            assert [rp['uuid'] for rp in found] == [RP], spelling
    finally:
        service.close()


def test_only_a_lost_connection_is_a_disconnect(database):
    """A statement the database refuses (SQLite's integer overflow) is no
    outage; failing to connect is one."""
    engine = sa.create_engine(database.url, poolclass=sa.pool.NullPool)
    try:
        # Beyond each database's integers (SQLite's + turns to a real, its
        # SUM does not).
        overflow = {
            'sqlite': 'SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x '
                      'UNION ALL SELECT 1 AS x) AS t',
            'postgresql': 'SELECT CAST(9223372036854775807 AS BIGINT) + 1',
            'mysql': 'SELECT 9223372036854775807 + 1'}[database.kind]
        with engine.connect() as conn:
            with pytest.raises(sa.exc.DBAPIError) as refused:
                conn.execute(sa.text(overflow))
        assert not db_engine.is_disconnect(refused.value)
    finally:
        engine.dispose()
    gone = sa.create_engine('sqlite:////nonexistent/dir/placement.sqlite')
    with pytest.raises(sa.exc.DBAPIError) as lost:
        gone.connect()
    assert db_engine.is_disconnect(lost.value)


def test_a_refused_statement_is_a_500_not_a_503(world, monkeypatch):
    """What the API answers when the database refuses a statement for what
    it holds: an error of ours (500), not "database unavailable"."""
    from placement import providers

    def overflow(*args, **kwargs):
        raise sa.exc.OperationalError('SELECT SUM(used)', {},
                                      Exception('integer overflow'))
    monkeypatch.setattr(providers, 'get_or_404', overflow)
    response = call(world, 'GET', '/resource_providers/%s' % RP)
    assert response.status == 500
    assert 'unavailable' not in response.json()['errors'][0]['detail']
