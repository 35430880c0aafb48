"""A test cloud with a past release's ceiling behaves as that release
for everything a client sees: versions document, ``latest``, 406 with
the bounds, and each microversion-gated behavior."""
import pytest

from placement import errors, microversion
from placement.testcloud import releases

V = microversion.Version
CEILINGS = [V(1, 10), V(1, 17), V(1, 29), V(1, 36), V(1, 39)]


def above(version):
    return '%d.%d' % (version[0], version[1] + 1)


@pytest.fixture
def clouds(make_cloud):
    """Every ceiling's app built in this one process, side by side."""
    return {ceiling: make_cloud('flat', max_version=ceiling)
            for ceiling in CEILINGS}


def test_versions_document_latest_and_406_follow_each_ceiling(clouds):
    # Interleaved, to show the apps do not share a ceiling.
    for _ in range(2):
        for ceiling, tc in clouds.items():
            root = tc.request('GET', '/').json()['versions'][0]
            assert (root['min_version'], root['max_version']) == (
                '1.0', str(ceiling))
            latest = tc.request('GET', '/resource_providers',
                                version='latest')
            assert latest.status == 200
            assert latest.headers['openstack-api-version'] == (
                'placement %s' % (ceiling,))
            at_ceiling = tc.request('GET', '/resource_providers',
                                    version=str(ceiling))
            assert at_ceiling.status == 200
            if ceiling == microversion.MAX:
                continue
            refused = tc.request('GET', '/resource_providers',
                                 version=above(ceiling))
            assert refused.status == 406
            error = refused.json()['errors'][0]
            assert (error['min_version'], error['max_version']) == (
                '1.0', str(ceiling))


def test_negotiate_takes_the_ceiling_as_an_argument():
    def negotiate(value, maximum):
        return microversion.negotiate({'OpenStack-API-Version': value},
                                      maximum)
    assert negotiate('placement latest', V(1, 17)) == (1, 17)
    assert negotiate('placement 1.17', V(1, 17)) == (1, 17)
    with pytest.raises(errors.NotAcceptable):
        negotiate('placement 1.18', V(1, 17))
    # The module's own ceiling is untouched.
    assert microversion.negotiate(
        {'OpenStack-API-Version': 'placement latest'}) == microversion.MAX


def test_the_production_ceiling_is_untouched(service, clouds):
    from placement.testcloud import http_client
    client = http_client.Client(app=service.app)
    assert client.get('/').json()['versions'][0]['max_version'] == '1.39'
    assert client.get('/resource_providers', version='latest').headers[
        'openstack-api-version'] == 'placement 1.39'


def _links(tc, version):
    rp = tc.request('GET', '/resource_providers', version=version).json()[
        'resource_providers'][0]
    return rp, {link['rel'] for link in rp['links']}


def test_gates_at_pike(clouds):
    tc = clouds[V(1, 10)]
    # 1.10 is there: allocation candidates.
    assert tc.request('GET', '/allocation_candidates?resources=VCPU:1',
                      version='latest').status == 200
    # 1.11's allocations link and 1.14's tree fields are not.
    rp, links = _links(tc, 'latest')
    assert 'allocations' not in links
    assert 'parent_provider_uuid' not in rp
    # Nor 1.13's POST /allocations (404, as upstream's version gates).
    assert tc.request('POST', '/allocations', {},
                      version='latest').status == 404
    assert clouds[V(1, 17)].request('POST', '/allocations', {},
                                    version='latest').status == 400


def test_gates_at_queens(clouds):
    tc = clouds[V(1, 17)]
    rp, links = _links(tc, 'latest')
    assert 'allocations' in links and 'parent_provider_uuid' in rp
    # 1.17: required= on candidates; 1.18: required= on providers is not.
    assert tc.request('GET', '/allocation_candidates?resources=VCPU:1'
                      '&required=HW_CPU_X86_AVX2',
                      version='latest').status == 200
    refused = tc.request('GET', '/resource_providers?required=COMPUTE_NODE',
                         version='latest')
    assert refused.status == 400
    # 1.23's error codes are not there either.
    assert 'code' not in refused.json()['errors'][0]


def test_gates_at_rocky_1_29(clouds):
    tc = clouds[V(1, 29)]
    summaries = tc.request('GET', '/allocation_candidates?resources=VCPU:1',
                           version='latest').json()['provider_summaries']
    assert all('parent_provider_uuid' in s for s in summaries.values())
    # 1.30's reshaper is not there.
    assert tc.request('POST', '/reshaper', {}, version='latest').status == 404


def test_gates_at_train(clouds):
    tc = clouds[V(1, 36)]
    # 1.36 same_subtree is there; 1.38 consumer types are not.
    assert tc.request(
        'GET', '/allocation_candidates?resources_A=VCPU:1&same_subtree=_A'
        '&group_policy=none', version='latest').status == 200
    consumer = tc.cloud.scenario().index()['consumers']['flat-vm-0']
    body = tc.request('GET', '/allocations/%s' % consumer,
                      version='latest').json()
    assert 'consumer_generation' in body and 'consumer_type' not in body


def test_gates_at_yoga(clouds):
    tc = clouds[V(1, 39)]
    found = tc.request('GET', '/resource_providers?required=in:CUSTOM_GOLD,'
                       'HW_CPU_X86_AVX512F', version='latest')
    assert found.status == 200
    assert sorted(rp['name'] for rp in found.json()['resource_providers']) \
        == ['compute-1', 'compute-2']
    # Below 1.39 the any-of form is refused.
    assert clouds[V(1, 36)].request(
        'GET', '/resource_providers?required=in:CUSTOM_GOLD',
        version='latest').status == 400


def test_our_extensions_only_at_our_own_ceiling(clouds):
    assert clouds[V(1, 39)].request('GET', '/capabilities',
                                    version='latest').status == 200
    for ceiling in CEILINGS[:-1]:
        assert clouds[ceiling].request('GET', '/capabilities',
                                       version='latest').status == 404
        assert clouds[ceiling].request('GET', '/openapi.json').status == 404


def test_a_release_name_gives_its_ceiling(make_cloud):
    tc = make_cloud('flat', max_version=releases.ceiling('rocky'))
    assert tc.request('GET', '/').json()['versions'][0][
        'max_version'] == '1.30'
