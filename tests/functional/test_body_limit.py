"""[oslo_middleware] max_request_body_size: a body up to the limit is
served as before; a larger one gets 413 with an API-SIG error body, with
or without a token."""
import io
import json
import uuid

import httpx
import pytest

from placement import app, sizelimit
from tests import openapi_check
from tests.functional.app import make_conf

HEADERS = {'x-auth-token': 'admin', 'content-type': 'application/json',
           'openstack-api-version': 'placement 1.39'}
DEFAULT_LIMIT = 10 * 1024 * 1024  # ours; OpenStack services use 114688


def client(application):
    return httpx.Client(transport=httpx.WSGITransport(app=application),
                        base_url='http://placement')


def provider_body(size):
    """POST /resource_providers JSON padded with whitespace to ``size``
    bytes."""
    body = json.dumps({'name': 'rp-%s' % uuid.uuid4().hex}).encode()
    return body[:-1] + b' ' * (size - len(body)) + body[-1:]


def test_default_limit_is_openstacks(service):
    assert service.conf.oslo_middleware.max_request_body_size == DEFAULT_LIMIT
    with client(service.app) as c:
        at_limit = c.post('/resource_providers', headers=HEADERS,
                          content=provider_body(DEFAULT_LIMIT))
        assert at_limit.status_code == 200, at_limit.text
        over = c.post('/resource_providers', headers=HEADERS,
                      content=provider_body(DEFAULT_LIMIT + 1))
    assert over.status_code == 413
    openapi_check.check('POST', '/resource_providers', 413, over.headers,
                        over.content)
    assert over.headers['content-type'] == 'application/json'
    assert over.json() == {'errors': [{
        'status': 413, 'title': 'Request Entity Too Large',
        'detail': 'Request is too large. Larger than max_request_body_size '
                  '(%d).' % DEFAULT_LIMIT,
        'request_id': over.headers['x-openstack-request-id']}]}


def test_configured_limit_before_authentication(service):
    conf = make_conf(service.database.url,
                     {('oslo_middleware', 'max_request_body_size'): 1000})
    application = app.build_app(conf, service.engine)
    with client(application) as c:
        ok = c.post('/resource_providers', headers=HEADERS,
                    content=provider_body(1000))
        assert ok.status_code == 200, ok.text
        assert c.post('/resource_providers', headers=HEADERS,
                      content=provider_body(1001)).status_code == 413
        # No token: refused for its size before auth is asked.
        no_token = c.put('/traits/CUSTOM_X', content=b'x' * 1001)
        assert no_token.status_code == 413
        assert c.put('/traits/CUSTOM_X').status_code == 401


def test_smaller_bodies_answer_as_without_a_limit(service):
    """The same request, padded or not: the same answer."""
    with client(service.app) as c:
        rp = c.post('/resource_providers', headers=HEADERS,
                    content=provider_body(100)).json()
        bad = json.dumps({'resource_provider_generation': rp['generation'],
                          'inventories': {'VCPU': {'total': -1}}}).encode()
        small = c.put('/resource_providers/%s/inventories' % rp['uuid'],
                      headers=HEADERS, content=bad)
        padded = c.put('/resource_providers/%s/inventories' % rp['uuid'],
                       headers=HEADERS,
                       content=bad + b' ' * (DEFAULT_LIMIT - len(bad)))
    assert small.status_code == padded.status_code == 400
    drop_id = [{k: v for k, v in e.items() if k != 'request_id'}
               for e in small.json()['errors']]
    assert drop_id == [{k: v for k, v in e.items() if k != 'request_id'}
                       for e in padded.json()['errors']]


def test_chunked_bodies_are_counted_as_read(service):
    def chunks(body):
        for start in range(0, len(body), 4096):
            yield body[start:start + 4096]

    with client(service.app) as c:
        ok = c.post('/resource_providers', headers=HEADERS,
                    content=chunks(provider_body(DEFAULT_LIMIT)))
        assert ok.status_code == 200, ok.text
        over = c.post('/resource_providers', headers=HEADERS,
                      content=chunks(provider_body(DEFAULT_LIMIT + 1)))
    assert over.status_code == 413
    # As the OpenAPI description says (here with a microversion).
    assert over.headers['openstack-api-version'] == 'placement 1.39'
    openapi_check.check('POST', '/resource_providers', 413, over.headers,
                        over.content)
    error = over.json()['errors'][0]
    assert error['detail'] == ('Request is too large. Larger than '
                               'max_request_body_size (%d).' % DEFAULT_LIMIT)
    assert error['code'] == 'placement.undefined_code'


def test_unannounced_length_is_counted_as_read():
    reader = sizelimit.LimitingReader(io.BytesIO(b'x' * 11), 10)
    assert reader.read(10) == b'x' * 10
    with pytest.raises(sizelimit.RequestTooLarge) as caught:
        reader.read(10)
    assert caught.value.status == 413
    assert sizelimit.LimitingReader(io.BytesIO(b'x' * 10), 10).read() == \
        b'x' * 10
    with pytest.raises(sizelimit.RequestTooLarge):
        sizelimit.LimitingReader(io.BytesIO(b'x' * 200000), 10).read()
    lines = sizelimit.LimitingReader(io.BytesIO(b'a\n' * 6), 10)
    with pytest.raises(sizelimit.RequestTooLarge):
        list(lines)
