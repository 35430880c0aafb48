"""GET /metrics: Prometheus text for the admin, counting requests by route
template, method and status, latency, the database pool, conflict retries
and candidates per request; off with [metrics] enabled = False; and under
a multi-worker gunicorn, every worker's counts in one scrape."""
import os
import signal
import time
import uuid

import httpx
import prometheus_client
import psutil
import pytest
from prometheus_client import parser
from sqlalchemy import exc as sa_exc

from placement import allocations, app
from placement.db import engine as db_engine
from tests import dbs
from tests.functional.app import make_conf
from tests.functional.server import GunicornServer, ROOT

ADMIN = {'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39'}
GUNICORN_CONF = os.path.join(ROOT, 'etc', 'gunicorn.conf.py')


def client(application):
    return httpx.Client(transport=httpx.WSGITransport(app=application),
                        base_url='http://placement')


def value(text, name, **labels):
    """The sample ``name`` with exactly ``labels`` (0 when absent)."""
    for family in parser.text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0


def scrape(c):
    response = c.get('/metrics', headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.text


def test_prometheus_text_for_the_admin(service):
    with client(service.app) as c:
        response = c.get('/metrics', headers=ADMIN)
        assert response.status_code == 200
        assert response.headers['content-type'].startswith('text/plain')
        assert response.headers['openstack-api-version'] == 'placement 1.39'
        families = {f.name for f in parser.text_string_to_metric_families(
            response.text)}
        assert {'placement_http_requests', 'placement_http_request_duration_seconds',
                'placement_db_pool_connections_in_use', 'placement_db_pool_size',
                'placement_conflict_retries',
                'placement_allocation_candidates_returned'} <= families
        # Scrapers that ask for text only are served too.
        assert c.get('/metrics', headers=dict(
            ADMIN, accept='text/plain')).status_code == 200


def test_private_by_default(service):
    with client(service.app) as c:
        assert c.get('/metrics').status_code == 401
        refused = c.get('/metrics', headers={'x-auth-token': 'user:project'})
        assert refused.status_code == 403
        assert 'placement:metrics:show' in refused.json()['errors'][0]['detail']
        reader = c.get('/metrics', headers={
            'x-auth-token': 'user:project', 'x-roles': 'reader'})
        assert reader.status_code == 403


def test_off_is_404_as_upstream(service):
    conf = make_conf(service.database.url, {('metrics', 'enabled'): False})
    application = app.build_app(conf, service.engine)
    with client(application) as c:
        assert c.get('/metrics', headers=ADMIN).status_code == 404
        # The capabilities document says so (and says it is on elsewhere).
        off = c.get('/capabilities', headers=ADMIN).json()['extensions']
    with client(service.app) as c:
        on = c.get('/capabilities', headers=ADMIN).json()['extensions']
    assert [e['available'] for e in off if e['path'] == '/metrics'] == [False]
    assert [e['available'] for e in on if e['path'] == '/metrics'] == [True]


def test_requests_by_route_template_method_and_status(service):
    labels = {'route': '/resource_providers/{uuid}', 'method': 'GET'}
    with client(service.app) as c:
        before = scrape(c)
        rp = c.post('/resource_providers', headers=ADMIN,
                    json={'name': 'rp-%s' % uuid.uuid4().hex}).json()
        for _ in range(3):
            c.get('/resource_providers/%s' % rp['uuid'], headers=ADMIN)
        c.get('/resource_providers/%s' % uuid.uuid4(), headers=ADMIN)
        c.get('/no/such/path', headers=ADMIN)
        after = scrape(c)
    count = 'placement_http_requests_total'
    assert value(after, count, status='200', **labels) - value(
        before, count, status='200', **labels) == 3
    assert value(after, count, status='404', **labels) - value(
        before, count, status='404', **labels) == 1
    unrouted = {'route': 'none', 'method': 'GET', 'status': '404'}
    assert value(after, count, **unrouted) - value(
        before, count, **unrouted) == 1
    # Never a label per provider.
    assert rp['uuid'] not in after
    latency = 'placement_http_request_duration_seconds_count'
    assert value(after, latency, **labels) - value(
        before, latency, **labels) == 4


def test_candidates_per_request(service):
    with client(service.app) as c:
        for index in range(3):
            rp = c.post('/resource_providers', headers=ADMIN,
                        json={'name': 'cn%d-%s' % (index, uuid.uuid4().hex)})
            c.put('/resource_providers/%s/inventories' % rp.json()['uuid'],
                  headers=ADMIN, json={'resource_provider_generation': 0,
                                       'inventories': {'VCPU': {'total': 4}}})
        before = scrape(c)
        found = c.get('/allocation_candidates?resources=VCPU:1',
                      headers=ADMIN)
        assert len(found.json()['allocation_requests']) == 3
        limited = c.get('/allocation_candidates?resources=VCPU:1&limit=2',
                        headers=ADMIN)
        assert len(limited.json()['allocation_requests']) == 2
        after = scrape(c)
    name = 'placement_allocation_candidates_returned'
    assert value(after, name + '_count') - value(before, name + '_count') == 2
    assert value(after, name + '_sum') - value(before, name + '_sum') == 5
    assert value(after, name + '_bucket', le='2.0') - value(
        before, name + '_bucket', le='2.0') == 1


def test_pool_use(service):
    with client(service.app) as c:
        before = scrape(c)
        assert value(before, 'placement_db_pool_size', pool='primary') >= 1
        with service.engine.connect():
            held = scrape(c)
        after = scrape(c)
    in_use = 'placement_db_pool_connections_in_use'
    assert value(held, in_use, pool='primary') - value(
        before, in_use, pool='primary') == 1
    assert value(after, in_use, pool='primary') == value(
        before, in_use, pool='primary')


def _retries(reason):
    return prometheus_client.REGISTRY.get_sample_value(
        'placement_conflict_retries_total', {'reason': reason})


def test_conflict_retries_are_counted(service):
    database = db_engine.Database(service.engine)
    lost = []

    def races_twice(conn):
        if len(lost) < 2:
            lost.append(1)
            raise allocations.ProviderRace('lost a race')
        return 'written'

    before = _retries('generation')
    assert allocations.write_with_retries(database, 5, races_twice) == \
        'written'
    assert _retries('generation') - before == 2

    deadlocked = []

    class Deadlock(Exception):
        sqlstate = '40P01'

    def deadlocks_once(conn):
        if not deadlocked:
            deadlocked.append(1)
            raise sa_exc.OperationalError('UPDATE', {},
                                          Deadlock('deadlock detected'))
        return 'written'

    before = _retries('deadlock')
    assert database.write(deadlocks_once) == 'written'
    assert _retries('deadlock') - before == 1


@pytest.fixture
def gunicorn(tmp_path, monkeypatch):
    monkeypatch.setenv('PROMETHEUS_MULTIPROC_DIR', str(tmp_path))
    database = dbs.TestDatabase()
    server = GunicornServer(database.url, workers=3,
                            args=('-c', GUNICORN_CONF))
    yield server, tmp_path
    server.stop()
    database.drop()


def _workers(server):
    return {child.pid for child in
            psutil.Process(server.process.pid).children()}


def test_every_worker_counted_across_reloads(gunicorn):
    """Without prometheus_client's multiprocess mode a scrape would see the
    one worker that answers it; with it, all of them, and past a rolling
    reload too."""
    server, directory = gunicorn
    labels = {'route': '/resource_providers', 'method': 'GET',
              'status': '200'}
    name = 'placement_http_requests_total'
    with httpx.Client(base_url=server.url, headers=ADMIN, timeout=30) as c:
        before = value(scrape(c), name, **labels)
        for _ in range(30):
            assert c.get('/resource_providers').status_code == 200
        assert value(scrape(c), name, **labels) - before == 30
        writers = {path.split('_')[-1] for path in os.listdir(directory)
                   if path.startswith('counter_')}
        assert len(writers) > 1, 'one worker answered every request'

        old = _workers(server)
        os.kill(server.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            now = _workers(server)
            if len(now) == 3 and not now & old:
                break
            time.sleep(0.2)
        else:
            pytest.fail('workers not replaced:\n' + server.logs())
        for _ in range(10):
            assert c.get('/resource_providers').status_code == 200
        text = scrape(c)
    assert value(text, name, **labels) - before == 40
    # The replaced workers' gauges are gone (their connections are not in
    # use); the live ones' remain.
    live = {path for path in os.listdir(directory)
            if path.startswith('gauge_livesum_')}
    assert live and all(int(path[len('gauge_livesum_'):-3]) not in old
                        for path in live)
