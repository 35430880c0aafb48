"""Request bodies fuzzing found a 500 for (tests/fuzz): JSON nested too
deeply to parse or to describe in an error, and bytes that decode to an
unpaired surrogate. Each is a 400, and nothing is written."""
import uuid

import httpx
import pytest

from placement import app
from tests.functional.app import make_conf

HEADERS = {'x-auth-token': 'admin', 'accept': 'application/json',
           'content-type': 'application/json',
           'openstack-api-version': 'placement latest'}


@pytest.fixture
def client(service):
    # Past [oslo_middleware] max_request_body_size a body gets 413 before
    # it is parsed (test_body_limit.py); these bodies are for the parser.
    conf = make_conf(service.database.url, {
        ('oslo_middleware', 'max_request_body_size'): 10 ** 7})
    application = app.build_app(conf, service.engine)
    with httpx.Client(transport=httpx.WSGITransport(app=application),
                      base_url='http://placement', headers=HEADERS) as c:
        yield c


def nested(depth, leaf='1'):
    return '[' * depth + leaf + ']' * depth


@pytest.mark.parametrize('depth', [200, 490, 1000, 100000])
@pytest.mark.parametrize('template', ['{"name": %s}', '%s'],
                         ids=['a-value', 'the-body'])
def test_deep_nesting_is_refused(client, depth, template):
    response = client.post('/resource_providers',
                           content=template % nested(depth))
    assert response.status_code == 400, response.text
    detail = response.json()['errors'][0]['detail']
    if depth >= 1000:
        # Too deep to parse at all.
        assert 'Malformed JSON: nested too deeply' in detail
    else:
        # Parsed, and refused by the schema (the message leaves out the
        # value when it is too deep to print).
        assert 'JSON does not validate: ' in detail
    assert client.get('/resource_providers').json() == {
        'resource_providers': []}


@pytest.mark.parametrize('depth', [490, 100000])
def test_deep_nesting_where_any_value_goes(client, depth):
    # A mappings key outside the suffix pattern is not looked at (as
    # upstream's schema has it), so the value is never validated: the
    # write goes on and is refused for what it is (no such provider).
    rp, consumer = str(uuid.uuid4()), str(uuid.uuid4())
    body = ('{"allocations": {"%s": {"resources": {"VCPU": 1}}}, '
            '"mappings": {"?": %s}, "project_id": "p", "user_id": "u", '
            '"consumer_generation": null, "consumer_type": "INSTANCE"}'
            % (rp, nested(depth, '"x"')))
    response = client.put('/allocations/%s' % consumer, content=body)
    assert response.status_code == 400, response.text
    assert client.get('/allocations/%s' % consumer).json() == {
        'allocations': {}}


@pytest.mark.parametrize('raw', [b'\xed\xa0\x80', b'\xed\xbf\xbf'],
                         ids=['high', 'low'])
def test_utf8_spelling_a_surrogate_is_refused(client, raw):
    response = client.post('/resource_providers',
                           content=b'{"name": "zebra' + raw + b'"}')
    assert response.status_code == 400, response.text
    assert 'unpaired surrogate' in response.json()['errors'][0]['detail']
    assert client.get('/resource_providers').json() == {
        'resource_providers': []}
