"""The control route: only in test-cloud mode; reset restores and
switches scenarios, fast."""
import statistics

import pytest

from placement import app as placement_app
from placement.testcloud import http_client, snapshot


@pytest.mark.parametrize('method, path', [
    ('GET', '/_testcloud'), ('POST', '/_testcloud/reset'),
    ('POST', '/_testcloud/faults'), ('GET', '/_testcloud/faults'),
    ('DELETE', '/_testcloud/faults')])
def test_the_production_app_does_not_serve_it(service, method, path):
    client = http_client.Client(app=service.app)
    response = client.request(method, path, body={} if method == 'POST'
                              else None)
    assert response.status == 404
    assert not [p for p, _ in placement_app.ROUTES if 'testcloud' in p]


def test_status_names_what_is_served(make_cloud):
    tc = make_cloud('numa')
    status = tc.request('GET', '/_testcloud').json()
    assert status['scenario'] == 'numa'
    assert status['max_version'] == '1.39'
    assert 'mixed' in status['scenarios']
    assert status['index'] == tc.cloud.scenario().index()
    assert status['faults'] == {'conflicts': 0, 'unavailable': 0,
                                'latency_ms': 0}


def test_admins_only(make_cloud):
    tc = make_cloud()
    assert tc.request('GET', '/_testcloud', headers={
        'x-auth-token': 'someone:project'}).status == 403
    tc.client.token = None
    assert tc.request('POST', '/_testcloud/reset', {}).status == 401


def _mutate(tc, index):
    put = tc.request('PUT', '/traits/CUSTOM_MUTATION', version='1.39')
    assert put.status == 201
    assert tc.request('DELETE', '/allocations/%s' % index['consumers'][
        'flat-vm-0']).status == 204
    assert tc.request('POST', '/resource_providers', {
        'name': 'added'}, version='1.39').status == 200
    consumer = index['consumers']['flat-migration-0']
    assert tc.request('DELETE', '/allocations/%s' % consumer).status == 204


def test_reset_restores_the_scenario_after_mutations(make_cloud):
    tc = make_cloud('flat')
    before = snapshot.snapshot(tc.client)
    _mutate(tc, tc.cloud.scenario().index())
    assert snapshot.snapshot(tc.client) != before
    answer = tc.request('POST', '/_testcloud/reset', {})
    assert answer.status == 200
    assert answer.json()['scenario'] == 'flat'
    assert snapshot.snapshot(tc.client) == before
    # With no body at all, too.
    _mutate(tc, tc.cloud.scenario().index())
    assert tc.request('POST', '/_testcloud/reset').status == 200
    assert snapshot.snapshot(tc.client) == before


def test_reset_switches_scenario(make_cloud):
    tc = make_cloud('flat')
    flat = snapshot.snapshot(tc.client)
    answer = tc.request('POST', '/_testcloud/reset', {'scenario': 'numa'})
    assert answer.status == 200
    numa_index = answer.json()['index']
    state = snapshot.snapshot(tc.client)
    assert sorted(state['providers']) == sorted(
        numa_index['providers'].values())
    assert tc.request('GET', '/_testcloud').json()['scenario'] == 'numa'
    # A bare reset now restores numa; naming flat brings it back.
    tc.request('POST', '/resource_providers', {'name': 'x'},
               version='1.39')
    tc.request('POST', '/_testcloud/reset', {})
    assert snapshot.snapshot(tc.client) == state
    tc.request('POST', '/_testcloud/reset', {'scenario': 'flat'})
    assert snapshot.snapshot(tc.client) == flat


def test_reset_to_an_unknown_scenario(make_cloud):
    tc = make_cloud()
    response = tc.request('POST', '/_testcloud/reset', {'scenario': 'nope'})
    assert response.status == 400
    assert 'Unknown scenario' in response.body.decode()
    assert tc.request('POST', '/_testcloud/reset',
                      {'scenarios': 'flat'}).status == 400


def test_reset_of_mixed_takes_under_50_ms(make_cloud):
    tc = make_cloud('mixed')
    index = tc.cloud.scenario().index()
    timings = []
    for _ in range(7):
        tc.request('DELETE', '/allocations/%s' % index['consumers'][
            'flat-vm-0'])
        answer = tc.request('POST', '/_testcloud/reset', {}).json()
        timings.append(answer['elapsed_ms'])
    assert statistics.median(timings) < 50, timings


def test_reset_is_seen_by_every_pooled_connection(make_cloud):
    """The application's open connections see the restored data at
    once: nothing is cached across the copy."""
    tc = make_cloud('flat')
    for _ in range(3):
        assert tc.request('PUT', '/traits/CUSTOM_SEEN',
                          version='1.39').status == 201
        tc.request('POST', '/_testcloud/reset', {})
        assert tc.request('GET', '/traits/CUSTOM_SEEN',
                          version='1.39').status == 404


def test_a_scenario_file_given_at_start(tmp_path, make_cloud):
    path = tmp_path / 'mine.yaml'
    path.write_text('include: [flat]\nproviders: [{name: extra}]\n')
    tc = make_cloud(str(path))
    status = tc.request('GET', '/_testcloud').json()
    assert status['scenario'] == 'mine'
    assert 'extra' in status['index']['providers']
    assert 'mine' in status['scenarios']
