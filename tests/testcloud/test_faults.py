"""Faults on request: deterministic 409s, 503s and latency, for a
client's error paths; test-cloud mode only."""
import time

import pytest


@pytest.fixture
def tc(make_cloud):
    return make_cloud('flat')


def arm(tc, **faults):
    response = tc.request('POST', '/_testcloud/faults', faults)
    assert response.status == 200, response
    return response.json()


def test_next_n_writes_conflict(tc):
    assert arm(tc, conflicts=2)['conflicts'] == 2
    statuses = []
    for name in ('CUSTOM_A', 'CUSTOM_B', 'CUSTOM_C'):
        # Reads in between are not writes: they pass and count nothing.
        assert tc.request('GET', '/traits', version='1.39').status == 200
        response = tc.request('PUT', '/traits/%s' % name, version='1.39')
        statuses.append(response.status)
        if response.status == 409:
            error = response.json()['errors'][0]
            assert error['code'] == 'placement.concurrent_update'
    assert statuses == [409, 409, 201]
    # Refused writes changed nothing.
    assert tc.request('GET', '/traits/CUSTOM_A', version='1.39').status == 404


def test_conflict_body_follows_the_microversion(tc):
    arm(tc, conflicts=2)
    old = tc.request('PUT', '/traits/CUSTOM_A', version='1.22')
    assert old.status == 409 and 'code' not in old.json()['errors'][0]
    assert old.headers['openstack-api-version'] == 'placement 1.22'
    new = tc.request('DELETE', '/resource_providers/%s' % tc.cloud.scenario(
    ).index()['providers']['compute-2'], version='1.23')
    assert new.json()['errors'][0]['code'] == 'placement.concurrent_update'


def test_next_n_requests_unavailable(tc):
    arm(tc, unavailable=3)
    statuses = [tc.request('GET', '/').status,
                tc.request('GET', '/resource_providers').status,
                tc.request('PUT', '/traits/CUSTOM_A', version='1.39').status,
                tc.request('GET', '/').status]
    assert statuses == [503, 503, 503, 200]


def test_unavailable_before_conflicts(tc):
    arm(tc, unavailable=1, conflicts=1)
    assert [tc.request('PUT', '/traits/CUSTOM_A', version='1.39').status
            for _ in range(3)] == [503, 409, 201]


def test_latency(tc):
    arm(tc, latency_ms=150)
    started = time.monotonic()
    assert tc.request('GET', '/resource_providers').status == 200
    assert time.monotonic() - started >= 0.15
    arm(tc, latency_ms=0)
    started = time.monotonic()
    tc.request('GET', '/resource_providers')
    assert time.monotonic() - started < 0.15


def test_the_control_route_is_never_faulted(tc):
    arm(tc, unavailable=5, conflicts=5, latency_ms=300)
    started = time.monotonic()
    assert tc.request('GET', '/_testcloud/faults').json() == {
        'unavailable': 5, 'conflicts': 5, 'latency_ms': 300}
    assert tc.request('DELETE', '/_testcloud/faults').status == 204
    assert time.monotonic() - started < 0.3
    assert tc.request('GET', '/').status == 200


def test_reset_clears_faults(tc):
    arm(tc, unavailable=5)
    assert tc.request('POST', '/_testcloud/reset', {}).json()
    assert tc.request('GET', '/').status == 200


def test_posting_some_counters_leaves_the_others(tc):
    arm(tc, conflicts=4)
    assert arm(tc, latency_ms=10) == {'conflicts': 4, 'unavailable': 0,
                                      'latency_ms': 10}


@pytest.mark.parametrize('body', [
    {'conflict': 1}, {'conflicts': -1}, {'latency_ms': 120000},
    {'unavailable': 'x'}])
def test_bad_fault_requests(tc, body):
    response = tc.request('POST', '/_testcloud/faults', body)
    assert response.status == 400
    assert tc.request('GET', '/_testcloud/faults').json() == {
        'conflicts': 0, 'unavailable': 0, 'latency_ms': 0}


def test_faults_are_not_in_production(service):
    from placement.testcloud import http_client
    client = http_client.Client(app=service.app)
    assert client.request('POST', '/_testcloud/faults',
                          {'unavailable': 1}).status == 404
    assert client.get('/').status == 200
