"""The WSGI stack around the API: keystone auth wiring, database outages,
request ids and the request log."""
import logging

import httpx
import pytest
from keystonemiddleware import auth_token

from placement import app
from tests import dbs
from tests.functional.app import make_conf

HEADERS = {'openstack-api-version': 'placement latest'}


def client(application):
    return httpx.Client(transport=httpx.WSGITransport(app=application),
                        base_url='http://placement')


class FakeAuthToken:
    """Stands in for keystonemiddleware: token 'good' is a project admin."""

    def __init__(self, application, conf):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get('HTTP_X_AUTH_TOKEN') != 'good':
            start_response('401 Unauthorized', [('Content-Length', '0')])
            return [b'']
        environ.update(HTTP_X_USER_ID='u1', HTTP_X_PROJECT_ID='p1',
                       HTTP_X_ROLES='admin,member,reader')
        return self.application(environ, start_response)


@pytest.fixture
def keystone_app(service, monkeypatch):
    monkeypatch.setattr(auth_token, 'AuthProtocol', FakeAuthToken)
    conf = make_conf(service.database.url,
                     {('api', 'auth_strategy'): 'keystone'})
    return app.build_app(conf, service.engine)


def test_keystone_guards_the_api_but_not_the_root(keystone_app):
    with client(keystone_app) as c:
        assert c.get('/').status_code == 200
        assert c.get('/resource_providers', headers=HEADERS).status_code == 401
        ok = c.get('/resource_providers',
                   headers=dict(HEADERS, **{'x-auth-token': 'good'}))
        assert ok.status_code == 200
        assert ok.json() == {'resource_providers': []}


def test_noauth2_is_not_used_with_keystone(keystone_app):
    with client(keystone_app) as c:
        response = c.get('/resource_providers',
                         headers=dict(HEADERS, **{'x-auth-token': 'admin'}))
        assert response.status_code == 401


def test_unreachable_database_is_503_with_an_error_body():
    # One start-up connection attempt (the default, 10 attempts 10 s
    # apart, is test_startup_retries' subject).
    conf = make_conf('postgresql+psycopg://postgres@127.0.0.1:1/nothing',
                     {('placement_database', 'max_retries'): 1})
    application = app.build_app(conf)
    with client(application) as c:
        assert c.get('/').status_code == 200  # needs no database
        response = c.get('/resource_providers', headers=dict(
            HEADERS, **{'x-auth-token': 'admin'}))
    assert response.status_code == 503
    error = response.json()['errors'][0]
    assert error['title'] == 'Service Unavailable'
    assert error['request_id'].startswith('req-')


@pytest.mark.skipif(dbs.KIND != 'postgresql',
                    reason='needs a server whose connections can be killed')
def test_recovers_when_connections_are_dropped(service):
    with client(service.app) as c:
        headers = dict(HEADERS, **{'x-auth-token': 'admin'})
        assert c.get('/resource_providers', headers=headers).status_code == 200
        with service.engine.connect() as conn:
            conn.exec_driver_sql(
                'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                'WHERE datname = current_database() AND pid <> '
                'pg_backend_pid()')
        assert c.get('/resource_providers', headers=headers).status_code == 200


def test_request_id_and_request_log(service, caplog):
    with client(service.app) as c, caplog.at_level(
            logging.INFO, logger='placement.requestlog'):
        response = c.get('/resource_providers', headers=dict(
            HEADERS, **{'x-auth-token': 'admin'}))
    request_id = response.headers['x-openstack-request-id']
    assert request_id.startswith('req-')
    line = caplog.records[-1].getMessage()
    assert '"GET /resource_providers" status: 200' in line
    assert 'microversion: 1.39' in line
